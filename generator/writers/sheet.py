"""Printable review sheets: the deck's cards as self-contained HTML, or PDF through WeasyPrint.

Three layouts, each a Jinja template in templates/sheet/ (overridable with -t): `table`
(questions left, answers right of a fold line, grouped by heading), `cards` (cut-out cards,
backs mirrored for double-sided printing) and `quiz` (questions, then an answer key). Math
prints as its TeX source in monospace (there is no MathJax on paper); images are embedded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..cards import Card, Deck
from ..errors import NotedeckError
from ..fields import card_fields
from ..language import topic_of
from ..options import LAYOUTS, PAPERS
from ..render import Media, Renderer
from ..templating import environment, render
from . import WriteOptions, WriteReport, atomic_output, cached_render, register

PAGE_HEIGHT_MM = {"a4": 297.0, "letter": 279.4}
CARD_COLUMNS = 2
CARD_ROWS = 5


@dataclass(frozen=True)
class SheetCard:
    """One card as the sheet shows it (HTML fragments)."""

    n: int
    question: Markup
    answer: Markup
    context: str


def _sheet_card(n: int, card: Card, renderer: Renderer, options: WriteOptions) -> SheetCard:
    question, answer = cached_render(card, renderer, options, lambda: _fields(card, renderer, options),
                                     ("sheet",))
    # on paper the context shows next to the question: never with a speaker's name in it
    context = " > ".join(topic_of(p) for p in card.context.split(" > ")) if card.context else ""
    return SheetCard(n, Markup(question), Markup(answer), context)  # the renderer's HTML is escaped


def _fields(card: Card, renderer: Renderer, options: WriteOptions) -> list[str]:
    """The question and answer as the sheet shows them (cloze deletions blanked, the deleted
    texts as the answer), as HTML (see `fields.card_fields`)."""
    shown = card_fields(card, renderer, options.sources.get(card.source.path), cloze="blank")
    return [shown.front, shown.back]


def _date(options: WriteOptions) -> str:
    when = dt.datetime.fromtimestamp(options.timestamp, dt.timezone.utc) if options.timestamp is not None \
        else dt.datetime.now(dt.timezone.utc)
    return when.strftime("%Y-%m-%d")


def _card_pages(cards: list[SheetCard]) -> list[dict]:
    """Fronts, then backs mirrored left-right row by row, so each answer prints behind its question."""
    per_page = CARD_COLUMNS * CARD_ROWS
    pages = []
    for start in range(0, len(cards), per_page):
        chunk: list[SheetCard | None] = list(cards[start:start + per_page])
        chunk += [None] * (per_page - len(chunk))
        rows = [chunk[r * CARD_COLUMNS:(r + 1) * CARD_COLUMNS] for r in range(CARD_ROWS)]
        pages.append({"side": "front", "cells": chunk})
        pages.append({"side": "back", "cells": [c for row in rows for c in reversed(row)]})
    return pages


def render_sheet(deck: Deck, options: WriteOptions) -> tuple[str, WriteReport]:
    """The sheet's HTML (self-contained), and its warnings and the images it looked for."""
    layout, paper = options.sheet.layout, options.sheet.paper
    if layout not in LAYOUTS:
        raise NotedeckError(f"unknown sheet layout {layout!r}", f"use one of: {', '.join(LAYOUTS)}")
    if paper not in PAPERS:
        raise NotedeckError(f"unknown paper size {paper!r}", f"use one of: {', '.join(PAPERS)}")
    media = Media(options.notes_root, embed=True)
    renderer = Renderer(allow_html=options.allow_html, media=media, math="tex")
    cards = [_sheet_card(n, c, renderer, options) for n, c in enumerate(deck.cards, 1)]
    groups: list[dict] = []
    for card in cards:
        # a card under a sub-heading or a parent item stays in its section's group
        if not groups or not (card.context == groups[-1]["key"]
                              or card.context.startswith(groups[-1]["key"] + " > ")):
            title = " > ".join(topic_of(p) for p in card.context.split(" > ")) if card.context else ""
            groups.append({"key": card.context, "title": title, "cards": []})
        groups[-1]["cards"].append(card)
    title = options.sheet.title or deck.name
    size = PAPERS[paper]
    env = environment(options.template_dirs)
    html = render(env, f"sheet/{layout}.html", title=title, date=_date(options), count=len(cards),
                  paper=size, groups=groups, cards=cards, pages=_card_pages(cards), columns=CARD_COLUMNS,
                  row_height=row_height_for(paper))
    return html, WriteReport(renderer.warnings + media.warnings, media.seen)


def row_height_for(paper: str) -> str:
    """Card height: the printable page height (minus margins and footer) split into rows."""
    return f"{(PAGE_HEIGHT_MM[paper] - 10 - 14 - 2) / CARD_ROWS:.1f}mm"


@register("sheet-html", ".html")
def write_html(deck: Deck, path: Path, options: WriteOptions) -> WriteReport:
    """Write the review sheet as one self-contained HTML file (prints well from a browser)."""
    html, report = render_sheet(deck, options)
    with atomic_output(path) as tmp:
        tmp.write_text(html, encoding="utf-8", newline="\n")
    return report


def _no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict:
    """WeasyPrint's fetcher: the sheet is self-contained, so anything else is refused."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url)
    raise ValueError(f"notedeck sheets never fetch {url}")


@register("sheet-pdf", ".pdf")
def write_pdf(deck: Deck, path: Path, options: WriteOptions) -> WriteReport:
    """Write the review sheet as PDF with WeasyPrint (the `pdf` extra)."""
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise NotedeckError("PDF sheets need WeasyPrint, which is not installed",
                            "pip install 'notedeck[pdf]' (or write .html and print it from a browser)",
                            ) from exc
    html, report = render_sheet(deck, options)
    with atomic_output(path) as tmp:
        weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf(tmp)
    return report

