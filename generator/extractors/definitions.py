"""Definitions: `X is Y`, `X = Y`, `X: Y`, `X - Y`, `X means Y`, `X (Y)` -> "What is X?" cards."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from ..cards import Card
from ..language import (
    AUX,
    Casing,
    bare,
    clean_phrase,
    first_clause,
    good_subject,
    in_math,
    looks_plural,
    person_name,
    resolve_subject,
    strip_filler,
    subject_case,
    verb_base,
    what_question,
)
from ..lexicon import ADVERBS, DEICTIC, DETERMINERS, NEGATIONS, PREPOSITIONS, PRONOUNS
from ..outline import ITEM, Document
from .analysis import Statement, answered_lines, fact_statements
from .factory import make_card
from .registry import extractor

NAME = "definition"
MAX_SUBJECT_WORDS = 7
MAX_LABEL_WORDS = 6
MAX_ANSWER_WORDS = 40

# "X means Y", "X refers to Y", "X stands for Y", "X is defined as Y", "X is called Y".
_VERB_FORMS = re.compile(
    r"^(?P<x>.+?)\s+(?P<verb>means|mean|refers to|refer to|stands for|stand for|is defined as|"
    r"are defined as|is known as|are known as)\s+(?P<y>.+)$", re.I)
_QUESTION_FOR = {"mean": "What does {x} mean?", "refer": "What does {x} refer to?",
                 "stand": "What does {x} stand for?", "defined": "What is {x}?", "known": "What is {x}?"}
# Lines that define a term explicitly even inside a list ("Term: definition" entries).
_PATTERN_FORMS = re.compile(r"^[^:=]{1,40}(?::\s|\s=\s|\s[-–—]\s)")
# "X = Y" with spaces around a single `=` (not `==`, `!=`, `<=`, `>=`, `:=`).
_EQUALS = re.compile(r"^(?P<x>[^=]+?)\s+(?<![!<>:=])=(?!=)\s+(?P<y>.+)$")
# "Term - definition" (spaced dash) and "Term: definition".
_DASH = re.compile(r"^(?P<x>[^-–—:]+?)\s+[-–—]+\s+(?P<y>.+)$")
_COLON = re.compile(r"^(?P<x>[^:]{1,60}?):\s+(?P<y>.+)$")
# "Term (what it is)" as the whole line.
_PAREN_DESC = re.compile(r"^(?P<x>[^()]{1,40}?)\s*\((?P<y>[a-z][^()]*)\)$")
_SUBJECT_PAREN = re.compile(r"^(?P<x>[^()]+?)\s*\((?P<y>[^()]+)\)$")
# Labels that introduce lists or notes, not terms.
_NOT_TERMS = frozenset({"pros", "cons", "note", "notes", "q", "a", "todo", "example", "examples", "e.g",
                        "eg", "see", "tip", "tips", "warning", "update", "edit", "summary", "tldr"})
_SITUATION_ADVICE = re.compile(r"^(?P<when>[^,]+),\s*(?P<do>[^,]+)$")
_CAUSE = re.compile(r"\s(?:because|bc|b/c|due to|thanks to)\s", re.I)
_SUPERLATIVE = re.compile(r"^the\s+(?:most\s+\w+|least\s+\w+|\w+est)\b", re.I)


def _good_subject(subject: str) -> bool:
    """A short term, not a pronoun, a clause, a question, or a pointer at the page or the day."""
    return good_subject(subject) and len(subject.split()) <= MAX_SUBJECT_WORDS \
        and not any(bare(w) in DEICTIC for w in subject.split())


def _is_label(text: str) -> bool:
    """A term or topic label: short, no verb of its own, not a list marker like `Pros`."""
    ws = text.split()
    if not 0 < len(ws) <= MAX_LABEL_WORDS or bare(text) in _NOT_TERMS:
        return False
    if re.search(r"[=<>!]", text):
        return False
    if "," in text:  # "Right Tools, Wrong Knowledge": a pair of short labels (no instructions)
        return all(0 < len(part.split()) <= 3 and not verb_base(part.split()[0])
                   for part in text.split(","))
    if bare(ws[0]) in ("how", "why", "what", "when", "where", "who", "which", "if"):
        return False
    return not any(bare(w) in AUX or (verb_base(w) and bare(w).endswith("s") and not bare(w).endswith("ss"))
                   for w in ws)


def _answer(raw: str) -> str:
    """The definition part: before any arrow aside, without filler or trailing punctuation."""
    return clean_phrase(strip_filler(first_clause(raw)))


_ADJECTIVE_ENDINGS = ("ant", "ent", "ful", "ive", "ous", "able", "ible", "al", "ic", "less", "ary", "ish")


def _noun_phrase_start(rest: str) -> bool:
    """Does the complement read as a noun phrase (a definition) rather than a property?"""
    ws = rest.split()
    if ws and bare(ws[0]) in ("very", "so", "too", "quite", "really", "pretty", "rather"):
        return False  # "very quick": an adjective follows
    if len(ws) >= 2 and bare(ws[1]) == "to":
        return False  # "easy to create": an adjective with its infinitive
    while ws and bare(ws[0]) in ADVERBS:
        ws = ws[1:]
    if not ws or any(bare(a) in ("and", "or") and verb_base(b) and bare(b).endswith("s")
                     for a, b in itertools.pairwise(ws)):
        return False  # "quick and seems easy": a verb phrase, not a noun phrase
    first = bare(ws[0])
    if first in DETERMINERS or first[:1].isdigit() or ws[0][:1].isupper():
        return first not in NEGATIONS
    if first in PREPOSITIONS or first in NEGATIONS or first.endswith("ly") or first == "to":
        return False
    after = bare(ws[1]) if len(ws) > 1 else ""
    if first in ("where", "when", "what", "why", "how", "who", "which", "whether"):
        return False  # "where the pope lives": a clause, not a thing
    if first.endswith(("er", "est")) and after in ("than", "in", "for", "at", "when"):
        return False  # "faster than TCP": a comparison (the comparisons extractor asks it)
    if first.endswith("ed") and "-" not in first and len(first) > 4 and (
            not after or after in PREPOSITIONS | DETERMINERS | {"to", "and", "or"}):
        return False  # "optimized for X": a participle ("typed conduits" is a noun phrase)
    if len(ws) >= 2 and bare(ws[1]) in PREPOSITIONS and first.endswith(_ADJECTIVE_ENDINGS):
        return False  # "important for the exam": an adjective
    if verb_base(first) and first.endswith("s") and not first.endswith("ss"):
        return False  # "is now uses in...": a verb, not a noun phrase
    return len(ws) >= 2


def _score(answer: str, base: float) -> float:
    """Noun-phrase definitions of useful length score best."""
    n = len(answer.split())
    score = base
    if n <= 1:
        score -= 0.15
    if n > 25:
        score -= 0.15
    return score


def _copula_card(doc: Document, st: Statement, casing: Casing) -> Card | None:
    """`X is/are/was Y` with a noun-phrase Y."""
    c = st.clause
    if c is None or c.base != "be" or c.passive or c.negated or c.verb != c.aux:
        return None
    if bare(c.verb) not in ("is", "are", "was", "were"):
        return None
    # a vague "it"/"this" may stand for the previous note's subject or the parent item's,
    # not for a whole heading
    nearby = st.sibling_subject or (st.parent_subject if st.parent.kind == ITEM else None)
    subject = resolve_subject(c.subject, nearby) if c.subject else None
    if not subject or not _good_subject(subject):
        return None
    paren = _SUBJECT_PAREN.match(subject)
    if paren:
        subject = paren.group("x")
    rest = c.rest
    if not _noun_phrase_start(rest):
        return None
    answer = _answer(" ".join(w for i, w in enumerate(rest.split())
                              if not (i == 0 and bare(w) in ADVERBS)))
    if not answer or len(answer.split()) > MAX_ANSWER_WORDS:
        return None
    plural = bare(c.verb) in ("are", "were")
    tense_past = bare(c.verb) in ("was", "were")
    if _SUPERLATIVE.match(answer):
        # "DB tests are the slowest tests" -> "What are the slowest tests?" -> "DB tests"
        words_ = answer.split()
        question = f"What {c.verb.lower()} {' '.join(words_)}?"
        return make_card(doc, st.node, question, subject, extractor=NAME, score=0.65)
    question = what_question(subject, plural, casing)
    if tense_past:
        question = question.replace("What is ", "What was ", 1).replace("What are ", "What were ", 1)
    return make_card(doc, st.node, question, answer, extractor=NAME, score=_score(answer, 0.7))


def _subject_description_card(doc: Document, st: Statement, casing: Casing) -> Card | None:
    """`Interceptors (like middleware for gRPC) can be used...` -> what interceptors are."""
    c = st.clause
    if c is None or not c.subject:
        return None
    m = _SUBJECT_PAREN.match(c.subject)
    if not m or not _good_subject(m.group("x")) or len(m.group("y").split()) < 2:
        return None
    term = m.group("x").strip()
    verb_group = " ".join(w for w in (c.aux if c.aux != c.verb else "", c.verb) if w)
    answer = clean_phrase(f"{m.group('y')}; {verb_group} {c.rest}")
    return make_card(doc, st.node, what_question(term, looks_plural(term), casing), answer,
                     extractor=NAME, score=0.6)


def _pattern_card(doc: Document, st: Statement, casing: Casing) -> Card | None:
    """`X means Y`, `X = Y`, `X - Y`, `X: Y` and `X (Y)` forms."""
    text = st.text
    m = _VERB_FORMS.match(text)
    if m and _good_subject(m.group("x")):
        key = next(k for k in _QUESTION_FOR if k in m.group("verb").lower())
        x = subject_case(clean_phrase(m.group("x")), casing)
        answer = _answer(m.group("y"))
        return make_card(doc, st.node, _QUESTION_FOR[key].format(x=x), answer, extractor=NAME,
                         score=0.75) if answer else None
    m = _EQUALS.match(text)
    if m and in_math(text, m.end("x"), m.start("y")):
        m = None  # "$x = y$": an equation, not a definition
    if m:
        x = clean_phrase(m.group("x"))
        c = st.clause
        if c is not None and c.subject and c.rest and "=" in c.rest and bare(c.subject) in PRONOUNS:
            x = clean_phrase(c.rest.split("=")[0])  # "We can create a shared map = ..." -> the object
        answer = _answer(m.group("y"))
        if _good_subject(x) and answer:
            return make_card(doc, st.node, what_question(x, None, casing), answer, extractor=NAME,
                             score=0.65)
        return None
    for pattern in (_DASH, _COLON):
        m = pattern.match(text)
        if m and in_math(text, m.end("x"), m.start("y")):
            continue
        advice = _SITUATION_ADVICE.match(clean_phrase(m.group("x"))) if m and pattern is _DASH else None
        if m and advice and verb_base(advice.group("do").split()[0]) \
                and len(advice.group("when").split()) <= 3:
            # "Wrong Tools, Write Tests - verify tools by writing tests": a situation and its advice
            situation = subject_case(advice.group("when"), casing)
            answer = f"{advice.group('do')}: {_answer(m.group('y'))}"
            return make_card(doc, st.node, f"What should you do about {situation}?", answer,
                             extractor=NAME, score=0.5)
        if not m or not _is_label(clean_phrase(m.group("x"))):
            continue
        x, y = clean_phrase(m.group("x")), _answer(m.group("y"))
        if not y or person_name(m.group("y")) or (y.count(",") >= 2 and pattern is _COLON):
            return None  # "Title - Speaker" is attribution; "X: a, b, c" is a list
        if "," in x:
            return make_card(doc, st.node, f"What about {subject_case(x, casing)}?", y, extractor=NAME,
                             score=0.45)
        return make_card(doc, st.node, what_question(x, None, casing), y, extractor=NAME, score=0.6)
    m = _PAREN_DESC.match(text)
    if m and _is_label(m.group("x")) and len(m.group("y").split()) >= 2 and not m.group("y").endswith("?") \
            and "?" not in m.group("x") and not m.group("y").lower().startswith("to "):
        x = clean_phrase(m.group("x"))
        return make_card(doc, st.node, what_question(x, None, casing), clean_phrase(m.group("y")),
                         extractor=NAME, score=0.55)
    return None


@extractor(NAME)
def definitions(doc: Document) -> Iterator[Card]:
    """Definitions: `X is Y`, `X = Y`, `X: Y`, `X - Y`, `X means Y` -> "What is X?"."""
    answered = answered_lines(doc)
    for st in fact_statements(doc):
        if st.node.line in answered and not _PATTERN_FORMS.match(st.text):
            continue
        list_parent = st.node.kind == ITEM and sum(1 for c in st.node.children if c.kind == ITEM) >= 2
        card = _pattern_card(doc, st, st.casing)
        # "Tests are design tools" + reasons: the list covers it; "X is Y because Z": a reason,
        # asked by the comparisons extractor
        if card is None and not list_parent and not _CAUSE.search(st.text):
            card = _copula_card(doc, st, st.casing) or _subject_description_card(doc, st, st.casing)
        if card is not None:
            yield card
