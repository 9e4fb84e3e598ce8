"""The .apkg writer, checked by importing into a real Anki collection and rendering with Anki."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generator
from conftest import EXAMPLE, import_apkg
from generator.errors import NotedeckError
from generator.ids import stable_int_id
from generator.writers.anki import NOTE_TYPES

GENANKI_README_IDS = {1607392319, 2059400110, 1091735104}


def visible(rendered: str) -> str:
    """What a person sees: the card HTML without its <style> block and tags."""
    rendered = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered)).strip()


def build_one(notes: Path, out: Path, **kw: object) -> tuple[Path, int]:
    kw.setdefault("lock_path", out.parent / f"{out.name}.lock")  # never beside the example notes
    [result] = generator.build([notes], generator.BuildOptions(output_dir=out, **kw))
    return result.paths[0], result.cards


def test_example_deck_imports_and_every_card_renders(tmp_path, anki_collection):
    """Every card we write becomes one Anki note whose front and back render non-empty."""
    apkg, count = build_one(EXAMPLE, tmp_path / "out")
    assert apkg.name == "gophercon-2024-notes.apkg" and count > 20
    log = import_apkg(anki_collection, apkg)
    assert len(log.log.new) == count
    col = anki_collection
    assert col.note_count() == count
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        front, back = visible(card.question()), visible(card.answer())
        assert front and back, cid
        if card.note().note_type()["type"] == 1:  # cloze: a blank on the front, filled on the back
            assert "[...]" in front and "[...]" not in back and "{{" not in back
        else:
            assert front.endswith("?")
            assert len(back) > len(front)
    names = [d.name for d in col.decks.all_names_and_ids()]
    assert "gophercon-2024-notes" in names


def test_reimport_updates_instead_of_duplicating(tmp_path, anki_collection):
    """Building and importing twice leaves one note per card (GUIDs are stable)."""
    apkg, count = build_one(EXAMPLE, tmp_path / "a")
    import_apkg(anki_collection, apkg)
    apkg2, _ = build_one(EXAMPLE, tmp_path / "b")
    log = import_apkg(anki_collection, apkg2)
    assert anki_collection.note_count() == count
    assert not log.log.new


def test_note_type_and_deck_ids_come_from_names(tmp_path, anki_collection):
    """Note type IDs are derived from their names, never genanki's README examples or random."""
    apkg, _ = build_one(EXAMPLE, tmp_path / "out", deck="Go::GopherCon")
    import_apkg(anki_collection, apkg)
    models = {m["name"]: m["id"] for m in anki_collection.models.all() if m["name"].startswith("notedeck")}
    assert models and set(models) <= set(NOTE_TYPES.values())
    for name, model_id in models.items():
        assert model_id == stable_int_id("notedeck-note-type", name)
        assert model_id not in GENANKI_README_IDS
    assert "Go::GopherCon" in [d.name for d in anki_collection.decks.all_names_and_ids()]


def test_hostile_note_text_shows_as_text(tmp_path, anki_collection):
    """`<script>` and Anki template syntax in notes never run or vanish: they show as text."""
    notes = tmp_path / "hostile.md"
    notes.write_text(
        "# Web security\n\n"
        "- What does XSS inject? :: <script>alert(1)</script> into a page\n"
        "- What is {{Front}}? :: Anki's field syntax\n"
        "- What are {{#Context}}sections{{/Context}}? :: Anki conditionals, like {{c1::clozes}}\n"
        "- Which attributes run code? :: <img src=x onerror=alert(2)> handlers\n",
        encoding="utf-8",
    )
    apkg, count = build_one(notes, tmp_path / "out")
    import_apkg(anki_collection, apkg)
    assert anki_collection.note_count() == count == 4
    seen = []
    for cid in anki_collection.find_cards(""):
        card = anki_collection.get_card(cid)
        for side in (card.question(), card.answer()):
            body = re.sub(r"<style>.*?</style>", "", side, flags=re.S)
            assert "<script" not in body and "<img" not in body
            seen.append(visible(side))
    text = "\n".join(seen)
    for literal in ("<script>alert(1)</script>", "{{Front}}", "{{#Context}}sections{{/Context}}",
                    "{{c1::clozes}}", "<img src=x onerror=alert(2)>"):
        assert literal in text


def test_list_cards_render_as_html_lists(tmp_path, anki_collection):
    """A list card's back is a real HTML list, one <li> per item."""
    notes = tmp_path / "kitchen.txt"
    notes.write_text("Baking\n\n• 3 leavening agents\n  • yeast\n  • baking soda\n  • baking powder\n",
                     encoding="utf-8")
    apkg, _ = build_one(notes, tmp_path / "out")
    import_apkg(anki_collection, apkg)
    backs = [anki_collection.get_card(c).answer() for c in anki_collection.find_cards("")]
    assert any(b.count("<li>") == 3 and "baking soda" in b for b in backs)


