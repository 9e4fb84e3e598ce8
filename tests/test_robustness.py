"""Bad, odd and hostile input through the CLI: a clear line (or just working), never a traceback,
never a half-written or lost output."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import assert_no_live_markup, import_apkg, make_unreadable, run_cli
from generator.cards import BASIC, CLOZE, LIST, REVERSED, Card, Deck, Source, with_identity
from generator.markup import live_clozes
from generator.outline import MAX_ANCESTORS
from generator.writers import WriteOptions, get_format

DEFINITION = "- Catalyst: a substance that speeds up a reaction without being used up\n"


@dataclass(frozen=True)
class Case:
    """One input: how to make it, what the user runs, and what they must see."""

    make: Callable[[Path], list[str]]
    """Writes the input under the folder given and returns the command's arguments."""
    exit_code: int
    message: str = ""
    """A part of the one line the user sees on stderr ('' = no message expected)."""
    cards: int | None = None
    """How many cards `extract` prints, when it succeeds."""


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _binary_among_notes(t: Path) -> list[str]:
    write(t / "notes" / "a.md", DEFINITION)
    write(t / "notes" / "scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return ["extract", str(t / "notes")]


def _symlink_loop(t: Path) -> list[str]:
    write(t / "notes" / "sub" / "a.md", DEFINITION)
    os.symlink("..", t / "notes" / "sub" / "up")
    os.symlink(t / "notes", t / "notes" / "self")
    return ["extract", str(t / "notes")]


DEPTH = 1_500
"""Deeper than Python's recursion limit (1,000): a recursive walk would fail here."""


def _deep(t: Path) -> list[str]:
    lines = "".join(" " * i + f"• level {i} holds the value {i}\n" for i in range(DEPTH))
    return ["extract", str(write(t / "deep.txt", lines))]


def _deep_markdown(t: Path) -> list[str]:
    lines = "".join("  " * i + f"- level {i} holds the value {i}\n" for i in range(DEPTH))
    return ["extract", str(write(t / "deep.md", lines))]


def _huge_line(t: Path) -> list[str]:
    text = DEFINITION + "- Blob: " + "QUJD" * 2_500_000 + "\n" + DEFINITION.replace("Catalyst", "Enzyme")
    return ["extract", str(write(t / "pasted.md", text))]


def _many_lines(t: Path) -> list[str]:
    block = "".join(f"- Term {k}: the meaning of term {k} in this part\n" for k in range(40))
    # 3,000 lines in one file; bigger inputs are timed in benchmarks/
    parts = [f"# Part {p}\n" + block.replace("term", f"item{p}") for p in range(3_000 // 41 + 1)]
    return ["extract", str(write(t / "big.md", "".join(parts)))]


def _notes(name: str, data: bytes | str) -> Callable[[Path], list[str]]:
    """A case that extracts from one file holding `data`."""
    return lambda t: ["extract", str(write(t / name, data))]


def _corrupt_lock(t: Path) -> list[str]:
    write(t / "notedeck.lock", '{"notedeck_lock": 1,\n"cards": [\n{"guid"\n')
    return ["build", str(write(t / "n.md", DEFINITION)), "-o", str(t / "out")]


MIXED_INDENT = ("Chem\n\t• Catalyst: speeds up a reaction\n    \t• Enzyme: a protein catalyst\n"
                "  \t  ◦ found in cells\n")

CASES: dict[str, Case] = {
    "nonexistent path": Case(lambda t: ["extract", str(t / "nope.md")], 2, "no such file or folder"),
    "folder without notes": Case(lambda t: ["build", str(write(t / "pics" / "a.png", b"\x89PNG").parent)],
                                 2, "no notes found in folder"),
    "binary file": Case(lambda t: ["build", str(write(t / "x.txt", b"\x7fELF\x02\x01" + bytes(300)))],
                        2, "not text"),
    "binary file among notes": Case(_binary_among_notes, 0, "skipped, not a text file (a PNG image)", 1),
    "invalid UTF-8": Case(_notes("bad.md", DEFINITION.encode() + b"- \xff\xfe oops\n"), 0,
                          "bad.md: not valid UTF-8", 1),
    "Windows-1252": Case(_notes("cafe.md", "- Café: a coffee house\n".encode("cp1252")), 0,
                         "cafe.md: not valid UTF-8 (byte 5); read as Windows-1252", 1),
    "UTF-8 with BOM": Case(_notes("bom.md", b"\xef\xbb\xbf" + DEFINITION.encode()), 0, "", 1),
    "UTF-16 with BOM": Case(_notes("u16.md", DEFINITION.encode("utf-16")), 0, "", 1),
    "CRLF line ends": Case(_notes("crlf.md", "# Chem\r\n" + DEFINITION.replace("\n", "\r\n")), 0, "", 1),
    "CR line ends": Case(_notes("cr.txt", "Chem\r" + DEFINITION.replace("\n", "\r")), 0, "", 1),
    "tabs and mixed indentation": Case(_notes("mixed.txt", MIXED_INDENT), 0),
    "NUL bytes": Case(_notes("nul.md", DEFINITION.replace("sub", "sub\x00")), 0, "", 1),
    "empty file": Case(lambda t: ["build", str(write(t / "empty.md", ""))], 2, "is empty"),
    "blank lines only": Case(lambda t: ["build", str(write(t / "blank.md", "\n \n\t\n"))], 2, "is empty"),
    "a 10 MB line": Case(_huge_line, 0, "pasted.md:2: a line of 10,000,008 characters", 2),
    "3,000 lines": Case(_many_lines, 0),
    "lists nested 1,500 deep (text)": Case(_deep, 0),
    "lists nested 1,500 deep (Markdown)": Case(_deep_markdown, 0),
    "symlink loop in the notes": Case(_symlink_loop, 0, "", 1),
    "corrupt notedeck.toml": Case(lambda t: ["build", "--config", str(write(t / "notedeck.toml", "[[x]\n"))],
                                  2, "notedeck.toml:1: invalid TOML"),
    "corrupt notedeck.lock": Case(_corrupt_lock, 2, "notedeck.lock:4: damaged lock file"),
}


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_input_gives_a_clear_line_or_just_works(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    args = case.make(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    result = run_cli(args, tmp_path)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    assert result.exit_code == case.exit_code, result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith("notedeck: error")]
    if case.exit_code == 2:
        assert len(problems) == 1 and case.message in problems[0] and "(hint: " in problems[0]
        assert result.stderr.count("\n") == len(result.stderr.splitlines())
        # Nothing was written or changed.
        after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
        assert after == before
    else:
        assert not problems and case.message in result.stderr
        cards = [json.loads(line) for line in result.stdout.splitlines()]
        assert all(c["question"].strip() and c["answer"].strip() for c in cards)
        if case.cards is not None:
            assert len(cards) == case.cards, result.stdout


def test_crlf_and_cr_keep_line_numbers(tmp_path: Path) -> None:
    for name, newline in (("crlf.md", "\r\n"), ("cr.md", "\r"), ("lf.md", "\n")):
        write(tmp_path / name,
              newline.join(["# Chem", "", "- Catalyst: a substance that speeds up a reaction", ""]))
        result = run_cli(["extract", name], tmp_path)
        [card] = [json.loads(line) for line in result.stdout.splitlines()]
        assert card["source"]["line"] == 3, name


def test_deep_nesting_keeps_the_nearest_ancestors(tmp_path: Path) -> None:
    args = _deep(tmp_path)
    found = run_cli(args, tmp_path).stdout + run_cli([*args, "--suggestions"], tmp_path).stdout
    cards = [json.loads(line) for line in found.splitlines()]
    deepest = max(cards, key=lambda c: c["source"]["line"])
    assert deepest["context"].count(" > ") <= MAX_ANCESTORS


def test_unreadable_file_in_a_notes_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "notes" / "a.md", DEFINITION)
    write(tmp_path / "notes" / "secret.md", DEFINITION)
    make_unreadable(monkeypatch, "secret.md")
    result = run_cli(["build", "notes"], tmp_path)
    assert result.exit_code == 2
    assert "secret.md: Permission denied" in result.stderr and "(hint: " in result.stderr
    assert not (tmp_path / "output").exists() or not list((tmp_path / "output").iterdir())
    assert not (tmp_path / "notes" / "notedeck.lock").exists()


def test_output_folder_inside_the_notes_folder_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "notes" / "a.md", DEFINITION)
    for _ in range(2):
        result = run_cli(["build", "notes", "-o", "notes/out", "--format", "jsonl,csv,sheet-html"], tmp_path)
        assert result.exit_code == 0 and "1 card from 1 file" in result.stdout, result.stdout


def test_notedecks_own_files_beside_the_notes_are_never_read_as_notes(tmp_path: Path) -> None:
    """The lock and review file live in the notes folder: a folder or a glob (`notes/*`) that
    takes in every file must not read them as notes (a lock read as text made cards of JSON)."""
    from generator.config import CONFIG_NAME
    from generator.lock import LOCK_NAME
    from generator.review import REVIEW_NAME
    from generator.sources import OWN_FILES

    assert {LOCK_NAME, REVIEW_NAME, CONFIG_NAME} == OWN_FILES
    import generator

    write(tmp_path / "notes" / "a.md", DEFINITION)
    assert run_cli(["build", "notes", "-o", "out"], tmp_path).exit_code == 0
    for name in OWN_FILES - {LOCK_NAME}:  # the build wrote the lock; the others as a person would
        write(tmp_path / "notes" / name, "# not notes\n- Osmosis :: a written card\n")
    assert (tmp_path / "notes" / LOCK_NAME).is_file()
    for source in (tmp_path / "notes", tmp_path / "notes" / "*"):
        read = generator.extract([str(source)])
        assert [f.display for f in read.files] == ["a.md"], source


def _full_disk(*args: object) -> None:
    raise OSError(28, "No space left on device")


def _interrupt(*args: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(("failing", "fail", "exit_code", "message"), [
    ("csv", _full_disk, 2, "No space left on device"),  # apkg and jsonl were written by then
    ("jsonl", _interrupt, 130, "interrupted"),
])
def test_a_build_that_fails_midway_leaves_every_previous_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, fail: Callable[..., None],
        exit_code: int, message: str) -> None:
    from generator.writers import FORMATS

    write(tmp_path / "notes" / "a.md", DEFINITION)
    args = ["build", "notes", "-o", "out", "--format", "apkg,jsonl,csv,sheet-html"]
    assert run_cli(args, tmp_path).exit_code == 0
    outputs = lambda: {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name != "a.md"}  # noqa: E731
    before = outputs()
    write(tmp_path / "notes" / "a.md", DEFINITION + "- Enzyme: a protein that is a catalyst\n")
    monkeypatch.setitem(FORMATS, failing, replace(FORMATS[failing], write=fail))
    result = run_cli(args, tmp_path)
    assert result.exit_code == exit_code and message in result.stderr
    assert outputs() == before  # decks, exports, sheet, manifest and lock as they were
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_corrupt_lock_is_never_overwritten(tmp_path: Path) -> None:
    write(tmp_path / "notes" / "a.md", DEFINITION)
    assert run_cli(["build", "notes"], tmp_path).exit_code == 0
    lock = tmp_path / "notes" / "notedeck.lock"
    damaged = lock.read_text(encoding="utf-8")[:-40]
    lock.write_text(damaged, encoding="utf-8")
    result = run_cli(["build", "notes"], tmp_path)
    assert result.exit_code == 2 and "damaged lock file" in result.stderr
    assert lock.read_text(encoding="utf-8") == damaged


def test_writing_to_a_pipe_or_device_keeps_it_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "cards.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli(["extract", str(write(tmp_path / "a.md", DEFINITION)), "-o", str(fifo)], tmp_path)
    reader.join(timeout=30)
    assert result.exit_code == 0 and fifo.is_fifo()
    assert b"Catalyst" in received[0]


HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil></iframe>",
           "[x](javascript:alert(1))", "<a href='javascript:alert(1)'>x</a>", "{{FrontSide}}",
           "{{#Question}}x{{/Question}}", "{{c1::hidden}}", "{{Answer}}", "{% raw %}", "{{ 7*7 }}", "$x$",
           "`a<b>`", "\\(", "&lt;script&gt;", "<svg onload=alert(1)>", "<b style='x:expression(1)'>b</b>",
           "```\n<script>x</script>\n```", "![i](../../../etc/passwd)", "<!-- c -->", "<math><mi>x</mi>"]
# Math, cloze markers and quotes put where they would land inside an attribute or a URL: a link's
# title or address, an image's alt text (Markdown and Obsidian), a raw tag's attribute, code.
PAYLOADS = ['$x" onmouseover="alert(1)//$', '\\(x" onerror="alert(1)\\)',
            '$$" autofocus onfocus="alert(1)$$', '\\[" onload="alert(1)\\]', '{{c1::x" onclick="y}}',
            '" onload="alert(1)', "' onfocus='a", '"', "'", "{{c1::", "}}", "$", "::", "{{FrontSide}}"]
payload = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(alphabet="\"'$\\{}:c1 <>=x/", max_size=12)),
                   min_size=1, max_size=3).map("".join)
