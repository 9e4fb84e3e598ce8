"""JSON Lines writer: one card per line in the interchange format (`cards.Card.to_json`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..cards import Card, Deck
from . import WriteOptions, WriteReport, atomic_output, register


def dump(cards: Iterable[Card], out: TextIO) -> None:
    """Write `cards` as JSON Lines to an open text stream."""
    for card in cards:
        out.write(json.dumps(card.to_json(), ensure_ascii=False) + "\n")


@register("jsonl", ".jsonl")
def write(deck: Deck, path: Path, options: WriteOptions) -> WriteReport:
    """Write the deck's cards to `path` as JSON Lines (UTF-8, `\\n` line ends)."""
    with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as out:
        dump(deck.cards, out)
    return WriteReport()
