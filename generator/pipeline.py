"""The pipeline: find notes -> read -> extract -> filter -> write. The CLI only calls this.

`extract` returns cards; `build` writes decks. Both are the library API (`generator.build`,
`generator.extract`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

from . import __version__, delta, filters, gitinfo
from . import config as config_mod
from .cache import ExtractionCache, FileCards, RenderCache
from .cards import LIST_SEPARATOR, REMOVED_TAG, Card, Deck, Source
from .errors import NotedeckError
from .extract_files import FileSettings, Progress, Todo, content_digest, run_files, slug
from .extractors import REGISTRY, Registry
from .filelock import held
from .freshness import Stamp, Stamps, file_sha256, inputs_digest, recorded_outputs
from .language import (
    OPEN_QUESTION,
    drop_open_questions,
    drop_trailing_parenthetical,
    is_fragment,
    is_opinion,
    split_speaker,
)
from .lock import LOCK_NAME, Entry, Lock, LockText, deck_part, lock_location, remembered_guids
from .manifest import MANIFEST_NAME, DeckEntry, write_manifest
from .outline import ITEM, PARAGRAPH, Node
from .readers import parse_bytes
from .review import (
    REVIEW_NAME,
    Decisions,
    Reviewed,
    merge_decided,
    notes_of_review,
    remembered_notes,
    review_file,
    stale_message,
)
from .safe_read import Refused
from .sources import (
    NotesFile,
    PathLike,
    collect,
    common_folder,
    default_deck_name,
    read_notes,
    read_skipping,
)
from .staging import Staging
from .writers import WriteOptions, Written, atomic_output, get_format
from .writers.anki import patch_package, template_digests


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
    read: int | None = None
    """How many of `files` were read as notes (not skipped as binary, refused or unreadable);
    None: all of them."""

    @property
    def files_read(self) -> int:
        """The files counted as read: what `built ...: N cards from M files` and the deck say."""
        return len(self.files) if self.read is None else self.read


@dataclass
class BuildResult:
    """What `build` wrote for one deck."""

    deck: str
    paths: list[Path]
    cards: int
    files: int
    warnings: list[str] = field(default_factory=list)
    removed: int = 0
    """Cards that left the notes since the last build."""
    up_to_date: bool = False
    """Nothing changed since the last build: the outputs were left as they were."""
    cache_hits: int = 0
    """Notes files whose cards came from the cache (not extracted again)."""
    patched: bool = False
    """Only the changed files were redone, in a patch of the last build (see `delta.py`)."""
    suggestions: int = 0
    """Cards left out until a person accepts them (`notedeck review`)."""


P = ParamSpec("P")
T = TypeVar("T")


def _without_cycle_collection(fn: Callable[P, T]) -> Callable[P, T]:
    """Run `fn` with Python's cycle collector paused: a build makes hundreds of thousands of
    long-lived, acyclic objects, and rescanning them again and again took a fifth of a
    100,000-card rebuild. Reference counting still frees everything as usual."""

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


@_without_cycle_collection
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
    if not sources:
        raise NotedeckError("no notes given", "pass notes files or folders, e.g. notedeck extract notes.md")
    deck_name = config_mod.check_deck_name(deck if deck is not None else default_deck_name(sources))
    collected = collect(sources, base=base, exclude=exclude)
    files = collected.files
    skipped = list(collected.skipped)
    settings = file_settings(deck_name, extractors, min_score, tags, spelling, heading_tags,
                             reversed_definitions, registry)
    use_cache = cache is not None and registry is REGISTRY
    store = ExtractionCache(cache if use_cache else None, settings.key())
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

    results = file_cards(read(), settings, store, registry, progress)
    store.prune()
    cards: list[Card] = []
    warnings: list[str] = skipped  # files left out, then each file's own warnings
    empty: list[NotesFile] = []
    not_text: list[NotesFile] = []
    for i, f in enumerate(files):
        if i not in results:
            continue
        r = results[i]
        warnings.extend(r.warnings)
        cards.extend(r.cards)
        if r.empty:
            empty.append(f)
        if r.not_text:
            not_text.append(f)
    placed = merge_decided(cards, decisions, across_files)
    root = base.resolve() if base is not None else common_folder(sources)
    return Extraction(deck=deck_name, cards=placed, files=files, warnings=warnings, empty=empty, root=root,
                      unreadable=unreadable, not_text=not_text, digests=digests,
                      cache_hits=store.hits, extracted=len(results) - store.hits,
                      by_file={files[i].display: replace(r, cards=[]) for i, r in results.items()},
                      read=sum(1 for r in results.values() if not r.not_text),
                      decisions=decisions)


def across_files(cards: list[Card]) -> list[Card]:
    """The passes across files (merging duplicates) of a deck's cards."""
    return filters.apply(cards, filters.across_files_filters())


