"""`extract --explain`: per notes file, the cards made and each note line without a card, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .cards import Card
from .extraction import extract_deck
from .language import (
    OPEN_QUESTION,
    drop_open_questions,
    drop_trailing_parenthetical,
    is_fragment,
    is_opinion,
    split_speaker,
)
from .options import ExtractSettings
from .outline import ITEM, PARAGRAPH, Node
from .readers import parse_bytes
from .sources import PathLike, read_skipping


@dataclass
class LineNote:
    """Why a line of notes gave no card (for `extract --explain`)."""

    line: int
    reason: str
    text: str


@dataclass
class FileExplanation:
    """One notes file's cards, and its lines that gave none, with the reason."""

    path: str
    cards: list[Card]
    skipped: list[LineNote]


def explain(sources: Sequence[PathLike], *, deck: str | None = None,
            settings: ExtractSettings | None = None) -> list[FileExplanation]:
    """Per file: the cards `extract` makes, and each note line without a card and why.

    Reasons: `to look up` (a question the notes leave open), `aside` (an opinion, summary or
    reaction), `talk title`, `fragment` (too little to ask about), `no pattern` (no extractor
    applies).
    """
    result = extract_deck(sources, deck, settings or ExtractSettings())
    out = []
    for f in result.files:
        data = read_skipping(f, [])
        if data is None:
            continue
        doc, _ = parse_bytes(data, f.path, f.display)
        cards = [c for c in result.cards if c.source.path == f.display]
        covered: set[int] = set()
        for c in cards:
            covered.update(range(c.source.line, c.source.end_line + 1))
        skipped = []
        for node, _parent in doc.walk():
            if node.kind not in (ITEM, PARAGRAPH) or node.line in covered or not node.text.strip():
                continue
            skipped.append(LineNote(node.line, _why_no_card(node), node.text))
        out.append(FileExplanation(f.display, cards, skipped))
    return out


def _why_no_card(node: Node) -> str:
    text = node.text
    has_answer = any(c.kind in (ITEM, PARAGRAPH) for c in node.children)
    asks = drop_trailing_parenthetical(text).rstrip().endswith("?")
    if is_opinion(text):
        return "aside"
    if OPEN_QUESTION.search(text) or (asks and not has_answer):
        return "to look up"
    if split_speaker(text):
        return "talk title"
    if is_opinion(text):
        return "aside"
    if is_fragment(drop_open_questions(text)):
        return "fragment"
    return "no pattern"
