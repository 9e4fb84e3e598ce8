"""English text helpers shared by all extractors: sentences, subjects, articles, filler words.

Written once here so every extractor phrases questions the same way.
"""

from __future__ import annotations

import re

QUESTION_WORDS = (
    "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "is", "are", "was",
    "were", "does", "do", "did", "can", "could", "should", "would", "will", "name", "list",
)
PRONOUNS = frozenset(
    "i you he she it we they this that these those there here which who what someone something "
    "one me him her us them my your his its our their".split()
)
# Words that only soften a statement; dropped from answers ("just 2 word structs").
FILLER = ("just", "basically", "simply", "actually", "really", "essentially", "pretty much", "kind of",
          "sort of", "literally")
_FILLER_RE = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FILLER) + r")\b\s*", re.I)
# Markers of an opinion, aside or summary rather than a fact.
OPINION_RE = re.compile(
    r"^(tl;?dr|tldr|note to self|todo|fixme|imo|imho|lol)\b|\b(i think|i feel|i want|i need|i have|"
    r"i was|i am|i'm|i would|i will|i'll|i've|i liked|i love|i like|i don't|i dont|my opinion|"
    r"was kinda|kinda|lol|wow)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
_TRAILING = re.compile(r"[\s,;:.\-–—]+$")
_ARROW = re.compile(r"\s+(?:->|=>|→)\s+")
_PARENTHETICAL_END = re.compile(r"\s*\([^()]*\)\s*$")


def sentences(text: str) -> list[str]:
    """Split text into sentences (keeps abbreviations like `e.g.` mostly intact)."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def clean_phrase(text: str) -> str:
    """Trim trailing punctuation and surrounding space from a phrase."""
    return _TRAILING.sub("", text.strip())


def strip_filler(text: str) -> str:
    """Drop softening words ("just", "basically") from an answer."""
    return " ".join(_FILLER_RE.sub("", text).split())


def first_clause(text: str) -> str:
    """The part of an answer before an arrow aside (`X -> use Y`)."""
    return _ARROW.split(text, maxsplit=1)[0]


def drop_trailing_parenthetical(text: str) -> str:
    """`Escape analysis (what is this)` -> `Escape analysis`."""
    return _PARENTHETICAL_END.sub("", text).strip() or text


def is_opinion(text: str) -> bool:
    """True for asides, summaries and first-person opinions that make poor cards."""
    return bool(OPINION_RE.search(text))


def words(text: str) -> list[str]:
    """Whitespace-separated words."""
    return text.split()


def is_question(text: str) -> bool:
    """True for text that already asks something (`Why GraphQL?`)."""
    s = text.strip()
    return s.endswith("?") and bool(s) and s.split()[0].lower().strip("¿\"“") in QUESTION_WORDS


def looks_plural(phrase: str) -> bool:
    """Rough number of a noun phrase, from its head noun (the word before `of`/`in`/...)."""
    head = re.split(r"\s+(?:of|in|for|on|with|from|to|by|at|about)\s+", phrase.strip(), maxsplit=1)[0]
    last = head.split()[-1] if head.split() else ""
    low = last.lower().strip(".,;:()\"“”'")
    if not low or (low.isupper() and len(low) <= 5):
        return last.endswith("s") and last[:-1].isupper()  # acronyms: "APIs", not "SSA"
    if low.endswith(("ss", "us", "is", "ics")):
        return low.endswith("ics") and low not in ("physics", "mathematics", "economics", "logic")
    return low.endswith("s") or low in ("people", "children", "men", "women", "data", "criteria")


def subject_case(subject: str, plural: bool) -> str:
    """Lower-case a sentence-initial common noun (`Interfaces in Go` -> `interfaces in Go`).

    Only plural capitalised words are lowered: a capitalised singular subject is most often
    a name (`Charm`, `Delve`) and keeps its case; acronyms and camel case always keep theirs.
    """
    first, _, rest = subject.partition(" ")
    if plural and first[:1].isupper() and first[1:].islower():
        first = first.lower()
    return f"{first} {rest}".strip()


def what_question(subject: str, plural: bool | None = None) -> str:
    """`What is X?` / `What are X?` with the verb agreeing with the subject."""
    subject = clean_phrase(subject)
    plural = looks_plural(subject) if plural is None else plural
    return f"What {'are' if plural else 'is'} {subject_case(subject, plural)}?"


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only (`the list` -> `The list`)."""
    return text[:1].upper() + text[1:] if text else text
