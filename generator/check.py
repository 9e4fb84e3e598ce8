"""`notedeck check`: find what would make a deck release wrong, without writing anything.

Errors (exit 1): a config or notes file that cannot be read, an empty notes file, a deck
without cards, a card with an empty side, two cards with one GUID, a missing or refused
image, unbalanced math, and with `frozen` a lock file the build would change. Warnings
(exit 1 only with `--strict`): anything else the build would warn about (a file decoded as
Windows-1252, an image given as a URL). Every problem carries the file and line it is about,
so CI can show it on the pull request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cards import Card, empty_side
from .errors import NotedeckError
from .extraction import Extraction, apply_review
from .fields import card_fields, empty_front
from .lock import Lock
from .options import BuildOptions
from .plan import Job, plan
from .render import Media, Renderer
from .sources import PathLike
from .write import build_time
from .write import reconcile as reconcile_deck
from .writers import WriteOptions
from .writers.anki import NOTE_TYPES, note_type

ERROR = "error"
WARNING = "warning"

# Renderer and Media warnings that mean a card would show something broken.
_BROKEN = re.compile(r"image .* (not found|is outside the notes folder|refused)|unbalanced math")
# `path:line: message` or `path: message`, the form of every warning notedeck writes.
_LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?:(?P<line>\d+):)? (?P<message>.+)$", re.S)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where it is and how bad."""

    severity: str
    message: str
    file: str | None = None
    """The file as the user named it (relative to the config or the working folder)."""
    line: int | None = None
    path: Path | None = None
    """The file on disk, for annotations relative to the repository."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else ""
        where = where or (f"{self.file}: " if self.file else "")
        return f"{where}{self.severity}: {self.message}"

    def annotation(self, strict: bool = False, cwd: Path | None = None) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request."""
        level = ERROR if strict or self.severity == ERROR else WARNING
        props = []
        shown = self.file
        if self.path is not None:
            try:
                shown = os.path.relpath(self.path.resolve(), (cwd or Path.cwd()).resolve())
            except ValueError:  # another drive on Windows
                shown = str(self.path)
        if shown:
            props.append(f"file={_escape(Path(shown).as_posix(), prop=True)}")
        if self.line:
            props.append(f"line={self.line}")
        head = f"::{level} {','.join(props)}::" if props else f"::{level}::"
        return head + _escape(self.message)


