"""An exclusive lock on a state file (`notedeck.review.yaml`, `notedeck.lock`) across processes.

Two `notedeck accept` run at once, or two builds sharing a lock file, each read the file,
change it and write it back: without a lock the later write drops the earlier one's change.
The lock is an OS advisory lock (`flock`, `msvcrt.locking` on Windows) on a hidden file
beside the state file, `.NAME.lck`: the state file itself is replaced atomically on every
write, so a lock on it would be on a file nobody opens anymore. The holder deletes the lock
file before it lets go, so none is left behind; a process that got the lock on a file
deleted meanwhile sees that it is no longer the one at the path, and tries again. Where the
lock file cannot be created (a read-only folder), nothing can be written either, and the
work goes on unlocked.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _wait(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                return
            except OSError:
                continue

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _wait(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(path: Path) -> Path:
    """The hidden file whose lock guards `path`."""
    return path.parent / f".{path.name}.lck"


@contextlib.contextmanager
def held(path: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the exclusive lock guarding `path` for the `with` block; `waiting` is called once
    when another process holds it (to say why nothing happens), before waiting for it."""
    where = lock_path(path)
    told = False
    while True:
        try:
            fd = os.open(where, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:  # a read-only or missing folder: nothing will be written there either
            yield
            return
        if not _try(fd):
            if waiting is not None and not told:
                waiting()
                told = True
            _wait(fd)
        if _current(fd, where):
            break
        os.close(fd)  # the holder before us deleted this file: lock the one at the path now
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # deleted while still held: no one can get a stale one
            where.unlink()
        _release(fd)
        os.close(fd)


def _current(fd: int, where: Path) -> bool:
    """Whether the open lock file `fd` is still the file at `where`."""
    try:
        mine, there = os.fstat(fd), os.stat(where)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)
