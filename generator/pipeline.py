"""The pipeline: find notes -> read -> extract -> filter -> write. The CLI only calls this.

`build` writes decks and `sheet` prints one; the stages live beside it: `plan` (which decks,
with which options), `uptodate` (which decks need nothing), `rebuild` (the decks that need
writing: `extraction`, notes to cards, then `write`, cards to files; `incremental`, what may
be patched). This module imports only what the up-to-date check needs: a build with nothing
to do, the commonest, loads no extractor or writer. `extract` and the other names below are
re-exported as the library API (`generator.build`, `generator.extract`), imported when used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import uptodate
from .errors import NotedeckError
from .filelock import held
from .freshness import Stamps
from .options import BuildOptions, ExtractChoices, SheetOptions
from .plan import Job, extract_targets, plan, review_targets
from .results import BuildResult, Timer
from .sources import PathLike

if TYPE_CHECKING:
    from .explain import FileExplanation, LineNote, explain
    from .extract_files import Progress
    from .extraction import Extraction, apply_review, extract
    from .write import build_time, write_deck

# what other modules and library users imported from here before the stages moved out
__all__ = ["BuildOptions", "BuildResult", "Extraction", "FileExplanation", "Job", "LineNote", "PathLike",
           "apply_review", "build", "build_time", "explain", "extract", "extract_targets", "plan",
           "review_targets", "sheet", "write_deck"]
_LAZY = {"Extraction": "extraction", "apply_review": "extraction", "extract": "extraction",
         "FileExplanation": "explain", "LineNote": "explain", "explain": "explain",
         "build_time": "write", "write_deck": "write"}


def __getattr__(name: str) -> Any:
    """The re-exported names of the heavier stages, imported when first used (PEP 562)."""
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build(sources: Sequence[PathLike] = (), options: BuildOptions | None = None, *,
          cache: Path | None = None, progress: Progress | None = None,
          stats: dict[str, float] | None = None,
          waiting: Callable[[Path], None] | None = None) -> list[BuildResult]:
    """Build decks (see `plan` for which, and `BuildOptions` for the options): every deck is
    extracted before any is written, and the lock file is written only after every deck was
    written, so a failure leaves the previous build and lock as they were.

    With a `cache` folder, unchanged files are not extracted again; when a few files changed,
    the last build is patched where that gives the same bytes (`BuildResult.patched`, see
    `delta.py`); when nothing the outputs are made from changed, nothing is written at all
    (`BuildResult.up_to_date`).
    `stats` receives the seconds spent in each stage. The review file's decisions apply
    (rejected cards left out, edits applied, unreviewed cards tagged `notedeck::new`, or left
    out with `accepted_only`). Builds sharing a lock file run one at a time (`waiting` is
    told of the lock file when this one waits for another)."""
    options = options or BuildOptions()
    jobs, lock_file = plan(sources, options)
    told = (lambda: waiting(lock_file)) if waiting is not None else None
    with held(lock_file, told) if options.use_lock else contextlib.nullcontext():
        return _build(jobs, lock_file, options, cache=cache, progress=progress, timer=Timer(stats))


def _build(jobs: list[Job], lock_file: Path, options: BuildOptions, *, cache: Path | None,
           progress: Progress | None, timer: Timer) -> list[BuildResult]:
    """`build`, once the decks are planned and the lock file is held: the decks still current
    are left alone, the others built by `rebuild` (imported only then)."""
    stamps = Stamps(cache)
    notes: dict[int, uptodate.Notes | None] = {}
    with timer("up-to-date check"):
        current = uptodate.current(jobs, stamps, lock_file if options.use_lock else None, options, notes) \
            if cache else None
    if current is None:
        current = [None] * len(jobs)
    todo = [i for i, done in enumerate(current) if done is None]
    if not todo:
        return [done for done in current if done is not None]
    from .rebuild import rebuild

    built = rebuild([jobs[i] for i in todo], lock_file, options, stamps, cache=cache, progress=progress,
                    timer=timer, notes={k: notes.get(i) for k, i in enumerate(todo)})
    for i, result in zip(todo, built, strict=True):
        current[i] = result
    return [done for done in current if done is not None]


def sheet(sources: Sequence[PathLike], output: PathLike, *, layout: str = "table", paper: str = "a4",
          title: str | None = None, deck: str | None = None, min_score: float | None = None,
          template_dirs: Sequence[PathLike] = (), spelling: bool = True,
          lock_path: PathLike | None = None, use_lock: bool = True) -> BuildResult:
    """Write a printable review sheet of the cards in `sources`: `.html` or `.pdf` by suffix
    (the lock read as `extract_targets` reads it)."""
    from .cards import Deck
    from .extraction import Extraction
    from .write import build_time
    from .writers import WriteOptions, get_format

    target = Path(output)
    kinds = {".html": "sheet-html", ".htm": "sheet-html", ".pdf": "sheet-pdf"}
    if target.suffix.lower() not in kinds:
        raise NotedeckError(f"cannot tell the sheet format of {target.name}", "name the output .pdf or .html")
    choices = ExtractChoices(min_score=min_score, spelling=spelling)
    found = extract_targets(sources, deck=deck, choices=choices,
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
                           sheet=SheetOptions(layout, paper, title or ex.deck))
    report = get_format(kinds[target.suffix.lower()]).write(Deck(ex.deck, tuple(ex.cards)), target, options)
    return BuildResult(ex.deck, [target], len(ex.cards), ex.files_read, [*ex.warnings, *report.warnings])
