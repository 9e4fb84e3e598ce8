"""The collection inside an .apkg: genanki's schema and rows written straight into SQLite, then
`VACUUM INTO` a file whose bytes depend only on the rows, zipped with the media. Split from
`anki.py`, which turns cards into these rows."""

from __future__ import annotations

import json
import marshal
import pickle
import re
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotedeckError
from ..render import Media
from ._genanki import genanki, genanki_apkg_col, genanki_apkg_schema

# Fixed zip entry time: the package's bytes must not depend on the wall clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# genanki's schema, cut before its indexes: they are built after the notes are in.
_SCHEMA_TABLES, _, _INDEXES = genanki_apkg_schema.APKG_SCHEMA.partition("CREATE INDEX")
SCHEMA_INDEXES = "CREATE INDEX" + _INDEXES


# A note's and a new card's rows as genanki writes them, the columns every row has alike written
# into the statement (usn -1, then a note's checksum, flags and data; a new card's type,
# queue, due, interval, factor, reps, lapses, left, odue, odid, flags and data): binding values
# is most of what inserting costs.
_INSERT_NOTE = "INSERT INTO notes VALUES(?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')"
_INSERT_CARD = "INSERT INTO cards VALUES(?, ?, ?, ?, ?, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '')"
_CLOZE_REF = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


def card_ords(model: genanki.Model, fields: list[str]) -> list[int]:
    """Which cards a note makes, as genanki decides it: front/back types by their required
    fields, cloze types one card per deletion number in the fields the front shows."""
    if model.model_type == model.CLOZE:
        qfmt = model.templates[0]["qfmt"]
        names = set(re.findall(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}", qfmt)
                    + re.findall("<%cloze:(.+?)%>", qfmt))
        ords: set[int] = set()
        for i, f in enumerate(model.fields):
            if f["name"] in names:
                ords.update(int(m) - 1 for m in _CLOZE_REF.findall(fields[i]) if int(m) > 0)
        return sorted(ords)
    return [card_ord for card_ord, mode, required in model._req
            if (all if mode == "all" else any)(fields[i] for i in required)]


@dataclass
class Rows:
    """Note and card rows waiting to be inserted."""

    notes: list[tuple] = field(default_factory=list)
    cards: list[tuple] = field(default_factory=list)
    ords: dict[tuple, list[int]] = field(default_factory=dict)
    """A front/back note type's cards by which of its fields are filled (see `card_ords`)."""

    def add_note(self, model: genanki.Model, fields: list[str], guid: str, tags: list[str], mod_time: float,
                 id_base: int, deck_id: int) -> None:
        """A note's row and its cards' rows, as genanki writes them, without genanki's per-note
        costs (a Note object, an HTML check of every field, a cached property). Its 16 IDs start
        at `id_base` (see `id_base_from`): the note's, then its cards'."""
        mod = int(mod_time)
        self.notes.append((id_base, guid, model.model_id, mod, f" {' '.join(tags)} ", "\x1f".join(fields),
                           fields[model.sort_field_index]))
        if model.model_type == model.CLOZE:  # its cards follow its deletions' numbers
            ords = card_ords(model, fields)
        else:
            filled = (model.model_id, *map(bool, fields))
            ords = self.ords.get(filled) or self.ords.setdefault(filled, card_ords(model, fields))
        for k, ord_ in enumerate(ords, start=1):
            self.cards.append((id_base + k, id_base, deck_id, ord_, mod))

    def insert(self, cursor: sqlite3.Cursor) -> None:
        """Insert the rows waiting (see `_INSERT_NOTE`, `_INSERT_CARD`)."""
        cursor.executemany(_INSERT_NOTE, self.notes)
        cursor.executemany(_INSERT_CARD, self.cards)


def write_zip(path: Path, db_path: Path, media: Media) -> None:
    """The package: the collection (streamed, not held in memory), the media index, the media
    files, in that order, with fixed entry times. Deflate level 1 takes a third of the default
    level's time for a package about 13% larger."""
    names = sorted(media.files)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with db_path.open("rb") as src, z.open(_entry("collection.anki2"), "w") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        index = json.dumps({str(i): n for i, n in enumerate(names)}, sort_keys=True).encode()
        z.writestr(_entry("media"), index)
        for i, name in enumerate(names):
            z.writestr(_entry(str(i)), media.read(name))


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    # deflate level 1 (the attribute is `compress_level` from Python 3.13, `_compresslevel` before)
    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", 1)
    return info