def file_settings(deck: str, extractors: Iterable[str] | None = None, min_score: float = 0.0,
                  tags: Sequence[str] = (), spelling: bool = True, heading_tags: bool = False,
                  reversed_definitions: bool = False, registry: Registry = REGISTRY) -> FileSettings:
    """The settings each file of a deck is extracted with (see `extract`); an unknown extractor
    name fails here, before any file is read."""
    names = list(extractors) if extractors is not None else None
    registry.select(names)
    return FileSettings(deck, tuple(names) if names is not None else None, min_score, spelling,
                        heading_tags, reversed_definitions, tuple(tags))


def file_cards(files: Iterable[tuple[int, NotesFile, bytes]], settings: FileSettings,
               store: ExtractionCache, registry: Registry = REGISTRY,
               progress: Progress | None = None) -> dict[int, FileCards]:
    """What each (index, file, its bytes) gives on its own, by index: from the cache, or
    extracted afresh (and then cached)."""
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
    results.update(run_files(todos, settings, store, registry, progress=progress))
    return results


@dataclass
class LineNote:
    """Why a line of notes gave no card (for `extract --explain`)."""

    line: int
    reason: str
    text: str


@dataclass
class FileExplanation:
    """One notes file's cards, and its lines that gave none, with the reason."""

    path: str
    cards: list[Card]
    skipped: list[LineNote]


def explain(sources: Sequence[PathLike], **options: object) -> list[FileExplanation]:
    """Per file: the cards `extract` makes, and each note line without a card and why.

    Reasons: `to look up` (a question the notes leave open), `aside` (an opinion, summary or
    reaction), `talk title`, `fragment` (too little to ask about), `no pattern` (no extractor
    applies).
    """
    result = extract(sources, **options)  # type: ignore[arg-type]
    out = []
    for f in result.files:
        data = read_skipping(f, [])
        if data is None:
            continue
        doc, _ = parse_bytes(data, f.path, f.display)
        cards = [c for c in result.cards if c.source.path == f.display]
        covered: set[int] = set()
        for c in cards:
            covered.update(range(c.source.line, c.source.end_line + 1))
        skipped = []
        for node, _parent in doc.walk():
            if node.kind not in (ITEM, PARAGRAPH) or node.line in covered or not node.text.strip():
                continue
            skipped.append(LineNote(node.line, _why_no_card(node), node.text))
        out.append(FileExplanation(f.display, cards, skipped))
    return out


def _why_no_card(node: Node) -> str:
    text = node.text
    has_answer = any(c.kind in (ITEM, PARAGRAPH) for c in node.children)
    asks = drop_trailing_parenthetical(text).rstrip().endswith("?")
    if is_opinion(text):
        return "aside"
    if OPEN_QUESTION.search(text) or (asks and not has_answer):
        return "to look up"
    if split_speaker(text):
        return "talk title"
    if is_opinion(text):
        return "aside"
    if is_fragment(drop_open_questions(text)):
        return "fragment"
    return "no pattern"


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


def write_deck(extraction: Extraction, output_dir: Path, formats: Sequence[str] = ("apkg",),
               template_dirs: Sequence[Path] = (), allow_html: bool = False,
               lock: Lock | None = None, tombstones: bool = False,
               sheet_options: dict[str, str] | None = None, timer: _Timer | None = None,
               progress: Progress | None = None, rendered: RenderCache | None = None,
               written: Written | None = None) -> tuple[list[Path], int, dict[str, str | None]]:
    """Write one extracted deck in each format to `output_dir/<slug>.<suffix>`.

    With a `lock`, cards keep their remembered GUIDs and modification times (see `lock.py`);
    returns the paths written, how many cards left the notes since the last build and the
    image files the writers looked for. Warnings from the writers (missing images, unbalanced
    math) join the extraction's."""
    timer = timer or _Timer(None)
    if not extraction.cards:
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
    fmts = [get_format(name) for name in formats]
    now = build_time(extraction.files)
    options = WriteOptions(
        template_dirs=tuple(template_dirs), timestamp=now, allow_html=allow_html,
        sources={f.display: f.path for f in extraction.files}, notes_root=extraction.root,
        extra=dict(sheet_options or {}), rendered=rendered, written=written,
    )
    cards, removed = extraction.cards, []
    if lock is not None:
        with timer("lock"):
            rec = lock.reconcile(extraction.deck, extraction.cards, now, extraction.left_out)
        cards, removed = rec.cards, rec.removed
        options.mod_times.update(rec.mod_times)
        for name, d in template_digests(options).items():
            options.note_type_times[name] = lock.note_type_time(name, d, now)
        if tombstones:
            gone = [tombstone(e) for e in lock.removed(extraction.deck)]
            options.mod_times.update({e.guid: e.removed for e in lock.removed(extraction.deck)})
            cards = [*cards, *gone]
    extraction.cards = cards
    deck = Deck(extraction.deck, tuple(cards), deck_description(extraction.files_read))
    paths = []
    for fmt in fmts:
        target = output_dir / f"{slug(extraction.deck)}{fmt.suffix}"
        if progress:
            progress.start(f"writing {fmt.name}", cards=len(cards))
        with timer(f"write {fmt.name}"):
            extraction.warnings.extend(fmt.write(deck, target, options) or [])
        paths.append(target)
    return paths, len(removed), options.images


