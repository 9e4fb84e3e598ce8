"""Which notes files a deck reads: files, folders (recursive) and globs expanded into a sorted
list, and their bytes read safely.

Each file is named (in cards, the lock, every output) relative to the config's folder, else
to the notes root given, never to the folder a command runs from. Only regular files whose
real path is inside the notes folder given (or the config's folder) are notes: a symlink out
of the folder, a pipe, a device or a file over the size limit is skipped with a one-line
warning, so nothing outside the notes can reach a released deck and no file can hang or
exhaust a build (see `safe_read`).
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NotedeckError
from .safe_read import MAX_NOTES_BYTES, Refused, read_inside
from .suffixes import BUILT_IN_SUFFIXES

PathLike = str | os.PathLike[str]
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class NotesFile:
    """A notes file to read: where it is, and how cards should name it."""

    path: Path
    display: str
    subdeck: tuple[str, ...] = ()
    """Sub-deck names from its place in a notes folder (`go/concurrency.md` -> go, concurrency)."""
    roots: tuple[Path, ...] = field(default=(), compare=False)
    """Folders its real path must stay inside when it is read (empty: not checked)."""


@dataclass
class Collected:
    """The notes files found, and why others were skipped (one line each)."""

    files: list[NotesFile]
    skipped: list[str]


def read_notes(f: NotesFile) -> bytes:
    """The bytes of a notes file; `Refused` when it left its folder, stopped being a regular
    file or grew past the limit since it was collected."""
    return read_inside(f.path, f.roots, MAX_NOTES_BYTES)


OWN_FILES = frozenset({"notedeck.lock", "notedeck.review.yaml", "notedeck.toml"})
"""notedeck's own files (lock, review file, config), kept beside the notes: never notes, in a
folder or matched by a glob (a test holds these to `LOCK_NAME`, `REVIEW_NAME`, `CONFIG_NAME`)."""


def _walk_folder(folder: Path, exclude: set[Path]) -> list[Path]:
    """Notes files under `folder`, sorted, skipping hidden folders, excluded folders and loops."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and (here / d).resolve() not in exclude)
        found.extend(here / f for f in sorted(filenames) if not f.startswith(".") and f not in OWN_FILES
                     and _notes_suffix(Path(f).suffix.lower()))
    return found


def _notes_suffix(suffix: str) -> bool:
    """Whether files with `suffix` in a folder are notes: a built-in reader's suffix, or a
    plugin's (only then are the readers, and the plugins, loaded to tell)."""
    if suffix in BUILT_IN_SUFFIXES:
        return True
    from .readers import NOTE_SUFFIXES

    return suffix in NOTE_SUFFIXES


def _display(real: Path, path: Path, given: str, base: Path, real_base: Path) -> str:
    """How cards name a file: relative to `base` (the config's folder, else the notes root),
    so the Source field, the lock and the outputs never depend on the folder a command runs
    from; as given when it is outside (a symlink's target, say). `real` and `real_base`: the
    two resolved (worked out once by `collect`, which names many files)."""
    inside_base = str(real_base).rstrip(os.sep) + os.sep
    if str(real).startswith(inside_base):  # the usual case, without pathlib's parsing
        return str(real)[len(inside_base):].replace(os.sep, "/")
    pairs = ((real, real_base), (Path(os.path.abspath(path)), Path(os.path.abspath(base))))
    for inside, root in pairs:
        try:
            return inside.relative_to(root).as_posix()
        except ValueError:
            pass
    return given


def _source_folder(source: PathLike) -> Path:
    """The folder a source names: a folder itself, a file's folder, a glob's folder before its
    first wildcard."""
    given = os.fspath(source)
    found = _GLOB_CHARS.search(given)
    if found:
        prefix = given[:found.start()]
        return Path(prefix) if prefix.endswith(("/", os.sep)) else Path(prefix).parent
    path = Path(given)
    return path if path.is_dir() else path.parent


def why_not_notes(path: Path, roots: tuple[Path, ...], real: Path | None = None,
                  real_roots: tuple[Path, ...] | None = None) -> str | None:
    """Why `path` must not be read as notes (one line), or None when it may. `real`,
    `real_roots`: their real locations, when the caller worked them out already."""
    real = real if real is not None else Path(os.path.realpath(path))
    real_roots = real_roots if real_roots is not None else tuple(Path(os.path.realpath(r)) for r in roots)
    if not any(_inside(str(real), str(r)) for r in real_roots):
        return f"it leads outside the notes folder (to {real})"
    try:
        info = os.stat(path)
    except OSError:
        return None  # reading it says what is wrong

    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file (a device, pipe or socket)"
    if info.st_size > MAX_NOTES_BYTES:
        return (f"it is {info.st_size / 1024 / 1024:.1f} MB, more than the "
                f"{MAX_NOTES_BYTES // 1024 // 1024} MB a notes file may be")
    return None


