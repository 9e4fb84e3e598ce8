"""Which decks a build may leave alone: those whose outputs are still what their inputs make
(see `freshness`). The first thing every build with a cache asks, so it imports only what
reading the notes' bytes and the stamps needs, none of the extractors' or writers' code: a
build with nothing to do costs little more than Python's own start-up."""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import seal, store, unseal
from .errors import NotedeckError
from .freshness import MANIFEST_NAME, Stamps, build_path, inputs_digest
from .lock import deck_part
from .options import BuildOptions
from .results import BuildResult
from .safe_read import Refused
from .sources import NotesFile, collect, content_digest, read_notes
from .statefiles import read_bytes

if TYPE_CHECKING:
    from .plan import Job

Notes = tuple[list[NotesFile], dict[str, str]]
"""A deck's notes files and their content digests (by display name)."""


def job_inputs(job: Job, digests: dict[str, str], lock: bytes | None, options: BuildOptions,
               review: bytes | None = None) -> str:
    """The digest of what one job's outputs are made from (see `freshness`); `review`: the
    review file's bytes a build applied (else the file is read now)."""
    recorded: dict[str, object] = {**job.settings.digest_items(), **options.flags()}
    recorded.update(formats=",".join(job.output.formats), sheet=job.output.sheet,
                    output=job.output.folder.resolve())
    if review is None:
        review = read_bytes(job.review) if job.review is not None else None
    recorded["review"] = hashlib.sha256(review).hexdigest() if review else ""
    mine = deck_part(lock, job.name) if lock is not None else None  # other decks' cards are not its inputs
    return inputs_digest(deck=job.name, files=digests, options=recorded,
                         template_dirs=job.output.templates, lock=mine)


RACY_NS = 3_000_000_000
"""A file whose times are this recent when its digest is worked out is read again next time:
a change in the same tick of the file system's clock would not show in them."""


class Digests:
    """Each notes file's content digest, remembered with what `os.stat` said of the file when
    it was read (size, modification and change times, inode, device): a file the system says
    is as it was is not read and hashed again (git's index does the same). Kept per deck and
    output in the cache folder; only a cache: missing, damaged or unwritable means reading."""

    _FORMAT = 1

    def __init__(self, cache: Path | None, deck: str, output: Path) -> None:
        self.path = build_path(cache, deck, output, ".digests") if cache is not None else None
        self.known: dict[str, tuple[tuple[int, ...], str]] = {}
        self.seen: dict[str, tuple[tuple[int, ...], str]] = {}
        if self.path is not None:
            try:
                payload = unseal(self.path.read_bytes())
                version, known = marshal.loads(payload) if payload is not None else (None, None)
                if version == self._FORMAT and isinstance(known, dict):
                    self.known = known
            except (OSError, EOFError, ValueError, TypeError):
                pass

    def digest(self, f: NotesFile) -> str:
        """The digest of `f`'s bytes: remembered, or read (`read_notes`: its checks apply)."""
        key = os.path.abspath(f.path)
        before = _signature(f.path)
        hit = self.known.get(key)
        if hit is not None and hit[0] == before:
            self.seen[key] = hit
            return hit[1]
        digest = content_digest(read_notes(f))
        newest = max(before[1], before[2])
        if _signature(f.path) == before and time.time_ns() - newest > RACY_NS:
            self.seen[key] = (before, digest)
        return digest

    def learn(self, files: Sequence[NotesFile], digests: dict[str, str], since_ns: int) -> None:
        """Remember the digests (by display name) a build worked out from the bytes it read
        after `since_ns`, for the files whose times say they last changed before that, by the
        racy window: those bytes are still theirs (a first build skips `digest`, see `current`)."""
        for f in files:
            digest = digests.get(f.display)
            try:
                now = _signature(f.path)
            except OSError:
                continue
            if digest is not None and max(now[1], now[2]) < since_ns - RACY_NS:
                self.seen[os.path.abspath(f.path)] = (now, digest)

    def save(self) -> None:
        """Keep the digests of the files read now (those of files gone are dropped)."""
        if self.path is not None and self.seen != self.known:
            store(self.path, seal(marshal.dumps((self._FORMAT, self.seen))))


def _signature(path: Path) -> tuple[int, ...]:
    """What `os.stat` says of the file (links followed, as reading does)."""
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def notes_of(job: Job, cache: Path | None = None) -> Notes | None:
    """A job's notes files and their content digests, or None when they cannot be read (the
    real build will say what is wrong). With a `cache` folder, a file unchanged since it was
    last hashed is not read again (see `Digests`)."""
    digests = Digests(cache, job.name, job.output.folder)
    try:
        files = collect(job.sources, base=job.base, exclude=[job.output.folder]).files
        found = files, {f.display: digests.digest(f) for f in files}
    except (OSError, NotedeckError, Refused):
        return None
    digests.save()
    return found


def current(jobs: Sequence[Job], stamps: Stamps, lock_file: Path | None, options: BuildOptions,
            notes: dict[int, Notes | None]) -> list[BuildResult | None]:
    """Per job, the result of its last build when its outputs are still current, else None
    (it must be built). Each job's notes and digests read on the way go in `notes` (by index)."""
    lock = read_bytes(lock_file)
    results: list[BuildResult | None] = []
    for i, job in enumerate(jobs):
        if not stamps.kept(job.name, job.output.folder):  # never built here: no notes to read
            results.append(None)
            continue
        found = notes[i] = notes_of(job, stamps.folder)
        stamp = stamps.current(job.name, job.output.folder,
                               job_inputs(job, found[1], lock, options)) if found else None
        if stamp is None:
            results.append(None)
            continue
        paths = [Path(p) for p in stamp.outputs if Path(p).name != MANIFEST_NAME]
        results.append(BuildResult(job.name, paths, stamp.cards, stamp.files, list(stamp.warnings),
                                   up_to_date=True, suggestions=stamp.suggestions))
    return results
