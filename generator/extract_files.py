"""Extracting notes files one by one: read, extract, fix typos, place, filter, give identities.

Each file's cards depend on that file and the options alone, so the work is cached per file
(`cache.py`) and, when many files changed, spread over a process pool. Results always come
back in the files' order, so a parallel build writes the same bytes as a serial one.
"""

from __future__ import annotations

import json
import marshal
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import filters, written_only
from .cache import ExtractionCache, FileCards, decode, encode
from .cards import BASIC, REVERSED, Card, new_card, question_key, with_identity
from .confidence import calibrate
from .extractors import REGISTRY, ExtractorRegistry
from .extractors.analysis import only_written_cards
from .extractors.explicit import explicit
from .ids import slug
from .options import ExtractSettings
from .outline import HEADING, ITEM, PARAGRAPH, Document
from .readers import READERS, NotText, detect_format, notes_text, read_text
from .spelling import Speller, load_dictionary

if TYPE_CHECKING:
    from concurrent.futures import Executor

PARALLEL_MIN_BYTES = 256 * 1024
"""Below this much changed text a process pool costs more than it saves."""


class Ahead(Protocol):
    """What a writer does with each file's cards in the pool's workers, ahead of writing (see
    `anki.RenderAhead`): an entry per card, built where the work is spread over cores."""

    def start(self) -> Callable[[Sequence[Card], str, str], list[tuple | None]]:
        """A function from a file's cards, display name and path to each card's entry (None:
        none)."""


class Progress(Protocol):
    """What a long build reports as it goes (the command line draws it as a progress bar)."""

    def start(self, stage: str, total: int | None = None, cards: int | None = None) -> None:
        """A stage begins (`reading notes`, `writing apkg`), with how many files it has, if known;
        `cards`: the deck's count once known (duplicates merged), replacing the cards found."""

    def advance(self, files: int = 1, cards: int = 0) -> None:
        """Files done and cards found since the last call."""


@dataclass(frozen=True)
class FileSettings:
    """Everything a file's cards depend on besides its own text (part of the cache key)."""

    deck: str
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    """How the deck's notes become cards (the same for every file of it)."""

    def key(self, registry: ExtractorRegistry = REGISTRY) -> str:
        """A stable text of the settings and of the readers and extractors the cards come from,
        for cache keys (installing or upgrading a plugin is a change). Only for a `cacheable`
        registry: another one is not named by it."""
        return json.dumps({**asdict(self), "extractors_from": registry.key(), "readers_from": READERS.key()},
                          sort_keys=True)


def cacheable(registry: ExtractorRegistry) -> bool:
    """Whether cards from `registry`'s extractors may be cached: each extractor (and reader) is
    named by its module and name or by its plugin's version (see `Registry.key`)."""
    return registry.key() is not None and READERS.key() is not None


def parallel_safe(registry: ExtractorRegistry) -> bool:
    """Whether worker processes can extract with `registry`: it pickles by reference, each
    extractor imported again by its module and name (see `Registry.portable`)."""
    return registry.portable() and READERS.portable()


def extract_file(data: bytes, path: os.PathLike[str] | str, display: str, subdeck: tuple[str, ...],
                 settings: FileSettings, registry: ExtractorRegistry = REGISTRY,
                 words: Path | None = None) -> FileCards:
    """One notes file's cards, from its bytes. Raises NotedeckError when it cannot be parsed.
    `words`: a cache folder the English dictionary may be read from (and kept in)."""
    try:
        text, warnings = notes_text(data, Path(path), display)
    except NotText as exc:
        return FileCards(warnings=[exc.message], not_text=True)
    how = settings.extract
    names = list(how.extractors) if how.extractors is not None else None
    shown = display or str(path)  # the name cards give their file
    found = written_only.cards(text, shown) \
        if _written_only(registry, names) and detect_format(Path(shown), text) == "markdown" else None
    if found is not None:  # only `front :: back` items under headings: read from the lines
        where = Placement((), {}, how.heading_tags, how.reversed_definitions)
    else:
        doc = read_text(text, shown)
        if not doc.root.children:
            return FileCards(warnings=[*warnings, f"{display}: no notes in this file (empty)"], empty=True)
        if only_written_cards(doc):  # the built-in extractors but `explicit` would find nothing
            names = [n for n, fn in registry.select(names) if n == "explicit" or not _built_in(fn)]
        found = list(registry.run(doc, names))
        generated = any(c.extractor not in filters.AUTHORED for c in found)
        if generated:  # typo repair and the doubts read the dictionary: from the cache's copy
            load_dictionary(words)
        if how.spelling and generated:
            speller = Speller(node.text for node, _ in doc.walk())
            found = [c if c.extractor in filters.AUTHORED else speller.fix_card(c) for c in found]
        where = Placement(document_tags(doc), line_texts(doc), how.heading_tags, how.reversed_definitions)
    file_deck = "::".join((settings.deck, *subdeck))
    calibrated = (calibrate(where.place(c), where.lines.get(c.source.line, "")) for c in found)
    placed = filters.apply([c for c in calibrated if c is not None],
                           filters.per_file_filters(how.min_score))
    cards = [with_identity(c, file_deck, how.tags) for c in placed]
    return FileCards(cards, warnings, questions=[question_key(c) for c in cards])


