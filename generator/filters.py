"""Card-list passes after extraction: drop unusable cards, apply the score floor, merge duplicates.

An ordered list of plain functions `list[Card] -> list[Card]`, applied by `apply`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from .cards import CLOZE, Card, empty_side, identity_text, question_key
from .language import has_content, shares_all_words
from .markup import live_clozes

Filter = Callable[[list[Card]], list[Card]]


def drop_empty(cards: list[Card]) -> list[Card]:
    """Cards with an empty side (`cards.empty_side`) teach nothing and break review."""
    return [c for c in cards if empty_side(c) is None]


def drop_dead_clozes(cards: list[Card]) -> list[Card]:
    """A cloze card whose deletions do not all parse as deletions of its text (one sits in math,
    code, a link's URL or title, an image's alt text or a raw tag) would break its HTML or
    show no blank: no extractor's card may put a cloze there."""
    return [c for c in cards if c.type != CLOZE or live_clozes(c.question)]


AUTHORED = frozenset({"explicit"})
"""Extractors whose cards the author wrote word for word: no pass second-guesses them."""


def drop_giveaways(cards: list[Card]) -> list[Card]:
    """A card must teach something: its answer needs a content word the front does not show.
    A card the author wrote is kept ("Which is faster, TCP or UDP? :: UDP" asks a choice, "Is
    TCP reliable? :: Yes" has its answer) unless its back only repeats its front."""
    return [c for c in cards if (c.extractor in AUTHORED and _norm(c.answer) != _norm(c.question))
            or (has_content(c.answer) and not shares_all_words(c.question, c.answer))]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def min_score(threshold: float) -> Filter:
    """Keep cards whose score reaches `threshold`."""

    def keep(cards: list[Card]) -> list[Card]:
        return [c for c in cards if c.score >= threshold]

    keep.__doc__ = f"Keep cards scoring at least {threshold}."
    return keep


def merge_duplicates(cards: list[Card], keys: Sequence[int] | None = None) -> list[Card]:
    """One card per (question, context) and per (answer, source line): the best-scored wins.

    Two extractors often find the same fact; keeping both would give the learner the same
    card twice (and two notes with one GUID). `keys`: each card's `cards.question_key`, when
    known (the workers that extracted the files worked them out); a key two different
    questions share is told apart by their texts, so the merge is always by text.
    """
    if keys is None:
        keys = [question_key(card) for card in cards]
    mixed = _mixed_keys(cards, keys)
    best: dict[object, int] = {}
    keep: list[Card | None] = []
    # A card's answer can only clash with another card's from its line: most lines have one.
    per_line = Counter((card.source.path, card.source.line) for card in cards)
    for card, key in zip(cards, keys, strict=True):  # (written out: once per card of a deck of 100,000)
        asked: object = key if key not in mixed else _asked(card)
        answered = ("a", identity_text(card.answer), card.source.path, card.source.line) \
            if per_line[card.source.path, card.source.line] > 1 else None
        clash = best.get(asked)
        if clash is None or keep[clash] is None:
            clash = best.get(answered) if answered is not None else None
            if clash is not None and keep[clash] is None:
                clash = None
        if clash is not None:
            other = keep[clash]
            assert other is not None
            if card.score <= other.score:
                continue
            keep[clash] = None
        keep.append(card)
        best[asked] = len(keep) - 1
        if answered is not None:
            best[answered] = len(keep) - 1
    return [c for c in keep if c is not None]


def _asked(card: Card) -> tuple[str, str, str]:
    """What `merge_duplicates` merges questions on, as text."""
    return ("q", identity_text(card.question), identity_text(card.context))


def _mixed_keys(cards: list[Card], keys: Sequence[int]) -> set[int]:
    """The question keys different questions share (a 64-bit clash: in practice none)."""
    counts = Counter(keys)
    if len(counts) == len(keys):
        return set()
    asked: dict[int, set[tuple[str, str, str]]] = {}
    for card, key in zip(cards, keys, strict=True):
        if counts[key] > 1:
            asked.setdefault(key, set()).add(_asked(card))
    return {key for key, texts in asked.items() if len(texts) > 1}


FALLBACK_EXTRACTORS = frozenset({"statement"})
# Cards about one aspect of a line (what an acronym stands for, who made it, the list of its
# children) leave room for a card about the line's own claim.
ASPECT_EXTRACTORS = frozenset({"acronym", "attribution", "list"})
OVERLAP = 0.5


def _content(text: str) -> set[str]:
    return {w for w in identity_text(text).split() if len(w) > 2}


def merge_same_line(cards: list[Card]) -> list[Card]:
    """Per source line, keep the best card, plus others only when they teach something else.

    Another card from the same line survives when its answer shares less than half its
    words with every kept answer; a catch-all `statement` card joins a line that already has
    a card from a more specific extractor only when it asks about something else entirely.
    """
    lines = [(card.source.path, card.source.line) for card in cards]
    per_line = Counter(lines)
    if len(per_line) == len(cards):  # a card a line (most decks): nothing to compare
        return list(cards)
    by_line: dict[tuple[str, int], list[Card]] = {}
    for card, line in zip(cards, lines, strict=True):
        if per_line[line] > 1:
            by_line.setdefault(line, []).append(card)
    drop: set[int] = set()
    for group in by_line.values():
        kept: list[Card] = []
        for card in sorted(group, key=lambda c: (-c.score, c.extractor in FALLBACK_EXTRACTORS)):
            words = _content(card.answer)
            if card.extractor in FALLBACK_EXTRACTORS and any(
                    k.extractor not in ASPECT_EXTRACTORS | FALLBACK_EXTRACTORS
                    and _overlap(words, _content(k.answer) | _content(k.question)) > 0 for k in kept):
                continue  # the catch-all restating a specific card's line
            if any(_overlap(words, _content(k.answer)) >= OVERLAP for k in kept):
                continue
            kept.append(card)
        kept_ids = {id(c) for c in kept}
        drop.update(id(c) for c in group if id(c) not in kept_ids)
    return [c for c in cards if id(c) not in drop]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def sort_by_source(cards: list[Card]) -> list[Card]:
    """Source order (file, line), so output follows the notes and is deterministic."""
    return sorted(cards, key=lambda c: (c.source.path, c.source.line, c.source.end_line, c.type,
                                        c.question))


def per_file_filters(threshold: float = 0.0) -> list[Filter]:
    """The passes that look at one file's cards alone: run (and cached) file by file."""
    return [drop_empty, drop_dead_clozes, drop_giveaways, min_score(threshold), sort_by_source]


def across_files(cards: list[Card], keys: Sequence[int] | None = None) -> list[Card]:
    """The passes that compare cards of different files, run on the whole deck; `keys`: the
    cards' question keys, when known (see `merge_duplicates`)."""
    return merge_same_line(merge_duplicates(cards, keys))


def default_filters(threshold: float = 0.0) -> list[Filter]:
    """The standard passes, in order. Files are read in path order, so sorting each file's
    cards then joining them equals sorting all of them."""
    return [*per_file_filters(threshold), across_files]


def apply(cards: list[Card], filters: list[Filter]) -> list[Card]:
    """Run `filters` in order."""
    for f in filters:
        cards = f(cards)
    return cards
