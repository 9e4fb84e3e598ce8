"""Which decks a build may leave alone: those whose outputs are still what their inputs make
(see `freshness`). The first thing every build with a cache asks, so it imports only what
reading the notes' bytes and the stamps needs, none of the extractors' or writers' code: a
build with nothing to do costs little more than Python's own start-up."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NotedeckError
from .freshness import MANIFEST_NAME, Stamps, inputs_digest
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


def notes_of(job: Job) -> Notes | None:
    """A job's notes files and their content digests, or None when they cannot be read (the
    real build will say what is wrong)."""
    try:
        files = collect(job.sources, base=job.base, exclude=[job.output.folder]).files
        return files, {f.display: content_digest(read_notes(f)) for f in files}
    except (OSError, NotedeckError, Refused):
        return None


def current(jobs: Sequence[Job], stamps: Stamps, lock_file: Path | None, options: BuildOptions,
            notes: dict[int, Notes | None]) -> list[BuildResult | None]:
    """Per job, the result of its last build when its outputs are still current, else None
    (it must be built). Each job's notes and digests read on the way go in `notes` (by index)."""
    lock = read_bytes(lock_file)
    results: list[BuildResult | None] = []
    for i, job in enumerate(jobs):
        found = notes[i] = notes_of(job)
        stamp = stamps.current(job.name, job.output.folder,
                               job_inputs(job, found[1], lock, options)) if found else None
        if stamp is None:
            results.append(None)
            continue
        paths = [Path(p) for p in stamp.outputs if Path(p).name != MANIFEST_NAME]
        results.append(BuildResult(job.name, paths, stamp.cards, stamp.files, list(stamp.warnings),
                                   up_to_date=True, suggestions=stamp.suggestions))
    return results