def package(path: Path, media: Media, fill: Callable[[sqlite3.Cursor], None],
            previous: Path | None = None) -> None:
    """Write the package at `path`: a scratch collection (`previous`'s, else empty) changed by
    `fill`, then rewritten by `VACUUM INTO`, whose bytes depend only on the rows, not on the
    order they went in (so a patched package equals one built from scratch; free pages go too),
    then zipped with the media. A new collection's scratch is kept in memory: filled on disk,
    even without a journal, its inserts took twice as long."""
    with tempfile.TemporaryDirectory(prefix="notedeck-") as tmp:
        scratch = Path(tmp) / "scratch.anki2"
        if previous is not None:
            with zipfile.ZipFile(previous) as z, z.open("collection.anki2") as src, scratch.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        conn = _scratch(scratch if previous is not None else ":memory:")
        try:
            fill(conn.cursor())
            _vacuum_and_zip(conn, path, media)
        finally:
            conn.close()


def _scratch(where: Path | str) -> sqlite3.Connection:
    """A scratch collection (copied out by `VACUUM INTO`: no rollback journal or syncing)."""
    conn = sqlite3.connect(where)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    return conn


def _vacuum_and_zip(conn: sqlite3.Connection, path: Path, media: Media) -> None:
    """The filled scratch collection rewritten by `VACUUM INTO`, then zipped at `path` with
    `media` (see `package`)."""
    conn.commit()
    with tempfile.TemporaryDirectory(prefix="notedeck-") as tmp:
        final = Path(tmp) / "collection.anki2"
        conn.execute("VACUUM INTO ?", (str(final),))
        write_zip(path, final, media)


def write_collection(cursor: sqlite3.Cursor, decks: list[genanki.Deck], models: list[genanki.Model],
                     now: float) -> None:
    """What `genanki.Package.write_to_db` writes before the notes (tables, the collection row,
    decks and note types), with the deck and note type JSON written once: genanki re-reads and
    re-writes both per deck, which is quadratic in sub-decks (a 1,000-file vault has 1,000)."""
    cursor.executescript(_SCHEMA_TABLES)
    _write_col(cursor, col_entries(decks, models, now))


Col = tuple[dict[str, dict], dict[str, dict]]
"""The decks and the note types the collection row lists, by ID, as JSON-ready dicts."""


def col_entries(decks: list[genanki.Deck], models: list[genanki.Model], now: float) -> Col:
    """The collection row's decks and note types. A note type records the last deck, as
    genanki's last rewrite did."""
    return ({str(d.deck_id): d.to_json() for d in decks},
            {str(m.model_id): m.to_json(now, decks[-1].deck_id) for m in models})


def _write_col(cursor: sqlite3.Cursor, col: Col) -> None:
    """genanki's collection row, with `col`'s decks and note types added to its defaults."""
    cursor.executescript(genanki_apkg_col.APKG_COL)
    (decks_json, models_json) = cursor.execute("SELECT decks, models FROM col").fetchone()
    all_decks, all_models = json.loads(decks_json), json.loads(models_json)
    all_decks.update(col[0])
    all_models.update(col[1])
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(all_decks), json.dumps(all_models)))


BACKGROUND_MIN_NOTES = 5_000
"""From this many notes, where processes fork, a new package's collection is filled by a
child process as the writer makes its rows (see `NewCollection`)."""
_BATCH = 2_000
"""Notes sent to the child at a time."""


