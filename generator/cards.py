"""The card: what extractors produce and writers consume, field for field the interchange format.

The interchange format is JSON Lines, one `Card.to_json` record a line, with exactly the keys
`guid, deck, type, question, answer, context, tags, extractor, score, source` in that order
(`source`: the notes file's `path` and the 1-based `line` and `end_line`); the README's `extract`
entry documents it for users.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .ids import stable_id
from .markup import DELETION

BASIC = "basic"
REVERSED = "reversed"
CLOZE = "cloze"
LIST = "list"
CARD_TYPES = (BASIC, REVERSED, CLOZE, LIST)
LIST_SEPARATOR = "; "
CONFIDENT = 0.6
"""Cards an extractor scores below this are *suggestions*: not in the deck until accepted
(`notedeck review`, `notedeck accept`), listed by `notedeck extract --suggestions`. Scores are
calibrated on blind ratings: at or above it, raters kept most of an extractor's cards."""
REMOVED_TAG = "notedeck::removed"
"""Tag of a tombstone card: one that left the notes (see `notedeck build --tombstones`)."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a card came from in the notes."""

    path: str
    """The notes file, as given on the command line or in the config."""
    line: int
    """1-based first line the card was made from."""
    end_line: int
    """1-based last line the card was made from."""


@dataclass(frozen=True, slots=True)
class Card:
    """One flashcard (note, in Anki's terms)."""

    question: str
    """Front: a question (or, for cloze, the text with `{{c1::...}}` deletions)."""
    answer: str
    """Back (list: items joined by `; `; cloze: the deleted texts joined by `; `)."""
    source: Source
    """File and lines the card was made from."""
    type: str = BASIC
    """`basic`, `reversed`, `cloze` or `list`."""
    context: str = ""
    """Breadcrumb of the headings above the source (`Day 2 > Interface Internals`)."""
    extractor: str = ""
    """Name of the extractor that made the card."""
    score: float = 0.5
    """The extractor's confidence that this is a card worth keeping, 0..1."""
    tags: tuple[str, ...] = ()
    """Anki tags (no spaces)."""
    deck: str = ""
    """Deck name (`Parent::Child` allowed); set by the pipeline."""
    guid: str = ""
    """Stable identity (see `card_guid`); set by the pipeline."""
    items: tuple[str, ...] = field(default=(), compare=False)
    """List cards: the answer's items, so writers need not re-split `answer`."""

    def to_json(self) -> dict[str, Any]:
        """The interchange-format record for this card, keys in the format's order (module docstring)."""
        return {
            "guid": self.guid,
            "deck": self.deck,
            "type": self.type,
            "question": self.question,
            "answer": self.answer,
            "context": self.context,
            "tags": list(self.tags),
            "extractor": self.extractor,
            "score": round(self.score, 3),
            "source": {"path": self.source.path, "line": self.source.line,
                       "end_line": self.source.end_line},
        }


# Each field's slot, set directly: `new_card` and `new_source` build the frozen dataclasses
# without going through their generated `__init__` (a call per field to `object.__setattr__`).
(_SET_QUESTION, _SET_ANSWER, _SET_SOURCE, _SET_TYPE, _SET_CONTEXT, _SET_EXTRACTOR, _SET_SCORE, _SET_TAGS,
 _SET_DECK, _SET_GUID, _SET_ITEMS) = (getattr(Card, name).__set__ for name in Card.__dataclass_fields__)
_SET_PATH, _SET_LINE, _SET_END_LINE = (getattr(Source, name).__set__ for name in Source.__dataclass_fields__)


def new_card(question: str, answer: str, source: Source, type: str, context: str, extractor: str,
             score: float, tags: tuple[str, ...], deck: str, guid: str, items: tuple[str, ...]) -> Card:
    """`Card(...)` with every field given, built in half the time: for the paths that make one
    per card of a big deck (decoding the cache, placing, giving identities, tagging)."""
    card = object.__new__(Card)
    _SET_QUESTION(card, question)
    _SET_ANSWER(card, answer)
    _SET_SOURCE(card, source)
    _SET_TYPE(card, type)
    _SET_CONTEXT(card, context)
    _SET_EXTRACTOR(card, extractor)
    _SET_SCORE(card, score)
    _SET_TAGS(card, tags)
    _SET_DECK(card, deck)
    _SET_GUID(card, guid)
    _SET_ITEMS(card, items)
    return card


def new_source(path: str, line: int, end_line: int) -> Source:
    """`Source(path, line, end_line)`, built as `new_card` builds a card."""
    source = object.__new__(Source)
    _SET_PATH(source, path)
    _SET_LINE(source, line)
    _SET_END_LINE(source, end_line)
    return source


@functools.lru_cache(maxsize=1 << 16)
def identity_text(text: str) -> str:
    """Text reduced to what identifies it: case, accents, punctuation and spacing dropped.
    Memoised: the filters ask for the same card texts many times."""
    if not text.isascii():  # ASCII has no accents to drop
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


_NOT_WORD = re.compile(r"[^\w\s]")


def question_key(card: Card) -> int:
    """What `filters.merge_duplicates` merges cards of different files on (question and
    context, as identity texts), as a 64-bit number."""
    text = f"{identity_text(card.question)}\x00{identity_text(card.context)}"
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def card_guid(card: Card) -> str:
    """A GUID from what the card asks and where: stable when lines move or the answer changes."""
    return stable_id("notedeck-card", card.type, identity_text(card.question),
                     identity_text(card.context))


def with_identity(card: Card, deck: str, tags: tuple[str, ...]) -> Card:
    """The card placed in `deck` with its GUID and the deck's tags added."""
    merged = tuple(dict.fromkeys((*card.tags, *tags))) if card.tags or tags else ()
    return new_card(card.question, card.answer, card.source, card.type, card.context, card.extractor,
                    card.score, merged, deck, card_guid(card), card.items)  # not by `replace`: per card


@dataclass(frozen=True, slots=True)
class Deck:
    """A named set of cards ready for the writers."""

    name: str
    """Deck name as Anki shows it (`Parent::Child` nests)."""
    cards: tuple[Card, ...]
    """The cards, in source order."""
    description: str = ""
    """Shown in Anki's deck overview."""


def is_suggestion(card: Card) -> bool:
    """Whether a card stays out of the deck until a person accepts it (see `CONFIDENT`)."""
    return card.score < CONFIDENT


def empty_side(card: Card) -> str | None:
    """Why `card` would show an empty side, or None. One rule for every place that asks: the
    filters drop such cards, `notedeck check` reports them (cards added or edited in the review
    file skip the filters), and `fields.empty_front` applies it to the rendered front."""
    if not card.question.strip():
        return "card with an empty question"
    if card.type == CLOZE:
        deletions = any(m.group(1).strip() for m in DELETION.finditer(card.question))
        return None if deletions else "cloze card without a deletion"
    if card.type == LIST:
        items = any(i.strip() for i in card.items) or card.answer.strip()
        return None if items else "list card without items"
    return None if card.answer.strip() else f"card with an empty answer: {card.question!r}"
