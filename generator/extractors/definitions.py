"""Definitions: `X is/are Y` and `X = Y` statements become "What is/are X?" cards."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import Card
from ..language import (
    PRONOUNS,
    clean_phrase,
    first_clause,
    is_opinion,
    looks_plural,
    sentences,
    strip_filler,
    what_question,
)
from ..outline import ITEM, PARAGRAPH, Document
from . import extractor, make_card

NAME = "definition"
MAX_SUBJECT_WORDS = 7
MAX_ANSWER_WORDS = 40

# "X is Y" / "X are Y": the first copula splits subject from definition.
_COPULA = re.compile(r"^(?P<x>.+?)\s+(?P<verb>is|are)\s+(?P<y>.+)$")
# "X = Y" with spaces around a single `=` (not `==`, `!=`, `<=`, `>=`, `:=`).
_EQUALS = re.compile(r"^(?P<x>[^=]+?)\s+(?<![!<>:=])=(?!=)\s+(?P<y>.+)$")
# Definitions start like a noun phrase; these starts mark a property or a negation instead.
_WEAK_START = re.compile(r"^(not|also|now|still|usually|often|sometimes|always|never|very|so|too)\b", re.I)
_NOUN_START = re.compile(r"^(a|an|the|one|two|three|\d+)\b", re.I)
# Subjects that are clauses or fragments rather than terms.
_BAD_SUBJECT = re.compile(r"[,;:!?()\[\]{}<>|]|\b(if|when|because|but|and then|that|which|who)\b", re.I)


def _good_subject(subject: str) -> bool:
    """A short term, not a pronoun or a clause."""
    ws = subject.split()
    return (
        0 < len(ws) <= MAX_SUBJECT_WORDS
        and ws[0].lower() not in PRONOUNS
        and not _BAD_SUBJECT.search(subject)
        and any(c.isalpha() for c in subject)
    )


def _answer(raw: str) -> str:
    """The definition part: before any arrow aside, without filler or trailing punctuation."""
    return clean_phrase(strip_filler(first_clause(raw)))


def _score(answer: str) -> float:
    """Higher for noun-phrase definitions of useful length, lower for bare adjectives."""
    n = len(answer.split())
    score = 0.75 if _NOUN_START.match(answer) else 0.6
    if n <= 2 and not _NOUN_START.match(answer):
        score -= 0.2
    if n > 25:
        score -= 0.15
    return score


@extractor(NAME)
def definitions(doc: Document) -> Iterator[Card]:
    """Definitions: `X is/are Y` and `X = Y` -> "What is/are X?"."""
    for node, _ in doc.walk():
        if node.kind not in (ITEM, PARAGRAPH) or not node.text:
            continue
        for sentence in sentences(node.text)[:3 if node.kind == PARAGRAPH else 1]:
            if is_opinion(sentence) or sentence.rstrip().endswith("?"):
                continue
            m = _COPULA.match(sentence) or _EQUALS.match(sentence)
            if not m:
                continue
            subject, answer = clean_phrase(m.group("x")), _answer(m.group("y"))
            if not _good_subject(subject) or not answer or _WEAK_START.match(answer):
                continue
            if len(answer.split()) > MAX_ANSWER_WORDS:
                continue
            verb = m.groupdict().get("verb")
            plural = verb == "are" if verb else looks_plural(subject)
            yield make_card(doc, node, what_question(subject, plural), answer, extractor=NAME,
                            score=_score(answer))

