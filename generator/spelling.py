"""Conservative typo repair for card text: `teminal` -> `terminal`, never `struct` -> `struck`.

Notes are typed fast; a card that says "insurence" looks broken. Only lower-case words
unknown to an English dictionary (pyspellchecker's) are touched, and only when one common
word, clearly likelier than any other, is a single insertion, deletion, transposition or
vowel swap away. Jargon survives: short words, names, words with digits or punctuation,
rare "fixes" (`inlining` is not `inclining`) and words the notes use more than once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from .cards import Card

MIN_LENGTH = 6
MIN_FREQUENCY = 1e-6  # the fix must be an everyday word (jargon fixes are rare words: "struts")
MIN_RATIO = 5.0  # ...and clearly the likeliest one
COMPOUND_PART = 1e-4  # "backend" = "back" + "end": two everyday words run together
VOWELS = frozenset("aeiouy")
_WORD = re.compile(r"(?<![\w./\\-])([a-z]{5,})(?![\w/\\-]|\.\w)")


@lru_cache(maxsize=1)
def _dictionary():  # type: ignore[no-untyped-def]
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def _small_edit(typo: str, word: str) -> bool:
    """One insertion/deletion, one transposition, or one vowel-for-vowel swap."""
    if abs(len(typo) - len(word)) == 1:
        return True
    if len(typo) != len(word):
        return False
    diff = [i for i, (a, b) in enumerate(zip(typo, word, strict=False)) if a != b]
    if len(diff) == 1:
        return typo[diff[0]] in VOWELS and word[diff[0]] in VOWELS
    return len(diff) == 2 and diff[1] == diff[0] + 1 and typo[diff[0]] == word[diff[1]] \
        and typo[diff[1]] == word[diff[0]]


class Speller:
    """Fixes typos in card text; words the notes use repeatedly count as intended."""

    def __init__(self, note_texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in note_texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        self._protected = {w for w, n in counts.items() if n > 1}
        # a plural of a word the notes use is intended too ("structs" beside "struct")
        self._protected |= {w for w in counts if w.rstrip("s") in counts and w.rstrip("s") != w}
        self._cache: dict[str, str | None] = {}

    def correction(self, word: str) -> str | None:
        """The fixed spelling of `word`, or None to keep it."""
        low = word.lower()
        if len(low) < MIN_LENGTH or low in self._protected:
            return None
        if low not in self._cache:
            sp = _dictionary()
            fix = None
            if not sp.known([low]) and not self._derived(low):
                options = sorted(((sp.word_usage_frequency(c), c) for c in (sp.candidates(low) or ())
                                  if c != low and c[0] == low[0] and _small_edit(low, c)), reverse=True)
                if options and options[0][0] >= MIN_FREQUENCY and (
                        len(options) == 1 or options[0][0] >= MIN_RATIO * options[1][0]):
                    fix = options[0][1]
            self._cache[low] = fix
        fix = self._cache[low]
        if fix is None:
            return None
        return fix

    @staticmethod
    def _derived(word: str) -> bool:
        """`sharding`, `inlining`, `structs`, `backend`: a known word plus an ending, or two known
        words run together, is jargon, not a typo."""
        sp = _dictionary()
        for ending in ("ing", "ed", "es", "s"):
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 3 and sp.known([stem, stem + "e"]):
                return True
        return any(min(sp.word_usage_frequency(word[:k]), sp.word_usage_frequency(word[k:])) >= COMPOUND_PART
                   for k in range(3, len(word) - 2))

    def fix(self, text: str) -> str:
        """`text` with its typos repaired."""
        return _WORD.sub(lambda m: self.correction(m.group(1)) or m.group(1), text)

    def fix_card(self, card: Card) -> Card:
        """The card with question, answer and list items repaired."""
        return replace(card, question=self.fix(card.question), answer=self.fix(card.answer),
                       items=tuple(self.fix(i) for i in card.items))
