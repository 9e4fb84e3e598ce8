"""`notedeck.lock`: each card's identity and the time its content last changed.

Anki matches notes by GUID and updates one only when the incoming modification time is newer.
So the lock keeps, per card, its GUID (reused when the card's question gets a small edit: a
typo fix, a few words reworded; and when its line moves to another notes file), a digest of
its content, and when that content last changed.
Edited cards get a new time and update in Anki; untouched cards keep theirs and stay
untouched; two builds of the same notes give the same deck. The file is JSON with one card
per line, sorted, so it diffs well in review; nothing is ever written into the notes.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, TypeVar

from .cards import Card, identity_text
from .errors import NotedeckError, os_hint
from .filemode import give_mode
from .sources import PathLike, common_folder
from .statefiles import BadEntry, check_lock, json_line

LOCK_NAME = "notedeck.lock"
FORMAT_VERSION = 1
# A question this similar is the same card, edited (typo fixed, a few words reworded).
SAME_QUESTION = 0.8
# ...or a little less similar, when the answer is also much the same.
SIMILAR_QUESTION = 0.6
SIMILAR_ANSWER = 0.6


@dataclass(frozen=True, slots=True)
class Entry:
    """What the lock remembers about one card (replaced when it changes, never changed in place)."""

    guid: str
    deck: str
    type: str
    question: str
    answer: str
    path: str
    digest: str
    changed: int
    """Unix time the card's content last changed (its note's modification time)."""
    removed: int = 0
    """Unix time the card disappeared from the notes (0 while it exists)."""
    context: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class Reconciled:
    """A build's cards after matching them to the lock."""

    cards: list[Card]
    mod_times: dict[str, float]
    removed: list[Entry]
    """Cards of the previous build that are gone from the notes now."""


def digest(card: Card) -> str:
    """What a note's fields are made of: a change here is an edit Anki must receive."""
    parts = (card.type, card.question, card.answer, card.context, card.source.path, *card.items, *card.tags)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


_SHARED = ("deck", "type", "path", "context")


def _written_for(line: str, e: Entry) -> bool:
    """Whether a loaded line is one card's line as notedeck writes it (not a hand-reformatted
    file, where lines and cards do not correspond)."""
    return line.startswith("{") and line.endswith("}") and f'"guid": "{e.guid}"' in line


class Remembered(Protocol):
    """What fuzzy matching needs of a remembered card (a lock entry, a review decision); read
    only, so frozen records match too."""

    @property
    def type(self) -> str: ...

    @property
    def question(self) -> str: ...

    @property
    def answer(self) -> str: ...


R = TypeVar("R", bound=Remembered)


def closest(card: Card, candidates: Iterable[R]) -> R | None:
    """The remembered card `card` is an edited version of: same type, and a question that
    differs by a typo fix or a few words (or a little more, with a similar answer)."""
    best, best_score = None, 0.0
    for e in candidates:
        if e.type != card.type:
            continue
        q = similarity(e.question, card.question)
        a = similarity(e.answer, card.answer) if q < SAME_QUESTION else 1.0
        close = q >= SAME_QUESTION or (q >= SIMILAR_QUESTION and a >= SIMILAR_ANSWER)
        if close and q + a > best_score:
            best, best_score = e, q + a
    return best


def moved(card: Card, candidates: Iterable[R]) -> R | None:
    """The remembered card of another notes file `card` is, moved there: same type, the same
    question or one with a small edit (as `closest`), and a similar answer too (across files,
    a similar question alone is too weak a sign of the same card)."""
    best, best_score = None, 0.0
    for e in candidates:
        if e.type != card.type:
            continue
        q = similarity(e.question, card.question)
        if q < SAME_QUESTION:
            continue
        a = similarity(e.answer, card.answer)
        if a >= SIMILAR_ANSWER and q + a > best_score:
            best, best_score = e, q + a
    return best


def later(now: int, old: Entry | None) -> int:
    """The time to stamp on a change of the card `old` recorded: `now`, but always after the
    time recorded for it. Anki takes an incoming note only when it is newer, and an edit within
    the same second as the last build's time (or a clock, commit or SOURCE_DATE_EPOCH that went
    back) would otherwise arrive as a duplicate and keep the old text."""
    return now if old is None else max(now, old.changed + 1)


