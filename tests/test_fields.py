"""One card -> fields renderer (`generator.fields`) and one empty-card rule, shared by every writer.

The Anki package, the CSV and the review sheet package the same rendered fields: for the same
card and the same renderer settings they show the same front and back, whatever the card holds
(math, code, lists, ordered lists, images, cloze).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import filters
from generator.cards import BASIC, CLOZE, LIST, REVERSED, Card, Deck, Source, empty_side
from generator.check import empty_side as check_empty_side
from generator.fields import card_fields, empty_front
from generator.render import Media, Renderer
from generator.writers import WriteOptions
from generator.writers import csv as csv_writer
from generator.writers import sheet as sheet_writer
from generator.writers.anki import note_fields, plain, write_package

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SOURCE = Source("sub/n.md", 3, 3)

CARDS = {
    "math": Card("What is the area of a circle of radius $r$?", "$\\pi r^2$ (and $$A = \\pi r^2$$)",
                 SOURCE, context="Geometry > Circles"),
    "code": Card("How does Python print a greeting?", "```python\nprint('hi')\n```", SOURCE,
                 context="Python"),
    "list": Card("What are the states of matter?", "solid; liquid; gas", SOURCE, type=LIST,
                 context="Physics", items=("solid", "*liquid*", "gas")),
    "ordered list": Card("What are the phases of mitosis in order?", "prophase; metaphase; anaphase",
                         SOURCE, type=LIST, context="Biology > Cells",
                         items=("prophase", "metaphase", "anaphase")),
    "image": Card("What does a cell look like?", "![a cell](cell.png)", SOURCE, context="Biology"),
    "image in a list": Card("Which organelles are there?", "nucleus; mitochondrion", SOURCE, type=LIST,
                            items=("nucleus ![n](cell.png)", "mitochondrion $x$")),
    "cloze": Card("Water boils at {{c1::100 °C}} at sea level", "100 °C", SOURCE, type=CLOZE,
                  context="Physics > Heat"),
    "reversed": Card("What is `osmosis`?", "water moving through a membrane", SOURCE, type=REVERSED,
                     context='Day 2 > "Cells" & *membranes*'),
}


@pytest.fixture()
def notes(tmp_path: Path) -> tuple[WriteOptions, Path]:
    """A notes folder with `sub/n.md` and the image `sub/cell.png` beside it."""
    (tmp_path / "sub").mkdir()
    notes_file = tmp_path / "sub" / "n.md"
    notes_file.write_text("notes\n", encoding="utf-8")
    (tmp_path / "sub" / "cell.png").write_bytes(PNG)
    return WriteOptions(sources={"sub/n.md": notes_file}, notes_root=tmp_path), tmp_path


def _renderer(root: Path) -> Renderer:
    return Renderer(media=Media(root))


@pytest.mark.parametrize("name", list(CARDS))
def test_the_three_writers_give_the_same_fields(name: str, notes: tuple[WriteOptions, Path]) -> None:
    options, root = notes
    card = CARDS[name]
    anki = note_fields(card, anki_renderer := _renderer(root), options)
    csv_row = csv_writer._fields(card, csv_renderer := _renderer(root), options)
    sheet = sheet_writer._fields(card, sheet_renderer := _renderer(root), options)
    shared = card_fields(card, _renderer(root), root / "sub" / "n.md")

    assert anki == [shared.front, shared.back, plain(card.context), plain("sub/n.md:3")]
    topic_and_meta = _renderer(root)
    topic = f'<div class="nd-topic">{topic_and_meta.field(card.context)}</div>' if card.context else ""
    meta = f'<div class="nd-meta">{topic_and_meta.field("sub/n.md:3")}</div>'
    assert csv_row == [topic + anki[0], anki[1] + meta]
    if card.type == CLOZE:  # paper blanks the deletions and shows what they hid as the answer
        assert sheet[0] == anki[0].replace("{{c1::100 °C}}", '<span class="nd-blank">&nbsp;</span>')
        assert sheet[1] == "100 °C"
    else:
        assert sheet == anki[:2]
    assert anki_renderer.warnings == sheet_renderer.warnings
    assert csv_renderer.warnings == topic_and_meta.warnings + anki_renderer.warnings
    assert anki_renderer.media is not None and csv_renderer.media is not None
    assert anki_renderer.media.looked == csv_renderer.media.looked  # images found beside the notes


def test_what_the_fields_hold(notes: tuple[WriteOptions, Path]) -> None:
    """Spot checks of the shared rules: ordered lists, images beside the notes file, math."""
    _, root = notes
    notes_file = root / "sub" / "n.md"
    ordered = card_fields(CARDS["ordered list"], _renderer(root), notes_file)
    assert ordered.back == "<ol><li>prophase</li><li>metaphase</li><li>anaphase</li></ol>"
    assert card_fields(CARDS["list"], _renderer(root), notes_file).back.startswith("<ul><li>solid</li>")
    renderer = _renderer(root)
    listed = card_fields(CARDS["image in a list"], renderer, notes_file)
    assert '<li>nucleus <img src="nd-' in listed.back and "<li>mitochondrion \\(x\\)</li>" in listed.back
    assert renderer.warnings == [] and renderer.media is not None and renderer.media.warnings == []
    cloze = card_fields(CARDS["cloze"], _renderer(root), notes_file)
    assert cloze.front == "Water boils at {{c1::100 °C}} at sea level" and cloze.back == ""
    assert (cloze.context, cloze.source) == ("Physics > Heat", "sub/n.md:3")


def _apkg_fields(path: Path) -> dict[str, list[str]]:
    """Each note's fields in a package, by its first field."""
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    db = path.with_suffix(".anki2")
    db.write_bytes(data)
    conn = sqlite3.connect(db)
    try:
        rows = [r[0].split("\x1f") for r in conn.execute("SELECT flds FROM notes")]
    finally:
        conn.close()
    return {r[0]: r for r in rows}