def sheet(sources: Sequence[PathLike], output: PathLike, *, layout: str = "table", paper: str = "a4",
          title: str | None = None, deck: str | None = None, min_score: float = 0.0,
          template_dirs: Sequence[PathLike] = (), spelling: bool = True,
          lock_path: PathLike | None = None, use_lock: bool = True) -> BuildResult:
    """Write a printable review sheet of the cards in `sources`: `.html` or `.pdf` by suffix
    (the lock read as `extract_targets` reads it)."""
    target = Path(output)
    kinds = {".html": "sheet-html", ".htm": "sheet-html", ".pdf": "sheet-pdf"}
    if target.suffix.lower() not in kinds:
        raise NotedeckError(f"cannot tell the sheet format of {target.name}", "name the output .pdf or .html")
    found = extract_targets(sources, deck=deck, min_score=min_score, spelling=spelling,
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
                           extra={"layout": layout, "paper": paper, "title": title or ex.deck})
    warnings = get_format(kinds[target.suffix.lower()]).write(Deck(ex.deck, tuple(ex.cards)), target, options)
    return BuildResult(ex.deck, [target], len(ex.cards), ex.files_read, [*ex.warnings, *(warnings or [])])




def tombstone(entry: Entry) -> Card:
    """A card that left the notes, sent once more tagged `notedeck::removed` so it is easy to find."""
    items = tuple(entry.answer.split(LIST_SEPARATOR)) if entry.type == "list" else ()
    return Card(question=entry.question, answer=entry.answer, type=entry.type, context=entry.context,
                source=Source(entry.path, 1, 1), extractor="removed", deck=entry.deck, guid=entry.guid,
                tags=(*entry.tags, REMOVED_TAG), items=items)


def configured_decks(args: Sequence[PathLike], deck: str | None, config_path: PathLike | None,
                     here: Path) -> tuple[list[config_mod.DeckConfig], Path] | None:
    """The configured decks a command works on, or None when its arguments are notes paths.

    No arguments: every deck in the config (or the one `deck` names). Arguments that all name
    configured decks select them; any other argument is a notes path."""
    if config_path is not None and not Path(config_path).is_file():
        raise NotedeckError(f"cannot read {config_path}: no such file", "check the path given to --config")
    cfg = Path(config_path) if config_path is not None else config_mod.find(here)
    if args and cfg is None:
        return None
    if cfg is None:
        raise NotedeckError(f"no notes given and no {config_mod.CONFIG_NAME} in {here}",
                            "pass notes files or folders, e.g. notedeck build notes.md")
    decks = config_mod.load(cfg)
    names = [d.name for d in decks]
    wanted = [os.fspath(a) for a in args] or ([deck] if deck is not None else [])
    if args and not all(w in names for w in wanted):
        config_mod.check_deck_or_path(wanted, names, cfg, here)
        return None  # notes paths, as before
    if wanted:
        decks = [d for d in decks if d.name in wanted]
        if not decks:
            raise NotedeckError(f"no deck named {wanted[0]!r} in {cfg}",
                                f"the configured decks are {config_mod.listed(names)}")
    return decks, cfg


def extract_targets(args: Sequence[PathLike], *, config_path: PathLike | None = None,
                    cwd: PathLike | None = None, review: bool = True, include_rejected: bool = False,
                    lock_path: PathLike | None = None, use_lock: bool = True,
                    **options: object) -> list[Extraction]:
    """What `extract` and `sheet` read: configured decks named by `args` (or all
    decks when there are no args), else `args` as notes paths. With `review`, the review
    file's decisions apply: rejected cards are left out (kept and tagged with
    `include_rejected`, which also tags new cards) and edits replace the generated text.
    With `use_lock`, cards get the GUIDs `build` gives them from the lock (`lock_path`, else
    where `build` finds it), which is read, never written."""
    here = Path(cwd) if cwd is not None else Path.cwd()
    found, path = _extract_targets(args, config_path, here, options, review)
    if review:
        for ex in found:
            apply_review(ex, path, include_rejected=include_rejected, tag_new=include_rejected)
    if use_lock:  # the lock is beside the review file, where `build` keeps it
        lock = Path(lock_path) if lock_path is not None else path.with_name(LOCK_NAME)
        for ex, cards in zip(found, remembered_guids(lock, [(ex.deck, ex.cards) for ex in found]),
                             strict=True):
            ex.cards = cards
    return found


def review_targets(args: Sequence[PathLike], *, config_path: PathLike | None = None,
                   cwd: PathLike | None = None,
                   example: str = "review notes.md --list") -> tuple[list[Extraction], Decisions]:
    """The generated cards `notedeck review`, `accept` and `reject` decide about (no decision
    applied), and the review file's decisions (which remember the notes given, when there is
    no config). `example`: the command the hint shows when no notes are given."""
    here = Path(cwd) if cwd is not None else Path.cwd()
    found, path = _extract_targets(args, config_path, here, {}, example=example)
    decided = found[0].decisions if found else None
    decisions = decided if decided is not None else Decisions.load(path)
    if args and config_path is None and config_mod.find(here) is None:
        decisions.notes = remembered_notes(args, path.parent)
    return found, decisions


