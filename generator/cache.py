"""The extraction cache: each notes file's cards, kept by the file's content and the options.

A rebuild after editing one file of a thousand re-reads and re-extracts only that file; the
others' cards come from here. An entry's key is a digest of the notedeck version, the
extraction options, the file's name and its exact bytes, so a stale entry is never used:
any change gives another key. Entries are `marshal`ed tuples of plain values (no code is
ever loaded from the cache) written atomically, each behind a checksum of its bytes (`seal`):
a damaged entry (a flipped bit in a card's text still unmarshals) or a foreign one is a miss.

Where: `$NOTEDECK_CACHE_DIR`, else `$XDG_CACHE_HOME/notedeck`, else `~/.cache/notedeck`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:  # the cards module is imported by the first entry read: the up-to-date check reads none
    from .cards import Card

CACHE_ENV = "NOTEDECK_CACHE_DIR"
_FORMAT = 3
_SUM = 16
"""Bytes of sha256 in front of each sealed entry."""
PRUNE_AFTER_DAYS = 30
"""Entries unused this long are deleted (a vault's old versions would pile up otherwise)."""


def default_folder() -> Path:
    """Where the cache lives when no folder is given (see the module docstring)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "notedeck"


def store(path: Path, data: bytes) -> bool:
    """Write a cache file whole or not at all (a temp file beside it, then a rename), so a
    reader never sees half of one; False when it cannot be written: it is only a cache, and
    the build goes on without it."""
    try:
        try:  # the folder is there but for the first entries: no mkdir for each one
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    return True


@dataclass
class FileCards:
    """What extracting one notes file gave: its cards (filtered on their own, in source order)
    and warnings, and whether the file was empty or not text at all."""

    cards: list[Card] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    empty: bool = False
    not_text: bool = False
    questions: list[int] = field(default_factory=list)
    """Each card's `cards.question_key` (worked out where the file is extracted, in parallel)."""


def _card_row(c: Card) -> tuple:
    return (c.question, c.answer, c.source.path, c.source.line, c.source.end_line, c.type, c.context,
            c.extractor, c.score, c.tags, c.deck, c.guid, c.items)


def _cards(rows: list[tuple]) -> list[Card]:
    from .cards import new_card, new_source

    return [new_card(q, a, new_source(path, line, end), kind, ctx, extractor, score, tags, deck, guid, items)
            for q, a, path, line, end, kind, ctx, extractor, score, tags, deck, guid, items in rows]


def seal(payload: bytes) -> bytes:
    """`payload` behind its checksum, as cache files are written."""
    return hashlib.sha256(payload).digest()[:_SUM] + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of sealed `data`, or None when a byte of it changed since it was sealed."""
    payload = data[_SUM:]
    if len(data) < _SUM or hashlib.sha256(payload).digest()[:_SUM] != data[:_SUM]:
        return None
    return payload


def encode(result: FileCards) -> bytes:
    """An entry's bytes (sealed)."""
    return seal(marshal.dumps((_FORMAT, [_card_row(c) for c in result.cards], result.warnings,
                               result.empty, result.not_text, result.questions)))


def decode(data: bytes) -> FileCards | None:
    """An entry from its bytes, or None when it is damaged or of another format."""
    payload = unseal(data)
    if payload is None:
        return None
    try:
        version, rows, warnings, empty, not_text, questions = marshal.loads(payload)
        if version != _FORMAT:
            return None
        return FileCards(_cards(rows), list(warnings), bool(empty), bool(not_text),
                         list(questions))
    except (EOFError, ValueError, TypeError):
        return None


class ExtractionCache:
    """Per-file extraction results on disk. `folder=None` caches nothing (`--no-cache`)."""

    def __init__(self, folder: Path | None, options: str) -> None:
        self.folder = folder
        self.options = options
        self.hits = 0
        self.misses = 0

    def key(self, display: str, content: bytes) -> str:
        """The entry name for one file's bytes under this build's options."""
        h = hashlib.sha256(f"notedeck {__version__}\x00{self.options}\x00{display}\x00".encode())
        h.update(content)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / "cards" / key[:2] / key[2:]

    def get(self, key: str) -> FileCards | None:
        """The cached result for `key`, or None."""
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        found = decode(data)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        if time.time() - path.stat().st_mtime > 86400:  # mark it used (pruning spares it)
            os.utime(path)
        return found

    def put(self, key: str, result: FileCards) -> None:
        """Store a result; a cache that cannot be written is silently skipped (it is only a cache)."""
        if self.folder is not None:
            self.put_encoded(key, encode(result))

    def put_encoded(self, key: str, data: bytes) -> None:
        """Store a result already `encode`d (by an extraction worker, which sends the same bytes
        back to the build)."""
        if self.folder is None:
            return
        store(self._path(key), data)

    def prune(self, days: float = PRUNE_AFTER_DAYS) -> int:
        """Delete entries unused for `days`; returns how many. Runs at most once a day."""
        if self.folder is None:
            return 0
        stamp = self.folder / "pruned"
        now = time.time()
        try:
            if stamp.exists() and now - stamp.stat().st_mtime < 86400:
                return 0
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            return 0
        gone = 0
        for entry in (self.folder / "cards").glob("*/*"):
            try:
                if now - entry.stat().st_mtime > days * 86400:
                    entry.unlink()
                    gone += 1
            except OSError:
                continue
        return gone


class RenderCache:
    """Card fields as the writers (Anki, CSV, sheets) rendered them, by the card's content, kept
    per deck and output folder: a rebuild renders only new and edited cards. Entries not used
    by a build are dropped when it is saved."""

    def __init__(self, entries: dict | None = None) -> None:
        self.old: dict = entries or {}
        self.new: dict = {}
        self.ahead: dict[str, tuple[Card, tuple]] = {}
        """What the extraction's workers made of each card ahead of the writer (see `offer`)."""
        self.ahead_html = False
        """Whether they rendered raw HTML (`--allow-html`)."""

    def get(self, key: bytes) -> tuple | None:
        """The cached (fields, warnings) of a card, or None."""
        found = self.old.get(key)
        if found is not None:
            self.new[key] = found
        return found

    def take(self, card: Card, allow_html: bool) -> tuple | None:
        """The (fields, warnings) rendered ahead of the writer for `card` with `allow_html`
        (then kept, under its render key), or None: none for its GUID, or made for a card that
        renders otherwise (another text or place, as a review edit gives). The notes file's
        path is not compared: only images depend on it, and no card showing one is rendered
        ahead (see `writers.render_key`)."""
        made = self.ahead.get(card.guid)
        if made is None or allow_html != self.ahead_html:
            return None
        was, (key, value, _) = made
        if (was.question, was.answer, was.type, was.items, was.context, was.source) != \
                (card.question, card.answer, card.type, card.items, card.context, card.source):
            return None
        self.new[key] = value
        return value

    def natural(self, guid: str) -> int | None:
        """The note ID base (`anki.natural_base`) of `guid`, when worked out ahead."""
        made = self.ahead.get(guid)
        return made[1][2] if made is not None else None

    def put(self, key: bytes, value: tuple) -> None:
        """Remember what a card rendered to."""
        self.new[key] = value

    def offer(self, entries: dict[str, tuple[Card, tuple]], allow_html: bool) -> None:
        """What the extraction's workers made of each card ahead of the writer (see
        `anki.RenderAhead`), by GUID: the card it was made for and its render key, (fields,
        warnings) and `natural_base`. The writer finds a card's rendering by its GUID, with no
        digest to work out (see `take`); those it uses are kept under their key."""
        if self.ahead:
            self.ahead.update(entries)
        else:
            self.ahead = entries
        self.ahead_html = allow_html

    @staticmethod
    def _path(folder: Path, name: str) -> Path:
        digest = hashlib.sha256(f"notedeck {__version__}\x00{name}".encode()).hexdigest()
        return folder / "fields" / digest[:32]

    @classmethod
    def load(cls, folder: Path | None, name: str) -> RenderCache | None:
        """The cache for `name` (a deck and output folder), empty when missing or damaged; None
        without a folder."""
        if folder is None:
            return None
        try:
            payload = unseal(cls._path(folder, name).read_bytes())
            if payload is None:  # damaged: render every card afresh
                return cls()
            version, entries = marshal.loads(payload)
            return cls(entries if version == _FORMAT and isinstance(entries, dict) else None)
        except (OSError, EOFError, ValueError, TypeError):
            return cls()

    def save(self, folder: Path | None, name: str) -> None:
        """Store the entries this build used (skipped silently when the cache cannot be written)."""
        if folder is None:
            return
        try:
            data = seal(marshal.dumps((_FORMAT, self.new)))
        except ValueError:  # an entry marshal cannot write: keep none
            return
        store(self._path(folder, name), data)
