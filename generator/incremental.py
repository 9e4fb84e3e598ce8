"""The incremental layer of a build, behind three calls:

- `current()`: the decks whose outputs are still what their inputs make (nothing to write;
  in `uptodate.py`, which imports none of the writers);
- `try_patch()`: patch the last package when only a few files changed (see `delta.py`);
- `record()`: after any build, full or patched, stamp what each deck was made from and keep
  what the next build needs to patch it (the one epilogue both share).

Everything kept here lives in the cache folder and is only a cache: a missing or damaged
entry means a full build, never a wrong one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import delta, gitinfo
from .cache import ExtractionCache, FileCards
from .cards import Card, Deck
from .extract_files import Progress
from .extraction import Extraction, cache_key, decisions_of, file_cards
from .filters import across_files
from .freshness import Stamp, Stamps, file_sha256, recorded_outputs
from .lock import Lock, LockText, note_type_changed
from .manifest import DeckEntry, write_manifest
from .options import BuildOptions
from .plan import Job
from .results import BuildResult
from .review import Decisions, merge_decided, stale_message
from .safe_read import Refused
from .sources import NotesFile, content_digest, read_notes
from .staging import Staging
from .statefiles import read_bytes
from .uptodate import Digests, Notes, current, job_inputs, notes_of  # noqa: F401 (the three calls)
from .write import build_time, deck_description
from .writers import WriteOptions, Written, atomic_output
from .writers.anki import NOTE_TYPES, patch_package, rendered_note_types


@dataclass
class Built:
    """One deck a build wrote, in full or by a patch: what `record` keeps of it."""

    job: Job
    result: BuildResult
    digests: dict[str, str]
    """Each notes file's content digest, by display name."""
    review: bytes | None
    """The review file's bytes the build applied."""
    images: dict[str, str | None]
    """Every image file the writers looked for -> its digest (None: missing)."""
    manifest: Path
    state: Callable[[bytes], delta.State | None] | None = None
    """The state the next build may patch, given the lock's bytes as written (None: keep none)."""
    read: tuple[Sequence[NotesFile], int] | None = None
    """The notes files a full build read, and when it began reading them (`time.time_ns`): their
    digests are remembered for the next up-to-date check (see `uptodate.Digests.learn`)."""


def record(stamps: Stamps, cache: Path | None, built: Sequence[Built], lock_file: Path | None,
           options: BuildOptions) -> None:
    """The epilogue of every build: stamp what each deck's outputs were made from (see
    `freshness`), then keep what the next build needs to patch it (see `delta.py`)."""
    lock_bytes = read_bytes(lock_file)
    for b in built:
        r = b.result
        inputs = job_inputs(b.job, b.digests, lock_bytes, options, b.review)
        outputs = recorded_outputs([*r.paths, b.manifest], r.deck)
        stamps.record(r.deck, b.job.output.folder,
                      Stamp(inputs, outputs, b.images, r.cards, r.files, r.warnings, r.suggestions))
        if b.read is not None and stamps.folder is not None:
            memo = Digests(stamps.folder, b.job.name, b.job.output.folder)
            memo.learn(b.read[0], b.digests, b.read[1])
            memo.save()
    if cache is None or lock_bytes is None:
        return
    for b in built:
        state = b.state(lock_bytes) if b.state is not None else None
        if state is not None:
            delta.save(cache, b.result.deck, b.job.output.folder, state)


def patchable(jobs: Sequence[Job], cache: Path | None, options: BuildOptions) -> bool:
    """Whether a build could patch its last package (see `delta.py`): one deck, to .apkg only,
    with the cache and the lock, no tombstones, no cards added by hand in review."""
    if cache is None or len(jobs) != 1 or jobs[0].output.formats != ("apkg",):
        return False
    if not options.use_lock or options.tombstones or options.accepted_only:
        return False
    review = jobs[0].review
    if review is None or not review.exists():
        return True
    return not Decisions.load(review).added


