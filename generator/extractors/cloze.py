"""Cloze deletions the author marked: `==highlight==` and Anki's own `{{c1::text}}` in notes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import CLOZE, LIST_SEPARATOR, Card
from ..outline import CODE, HEADING, Document
from .factory import make_card
from .registry import extractor

NAME = "cloze"
_HIGHLIGHT = re.compile(r"==(?=\S)(?P<text>[^=\n]+?)(?<=\S)==")
_ANKI = re.compile(r"\{\{c(?P<n>\d+)::(?P<text>.+?)(?:::(?P<hint>[^}]*))?\}\}")


def to_cloze(text: str) -> str | None:
    """`a ==b== c` -> `a {{c1::b}} c`; Anki deletions are kept; None when nothing is marked."""
    if not _HIGHLIGHT.search(text) and not _ANKI.search(text):
        return None
    used = [int(m.group("n")) for m in _ANKI.finditer(text)]
    counter = iter(range(max(used, default=0) + 1, 10_000))
    return _HIGHLIGHT.sub(lambda m: f"{{{{c{next(counter)}::{m.group('text')}}}}}", text)


@extractor(NAME)
def cloze(doc: Document) -> Iterator[Card]:
    """Marked cloze: `==highlight==` or `{{c1::text}}` in a note -> a cloze card, one deletion each."""
    for node, _ in doc.walk():
        if node.kind in (CODE, HEADING):
            continue
        text = to_cloze(node.text)
        if text is None:
            continue
        answer = LIST_SEPARATOR.join(m.group("text") for m in _ANKI.finditer(text))
        yield make_card(doc, node, text, answer, extractor=NAME, score=1.0, type=CLOZE)
