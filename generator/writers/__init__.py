"""Writers: a `Deck` and `WriteOptions` in, a file and a `WriteReport` out; registered by
the name `--format` uses (`registry.py`).

Every writer writes through `atomic_output`, so a failed or interrupted run never leaves a
half-written file behind and never clobbers the previous good one. Options only go in and
the report only comes out: a writer never changes what it was given.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import RenderCache
from ..cards import Card
from ..errors import NotedeckError, os_hint
from ..filemode import give_mode
from ..options import SheetOptions
from .registry import (  # noqa: F401 (the writers and their callers import these from here)
    BUILT_IN,
    FORMATS,
    Format,
    FormatRegistry,
    Writer,
    get_format,
    is_format,
    register,
    stream_formats,
    suffix_of,
)

if TYPE_CHECKING:
    from ..render import Renderer


@dataclass(frozen=True)
class WriteOptions:
    """What writers need beyond the deck itself (read only)."""

    template_dirs: tuple[Path, ...] = ()
    """User template folders, searched before the defaults."""
    timestamp: float | None = None
    """Fixed time for generated notes (seconds since the epoch); None = now."""
    allow_html: bool = False
    """Pass raw HTML in notes through instead of showing it as text."""
    sources: Mapping[str, Path] = field(default_factory=dict)
    """Notes files by the name cards use for them (to find the images they reference)."""
    notes_root: Path | None = None
    """Folder holding the notes: images outside it are refused."""
    mod_times: Mapping[str, float] = field(default_factory=dict)
    """When each card's content last changed (from the lock file), by GUID."""
    note_type_times: Mapping[str, float] = field(default_factory=dict)
    """When each note type's templates last changed (from the lock file), by name."""
    sheet: SheetOptions = field(default_factory=SheetOptions)
    """How review sheets look (the sheet-html / sheet-pdf formats)."""
    rendered: RenderCache | None = None
    """Card fields rendered by earlier builds (see `cache.RenderCache`); None renders every card."""
    per_file: bool = False
    """Report what each notes file's cards became (`WriteReport.written`, the Anki writer), so
    a later build can patch the package."""


@dataclass
class WriteReport:
    """What a writer wrote."""

    warnings: list[str] = field(default_factory=list)
    """Problems with cards (missing images, unbalanced math), as `file:line: message`."""
    images: dict[str, str | None] = field(default_factory=dict)
    """Every image file the cards looked for -> its digest (None: missing; see `media.Media.seen`)."""
    written: Written | None = None
    """With `WriteOptions.per_file`: what each notes file's cards became (see `Written`)."""


@dataclass
class Written:
    """What a package holds per notes file, so a later build can patch it (see `delta.py`)."""

    ids: dict[str, list[int]] = field(default_factory=dict)
    """Notes file -> the note IDs of its cards, in card order."""
    warnings: dict[str, list[str]] = field(default_factory=dict)
    """Notes file -> the writer's warnings about its cards."""
    naturals: dict[str, list[int]] = field(default_factory=dict)
    """Notes file -> the IDs its notes' GUIDs give (`anki.natural_base`): where a clash moved one."""
    media: dict[str, dict[str, str]] = field(default_factory=dict)
    """Notes file -> the media its cards put in the package (media name -> image file)."""
    images: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """Notes file -> every image its cards looked for -> its digest (None: missing)."""
    media_warnings: dict[str, list[str]] = field(default_factory=dict)
    """Notes file -> the warnings about its cards' images (a package lists them last)."""


@functools.cache
def _rendering() -> int:
    """The renderer's version (`render.RENDERING`), imported once, on the first card rendered."""
    from ..render import RENDERING

    return RENDERING


def render_key(card: Card, options: WriteOptions, kind: tuple[str, ...] = ()) -> bytes | None:
    """What `cached_render` keeps a card's fields under: everything they depend on. None for a
    card that is always rendered: one showing an image (the image may have changed), or a
    plugin's card holding what marshal cannot write."""
    if "![" in card.question or "![" in card.answer or (card.items and any("![" in i for i in card.items)):
        return None
    what = (kind, _rendering(), card.type, card.question, card.answer, card.items, card.context,
            card.source.path, card.source.line, str(options.sources.get(card.source.path)),
            options.allow_html)
    # marshal's version 2 writes each string with its length and never as a reference: the same
    # card gives the same bytes in every process (and in a fifth of `repr`'s time)
    try:
        return hashlib.blake2b(marshal.dumps(what, 2), digest_size=16).digest()
    except ValueError:
        return None


def cached_render(card: Card, renderer: Renderer, options: WriteOptions, render: Callable[[], list[str]],
                  kind: tuple[str, ...] = ()) -> list[str]:
    """`render()`, the card's fields by `renderer`, or what it gave when an earlier build of this
    output rendered the same card (from `options.rendered`; its warnings are replayed), or
    what the extraction's workers rendered of it (for the package, `kind` ()), found by GUID
    with no digest to work out. `kind` keeps each writer's renderings apart (see `render_key`)."""
    cache = options.rendered
    if cache is None:
        return render()
    made = cache.take(card, options.allow_html) if cache.ahead and not kind else None
    if made is not None:
        renderer.warnings.extend(made[1])
        return list(made[0])
    key = render_key(card, options, kind)
    if key is None:
        return render()
    found = cache.get(key)
    if found is not None:
        renderer.warnings.extend(found[1])
        return list(found[0])
    before = len(renderer.warnings)
    fields = render()
    cache.put(key, (tuple(fields), tuple(renderer.warnings[before:])))
    return fields


OUTPUT_FIX = "make the output folder writable, or choose another with -o"


@contextlib.contextmanager
def atomic_output(target: Path, fix: str = OUTPUT_FIX) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only if the block succeeds.
    `fix`: the hint when the folder cannot be written (a full disk says so instead).

    A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a pipe) is
    written directly: renaming over it would replace the device with a file."""
    if target.exists() and not target.is_file() and not target.is_dir():
        yield target
        return
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise NotedeckError(f"cannot write to {folder}: {exc.strerror or exc}", os_hint(exc, fix)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        give_mode(tmp, target)
        os.replace(tmp, target)
    except OSError as exc:
        raise NotedeckError(f"cannot write {target}: {exc.strerror or exc}", os_hint(exc, fix)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()