def _inside(path: str, folder: str) -> bool:
    """Whether the absolute, normalised `path` is `folder` or inside it (`Path.is_relative_to`
    for such paths, without parsing them again: it is asked for every notes file)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def collect(sources: Sequence[PathLike], base: Path | None = None,
            exclude: Iterable[Path] = ()) -> Collected:
    """Expand files, folders (recursive) and globs into a sorted, de-duplicated file list,
    leaving out (with a warning) what is not a regular file inside its notes folder."""
    excluded = {Path(p).resolve() for p in exclude}
    root = base if base is not None else common_folder(sources)
    files: dict[Path, NotesFile] = {}
    skipped: list[str] = []
    for source in sources:
        given = os.fspath(source)
        path = base / given if base is not None and not Path(given).is_absolute() else Path(given)
        if _GLOB_CHARS.search(given):
            first = _GLOB_CHARS.search(str(path))
            assert first is not None  # `path` ends with `given`, which holds one
            prefix = Path(str(path)[:first.start()])
            folder = prefix if str(prefix).endswith(os.sep) else prefix.parent
            candidates = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
            candidates = [p for p in candidates if p.name not in OWN_FILES and not p.is_dir()]
            if not candidates:
                raise NotedeckError(f"no notes match {given!r}", "check the pattern")
        elif path.is_dir():
            folder = path
            candidates = _walk_folder(path, excluded)
            if not candidates:
                raise NotedeckError(f"no notes found in folder {given}",
                                    "notedeck reads .md, .markdown, .org and .txt files")
        elif path.exists() or path.is_symlink():
            folder, candidates = path.parent, [path]
        else:
            raise NotedeckError(f"no such file or folder: {given}", "check the path (and its spelling)")
        roots = (folder, base) if base is not None else (folder,)
        real_roots, real_root = tuple(Path(os.path.realpath(r)) for r in roots), root.resolve()
        walked = path.is_dir()  # asked once, not per file
        # A walk does not follow links to folders: from a folder that is its own real path, a
        # file that is no link is where it says (one lstat, not one for each of its folders).
        real_walk = walked and os.path.realpath(path) == os.path.abspath(path)
        for p in candidates:
            plain = real_walk and not os.path.islink(p)
            real = Path(os.path.abspath(p)) if plain else Path(os.path.realpath(p))
            subdeck: tuple[str, ...] = ()
            if walked and p != path:
                rel = p.relative_to(path)
                shown = (Path(given) / rel).as_posix()
                subdeck = (*rel.parent.parts, rel.stem)
            else:
                shown = given if p == path else p.as_posix()
            shown = _display(real, p, shown, root, real_root)
            why = why_not_notes(p, roots, real, real_roots)
            if why is not None:
                skipped.append(f"{shown}: skipped, {why}")
                continue
            files.setdefault(real, NotesFile(p, shown, subdeck, roots))
    if not files and skipped:
        raise NotedeckError(skipped[0], "notedeck reads only regular notes files inside the notes folder")
    return Collected(sorted(files.values(), key=lambda f: f.display), skipped)


def common_folder(sources: Sequence[PathLike]) -> Path:
    """The notes root: the deepest folder holding every source (a file's own folder, a glob's
    folder before its first wildcard), resolved."""
    folders = [_source_folder(s).resolve() for s in sources]
    return Path(os.path.commonpath([str(p) for p in folders]))


def file_title(path: Path) -> str:
    """The title the notes file `path` declares (see `readers.declared_title`); '' for a
    folder, a glob, and a file that cannot or must not be read (the build says why)."""
    if _GLOB_CHARS.search(str(path)) or not path.is_file():
        return ""
    try:
        data = read_inside(path, (path.parent,), MAX_NOTES_BYTES)
    except (OSError, Refused):
        return ""
    from .readers import declared_title  # (the readers: imported only to read a title)

    return declared_title(data, path)


def default_deck_name(sources: Sequence[PathLike]) -> str:
    """Deck name when none is given: the single file's own title (Markdown front matter
    `title:`, Org `#+TITLE:`), else the single file's or folder's name."""
    if len(sources) == 1:
        p = Path(os.fspath(sources[0]))
        title = file_title(p)
        if title:
            return title
        name = p.stem if p.suffix else p.name
        return name or p.resolve().name or "notes"
    return "notes"


def read_skipping(f: NotesFile, skipped: list[str]) -> bytes | None:
    """`read_notes`, or None with a warning in `skipped` when the file must not be read."""
    try:
        return read_notes(f)
    except Refused as exc:
        skipped.append(f"{f.display}: skipped, {exc}")
        return None


def content_digest(data: bytes) -> str:
    """A short digest of a notes file's bytes (for the up-to-date check)."""
    return hashlib.sha256(data).hexdigest()[:32]
