"""Anki CSV writer: the cards in Anki's text-import format, with a GUID column so a re-import updates.

Header lines tell Anki the separator, that fields are HTML, and which columns hold the note
type, the deck, the GUID and the tags. Built-in note types ("Basic", "Basic (and reversed
card)", "Cloze") are used so the file imports into any collection; the card's context and
source go to the back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..cards import CLOZE, REVERSED, Card, Deck
from ..fields import card_fields, source_of
from ..render import Renderer
from . import WriteOptions, WriteReport, atomic_output, cached_render, register

NOTE_TYPES = {CLOZE: "Cloze", REVERSED: "Basic (and reversed card)"}
HEADER = ("#separator:Tab", "#html:true", "#notetype column:1", "#deck column:2", "#guid column:3",
          "#tags column:6")


def row(card: Card, renderer: Renderer, options: WriteOptions) -> list[str]:
    """Columns: note type, deck, GUID, first field, second field, tags."""
    first, second = cached_render(card, renderer, options, lambda: _fields(card, renderer, options), ("csv",))
    tags = " ".join(t.replace(" ", "_") for t in card.tags)
    return [NOTE_TYPES.get(card.type, "Basic"), card.deck, card.guid, first, second, tags]


def _fields(card: Card, renderer: Renderer, options: WriteOptions) -> list[str]:
    """The card's first and second field (see `fields.card_fields`), packed as Anki's built-in
    note types show them: the topic (heading breadcrumb) above the question, so the front can
    be answered on its own; the source below the answer."""
    meta = f'<div class="nd-meta">{renderer.field(source_of(card))}</div>'  # first: the warnings' order
    topic = f'<div class="nd-topic">{renderer.field(card.context)}</div>' if card.context else ""
    shown = card_fields(card, renderer, options.sources.get(card.source.path))
    return [topic + shown.front, shown.back + meta]


def dump(cards: Iterable[Card], out: TextIO, options: WriteOptions | None = None) -> list[str]:
    """Write `cards` in Anki's text-import format to an open text stream; returns warnings."""
    options = options or WriteOptions()
    renderer = Renderer(allow_html=options.allow_html)
    out.write("\n".join(HEADER) + "\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for card in cards:
        writer.writerow(row(card, renderer, options))
    return renderer.warnings


@register("csv", ".csv")
def write(deck: Deck, path: Path, options: WriteOptions) -> WriteReport:
    """Write the deck as an Anki text-import file (tab-separated, UTF-8, `\n` line ends)."""
    with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        return WriteReport(dump(deck.cards, f, options))