def _extract_targets(args: Sequence[PathLike], config_path: PathLike | None, here: Path,
                     options: dict[str, object], review: bool = True,
                     example: str = "extract notes.md") -> tuple[list[Extraction], Path]:
    """The extractions of `extract_targets` (duplicates merged after the review file's
    decisions, with `review`), and the review file (beside the config, else in the notes'
    folder with the lock). Without notes or config, the notes a review file in `here`
    remembers are read."""
    if not args and config_path is None and config_mod.find(here) is None:
        args = [os.path.relpath(here / n) for n in notes_of_review(here / REVIEW_NAME)]
        if not args:
            raise NotedeckError("no notes given", f"pass notes files or folders, e.g. notedeck {example}")
    selected = configured_decks(args, None, config_path, here)
    config = selected[1] if selected else None
    path = review_file(config, common_folder(args) if config is None else here)
    decisions, used = _decisions(path) if review else (None, None)
    options["decisions"] = decisions
    if selected is None:
        found = [extract(args, **options)]  # type: ignore[arg-type]
    else:
        overrides = {k: options.pop(k, None) for k in ("min_score", "reversed_definitions", "heading_tags")}
        if options.get("extractors") is not None:
            overrides["extractors"] = options.pop("extractors")
        options.pop("extractors", None)
        options.pop("deck", None)
        found = [extract(d.sources, deck=d.name, **options, **deck_extract_options(d, **overrides))  # type: ignore[arg-type]
                 for d in selected[0]]
    for ex in found:
        ex.review = used
    return found, path


def deck_extract_options(d: config_mod.DeckConfig, registry: Registry = REGISTRY,
                         **overrides: object) -> dict[str, object]:
    """`extract` options for a configured deck; command-line values (not None) win."""
    names = list(d.extractors_on) if d.extractors_on is not None else list(registry.extractors)
    names = [n for n in names if n not in d.extractors_off]
    options: dict[str, object] = {
        "min_score": d.min_score if d.min_score is not None else 0.0, "extractors": names,
        "reversed_definitions": d.reversed, "heading_tags": d.heading_tags,
        "tags": d.tags, "base": d.base,
    }
    options.update({k: v for k, v in overrides.items() if v is not None})
    return options


@dataclass
class Job:
    """One deck to build: what to read, how to extract it, where and how to write it."""

    deck: str | None
    sources: Sequence[PathLike]
    options: dict[str, object]
    """`extract` keyword arguments."""
    output: Path
    formats: Sequence[str]
    sheet: dict[str, str]
    templates: list[Path]
    review: Path | None = None
    """The review file whose decisions apply (see `review.py`)."""

    def extract(self, skip_unreadable: bool = False, cache: Path | None = None,
                progress: Progress | None = None) -> Extraction:
        """Read the deck's notes (the output folder is never read as notes), duplicates merged
        after the review file's decisions."""
        decisions, used = _decisions(self.review)
        ex = extract(self.sources, deck=self.deck, exclude=[self.output],  # type: ignore[arg-type]
                     skip_unreadable=skip_unreadable, cache=cache, progress=progress, decisions=decisions,
                     **self.options)
        ex.review = used
        return ex

    def settings(self) -> FileSettings:
        """The settings `extract` gives each file of this deck (its options of `file_settings`)."""
        names = ("extractors", "min_score", "tags", "spelling", "heading_tags", "reversed_definitions")
        return file_settings(self.deck or default_deck_name(self.sources),
                             **{k: self.options[k] for k in names if k in self.options})  # type: ignore[arg-type]


def plan(sources: Sequence[PathLike] = (), *, deck: str | None = None,
         output_dir: PathLike | None = None, config_path: PathLike | None = None,
         formats: Sequence[str] | None = None, template_dirs: Sequence[PathLike] = (),
         min_score: float | None = None, cwd: PathLike | None = None, spelling: bool = True,
         reversed_definitions: bool | None = None, heading_tags: bool | None = None,
         lock_path: PathLike | None = None, sheet_options: dict[str, str] | None = None,
         extractors: Sequence[str] | None = None) -> tuple[list[Job], Path]:
    """The decks `build` and `check` work on, and the lock file that goes with them.

    `sources` that name configured decks select them (none = every deck; `deck` picks one);
    other `sources` are notes paths, one deck (named `deck`, else after the single file's
    declared title, file or folder) written to `output_dir` (default `output/`). Command-line
    values override the config's (`extractors`: only these run). The lock file is
    `notedeck.lock` beside the config, else in the notes' folder."""
    here = Path(cwd) if cwd is not None else Path.cwd()
    templates = [Path(t) for t in template_dirs]
    chosen = list(extractors) if extractors else None
    sheet_defaults = dict(sheet_options or {})
    selected = configured_decks(sources, deck if not sources else None, config_path, here)
    if selected is None:
        if not sources:
            raise NotedeckError("no notes given", "pass notes files or folders, e.g. notedeck build notes.md")
        out = Path(output_dir) if output_dir is not None else here / config_mod.DEFAULT_OUTPUT
        options: dict[str, object] = {
            "min_score": min_score or 0.0, "spelling": spelling,
            "reversed_definitions": bool(reversed_definitions), "heading_tags": bool(heading_tags)}
        if chosen is not None:
            options["extractors"] = chosen
        job = Job(deck, sources, options, out, formats or ("apkg",), sheet_defaults, templates,
                  review_file(None, common_folder(sources)))
        return [job], Path(lock_path) if lock_path else lock_location(None, sources)
    decks, cfg = selected
    jobs = []
    for d in decks:
        opts = deck_extract_options(d, min_score=min_score, reversed_definitions=reversed_definitions,
                                    heading_tags=heading_tags, extractors=chosen)
        jobs.append(Job(d.name, d.sources, {**opts, "spelling": spelling},
                        Path(output_dir) if output_dir is not None else d.output,
                        formats or d.formats or ("apkg",), {**dict(d.sheet), **sheet_defaults},
                        templates or ([d.templates] if d.templates else []), review_file(cfg, here)))
    every = [(d.name, Path(output_dir) if output_dir is not None else d.output,
              [get_format(f).suffix for f in formats or d.formats or ("apkg",)])
             for d in config_mod.load(cfg)]  # a deck not built now still owns its files
    config_mod.refuse_shared_files(every, cfg, [d.name for d in decks], slug)
    return jobs, Path(lock_path) if lock_path else lock_location(cfg, sources)


