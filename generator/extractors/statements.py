"""Statements: any other fact with a subject and a verb -> "What does X provide?" or a cloze on the predicate.

The catch-all: it runs on every sentence, and the filters drop its card when a more
specific extractor already made one from the same line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..cards import CLOZE, Card
from ..language import (
    AUX,
    Clause,
    bare,
    clause,
    clean_phrase,
    do_support,
    drop_trailing_parenthetical,
    good_subject,
    looks_plural,
    resolve_subject,
    shares_all_words,
    strip_filler,
    subject_case,
    third_person,
    verb_base,
)
from ..lexicon import ADVERBS, DETERMINERS, MODALS, PREPOSITIONS
from ..outline import HEADING, ITEM, PARAGRAPH, Document
from .analysis import Statement, answered_lines, fact_statements
from .factory import make_card
from .registry import extractor

NAME = "statement"
MAX_WORDS = 35
_ENABLING = frozenset({"allow", "let", "help", "enable"})
_PURPOSEFUL = frozenset({"use", "need", "require", "call", "add", "create", "build", "write", "run"})
_SEMI = {"have to", "has to", "had to", "need to", "needs to", "ought to", "got to"}
_PARTICLES = frozenset({"out", "up", "off", "on", "down", "over", "away", "back", "in"})
MIN_WORDS = 3


def _cloze(doc: Document, st: Statement, before: str, hidden: str, score: float) -> Card | None:
    hidden = clean_phrase(hidden)
    before = before.strip()
    if len([w for w in hidden.split() if bare(w)]) < 1 or not before:
        return None
    if before[:1].islower() and before.split()[0].isalpha() and st.text[:1].isupper():
        before = before[0].upper() + before[1:]  # the cloze shows the sentence as written
    return make_card(doc, st.node, f"{before} {{{{c1::{hidden}}}}}", hidden, extractor=NAME, score=score,
                     type=CLOZE)


_SUBORDINATORS = frozenset({"when", "if", "because", "while", "until", "unless", "since", "whenever",
                            "although", "though", "after", "before", "once"})
_NOT_OBJECT_START = PREPOSITIONS | ADVERBS | _PARTICLES | _SUBORDINATORS


def _object_like(rest: str) -> bool:
    """An object noun phrase follows (not a preposition, `to`, a bare adverb, a clause, or an
    adjective like `cheaper because...`)."""
    ws = rest.split()
    first = bare(ws[0]) if ws else ""
    if len(ws) < 2 or first in _NOT_OBJECT_START or first == "to":
        return False
    return not (bare(ws[0]).endswith("er") and bare(ws[1]) in ("than", "because", "when", "if"))


_NEGATED_IMPERATIVE = re.compile(r"^(?:don['’]?t|do not|never|avoid)\s+(?P<vp>.+)$", re.I)
_CONDITION = re.compile(r"^(?P<cond>(?:when|if|before|after|while)\s+[^,]{3,60}),\s*(?P<then>.+)$", re.I)
# "OBJ via MEANS, DETAIL": how something is done.
_MEANS = re.compile(r"^(?P<obj>[^,]{2,50}?)\s+(?P<means>(?:via|through|by means of|by using|using)\s+[^,]+?)"
                    r"(?:,\s*(?P<detail>.{8,}))?$", re.I)
_PURPOSE = re.compile(r"^(?P<np>[A-Za-z][\w.-]*(?:\s+[\w.-]+){0,2})\s+to\s+(?P<vp>[a-z].{5,})$")
_VP_END = re.compile(r"\s*(?:…|\.{2,}|;|,|\s[-–—]\s)\s*")


def _special(doc: Document, st: Statement) -> Card | None:
    """Advice forms: `Don't X...`, `When X, do Y`, and `X that does Y` with no main verb."""
    m = _NEGATED_IMPERATIVE.match(st.text)
    if m:
        parts = _VP_END.split(m.group("vp"), maxsplit=1)
        vp, tail = clean_phrase(parts[0]), (parts[1] if len(parts) > 1 else "")
        if st.text.lower().startswith("avoid "):  # "Avoid opening the door" -> open the door
            head, _, more = vp.partition(" ")
            vp = f"{verb_base(head) or head} {more}".strip()
        reasons = [c.text for c in st.node.children if c.kind in (ITEM, PARAGRAPH)]
        because = "; ".join(x for x in [clean_phrase(tail), *map(clean_phrase, reasons)] if x)
        if len(vp.split()) >= 2:
            answer = f"No: {because}" if because else f"No, don't {vp}"
            return make_card(doc, st.node, f"Should you {vp}?", answer, extractor=NAME, score=0.6,
                             end_line=max([st.node.end_line, *(c.end_line for c in st.node.children)]))
    m = _PURPOSE.match(st.text)
    np_words = m.group("np").split() if m and verb_base(m.group("vp").split()[0]) else []
    verbless = st.clause is None or not st.clause.subject  # "Hash function to know ...": no verb of its own
    if m and verbless and 2 <= len(np_words) <= 3 and not bare(np_words[0]).endswith(("ed", "ing")) \
            and not any(bare(w) in DETERMINERS | PREPOSITIONS | AUX | {"when", "how", "where"}
                        or (verb_base(w) and bare(w).endswith("s")) for w in np_words):
        # "Hash function to know which map to use" -> what is used to know which map to use
        return make_card(doc, st.node, f"What is used to {clean_phrase(m.group('vp'))}?",
                         clean_phrase(m.group("np")), extractor=NAME, score=0.5)
    c = st.clause
    rest_words = c.rest.split() if c is not None else []
    while rest_words and bare(rest_words[0]) in ADVERBS:
        rest_words = rest_words[1:]  # "is now used in X"
    used = c is not None and c.subject and good_subject(c.subject) and (
        (c.base == "use" and c.passive) or (c.base == "be" and rest_words[:1]
                                            and bare(rest_words[0]) in ("used", "uses")))
    if used and c is not None:
        # "ChaCha8Rand is (now) used in rand packages" -> what is used in rand packages
        where = clean_phrase(" ".join(rest_words[1:] if c.base == "be" else rest_words))
        if where and bare(where.split()[0]) in PREPOSITIONS | {"to"}:
            return make_card(doc, st.node, f"What is used {where}?", c.subject, extractor=NAME, score=0.55)
    m = _CONDITION.match(st.text)
    if m:
        then = clause(m.group("then"))
        if then is not None and not then.subject and not then.aux and then.base == bare(then.verb):
            cond = m.group("cond")
            question = f"What should you do {cond[0].lower()}{cond[1:]}?"
            return make_card(doc, st.node, question, clean_phrase(m.group("then")), extractor=NAME,
                             score=0.55)
    return None


def _card(doc: Document, st: Statement) -> Card | None:
    special = _special(doc, st)
    if special is not None:
        return special
    c: Clause | None = st.clause
    if c is None:
        return None
    rest = clean_phrase(strip_filler(c.rest))
    if not rest and c.passive and c.subject and good_subject(c.subject):
        # "Go reflection is limited": the participle is what the note says
        return _cloze(doc, st, f"{subject_case(c.subject, st.casing)} {c.aux}", c.verb, 0.45)
    if not rest:
        return None
    aux, verb = bare(c.aux), c.verb
    subject_words = c.subject.split()
    if subject_words and bare(subject_words[-1]) in ("we", "you", "i") and len(subject_words) > 1:
        subject_words = subject_words[-1:]  # "using a lib we are sending...": the subject is "we"
    if bare(c.subject) == "there" or (subject_words[-1:] and bare(subject_words[-1]) == "there"):
        lead = " ".join(w for w in [c.lead, *subject_words] if w)  # "For X there is a bottleneck"
        return _cloze(doc, st, f"{lead} {verb}", rest, 0.45)
    if subject_words and bare(subject_words[-1]) in ("that", "which", "who") and len(subject_words) > 1:
        term = " ".join(subject_words[:-1])  # "API secret.Do that takes a closure": what it does
        if good_subject(term):
            return make_card(doc, st.node, f"What does {term} do?", f"{verb} {rest}", extractor=NAME,
                             score=0.5)
        return None
    if len(subject_words) == 1 and bare(subject_words[0]).endswith("ing") and c.base != "be":
        # "using a map with a mutex": a gerund opening, not a subject
        return _cloze(doc, st, subject_words[0], f"{verb} {rest}", 0.4)
    verb_initial = not subject_words
    if verb_initial:
        # "uses X" goes on about the previous bullet's subject (or the parent item's); a base
        # form ("Add X", "Use Y") is an instruction with no subject to name.
        third = not aux and bare(verb).endswith("s") and bare(verb) == third_person(c.base)
        subject = (st.sibling_subject or (st.parent_subject if st.parent.kind != HEADING else None)) \
            if third else None
        if subject is None:
            if (aux in MODALS or c.aux in _SEMI) and _object_like(rest) and not c.passive:
                subject = "you"  # "Have to instantiate X", "Can use Y": advice to the reader
            elif (aux in MODALS or c.aux in _SEMI) and bare(rest.split()[0]) in PREPOSITIONS:
                return _cloze(doc, st, c.group, rest, 0.4)  # "Should always start {{with a prototype}}"
            elif aux:
                return None
            else:
                particle = rest.split()[0] if bare(rest.split()[0]) in _PARTICLES else ""
                hidden = rest[len(particle):].strip()
                purpose = re.search(r"\s(?:to|so that|in order to)\s+(\w+)", hidden)
                if purpose and purpose.start() > 0 and (verb_base(purpose.group(1))
                                                        or purpose.group(1) in ("be", "make")):
                    # "Define your errors {{to help users}}" (not "similar to database sharding")
                    shown_part = hidden[: purpose.start()]
                    return _cloze(doc, st, f"{verb} {particle} {shown_part}".replace("  ", " "),
                                  hidden[purpose.start():], 0.45)
                if len(hidden.split()) < 2:
                    return None
                return _cloze(doc, st, f"{verb} {particle}".strip(), hidden, 0.35)
    else:
        subject = resolve_subject(" ".join(subject_words), st.topic)
        if subject is None:
            return None
    subject = drop_trailing_parenthetical(subject)
    if subject.lower() not in ("you", "we") and not good_subject(subject):
        return None
    shown = subject_case(subject, st.casing)
    plural = looks_plural(subject) or bare(subject) in ("you", "we", "they")
    if c.base == "be" and not c.passive:
        if c.negated:
            claim = rest.split(",")[0].strip()
            question = f"{c.aux.capitalize()} {shown} {claim}?"
            return make_card(doc, st.node, question, f"No: {shown} {c.aux.lower()} not {rest}",
                             extractor=NAME, score=0.55)
        return _cloze(doc, st, f"{shown} {c.group}", rest, 0.45)
    if c.passive:
        agent = re.match(r"^by\s+(.+)$", rest)
        if agent and len(agent.group(1).split()) <= 4 and not c.negated:
            # "sync.Map is provided by stdlib" -> "What provides sync.Map?": the question names
            # the note's subject and asks for the agent
            past = bare(c.aux) in ("was", "were")
            active = c.verb.lower() if past else third_person(c.base)
            return make_card(doc, st.node, f"What {active} {shown}?", clean_phrase(agent.group(1)),
                             extractor=NAME, score=0.5)
        return _cloze(doc, st, f"{shown} {c.group}", rest, 0.45)
    means = _MEANS.match(rest)
    if means and (aux in MODALS or not aux) and not c.negated:
        # "You can test tests via mutations, essentially mutate the code" -> how, with the detail
        do = c.aux.lower() if aux in MODALS else ("do" if plural else "does")
        how = f"How {do} {shown} {c.base} {means.group('obj')}"
        if means.group("detail"):
            return make_card(doc, st.node, f"{how} {means.group('means')}?",
                             clean_phrase(means.group("detail")), extractor=NAME, score=0.5)
        return make_card(doc, st.node, f"{how}?", clean_phrase(means.group("means")), extractor=NAME,
                         score=0.5)
    if aux in MODALS or c.aux in _SEMI:
        modal = c.aux.lower()
        if c.aux in _SEMI:
            do = "does" if not plural and modal.startswith("has") else "do"
            lead = f"What {do} {shown} {modal.split()[0].replace('has', 'have')} to {c.base}?"
        else:
            lead = f"What {modal} {shown} {c.base}?"
        if _object_like(rest):
            purpose = re.search(r"\s(to\s+[a-z].+)$", rest)
            if purpose and c.base in _PURPOSEFUL and purpose.start() > 0:
                # "you can use X to program mutations" -> what can you use to program mutations
                return make_card(doc, st.node, f"{lead[:-1]} {purpose.group(1)}?", rest[: purpose.start()],
                                 extractor=NAME, score=0.5)
            return make_card(doc, st.node, lead, rest, extractor=NAME, score=0.5)
        return _cloze(doc, st, f"{shown} {c.group}", rest, 0.45)
    ws = rest.split()
    enabled = re.match(r"^(?P<who>(?:\S+\s+){0,1}\S+?)\s+to\s+(?P<vp>\w.+)$", rest) \
        if c.base in _ENABLING else None
    if enabled and not any(bare(w) in DETERMINERS - {"us"} for w in enabled.group("who").split()[:1]):
        # "Generics allow us to define types" / "Fiction allows humans to cooperate"
        do = "do" if plural else "does"
        return make_card(doc, st.node, f"What {do} {shown} {c.base} {enabled.group('who')} to do?",
                         enabled.group("vp"), extractor=NAME, score=0.55)
    if not _object_like(rest) or len(ws) <= 2:
        return _cloze(doc, st, shown, f"{verb} {rest}", 0.45)
    do = do_support(verb, c.base, plural)
    return make_card(doc, st.node, f"What {do} {shown} {c.base}?", rest, extractor=NAME, score=0.5)


@extractor(NAME)
def statements(doc: Document) -> Iterator[Card]:
    """Statements: any other fact -> "What does X <verb>?" or a cloze on what it says about X."""
    covered = answered_lines(doc)
    for st in fact_statements(doc):
        if st.node.line in covered:
            continue
        if st.secondary and _NEGATED_IMPERATIVE.match(st.node.text):
            continue  # "Don't X, because Y": the reason is on the advice card
        if not MIN_WORDS <= len(st.text.split()) <= MAX_WORDS:
            continue  # fragments and long passages
        if sum(1 for c in st.node.children if c.kind == ITEM) >= 2 and (
                st.clause is None or st.clause.subject):
            continue  # a list's label or claim ("Tests are design tools" + reasons): the list asks it
        card = _card(doc, st)
        if card is not None and not shares_all_words(card.question, card.answer):
            # a side clause's card ranks below the note's main statement
            yield replace(card, score=round(card.score - 0.1, 3)) if st.secondary else card



