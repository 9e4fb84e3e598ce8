"""Comparisons and reasons: `X is faster than Y`, `X can be faster in Y`, `X because Y`, `X due to Y`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import Card
from ..language import (
    Casing,
    bare,
    clause,
    clean_phrase,
    do_support,
    is_imperative,
    looks_plural,
    resolve_subject,
    subject_case,
    verb_base,
)
from ..lexicon import BE, MODALS
from ..outline import Document
from .analysis import Statement, fact_statements
from .factory import make_card
from .registry import extractor

NAME = "comparison"
_BECAUSE = re.compile(r"^(?P<effect>.+?),?\s+(?:because(?:\s+of)?|bc|b/c|since|as a result of|due to|"
                      r"thanks to)\s+(?P<cause>.+)$", re.I)
# "Term: definition" / "Term - definition": a definition, even when it gives a reason.
_TERM_LABEL = re.compile(r"^[^:]{1,40}:\s|^[^-–—]{1,40}\s[-–—]\s")
_SETTING = r"(than|in|when|for|at|on|with|under|during|over)"
_COMPARATIVE = re.compile(rf"\b(?P<adj>\w+er|more\s+\w+|less\s+\w+)\b(?:\s+{_SETTING}\b)", re.I)
_CLAUSE_SPLIT = re.compile(r",\s*(?:however|but|while|whereas|although)?\s*|\s+(?:however|but|whereas)\s+",
                           re.I)
# "Use X for Y" / "X is used for Y": what to use for a purpose.
_USE_FOR = re.compile(r"^(?:use|using)\s+(?P<x>[^,]{2,40}?)\s+for\s+(?P<y>[^,]{3,60})$", re.I)
# "X, until Y was introduced": what ended X.
_UNTIL = re.compile(r"^(?P<effect>.{10,}?),?\s+until\s+(?P<change>.{5,})$", re.I)
_DECIDED = re.compile(r"^(?:decided|chose|choose|opted|decide)\s+to\s+", re.I)


def _why_question(effect: str, st: Statement, casing: Casing) -> str | None:
    """Turn the effect clause into a why-question (`Company had X` -> `Why did company have X?`)."""
    effect = _DECIDED.sub("", clean_phrase(effect))
    c = clause(effect)
    if c is None:
        return None
    if not c.subject:  # verb-initial: "use Go for the backend"
        if _DECIDED.match(effect) or verb_base(c.verb) == bare(c.verb):
            return f"Why {effect[0].lower()}{effect[1:]}?"
        subject = st.sibling_subject  # "uses X because Y" goes on about the previous note
        if not subject:
            return None
        aux = do_support(c.verb, c.base, looks_plural(subject))
        return f"Why {aux} {subject_case(subject, casing)} {c.base} {c.rest}?".replace("  ", " ")
    subject = resolve_subject(c.subject, st.topic)
    if not subject:
        return None
    plural = looks_plural(subject) or bare(subject) in ("we", "they", "you")
    subject = subject_case(subject, casing, plural)
    if c.aux and (bare(c.aux) in BE | MODALS or c.verb != c.aux):
        aux = c.aux.lower()
        verb = "" if c.verb == c.aux else f" {c.verb}"
        neg = " not" if c.negated else ""
        return f"Why {aux} {subject}{neg}{verb} {c.rest}?".replace("  ", " ").replace(" ?", "?")
    aux = do_support(c.verb, c.base, plural)
    return f"Why {aux} {subject} {c.base} {c.rest}?".replace(" ?", "?")


@extractor(NAME)
def comparisons(doc: Document) -> Iterator[Card]:
    """Comparisons and reasons: `X is faster than Y`, `X because Y` -> a question about it."""
    for st in fact_statements(doc):
        m = _BECAUSE.match(st.text) if not _TERM_LABEL.match(st.text) else None
        if m:
            question = _why_question(m.group("effect"), st, st.casing)
            cause = clean_phrase(m.group("cause"))
            if question and cause:
                yield make_card(doc, st.node, question, cause, extractor=NAME, score=0.65)
                continue
        m = _USE_FOR.match(clean_phrase(st.text))
        if m:
            yield make_card(doc, st.node, f"What should you use for {clean_phrase(m.group('y'))}?",
                            clean_phrase(m.group("x")), extractor=NAME, score=0.6)
            continue
        m = _UNTIL.match(st.text)
        if m and not is_imperative(m.group("effect")):  # "Knead the dough until smooth": a step
            effect = clean_phrase(m.group("effect"))
            ec = clause(effect)
            if ec is not None and ec.subject and effect.startswith(ec.subject):
                effect = subject_case(ec.subject, st.casing) + effect[len(ec.subject):]
            yield make_card(doc, st.node, f"What ended the situation where {effect}?",
                            clean_phrase(m.group("change")), extractor=NAME, score=0.55)
        # Each clause of a compound sentence may compare: "..., sync.Map can be faster in low cases"
        for part in _CLAUSE_SPLIT.split(st.text):
            c = clause(part)
            if c is None or not c.subject or (bare(c.base) != "be" and c.aux not in MODALS):
                continue
            m = _COMPARATIVE.search(c.rest)
            if not m or m.start() > 12:
                continue
            tail = c.rest[m.end():].strip()
            subject = resolve_subject(c.subject, st.topic)
            if not subject or not tail:
                continue
            adj = m.group("adj")
            word = m.group(2).lower()
            plural = looks_plural(subject)
            shown = subject_case(subject, st.casing, plural)
            if word == "than":
                question = f"How {'do' if plural else 'does'} {shown} compare with {clean_phrase(tail)}?"
                answer = clean_phrase(c.rest)
            else:
                aux = c.aux.lower() if c.aux in MODALS else c.verb.lower()
                be = " be" if c.aux in MODALS else ""
                question = f"When {aux} {shown}{be} {adj}?"
                answer = clean_phrase(f"{word} {tail}")
            yield make_card(doc, st.node, question, answer, extractor=NAME, score=0.6)