@_without_cycle_collection
def build(sources: Sequence[PathLike] = (), *, allow_html: bool = False, use_lock: bool = True,
          tombstones: bool = False, cache: Path | None = None, progress: Progress | None = None,
          stats: dict[str, float] | None = None, accepted_only: bool = False,
          waiting: Callable[[Path], None] | None = None, **options: object) -> list[BuildResult]:
    """Build decks (see `plan` for which, and the options): every deck is extracted before
    any is written, and the lock file is written only after every deck was written, so a
    failure leaves the previous build and lock as they were.

    With a `cache` folder, unchanged files are not extracted again; when a few files changed,
    the last build is patched where that gives the same bytes (`BuildResult.patched`, see
    `delta.py`); when nothing the outputs are made from changed, nothing is written at all
    (`BuildResult.up_to_date`).
    `stats` receives the seconds spent in each stage. The review file's decisions apply
    (rejected cards left out, edits applied, unreviewed cards tagged `notedeck::new`, or left
    out with `accepted_only`). Builds sharing a lock file run one at a time (`waiting` is
    told of the lock file when this one waits for another)."""
    jobs, lock_file = plan(sources, **options)  # type: ignore[arg-type]
    told = (lambda: waiting(lock_file)) if waiting is not None else None
    with held(lock_file, told) if use_lock else contextlib.nullcontext():
        return _build(jobs, lock_file, allow_html=allow_html, use_lock=use_lock, tombstones=tombstones,
                      cache=cache, progress=progress, stats=stats, accepted_only=accepted_only)


def _build(jobs: list[Job], lock_file: Path, *, allow_html: bool, use_lock: bool, tombstones: bool,
           cache: Path | None, progress: Progress | None, stats: dict[str, float] | None,
           accepted_only: bool) -> list[BuildResult]:
    """`build`, once the decks are planned and the lock file is held."""
    timer = _Timer(stats)
    stamps = Stamps(cache)
    extra = {"allow_html": allow_html, "tombstones": tombstones, "lock": use_lock,
             "accepted_only": accepted_only}
    notes: dict[int, tuple[list[NotesFile], dict[str, str]] | None] = {}
    with timer("up-to-date check"):
        current = _current(jobs, stamps, lock_file if use_lock else None, extra, notes) if cache else None
    if current is None:
        current = [None] * len(jobs)
    todo = [i for i, done in enumerate(current) if done is None]  # decks still current are left alone
    if not todo:
        return [done for done in current if done is not None]
    built_now = _build_jobs([jobs[i] for i in todo], lock_file, stamps, extra, {n: notes.get(i) for n, i in
                            enumerate(todo)}, allow_html=allow_html, use_lock=use_lock, tombstones=tombstones,
                            cache=cache, progress=progress, timer=timer, accepted_only=accepted_only)
    for i, result in zip(todo, built_now, strict=True):
        current[i] = result
    return [done for done in current if done is not None]


