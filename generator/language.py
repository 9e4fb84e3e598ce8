"""English helpers shared by all extractors: sentences, clauses, subjects, noise, question forms.

Written once so every extractor phrases questions the same way. Word lists live in `lexicon.py`;
phrase clean-up in `phrases.py`, verbs and clauses in `grammar.py`; this module holds the
noun-phrase and question rules and re-exports the other two, so callers import from one place.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from .grammar import (
    AUX,
    MAX_SUBJECT_WORDS,
    Clause,
    clause,
    do_support,
    past_form,
    third_person,
    verb_base,
)
from .lexicon import (
    ADVERBS,
    ARTICLES,
    CONJUNCTIONS,
    DETERMINERS,
    MODALS,
    NEGATIONS,
    PREPOSITIONS,
    PRONOUNS,
    VAGUE_SUBJECTS,
)
from .phrases import (
    FILLER,
    MATH,
    OPEN_QUESTION,
    QUESTION_WORDS,
    bare,
    clean_phrase,
    drop_open_questions,
    drop_trailing_parenthetical,
    first_clause,
    in_math,
    is_explicit_syntax,
    is_fragment,
    is_noise,
    is_opinion,
    is_question,
    sentences,
    strip_filler,
)

# Unions tested word by word, built once.
_NEVER_NAMES = PRONOUNS | DETERMINERS
_NOT_SUBJECT_START = NEGATIONS | ADVERBS | CONJUNCTIONS
_NOT_SUBJECT_END = PREPOSITIONS | DETERMINERS | {"to"}
# A word token, for counting how the notes capitalise each word (`Casing`).
_WORD = re.compile(r"[\w'’./+#-]+")


# --- noun phrases and questions ------------------------------------------------------------------


# Fields of study end in -ics and are singular ("Genetics is..."); other -ics words are plural.
SINGULAR_ICS = frozenset({
    "physics", "mathematics", "economics", "genetics", "linguistics", "statistics", "ethics", "politics",
    "electronics", "robotics", "logistics", "athletics", "acoustics", "optics", "semantics", "phonetics",
    "informatics", "bioinformatics", "genomics", "aerodynamics", "thermodynamics", "mechanics", "dynamics",
    "metaphysics", "aesthetics", "pragmatics", "ergonomics", "analytics",
})


IRREGULAR_PLURALS = frozenset({
    "bacteria", "criteria", "phenomena", "mitochondria", "data", "media", "alumni", "fungi", "nuclei",
    "stimuli", "cacti", "larvae", "algae", "vertebrae", "indices", "matrices", "vertices", "appendices",
    "analyses", "theses", "hypotheses", "crises", "diagnoses", "axes", "formulae", "antennae", "curricula",
    "strata", "people", "children", "men", "women", "mice", "teeth", "feet", "geese", "oxen",
})


def looks_plural(phrase: str) -> bool:
    """Rough number of a noun phrase, from its head noun (the word before `of`/`in`/...)."""
    head = re.split(r"\s+(?:of|in|for|on|with|from|to|by|at|about|under|over|between|that|which|"
                    r"than|like|as)\s+", phrase.strip(), maxsplit=1)[0]
    head = drop_trailing_parenthetical(head)
    toks = head.split()
    if not toks:
        return False
    first = bare(toks[0])
    if first in ("these", "those", "many", "several", "both", "few", "all"):
        return True
    if first in ("a", "an", "this", "that", "each", "every", "one"):
        return False
    last = toks[-1].strip(".,;:()\"“”'’")
    low = last.lower()
    if len(last) > 1 and last[:-1].isupper() and last.endswith("s"):
        return True  # acronym plurals: "APIs", "GPUs"
    if last.isupper() or not low.isalpha():
        return False
    if low in IRREGULAR_PLURALS:
        return True
    if low.endswith(("ss", "us", "is", "ness", "ous")) or low in SINGULAR_ICS:
        return False
    return low.endswith("s")


class Casing:
    """Which capitalised words these notes use as names, from how they appear mid-sentence.

    Seen lower-case mid-sentence: a common word. Seen only capitalised mid-sentence: a name.
    Never seen mid-sentence: unknown (`subject_case` then decides from the phrase itself).
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts: list[str] | None = list(texts)
        self._names: set[str] = set()
        self._common: set[str] = set()

    def _count(self) -> None:
        """Count the words' cases, once, on the first question asked (a file of cards the
        author wrote never asks one)."""
        texts, self._texts = self._texts or [], None
        upper: Counter[str] = Counter()
        lower: Counter[str] = Counter()
        for text in texts:
            for sentence in sentences(text):
                toks = _WORD.findall(sentence)
                for tok in toks[1:]:
                    key = tok.lower()
                    if tok[:1].isupper():
                        upper[key] += 1
                    elif tok[:1].islower():
                        lower[key] += 1
        self._names = {w for w, n in upper.items() if n > lower.get(w, 0)}
        self._common = {w for w, n in lower.items() if n >= upper.get(w, 0)}

    def is_name(self, word: str) -> bool | None:
        """True for a name, False for a common word, None when the notes do not tell."""
        if self._texts is not None:
            self._count()
        key = word.lower()
        if key in self._names:
            return True
        if key in self._common:
            return False
        return None