IN_ATTRIBUTES = ['[t](https://e.com "{}")', "[t](https://e.com '{}')", "![{}](pic.png)",
                 '![{}](pic.png "{}")', "![[pic.png|{}]]", '<a title="{}" href="https://e.com">t</a>',
                 '<img alt="{}" src="pic.png">', "<abbr title='{}'>x</abbr>", "[t](https://e.com/{})",
                 "<https://e.com/{}>", "`{}`"]
in_attribute = st.builds(lambda template, p: template.replace("{}", p), st.sampled_from(IN_ATTRIBUTES),
                         payload)
card_text = st.lists(st.one_of(st.sampled_from(HOSTILE), in_attribute, st.text(max_size=15)),
                     min_size=1, max_size=4).map("".join).filter(lambda s: bool(s.strip()))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def hostile_cards(cards: list[tuple[str, str, str]]) -> list[Card]:
    """Cards as extractors could hand them to the writers: a cloze card only when its
    deletions are live (`filters.drop_dead_clozes` drops the others)."""
    made = [with_identity(Card(f"{{{{c1::{q}}}}} {a}" if kind == CLOZE else q, a,
                               Source("n.md", i + 1, i + 1), type=kind,
                               items=tuple(a.split(";")) if kind == LIST else ()), "Hostile", ())
            for i, (q, a, kind) in enumerate(cards)]
    made = [c for c in made if c.type != CLOZE or live_clozes(c.question)]
    return list({c.guid: c for c in made}.values())