def _build_jobs(jobs: list[Job], lock_file: Path, stamps: Stamps, extra: dict[str, object],
                notes: dict[int, tuple[list[NotesFile], dict[str, str]] | None], *, allow_html: bool,
                use_lock: bool, tombstones: bool, cache: Path | None, progress: Progress | None,
                timer: _Timer, accepted_only: bool) -> list[BuildResult]:
    """Build `jobs` (the decks not up to date; see `build`), by patching or in full."""
    patchable = _patchable(jobs, cache, extra)
    if patchable:
        assert cache is not None
        with timer("patch last build"):
            patched = _patch(jobs[0], cache, lock_file, extra, stamps, notes.get(0) or _notes(jobs[0]),
                             progress)
        if patched is not None:
            return [patched]
    with timer("extract"):
        extracted = [(job, job.extract(cache=cache, progress=progress)) for job in jobs]
    reviewed: dict[str, list[str]] = {}  # per notes file, the GUIDs decisions were applied to
    stale: dict[str, list[str]] = {}
    with timer("review decisions"):
        for job, ex in extracted:
            if patchable:
                for card in ex.cards:
                    reviewed.setdefault(card.source.path, []).append(card.guid)
            for r in apply_review(ex, job.review, accepted_only=accepted_only):
                stale.setdefault(r.generated.source.path, []).append(stale_message(r))
            if accepted_only and not ex.cards:
                raise NotedeckError(f"deck {ex.deck!r} has no accepted cards to build",
                                    "review the cards first: notedeck review (or notedeck accept GUID...)")
    with timer("lock"):
        lock = Lock.load(lock_file) if use_lock else None
    results = []
    built: dict[Path, list[DeckEntry]] = {}
    images: list[dict[str, str | None]] = []
    renders: list[tuple[str, RenderCache]] = []
    written = Written() if patchable else None
    with Staging() as staging:  # every file moves into place only once all were written
        for job, ex in extracted:
            stamps.forget(ex.deck, job.output)
            delta.forget(cache, ex.deck, job.output)
            rendered = RenderCache.load(cache, f"{job.output.resolve()}\x00{ex.deck}")
            staged, removed, seen = write_deck(
                ex, staging.folder(job.output), job.formats, job.templates, allow_html=allow_html,
                lock=lock, tombstones=tombstones, sheet_options=job.sheet, timer=timer, progress=progress,
                rendered=rendered, written=written)
            if rendered is not None:
                renders.append((f"{job.output.resolve()}\x00{ex.deck}", rendered))
            images.append(seen)
            paths = [staging.final(p) for p in staged]
            results.append(BuildResult(ex.deck, paths, len(ex.cards), ex.files_read, ex.warnings, removed,
                                       cache_hits=ex.cache_hits, suggestions=len(ex.suggestions)))
            built.setdefault(job.output, []).append(DeckEntry(ex.deck, ex.cards, paths, ex.files_read))
        with timer("lock and manifest"):  # staged too: they move last, with the outputs
            if lock is not None:
                staging.text(lock.path, lock.chunks)
            revision = gitinfo.revision(extracted[0][1].root or Path.cwd()) if extracted else None
            manifests = {out: write_manifest(out, entries, revision, staging)
                         for out, entries in built.items()}
        with timer("move into place"):
            staging.commit()
    with timer("cache"):
        for name, rendered in renders:
            rendered.save(cache, name)
    with timer("up-to-date stamp"):
        lock_bytes = _read_bytes(lock_file if use_lock else None)
        _stamp(stamps, extracted, results, images, manifests, lock_bytes, extra)
        if written is not None and lock is not None and lock_bytes is not None:
            assert cache is not None
            _record(cache, extracted[0], results[0], written, lock, lock_bytes, extra, reviewed, stale)
    return results


def _patchable(jobs: Sequence[Job], cache: Path | None, extra: dict[str, object]) -> bool:
    """Whether a build could patch its last package (see `delta.py`): one deck, to .apkg only,
    with the cache and the lock, no tombstones, no cards added by hand in review."""
    if cache is None or len(jobs) != 1 or tuple(jobs[0].formats) != ("apkg",):
        return False
    if not extra["lock"] or extra["tombstones"] or extra["accepted_only"]:
        return False
    review = jobs[0].review
    if review is None or not review.exists():
        return True
    return not Decisions.load(review).added


def _record(cache: Path, built: tuple[Job, Extraction], result: BuildResult, written: Written, lock: Lock,
            lock_bytes: bytes, extra: dict[str, object], reviewed: dict[str, list[str]],
            stale: dict[str, list[str]]) -> None:
    """Keep what the next build needs to patch this one (see `delta.py`)."""
    job, ex = built
    by_file: dict[str, list[Card]] = {}
    for card in ex.cards:
        by_file.setdefault(card.source.path, []).append(card)
    if set(by_file) - set(ex.by_file) or len(result.paths) != 1:
        return
    offered = Counter(c.source.path for c in ex.suggestions)
    files = [delta.file_state(f.display, ex.digests[f.display], "::".join((ex.deck, *f.subdeck)),
                              ex.by_file[f.display], by_file.get(f.display, []), written,
                              reviewed.get(f.display, []), stale.get(f.display, []), offered[f.display])
             for f in ex.files]
    package = result.paths[0]
    state = delta.State(_job_inputs(job, {}, None, extra, ex.review), delta.sha256(lock_bytes),
                        str(package.resolve()), file_sha256(package) or "", files, delta.lock_guids(lock))
    delta.save(cache, ex.deck, job.output, state)


@dataclass
class _Changes:
    """The notes of a deck as they are now, next to its last build's state."""

    files: list[NotesFile]
    digests: dict[str, str]
    """Each file's content digest, by display name."""
    changed: dict[int, bytes]
    """The bytes of the files that changed, by index."""
    root: Path


