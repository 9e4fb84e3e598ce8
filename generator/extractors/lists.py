"""Lists: a parent item (or short heading) with child items becomes one card whose answer is the list."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import LIST, LIST_SEPARATOR, Card
from ..language import (
    clean_phrase,
    drop_trailing_parenthetical,
    is_opinion,
    looks_plural,
    subject_case,
)
from ..outline import HEADING, ITEM, Document, Node
from . import extractor, make_card

NAME = "list"
MIN_ITEMS = 2
MAX_ITEMS = 10
MAX_ITEM_WORDS_UNDER_HEADING = 6  # a heading's items must be short to read as one list
MAX_PHRASE_WORDS = 8  # parents longer than this are sentences, not names of a list
# Verbs that show a parent is a statement ("Tests are also design tools"), not a label.
_VERB = re.compile(r"\b(is|are|was|were|has|have|had|can|should|must|will|would|does|do|did|"
                   r"uses?|makes?|provides?|allows?|needs?)\b", re.I)
_STEP_WORDS = re.compile(r"\b(steps|stages|phases)\b", re.I)


def list_question(parent: str, ordered: bool) -> str:
    """A grammatical question asking for the children of `parent`."""
    label = clean_phrase(drop_trailing_parenthetical(parent))
    if label.endswith("?"):
        return label
    plural = looks_plural(label)
    if ordered:
        if plural and _STEP_WORDS.search(label):
            return f"What are the {subject_case(label, True)}, in order?"
        return f"What are the steps of {label}, in order?"
    if len(label.split()) <= MAX_PHRASE_WORDS and not _VERB.search(label):
        return f"What are the {subject_case(label, True)}?" if plural else f"What does {label} include?"
    return f'What are the points listed under "{label}"?'


def _children(node: Node) -> list[Node]:
    return [c for c in node.children if c.kind == ITEM and c.text.strip()]


@extractor(NAME)
def lists(doc: Document) -> Iterator[Card]:
    """Lists: a parent with child items -> "What are the <parent>?" with the items as answer."""
    for node, _ in doc.walk():
        if node.kind not in (ITEM, HEADING) or is_opinion(node.text):
            continue
        items = _children(node)
        if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
            continue
        if node.kind == HEADING and any(
            len(c.text.split()) > MAX_ITEM_WORDS_UNDER_HEADING or c.children for c in items
        ):
            continue
        answers = tuple(clean_phrase(c.text) for c in items if not is_opinion(c.text))
        if len(answers) < MIN_ITEMS:
            continue
        ordered = all(c.ordered for c in items)
        question = list_question(node.text, ordered)
        score = 0.7 if node.kind == HEADING or ordered else 0.6
        end = max(c.end_line for c in items)
        yield make_card(doc, node, question, LIST_SEPARATOR.join(answers), extractor=NAME,
                        score=score, type=LIST, end_line=end, items=answers)