def test_the_csv_shows_ordered_lists_and_list_images_as_the_package_does(
        notes: tuple[WriteOptions, Path], tmp_path: Path) -> None:
    """The CSV writer once rendered every list as `<ul>` and its items without the card's notes
    file and line (images looked up in the working folder, warnings without a place): now its
    fields are the package's, but for the images (a CSV carries no media: they stay as written)."""
    options, _ = notes
    cards = [CARDS["ordered list"], CARDS["image in a list"],
             Card("Which costs are there?", "a; b", SOURCE, type=LIST, items=("a $$x", "b"))]
    cards = [Card(c.question, c.answer, c.source, c.type, c.context, items=c.items, guid=f"g{i}")
             for i, c in enumerate(cards)]
    out = io.StringIO()
    warnings = csv_writer.dump(cards, out, options)
    rows = {r[3].rsplit("</div>", 1)[-1]: r for r in csv.reader(io.StringIO(out.getvalue()), delimiter="\t")
            if not r[0].startswith("#")}
    package = tmp_path / "deck.apkg"
    write_package(Deck("d", tuple(cards)), package, options)
    apkg = _apkg_fields(package)

    ordered = rows["What are the phases of mitosis in order?"]
    assert ordered[4].startswith("<ol><li>prophase</li>")
    assert ordered[4] == apkg["What are the phases of mitosis in order?"][1] + \
        '<div class="nd-meta">sub/n.md:3</div>'
    images = rows["Which organelles are there?"][4]
    assert images.startswith('<ul><li>nucleus <img src="cell.png" alt="n" /></li>')  # as written
    assert warnings == ["sub/n.md:3: unbalanced math delimiters; the text is shown as written"]


