"""What several extractors read of a document, worked out once per document: its statements
(sentences with their topic), the lines a bigger card already asks, lists and procedures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from ..explicit_syntax import card_line
from ..headings import heading_label, note_heading
from ..language import (
    Casing,
    Clause,
    clause,
    drop_open_questions,
    drop_trailing_parenthetical,
    good_subject,
    is_explicit_syntax,
    is_imperative,
    is_noise,
    is_opinion,
    sentences,
    split_speaker,
    topic_of,
)
from ..outline import CODE, HEADING, ITEM, PARAGRAPH, ROOT, Document, Node

MIN_STEPS = 3
MAX_MEDIAN_ITEM_WORDS = 6


def step_runs(parent: Node) -> list[list[Node]]:
    """Runs of 3+ consecutive sibling items that are instructions (`Get X`, `Add Y`, `Create Z`):
    a procedure, better asked as one ordered list than as separate cards."""
    runs: list[list[Node]] = []
    if list_like(parent):
        return runs  # entries of a list, asked by the list card
    current: list[Node] = []
    for child in [*parent.children, None]:
        if child is not None and child.kind == ITEM and not is_explicit_syntax(child.text) \
                and is_imperative(child.text):  # a card the author wrote is no step
            current.append(child)
            continue
        if len(current) >= MIN_STEPS:
            runs.append(current)
        current = []
    return runs


MAX_HEADING_ENTRY_WORDS = 6
CATEGORY = re.compile(r"^(?:the\s+)?(?:main\s+|major\s+|different\s+)?"
                      r"(?:types|kinds|classes|categories|forms|parts|components|stages|phases|steps|functions|"
                      r"causes|effects|symptoms|signs|layers|levels|branches|sources)\s+of\s+\S", re.I)
"""A list named for what its entries are: "Types of hormones", "Stages of mitosis"."""
MAX_TALK_ENTRY_WORDS = 8
_NEGATED_IMPERATIVE = re.compile(r"^(?:don['’]?t|do not|never|avoid)\s+\S", re.I)


def answered_lines(doc: Document) -> set[int]:
    """Lines already asked as part of a bigger card, so no card of their own is wanted:
    answers under a question, entries of a short list, steps of a procedure, reasons under
    a "Don't X" advice. Worked out once per document."""
    found = doc.analysis.get("answered_lines")
    if found is None:
        found = doc.analysis["answered_lines"] = frozenset(_answered_lines(doc))
    return set(cast("frozenset[int]", found))


def _answered_lines(doc: Document) -> set[int]:
    """The lines of `answered_lines`, computed."""
    lines: set[int] = set()
    for parent in [doc.root] + [n for n, _ in doc.walk() if n.children]:
        for run in step_runs(parent):
            lines.update(n.line for n in run)
        kids = [c for c in parent.children if c.kind in (ITEM, PARAGRAPH)]
        if parent.kind == ROOT:
            continue
        if list_like(parent):
            lines.update(c.line for c in kids if len(c.text.split()) <= MAX_TALK_ENTRY_WORDS)
        if (parent.text.rstrip().endswith("?") and not split_speaker(parent.text)) \
                or _NEGATED_IMPERATIVE.match(parent.text):
            lines.update(c.line for c in kids)
    return lines


def list_like(node: Node) -> bool:
    """A parent whose item children are short, like entries of one list (not facts of their own).

    Under an item, most entries must be short; under a heading, every entry must be a short
    leaf (a heading's children are usually separate notes)."""
    items = [c for c in node.children if c.kind == ITEM]
    if len(items) < 2:
        return False
    if node.kind == HEADING:  # a heading naming a kind of list ("Types of hormones") may detail each entry
        named = CATEGORY.match(re.sub(r"^[\W\d.]*", "", node.text)) is not None
        return all(len(c.text.split()) <= MAX_HEADING_ENTRY_WORDS and (named or not c.children)
                   for c in items)
    if split_speaker(node.text):  # a talk's notes are facts unless every one is short
        return all(len(c.text.split()) <= MAX_TALK_ENTRY_WORDS for c in items)
    lengths = sorted(len(c.text.split()) for c in items)
    return lengths[(len(lengths) - 1) // 2] <= MAX_MEDIAN_ITEM_WORDS


@dataclass(frozen=True, slots=True)
class Statement:
    """One sentence of an item or paragraph, with what the notes around it tell about it."""

    node: Node
    """The block the sentence is in."""
    parent: Node
    """The block above it (an item, a heading, or the root)."""
    text: str
    """The sentence, open-question asides removed."""
    clause: Clause | None
    """Its subject / verb / rest split, when it has a verb."""
    sibling_subject: str | None
    """The named subject of the sentence just before (a bullet that goes on about it)."""
    parent_subject: str | None
    """The subject or label of the item or heading above."""
    casing: Casing
    """Which capitalised words the notes treat as names."""
    secondary: bool = False
    """A later clause of an item (after a comma or an arrow), not the item's main statement."""

    @property
    def topic(self) -> str | None:
        """What a subject-less or vague sentence is about: the previous sentence's subject,
        else what the parent item or heading names."""
        return self.sibling_subject or self.parent_subject


def _label_subject(text: str) -> str | None:
    """The subject a parent item or heading offers to its children, if it names one."""
    label = drop_trailing_parenthetical(topic_of(text)).rstrip(":")
    c = clause(label)
    if c is not None and good_subject(c.subject):
        return c.subject
    if c is None and len(label.split()) <= 6 and not label.endswith("?"):
        return label
    return None


_ARROW_TAIL = re.compile(r"\s+(?:->|=>|→)\s+(?P<tail>.{6,})$")


def fact_statements(doc: Document) -> Iterator[Statement]:
    """The statements that may hold a fact to ask about: not an explicit card the author wrote,
    not an aside, not a question, not a talk title. Worked out once per document."""
    found = doc.analysis.get("fact_statements")
    if found is None:
        found = doc.analysis["fact_statements"] = [
            st for st in each_statement(doc)
            if not (is_noise(st.text) or st.text.rstrip().endswith("?")
                    or split_speaker(st.text))]
    return iter(cast("list[Statement]", found))


# a line break, or the end of a sentence (not of "e.g." or "U.S."): a full stop after two
# lower-case letters, digits or a bracket, then a capital
_LINE_OR_SENTENCE = re.compile(r"\s*\n\s*|(?<=[a-z0-9)]{2}[.!?])\s+(?=[A-Z])")


def own_sentence(text: str, start: int, end: int) -> str:
    """The line or sentence of `text` that holds `text[start:end]`: a cloze shows the sentence
    its blank is in, not the next one (which may give it away)."""
    at = 0
    for m in _LINE_OR_SENTENCE.finditer(text):
        if m.start() >= end:
            return text[at:m.start()]
        if m.end() <= start:
            at = m.end()
    return text[at:]


def subclauses(text: str) -> list[str]:
    """Later clauses that stand on their own: an arrow's consequence (`X -> use Y`), and comma-
    or semicolon-separated clauses that name their own subject."""
    tail = _ARROW_TAIL.search(text)
    out = [tail.group("tail").strip()] if tail else []
    text = text[: tail.start()] if tail else text
    parts = re.split(r"[,;]\s+|\s+(?:however|but|whereas)\s+", text)
    for part in parts[1:]:
        part = re.sub(r"^(?:and|or|but|so|however|although|though|while|whereas|then)\s+", "", part,
                      flags=re.I)
        c = clause(part)
        if c is not None and good_subject(c.subject) and len(part.split()) >= 4:
            out.append(part.strip())
    return out


def doc_casing(doc: Document) -> Casing:
    """Name/common-word knowledge from a document's sentences (headings are Title Case: no evidence)."""
    found = doc.analysis.get("casing")
    if found is None:
        found = doc.analysis["casing"] = Casing(n.text for n, _ in doc.walk() if n.kind in (ITEM, PARAGRAPH))
    return cast(Casing, found)


def each_statement(doc: Document) -> Iterator[Statement]:
    """Every sentence of every item and paragraph, with its resolved topic (source order).
    Worked out once per document: several extractors read the same statements."""
    found = doc.analysis.get("statements")
    if found is None:
        found = doc.analysis["statements"] = list(_statements(doc, doc_casing(doc)))
    return iter(cast("list[Statement]", found))


def _statements(doc: Document, casing: Casing) -> Iterator[Statement]:
    """The statements of `doc`, computed (see `each_statement`)."""
    for parent in [doc.root] + [n for n, _ in doc.walk() if n.children]:
        label = heading_label(parent.text) if parent.kind == HEADING else parent.text
        inherited = _label_subject(label) if parent.kind in (ITEM, HEADING) and label else None
        previous: str | None = None
        for node in parent.children:
            # A heading written as a note (`## Osmosis: diffusion of water`) is read as a bullet.
            whole = node.kind == ITEM or (node.kind == HEADING and note_heading(node.text) is not None)
            # A card the author wrote is no statement (every reader of statements skips it),
            # and what follows it does not continue its subject.
            if not (whole or node.kind == PARAGRAPH) or not node.text.strip() \
                    or is_explicit_syntax(node.text) or (whole and is_opinion(node.text)):
                previous = None
                continue
            # An item is one note, read whole (plus any later clause with its own subject:
            # "Write tests for X, mutation testing is not mature"); a paragraph sentence by sentence.
            parts = [node.text, *subclauses(node.text)] if whole else sentences(node.text)
            for k, sentence in enumerate(parts):
                if is_opinion(sentence):
                    continue  # a paragraph may mix facts and asides: only the facts count
                text = drop_open_questions(sentence)
                c = clause(text)
                yield Statement(node, parent, text, c, previous, inherited, casing, secondary=whole and k > 0)
                previous = c.subject if c is not None and good_subject(c.subject) and node.kind != HEADING \
                    else None


def only_written_cards(doc: Document) -> bool:
    """Whether every note of `doc` is a card the author wrote (`front :: back`, `Q:` / `A:`
    lines; code an answer goes on with; headings that only name a topic): then the other
    extractors, which leave such lines alone, have nothing to read, and need not run."""
    for node, _ in doc.walk():
        if node.kind == CODE:
            continue
        if node.kind == HEADING:
            if note_heading(node.text) is not None:
                return False
        elif not card_line(node.text):
            return False
    return True