class _Markup(HTMLParser):
    """The tags and attributes of rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(rendered: str) -> None:
    """Nothing in rendered card HTML can run: no script or frame, no handler, no script URL,
    and no template syntax left for Anki to act on."""
    parser = _Markup()
    parser.feed(rendered)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "iframe", "object", "embed", "svg", "math", "form"}, (tag, rendered)
        for name, value in attrs:
            assert not name.startswith("on"), (name, rendered)
            assert not (value or "").strip().lower().startswith(("javascript:", "data:text")), rendered
    assert "{{" not in rendered and "}}" not in rendered, rendered


# One Anki import per example: fewer than the profile's default in CI, more in the deep profile.
ANKI_EXAMPLES = 30 if settings.default.max_examples <= 100 else settings.default.max_examples // 5


@settings(max_examples=ANKI_EXAMPLES, deadline=None)
# "::" inside a tag in a deletion: Anki read it as the hint and the tag swallowed the text after it
@example(cards=[('<script>alert(1)</script><a title="::" href="https://e.com">t</a>',
                 '[t](https://e.com "$x" onmouseover="alert(1)//$")', CLOZE)], allow_html=True)
@example(cards=[('<b title="a::b">t</b> x', '[t](https://e.com "$x" onmouseover="alert(1)//$")', CLOZE)],
         allow_html=True)
@given(cards=st.lists(st.tuples(card_text, card_text, st.sampled_from([BASIC, REVERSED, LIST, CLOZE])),
                      min_size=1, max_size=4),
       allow_html=st.booleans())
def test_any_card_text_imports_into_anki_and_renders_inert(cards: list[tuple[str, str, str]],
                                                           allow_html: bool) -> None:
    from anki.collection import Collection

    made = hostile_cards(cards)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pic.png").write_bytes(PNG)
        apkg = Path(tmp) / "hostile.apkg"
        warnings = get_format("apkg").write(Deck("Hostile", tuple(made)), apkg,
                                            WriteOptions(allow_html=allow_html, notes_root=Path(tmp),
                                                         timestamp=1)).warnings
        left_out = sum("left out" in w for w in warnings)  # only control characters or a <script>
        col = Collection(str(Path(tmp) / "c.anki2"))
        try:
            import_apkg(col, apkg)
            ids = col.find_cards("")
            assert len(ids) >= len(made) - left_out
            for cid in ids:
                card = col.get_card(cid)
                for html in (card.question(), card.answer()):
                    assert_inert(html)
                    assert_no_live_markup(html, allow_style=True)  # Anki's own card styling
        finally:
            col.close()


@settings(deadline=None)
@given(cards=st.lists(st.tuples(card_text, card_text, st.sampled_from([BASIC, REVERSED, LIST, CLOZE])),
                      min_size=1, max_size=4),
       allow_html=st.booleans(), fmt=st.sampled_from(["csv", "sheet-html"]))
def test_any_card_text_is_inert_in_the_csv_and_the_sheet(cards: list[tuple[str, str, str]], allow_html: bool,
                                                        fmt: str) -> None:
    """What Anki's CSV import and a browser would read: no tag carries a handler, a script URL,
    a remote image or template syntax, whatever math, quotes or cloze markers the text holds."""
    made = hostile_cards(cards)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pic.png").write_bytes(PNG)
        out = Path(tmp) / f"hostile.{fmt}"
        get_format(fmt).write(Deck("Hostile", tuple(made)), out,
                              WriteOptions(allow_html=allow_html, notes_root=Path(tmp), timestamp=1))
        text = out.read_text(encoding="utf-8")
    if fmt == "csv":
        import csv
        import io

        rows = [r for r in csv.reader(io.StringIO(text), delimiter="\t") if r and not r[0].startswith("#")]
        for row in rows:
            for field in row[3:5]:
                assert_no_live_markup(field, allow_style=True)  # Pygments' inline styles
    else:
        assert_no_live_markup(text.split("<body", 1)[1], allow_style=True)


@pytest.mark.parametrize("allow_html", [False, True])
@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))", "<iframe src='https://evil.example'></iframe>", "{{FrontSide}}",
    "{{#Question}}{{/Question}}", "{{c1::not a cloze here}}", "<svg onload=alert(1)>",
])
def test_hostile_note_text_renders_inert(snippet: str, allow_html: bool) -> None:
    from generator.render import Renderer

    rendered = Renderer(allow_html=allow_html).field(f"before {snippet} after")
    assert_inert(rendered)
    assert "before" in rendered and "after" in rendered
    if not allow_html and snippet.startswith("<"):
        assert "&lt;" in rendered  # shown as text


def test_kept_formatting_with_allow_html() -> None:
    from generator.render import Renderer

    rendered = Renderer(allow_html=True).field("<b>bold</b> <kbd>Ctrl</kbd> <a href='https://go.dev'>go</a>")
    assert "<b>bold</b>" in rendered and "<kbd>Ctrl</kbd>" in rendered and 'href="https://go.dev"' in rendered


def test_user_templates_are_sandboxed(tmp_path: Path) -> None:
    from generator.errors import NotedeckError
    from generator.templating import environment, render

    write(tmp_path / "t" / "evil.html", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(NotedeckError):
        render(environment([tmp_path / "t"]), "evil.html")
    write(tmp_path / "t" / "data.html", "{{ text }}")
    assert render(environment([tmp_path / "t"]), "data.html", text="<b>{{ 7*7 }}</b>") == \
        "&lt;b&gt;{{ 7*7 }}&lt;/b&gt;"


@pytest.mark.parametrize("ref", ["../../etc/passwd", "/etc/passwd", "link/passwd"])
def test_images_cannot_read_outside_the_notes_folder(tmp_path: Path, ref: str) -> None:
    from generator.render import Media, Renderer

    notes = tmp_path / "notes"
    write(notes / "a.md", DEFINITION)
    write(tmp_path / "secret" / "passwd", b"root:x:0:0")
    os.symlink(tmp_path / "secret", notes / "link")
    media = Media(notes)
    html = Renderer(media=media).field(f"![x]({ref})", where="a.md:1", notes_file=notes / "a.md")
    assert not media.files and "root:x" not in html
    assert any("outside the notes folder" in w or "not found" in w for w in media.warnings)