@pytest.mark.parametrize(("card", "why"), [
    (Card(" ", "an answer", SOURCE), "empty question"),
    (Card("What is it?", " ", SOURCE), "empty answer"),
    (Card("What is it?", "", SOURCE, type=REVERSED), "empty answer"),
    (Card("No deletion here", "here", SOURCE, type=CLOZE), "without a deletion"),
    (Card("Only {{c1:: }} blank", "x", SOURCE, type=CLOZE), "without a deletion"),
    (Card("What are they?", "", SOURCE, type=LIST), "without items"),
    (Card("What are they?", "", SOURCE, type=LIST, items=(" ", "")), "without items"),
])
def test_one_empty_rule_for_the_filters_and_check(card: Card, why: str) -> None:
    assert why in (empty_side(card) or "")
    assert check_empty_side is empty_side
    assert filters.drop_empty([card]) == []


@pytest.mark.parametrize("card", [
    Card("What is it?", "this", SOURCE, type=BASIC),
    Card("It boils at {{c1::100}}", "", SOURCE, type=CLOZE),  # a cloze's answer is its deletions
    Card("What are they?", "", SOURCE, type=LIST, items=("a", "b")),
    Card("What are they?", "a; b", SOURCE, type=LIST),
])
def test_cards_that_show_both_sides_are_kept(card: Card) -> None:
    assert empty_side(card) is None
    assert filters.drop_empty([card]) == [card]


def test_the_rendered_front_follows_the_same_rule() -> None:
    """What the sanitiser removes can leave a front, or a deletion, showing nothing: the Anki
    writer leaves such a card out, and `notedeck check` reports it, both by `empty_front`."""
    renderer = Renderer(allow_html=True)
    script = Card("<script>alert(1)</script>", "x", SOURCE)
    deletion = Card("Shown {{c1::<script>x</script>}} here", "x", SOURCE, type=CLOZE)
    assert empty_side(script) is None and empty_side(deletion) is None
    assert "front is empty" in (empty_front(script, card_fields(script, renderer).front) or "")
    assert "cloze deletion is empty" in (empty_front(deletion, card_fields(deletion, renderer).front) or "")
    image = Card('<img src="cell.png">', "x", SOURCE)
    assert empty_front(image, card_fields(image, renderer).front) is None


@given(st.text(alphabet="ab :&<>{}\n\ue001\ue000;#\"'", max_size=12))
def test_plain_text_left_as_is_only_when_nothing_would_change(text):
    """`plain`'s shortcut (text with nothing to escape is returned as it is) changes nothing:
    it gives what escaping and making inert give."""
    import html

    from generator.render import inert

    assert plain(text) == inert(html.escape(text, quote=False)).replace("\n", "<br>")


_SIDE = st.one_of(
    st.lists(st.sampled_from([*"ab <>&\"'*_`$[]()!{}:#\n\t\x00\x07\ue001é", "```", "{{c1::", "}}"]),
             max_size=14).map("".join),
    st.text(st.sampled_from([*"ab \"'():#.,\n\t\x07\x1f\x7f\ue000\ue001\ue002é\u2028"]), max_size=14))
"""A card side: anything, or text with no syntax at all (unprintable characters among it)."""


@given(st.sampled_from([BASIC, REVERSED, LIST, CLOZE]), _SIDE, _SIDE, st.lists(_SIDE, max_size=2), _SIDE,
       st.booleans())
def test_plain_sides_skip_the_layers_and_render_the_same(kind: str, question: str, answer: str,
                                                         items: list[str], context: str,
                                                         allow_html: bool) -> None:
    """A card whose sides hold no Markdown, math, cloze or code has its note fields made without
    `card_fields`' layers: the same fields, and the same warnings, as through them."""
    card = Card(question, answer, Source("n.md", 3, 3), kind, context, items=tuple(items))
    options = WriteOptions(allow_html=allow_html)
    fast, layered = Renderer(allow_html=allow_html), Renderer(allow_html=allow_html)
    shown = card_fields(card, layered, None)
    layers = [shown.front, shown.back, plain(shown.context), plain(shown.source)]
    assert note_fields(card, fast, options) == layers
    assert fast.warnings == layered.warnings