def full_state(job: Job, ex: Extraction, result: BuildResult, written: Written, lock: Lock,
               options: BuildOptions, reviewed: dict[str, list[str]],
               stale: dict[str, list[str]]) -> Callable[[bytes], delta.State | None]:
    """What the next build needs to patch this full one (see `delta.py`), once the lock's
    bytes as written are known."""

    def state(lock_bytes: bytes) -> delta.State | None:
        by_file: dict[str, list[Card]] = {}
        for card in ex.cards:
            by_file.setdefault(card.source.path, []).append(card)
        if set(by_file) - set(ex.by_file) or len(result.paths) != 1:
            return None
        offered = Counter(c.source.path for c in ex.suggestions)
        files = [delta.file_state(f.display, ex.digests[f.display], "::".join((ex.deck, *f.subdeck)),
                                  ex.by_file[f.display], by_file.get(f.display, []), written,
                                  reviewed.get(f.display, []), stale.get(f.display, []), offered[f.display])
                 for f in ex.files]
        package = result.paths[0]
        return delta.State(job_inputs(job, {}, None, options, ex.review), delta.sha256(lock_bytes),
                           str(package.resolve()), file_sha256(package) or "", files, delta.lock_guids(lock),
                           rendered_note_types(WriteOptions(template_dirs=job.output.templates)))

    return state


@dataclass
class _Decided:
    """The changed files' cards with the review decisions applied, by file index."""

    cards: dict[int, list[Card]]
    """The cards going into the deck."""
    reviewed: dict[int, list[str]]
    """The GUIDs the decisions were applied to (after merging duplicates)."""
    stale: dict[int, list[str]]
    """Warnings about review edits gone stale."""
    offered: dict[int, list[Card]]
    """Suggestions, left out until accepted."""
    left_out: dict[int, list[Card]]
    """Cards the decisions leave out of the deck (they were not removed from the notes)."""


def _decide(state: delta.State, found: dict[int, FileCards], decisions: Decisions, deck: str) -> _Decided:
    """Merge each changed file's duplicates and apply the review decisions to its cards, as a
    full build does for the deck; raises NotPatchable when another file's cards could take part."""
    delta.check_questions(state, found)
    merged = {i: merge_decided(list(r.cards), decisions, across_files,
                               r.questions if len(r.questions) == len(r.cards) else None)
              for i, r in found.items()}
    done = _Decided({}, {i: [c.guid for c in cards] for i, cards in merged.items()}, {}, {}, {})
    present = delta.check_decisions(state, decisions, done.reviewed)
    for i, cards in merged.items():
        done.offered[i], done.left_out[i] = [], []
        done.cards[i], gone_stale = decisions.apply(cards, decks=[deck], present=present,
                                                    suggestions=done.offered[i], left_out=done.left_out[i])
        done.stale[i] = [stale_message(r) for r in gone_stale]
    return done


def _note_type_times(text: LockText, now: int) -> dict[str, float]:
    """When each note type last changed, from the lock. The templates are as the last build
    left them (the patch state's inputs hold their folders' digests, and the lock is the one it
    wrote), so the note types the lock records are still theirs: nothing is rendered to tell.
    Raises NotPatchable when the lock lacks one (a full build records it)."""
    known = text.note_types()
    if set(NOTE_TYPES.values()) - set(known):
        raise delta.NotPatchable("a note type is missing from the lock")
    return {name: note_type_changed(known[name], now) for name in NOTE_TYPES.values()}


@dataclass
class _Changes:
    """The notes of a deck as they are now, next to its last build's state."""

    files: list[NotesFile]
    digests: dict[str, str]
    """Each file's content digest, by display name."""
    changed: dict[int, bytes]
    """The bytes of the files that changed, by index."""
    root: Path


def _changes(job: Job, state: delta.State, notes: Notes) -> _Changes | None:
    """What changed since the last build, given the notes and their digests as they are now;
    None when it is not just the text of a few files (files added or removed, an image of an
    unchanged file changed)."""
    files, digests = notes
    if [f.display for f in files] != [f.display for f in state.files]:
        return None
    changed = {i: f for i, f in enumerate(files) if digests[f.display] != state.files[i].digest}
    if not changed or len(changed) > delta.MAX_CHANGED or not delta.images_unchanged(state, list(changed)):
        return None
    try:
        data = {i: read_notes(f) for i, f in changed.items()}
    except (OSError, Refused):
        return None  # the full build says what is wrong
    return _Changes(files, {**digests, **{files[i].display: content_digest(b) for i, b in data.items()}},
                    data, job.notes_root())


