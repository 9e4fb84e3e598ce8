"""The Markdown reader's fast path for flat files (top-level items, ATX headings, blank lines)
must build exactly the document the CommonMark parser's tokens give, and step aside for
anything else."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from generator.readers.lines import split_lines
from generator.readers.markdown import _parse_commonmark, _simple_outline, parse

# Text that follows a bullet or heading marker: letters first or not, with the characters that
# mean something to CommonMark somewhere in the line (and spaces that are not spaces to it).
_TEXT = st.text(alphabet="aZé ß1#*+-_>`~<[]():=\t\u00a0\u2003\\!", min_size=0, max_size=14)


def _line() -> st.SearchStrategy[str]:
    item = st.builds(lambda b, sp, t: f"{b}{sp}{t}", st.sampled_from("-*+"),
                     st.sampled_from(["", " ", "  ", "\t"]), _TEXT)
    heading = st.builds(lambda h, sp, t: f"{h}{sp}{t}", st.sampled_from(["#", "##", "######", "#######"]),
                        st.sampled_from(["", " ", "   ", "\t"]), _TEXT)
    other = st.sampled_from(["", " ", "\t", "\u00a0", "---", "***", "===", "    code", "> quote",
                             "1. one", "[a]: /url", "<div>", "```", "plain words", "  - nested"])
    return st.one_of(item, heading, other)


@given(st.lists(_line(), max_size=8))
@example(["- Cell :: the unit of life", "", "# Biology", "* Mitochondria make ATP   "])
@example(["# Title #", "- a"])
@example(["- Zebra", "---"])
@example(["- Zebra", "\u00a0"])
@example(["## Setext?", "- x", "==="])
def test_the_fast_path_builds_what_the_parser_builds(lines: list[str]) -> None:
    source = split_lines("\n".join(lines))
    fast = _simple_outline(source, "n.md")
    if fast is not None:
        assert fast == _parse_commonmark(source, "n.md")


def test_flat_cards_and_headings_take_the_fast_path() -> None:
    text = ("# Cells\n\n- Nucleus :: holds the DNA\n- What makes ATP? :: mitochondria\n\n"
            "## Membranes\n+ Lipid bilayer\n")
    source = split_lines(text)
    fast = _simple_outline(source, "cells.md")
    assert fast is not None and fast == _parse_commonmark(source, "cells.md")
    assert fast.title == "Cells"
    texts = [n.text for n, _ in fast.walk()]
    assert texts == ["Cells", "Nucleus :: holds the DNA", "What makes ATP? :: mitochondria", "Membranes",
                     "Lipid bilayer"]


def test_anything_else_goes_through_the_parser() -> None:
    for text in ("---\ntitle: T\n---\n- a", "- a\n  - nested", "- a\ncontinued", "- 1984 was a year",
                 "# Title #", "- [link]: /url", "    indented code"):
        assert _simple_outline(split_lines(text), "n.md") is None, text
    doc = parse("- a\n  - nested\n", "n.md")
    assert [n.text for n, _ in doc.walk()] == ["a", "nested"]
