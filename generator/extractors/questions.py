"""Questions already in the notes: `Why GraphQL?` with child answers; `Q? Who uses this? ... Everyone!`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import LIST, LIST_SEPARATOR, Card
from ..explicit_syntax import split_card
from ..language import (
    QUESTION_WORDS,
    bare,
    clean_phrase,
    good_subject,
    is_opinion,
    split_speaker,
    topic_of,
)
from ..lexicon import MODALS, VAGUE_SUBJECTS
from ..outline import HEADING, ITEM, PARAGRAPH, Document, Node
from .analysis import each_statement
from .factory import make_card
from .registry import extractor

NAME = "question"
MAX_ANSWERS = 8
_Q_PREFIX = re.compile(r"^(?:Q|Question)\s*[?:.]\s*", re.I)
# "Yes, you can X" / "No, X is not Y": an answer that carries its own question.
_YES_NO = re.compile(r"^(?P<answer>yes|no)\s*[,.!:-]\s*(?P<rest>.+)$", re.I)
# A declarative question: "You can store that in a registry?" -> "Can you store that...?"
_DECLARATIVE = re.compile(r"^(?P<subject>you|we|it|they|this|that)\s+(?P<aux>can|could|should|will|"
                          r"would|must|is|are|do|does)\s+(?P<rest>.+)\?$", re.I)


def ask(text: str) -> str | None:
    """The question in `text` in asking form, or None when it is not a question."""
    prompted = bool(_Q_PREFIX.match(text.strip()))
    q = _Q_PREFIX.sub("", clean_phrase(topic_of(text)) if not text.rstrip().endswith("?") else text.strip())
    q = q.strip()
    if prompted and q and not q.endswith("?"):
        # "Q: Name three noble gases": the author's prompt, asked as written
        return q[0].upper() + q[1:] + ("?" if bare(q.split()[0]) in QUESTION_WORDS else "")
    if not q.endswith("?"):
        return None
    first = bare(q.split()[0]) if q.split() else ""
    if first in QUESTION_WORDS or first in MODALS:
        return q[0].upper() + q[1:]
    m = _DECLARATIVE.match(q)
    if m:
        subject = m.group("subject").lower()
        return f"{m.group('aux').capitalize()} {subject} {m.group('rest')}?"
    if len(q.split()) <= 3 and q[:1].isupper():
        return f"What about {q}"  # "GraphQL?" alone: the notes ask about a topic
    return None


def _resolve(question: str, topic: str | None) -> str | None:
    """Put the topic in place of a vague `this`/`it`; None when it cannot be named."""
    ws = question.rstrip("?").split()
    vague = [i for i, w in enumerate(ws) if bare(w) in VAGUE_SUBJECTS and i > 0]
    if not vague:
        return question
    if not topic:
        return None
    i = vague[-1]
    return " ".join([*ws[:i], topic, *ws[i + 1:]]) + "?"


def _answer_from_children(node: Node) -> tuple[tuple[str, ...], int]:
    kids = [c for c in node.children if c.kind in (ITEM, PARAGRAPH) and not is_opinion(c.text)]
    return tuple(clean_phrase(c.text) for c in kids), max((c.end_line for c in kids), default=node.end_line)


def _split_inline(text: str) -> tuple[str, str] | None:
    """`Q? Who uses this? Vim users? …No, everyone! It is used...` -> (question, answer)."""
    body = _Q_PREFIX.sub("", text.strip())
    parts = re.split(r"(?<=\?)\s+", body)
    questions = [p for p in parts if p.endswith("?")]
    rest = [p for p in parts if not p.endswith("?")]
    if not questions or not rest or parts[-1].endswith("?"):
        return None
    first_real = next((q for q in questions if bare(q.split()[0]) in QUESTION_WORDS), None)
    answer = clean_phrase(" ".join(rest))
    return (first_real, answer) if first_real and answer else None


@extractor(NAME)
def questions(doc: Document) -> Iterator[Card]:
    """Questions in the notes: `Why X?` with child answers, inline `Q? ... answer` -> that card."""
    for node, _ in doc.walk():
        if node.kind not in (ITEM, HEADING) or ("?" not in node.text and not _Q_PREFIX.match(node.text)):
            continue
        if split_card(node.text) is not None or split_speaker(node.text):
            continue  # "Who Tests the Tests? - Speaker" titles a talk; `front :: back` is the author's
        question = ask(node.text)
        answers, end = _answer_from_children(node)
        if not question or not 0 < len(answers) <= MAX_ANSWERS:
            continue
        if len(answers) == 1:
            yield make_card(doc, node, question, answers[0], extractor=NAME, score=0.75, end_line=end)
        else:
            yield make_card(doc, node, question, LIST_SEPARATOR.join(answers), extractor=NAME,
                            score=0.75, type=LIST, end_line=end, items=answers)
    done: set[int] = set()
    for st in each_statement(doc):
        if split_speaker(st.text) or id(st.node) in done:
            continue  # talk titles ask nothing (card lines are no statements)
        done.add(id(st.node))  # the inline split reads the whole block once
        split = _split_inline(st.node.text) if st.node.text.count("?") >= 1 else None
        if split is not None:
            question = _resolve(split[0], st.topic)
            if question:
                yield make_card(doc, st.node, question, split[1], extractor=NAME, score=0.7)
            continue
        m = _YES_NO.match(st.text)
        if m and len(m.group("rest").split()) >= 3:
            rest = clean_phrase(m.group("rest"))
            yn = _yes_no_question(rest)
            if yn:
                yield make_card(doc, st.node, yn, f"{m.group('answer').capitalize()}: {rest}",
                                extractor=NAME, score=0.6)


def _yes_no_question(statement: str) -> str | None:
    """`you can store X in Y` -> `Is it possible to store X in Y?` (asked without giving it away)."""
    m = re.match(r"^(?:you|we|one)\s+(?:can|could)\s+(?P<vp>.+)$", statement, re.I)
    if m:
        return f"Is it possible to {m.group('vp')}?"
    m = re.match(r"^(?P<s>.+?)\s+(?P<aux>is|are|can|does|do)\s+(?P<rest>.+)$", statement, re.I)
    if m and len(m.group("s").split()) <= 5 and good_subject(m.group("s")):
        return f"{m.group('aux').capitalize()} {m.group('s')} {m.group('rest')}?"
    return None
