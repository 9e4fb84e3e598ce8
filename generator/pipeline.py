"""The pipeline: find notes -> read -> extract -> filter -> write. The CLI only calls this.

`build` writes decks and `sheet` prints one; the stages live beside it: `plan` (which decks,
with which options), `extraction` (notes to cards), `write` (cards to files) and
`incremental` (what a build may skip or patch). `extract` is re-exported here: with `build`,
it is the library API (`generator.build`, `generator.extract`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

from . import delta, gitinfo, incremental
from .cache import RenderCache
from .cards import Deck
from .errors import NotedeckError
from .explain import FileExplanation, LineNote, explain
from .extract_files import Progress
from .extraction import Extraction, apply_review, extract, without_cycle_collection
from .filelock import held
from .freshness import Stamps
from .lock import Lock
from .manifest import DeckEntry, write_manifest
from .options import BuildOptions, ExtractChoices, SheetOptions
from .plan import Job, extract_targets, plan, review_targets
from .review import stale_message
from .sources import PathLike
from .staging import Staging
from .write import BuildResult, Timer, build_time, write_deck
from .writers import WriteOptions, WriteReport, get_format

# what other modules and library users imported from here before the stages moved out
__all__ = ["BuildOptions", "BuildResult", "Extraction", "FileExplanation", "Job", "LineNote", "PathLike",
           "apply_review", "build", "build_time", "explain", "extract", "extract_targets", "plan",
           "review_targets", "sheet", "write_deck"]


@without_cycle_collection
def build(sources: Sequence[PathLike] = (), options: BuildOptions | None = None, *,
          cache: Path | None = None, progress: Progress | None = None,
          stats: dict[str, float] | None = None,
          waiting: Callable[[Path], None] | None = None) -> list[BuildResult]:
    """Build decks (see `plan` for which, and `BuildOptions` for the options): every deck is
    extracted before any is written, and the lock file is written only after every deck was
    written, so a failure leaves the previous build and lock as they were.

    With a `cache` folder, unchanged files are not extracted again; when a few files changed,
    the last build is patched where that gives the same bytes (`BuildResult.patched`, see
    `delta.py`); when nothing the outputs are made from changed, nothing is written at all
    (`BuildResult.up_to_date`).
    `stats` receives the seconds spent in each stage. The review file's decisions apply
    (rejected cards left out, edits applied, unreviewed cards tagged `notedeck::new`, or left
    out with `accepted_only`). Builds sharing a lock file run one at a time (`waiting` is
    told of the lock file when this one waits for another)."""
    options = options or BuildOptions()
    jobs, lock_file = plan(sources, options)
    told = (lambda: waiting(lock_file)) if waiting is not None else None
    with held(lock_file, told) if options.use_lock else contextlib.nullcontext():
        return _build(jobs, lock_file, options, cache=cache, progress=progress, timer=Timer(stats))


def _build(jobs: list[Job], lock_file: Path, options: BuildOptions, *, cache: Path | None,
           progress: Progress | None, timer: Timer) -> list[BuildResult]:
    """`build`, once the decks are planned and the lock file is held: the decks still current
    are left alone, the others patched or built in full, then recorded (`incremental.record`)."""
    stamps = Stamps(cache)
    lock_in_use = lock_file if options.use_lock else None
    notes: dict[int, incremental.Notes | None] = {}
    with timer("up-to-date check"):
        current = incremental.current(jobs, stamps, lock_in_use, options, notes) if cache else None
    if current is None:
        current = [None] * len(jobs)
    todo = [i for i, done in enumerate(current) if done is None]
    if not todo:
        return [done for done in current if done is not None]
    pending = [jobs[i] for i in todo]
    built = None
    if cache is not None and incremental.patchable(pending, cache, options):
        with timer("patch last build"):
            patched = incremental.try_patch(pending[0], cache, lock_file, options, stamps,
                                            notes.get(todo[0]) or incremental.notes_of(pending[0]), progress)
        built = [patched] if patched is not None else None
    if built is None:
        built = _build_in_full(pending, lock_file, options, stamps, cache=cache, progress=progress,
                               timer=timer)
    with timer("up-to-date stamp"):
        incremental.record(stamps, cache, built, lock_in_use, options)
    for i, done in zip(todo, built, strict=True):
        current[i] = done.result
    return [done for done in current if done is not None]


def _build_in_full(jobs: list[Job], lock_file: Path, options: BuildOptions, stamps: Stamps, *,
                   cache: Path | None, progress: Progress | None, timer: Timer) -> list[incremental.Built]:
    """Extract every deck of `jobs`, then write them all, the lock and the manifests last."""
    patchable = incremental.patchable(jobs, cache, options)
    with timer("extract"):
        extracted = [(job, job.extract(cache=cache, progress=progress)) for job in jobs]
    reviewed: dict[str, list[str]] = {}  # per notes file, the GUIDs decisions were applied to
    stale: dict[str, list[str]] = {}
    with timer("review decisions"):
        for job, ex in extracted:
            if patchable:
                for card in ex.cards:
                    reviewed.setdefault(card.source.path, []).append(card.guid)
            for r in apply_review(ex, job.review, accepted_only=options.accepted_only):
                stale.setdefault(r.generated.source.path, []).append(stale_message(r))
            if options.accepted_only and not ex.cards:
                raise NotedeckError(f"deck {ex.deck!r} has no accepted cards to build",
                                    "review the cards first: notedeck review (or notedeck accept GUID...)")
    with timer("lock"):
        lock = Lock.load(lock_file) if options.use_lock else None
    results: list[tuple[Job, Extraction, BuildResult, WriteReport]] = []
    entries: dict[Path, list[DeckEntry]] = {}
    renders: list[tuple[str, RenderCache]] = []
    with Staging() as staging:  # every file moves into place only once all were written
        for job, ex in extracted:
            folder = job.output.folder
            stamps.forget(ex.deck, folder)
            delta.forget(cache, ex.deck, folder)
            render_name = f"{folder.resolve()}\x00{ex.deck}"
            rendered = RenderCache.load(cache, render_name)
            staged, removed, report = write_deck(
                ex, staging.folder(folder), job.output, allow_html=options.allow_html, lock=lock,
                tombstones=options.tombstones, timer=timer, progress=progress, rendered=rendered,
                per_file=patchable)
            if rendered is not None:
                renders.append((render_name, rendered))
            paths = [staging.final(p) for p in staged]
            results.append((job, ex, BuildResult(ex.deck, paths, len(ex.cards), ex.files_read, ex.warnings,
                                                 removed, cache_hits=ex.cache_hits,
                                                 suggestions=len(ex.suggestions)), report))
            entries.setdefault(folder, []).append(DeckEntry(ex.deck, ex.cards, paths, ex.files_read))
        with timer("lock and manifest"):  # staged too: they move last, with the outputs
            if lock is not None:
                staging.text(lock.path, lock.chunks)
            revision = gitinfo.revision(extracted[0][1].root or Path.cwd()) if extracted else None
            manifests = {out: write_manifest(out, listed, revision, staging)
                         for out, listed in entries.items()}
        with timer("move into place"):
            staging.commit()
    with timer("cache"):
        for name, rendered in renders:
            rendered.save(cache, name)
    return [incremental.Built(job, result, ex.digests, ex.review, report.images, manifests[job.output.folder],
                              incremental.full_state(job, ex, result, report.written, lock, options, reviewed,
                                                     stale)
                              if report.written is not None and lock is not None else None)
            for job, ex, result, report in results]


def sheet(sources: Sequence[PathLike], output: PathLike, *, layout: str = "table", paper: str = "a4",
          title: str | None = None, deck: str | None = None, min_score: float | None = None,
          template_dirs: Sequence[PathLike] = (), spelling: bool = True,
          lock_path: PathLike | None = None, use_lock: bool = True) -> BuildResult:
    """Write a printable review sheet of the cards in `sources`: `.html` or `.pdf` by suffix
    (the lock read as `extract_targets` reads it)."""
    target = Path(output)
    kinds = {".html": "sheet-html", ".htm": "sheet-html", ".pdf": "sheet-pdf"}
    if target.suffix.lower() not in kinds:
        raise NotedeckError(f"cannot tell the sheet format of {target.name}", "name the output .pdf or .html")
    choices = ExtractChoices(min_score=min_score, spelling=spelling)
    found = extract_targets(sources, deck=deck, choices=choices,
                            exclude=[target.parent], lock_path=lock_path, use_lock=use_lock)
    ex = found[0]
    if len(found) > 1:  # several configured decks on one sheet
        ex = Extraction(deck=", ".join(e.deck for e in found), cards=[c for e in found for c in e.cards],
                        files=[f for e in found for f in e.files], root=found[0].root,
                        read=sum(e.files_read for e in found),
                        warnings=[w for e in found for w in e.warnings])
    if not ex.cards:
        raise NotedeckError("no cards to print",
                            "notedeck needs definitions, lists or `question :: answer` lines")
    options = WriteOptions(template_dirs=tuple(Path(t) for t in template_dirs),
                           timestamp=build_time(ex.files),
                           sources={f.display: f.path for f in ex.files}, notes_root=ex.root,
                           sheet=SheetOptions(layout, paper, title or ex.deck))
    report = get_format(kinds[target.suffix.lower()]).write(Deck(ex.deck, tuple(ex.cards)), target, options)
    return BuildResult(ex.deck, [target], len(ex.cards), ex.files_read, [*ex.warnings, *report.warnings])
