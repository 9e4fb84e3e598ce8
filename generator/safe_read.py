"""Reading files named by notes or found among them, safely: only regular files inside a
given folder, never a device, pipe or link out of it, and never more than a size limit.

A notes folder is not trusted: in CI a symlink to `/proc/self/environ` or `~/.ssh/id_rsa`
would put secrets into a released deck, a FIFO would hang the build and `/dev/zero` would
exhaust memory. Every read of a notes file or an image goes through `read_inside`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_NOTES_BYTES = 64 * 1024 * 1024
"""A notes file larger than this is not notes anyone studies (a log, a dump): skipped."""
MAX_IMAGE_BYTES = 32 * 1024 * 1024
"""An image larger than this would bloat every device's collection: refused."""


class Refused(Exception):
    """A file that must not be read, with why (a one-line reason for a warning)."""


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`'s real location (links followed) is `root`'s real location or below it."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def hidden_part(path: Path, root: Path) -> str | None:
    """The first dot-named folder or file of `path` below `root` (`.git`, `.env`), if any."""
    try:
        parts = Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).parts
    except ValueError:
        return None
    return next((p for p in parts if p.startswith(".")), None)


def read_inside(path: Path, roots: tuple[Path, ...], limit: int) -> bytes:
    """The bytes of `path` if it is a regular file inside one of `roots`, at most `limit` long;
    `Refused` when it is not, OSError when it cannot be read.

    The file is opened without blocking and checked through its open descriptor, so a pipe
    or device swapped in after a check is still refused, and a FIFO never hangs the read.
    """
    if roots and not any(is_inside(path, r) for r in roots):
        raise Refused(f"it leads outside the notes folder (to {os.path.realpath(path)})")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))  # OSError: unreadable
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("it is not a regular file (a device, pipe or socket)")
        if info.st_size > limit:
            raise Refused(f"it is {_size(info.st_size)}, more than the {_size(limit)} allowed")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"it is more than the {_size(limit)} allowed")
    return data


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"
