"""All-or-nothing builds: every file a build writes is staged first, then moved into place.

Outputs (decks, exports, sheets) go into a hidden `.notedeck-build-*` folder beside their
destination; the manifest and the lock file are staged too and move last. Nothing moves
until everything was written; when a move fails (or the build is interrupted) the files
already moved are put back as they were. A build killed outright (kill -9) leaves its staging
folder or temp files behind: they are held with a file lock while in use, so the next build
can tell them from those of a build still running and removes them.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import NotedeckError, os_hint
from .filemode import give_mode

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: leftovers are then left alone
    fcntl = None  # type: ignore[assignment]

BUILD_PREFIX = ".notedeck-build-"
MOVED: list[Path] = []
"""Every file a build moved into place in this process (for an error message that says so)."""


def _hold(path: Path) -> int | None:
    """Take the file lock of `path` (a file or folder) for as long as this build runs; the fd."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _abandoned(path: Path) -> bool:
    """Whether `path` was left behind by a build that is gone (no process holds its lock)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def clean_leftovers(folder: Path, prefix: str, suffix: str = "") -> None:
    """Remove what killed builds left in `folder` (names `prefix...suffix`), never what a
    running build still holds."""
    try:
        found = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(suffix)]
    except OSError:
        return
    for p in found:
        if not _abandoned(p):
            continue
        with contextlib.suppress(OSError):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()


def _temp_beside(target: Path) -> Path:
    """A new, held temp file `.NAME.*.tmp` beside `target` (removed by the next build if this
    one is killed)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


class Staging:
    """A build's files, written first where nothing sees them and moved into place together
    only when every one was written (see the module's docstring)."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}
        self._late: dict[Path, Path] = {}
        """Staged file -> destination, for the files that move last (manifest, lock)."""
        self._held: list[int] = []
        self._temps: list[Path] = []

    def _keep(self, path: Path) -> None:
        fd = _hold(path)
        if fd is not None:
            self._held.append(fd)

    def folder(self, output: Path) -> Path:
        """Where to write what belongs in `output`."""
        output = Path(output)
        if output not in self._folders:
            try:
                output.mkdir(parents=True, exist_ok=True)
                clean_leftovers(output, BUILD_PREFIX)
                stage = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=output))
            except OSError as exc:
                raise NotedeckError(f"cannot write to {output}: {exc.strerror or exc}",
                                    os_hint(exc, "choose another output folder with -o")) from exc
            self._keep(stage)
            self._folders[output] = stage
        return self._folders[output]

    def text(self, target: Path, chunks: Callable[[], Iterable[str]]) -> None:
        """Stage the text `chunks()` gives as `target`'s new content, moved after every output
        (the manifest, the lock file). An unchanged file is left alone, so a read-only folder
        is fine as long as nothing in it changes."""
        target = Path(target)
        stage = self._folders.get(target.parent)
        try:
            if stage is not None:
                staged = stage / target.name
            else:
                clean_leftovers(target.parent, f".{target.name}.", ".tmp")
                staged = _temp_beside(target)
                self._temps.append(staged)
                self._keep(staged)
        except OSError as exc:
            if target.is_file() and target.read_text(encoding="utf-8") == "".join(chunks()):
                return
            raise NotedeckError(f"cannot write {target}: {exc.strerror or exc}",
                                os_hint(exc, "check the folder's permissions")) from exc
        try:
            with staged.open("w", encoding="utf-8", newline="\n") as f:
                f.writelines(chunks())
        except OSError as exc:
            raise NotedeckError(f"cannot write {target}: {exc.strerror or exc}",
                                os_hint(exc, "check the folder's permissions")) from exc
        if target.is_file() and filecmp.cmp(staged, target, shallow=False):
            staged.unlink()
            return
        self._late[staged] = target

    def final(self, staged: Path) -> Path:
        """The destination of a staged file."""
        if staged in self._late:
            return self._late[staged]
        for output, stage in self._folders.items():
            if staged.parent == stage:
                return output / staged.name
        raise ValueError(f"{staged} was not staged here")

    def staged(self, final: Path) -> Path:
        """Where the new content of `final` is until the commit (`final` itself if not staged)."""
        stage = self._folders.get(final.parent)
        if stage is not None and (stage / final.name).exists():
            return stage / final.name
        return final

    def commit(self) -> None:
        """Move every staged file into place, the manifest and lock last; if any move fails or
        the build is interrupted, put back what was already moved."""
        moves = [(staged, output / staged.name) for output, stage in self._folders.items()
                 for staged in sorted(stage.iterdir()) if staged not in self._late]
        moves += list(self._late.items())
        done: list[tuple[Path, Path | None]] = []
        try:
            for staged, final in moves:
                backup = self._backup(final)
                try:
                    give_mode(staged, final)  # an existing file keeps its mode, a new one the umask's
                    os.replace(staged, final)
                except OSError as exc:
                    raise NotedeckError(f"cannot write {final}: {exc.strerror or exc}",
                                        os_hint(exc, f"check the permissions of {final.parent}")) from exc
                done.append((final, backup))
        except BaseException:
            for final, backup in reversed(done):
                with contextlib.suppress(OSError):
                    if backup is not None:
                        os.replace(backup, final)
                    else:
                        final.unlink()
            raise
        MOVED.extend(final for final, _ in done)

    def _backup(self, final: Path) -> Path | None:
        """A second name for the file at `final` (to put it back), or None when there is none."""
        if not final.is_file():
            return None
        stage = self._folders.get(final.parent)
        backup = (stage / f".old-{final.name}" if stage is not None
                  else final.parent / f".{final.name}.{os.urandom(4).hex()}.tmp")
        try:
            os.link(final, backup)
        except OSError:
            shutil.copy2(final, backup)
        if stage is None:
            self._temps.append(backup)
            self._keep(backup)
        return backup

    def discard(self) -> None:
        """Remove the staging folders, temp files and backups, and release their locks."""
        for stage in self._folders.values():
            shutil.rmtree(stage, ignore_errors=True)
        for temp in self._temps:
            with contextlib.suppress(OSError):
                temp.unlink()
        for fd in self._held:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._folders.clear()
        self._late.clear()
        self._temps.clear()
        self._held.clear()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
