"""Phrase clean-up and line classification shared by the extractors and the pipeline.

Sentences, filler and bracket trimming, math spans, and the tests that set aside opinions,
fragments, questions and author-written card syntax. `language` re-exports every name here.
"""

from __future__ import annotations

import functools
import re

from .lexicon import DETERMINERS, OPINION_STARTS, OPINION_WORDS

QUESTION_WORDS = frozenset({
    "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "is", "are", "was", "were",
    "does", "do", "did", "can", "could", "should", "would", "will", "name", "list",
})
# Words that only soften a statement; dropped from answers ("just 2 word structs").
FILLER = ("just", "basically", "simply", "actually", "really", "essentially", "pretty much", "kind of",
          "sort of", "literally")
_FILLER_RE = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FILLER) + r")\b\s*", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
_TRAILING = re.compile(r"[\s,;:.\-–—]+$")
# A dash or dot right before a number, word or formula is its sign or decimal point, not
# punctuation to trim: "-1", "-log[H+]", ".5 mm" keep it.
_LEADING = re.compile(r"^(?:[\s,;:…]|\.{2,}|[.\-–—](?![\w$\\(\[]))+")
_ARROW = re.compile(r"\s+(?:->|=>|→)\s+")
_PARENTHETICAL_END = re.compile(r"\s*\([^()]*\)\s*$")
_EMOTICON = re.compile(r"\s*(?::\)|:\(|:D|:P|;\)|\(!+\)|!{2,})\s*")
# Parenthetical asides that ask instead of tell: "(what is this)", "(go has union types?)".
OPEN_QUESTION = re.compile(r"\((?:[^()]*\?|\s*(?:what|why|how|who|which|where|when)\b[^()]*)\)", re.I)


# Math in notes: $$display$$, \[display\], \(inline\), $inline$ (not "$5 and $10").
MATH = re.compile(
    r"(?P<display>\$\$(?P<d1>.+?)\$\$|\\\[(?P<d2>.+?)\\\])"
    r"|(?P<inline>\\\((?P<i1>.+?)\\\)|(?<![\\$\w])\$(?=\S)(?P<i2>[^$\n]+?)(?<=\S)\$(?![\w$]))",
    re.S,
)


def in_math(text: str, start: int, end: int) -> bool:
    """True when text[start:end] overlaps a math span (its `=` or `-` is an operator, not prose)."""
    return any(m.start() < end and start < m.end() for m in MATH.finditer(text))


def sentences(text: str) -> list[str]:
    """Split text into sentences (keeps abbreviations like `e.g.` mostly intact)."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@functools.lru_cache(maxsize=1 << 16)
def clean_phrase(text: str) -> str:
    """Trim leading/trailing punctuation, emoticons and space from a phrase."""
    return _LEADING.sub("", _TRAILING.sub("", _EMOTICON.sub(" ", text).strip())).strip()


@functools.lru_cache(maxsize=1 << 16)
def strip_filler(text: str) -> str:
    """Drop softening words ("just", "basically") from an answer."""
    return " ".join(_FILLER_RE.sub("", text).split())


def first_clause(text: str) -> str:
    """The part of an answer before an arrow aside (`X -> use Y`)."""
    return _ARROW.split(text, maxsplit=1)[0]


@functools.lru_cache(maxsize=1 << 16)
def drop_trailing_parenthetical(text: str) -> str:
    """`Escape analysis (what is this)` -> `Escape analysis`."""
    return _PARENTHETICAL_END.sub("", text).strip() or text


def drop_open_questions(text: str) -> str:
    """Remove parenthetical asides that ask rather than tell."""
    return " ".join(OPEN_QUESTION.sub(" ", text).split())


@functools.lru_cache(maxsize=1 << 16)
def bare(word: str) -> str:
    """A word lower-cased without surrounding punctuation (`“Order”,` -> `order`)."""
    return word.strip(".,;:!?()[]{}\"'“”‘’`*_…").lower().replace("’", "'")


_INTERJECTION = re.compile(r"\(\s*(?:wow|lol|!+|\?+|haha|yay|meh|ugh|omg|nice|cool)\s*[!?.]*\s*\)", re.I)


@functools.lru_cache(maxsize=1 << 14)
def is_opinion(text: str) -> bool:
    """True for asides, summaries and first-person reactions that make poor cards.

    A bracketed interjection ("(wow)") is only an aside on a fact, so it does not count."""
    low = _INTERJECTION.sub(" ", text).strip().lower().lstrip("•-*…. ")
    if any(low.startswith(o) and not low[len(o):len(o) + 1].isalpha() for o in OPINION_STARTS):
        return True
    ws = {bare(w) for w in low.split()}
    return bool(ws & OPINION_WORDS)


@functools.lru_cache(maxsize=1 << 14)
def is_fragment(text: str) -> bool:
    """True for lines too thin to hold a fact ("The end…", a lone word)."""
    content = [w for w in (bare(w) for w in text.split()) if w and w not in DETERMINERS]
    return len(content) < 2 or (text.rstrip().endswith(("…", "...")) and len(content) < 6)


def is_noise(text: str) -> bool:
    """Lines no card should come from: opinions, asides, fragments."""
    return is_opinion(text) or is_fragment(text)


_EXPLICIT = re.compile(r"\s:::?\s|^(?:Q|A|Question|Answer)\s*[:.]\s|==\S|\{\{c\d+::", re.I)


def is_explicit_syntax(text: str) -> bool:
    """`front :: back`, `Q:` / `A:` lines and marked cloze (`==x==`, `{{c1::x}}`): cards the author
    wrote, for the explicit and cloze extractors."""
    return bool(_EXPLICIT.search(text.strip()))


def is_question(text: str) -> bool:
    """True for text that already asks something (`Why GraphQL?`)."""
    s = text.strip()
    return s.endswith("?") and bool(s) and bare(s.split()[0]).strip("¿") in QUESTION_WORDS


def spells(acronym: str, expansion: str) -> bool:
    """Whether `expansion` is a whole expansion of `acronym`: the initials of its words, small
    words optional, give the acronym's letters ("Bottleneck Bandwidth and Round-trip" is not
    the whole of BBR's "... propagation time")."""
    letters = re.sub(r"[^a-z0-9]", "", acronym.lower())
    words = [w for w in re.split(r"[\s/-]+", expansion.lower()) if w]
    small = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "&"}

    def match(i: int, j: int) -> bool:
        if i == len(letters):
            return all(w in small for w in words[j:])
        if j == len(words):
            return False
        w = words[j]
        if w in small and match(i, j + 1):
            return True
        if w[:1] != letters[i]:
            return False
        at, k = 1, i + 1  # a word may give more letters in order: HyperText -> H, T
        while True:
            if match(k, j + 1):
                return True
            if k == len(letters) or (at := w.find(letters[k], at) + 1) == 0:
                return False
            k += 1

    return bool(letters) and match(0, 0)