def _line(entry: Entry) -> str:
    """One card's line in the lock file (without the separating comma)."""
    fields = {name: getattr(entry, name) for name in entry.__dataclass_fields__}  # asdict deep-copies
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def similarity(a: str, b: str) -> float:
    from difflib import SequenceMatcher  # (imported by the first comparison: most builds make none)

    return SequenceMatcher(None, identity_text(a), identity_text(b), autojunk=False).ratio()


class Lock:
    """The lock file of one notes folder (all its decks)."""

    def __init__(self, path: Path, entries: Iterable[Entry] = (), note_types: dict | None = None) -> None:
        self.path = path
        self.entries = {e.guid: e for e in entries}
        self.note_types: dict[str, dict[str, object]] = note_types or {}
        self._lines: dict[str, tuple[Entry, str]] = {}
        """Each entry as loaded, with its line: entries still the loaded objects (entries are
        replaced, never changed in place) are written back as they were, not serialised anew
        (most of a big lock's save time, see README: Performance)."""

    @classmethod
    def load(cls, path: Path) -> Lock:
        """Read `path`; a missing file is an empty lock, a damaged one an error naming the line."""
        if not path.exists():
            return cls(path)
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("notedeck_lock") != FORMAT_VERSION:
                raise ValueError("not a notedeck lock file (version 1)")
            check_lock(data)
            raw = data.get("cards", [])
            entries = []
            while raw:  # popping frees each parsed dict at once: a 100k-card lock peaks lower
                e = raw.pop()
                for key in _SHARED:  # one string per deck, file and heading, not one per card
                    if isinstance(e.get(key), str):
                        e[key] = sys.intern(e[key])
                entries.append(Entry(**e))
            entries.reverse()
        except json.JSONDecodeError as exc:
            raise NotedeckError(f"{path}:{exc.lineno}: damaged lock file: {exc.msg}",
                                "restore it from version control; it was not overwritten") from exc
        except BadEntry as exc:
            line = json_line(text, exc.key, exc.index)
            raise NotedeckError(f"{path}{f':{line}' if line else ''}: damaged lock file: {exc}",
                                "fix it by hand or restore it from version control; it was not "
                                "overwritten") from exc
        except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise NotedeckError(f"{path}: unreadable lock file: {exc}",
                                "restore it from version control; it was not overwritten") from exc
        lock = cls(path, entries, data.get("note_types") or {})
        lines = text.split("\n")
        del text
        try:
            first = lines.index('"cards": [') + 1
        except ValueError:
            return lock
        body = [ln.removesuffix(",") for ln in lines[first:first + len(entries)]]
        # Only lines as notedeck writes them (one card each, in order) are reused.
        if len(body) == len(entries):
            lock._lines = {e.guid: (e, ln) for e, ln in zip(entries, body, strict=True)}
        return lock

    def reconcile(self, scope: str, cards: Sequence[Card], now: int,
                  kept_out: Sequence[Card] = ()) -> Reconciled:
        """Give each card its remembered GUID and modification time; note what was removed.

        `scope` is the deck name the cards were built for (its sub-decks included). `kept_out`:
        cards still in the notes that the deck leaves out (rejected, unreviewed, suggestions):
        they keep their entries as they are, neither removed nor given to another card."""
        mine = {g: e for g, e in self.entries.items() if e.deck == scope}
        unmatched = {g: e for g, e in mine.items() if not e.removed}
        out = list(cards)  # note order, whatever the lock knows: new cards stay where they are
        pending: list[int] = []
        for i, card in enumerate(out):
            if card.guid in mine:
                unmatched.pop(card.guid, None)
            else:
                pending.append(i)
        for card in kept_out:
            unmatched.pop(card.guid, None)
        # Edited questions: pair each new card with the most similar vanished one of its file.
        by_path: dict[str, list[Entry]] = {}
        for e in unmatched.values():
            by_path.setdefault(e.path, []).append(e)
        unplaced: list[int] = []
        for i in pending:
            card = out[i]
            best = closest(card, (e for e in by_path.get(card.source.path, []) if e.guid in unmatched))
            if best is not None:
                unmatched.pop(best.guid)
                out[i] = replace(card, guid=best.guid)
            else:
                unplaced.append(i)
        for card in kept_out:  # an edited card left out still owns its entry
            if card.guid not in mine:
                best = closest(card, (e for e in by_path.get(card.source.path, []) if e.guid in unmatched))
                if best is not None:
                    unmatched.pop(best.guid)
        # Lines moved to another notes file: the same card, if it vanished from its old file.
        for i in unplaced:
            best = moved(out[i], unmatched.values())
            if best is not None:
                unmatched.pop(best.guid)
                out[i] = replace(out[i], guid=best.guid)
        mod_times: dict[str, float] = {}
        for card in out:
            d = digest(card)
            old = self.entries.get(card.guid)
            if old is not None and old.digest == d and not old.removed and old.deck == scope:
                mod_times[card.guid] = old.changed  # the digest covers everything else it holds
                continue
            same = old is not None and old.digest == d and not old.removed
            changed = old.changed if same and old is not None else later(now, old)
            mod_times[card.guid] = changed
            entry = Entry(
                guid=card.guid, deck=scope, type=card.type, question=card.question, answer=card.answer,
                path=card.source.path, digest=d, changed=changed, context=card.context, tags=list(card.tags))
            if entry != old:  # an unchanged entry stays the loaded object (its line is reused)
                self.entries[card.guid] = entry
        newly_removed = []
        for e in unmatched.values():
            when = later(now, e)
            gone = replace(e, removed=when, changed=when)
            self.entries[e.guid] = gone
            newly_removed.append(gone)
        return Reconciled(out, mod_times, newly_removed)

    def removed(self, scope: str) -> list[Entry]:
        """Every card of the deck that has left the notes (for tombstones)."""
        gone = (e for e in self.entries.values() if e.deck == scope and e.removed)
        return sorted(gone, key=lambda e: e.guid)

    def note_type_time(self, name: str, templates_digest: str, now: int) -> int:
        """When note type `name` last changed (its templates or CSS): Anki updates it only then."""
        known = self.note_types.get(name)
        if known and known.get("digest") == templates_digest:
            return note_type_changed(known, now)
        before = note_type_changed(known, 0) if known else None
        changed = now if before is None else max(now, before + 1)
        self.note_types[name] = {"digest": templates_digest, "changed": changed}
        return changed

    def chunks(self) -> Iterator[str]:
        """The file's text in pieces: a header, then one card per line, sorted by deck, file and
        GUID (written piece by piece, a 100,000-card lock is never one 40 MB string)."""
        rows = sorted(self.entries.values(), key=lambda e: (e.deck, e.path, e.guid))
        types = json.dumps(self.note_types, sort_keys=True)
        if not rows:
            yield f'{{"notedeck_lock": {FORMAT_VERSION}, "note_types": {types}, "cards": []}}\n'
            return
        yield f'{{"notedeck_lock": {FORMAT_VERSION},\n"note_types": {types},\n"cards": [\n'
        for i, e in enumerate(rows):
            known = self._lines.get(e.guid)
            line = known[1] if known is not None and known[0] is e and _written_for(known[1], e) else _line(e)
            yield line + (",\n" if i < len(rows) - 1 else "\n")
        yield "]}\n"

    def dumps(self) -> str:
        """The file's text (see `chunks`)."""
        return "".join(self.chunks())

    def save(self) -> None:
        """Write atomically (temp file + rename): an interrupted build never truncates the lock,
        and an unchanged lock is not rewritten."""
        write_atomically(self.path, self.chunks)


