"""A card's displayed fields, rendered once for every writer: front, back, topic and source.

The Anki package, the CSV and the review sheet show the same card; they differ only in how
they package its fields (note fields, a tab-separated row, a printed page) and in the
renderer's settings (images packed or embedded, math for MathJax or for paper, cloze
deletions live or blanked). So which text goes on which side, how a list's items show (an
ordered list when the question asks for them in order) and where a field's images are
looked up are decided here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .cards import CLOZE, LIST, Card
from .markup import DELETION
from .render import Renderer

__all__ = ["CardFields", "card_fields", "deleted_texts", "empty_front", "list_tag", "shows_something",
           "source_of"]

ClozeShown = Literal["live", "blank"]
"""How a cloze card's deletions show: live for Anki (it hides them itself), or as blanks (paper)."""


@dataclass(frozen=True, slots=True)
class CardFields:
    """One card as every writer shows it: two HTML sides and two lines of plain text."""

    front: str
    """The question as HTML (a cloze card: its text, deletions live or blanked)."""
    back: str
    """The answer as HTML: a list card's items as a list; a cloze card's is empty when its
    deletions are live (they are the answer), the deleted texts when they are blanked."""
    context: str
    """The heading breadcrumb above the card's source, as written (not HTML)."""
    source: str
    """Where the card comes from, `path:line` (not HTML); warnings name it too."""


def card_fields(card: Card, renderer: Renderer, notes_file: Path | None = None,
                cloze: ClozeShown = "live") -> CardFields:
    """`card`'s fields rendered by `renderer`; `notes_file` is the notes file on disk, which
    the card's images are relative to (None: the working folder). `cloze`: how a cloze card's
    deletions show."""
    where = source_of(card)

    def html(text: str, shown: bool | ClozeShown = False) -> str:
        return renderer.field(text, where=where, notes_file=notes_file, cloze=shown)

    if card.type == CLOZE:
        front = html(card.question, cloze)
        back = "" if cloze == "live" else html(deleted_texts(card))
        return CardFields(front, back, card.context, where)
    front = html(card.question)  # before the back: warnings and images keep the card's order
    if card.type == LIST and card.items:
        tag = list_tag(card)
        back = f"<{tag}>" + "".join(f"<li>{html(i)}</li>" for i in card.items) + f"</{tag}>"
    else:
        back = html(card.answer)
    return CardFields(front, back, card.context, where)


def source_of(card: Card) -> str:
    """Where `card` comes from as its source field and its warnings name it: `path:line`."""
    return f"{card.source.path}:{card.source.line}"


def list_tag(card: Card) -> str:
    """`ol` when a list card asks for its items in order (`... in order?`), else `ul`."""
    return "ol" if card.question.rstrip("?").endswith("in order") else "ul"


def deleted_texts(card: Card) -> str:
    """What a cloze card's deletions hide, joined by `; ` (its answer when it has none)."""
    return "; ".join(m.group(1) for m in DELETION.finditer(card.question)) or card.answer


_TAGS_AND_SPACE = re.compile(r"<[^>]*>|&nbsp;|\s")


def shows_something(field_html: str) -> bool:
    """Whether a rendered field shows anything: text, an image or math."""
    if "<" not in field_html and "&nbsp;" not in field_html:  # plain text (most fields): no tags to drop
        return not field_html.isspace() and field_html != ""
    return bool(_TAGS_AND_SPACE.sub("", field_html)) or "<img" in field_html


def empty_front(card: Card, front: str) -> str | None:
    """Why the rendered `front` of `card` shows an empty side, or None: `cards.empty_side`'s
    rule on the HTML, where unsafe HTML the sanitiser removed can leave nothing (Anki makes
    no card of a note whose front, or one of whose cloze deletions, is empty). In rendered
    HTML only live deletions remain: note text's braces are entities."""
    if not shows_something(front):
        return "the card's front is empty once unsafe HTML is removed"
    if card.type == CLOZE and not all(shows_something(m.group(1)) for m in DELETION.finditer(front)):
        return "a cloze deletion is empty once unsafe HTML is removed"
    return None