def _changes(job: Job, state: delta.State, notes: tuple[list[NotesFile], dict[str, str]]) -> _Changes | None:
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
    base = job.options.get("base")
    root = base.resolve() if isinstance(base, Path) else common_folder(job.sources)
    return _Changes(files, {**digests, **{files[i].display: content_digest(b) for i, b in data.items()}},
                    data, root)


def _patch(job: Job, cache: Path, lock_file: Path, extra: dict[str, object], stamps: Stamps,
           notes: tuple[list[NotesFile], dict[str, str]] | None,
           progress: Progress | None = None) -> BuildResult | None:
    """Rebuild by patching the last build (see `delta.py`), or None (nothing written) when that
    could differ from a full build. `notes`: the deck's notes files and their digests now."""
    deck = job.deck or default_deck_name(job.sources)
    state = delta.load(cache, deck, job.output)
    if state is None or state.inputs != _job_inputs(job, {}, None, extra):
        return None
    lock_bytes = _read_bytes(lock_file) or b""
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
    settings = job.settings()
    store = ExtractionCache(cache, settings.key())
    found = file_cards(((i, files[i], data) for i, data in raw.items()), settings, store, progress=progress)
    decisions, used = _decisions(job.review)
    try:
        delta.check_questions(state, found)
        merged = {i: merge_decided(list(r.cards), decisions, across_files) for i, r in found.items()}
        reviewed = {i: [c.guid for c in cards] for i, cards in merged.items()}
        present = delta.check_decisions(state, decisions, reviewed)
        changed, stale = {}, {}
        offered: dict[int, list[Card]] = {}
        left_out: dict[int, list[Card]] = {}
        for i, cards in merged.items():
            offered[i], left_out[i] = [], []
            changed[i], gone_stale = decisions.apply(cards, decks=[deck], present=present,
                                                     suggestions=offered[i], left_out=left_out[i])
            stale[i] = [stale_message(r) for r in gone_stale]
        text = LockText(lock_bytes.decode("utf-8"))
        now = build_time(files)
        patch = delta.match_lock(text, lock_file, deck, state, changed, now, left_out)
        options = WriteOptions(template_dirs=tuple(job.templates), timestamp=now,
                               allow_html=bool(extra["allow_html"]), notes_root=root, written=Written(),
                               sources={f.display: f.path for f in files}, mod_times=patch.mod_times)
        known = text.note_types()
        for name, d in template_digests(options).items():
            if (known.get(name) or {}).get("digest") != d:
                raise delta.NotPatchable(f"note type {name} changed")
            options.note_type_times[name] = int(known[name].get("changed", now))  # type: ignore[call-overload]
        counts = [len(patch.cards[i]) if i in patch.cards else f.cards for i, f in enumerate(state.files)]
        decks = list(dict.fromkeys(f.deck for f, n in zip(state.files, counts, strict=True) if n))
        gone = [n for i in raw for n in state.files[i].ids]
        read = sum(1 for i, f in enumerate(state.files)
                   if not (found[i].not_text if i in found else f.not_text))
        cards = tuple(c for i in sorted(patch.cards) for c in patch.cards[i])
        media = {name: Path(image) for i, f in enumerate(state.files) if i not in raw
                 for name, image in f.media.items()}
        stamps.forget(deck, job.output)
        if progress:
            progress.start("patching apkg", cards=sum(counts))
        with Staging() as staging:
            target = staging.folder(job.output) / package.name
            with atomic_output(target) as tmp:
                if patch_package(package, Deck(deck, cards, deck_description(read)), tmp, options,
                                 gone, delta.id_plan(state, list(raw)), decks, media) is None:
                    raise delta.NotPatchable("a note ID would move")
            paths = [staging.final(target)]
            written = options.written
            assert written is not None
            for i in raw:
                f = files[i]
                state.files[i] = delta.file_state(f.display, digests[f.display], state.files[i].deck,
                                                  found[i], patch.cards[i], written, reviewed[i], stale[i],
                                                  len(offered[i]))
            staging.text(lock_file, text.chunks)  # the lock and manifest move last, with the package
            by_type: Counter[str] = Counter()
            for done in state.files:
                by_type.update(done.by_type)
            manifest = write_manifest(job.output, [DeckEntry(deck, [], paths, read, dict(by_type))],
                                      gitinfo.revision(root), staging)
            staging.commit()
    except (delta.NotPatchable, ValueError, UnicodeDecodeError):
        return None
    lock_bytes = _read_bytes(lock_file) or b""
    state.lock = delta.sha256(lock_bytes)
    # as a full build lists them: extraction's, stale edits, the writer's, those about images
    warnings = [w for kind in ("warnings", "stale", "written", "media_warnings")
                for done in state.files for w in getattr(done, kind)]
    images = {image: digest for done in state.files for image, digest in done.images.items()}
    result = BuildResult(deck, paths, sum(done.cards for done in state.files), read, warnings,
                         patch.removed, cache_hits=len(files) - len(raw) + store.hits, patched=True,
                         suggestions=sum(done.suggestions for done in state.files))
    ex = Extraction(deck, [], files, warnings, root=root, digests=digests, review=used)
    _stamp(stamps, [(job, ex)], [result], [images], {job.output: manifest}, lock_bytes, extra)
    state.package_sha = file_sha256(paths[0]) or ""
    delta.save(cache, deck, job.output, state)
    return result