def _escape(text: str, prop: bool = False) -> str:
    """Escape a workflow-command value as the Actions runner expects."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


@dataclass
class Report:
    """What `check` found."""

    problems: list[Problem] = field(default_factory=list)
    decks: int = 0
    cards: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        """Whether CI should fail: on any error, or with `strict` on any warning too."""
        return bool(self.errors or (strict and self.warnings))


def located(severity: str, text: str, files: dict[str, Path] | None = None) -> Problem:
    """A problem from a `file:line: message` warning or error text."""
    m = _LOCATED.match(text)
    if m and (files is None or m.group("file") in files or Path(m.group("file")).exists()):
        name = m.group("file")
        line = int(m.group("line")) if m.group("line") else None
        path = (files or {}).get(name) or Path(name)
        return Problem(severity, m.group("message"), name, line, path)
    return Problem(severity, text)


def check_deck(ex: Extraction, job: Job, report: Report) -> None:
    """Problems of one extracted deck: its sources, its cards, and how they render."""
    files = {f.display: f.path for f in ex.files}
    empty = {f.display for f in ex.empty}
    for f, why in ex.unreadable:
        report.problems.append(Problem(ERROR, why, f.display, None, f.path))
    for f in ex.empty:
        report.problems.append(Problem(ERROR, "no notes in this file (empty)", f.display, None, f.path))
    for text in ex.warnings:
        problem = located(WARNING, text, files)
        if not (problem.file in empty and "(empty)" in problem.message):
            report.problems.append(problem)
    readable = [f for f in ex.files if f not in {u for u, _ in ex.unreadable}]
    if not ex.cards and len(ex.empty) < len(readable):
        shown = ", ".join(f.display for f in readable[:3])
        report.problems.append(Problem(ERROR, f"deck {ex.deck!r} has no cards (read {shown})"))
    options = WriteOptions(template_dirs=job.output.templates, sources=files, notes_root=ex.root)
    try:
        for kind in NOTE_TYPES:
            note_type(kind, options)
    except NotedeckError as exc:
        report.problems.append(located(ERROR, str(exc)))
        return
    renderer = Renderer(media=Media(ex.root))
    for card in [*ex.cards, *ex.suggestions]:  # a suggestion is one accept away from the deck
        path = files.get(card.source.path)
        rendered = card_fields(card, renderer, path)  # as the Anki writer renders it
        side = empty_side(card) or empty_front(card, rendered.front)
        if side:
            report.problems.append(Problem(ERROR, side, card.source.path, card.source.line, path))
    assert renderer.media is not None
    for text in [*renderer.warnings, *renderer.media.warnings]:
        report.problems.append(located(ERROR if _BROKEN.search(text) else WARNING, text, files))


def check_guids(decks: Sequence[Extraction], report: Report) -> None:
    """Two cards with one GUID would overwrite each other in Anki."""
    seen: dict[str, Card] = {}
    for ex in decks:
        paths = {f.display: f.path for f in ex.files}
        for card in ex.cards:
            first = seen.setdefault(card.guid, card)
            if first is not card:
                report.problems.append(Problem(
                    ERROR, f"card GUID {card.guid} is also used by {first.source.path}:{first.source.line} "
                    f"({first.question!r}): Anki would keep only one; reword one, "
                    "or keep a notes file in one deck",
                    card.source.path, card.source.line, paths.get(card.source.path)))


def reconcile(lock: Lock, decks: Sequence[tuple[Job, Extraction]]) -> None:
    """Do to `lock` (in memory) what a build would: give the cards their remembered GUIDs and
    note when they and the note types last changed."""
    for job, ex in decks:
        ex.cards = reconcile_deck(lock, ex, job.output.templates, build_time(ex.files))[0].cards


def check(sources: Sequence[PathLike] = (), options: BuildOptions | None = None, *, frozen: bool = False,
          cache: Path | None = None) -> Report:
    """Check the decks `build` would build (the arguments of `plan.plan`), with the
    review file's decisions applied as `build` applies them (stale edits are warnings). With a
    `cache` folder, files are extracted through the extraction cache `build` uses, so a build
    after the check (as in CI) extracts nothing again."""
    report = Report()
    options = options or BuildOptions()
    try:
        jobs, lock_file = plan(sources, options)
    except NotedeckError as exc:
        report.problems.append(located(ERROR, exc.message))
        return report
    extracted: list[tuple[Job, Extraction]] = []
    for job in jobs:
        try:
            ex = job.extract(skip_unreadable=True, cache=cache)
            apply_review(ex, job.review, accepted_only=options.accepted_only)  # stale edits become warnings
        except NotedeckError as exc:
            report.problems.append(located(ERROR, exc.message))
            continue
        extracted.append((job, ex))
    lock = None
    if (options.use_lock or frozen) and lock_file.is_file():
        try:
            lock = Lock.load(lock_file)
        except NotedeckError as exc:
            report.problems.append(located(ERROR, exc.message))
            return report
    if lock is not None:
        before = lock.dumps()
        reconcile(lock, extracted)  # the GUIDs the build would give
    for job, ex in extracted:
        check_deck(ex, job, report)
    check_guids([ex for _, ex in extracted], report)
    if frozen and lock is None:
        report.problems.append(Problem(ERROR, "no lock file; run `notedeck build` and commit it",
                                       lock_file.name, None, lock_file))
    elif frozen and lock is not None and lock.dumps() != before:
        report.problems.append(Problem(
            ERROR, "the lock file is out of date with the notes; "
            "run `notedeck build` and commit notedeck.lock",
            lock_file.name, None, lock_file))
    report.problems = list(dict.fromkeys(report.problems))  # two cards of one line: one report
    report.decks = len(extracted)
    report.cards = sum(len(ex.cards) for _, ex in extracted)
    return report

