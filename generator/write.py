"""Writing one extracted deck: the build's time, the lock's identities and times, then each
output format's writer."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from . import __version__, gitinfo
from .cache import RenderCache
from .cards import LIST_SEPARATOR, REMOVED_TAG, Card, Deck, Source
from .errors import NotedeckError
from .extract_files import Progress
from .extraction import Extraction
from .ids import slug
from .lock import Entry, Lock, Reconciled
from .options import OutputSpec
from .results import BuildResult, Timer  # noqa: F401 (imported from here before they moved)
from .sources import NotesFile
from .writers import WriteOptions, WriteReport, get_format
from .writers.anki import template_digests


def build_time(files: Sequence[NotesFile]) -> int:
    """The time a build stamps on what changed: SOURCE_DATE_EPOCH, else when the notes last
    changed (git commit time in a checkout, else the newest modification time), never the
    clock at build time: two builds of the same notes must agree."""
    epoch = source_date_epoch()
    if epoch is not None:
        return int(epoch)
    committed = gitinfo.last_change([f.path for f in files])
    if committed is not None:
        return committed
    return max((int(f.path.stat().st_mtime) for f in files), default=0)


def source_date_epoch() -> float | None:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else None (use the clock)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return float(int(value))
    except ValueError as exc:
        raise NotedeckError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds",
                            "set it to a Unix timestamp such as 1700000000") from exc


def deck_description(files: int) -> str:
    """What Anki's deck overview says about a built deck."""
    return f"Built with notedeck {__version__} from {files} notes file{'s' if files != 1 else ''}."


def require_cards(extraction: Extraction) -> None:
    """Raise the error that says why a deck has no cards to write (empty notes, suggestions only...)."""
    if extraction.cards:
        return
    shown = ", ".join(f.display for f in extraction.files[:3])
    if len(extraction.empty) + len(extraction.not_text) == len(extraction.files):
        verb = "is" if len(extraction.files) == 1 else "are"
        what = "empty" if not extraction.not_text else "not text" if not extraction.empty \
            else "empty or not text"
        raise NotedeckError(f"nothing to read: {shown} {verb} {what}",
                            "write some notes first, or point notedeck at another file")
    if extraction.suggestions:
        n = len(extraction.suggestions)
        raise NotedeckError(f"no cards sure enough for the deck in {shown}, only {n} suggestion"
                            f"{'s' if n != 1 else ''}",
                            "accept them with notedeck review (or see notedeck extract --suggestions)")
    raise NotedeckError(f"no cards found in {shown}",
                        "notedeck needs definitions (X is Y), lists or `question :: answer` lines")


def write_deck(extraction: Extraction, folder: Path, spec: OutputSpec, *, allow_html: bool = False,
               lock: Lock | None = None, tombstones: bool = False, timer: Timer | None = None,
               progress: Progress | None = None, rendered: RenderCache | None = None,
               per_file: bool = False) -> tuple[list[Path], int, WriteReport]:
    """Write one extracted deck in each of `spec`'s formats to `folder/<slug>.<suffix>`.

    With a `lock`, cards keep their remembered GUIDs and modification times (see `lock.py`);
    returns the paths written, how many cards left the notes since the last build and what
    the writers reported, together (`per_file`: what each notes file's cards became in the
    package, for a later patch). Warnings from the writers (missing images, unbalanced math)
    join the extraction's."""
    timer = timer or Timer(None)
    require_cards(extraction)
    fmts = [get_format(name) for name in spec.formats]
    now = build_time(extraction.files)
    options = WriteOptions(
        template_dirs=spec.templates, timestamp=now, allow_html=allow_html,
        sources={f.display: f.path for f in extraction.files}, notes_root=extraction.root,
        sheet=spec.sheet, rendered=rendered, per_file=per_file,
    )
    cards, removed = extraction.cards, []
    if lock is not None:
        with timer("lock"):
            rec, type_times = reconcile(lock, extraction, spec.templates, now)
        cards, removed = rec.cards, rec.removed
        mod_times = dict(rec.mod_times)
        if tombstones:
            gone = [tombstone(e) for e in lock.removed(extraction.deck)]
            mod_times.update({e.guid: e.removed for e in lock.removed(extraction.deck)})
            cards = [*cards, *gone]
        options = replace(options, mod_times=mod_times, note_type_times=type_times)
    extraction.cards = cards
    deck = Deck(extraction.deck, tuple(cards), deck_description(extraction.files_read))
    paths = []
    report = WriteReport()
    for fmt in fmts:
        target = folder / f"{slug(extraction.deck)}{fmt.suffix}"
        if progress:
            progress.start(f"writing {fmt.name}", cards=len(cards))
        with timer(f"write {fmt.name}"):
            wrote = fmt.write(deck, target, options)
        extraction.warnings.extend(wrote.warnings)
        report.warnings.extend(wrote.warnings)
        report.images.update(wrote.images)
        report.written = report.written or wrote.written
        paths.append(target)
    return paths, len(removed), report


def reconcile(lock: Lock, extraction: Extraction, templates: Sequence[Path],
              now: int) -> tuple[Reconciled, dict[str, float]]:
    """Match a deck's cards to the lock (remembered GUIDs and modification times, see
    `Lock.reconcile`) and note when each note type last changed: what a build does to the lock
    (and `check --frozen` in memory)."""
    rec = lock.reconcile(extraction.deck, extraction.cards, now, extraction.left_out)
    digests = template_digests(WriteOptions(template_dirs=tuple(templates)))
    return rec, {name: lock.note_type_time(name, d, now) for name, d in digests.items()}


def tombstone(entry: Entry) -> Card:
    """A card that left the notes, sent once more tagged `notedeck::removed` so it is easy to find."""
    items = tuple(entry.answer.split(LIST_SEPARATOR)) if entry.type == "list" else ()
    return Card(question=entry.question, answer=entry.answer, type=entry.type, context=entry.context,
                source=Source(entry.path, 1, 1), extractor="removed", deck=entry.deck, guid=entry.guid,
                tags=(*entry.tags, REMOVED_TAG), items=items)
