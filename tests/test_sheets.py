"""Printable review sheets: read the PDFs back, check the HTML is self-contained and stable."""

from __future__ import annotations

import builtins
import math
import re
import sys

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import generator
from generator.cards import is_suggestion
from generator.cli import cli
from generator.errors import NotedeckError
from generator.writers.sheet import CARD_COLUMNS, CARD_ROWS

NOTES = """# Networking

- TCP is a reliable, connection-oriented transport protocol
- DNS (Domain Name System) maps names to addresses
- HTTP methods
  - GET
  - POST
- Why UDP?
  - lower latency
  - no handshake
- HTTP/3 cuts connection setup to 1 round trip
- The formula is $x^2 + y^2 = z^2$
- Pythagoras' theorem :: $x^2 + y^2 = z^2$
- Routers forward packets between networks

# Security

- A firewall filters traffic between networks
- TLS encrypts traffic with keys agreed in a handshake
- IPv6 was introduced in 1998 by the IETF
- Switches connect devices inside one local network
- Q: Which port does HTTPS use?
- A: 443
"""


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "net.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


@pytest.fixture
def cards(notes):
    """The deck's cards: suggestions stay off the sheet until accepted."""
    return [c for c in generator.extract([notes]).cards if not is_suggestion(c)]


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def pdf_text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def visible_question(card) -> str:
    """The words of a question as the sheet prints them (cloze deletions become blanks)."""
    return re.sub(r"\{\{c\d+::.*?\}\}", " ", card.question)


@pytest.mark.parametrize("layout", ["table", "cards", "quiz"])
def test_every_question_is_in_the_pdf(tmp_path, notes, cards, layout):
    out = tmp_path / f"{layout}.pdf"
    result = generator.pipeline.sheet([notes], out, layout=layout, title="Networks")
    assert result.cards == len(cards) > 5
    pages = pdf_text(out)
    text = squash(" ".join(pages))
    for card in cards:
        for part in re.split(r"\$[^$]*\$", visible_question(card)):  # TeX prints as source
            assert squash(part) in text, (layout, card.question)
    assert "Networks" in pages[0] and f"1 / {len(pages)}" in pages[0]
    if layout == "cards":
        per_page = CARD_COLUMNS * CARD_ROWS
        assert len(pages) == 2 * math.ceil(len(cards) / per_page)
    if layout == "quiz":
        key = next(i for i, p in enumerate(pages) if "Answer key" in p)
        assert key >= 1 and squash("connection-oriented transport protocol") in squash(" ".join(pages[key:]))


def _tags(page) -> dict[str, tuple[float, float]]:
    """Positions of the small `Q12` / `A12` labels on a page."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        m = re.fullmatch(r"\s*([QA]\d+)\s*", text)
        if m:
            found[m.group(1)] = (tm[4], tm[5])

    page.extract_text(visitor_text=visit)
    return found


def test_cards_layout_puts_each_answer_behind_its_question(tmp_path, notes, cards):
    """Fronts on odd pages, backs on even pages, mirrored left-right: duplex printing (long
    edge) puts answer k behind question k."""
    out = tmp_path / "cards.pdf"
    generator.pipeline.sheet([notes], out, layout="cards")
    reader = PdfReader(out)
    assert len(reader.pages) % 2 == 0
    width = float(reader.pages[0].mediabox.width)
    checked = 0
    for front_i in range(0, len(reader.pages), 2):
        front, back = _tags(reader.pages[front_i]), _tags(reader.pages[front_i + 1])
        for label, (x, y) in front.items():
            assert label.startswith("Q")
            bx, by = back["A" + label[1:]]
            assert abs(y - by) < 2  # same row
            assert (x < width / 2) != (bx < width / 2)  # other column: mirrored
            checked += 1
    assert checked == len(cards)


@pytest.mark.parametrize("layout", ["table", "cards", "quiz"])
def test_html_is_self_contained_and_stable(tmp_path, notes, layout, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    generator.pipeline.sheet([notes], a, layout=layout)
    generator.pipeline.sheet([notes], b, layout=layout)
    html = a.read_text(encoding="utf-8")
    assert html == b.read_text(encoding="utf-8")
    external = r"""(src|href)\s*=\s*["']?(https?:|//)|url\(\s*['"]?(https?:|//)|@import|<script|<link"""
    assert not re.search(external, html, re.I)
    assert "2023-11-14" in html  # the date comes from SOURCE_DATE_EPOCH
    assert '<code class="nd-math">' in html  # TeX source, readable on paper


def test_images_are_embedded_in_the_html(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "leaf.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 16)
    (tmp_path / "n.md").write_text("- Leaf :: ![a leaf](img/leaf.png)\n", encoding="utf-8")
    generator.pipeline.sheet([tmp_path / "n.md"], tmp_path / "s.html")
    assert 'src="data:image/png;base64,' in (tmp_path / "s.html").read_text(encoding="utf-8")


def test_pdf_without_weasyprint_is_a_one_line_error(tmp_path, notes, monkeypatch):
    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(NotedeckError, match=r"notedeck\[pdf\]"):
        generator.pipeline.sheet([notes], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    generator.pipeline.sheet([notes], tmp_path / "x.html")  # the HTML still works
    assert (tmp_path / "x.html").is_file()


def test_sheet_command_and_build_formats(tmp_path, notes):
    runner = CliRunner()
    result = runner.invoke(cli, ["sheet", str(notes), "-o", str(tmp_path / "s.pdf"), "--layout", "quiz",
                                 "--paper", "letter"])
    assert result.exit_code == 0, result.output
    assert "quiz layout" in result.output
    page = PdfReader(tmp_path / "s.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 612  # US letter
    result = runner.invoke(cli, ["sheet", str(notes), "-o", str(tmp_path / "s.docx")])
    assert result.exit_code == 2 and "name the output .pdf or .html" in result.output
    result = runner.invoke(cli, ["build", str(notes), "-o", str(tmp_path / "out"), "--no-lock",
                                 "--format", "apkg,sheet-pdf,sheet-html", "--layout", "cards"])
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in (tmp_path / "out").iterdir()} == {".apkg", ".pdf", ".html", ".json"}
