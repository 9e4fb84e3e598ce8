"""Attribution: who made what and when (`X was created by Y in 2014`); who gave a talk is `speakers`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import Card
from ..language import (
    bare,
    drop_trailing_parenthetical,
    past_form,
    resolve_subject,
    subject_case,
)
from ..outline import Document
from .analysis import fact_statements
from .factory import make_card
from .registry import extractor

NAME = "attribution"
# Verbs of making: "created", "written", "introduced", "founded"...
_MAKING = frozenset({"create", "write", "introduce", "develop", "found", "invent", "design", "build",
                     "start", "launch", "release", "discover", "propose", "coin", "publish", "make",
                     "establish", "compose", "paint", "sign", "patent", "formulate", "define", "describe"})
# "by Guido van Rossum", "by Vint Cerf and Bob Kahn", "by the IETF".
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:(?:van|von|de|der|da|di|du|del|la|le|bin|ibn)\s+)*[A-Z][\w.'’-]*){0,3}"
_AGENT = re.compile(rf"\bby\s+(?:the\s+)?(?P<who>{_NAME}(?:\s*(?:,|and|&)\s+{_NAME})*)")
_YEAR = re.compile(r"\b(?:(?P<prep>in|around|about|circa|c\.|before|after|since|by)\s+)?"
                   r"(?P<year>(?:1[0-9]|20)\d{2}\b(?!\s*(?:BC|BCE))|\d{1,4}\s*(?:BC|BCE|AD|CE)\b)")


def when(year: re.Match[str]) -> str:
    """`around 1440` -> `Around 1440`; a bare year reads `In 1776`."""
    prep = (year.group("prep") or "in").capitalize()
    return f"{prep} {year.group('year')}"


@extractor(NAME)
def attribution(doc: Document) -> Iterator[Card]:
    """Attribution: `X was created by Y in 2014` -> "When and by whom was X created?"."""
    for st in fact_statements(doc):
        c = st.clause
        if c is None or not c.passive or c.base not in _MAKING:
            continue
        subject = resolve_subject(c.subject, st.topic) if c.subject else st.topic
        if not subject:
            continue
        subject = subject_case(drop_trailing_parenthetical(subject), st.casing)
        tail = f"{c.lead} {c.rest}"
        agent = _AGENT.search(c.rest)
        year = _YEAR.search(tail)
        verb = c.verb.lower()
        was = bare(c.aux) if bare(c.aux) in ("is", "are", "was", "were") else "was"
        if agent and year:
            question = f"When and by whom {was} {subject} {verb}?"
            answer = f"{when(year)}, by {agent.group('who')}"
        elif agent:
            question = f"Who {past_form(c.base)} {subject}?"
            answer = agent.group("who")
        elif year:
            question = f"When {was} {subject} {verb}?"
            answer = when(year)
        else:
            continue
        yield make_card(doc, st.node, question, answer, extractor=NAME, score=0.7)