def subject_case(subject: str, casing: Casing | None = None, plural: bool | None = None) -> str:
    """Lower-case a sentence-initial common word (`Interfaces in Go` -> `interfaces in Go`).

    Acronyms, camel case and words the notes use as names keep their case. Without evidence
    from the notes, a plural word, a verb-like word or the first of several lower-case words
    is lowered; a lone capitalised singular word is most often a name (`Charm`, `Delve`).
    """
    first, _, rest = subject.partition(" ")
    plain = first[:1].isupper() and (first[1:].islower() or len(first) == 1) and first.isalpha()
    if not plain:
        return subject
    evidence = casing.is_name(first) if casing is not None else None
    # "The Wealth of Nations": a title keeps its article (Title Case around a small word);
    # "The Federal Reserve" is just capitalised, its article is an ordinary "the"
    words_ = rest.split()
    title = len(words_) >= 3 and all(w[:1].isupper() for w in words_ if len(w) > 3) \
        and any(w in ("of", "and", "the", "in", "on") for w in words_[1:-1])
    if title and first == "The":
        return subject
    if first.lower() in _NEVER_NAMES and first != "I":
        evidence = False  # "We", "The", "A": never names
    # "League of Nations", "Bank of England": capitals around "of" make a name
    named = re.match(r"(?:of|and|for|de|von|van)\s+[A-Z]", rest) is not None
    if named:
        lower = False
    elif evidence is None:
        plural = looks_plural(subject) if plural is None else plural
        lower = first.lower() in DETERMINERS or plural or verb_base(first) is not None \
            or rest[:1].islower()
    else:
        lower = not evidence
    if lower:
        first = first.lower()
    return f"{first} {rest}".strip()


def resolve_subject(subject: str, fallback: str | None) -> str | None:
    """A question-ready subject: a lone "it"/"this"/"they" becomes `fallback`; "this X" becomes
    "the X"."""
    ws = subject.split()
    if not ws:
        return fallback
    first = bare(ws[0])
    if first in VAGUE_SUBJECTS:
        if len(ws) == 1:
            return drop_trailing_parenthetical(fallback) if fallback else None
        if first in ("this", "that", "these", "those"):
            return " ".join(["the", *ws[1:]])
    return subject


MAX_SUBJECT_PHRASE = 7
_SUBJECT_BREAKERS = re.compile(r"[,;!?\[\]{}<>|=]|\s[-–—]\s|\.\s")
_WH = frozenset({"how", "why", "what", "when", "where", "who", "which", "if", "whether", "that"})


_LINKING = PREPOSITIONS | CONJUNCTIONS
_SUBJECT_PRONOUNS = PRONOUNS - {"one"}
_NOT_CONTENT = QUESTION_WORDS | DETERMINERS | PREPOSITIONS | CONJUNCTIONS
_NOT_ANSWER_CONTENT = DETERMINERS | PREPOSITIONS | QUESTION_WORDS


def _two_phrases(ws: list[str]) -> bool:
    """`using the Go lib kawa the types`: a second article after a noun starts a new phrase."""
    return any(bare(w) in ARTICLES and k > 1 and bare(ws[k - 1]) not in _LINKING
               for k, w in enumerate(ws))


@functools.lru_cache(maxsize=1 << 14)
def good_subject(subject: str) -> bool:
    """A short term a question can name: no pronoun, clause punctuation or question word."""
    ws = subject.split()
    return (
        0 < len(ws) <= MAX_SUBJECT_PHRASE
        and not any(bare(w) in _SUBJECT_PRONOUNS for w in ws)
        and not _SUBJECT_BREAKERS.search(subject)
        and any(c.isalpha() for c in subject)
        and not any(bare(w) in _WH for w in ws)
        and bare(ws[0]) not in _NOT_SUBJECT_START
        and not _two_phrases(ws)
        and bare(ws[-1]) not in _NOT_SUBJECT_END
        and not subject.rstrip().endswith("?")
    )


def what_question(subject: str, plural: bool | None = None, casing: Casing | None = None) -> str:
    """`What is X?` / `What are X?` with the verb agreeing with the subject."""
    subject = clean_phrase(subject)
    plural = looks_plural(subject) if plural is None else plural
    return f"What {'are' if plural else 'is'} {subject_case(subject, casing, plural)}?"


