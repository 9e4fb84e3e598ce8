"""Which decks a command works on, and with what options: configured decks (from
`notedeck.toml`) or notes given on the command line, each a `Job` with its options merged
once (`options.py`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import config as config_mod
from .errors import NotedeckError
from .ids import slug
from .lock import LOCK_NAME, lock_location, remembered_guids
from .options import BuildOptions, ExtractChoices, ExtractSettings, OutputSpec, SheetOptions
from .review import REVIEW_NAME, Decisions, notes_of_review, remembered_notes, review_file
from .sources import PathLike, common_folder, default_deck_name
from .writers import suffix_of

if TYPE_CHECKING:  # extracting is imported when a job extracts: planning an up-to-date build does not
    from .extract_files import Ahead, FileSettings, Progress
    from .extraction import Extraction


def default_extractors() -> list[str]:
    """The extractors a configured deck runs unless its config names them: the registered ones
    that are not opt-in (`speaker` runs only when named)."""
    from .extractors import REGISTRY

    return [name for name, _ in REGISTRY.select(None)]


@dataclass(frozen=True)
class Job:
    """One deck to build: what to read, how to extract it, where and how to write it."""

    deck: str | None
    sources: Sequence[PathLike]
    settings: ExtractSettings
    output: OutputSpec
    review: Path | None = None
    """The review file whose decisions apply (see `review.py`)."""
    base: Path | None = None
    """The folder notes files are named relative to (a config's folder; None: the notes')."""

    @property
    def name(self) -> str:
        """The deck's name (after its notes when none was given)."""
        return self.deck or default_deck_name(self.sources)

    def extract(self, skip_unreadable: bool = False, cache: Path | None = None,
                progress: Progress | None = None, ahead: Ahead | None = None) -> Extraction:
        """Read the deck's notes (the output folder is never read as notes), duplicates merged
        after the review file's decisions; `ahead`: what a writer does in the workers."""
        from .extraction import decisions_of, extract_deck

        decisions, used = decisions_of(self.review)
        ex = extract_deck(self.sources, self.deck, self.settings, base=self.base,
                          exclude=[self.output.folder], skip_unreadable=skip_unreadable, cache=cache,
                          progress=progress, decisions=decisions, ahead=ahead)
        ex.review = used
        return ex

    def file_settings(self) -> FileSettings:
        """The settings `extract` gives each file of this deck."""
        from .extraction import file_settings

        return file_settings(self.name, self.settings)

    def notes_root(self) -> Path:
        """The folder the deck's notes are in (images must stay inside it)."""
        return self.base.resolve() if self.base is not None else common_folder(self.sources)


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


def plan(sources: Sequence[PathLike], options: BuildOptions) -> tuple[list[Job], Path]:
    """The decks `build` and `check` work on, and the lock file that goes with them.

    `sources` that name configured decks select them (none = every deck; `options.deck` picks
    one); other `sources` are notes paths, one deck (named `options.deck`, else after the
    single file's declared title, file or folder) written to `options.output_dir` (default
    `output/`). The options chosen override the config's. The lock file is `notedeck.lock`
    beside the config, else in the notes' folder."""
    here = options.here
    chosen = {"layout": options.layout, "paper": options.paper}
    lock_path = options.lock_path
    selected = configured_decks(sources, options.deck if not sources else None, options.config_path, here)
    if selected is None:
        if not sources:
            raise NotedeckError("no notes given", "pass notes files or folders, e.g. notedeck build notes.md")
        out = options.output_dir if options.output_dir is not None else here / config_mod.DEFAULT_OUTPUT
        spec = OutputSpec(out, options.formats or ("apkg",), options.template_dirs,
                          SheetOptions.merged(chosen))
        job = Job(options.deck, sources, options.extract.for_notes(), spec,
                  review_file(None, common_folder(sources)))
        return [job], lock_path if lock_path else lock_location(None, sources)
    decks, cfg = selected
    jobs = []
    for d in decks:
        spec = OutputSpec(options.output_dir if options.output_dir is not None else d.output,
                          options.formats or d.formats or ("apkg",),
                          options.template_dirs or ((d.templates,) if d.templates else ()),
                          SheetOptions.merged(chosen, dict(d.sheet)))
        jobs.append(Job(d.name, d.sources, options.extract.for_deck(d, default_extractors), spec,
                        review_file(cfg, here), d.base))
    every = [(d.name, options.output_dir if options.output_dir is not None else d.output,
              [suffix_of(f) for f in options.formats or d.formats or ("apkg",)])
             for d in config_mod.load(cfg)]  # a deck not built now still owns its files
    config_mod.refuse_shared_files(every, cfg, [d.name for d in decks], slug)
    return jobs, lock_path if lock_path else lock_location(cfg, sources)


def extract_targets(args: Sequence[PathLike], *, deck: str | None = None,
                    choices: ExtractChoices | None = None, config_path: PathLike | None = None,
                    cwd: PathLike | None = None, review: bool = True, include_rejected: bool = False,
                    lock_path: PathLike | None = None, use_lock: bool = True,
                    exclude: Iterable[Path] = ()) -> list[Extraction]:
    """What `extract` and `sheet` read: configured decks named by `args` (or all
    decks when there are no args), else `args` as notes paths (the deck named `deck`). With
    `review`, the review file's decisions apply: rejected cards are left out (kept and tagged
    with `include_rejected`, which also tags new cards) and edits replace the generated text.
    With `use_lock`, cards get the GUIDs `build` gives them from the lock (`lock_path`, else
    where `build` finds it), which is read, never written."""
    from .extraction import apply_review

    here = Path(cwd) if cwd is not None else Path.cwd()
    found, path = _extract_targets(args, config_path, here, deck, choices or ExtractChoices(), exclude,
                                   review)
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
    found, path = _extract_targets(args, config_path, here, None, ExtractChoices(), (), example=example)
    decided = found[0].decisions if found else None
    decisions = decided if decided is not None else Decisions.load(path)
    if args and config_path is None and config_mod.find(here) is None:
        decisions.notes = remembered_notes(args, path.parent)
    return found, decisions


def _extract_targets(args: Sequence[PathLike], config_path: PathLike | None, here: Path, deck: str | None,
                     choices: ExtractChoices, exclude: Iterable[Path], review: bool = True,
                     example: str = "extract notes.md") -> tuple[list[Extraction], Path]:
    """The extractions of `extract_targets` (duplicates merged after the review file's
    decisions, with `review`), and the review file (beside the config, else in the notes'
    folder with the lock). Without notes or config, the notes a review file in `here`
    remembers are read."""
    from .extraction import decisions_of, extract_deck
    if not args and config_path is None and config_mod.find(here) is None:
        args = [os.path.relpath(here / n) for n in notes_of_review(here / REVIEW_NAME)]
        if not args:
            raise NotedeckError("no notes given", f"pass notes files or folders, e.g. notedeck {example}")
    selected = configured_decks(args, None, config_path, here)
    config = selected[1] if selected else None
    path = review_file(config, common_folder(args) if config is None else here)
    decisions, used = decisions_of(path) if review else (None, None)
    if selected is None:
        found = [extract_deck(args, deck, choices.for_notes(), exclude=exclude, decisions=decisions)]
    else:
        found = [extract_deck(d.sources, d.name, choices.for_deck(d, default_extractors), base=d.base,
                              exclude=exclude, decisions=decisions)
                 for d in selected[0]]
    for ex in found:
        ex.review = used
    return found, path