class NewCollection:
    """A new package's collection: rows added as the writer makes them (`add`), then the
    collection row, the indexes, `VACUUM INTO` and the zip (`finish`). For a big deck, where
    processes fork, a child process inserts each batch of rows it is sent while the writer
    renders the next cards, then finishes the package: SQLite's and zlib's work (a third of a
    100k-card build's writing) runs on another core. Otherwise all of it runs in `finish`, in
    this process. The bytes are the same either way (`VACUUM INTO` writes rows by ID)."""

    def __init__(self, notes: int) -> None:
        self._child: _Child | None = None
        if notes >= BACKGROUND_MIN_NOTES:
            import multiprocessing

            if "fork" in multiprocessing.get_all_start_methods():
                self._child = _Child(multiprocessing.get_context("fork"))

    def __enter__(self) -> NewCollection:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            self._child.stop()

    def add(self, rows: Rows) -> None:
        """Rows ready to go in: sent to the child when a batch is full (kept in `rows` else)."""
        if self._child is not None and len(rows.notes) >= _BATCH:
            self._child.send(rows)

    def finish(self, path: Path, rows: Rows, col: Col, media: Media) -> None:
        """Write the package at `path`: the collection with `rows` (those not sent yet) and `col`,
        zipped with `media`; raises what writing it raised."""
        if self._child is None:
            def fill(cursor: sqlite3.Cursor) -> None:
                cursor.executescript(_SCHEMA_TABLES)
                rows.insert(cursor)
                _write_col(cursor, col)
                cursor.executescript(SCHEMA_INDEXES)  # indexing once after the bulk insert is faster

            package(path, media, fill)
            return
        self._child.send(rows)
        self._child.finish(pickle.dumps((path, col, media)))


class _Child:
    """The child process of a `NewCollection`, and the pipes to and from it."""

    def __init__(self, context: Any) -> None:
        for stream in (sys.stdout, sys.stderr):  # a forked child must not write what is buffered again
            stream.flush()
        inbox, self._to = context.Pipe(duplex=False)
        self._back, outbox = context.Pipe(duplex=False)
        self.process = context.Process(target=_child_main, args=(inbox, outbox, (self._to, self._back)),
                                       daemon=True)
        self.process.start()
        for end in (inbox, outbox):  # each process keeps only its own ends: a pipe whose other
            end.close()  # process ended then says so (EOF, a broken pipe), it never waits forever
        self.done = False

    def send(self, rows: Rows) -> None:
        """Send the rows waiting, and empty them."""
        self._deliver(marshal.dumps((rows.notes, rows.cards)))
        rows.notes, rows.cards = [], []

    def finish(self, last: bytes) -> None:
        """Send the end of the rows and what the package needs besides; wait until it is written."""
        self._deliver(b"")
        self._deliver(last)
        self._result()
        self.done = True

    def _deliver(self, data: bytes) -> None:
        try:
            self._to.send_bytes(data)
        except OSError:  # the child stopped: say why
            self._result()
            raise

    def _result(self) -> None:
        try:
            failure = pickle.loads(self._back.recv_bytes())
        except EOFError:
            self.process.join()
            stopped = self.process.exitcode
            raise NotedeckError(f"the process writing the package stopped (exit code {stopped})",
                                "build again; if it stops again, check the free memory") from None
        if failure is not None:
            raise failure

    def stop(self) -> None:
        """Close the pipes and let the child end (at once, when the package was not written)."""
        self._to.close()
        if not self.done and self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self._back.close()


def _child_main(inbox: Any, outbox: Any, parents: tuple[Any, ...]) -> None:
    """A `NewCollection`'s child: insert each batch of rows, then finish the package as
    `package` does; send back None, or what it raised. `parents`: the parent's ends of the
    pipes, closed here (see `_Child`)."""
    for end in parents:
        end.close()
    failure: BaseException | None = None
    try:
        conn = _scratch(":memory:")
        cursor = conn.cursor()
        cursor.executescript(_SCHEMA_TABLES)
        rows = Rows()
        while batch := inbox.recv_bytes():
            rows.notes, rows.cards = marshal.loads(batch)
            rows.insert(cursor)
        path, col, media = pickle.loads(inbox.recv_bytes())
        _write_col(cursor, col)
        cursor.executescript(SCHEMA_INDEXES)
        _vacuum_and_zip(conn, path, media)
    except BaseException as exc:  # (sent back: the build fails as it would have in the writer)
        failure = exc
    try:
        outbox.send_bytes(pickle.dumps(failure))
    except Exception:  # what it raised cannot be pickled: its words can
        outbox.send_bytes(pickle.dumps(NotedeckError(f"cannot write the package: {failure}")))
