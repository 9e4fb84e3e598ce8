"""The card factory: a `Card` made from the node it comes from, with its breadcrumb and tags."""

from __future__ import annotations

from ..cards import Card, new_card, new_source
from ..headings import heading_label
from ..language import topic_of
from ..outline import Document, Node

MAX_CONTEXT_PART = 120


def card_context(node: Node) -> str:
    """The breadcrumb shown on a card: enclosing headings (a note heading by its term), then
    enclosing list items."""
    items = (topic_of(p) for p in node.parents)
    parts = [*map(heading_label, node.context),
             *(p if len(p) <= MAX_CONTEXT_PART else p[: MAX_CONTEXT_PART - 1] + "…" for p in items)]
    return " > ".join(parts)


def make_card(doc: Document, node: Node, question: str, answer: str, *, extractor: str,
              score: float, type: str = "basic", end_line: int | None = None,
              items: tuple[str, ...] = (), line: int | None = None, context: str | None = None) -> Card:
    """A card sourced at `node` (lines `line`..`end_line`), carrying the node's breadcrumb and
    the tags it inherits (Org headline `:tags:`)."""
    source = new_source(doc.path, line or node.line, end_line or node.end_line)
    shown = card_context(node) if context is None else context
    return new_card(question, answer, source, type, shown, extractor, round(max(0.0, min(1.0, score)), 3),
                    node.tags, "", "", items)