def test_template_override_extends_default(tmp_path, anki_collection):
    """-t DIR: a same-named template wins and can extend the default; Anki's fields survive."""
    tdir = tmp_path / "templates" / "anki" / "basic"
    tdir.mkdir(parents=True)
    (tdir / "back.html").write_text(
        '{% extends "default/anki/basic/back.html" %}'
        "{% block meta %}<div class=\"mine\">studied with notedeck</div>{% endblock %}",
        encoding="utf-8",
    )
    apkg, _ = build_one(EXAMPLE, tmp_path / "out", template_dirs=[tmp_path / "templates"])
    import_apkg(anki_collection, apkg)
    card = anki_collection.get_card(anki_collection.find_cards('"note:notedeck Basic"')[0])
    assert "studied with notedeck" in card.answer()
    assert visible(card.question()) in visible(card.answer())  # {{FrontSide}} still rendered


def test_template_that_loses_anki_fields_is_an_error(tmp_path):
    """A template whose Anki {{Field}} syntax Jinja swallowed is refused with a hint."""
    tdir = tmp_path / "templates" / "anki" / "basic"
    tdir.mkdir(parents=True)
    (tdir / "front.html").write_text("<div>{{Question}}</div>", encoding="utf-8")
    with pytest.raises(NotedeckError, match="raw"):
        build_one(EXAMPLE, tmp_path / "out", template_dirs=[tmp_path / "templates"])
    assert not list((tmp_path / "out").glob("*.apkg"))


def test_package_zip_has_fixed_entry_times(tmp_path):
    """The zip entries carry a fixed date, not the wall clock."""
    apkg, _ = build_one(EXAMPLE, tmp_path / "out")
    with zipfile.ZipFile(apkg) as z:
        assert [i.filename for i in z.infolist()] == ["collection.anki2", "media"]
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_failed_build_leaves_previous_deck_intact(tmp_path, monkeypatch):
    """A failure while writing keeps the old .apkg and leaves no temporary file behind."""
    out = tmp_path / "out"
    apkg, _ = build_one(EXAMPLE, out)
    before = apkg.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("generator.writers.anki.write_package", boom)
    with pytest.raises(NotedeckError, match="No space left"):
        build_one(EXAMPLE, out)
    assert apkg.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["gophercon-2024-notes.apkg", "manifest.json"]


def _colliding_guids() -> tuple[str, str]:
    """Two GUIDs whose derived note IDs land on the same base (likely in a 100k-card deck)."""
    seen: dict[int, str] = {}
    i = 0
    while True:
        guid = f"guid{i}"
        slot = stable_int_id("notedeck-note", guid) % (1 << 30)
        if slot in seen:
            return seen[slot], guid
        seen[slot] = guid
        i += 1


def test_notes_whose_ids_collide_still_import(tmp_path, anki_collection):
    """A big deck found two GUIDs hashing to one note ID (UNIQUE constraint failed); the
    later note now takes the next free ID, and both import as separate notes and cards."""
    from generator.cards import Card, Deck, Source
    from generator.writers import WriteOptions
    from generator.writers.anki import write

    first, second = _colliding_guids()
    cards = tuple(Card(f"What is term {n}?", f"definition number {n}", Source("n.md", n, n), guid=g)
                  for n, g in ((1, first), (2, second)))
    out = tmp_path / "deck.apkg"
    write(Deck("Collide", cards), out, WriteOptions(timestamp=1_700_000_000))
    import_apkg(anki_collection, out)
    assert anki_collection.note_count() == 2
    assert anki_collection.card_count() == 2
    assert {anki_collection.get_note(n).guid for n in anki_collection.find_notes("")} == {first, second}


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
       | st.text(alphabet=" \t\"'-=#.:/1aAé_*`[]!<>&~\\\u00a0", max_size=20))
def test_plain_lines_render_exactly_as_markdown_it_would(line):
    """Lines without Markdown skip the parser; the fast path must give markdown-it's output."""
    from markdown_it import MarkdownIt

    from generator.markup import has_syntax
    from generator.render import _escape

    if "\n" in line or has_syntax(line):
        return
    assert _escape(line) == MarkdownIt("commonmark", {"html": False}).renderInline(line)


def _in_a_child(monkeypatch: pytest.MonkeyPatch, batch: int = 3) -> list[object]:
    """Have every package's collection filled by a forked child process, `batch` notes at a
    time; the list receives each child started."""
    from generator.writers import _collection

    monkeypatch.setattr(_collection, "BACKGROUND_MIN_NOTES", 0)
    monkeypatch.setattr(_collection, "_BATCH", batch)
    started: list[object] = []
    real = _collection._Child.__init__

    def spy(self, context):
        started.append(self)
        real(self, context)

    monkeypatch.setattr(_collection._Child, "__init__", spy)
    return started


