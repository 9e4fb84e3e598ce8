"""The permissions a written file gets: an existing file keeps its mode, a new one follows the
umask, as if it had been written in place (temp files from `tempfile` are 0600 otherwise)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def umask() -> int:
    """The process's umask, read without changing it where the system says (Linux), else by
    setting it and putting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def mode_for(target: Path) -> int:
    """The mode `target` should have once written: its present one if it is a regular file,
    else what a new file gets under the umask (0666 masked)."""
    try:
        st = os.stat(target)
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    except OSError:
        pass
    return 0o666 & ~umask()


def give_mode(tmp: Path | str, target: Path) -> None:
    """Give the temp file `tmp`, about to replace `target`, the mode `target` should have."""
    os.chmod(tmp, mode_for(target))