def _written_only(registry: ExtractorRegistry, names: list[str] | None) -> bool:
    """Whether a file of written cards alone is read by the built-in `explicit` extractor
    alone with these settings (no plugin's extractor may read its lines)."""
    chosen = [(n, fn) for n, fn in registry.select(names) if n == "explicit" or not _built_in(fn)]
    return len(chosen) == 1 and chosen[0][1] is explicit


def _built_in(fn: object) -> bool:
    """Whether an extractor is one of notedeck's own (a plugin's or a library user's may read
    the lines the built-in ones leave alone)."""
    return str(getattr(fn, "__module__", "")).startswith("generator.extractors.")


@dataclass(frozen=True)
class Todo:
    """A file to extract (its cache entry missed)."""

    index: int
    data: bytes
    path: str
    display: str
    subdeck: tuple[str, ...]
    key: str


def _extract_batch(batch: tuple[list[Todo], FileSettings, ExtractorRegistry, ExtractionCache, Ahead | None],
                   ) -> list[tuple[bytes, bytes]]:
    """A pool worker's share: each file extracted, cached and sent back `encode`d (marshalling
    plain tuples is several times cheaper than pickling cards, on both sides of the pipe), with
    what `ahead` made of its cards (marshalled; empty without)."""
    todos, settings, registry, cache, ahead = batch
    render = ahead.start() if ahead is not None else None
    out = []
    for t in todos:
        result = extract_file(t.data, t.path, t.display, t.subdeck, settings, registry, cache.folder)
        data = encode(result)
        cache.put_encoded(t.key, data)
        out.append((data, marshal.dumps(render(result.cards, t.display, t.path)) if render else b""))
    return out


def run_files(todos: Sequence[Todo], settings: FileSettings, cache: ExtractionCache,
              registry: ExtractorRegistry = REGISTRY, workers: int | None = None,
              progress: Progress | None = None, ahead: Ahead | None = None,
              rendered: dict[str, tuple] | None = None) -> dict[int, FileCards]:
    """Extract `todos` (serially, or over a process pool when there is much to do) and cache
    each result; returns them by index. Over a pool, `ahead` also runs in the workers on each
    file's cards, its entries put in `rendered` (serially it would save nothing: not run)."""
    size = sum(len(t.data) for t in todos)
    cores = workers if workers is not None else (os.cpu_count() or 1)
    parallel = cores > 1 and len(todos) > 1 and size >= PARALLEL_MIN_BYTES and parallel_safe(registry)
    out: dict[int, FileCards] = {}

    def keep(todo: Todo, result: FileCards) -> None:
        out[todo.index] = result
        if progress:
            progress.advance(1, len(result.cards))

    if not parallel:
        for todo in todos:
            result = extract_file(todo.data, todo.path, todo.display, todo.subdeck, settings, registry,
                                  cache.folder)
            cache.put(todo.key, result)
            keep(todo, result)
        return out
    # The first file here: what extracting sets up on first use (compiled patterns, caches,
    # plugins) is then set up once, and every worker forked below starts with it.
    first, *rest = todos
    result = extract_file(first.data, first.path, first.display, first.subdeck, settings, registry,
                          cache.folder)
    cache.put(first.key, result)
    keep(first, result)
    if ahead is not None and rendered is not None:  # (here too, so that every file is alike)
        _found(result.cards, ahead.start()(result.cards, first.display, first.path), rendered)
    # Batches of similar size, in order, many per worker: the last ones finish together (with
    # 8 a worker, one could idle for the last third of a second of a 100k-card build).
    batches = _batches(rest, cores * 32)
    sent_ahead = ahead if rendered is not None else None
    jobs = [(b, settings, registry, cache, sent_ahead) for b in batches]
    with process_pool(cores) as pool:
        for batch, results in zip(batches, pool.map(_extract_batch, jobs), strict=True):
            for todo, (data, entries) in zip(batch, results, strict=True):
                sent = decode(data)
                assert sent is not None  # our own encoding, of this very format
                keep(todo, sent)
                if entries and sent_ahead is not None and rendered is not None:
                    _found(sent.cards, marshal.loads(entries), rendered)
    return out


