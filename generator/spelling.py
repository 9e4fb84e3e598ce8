"""Conservative typo repair for card text: `teminal` -> `terminal`, never `struct` -> `struck`.

Notes are typed fast; a card that says "insurence" looks broken. Only lower-case words
unknown to an English dictionary (pyspellchecker's) are touched, and only when one common
word, clearly likelier than any other, is a single insertion, deletion, transposition or
vowel swap away. Jargon survives: short words, names, words with digits or punctuation,
rare "fixes" (`inlining` is not `inclining`) and words the notes use more than once.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import marshal
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .cache import seal, store, unseal
from .cards import Card
from .markup import EMPHASIS

MIN_LENGTH = 6
MIN_FREQUENCY = 1e-6  # the fix must be an everyday word (jargon fixes are rare words: "struts")
MIN_RATIO = 5.0  # ...and clearly the likeliest one
COMPOUND_PART = 1e-4  # "backend" = "back" + "end": two everyday words run together
VOWELS = frozenset("aeiouy")
_WORD = re.compile(r"(?<![\w./\\-])([a-z]{5,})(?![\w/\\-]|\.\w)")


@dataclass(frozen=True)
class _Words:
    """pyspellchecker's English words and how often each is used (what this module reads of its
    `WordFrequency`, whichever way it was read)."""

    dictionary: dict[str, int]
    total_words: int
    pairs: frozenset[str]
    """Every two characters a word has side by side (kept with the copy: working them out
    takes a while; see `_insertions`)."""

    @classmethod
    def of(cls, counts: dict[str, int], total: int) -> _Words:
        """The words with their letter pairs worked out (then kept with the copy)."""
        return cls(counts, total, frozenset(w[i:i + 2] for w in counts for i in range(len(w) - 1)))

    @property
    def letters(self) -> set[str]:
        """Every character the words use (as pyspellchecker's `letters`)."""
        return set("".join(self.dictionary))


_LOADED: list[_Words] = []
"""The English dictionary once read (one per process: it is the same wherever it came from)."""


def _dictionary() -> _Words:
    """The English dictionary (read on first use, see `load_dictionary`)."""
    if not _LOADED:
        load_dictionary(None)
    return _LOADED[0]


def load_dictionary(folder: Path | None) -> None:
    """Read the English dictionary unless it was read already: from `folder`'s copy when there
    is one (a marshalled word list loads in a third of the time), else from pyspellchecker's
    word list directly (building a `SpellChecker` also lower-cases and counts every word
    again), keeping a copy in `folder`. Another layout of the package: its own `SpellChecker`."""
    if _LOADED:
        return
    raw = _word_list()
    copy = folder / "words" / f"en3-{hashlib.sha256(raw).hexdigest()[:16]}" if folder and raw else None
    words = _read_copy(copy) if copy is not None else None
    if words is None and raw is not None:
        try:
            counts: dict[str, int] = json.loads(gzip.decompress(raw))
            if not "".join(counts).islower():  # as `SpellChecker` reads it: case folded
                counts = {w.lower(): n for w, n in counts.items()}
            words = _Words.of(counts, sum(counts.values()))
        except (OSError, ValueError, TypeError, AttributeError):
            words = None
        if words is not None and copy is not None:
            kept = (words.dictionary, words.total_words, words.pairs)
            store(copy, seal(marshal.dumps(kept)))
    if words is None:
        from spellchecker import SpellChecker

        theirs = SpellChecker(distance=1).word_frequency
        words = _Words.of(dict(theirs.dictionary), theirs.total_words)
    _LOADED.append(words)


def _word_list() -> bytes | None:
    """pyspellchecker's English word list (gzipped JSON), or None. Found without importing the
    package when it is a folder on disk, as installed (its import costs a rebuild 7 ms)."""
    spec = importlib.util.find_spec("spellchecker")
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    try:
        for folder in folders:
            path = Path(folder) / "resources" / "en.json.gz"
            if path.is_file():
                return path.read_bytes()
        return (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    except (OSError, ModuleNotFoundError):
        return None


def _read_copy(path: Path) -> _Words | None:
    """The word list kept at `path`, or None when it is missing or damaged."""
    try:
        payload = unseal(path.read_bytes())
        if payload is None:
            return None
        counts, total, pairs = marshal.loads(payload)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    ok = isinstance(counts, dict) and isinstance(total, int) and isinstance(pairs, frozenset)
    return _Words(counts, total, pairs) if ok else None


@lru_cache(maxsize=1)
def _frequent() -> dict[str, float]:
    """The words that can matter as fixes, with their frequency. A word rarer than
    MIN_FREQUENCY / MIN_RATIO can neither be a fix nor outweigh one, so it is left out."""
    words = _dictionary()
    total = words.total_words
    return {w: n / total for w, n in words.dictionary.items() if _can_fix(w, n, total)}


def _can_fix(word: str, uses: int, total: int) -> bool:
    """Whether a dictionary word is long and common enough to be a fix (see `_frequent`)."""
    return len(word) >= MIN_LENGTH - 1 and uses / total >= MIN_FREQUENCY / MIN_RATIO


@lru_cache(maxsize=1)
def _missing_letter_index() -> dict[str, list[str]]:
    """Each frequent word with one letter (not the first) deleted -> the word: a typo missing
    a letter is then one lookup, not an insertion of every letter at every position."""
    missing: dict[str, list[str]] = {}
    for w in _frequent():
        for i in range(1, len(w)):
            missing.setdefault(w[:i] + w[i + 1:], []).append(w)
    return missing


@lru_cache(maxsize=1)
def _neighbours() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """For each letter, the letters that follow it somewhere in a dictionary word, and those
    that come before it: a letter inserted where either pair occurs in no word makes no word."""
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for pair in _dictionary().pairs:
        after.setdefault(pair[0], set()).add(pair[1])
        before.setdefault(pair[1], set()).add(pair[0])
    return ({k: frozenset(v) for k, v in after.items()}, {k: frozenset(v) for k, v in before.items()})


def _insertions(word: str) -> set[str]:
    """`word` with one letter inserted (not before its first), each a possible dictionary word:
    only letters that may follow the letter before and precede the letter after."""
    after, before = _neighbours()
    nothing: frozenset[str] = frozenset()
    found: set[str] = set()
    for i in range(1, len(word) + 1):
        fits = after.get(word[i - 1], nothing)
        if i < len(word):
            fits = fits & before.get(word[i], nothing)
        head, tail = word[:i], word[i:]
        found.update(head + c + tail for c in fits)
    return found


INDEX_AFTER = 1000
"""Distinct words looked up before the missing-letter index pays for its build (short runs skip it)."""


def _near(word: str) -> set[str]:
    """Every frequent word one small edit from `word` that keeps its first letter: one
    insertion, deletion, adjacent transposition or vowel-for-vowel swap."""
    many = typo_fix.cache_info().misses > INDEX_AFTER
    frequent = _frequent() if many else None  # a few words (one edited file): no 160,000-word filter
    # the typo lacks a letter of the word: looked up in the index (many words), else every
    # insertion that can make a word is tried (a few words, one edited file: cheaper)
    found = set(_missing_letter_index().get(word, ())) if many else _insertions(word)
    for i in range(1, len(word)):
        head, tail = word[:i], word[i:]
        found.add(head + tail[1:])  # the typo has a letter too many
        if len(tail) > 1:
            found.add(head + tail[1] + tail[0] + tail[2:])  # two letters swapped
        if tail[0] in VOWELS:
            found.update(head + v + tail[1:] for v in VOWELS)  # the wrong vowel
    found.discard(word)
    if frequent is None:  # the same words as `_frequent` keeps, asked of the dictionary
        counts, total = _dictionary().dictionary, _dictionary().total_words
        return {w for w in found if w in counts and _can_fix(w, counts[w], total)}
    return frequent.keys() & found  # C-level, iterating the smaller side


@lru_cache(maxsize=1 << 16)
def typo_fix(word: str) -> str | None:
    """The common word the lower-case `word` is an obvious typo of, or None. Pure, so cached
    across files: a vault's jargon is looked up once, not once per file."""
    if word in _dictionary().dictionary or _derived(word):
        return None
    total = _dictionary().total_words
    counts = _dictionary().dictionary
    options = sorted(((counts[c] / total, c) for c in _near(word)), reverse=True)
    if options and options[0][0] >= MIN_FREQUENCY and (
            len(options) == 1 or options[0][0] >= MIN_RATIO * options[1][0]) \
            and not _variant(word, options[0][1]):
        return options[0][1]
    return None


# British spellings one edit from the American ones the dictionary knows.
_VARIANTS = (("our", "or"), ("lled", "led"), ("lling", "ling"), ("ller", "ler"), ("ae", "e"), ("oe", "e"),
             ("tre", "ter"), ("ogue", "og"),
             ("ise", "ize"), ("yse", "yze"), ("ence", "ense"))


def _variant(word: str, fix: str) -> bool:
    """Whether `word` is another spelling of `fix` (colour/color, labour/labor, travelled/
    traveled, centre/center): a real word written the British way, not a typo to repair."""
    for british, american in _VARIANTS:
        at = word.find(british)
        while at != -1:
            if word[:at] + american + word[at + len(british):] == fix:
                return True
            at = word.find(british, at + 1)
    return False


def _derived(word: str) -> bool:
    """`sharding`, `inlining`, `structs`, `backend`: a known word plus an ending, or two known
    words run together, is jargon, not a typo. (Plain dictionary lookups: pyspellchecker's
    `known` and `word_usage_frequency` say the same for lower-case words, much slower.)"""
    words = _dictionary()
    counts, total = words.dictionary, words.total_words
    for ending in ("ing", "ed", "es", "s"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and (stem in counts or stem + "e" in counts):
            return True
    return any(min(counts.get(word[:k], 0), counts.get(word[k:], 0)) / total >= COMPOUND_PART
               for k in range(3, len(word) - 2))


_AS_WRITTEN = re.compile(EMPHASIS.pattern + r"|\"[^\"]*\"|“[^”]*”")
"""Spans set in italics, bold, code or quotes: their words are kept as the notes wrote them."""


class Speller:
    """Fixes typos in card text; words the notes use repeatedly count as intended."""

    def __init__(self, note_texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        as_written: set[str] = set()  # words the notes set in italics, bold, code or quotes
        for text in note_texts:
            counts.update(w.lower() for w in _WORD.findall(text))
            if "_" in text or "*" in text or "`" in text or '"' in text or "“" in text:
                for m in _AS_WRITTEN.finditer(text):
                    as_written.update(w.lower() for w in re.findall(r"[^\W\d_]+", m.group()))
        self._protected = {w for w, n in counts.items() if n > 1} | as_written
        # a plural of a word the notes use is intended too ("structs" beside "struct")
        self._protected |= {w for w in counts if w.rstrip("s") in counts and w.rstrip("s") != w}
        self._fixes: dict[str, str | None] = {}  # word as written -> its fix (None: keep it)

    def correction(self, word: str) -> str | None:
        """The fixed spelling of `word`, or None to keep it."""
        low = word.lower()
        if len(low) < MIN_LENGTH or low in self._protected:
            return None
        return typo_fix(low)

    def _fix_of(self, word: str) -> str | None:
        """`correction`, remembered: a file's cards repeat its words."""
        if word not in self._fixes:
            self._fixes[word] = self.correction(word)
        return self._fixes[word]

    def fix(self, text: str) -> str:
        """`text` with its typos repaired (most texts have none: they are returned as they are,
        without the per-word callback of a substitution). Words the notes set in italics, bold,
        code or quotes are kept (see `__init__`): a title ("_De pictura_") is no typo."""
        if not any(self._fix_of(w) for w in _WORD.findall(text)):
            return text
        return _WORD.sub(lambda m: self._fix_of(m.group(1)) or m.group(1), text)

    def fix_card(self, card: Card) -> Card:
        """The card with question, answer and list items repaired (the card itself when nothing
        needed it, as for most)."""
        question, answer = self.fix(card.question), self.fix(card.answer)
        items = tuple(self.fix(i) for i in card.items)
        if question == card.question and answer == card.answer and items == card.items:
            return card
        return replace(card, question=question, answer=answer, items=items)


def known_word(word: str) -> bool:
    """Whether the lower-case `word` is in the English dictionary ("addresses"; also some names,
    "vienna"). A word it lacks ("nicopolis") is most likely a name, to keep capitalised."""
    return word in _dictionary().dictionary
