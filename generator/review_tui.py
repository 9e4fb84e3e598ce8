"""`notedeck review`: walk new cards one at a time and accept, reject or edit each (Textual).

Every decision is saved to the review file the moment it is made, so quitting midway loses
nothing and the next `notedeck review` resumes with the cards still pending. Textual is an
optional extra (`pip install 'notedeck[review]'`); the rest of notedeck never imports it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from .cards import CLOZE, LIST, Card
from .review import ACCEPTED, REJECTED, Decision, Decisions, Reviewed
from .writers.anki import anki_tag

CONTEXT_LINES = 2
"""Lines of notes shown above and below a card's own lines."""


@dataclass
class Step:
    """One decision made, so it can be undone: where, which card, and what was there before."""

    index: int
    guid: str
    before: Decision | None


def source_lines(card: Card, sources: dict[str, Path]) -> list[tuple[int, str, bool]]:
    """The notes lines around `card`: (number, text, whether the card was made from it)."""
    path = sources.get(card.source.path)
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first = max(1, card.source.line - CONTEXT_LINES)
    last = min(len(lines), card.source.end_line + CONTEXT_LINES)
    return [(n, lines[n - 1], card.source.line <= n <= card.source.end_line) for n in range(first, last + 1)]


_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.S)


def _cloze_parts(text: str) -> list[tuple[str, bool]]:
    """Cloze text as (text, is-a-deletion) parts, the deletions filled in."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in _CLOZE.finditer(text):
        parts += [(text[last:m.start()], False), (m.group(1), True)]
        last = m.end()
    return [*parts, (text[last:], False)]


def parse_edited(text: str) -> tuple[str, str] | None:
    """The question and answer from an $EDITOR buffer (`question`, a `---` line, `answer`)."""
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    if "---" not in [ln.strip() for ln in lines]:
        return None
    cut = [ln.strip() for ln in lines].index("---")
    question = "\n".join(lines[:cut]).strip()
    answer = "\n".join(lines[cut + 1:]).strip()
    return (question, answer) if question and answer else None


class ReviewApp(App[int]):
    """The review screen; returns how many decisions were made."""

    CSS = """
    #progress { height: 1; background: $boost; padding: 0 1; }
    #card { padding: 0 1; }
    #source { padding: 0 1; color: $text-muted; }
    #editor { height: auto; display: none; padding: 0 1; }
    #editor.editing { display: block; }
    #tagger { height: auto; display: none; padding: 0 1; }
    #tagger.editing { display: block; }
    """
    AUTO_FOCUS = None  # the letter keys are commands until an edit begins
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("E", "edit_external", "Edit in $EDITOR"),
        Binding("t", "tag", "Tags"),
        Binding("s", "skip", "Skip"),
        Binding("u", "undo", "Undo"),
        Binding("q", "quit_review", "Quit"),
        Binding("escape", "cancel_edit", "Cancel edit", show=False),
    ]

    def __init__(self, items: list[Reviewed], decisions: Decisions, sources: dict[str, Path]) -> None:
        super().__init__()
        self.items = items
        self.decisions = decisions
        self.sources = sources
        self.index = 0
        self.history: list[Step] = []
        self.decided = 0

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        yield Static(id="card")
        with Vertical(id="editor"):
            yield Input(id="question", placeholder="question")
            yield Input(id="answer", placeholder="answer (Enter saves, Esc cancels)")
        with Vertical(id="tagger"):
            yield Input(id="tags", placeholder="extra tags, space-separated "
                                                "(Enter accepts the card with them, Esc cancels)")
        yield Static(id="source")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "notedeck review"
        self.show()

    # -- drawing

    @property
    def current(self) -> Reviewed | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def show(self) -> None:
        """Draw the current card, or the end of the review."""
        progress = self.query_one("#progress", Static)
        card_view = self.query_one("#card", Static)
        source = self.query_one("#source", Static)
        item = self.current
        if item is None:
            progress.update(f"{len(self.items)} / {len(self.items)}  ·  review done")
            card_view.update(Text(f"All {len(self.items)} pending cards seen; {self.decided} decided. "
                                  "Press q to quit.", style="bold"))
            source.update("")
            return
        card = item.card
        state = "edit is stale: the notes changed" if item.stale else item.status
        progress.update(f"{self.index + 1} / {len(self.items)}  ·  {card.deck}  ·  {state}")
        front = Text(card.question, style="bold")
        if card.type == LIST and card.items:
            back = Text("\n".join(f"• {i}" for i in card.items))
        elif card.type == CLOZE:  # as Anki shows it: a gap in front, the filled gap behind
            front = Text(_CLOZE.sub("[...]", card.question), style="bold")
            back = Text()
            for part, gap in _cloze_parts(card.question):
                back.append(part, style="bold reverse" if gap else "")
        else:
            back = Text(card.answer)
        meta = Table.grid(padding=(0, 2))
        meta.add_row(Text("extractor", style="dim"), Text(f"{card.extractor}  (score {card.score:.2f})"))
        meta.add_row(Text("type", style="dim"), Text(card.type))
        if card.tags:
            meta.add_row(Text("tags", style="dim"), Text(" ".join(card.tags)))
        card_view.update(Group(
            Panel(front, title="Front", title_align="left"),
            Panel(back, title="Back", title_align="left"),
            meta,
        ))
        lines = Text()
        for n, text, own in source_lines(card, self.sources):
            lines.append(f"{'>' if own else ' '} {n:5}  {text}\n", style="bold" if own else "")
        lines.rstrip()
        source.update(Panel(lines, title=f"{card.source.path}:{card.source.line}", title_align="left"))

    # -- deciding

    def _decide(self, status: str, question: str | None = None, answer: str | None = None,
                tags: list[str] | None = None) -> None:
        item = self.current
        if item is None:
            return
        card = item.generated
        before = self.decisions.items.get(card.guid)
        self.history.append(Step(self.index, card.guid, Decision(**vars(before)) if before else None))
        self.decisions.decide(card, status, question=question, answer=answer, tags=tags)
        self.decisions.save()  # saved as we go: quitting loses nothing
        self.decided += 1
        self.index += 1
        self.show()

    def action_accept(self) -> None:
        self._decide(ACCEPTED)

    def action_reject(self) -> None:
        self._decide(REJECTED)

    def action_skip(self) -> None:
        if self.current is not None:
            self.index += 1
            self.show()

    def action_undo(self) -> None:
        if not self.history:
            self.bell()
            return
        step = self.history.pop()
        self.decisions.forget(step.guid)
        if step.before is not None:
            self.decisions.items[step.before.guid] = step.before
        self.decisions.save()
        self.decided -= 1
        self.index = step.index
        self.show()

    def action_quit_review(self) -> None:
        self.exit(self.decided)

    # -- editing

    def action_edit(self) -> None:
        item = self.current
        if item is None:
            return
        editor = self.query_one("#editor")
        editor.add_class("editing")
        self.query_one("#question", Input).value = item.card.question
        self.query_one("#answer", Input).value = item.card.answer
        self.query_one("#question", Input).focus()

    def action_tag(self) -> None:
        item = self.current
        if item is None:
            return
        self.query_one("#tagger").add_class("editing")
        self.query_one("#tags", Input).value = ""
        self.query_one("#tags", Input).focus()

    def action_cancel_edit(self) -> None:
        self.query_one("#editor").remove_class("editing")
        self.query_one("#tagger").remove_class("editing")
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "tags":
            tags = [anki_tag(t) for t in re.split(r"[\s,]+", event.value) if t.strip()]
            self.action_cancel_edit()
            if tags:
                self._decide(ACCEPTED, tags=tags)
            return
        if event.input.id == "question":
            self.query_one("#answer", Input).focus()
            return
        question = self.query_one("#question", Input).value.strip()
        answer = self.query_one("#answer", Input).value.strip()
        self.action_cancel_edit()
        if question and answer:
            self._decide(ACCEPTED, question=question, answer=answer)

    def action_edit_external(self) -> None:
        item = self.current
        if item is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w+", suffix=".md", encoding="utf-8", delete=False) as f:
            f.write(f"{item.card.question}\n---\n{item.card.answer}\n"
                    "# Edit the question above the --- line and the answer below it.\n")
            name = f.name
        try:
            with self.suspend():
                subprocess.run([*shlex.split(editor), name], check=False)
            edited = parse_edited(Path(name).read_text(encoding="utf-8"))
        finally:
            Path(name).unlink(missing_ok=True)
        if edited is None:
            self.notify("no question/---/answer found: nothing changed", severity="warning")
            return
        self._decide(ACCEPTED, question=edited[0], answer=edited[1])
