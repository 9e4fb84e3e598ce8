"""Markdown files of written cards alone (`front :: back` items under plain headings) are read
straight from their lines (`generator/written_only.py`): the cards, warnings and question keys
are exactly those the outline and the extractors give."""

from __future__ import annotations

from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import written_only
from generator.extract_files import FileSettings, extract_file
from generator.options import ExtractSettings

_PIECES = [
    "", "   ", "\t",
    "# Cells", "## Organelles", "### Deep down", "#### Four", "# Cells and tissues", "## Q. What is it",
    "# Term: meaning", "# Ribosome :: protein factory", "#NoSpace", "# 2024 plans", "## Question. Why",
    "- What is ATP? :: the energy currency", "* Kelvin ::: the SI unit of temperature",
    "+ a :: b :: c", "- Same :: same", "- What is x? :: ", "- Empty ::", "- Tagged :: yes #bio",
    "- 3 items :: digits first", "- Q: what? :: x", "- Q: a plain question", "- A: an answer line",
    "- a plain note without a card", "  - nested :: card", "-  two spaces :: x", "- Ünïcödé :: ok",
    "- trailing :: spaces   ", "- `code` :: x", "- Where is $x$? :: in math", "- {{c1::x}} :: cloze-like",
    "- Mitochondria :: make ATP", "- TCP is reliable :: yes", "Just a paragraph", "```", "> a quote",
    "- Q. Dotted question :: dotted answer", "- Photosynthesis :: light to chemical energy ![](leaf.png)",
]

_FAST = ["", "   ", "# Cells", "## Organelles", "### Deep down", "# Cells and tissues",
         "- What is ATP? :: the energy currency", "* Kelvin ::: the SI unit of temperature",
         "+ a :: b :: c", "- Mitochondria :: make ATP", "- Same :: same", "- Ünïcödé :: ok",
         "## Q. What is it", "- A: the answer :: and more", "# Question. Why"]
"""Lines the short path reads: a file of these, with at most one line of `_PIECES` among them."""
_LINES = st.tuples(st.lists(st.sampled_from(_FAST), max_size=10),
                   st.lists(st.sampled_from(_PIECES), max_size=1), st.integers(0, 10)
                   ).map(lambda t: [*t[0][:t[2]], *t[1], *t[0][t[2]:]])
_FILES = st.tuples(_LINES, st.sampled_from(["\n", "\r\n"]), st.booleans())
_SETTINGS = st.builds(ExtractSettings, extractors=st.sampled_from([None, ("explicit",), ("definition",),
                                                                    ("explicit", "definition")]),
                      min_score=st.sampled_from([0.0, 1.0, 1.5]), heading_tags=st.booleans(),
                      reversed_definitions=st.booleans(),
                      tags=st.sampled_from([(), ("exam",), ("exam", "exam")]))


def _both_ways(data: bytes, how: ExtractSettings, display: str = "bio/cells.md") -> tuple[object, object]:
    settings = FileSettings("Deck", how)
    fast = extract_file(data, display, display, ("bio", "cells"), settings)
    with mock.patch.object(written_only, "cards", lambda text, path: None):
        general = extract_file(data, display, display, ("bio", "cells"), settings)
    return fast, general


@settings(max_examples=300)
@given(_FILES, _SETTINGS)
@example((["# Cells", "- What is ATP? :: the energy currency", "## Organelles", "- Kelvin ::: SI unit"],
          "\n", True), ExtractSettings(heading_tags=True, tags=("exam",)))
def test_written_cards_read_from_their_lines_are_the_outlines_cards(file: tuple,
                                                                     how: ExtractSettings) -> None:
    lines, newline, bom = file
    data = ("\ufeff" if bom else "").encode() + newline.join(lines).encode("utf-8")
    fast, general = _both_ways(data, how)
    assert fast == general


def test_a_file_of_written_cards_takes_the_short_path() -> None:
    """The usual flashcard file does; a nested item, a `#tag`, a plain note, a heading that is
    a card, or a file another reader reads (a "•" outline) does not."""
    cards = "# Cells\n\n- What is ATP? :: the energy currency\n- Kelvin ::: the SI unit\n## More\n- a :: b\n"
    taken = []

    def spy(text: str, path: str) -> object:
        found = real(text, path)
        taken.append(found is not None)
        return found

    real = written_only.cards
    with mock.patch.object(written_only, "cards", spy):
        for text, expected in ((cards, True), (cards + "  - nested :: card\n", False),
                               (cards + "- tagged :: yes #bio\n", False), (cards + "- a plain note\n", False),
                               ("# Ribosome :: protein factory\n- a :: b\n", False)):
            taken.clear()
            result = extract_file(text.encode(), "n.md", "n.md", (), FileSettings("D"))
            assert taken == [expected] and result.cards
        taken.clear()
        outline = extract_file("Cells\n• What is ATP? :: the energy currency\n".encode(), "n.txt",
                               "n.txt", (), FileSettings("D"))
        assert taken == [] and [c.answer for c in outline.cards] == ["the energy currency"]
    fast, general = _both_ways(cards.encode(), ExtractSettings())
    assert fast == general and [c.context for c in fast.cards] == ["Cells", "Cells", "Cells > More"]
