"""Extracting a deck: collect its notes files, get each file's cards (from the cache or
afresh), merge duplicates across files, and apply the review file's decisions.

`extract` is the library API (keyword options); `extract_deck` is what the build calls with
the options already merged (`options.ExtractSettings`).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

from . import config as config_mod
from . import filters
from .cache import ExtractionCache, FileCards
from .cards import Card, question_key
from .errors import NotedeckError
from .extract_files import Ahead, FileSettings, Progress, Todo, cacheable, run_files
from .extractors import REGISTRY, Registry
from .options import ExtractSettings
from .review import REVIEW_NAME, Decisions, Reviewed, merge_decided, stale_message
from .sources import (
    NotesFile,
    PathLike,
    collect,
    common_folder,
    content_digest,
    default_deck_name,
    read_skipping,
)
from .statefiles import read_bytes


@dataclass
class Extraction:
    """The result of extracting one deck's cards."""

    deck: str
    cards: list[Card]
    files: list[NotesFile]
    warnings: list[str] = field(default_factory=list)
    root: Path | None = None
    """The folder the notes are in (images must stay inside it)."""
    empty: list[NotesFile] = field(default_factory=list)
    """Files that held no notes at all."""
    not_text: list[NotesFile] = field(default_factory=list)
    """Files skipped because they are not text (images, PDFs among the notes)."""
    unreadable: list[tuple[NotesFile, str]] = field(default_factory=list)
    """Files that could not be read, with why (only with `extract(skip_unreadable=True)`)."""
    digests: dict[str, str] = field(default_factory=dict)
    """Each file's content digest, by display name (to tell later whether outputs are current)."""
    cache_hits: int = 0
    """Files whose cards came from the cache."""
    extracted: int = 0
    """Files extracted afresh."""
    suggestions: list[Card] = field(default_factory=list)
    """Cards left out of the deck until a person accepts them (set when review decisions apply)."""
    by_file: dict[str, FileCards] = field(default_factory=dict)
    """What each file gave on its own, before the passes across files (by display name), less
    its cards (`cards` has those kept; the others need not stay in memory)."""
    review: bytes | None = None
    """The review file's bytes as its decisions were applied (None: none applied), so a build
    records what it used, not a decision made while it ran."""
    decisions: Decisions | None = None
    """The review decisions duplicates were merged after (and `apply_review` applies)."""
    left_out: list[Card] = field(default_factory=list)
    """Cards of the notes the decisions leave out of the deck (they were not removed)."""
    rendered_ahead: dict[str, tuple] = field(default_factory=dict)
    """Render cache entries made in the workers as the files were extracted (see
    `extract_files.Ahead`), for the writer to take (`cache.RenderCache.offer`)."""
    read: int | None = None
    """How many of `files` were read as notes (not skipped as binary, refused or unreadable);
    None: all of them."""

    @property
    def files_read(self) -> int:
        """The files counted as read: what `built ...: N cards from M files` and the deck say."""
        return len(self.files) if self.read is None else self.read


P = ParamSpec("P")
T = TypeVar("T")