def _found(cards: Sequence[Card], entries: list[tuple | None], into: dict[str, tuple]) -> None:
    """Put a file's entries from an `Ahead` in `into` by GUID, each with the card it was made
    for (a GUID's first card: the writer checks that it is the card it writes)."""
    for card, entry in zip(cards, entries, strict=True):
        if entry is not None:
            into.setdefault(card.guid, (card, entry))


def process_pool(cores: int) -> Executor:
    """A pool of `cores` worker processes, forked where the system can fork (a fork starts with
    what the parent set up). Imported here: a build that extracts a few files never starts one."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    forks = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if forks else None
    return ProcessPoolExecutor(max_workers=cores, mp_context=context)


def _batches(todos: list[Todo], count: int) -> list[list[Todo]]:
    """`todos` cut, in order, into about `count` runs of similar total size."""
    total = sum(len(t.data) for t in todos)
    target = max(1, total // max(1, count))
    batches: list[list[Todo]] = [[]]
    size = 0
    for t in todos:
        if size >= target and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(t)
        size += len(t.data)
    return batches


_INLINE_TAG = re.compile(r"(?<![\w&#/])#(?P<tag>[A-Za-z][\w/-]*[\w])(?=$|[\s.,;:!?)])")


def document_tags(doc: Document) -> tuple[str, ...]:
    """Tags from front matter (`tags: [a, b]`, `tags: a, b`) or Org `#+FILETAGS: :a:b:` (Org's
    `#+TAGS:` only lists the tags a file may use: it tags nothing)."""
    if doc.format == "org":
        raw = doc.meta.get("filetags", "")
    else:
        raw = doc.meta.get("tags", "") or doc.meta.get("filetags", "")
    # A comma-separated list may hold multi-word tags ("cell parts" -> cell_parts); else words.
    parts = re.split(r"[,:\[\]]+" if "," in raw else r"[\s,:\[\]]+", raw)
    tags = (p.strip().strip("'\"#").strip() for p in parts)
    return tuple(re.sub(r"\s+", "_", t) for t in tags if t)


def line_texts(doc: Document) -> dict[int, str]:
    """The text of each line that holds a heading, item or paragraph (for inline `#tags`)."""
    return {n.line: n.text for n, _ in doc.walk() if n.kind in (ITEM, PARAGRAPH, HEADING)}


def _unpaired_emphasis(text: str) -> str:
    """An answer cut out of `_Central Intelligence Agency_` keeps a lone closing `_` or `*`
    (or an opening one): without its pair it is no emphasis, only a stray mark on the card."""
    for mark in ("**", "__", "*", "_"):
        if text.count(mark) == 1 and (text.endswith(mark) or text.startswith(mark)):
            return text.strip(mark[0]).strip()
    return text


@dataclass(frozen=True)
class Placement:
    """A file's tags, given to its cards (`with_identity` then puts them in the file's deck).
    Built once per file, not per card."""

    doc_tags: tuple[str, ...]
    lines: dict[int, str]
    heading_tags: bool
    reversed_definitions: bool

    def place(self, card: Card) -> Card:
        """The card with its tags; inline `#tags` are taken out of its text. The card itself
        when that changes nothing (most cards: no card is built for nothing)."""
        lines = (self.lines.get(ln, "") for ln in range(card.source.line, card.source.end_line + 1))
        found = [m.group("tag") for text in lines if "#" in text for m in _INLINE_TAG.finditer(text)]
        tags = [*self.doc_tags, *found]
        if self.heading_tags and card.context:
            tags.append(slug(card.context.split(" > ")[0]))
        question, answer = ((_INLINE_TAG.sub("", t) if "#" in t else t).strip() or t
                            for t in (card.question, card.answer))
        answer = answer if card.extractor in filters.AUTHORED else _unpaired_emphasis(answer)
        both_ways = self.reversed_definitions and card.extractor == "definition" and card.type == BASIC
        kind = REVERSED if both_ways else card.type
        if not tags and question == card.question and answer == card.answer and kind == card.type:
            return card
        # built whole (see `new_card`), not by `replace` (which checks each field): once per card
        return new_card(question, answer, card.source, kind, card.context, card.extractor, card.score,
                        tuple(dict.fromkeys((*card.tags, *tags))), card.deck, card.guid, card.items)

