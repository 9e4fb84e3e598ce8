"""The syntax of cards the author writes: `front :: back` lines and `Q:` / `A:` pairs.

One place for it because two stages read it: the readers, so that a line written as a card
is a block of its own (never the continuation of the bullet above it), and the explicit
extractor, which turns those blocks into cards word for word.
"""

from __future__ import annotations

import re

DOUBLE_COLON = re.compile(r"\s+:::?\s+")
"""` :: ` with spaces, so C++ `std::vector` and Anki's `{{c1::x}}` never split a line; ` ::: `
asks both ways (term <-> definition)."""
QUESTION = re.compile(r"^(?:Q|Question)\s*[:.]\s*(?P<text>.+)$", re.I)
ANSWER = re.compile(r"^(?:A|Answer)\s*[:.]\s*(?P<text>.*)$", re.I)
INLINE_ANSWER = re.compile(r"\s+(?:A|Answer)\s*:\s*")
"""`Q: ... A: ...` written in one block."""
_ANSWER_LINE = re.compile(r"^(?:A|Answer)\s*:\s*\S", re.I)
_CARD_LINE = re.compile(r"\S\s+:::?(?:\s|$)")
"""A line holding ` :: ` (or ending in ` ::`, its answer on the next lines)."""


def starts_card(line: str) -> bool:
    """Whether `line` begins a card of its own: a `front :: back` line or a `Q:` line. An `A:`
    line does not: it belongs to the question above it."""
    text = line.strip()
    return bool(QUESTION.match(text) or _CARD_LINE.search(text))


def split_card(text: str) -> tuple[str, str, bool] | None:
    """`front :: back` as (front, back, both ways?), each side as written (only the spaces
    around it trimmed); None when `text` has no ` :: ` or a side is empty."""
    separator = DOUBLE_COLON.search(text)
    if separator is None:
        return None
    front, back = text[:separator.start()].strip(), text[separator.end():].strip()
    if not front or not back:
        return None
    return front, back, separator.group().strip() == ":::"


def card_line(line: str) -> bool:
    """Whether `line` is written as (part of) a card: it starts one, or it is the `A:` answer
    of one (`A.` is left out: `A. Introduction` numbers a section)."""
    return starts_card(line) or bool(_ANSWER_LINE.match(line.strip()))
