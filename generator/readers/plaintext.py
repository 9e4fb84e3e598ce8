"""Reader for plain-text outlines: `•`/`-`/`1.` bullets nested by indentation, bare titles.

Plain text has no heading syntax, so a short stand-alone line at the left margin is a
heading, and a run of such lines with nothing between them nests (`Day 1` then the talk
title under it). Longer or punctuated lines, and wrapped lines, are paragraphs.
"""

from __future__ import annotations

import re

from ..explicit_syntax import card_line
from ..outline import HEADING, PARAGRAPH, Document
from .lines import Block, BodyScanner, split_lines, to_tree

MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 16
# Lines that end like a sentence or a clause are prose, not titles.
_PROSE_END = re.compile(r"[.,;!]$|\.\.\.$|…$")
# Setext-like underline under a title: "=====" or "-----".
_UNDERLINE = re.compile(r"^\s*(=+|-+|~+)\s*$")


def _is_title_like(block: Block) -> bool:
    """A one-line, unindented, short paragraph without sentence punctuation, not written as a card."""
    text = block.text
    return (
        block.kind == PARAGRAPH
        and block.indent == 0
        and block.line == block.end_line
        and len(text) <= MAX_HEADING_CHARS
        and len(text.split()) <= MAX_HEADING_WORDS
        and not _PROSE_END.search(text)
        and not card_line(text)  # `Capital of France :: Paris` is a card, not a title
    )


def _assign_heading_levels(blocks: list[Block]) -> None:
    """Give title-like lines heading levels: a run of headings with nothing between nests.

    The last heading of a run sits at the "leaf" level that content headings use; the
    ones before it are its parents (`Day 2` above a talk title), one level each.
    """
    leaf = 0
    i = 0
    while i < len(blocks):
        if blocks[i].kind != HEADING:
            i += 1
            continue
        j = i
        while j + 1 < len(blocks) and blocks[j + 1].kind == HEADING:
            j += 1
        run = j - i + 1
        leaf = max(leaf, run)
        for k in range(run):
            blocks[i + k].level = leaf - (run - 1) + k
        i = j + 1


def parse(text: str, path: str) -> Document:
    """Parse a plain-text outline into a `Document`."""
    lines = split_lines(text)
    scanner = BodyScanner()
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            scanner.blank()
        elif _UNDERLINE.match(raw) and scanner.blocks and _is_title_like(scanner.blocks[-1]) \
                and scanner.blocks[-1].end_line == n - 1:
            scanner.blocks[-1].end_line = n
            scanner.blocks[-1].kind = HEADING
            scanner.blank()
        else:
            scanner.line(raw, n)
    blocks = scanner.blocks
    for b in blocks:
        if _is_title_like(b):
            b.kind = HEADING
        b.text = b.text.rstrip(":").rstrip() if b.kind == HEADING else b.text
    title = ""
    # A leading heading directly followed by another heading names the whole file.
    if len(blocks) >= 2 and blocks[0].kind == HEADING and blocks[1].kind == HEADING:
        title = blocks.pop(0).text
    _assign_heading_levels(blocks)
    return Document(path=path, title=title, root=to_tree(blocks), format="text")