def note_type_changed(known: Mapping[str, object], default: int) -> int:
    """The `changed` time a lock records for a note type (`default` when it has none)."""
    value = known.get("changed", default)
    return int(value) if isinstance(value, int | float | str) else default


def lock_location(config: Path | None, sources: Sequence[PathLike]) -> Path:
    """Where a command's lock file is when none is named: beside the config, else in the
    notes' folder (every command that gives cards GUIDs reads the same one)."""
    if config is not None:
        return Path(config).resolve().parent / LOCK_NAME
    return common_folder(sources) / LOCK_NAME


def remembered_guids(path: Path, decks: Iterable[tuple[str, list[Card]]]) -> list[list[Card]]:
    """Each deck's cards (deck name, cards) with the GUIDs a build would give them from the
    lock at `path`, read and never written: `extract` and `sheet` must name a card as the
    built deck does, or a CSV re-import duplicates the edited notes."""
    lock = Lock.load(path)
    return [lock.reconcile(deck, cards, 0).cards for deck, cards in decks]  # times unused


LOCK_FIX = "make the folder writable, or choose another lock file with --lock (or --no-lock)"


def write_atomically(path: Path, chunks: Callable[[], Iterable[str]]) -> None:
    """Write the text `chunks()` gives at `path` through a temp file and a rename; an unchanged
    file is left alone (and a read-only folder is fine as long as nothing changed)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        if path.exists() and path.read_text(encoding="utf-8") == "".join(chunks()):
            return
        raise NotedeckError(f"cannot write {path}: {exc.strerror or exc}",
                            os_hint(exc, LOCK_FIX)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(chunks())
        if path.exists() and filecmp.cmp(tmp, path, shallow=False):
            Path(tmp).unlink()
            return
        give_mode(tmp, path)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise NotedeckError(f"cannot write {path}: {exc.strerror or exc}",
                            os_hint(exc, LOCK_FIX)) from exc


def deck_part(data: bytes, deck: str) -> bytes:
    """The part of a lock file's bytes one deck's outputs depend on: the header (note types)
    and the lines of its own cards, each ending in a comma (the file's last card has none), so
    a build of another deck does not make it look out of date. A lock whose cards are all the
    deck's (the usual one) is not cut into lines: a tenth of an up-to-date check at 20,000
    cards. The whole file when it is not laid out as `Lock.chunks` writes it."""
    second = data.find(b"\n", data.find(b"\n") + 1)
    cards = second + 1 + len(b'"cards": [\n')
    if second < 0 or not data.startswith(b'"cards": [\n', second + 1) or not data.endswith(b"\n]}\n") \
            or cards > len(data) - len(b"]}\n"):
        return data
    key = f'"deck": {json.dumps(deck, ensure_ascii=False)}, "digest"'.encode()
    if data.count(key) == data.count(b"\n") - 4:  # every card is the deck's: the lines as they are
        body = memoryview(data)[cards:len(data) - len(b"\n]}\n")]
        return b"".join((data[:second], b"\n", body, b",")) if body else data[:second]
    lines = data.split(b"\n")
    return b"\n".join([*lines[:2], *(ln.removesuffix(b",") + b"," for ln in lines[3:-2] if key in ln)])


class LockText:
    """A lock file's text as `Lock.chunks` writes it, patched one notes file at a time (see
    `delta.py`): the lines of the other files' cards are kept as they are, never parsed."""

    def __init__(self, text: str) -> None:
        lines = text.split("\n")
        try:
            first = lines.index('"cards": [') + 1
        except ValueError:
            raise ValueError("not a lock file as notedeck writes it") from None
        if first != 3 or lines[-2:] != ["]}", ""]:
            raise ValueError("not a lock file as notedeck writes it")
        self.head = lines[:first]
        self.cards = [ln.removesuffix(",") for ln in lines[first:-2]]

    def note_types(self) -> dict[str, dict[str, object]]:
        """The note types' digests and times (the header's second line)."""
        return json.loads(self.head[1].removeprefix('"note_types": ').removesuffix(","))

    def block(self, deck: str, path: str) -> tuple[int, int]:
        """Where the lines of deck `deck`'s cards from notes file `path` are (sorted by deck,
        file and GUID, they are together); an empty range when there are none."""
        deck_key = f'"deck": {json.dumps(deck, ensure_ascii=False)}, "digest"'
        path_key = f'"path": {json.dumps(path, ensure_ascii=False)}, "question"'
        found = [i for i, ln in enumerate(self.cards) if path_key in ln and deck_key in ln]
        if not found:
            return 0, 0
        if found[-1] - found[0] + 1 != len(found):
            raise ValueError("the lock's lines are not in order")
        return found[0], found[-1] + 1

    def entries(self, start: int, end: int) -> list[Entry]:
        """The entries of the lines `start:end`."""
        return [Entry(**json.loads(ln)) for ln in self.cards[start:end]]

    def replace(self, start: int, end: int, entries: Iterable[Entry]) -> None:
        """Put `entries` (one file's, of one deck) in place of the lines `start:end`."""
        self.cards[start:end] = [_line(e) for e in sorted(entries, key=lambda e: e.guid)]

    def chunks(self) -> Iterator[str]:
        """The file's text in pieces (as `Lock.chunks`)."""
        yield "\n".join(self.head) + "\n"
        yield ",\n".join(self.cards)
        yield "\n]}\n"