_SPACED_DASH = re.compile(r"\s+[-–—|]\s+")
_AFFILIATION = re.compile(r"\s*(?:,|\bfrom\b|\bat\b|\bof\b)\s*.*$")


# Words that name a topic or a session, never a person ("Light Reactions", "Morning Session").
_TOPIC_SUFFIXES = ("tion", "sion", "ment", "ness", "ity", "ism", "ics", "ing", "ence", "ance", "ship", "hood",
                   "ology", "ions", "ure", "ies", "ary", "ogy")
_TOPIC_WORDS = frozenset({
    "introduction", "overview", "basics", "advanced", "part", "session", "day", "morning",
    "afternoon", "evening", "late", "early", "modern", "ancient", "summary", "review", "republic",
    "empire", "war", "age", "era", "period", "chapter", "unit", "module", "lab", "lecture",
    "workshop", "keynote", "panel", "q&a", "break", "lunch", "theory", "practice", "notes", "recap",
    "reactions", "cycle", "system", "systems", "model",
})


_NOT_NAME_WORDS = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | _TOPIC_WORDS


def person_name(text: str) -> bool:
    """True for `Derek Parker`, `Robin Hallabro-Kokko`, `Andy Joseph, ProntoGUI`: 2-4 capitalised
    words that are not common words (`Rotation Testing`, `Light Reactions` are topics)."""
    name = _AFFILIATION.sub("", drop_trailing_parenthetical(text.strip()).rstrip("])")).strip()
    ws = name.split()
    return 2 <= len(ws) <= 4 and all(
        w[:1].isupper() and (not w.isupper() or re.fullmatch(r"[A-Z]\.", w) is not None)
        and verb_base(w) is None
        and bare(w) not in _NOT_NAME_WORDS
        and not (len(bare(w)) > 5 and bare(w).endswith(_TOPIC_SUFFIXES))
        for w in ws
    )


def split_speaker(heading: str) -> tuple[str, str] | None:
    """`Title - Speaker` / `Title | Speaker, Company` -> (title, speaker), else None."""
    parts = _SPACED_DASH.split(heading.strip())
    if len(parts) < 2 or not person_name(parts[-1]):
        return None
    sep = list(_SPACED_DASH.finditer(heading.strip()))[-1]
    title = heading.strip()[: sep.start()].strip()
    speaker = _AFFILIATION.sub("", drop_trailing_parenthetical(parts[-1].strip()).rstrip("])")).strip()
    return (title, speaker) if len(title) >= 4 else None


def topic_of(heading: str) -> str:
    """The topic of a talk-style heading: `Title - Speaker` / `Title | Speaker` -> `Title`."""
    split = split_speaker(heading)
    return split[0] if split else heading.strip()


def has_content(text: str) -> bool:
    """True when the text holds a word beyond question words, articles and prepositions."""
    return any(w and w not in _NOT_CONTENT for w in (bare(t) for t in text.split()))


_CLOZE_DELETION = re.compile(r"\{\{c\d+::.*?\}\}", re.S)


def is_imperative(text: str) -> bool:
    """An instruction: starts with a base-form verb (`Add a table`) or `can`/`should` + verb."""
    c = clause(text)
    if c is None or c.subject:
        return False
    if c.aux:
        return bare(c.aux) in MODALS or c.aux in ("have to", "need to")
    return bare(c.verb) == c.base or bare(c.verb) in ("don't", "dont")


def shares_all_words(question: str, answer: str) -> bool:
    """True when every content word of the answer already appears in the question (cloze
    deletions do not count as showing it)."""
    q = {bare(w) for w in _CLOZE_DELETION.sub(" ", question).split()}
    a = [b for b in (bare(w) for w in answer.split()) if b and b not in _NOT_ANSWER_CONTENT]
    return bool(a) and all(w in q for w in a)


# This module's rules and those of `phrases` and `grammar`: the one import for English helpers.
__all__ = [
    "AUX",
    "FILLER",
    "IRREGULAR_PLURALS",
    "MATH",
    "MAX_SUBJECT_PHRASE",
    "MAX_SUBJECT_WORDS",
    "OPEN_QUESTION",
    "QUESTION_WORDS",
    "SINGULAR_ICS",
    "Casing",
    "Clause",
    "bare",
    "clause",
    "clean_phrase",
    "do_support",
    "drop_open_questions",
    "drop_trailing_parenthetical",
    "first_clause",
    "good_subject",
    "has_content",
    "in_math",
    "is_explicit_syntax",
    "is_fragment",
    "is_imperative",
    "is_noise",
    "is_opinion",
    "is_question",
    "looks_plural",
    "past_form",
    "person_name",
    "resolve_subject",
    "sentences",
    "shares_all_words",
    "split_speaker",
    "strip_filler",
    "subject_case",
    "third_person",
    "topic_of",
    "verb_base",
    "what_question",
]