def _stamp(stamps: Stamps, extracted: list[tuple[Job, Extraction]], results: list[BuildResult],
           images: list[dict[str, str | None]], manifests: dict[Path, Path], lock_bytes: bytes | None,
           extra: dict[str, object]) -> None:
    """Record what each deck's outputs were made from (see `freshness`)."""
    for (job, ex), result, seen in zip(extracted, results, images, strict=True):
        inputs = _job_inputs(job, ex.digests, lock_bytes, extra, ex.review)
        outputs = recorded_outputs([*result.paths, manifests[job.output]], ex.deck)
        stamps.record(ex.deck, job.output, Stamp(inputs, outputs, seen, result.cards, result.files,
                                                 ex.warnings, result.suggestions))


class _Timer:
    """Adds the seconds spent in each `with timer(stage):` block to a dict (or nothing)."""

    def __init__(self, stats: dict[str, float] | None) -> None:
        self.stats = stats

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.stats is not None:
                self.stats[stage] = self.stats.get(stage, 0.0) + time.perf_counter() - start


def apply_review(ex: Extraction, path: Path | None, *, accepted_only: bool = False,
                 include_rejected: bool = False, tag_new: bool = True) -> list[Reviewed]:
    """Apply the decisions of the review file at `path` to `ex.cards` (see `Decisions.apply`);
    stale edits become warnings, and are returned. The decisions duplicates were merged after
    are the ones applied (the file is read once)."""
    if ex.decisions is None:
        ex.decisions, ex.review = _decisions(path)
    decisions = ex.decisions
    ex.suggestions, ex.left_out = [], []
    ex.cards, stale = decisions.apply(ex.cards, accepted_only=accepted_only,
                                      include_rejected=include_rejected, tag_new=tag_new, decks=[ex.deck],
                                      suggestions=ex.suggestions, left_out=ex.left_out)
    ex.warnings.extend(stale_message(r) for r in stale)
    return stale


def _decisions(path: Path | None) -> tuple[Decisions, bytes | None]:
    """The review file's decisions and the bytes they were read from (None: no review file)."""
    if path is None:
        return Decisions(Path(REVIEW_NAME)), None
    used = _read_bytes(path)
    return Decisions.load(path, used or None), used


def _read_bytes(path: Path | None) -> bytes | None:
    """A lock or review file's bytes (empty when missing), or None when not used."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _job_inputs(job: Job, digests: dict[str, str], lock: bytes | None, extra: dict[str, object],
                review: bytes | None = None) -> str:
    """The digest of what one job's outputs are made from (see `freshness`); `review`: the
    review file's bytes a build applied (else the file is read now)."""
    options = {k: v for k, v in job.options.items() if k != "base"}
    options.update(extra, formats=",".join(job.formats), sheet=sorted(job.sheet.items()),
                   output=job.output.resolve())
    if review is None:
        review = _read_bytes(job.review) if job.review is not None else None
    options["review"] = hashlib.sha256(review).hexdigest() if review else ""
    deck = job.deck or default_deck_name(job.sources)
    mine = deck_part(lock, deck) if lock is not None else None  # other decks' cards are not its inputs
    return inputs_digest(deck=deck, files=digests, options=options, template_dirs=job.templates, lock=mine)


def _notes(job: Job) -> tuple[list[NotesFile], dict[str, str]] | None:
    """A job's notes files and their content digests (by display name), or None when they
    cannot be read (the real build will say what is wrong)."""
    base = job.options.get("base")
    try:
        collected = collect(job.sources, base=base if isinstance(base, Path) else None, exclude=[job.output])
        files = collected.files
        return files, {f.display: content_digest(read_notes(f)) for f in files}
    except (OSError, NotedeckError, Refused):
        return None


def _current(jobs: Sequence[Job], stamps: Stamps, lock_file: Path | None, extra: dict[str, object],
             notes: dict[int, tuple[list[NotesFile], dict[str, str]] | None]) -> list[BuildResult | None]:
    """Per job, the result of its last build when its outputs are still current, else None
    (it must be built). Each job's notes and digests read on the way go in `notes` (by index)."""
    lock = _read_bytes(lock_file)
    results: list[BuildResult | None] = []
    for i, job in enumerate(jobs):
        found = notes[i] = _notes(job)
        deck = job.deck or default_deck_name(job.sources)
        stamp = stamps.current(deck, job.output, _job_inputs(job, found[1], lock, extra)) if found else None
        if stamp is None:
            results.append(None)
            continue
        paths = [Path(p) for p in stamp.outputs if Path(p).name != MANIFEST_NAME]
        results.append(BuildResult(deck, paths, stamp.cards, stamp.files, list(stamp.warnings),
                                   up_to_date=True, suggestions=stamp.suggestions))
    return results
