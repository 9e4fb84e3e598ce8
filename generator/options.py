"""The options of a build, typed: merged once from the command line and the config, then
handed down as they are (plan -> extract -> write).

`BuildOptions` is what a caller chose (None: the config's, else the default); `plan` turns
it and each configured deck into a `Job` holding an `ExtractSettings` (how the notes become
cards) and an `OutputSpec` (where and how the deck is written).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import DeckConfig


LAYOUTS = ("table", "cards", "quiz")
"""The review sheet's layouts (`--layout`)."""
PAPERS = {"a4": "A4", "letter": "letter"}
"""Paper sizes (`--paper`) and their CSS names."""
FORMATS = {"apkg": ".apkg", "csv": ".csv", "jsonl": ".jsonl", "sheet-html": ".html", "sheet-pdf": ".pdf"}
"""The built-in output formats and their suffixes, known before any writer is imported (the
writer registry holds them to what the writers register; plugins add more)."""

PathLike = str | os.PathLike[str]


def _path(value: PathLike | None) -> Path | None:
    return Path(value) if value is not None else None


@dataclass(frozen=True)
class ExtractSettings:
    """How a deck's notes become cards: everything its cards depend on besides the notes."""

    extractors: tuple[str, ...] | None = None
    """Only these extractors run (None: every one not opt-in)."""
    min_score: float = 0.0
    """Cards the extractors are less sure of are left out."""
    spelling: bool = True
    """Obvious typos in card text are repaired."""
    heading_tags: bool = False
    """Cards are tagged with their top heading."""
    reversed_definitions: bool = False
    """Definition cards also ask for the term from its definition."""
    tags: tuple[str, ...] = ()
    """Tags added to every card."""

    def digest_items(self) -> dict[str, object]:
        """The settings as the up-to-date check records them."""
        return asdict(self)


@dataclass(frozen=True)
class ExtractChoices:
    """The extraction options a command line gives; None keeps the config's (or the default)."""

    extractors: tuple[str, ...] | None = None
    min_score: float | None = None
    spelling: bool = True
    heading_tags: bool | None = None
    reversed_definitions: bool | None = None

    def for_notes(self) -> ExtractSettings:
        """The settings for notes given without a config: the defaults where nothing was chosen."""
        return ExtractSettings(self.extractors, self.min_score or 0.0, self.spelling,
                               bool(self.heading_tags), bool(self.reversed_definitions))

    def for_deck(self, deck: DeckConfig, known: Callable[[], Iterable[str]]) -> ExtractSettings:
        """The settings of a configured deck: the config's, the choices made here winning.
        `known()`: the extractors that run by default (a deck that names none runs these, less
        its off, plus the opt-in ones it turns on). A deck that names no extractor runs the
        defaults as notes without a config do (`extractors=None`), so planning it needs no
        extractor imported."""
        configured: tuple[str, ...] | None = None
        if deck.extractors_on is not None or deck.extractors_off or deck.extractors_extra:
            defaults = list(known())
            names = list(deck.extractors_on) if deck.extractors_on is not None else \
                [*defaults, *(n for n in deck.extractors_extra if n not in defaults)]
            configured = tuple(n for n in names if n not in deck.extractors_off)
        return ExtractSettings(
            extractors=self.extractors if self.extractors is not None else configured,
            min_score=self.min_score if self.min_score is not None else
            deck.min_score if deck.min_score is not None else 0.0,
            spelling=self.spelling,
            heading_tags=self.heading_tags if self.heading_tags is not None else deck.heading_tags,
            reversed_definitions=self.reversed_definitions if self.reversed_definitions is not None
            else deck.reversed,
            tags=deck.tags)


@dataclass(frozen=True)
class SheetOptions:
    """How a review sheet looks (the sheet-html / sheet-pdf formats)."""

    layout: str = "table"
    paper: str = "a4"
    title: str | None = None
    """Printed on the sheet; None: the deck's name."""

    @staticmethod
    def merged(chosen: Mapping[str, str | None], configured: Mapping[str, str] = {}) -> SheetOptions:
        """The layout and paper chosen (not None), else the configured ones, else the defaults."""
        given = {**configured, **{k: v for k, v in chosen.items() if v is not None}}
        return SheetOptions(layout=given.get("layout", "table"), paper=given.get("paper", "a4"))


@dataclass(frozen=True)
class OutputSpec:
    """Where and how one deck is written."""

    folder: Path
    formats: tuple[str, ...] = ("apkg",)
    templates: tuple[Path, ...] = ()
    """User template folders, searched before the defaults."""
    sheet: SheetOptions = field(default_factory=SheetOptions)


@dataclass(frozen=True)
class BuildOptions:
    """What a caller of `build` (or `check`) chose; None and empty values leave the choice to
    the config, else to the default. Paths and lists may be given as strings and lists."""

    deck: str | None = None
    """The deck's name (with notes) or which configured deck to build."""
    output_dir: Path | None = None
    config_path: Path | None = None
    formats: tuple[str, ...] | None = None
    template_dirs: tuple[Path, ...] = ()
    extractors: tuple[str, ...] | None = None
    """Only these extractors run."""
    min_score: float | None = None
    spelling: bool = True
    heading_tags: bool | None = None
    reversed_definitions: bool | None = None
    layout: str | None = None
    paper: str | None = None
    lock_path: Path | None = None
    use_lock: bool = True
    """Read and write the lock file (card identities)."""
    allow_html: bool = False
    """Pass HTML in notes through instead of showing it as text."""
    tombstones: bool = False
    """Send cards removed from the notes once more, tagged `notedeck::removed`."""
    accepted_only: bool = False
    """Only cards accepted in review."""
    cwd: Path | None = None
    """The folder relative paths and the config are found from (None: the current one)."""

    def __post_init__(self) -> None:
        for name in ("output_dir", "config_path", "lock_path", "cwd"):
            object.__setattr__(self, name, _path(getattr(self, name)))
        object.__setattr__(self, "template_dirs", tuple(Path(t) for t in self.template_dirs))
        for name in ("formats", "extractors"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, tuple(value) or None)

    @property
    def extract(self) -> ExtractChoices:
        """The extraction options chosen."""
        return ExtractChoices(self.extractors, self.min_score, self.spelling, self.heading_tags,
                              self.reversed_definitions)

    @property
    def here(self) -> Path:
        """The folder the build runs from."""
        return self.cwd if self.cwd is not None else Path.cwd()

    def flags(self) -> dict[str, object]:
        """The build-wide choices the outputs depend on, as the up-to-date check records them."""
        return {"allow_html": self.allow_html, "tombstones": self.tombstones, "lock": self.use_lock,
                "accepted_only": self.accepted_only}
