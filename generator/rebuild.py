"""A build that writes: the decks the up-to-date check could not leave alone are patched
(see `delta.py`) or extracted and written in full, every output, the lock and the manifests
moved into place together, then recorded for the next build (`incremental.record`).

`pipeline.build` imports this only when there is something to write.
"""

from __future__ import annotations

import time
from pathlib import Path

from . import delta, gitinfo, incremental
from .cache import RenderCache
from .errors import NotedeckError
from .extract_files import Progress
from .extraction import Extraction, apply_review, without_cycle_collection
from .freshness import Stamps
from .lock import Lock
from .manifest import DeckEntry, write_manifest
from .options import BuildOptions
from .plan import Job
from .results import BuildResult, Timer
from .review import stale_message
from .staging import Staging
from .write import write_deck
from .writers import WriteReport
from .writers.anki import RenderAhead


@without_cycle_collection
def rebuild(jobs: list[Job], lock_file: Path, options: BuildOptions, stamps: Stamps, *, cache: Path | None,
            progress: Progress | None, timer: Timer,
            notes: dict[int, incremental.Notes | None]) -> list[BuildResult]:
    """Build `jobs` (the decks not up to date): a patch of the last package when one deck changed
    in a few files and that gives the same bytes, else in full; then record them. `notes`: the
    notes files and digests the up-to-date check read, by index into `jobs`."""
    built = None
    if cache is not None and incremental.patchable(jobs, cache, options):
        with timer("patch last build"):
            patched = incremental.try_patch(jobs[0], cache, lock_file, options, stamps,
                                            notes.get(0) or incremental.notes_of(jobs[0]), progress)
        built = [patched] if patched is not None else None
    if built is None:
        built = build_in_full(jobs, lock_file, options, stamps, cache=cache, progress=progress, timer=timer)
    with timer("up-to-date stamp"):
        incremental.record(stamps, cache, built, lock_file if options.use_lock else None, options)
    return [done.result for done in built]


def build_in_full(jobs: list[Job], lock_file: Path, options: BuildOptions, stamps: Stamps, *,
                   cache: Path | None, progress: Progress | None, timer: Timer) -> list[incremental.Built]:
    """Extract every deck of `jobs`, then write them all, the lock and the manifests last."""
    patchable = incremental.patchable(jobs, cache, options)
    began = time.time_ns()
    with timer("extract"):
        extracted = [(job, job.extract(cache=cache, progress=progress, ahead=_ahead(job, options, cache)))
                     for job in jobs]
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
            if rendered is not None:
                rendered.offer(ex.rendered_ahead, options.allow_html)
            ex.rendered_ahead = {}
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
                              if report.written is not None and lock is not None else None,
                              (ex.files, began))
            for job, ex, result, report in results]


def _ahead(job: Job, options: BuildOptions, cache: Path | None) -> RenderAhead | None:
    """The package's fields rendered in the extraction workers, when the deck is written as a
    package and renderings are cached (they reach the writer through its render cache)."""
    return RenderAhead(options.allow_html) if cache is not None and "apkg" in job.output.formats else None