def without_cycle_collection(fn: Callable[P, T]) -> Callable[P, T]:
    """Run `fn` with Python's cycle collector paused: a build makes hundreds of thousands of
    long-lived, acyclic objects, and rescanning them again and again slows a big rebuild
    markedly. Reference counting still frees everything as usual."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        was = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was:
                gc.enable()

    return run


def extract(sources: Sequence[PathLike], *, deck: str | None = None,
            extractors: Iterable[str] | None = None, min_score: float = 0.0,
            tags: Sequence[str] = (), base: Path | None = None, exclude: Iterable[Path] = (),
            registry: Registry = REGISTRY, spelling: bool = True, heading_tags: bool = False,
            reversed_definitions: bool = False, skip_unreadable: bool = False,
            cache: Path | None = None, progress: Progress | None = None,
            decisions: Decisions | None = None) -> Extraction:
    """Read the notes in `sources` and return their cards (filtered, with stable GUIDs).

    Files found in a folder go to sub-decks named after their path; cards are tagged from
    front matter `tags:`, inline `#tags` on their lines and, with `heading_tags`, their top
    heading. With `spelling`, obvious typos in card text are repaired; with
    `reversed_definitions`, definition cards also ask for the term from its definition. With
    `skip_unreadable` (for `check`), a file that cannot be read is noted in
    `Extraction.unreadable` instead of stopping the extraction. With a `cache` folder, files
    whose bytes and options were seen before are not extracted again (see `cache.py`);
    `progress` is told of each file done. Duplicates are merged after the review `decisions`
    (see `review.merge_decided`), which `apply_review` then applies."""
    settings = ExtractSettings(tuple(extractors) if extractors is not None else None, min_score,
                               spelling, heading_tags, reversed_definitions, tuple(tags))
    return extract_deck(sources, deck, settings, base=base, exclude=exclude, registry=registry,
                        skip_unreadable=skip_unreadable, cache=cache, progress=progress,
                        decisions=decisions)


@without_cycle_collection
def extract_deck(sources: Sequence[PathLike], deck: str | None, settings: ExtractSettings, *,
                 base: Path | None = None, exclude: Iterable[Path] = (), registry: Registry = REGISTRY,
                 skip_unreadable: bool = False, cache: Path | None = None,
                 progress: Progress | None = None, decisions: Decisions | None = None,
                 ahead: Ahead | None = None) -> Extraction:
    """`extract` with its options merged into `settings` (the deck named `deck`, else after
    its notes); `ahead`: what a writer does in the workers (`Extraction.rendered_ahead`)."""
    if not sources:
        raise NotedeckError("no notes given", "pass notes files or folders, e.g. notedeck extract notes.md")
    deck_name = config_mod.check_deck_name(deck if deck is not None else default_deck_name(sources))
    collected = collect(sources, base=base, exclude=exclude)
    files = collected.files
    skipped = list(collected.skipped)
    per_file = file_settings(deck_name, settings, registry)
    usable = cacheable(registry)  # a registry that cannot name its extractors is not cached
    store = ExtractionCache(cache if usable else None, cache_key(per_file, registry) if usable else "")
    if progress:
        progress.start("reading notes", len(files))
    unreadable: list[tuple[NotesFile, str]] = []
    digests: dict[str, str] = {}

    def read() -> Iterator[tuple[int, NotesFile, bytes]]:  # one file's bytes in memory at a time
        for i, f in enumerate(files):
            try:
                data = read_skipping(f, skipped)
            except OSError as exc:
                error = NotedeckError(f"cannot read {f.path}: {exc.strerror or exc}",
                                      "check the path and its permissions")
                if not skip_unreadable:
                    raise error from exc
                unreadable.append((f, error.message))
                continue
            if data is None:
                continue
            digests[f.display] = content_digest(data)
            yield i, f, data

    rendered: dict[str, tuple] = {}
    results = file_cards(read(), per_file, store, registry, progress, ahead, rendered)
    store.prune()
    cards: list[Card] = []
    keys: list[int] = []  # their question keys (`filters.merge_duplicates`)
    warnings: list[str] = skipped  # files left out, then each file's own warnings
    empty: list[NotesFile] = []
    not_text: list[NotesFile] = []
    for i, f in enumerate(files):
        if i not in results:
            continue
        r = results[i]
        warnings.extend(r.warnings)
        cards.extend(r.cards)
        keys.extend(r.questions if len(r.questions) == len(r.cards) else map(question_key, r.cards))
        if r.empty:
            empty.append(f)
        if r.not_text:
            not_text.append(f)
    placed = merge_decided(cards, decisions, filters.across_files, keys)
    root = base.resolve() if base is not None else common_folder(sources)
    return Extraction(deck=deck_name, cards=placed, files=files, warnings=warnings, empty=empty, root=root,
                      unreadable=unreadable, not_text=not_text, digests=digests,
                      cache_hits=store.hits, extracted=len(results) - store.hits,
                      by_file={files[i].display: replace(r, cards=[]) for i, r in results.items()},
                      read=sum(1 for r in results.values() if not r.not_text),
                      decisions=decisions, rendered_ahead=rendered)


def file_settings(deck: str, settings: ExtractSettings, registry: Registry = REGISTRY) -> FileSettings:
    """The settings each file of a deck is extracted with; an unknown extractor name fails
    here, before any file is read."""
    registry.select(settings.extractors)
    return FileSettings(deck, settings)


def cache_key(settings: FileSettings, registry: Registry = REGISTRY) -> str:
    """The extraction cache's key for a deck's files: their settings and the readers and
    extractors their cards come from (`FileSettings.key`)."""
    return settings.key(registry)


def file_cards(files: Iterable[tuple[int, NotesFile, bytes]], settings: FileSettings,
               store: ExtractionCache, registry: Registry = REGISTRY,
               progress: Progress | None = None, ahead: Ahead | None = None,
               rendered: dict[str, tuple] | None = None) -> dict[int, FileCards]:
    """What each (index, file, its bytes) gives on its own, by index: from the cache, or
    extracted afresh (and then cached; see `run_files` for `ahead` and `rendered`)."""
    results: dict[int, FileCards] = {}
    todos: list[Todo] = []
    for i, f, raw in files:
        key = store.key(f.display, raw)
        hit = store.get(key)
        if hit is not None:
            results[i] = hit
            if progress:
                progress.advance(1, len(hit.cards))
        else:
            todos.append(Todo(i, raw, str(f.path), f.display, f.subdeck, key))
    results.update(run_files(todos, settings, store, registry, progress=progress, ahead=ahead,
                             rendered=rendered))
    return results


def apply_review(ex: Extraction, path: Path | None, *, accepted_only: bool = False,
                 include_rejected: bool = False, tag_new: bool = True) -> list[Reviewed]:
    """Apply the decisions of the review file at `path` to `ex.cards` (see `Decisions.apply`);
    stale edits become warnings, and are returned. The decisions duplicates were merged after
    are the ones applied (the file is read once)."""
    if ex.decisions is None:
        ex.decisions, ex.review = decisions_of(path)
    decisions = ex.decisions
    ex.suggestions, ex.left_out = [], []
    ex.cards, stale = decisions.apply(ex.cards, accepted_only=accepted_only,
                                      include_rejected=include_rejected, tag_new=tag_new, decks=[ex.deck],
                                      suggestions=ex.suggestions, left_out=ex.left_out)
    ex.warnings.extend(stale_message(r) for r in stale)
    return stale


def decisions_of(path: Path | None) -> tuple[Decisions, bytes | None]:
    """The review file's decisions and the bytes they were read from (None: no review file)."""
    if path is None:
        return Decisions(Path(REVIEW_NAME)), None
    used = read_bytes(path)
    return Decisions.load(path, used or None), used
