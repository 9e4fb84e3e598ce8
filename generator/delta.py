"""Patched rebuilds: when a few notes files changed since the last build, patch its package
and lock instead of building them again.

A full build touches every card several times (merging duplicates, matching the lock,
rendering, inserting); with 100,000 cards that is seconds even when one file changed. Most
of that work is per file: duplicates merge across files only when two files ask the same
question under the same heading, the lock matches edited cards within their file, and every
note's rows come from its card alone. So after a full build the pipeline keeps a `State`:
per file what its cards became (question keys, note IDs, counts, media, warnings). The next
build (`incremental.try_patch`) redoes only the changed files: it replaces their lines in the lock
(`match_lock`), takes their old notes out of the last package and puts their new ones in
(`writers.anki.patch_package`). Every package ends through `VACUUM INTO`, so a patched one is
byte for byte what a full build writes (tests/test_patch.py compares them).

Whenever a patch could differ from a full build it is declined, before anything is written,
and the full build runs: a question also asked in another file (`check_questions`), a GUID
the lock knows from elsewhere, a note of another file that would get a new ID (`id_plan`),
a line that may have moved between changed files (`_check_moves`), an image of an
unchanged file that changed, cards added by hand in review, the GUID of
another file's review decision (`check_decisions`), several decks, other formats, tombstones,
or anything else (options, templates, the lock, the package) not as the last
build left it.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cache import FileCards, seal, store, unseal
from .cards import Card
from .freshness import build_path, file_sha256
from .lock import Entry, Lock, LockText, moved
from .review import Decisions
from .writers import Written
from .writers.anki import IdPlan, assign_ids

STATE_VERSION = 4
MAX_CHANGED = 16
"""More changed files than this: a full build (it reads them all anyway)."""


@dataclass
class FileState:
    """What one notes file's cards became in the last build."""

    display: str
    digest: str
    deck: str
    """The (sub-)deck its cards go to."""
    questions: list[int]
    """Keys of the questions its cards asked before duplicates were merged (`cards.question_key`)."""
    ids: list[int]
    """The note IDs of its cards in the package."""
    naturals: list[int]
    """The IDs their GUIDs give (`anki.natural_base`; a clash moves a note to the next free one)."""
    by_type: dict[str, int]
    cards: int
    warnings: list[str]
    """The extraction's warnings about it."""
    written: list[str]
    """The writer's warnings about its cards."""
    media: dict[str, str]
    """The media its cards put in the package: media name -> image file."""
    images: dict[str, str | None]
    """Every image its cards looked for -> its sha256 (None: missing)."""
    media_warnings: list[str]
    """The writer's warnings about its cards' images."""
    guids: list[str]
    """The GUIDs its cards had when review decisions were applied (after merging, before the lock)."""
    stale: list[str]
    """Warnings about review edits of its cards gone stale."""
    suggestions: int = 0
    """How many of its cards were left out as suggestions (see `cards.is_suggestion`)."""
    not_text: bool = False
    """It was skipped as not text (a binary among the notes): not counted as a file read."""


@dataclass
class State:
    """What a patched rebuild needs of the last build of one deck into one output folder."""

    inputs: str
    """Digest of every input but the notes' bytes and the lock (see `incremental.job_inputs`)."""
    lock: str
    """sha256 of the lock file the build left."""
    package: str
    package_sha: str
    files: list[FileState]
    guids: dict[str, str] = field(default_factory=dict)
    """Every GUID in the lock -> `deck \\x00 notes file` of its entry."""
    note_types: dict[str, tuple[list[dict[str, str]], str]] = field(default_factory=dict)
    """Each note type's templates and CSS as the build rendered them (a patch needs no Jinja:
    the state's `inputs` hold the template folders' digests)."""

    def owners(self) -> dict[int, str]:
        """Question key -> the file asking it ("" when several files do)."""
        out: dict[int, str] = {}
        for f in self.files:
            for k in f.questions:
                out[k] = f.display if out.get(k, f.display) == f.display else ""
        return out


def load(cache: Path, deck: str, output: Path) -> State | None:
    """The state the last build of `deck` into `output` left, or None."""
    try:
        payload = unseal(build_path(cache, deck, output, ".patch").read_bytes())
        if payload is None:  # damaged: build in full
            return None
        raw = marshal.loads(payload)
        if raw[0] != STATE_VERSION:
            return None
        inputs, lock, package, package_sha, files, guids, note_types = raw[1:]
        return State(inputs, lock, package, package_sha, [FileState(*f) for f in files], guids, note_types)
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None


def save(cache: Path, deck: str, output: Path, state: State) -> None:
    """Keep `state` for the next build (a cache that cannot be written is skipped)."""
    data = (STATE_VERSION, state.inputs, state.lock, state.package, state.package_sha,
            [tuple(vars(f).values()) for f in state.files], state.guids,  # astuple deep-copies every file
            state.note_types)
    store(build_path(cache, deck, output, ".patch"), seal(marshal.dumps(data)))


def forget(cache: Path | None, deck: str, output: Path) -> None:
    """Drop the state of a deck being rebuilt in full (it is recorded again when done)."""
    if cache is not None:
        with contextlib.suppress(OSError):  # only a cache: an unwritable one is no error
            build_path(cache, deck, output, ".patch").unlink(missing_ok=True)


def sha256(data: bytes) -> str:
    """Hex sha256 of `data` (how the state names the lock and package it expects)."""
    return hashlib.sha256(data).hexdigest()