def test_a_collection_filled_by_a_child_process_is_the_same_package(tmp_path, monkeypatch):
    """A big deck's collection is filled by a forked child process as the writer makes its rows
    (here every deck's, three notes at a time): the package is byte for byte the one written
    in the writer's own process, sub-decks, every note type, images and warnings alike."""
    notes = tmp_path / "notes"
    (notes / "bio" / "img").mkdir(parents=True)
    (notes / "bio" / "cells.md").write_text(
        "# Cells\n\n- Photosynthesis :: light energy to chemical energy ![](img/leaf.png)\n"
        "- The {{c1::mitochondria}} make {{c2::ATP}}\n- Kelvin ::: the SI unit of temperature\n"
        "- Which organelles hold DNA?\n  - the nucleus\n  - the mitochondria\n"
        "- Where is $x^2 shown? :: in an unbalanced formula\n", encoding="utf-8")
    (notes / "bio" / "img" / "leaf.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"leaf" * 20)
    (notes / "chem.md").write_text("".join(f"- What is element {i}? :: the element numbered {i}\n"
                                           for i in range(1, 12)), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = {}
    for name in ("here", "child"):
        started = _in_a_child(monkeypatch) if name == "child" else []
        options = generator.BuildOptions(output_dir=tmp_path / name, use_lock=False)
        [result] = generator.build([notes], options)
        built[name] = (result.paths[0].read_bytes(), result.warnings, len(started))
    (here, here_warnings, _), (child, child_warnings, children) = built.values()
    assert children == 1 and child == here and child_warnings == here_warnings
    assert any("unbalanced math" in w for w in here_warnings)
    with zipfile.ZipFile(tmp_path / "child" / result.paths[0].name) as z:
        assert len(z.namelist()) == 3  # the collection, the media index, the image


def test_a_child_that_cannot_write_fails_the_build_as_the_writer_would(tmp_path, monkeypatch):
    """What the child raises is raised by the build (a full disk names the disk's words), and a
    child that dies says so; either way no package is left and no child lives on."""
    import multiprocessing
    import os

    from generator.writers import _collection

    _in_a_child(monkeypatch)

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_collection, "write_zip", full)
    with pytest.raises(NotedeckError, match="No space left on device"):
        build_one(EXAMPLE, tmp_path / "full")
    monkeypatch.setattr(_collection, "_write_col", lambda *args: os._exit(3))
    with pytest.raises(NotedeckError, match="stopped \\(exit code 3\\)"):
        build_one(EXAMPLE, tmp_path / "died")
    for out in ("full", "died"):
        assert not list((tmp_path / out).glob("*.apkg"))
    assert multiprocessing.active_children() == []


def test_a_writer_that_fails_midway_ends_its_child(tmp_path, monkeypatch):
    """When the writer fails while the child fills the collection, the child is ended with it."""
    import multiprocessing

    from generator.writers import anki

    started = _in_a_child(monkeypatch, batch=1)
    calls = []

    def broken(card, front):
        calls.append(card)
        if len(calls) == 5:
            raise RuntimeError("a writer bug")

    monkeypatch.setattr(anki, "empty_front", broken)
    with pytest.raises(RuntimeError, match="a writer bug"):
        build_one(EXAMPLE, tmp_path / "out")
    assert len(started) == 1 and multiprocessing.active_children() == []


def test_a_child_that_dies_while_rows_stream_in_never_leaves_the_writer_waiting(tmp_path, monkeypatch):
    """The writer sends more rows than a pipe holds to a child that died at its first batch:
    the writer learns it at once (a broken pipe) and says so; it never waits on a full pipe."""
    import os
    import signal

    from generator.writers import _collection

    _in_a_child(monkeypatch, batch=1)
    monkeypatch.setattr(_collection.Rows, "insert", lambda self, cursor: os._exit(4))
    notes = tmp_path / "many.md"
    notes.write_text("".join(f"- What does the long term number {i} of this list mean? :: "
                             f"{'a rather long answer ' * 8}{i}\n" for i in range(600)), encoding="utf-8")

    class Hung(Exception):
        """The writer waited on a child that had died (not an OSError: nothing may catch it)."""

    def hung(*args: object) -> None:
        raise Hung

    signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        with pytest.raises(NotedeckError, match="stopped \\(exit code 4\\)"):
            build_one(notes, tmp_path / "out")
    finally:
        signal.alarm(0)
    assert not list((tmp_path / "out").glob("*.apkg"))
