"""Attribution: who made what and when (`X was created by Y in 2014`), who gave a talk (`Title - Speaker`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import Card
from ..language import (
    bare,
    clean_phrase,
    drop_trailing_parenthetical,
    is_explicit_syntax,
    is_noise,
    resolve_subject,
    split_speaker,
)
from ..outline import HEADING, Document
from . import each_statement, extractor, make_card

NAME = "attribution"
# Verbs of making: "created", "written", "introduced", "founded"...
_MAKING = frozenset({"create", "write", "introduce", "develop", "found", "invent", "design", "build",
                     "start", "launch", "release", "discover", "propose", "coin", "publish", "make"})
_AGENT = re.compile(r"\bby\s+(?:the\s+)?(?P<who>(?:[A-Z][\w.'’-]*)(?:\s+[A-Z][\w.'’-]*){0,3})")
_YEAR = re.compile(r"\b(?:in\s+)?(?P<year>(?:1[5-9]|20)\d{2})\b")


@extractor(NAME)
def attribution(doc: Document) -> Iterator[Card]:
    """Attribution: `X was created by Y in 2014`; talk headings `Title - Speaker` -> who gave it."""
    for node, _ in doc.walk():
        if node.kind == HEADING:
            talk = split_speaker(node.text)
            if talk:
                title = clean_phrase(talk[0]).strip("\"“”")
                yield make_card(doc, node, f"Who gave the talk \u201c{title}\u201d?", talk[1],
                                extractor=NAME, score=0.5)
    for st in each_statement(doc):
        if is_explicit_syntax(st.node.text):
            continue  # the author wrote this card; the explicit extractor makes it
        c = st.clause
        if c is None or is_noise(st.text) or not c.passive or c.base not in _MAKING:
            continue
        subject = resolve_subject(c.subject, st.topic) if c.subject else st.topic
        if not subject:
            continue
        subject = drop_trailing_parenthetical(subject)
        tail = f"{c.lead} {c.rest}"
        agent = _AGENT.search(c.rest)
        year = _YEAR.search(tail)
        verb = c.verb.lower()
        was = bare(c.aux) if bare(c.aux) in ("is", "are", "was", "were") else "was"
        if agent and year:
            question = f"When and by whom {was} {subject} {verb}?"
            answer = f"In {year.group('year')}, by {agent.group('who')}"
        elif agent:
            question = f"Who {verb} {subject}?"
            answer = agent.group("who")
        elif year:
            question = f"When {was} {subject} {verb}?"
            answer = f"In {year.group('year')}"
        else:
            continue
        yield make_card(doc, st.node, question, answer, extractor=NAME, score=0.7)