def file_state(display: str, digest: str, deck: str, found: FileCards, cards: Sequence[Card],
               written: Written, reviewed: list[str], stale: list[str], suggestions: int = 0) -> FileState:
    """One file's state: `found` is what it gave on its own, `cards` its cards in the package,
    `written` what the writer made of them, `reviewed` the GUIDs review decisions were applied
    to and `stale` the warnings about them."""
    return FileState(display, digest, deck, found.questions,
                     written.ids.get(display, []), written.naturals.get(display, []),
                     dict(Counter(c.type for c in cards)), len(cards), list(found.warnings),
                     written.warnings.get(display, []), written.media.get(display, {}),
                     written.images.get(display, {}), written.media_warnings.get(display, []),
                     reviewed, stale, suggestions, found.not_text)


def id_plan(state: State, changed: Sequence[int]) -> IdPlan:
    """The IDs of the changed files' new notes, as a full build assigns them in deck order;
    None when that would move a note of an unchanged file (a clash it had is gone, or a new
    note takes the ID it would get)."""

    patched = set(changed)

    def plan(naturals: dict[str, list[int]]) -> dict[str, list[int]] | None:
        ids = assign_ids([naturals.get(f.display, []) if i in patched else f.naturals
                          for i, f in enumerate(state.files)])
        if any(ids[i] != f.ids for i, f in enumerate(state.files) if i not in patched):
            return None
        return {state.files[i].display: ids[i] for i in changed}

    return plan


def lock_guids(lock: Lock) -> dict[str, str]:
    """`State.guids` of a lock."""
    return {g: f"{e.deck}\x00{e.path}" for g, e in lock.entries.items()}


class NotPatchable(Exception):
    """A patch would not give what a full build gives: build in full instead."""


@dataclass
class Patch:
    """The changed files' cards, matched to the lock: what goes into the patched package."""

    cards: dict[int, list[Card]]
    """File index -> its cards, as they go in the package."""
    mod_times: dict[str, float]
    removed: int
    """Cards that left the notes."""


def match_lock(text: LockText, lock_path: Path, deck: str, state: State,
               changed: dict[int, list[Card]], now: int, left_out: dict[int, list[Card]]) -> Patch:
    """Match each changed file's cards to its lines of the lock, as `Lock.reconcile` does for the
    whole deck (`left_out`: each file's cards the deck leaves out, see there), and put the
    file's new lines in `text`. Raises NotPatchable when a card's GUID belongs to another file
    or deck in the lock, or the file has no lines yet."""
    patch = Patch({}, {}, 0)
    _check_moves(text, deck, state, changed)
    # the lines of later files first, so the places of earlier ones stay right
    for i in sorted(changed, key=lambda i: state.files[i].display, reverse=True):
        display = state.files[i].display
        mine = f"{deck}\x00{display}"
        if any(state.guids.get(c.guid, mine) != mine for c in (*changed[i], *left_out[i])):
            raise NotPatchable(f"{display}: a card's GUID is known from elsewhere")
        start, end = text.block(deck, display)
        if start == end:
            raise NotPatchable(f"{display}: no lines in the lock")
        lock = Lock(lock_path, text.entries(start, end))
        rec = lock.reconcile(deck, changed[i], now, left_out[i])
        patch.cards[i] = rec.cards
        patch.mod_times.update(rec.mod_times)
        patch.removed += len(rec.removed)
        text.replace(start, end, lock.entries.values())
        state.guids.update({g: mine for g in lock.entries})
    return patch


def _check_moves(text: LockText, deck: str, state: State, changed: dict[int, list[Card]]) -> None:
    """Raise NotPatchable when a changed file's new card may be a line moved from another
    changed file: the full build matches it across files (`lock.moved`), a patch file by file."""
    new: dict[int, list[Card]] = {}
    left: dict[int, list[Entry]] = {}
    for i, cards in changed.items():
        entries = [e for e in text.entries(*text.block(deck, state.files[i].display)) if not e.removed]
        known = {e.guid for e in entries}
        guids = {c.guid for c in cards}
        new[i] = [c for c in cards if c.guid not in known]
        left[i] = [e for e in entries if e.guid not in guids]
    for i, cards in new.items():
        others = [e for j, entries in left.items() if j != i for e in entries]
        if others and any(moved(c, others) is not None for c in cards):
            raise NotPatchable(f"{state.files[i].display}: a line may have moved from another file")


def check_questions(state: State, changed: dict[int, FileCards]) -> None:
    """Raise NotPatchable unless every question a changed file asks (or asked) is asked in no
    other file: only then do its cards merge with its own alone."""
    owners = state.owners()
    fresh: dict[int, str] = {}
    for i, found in changed.items():
        display = state.files[i].display
        keys = [*state.files[i].questions, *found.questions]
        for k in keys:
            if owners.get(k, display) != display or fresh.setdefault(k, display) != display:
                raise NotPatchable(f"{display}: a question is also asked in another file")


def check_decisions(state: State, decisions: Decisions, reviewed: dict[int, list[str]]) -> set[str]:
    """The GUIDs of the whole deck when review decisions were applied, with the changed files'
    new ones (`reviewed`). Raises NotPatchable when a changed file gains or loses the GUID of
    another file's decision: whether that file's cards match it by similarity depends on it."""
    for i, guids in reviewed.items():
        display = state.files[i].display
        for g in (*state.files[i].guids, *guids):
            d = decisions.items.get(g)
            if d is not None and d.path != display:
                raise NotPatchable(f"{display}: holds the GUID of a decision about {d.path}")
    return {g for i, f in enumerate(state.files) if i not in reviewed for g in f.guids} | {
        g for guids in reviewed.values() for g in guids}


def images_unchanged(state: State, changed: Sequence[int]) -> bool:
    """Whether every image the unchanged files' cards show is as it was (else their fields,
    and the package's media, would change too)."""
    skip = set(changed)
    return all(file_sha256(Path(image)) == digest for i, f in enumerate(state.files) if i not in skip
               for image, digest in f.images.items())