def try_patch(job: Job, cache: Path, lock_file: Path, options: BuildOptions, stamps: Stamps,
              notes: Notes | None, progress: Progress | None = None) -> Built | None:
    """Rebuild by patching the last build (see `delta.py`), or None (nothing written) when that
    could differ from a full build. `notes`: the deck's notes files and their digests now.
    The caller ends it with `record`, as a full build."""
    deck = job.name
    state = delta.load(cache, deck, job.output.folder)
    if state is None or state.inputs != job_inputs(job, {}, None, options):
        return None
    lock_bytes = read_bytes(lock_file) or b""
    package = Path(state.package)
    if delta.sha256(lock_bytes) != state.lock or file_sha256(package) != state.package_sha:
        return None
    changes = _changes(job, state, notes) if notes is not None else None
    if changes is None:
        return None
    files, digests, raw, root = changes.files, changes.digests, changes.changed, changes.root
    if progress:
        progress.start("reading notes", len(files))
        kept = [f for i, f in enumerate(state.files) if i not in raw]
        progress.advance(len(kept), sum(f.cards for f in kept))
    settings = job.file_settings()
    store = ExtractionCache(cache, cache_key(settings))
    found = file_cards(((i, files[i], data) for i, data in raw.items()), settings, store, progress=progress)
    decisions, used = decisions_of(job.review)
    try:
        decided = _decide(state, found, decisions, deck)
        text = LockText(lock_bytes.decode("utf-8"))
        now = build_time(files)
        patch = delta.match_lock(text, lock_file, deck, state, decided.cards, now, decided.left_out)
        write_options = WriteOptions(template_dirs=job.output.templates, timestamp=now,
                                     allow_html=options.allow_html, notes_root=root, per_file=True,
                                     sources={f.display: f.path for f in files}, mod_times=patch.mod_times)
        write_options = replace(write_options, note_type_times=_note_type_times(text, now))
        counts = [len(patch.cards[i]) if i in patch.cards else f.cards for i, f in enumerate(state.files)]
        decks = list(dict.fromkeys(f.deck for f, n in zip(state.files, counts, strict=True) if n))
        gone = [n for i in raw for n in state.files[i].ids]
        read = sum(1 for i, f in enumerate(state.files)
                   if not (found[i].not_text if i in found else f.not_text))
        put_in = tuple(c for i in sorted(patch.cards) for c in patch.cards[i])
        media = {name: Path(image) for i, f in enumerate(state.files) if i not in raw
                 for name, image in f.media.items()}
        stamps.forget(deck, job.output.folder)
        if progress:
            progress.start("patching apkg", cards=sum(counts))
        with Staging() as staging:
            target = staging.folder(job.output.folder) / package.name
            with atomic_output(target) as tmp:
                report = patch_package(package, Deck(deck, put_in, deck_description(read)), tmp,
                                       write_options, gone, delta.id_plan(state, list(raw)), decks, media,
                                       state.note_types or None)
                if report is None or report.written is None:
                    raise delta.NotPatchable("a note ID would move")
                written = report.written
            paths = [staging.final(target)]
            for i in raw:
                f = files[i]
                state.files[i] = delta.file_state(f.display, digests[f.display], state.files[i].deck,
                                                  found[i], patch.cards[i], written, decided.reviewed[i],
                                                  decided.stale[i], len(decided.offered[i]))
            staging.text(lock_file, text.chunks)  # the lock and manifest move last, with the package
            by_type: Counter[str] = Counter()
            for done in state.files:
                by_type.update(done.by_type)
            manifest = write_manifest(job.output.folder, [DeckEntry(deck, [], paths, read, dict(by_type))],
                                      gitinfo.revision(root), staging)
            staging.commit()
    except (delta.NotPatchable, ValueError, UnicodeDecodeError):
        return None
    # as a full build lists them: extraction's, stale edits, the writer's, those about images
    warnings = [w for kind in ("warnings", "stale", "written", "media_warnings")
                for done in state.files for w in getattr(done, kind)]
    images = {image: digest for done in state.files for image, digest in done.images.items()}
    result = BuildResult(deck, paths, sum(done.cards for done in state.files), read, warnings,
                         patch.removed, cache_hits=len(files) - len(raw) + store.hits, patched=True,
                         suggestions=sum(done.suggestions for done in state.files))

    def patched(lock_bytes: bytes) -> delta.State:
        state.lock = delta.sha256(lock_bytes)
        state.package_sha = file_sha256(paths[0]) or ""
        return state

    return Built(job, result, digests, used, images, manifest, patched)
