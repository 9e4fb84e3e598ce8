"""Speakers: a talk heading `Title - Speaker` -> "Who gave the talk "Title"?".

Off unless asked for (`--extractor speaker`): raters found who gave a talk trivia next to what
the talk taught, so the default deck leaves it out.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..cards import Card
from ..language import clean_phrase, split_speaker
from ..outline import HEADING, Document
from .factory import card_context, make_card
from .registry import extractor

NAME = "speaker"


@extractor(NAME, default=False)
def speakers(doc: Document) -> Iterator[Card]:
    """Who gave a talk, from headings `Title - Speaker`."""
    for node, _ in doc.walk():
        if node.kind != HEADING:
            continue
        talk = split_speaker(node.text)
        if talk:
            title = clean_phrase(talk[0]).strip("\"“”")
            # the card belongs to the talk it asks about: its own heading is its context
            yield make_card(doc, node, f"Who gave the talk \u201c{title}\u201d?", talk[1], extractor=NAME,
                            score=0.5, context=" > ".join(p for p in (card_context(node), node.text) if p))
