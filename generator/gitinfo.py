"""What git knows about the notes: their revision and when they last changed.

A fresh clone stamps every file with the clock time of the checkout, so modification times
differ between two CI runs of the same commit; the commit time does not. Without git (or
outside a checkout) every function answers None and callers fall back to file times.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path


def _git(folder: Path, *args: str) -> str | None:
    """Output of `git args` run in `folder`, or None when git is missing or fails."""
    exe = shutil.which("git")
    if exe is None or not folder.is_dir():
        return None
    try:
        done = subprocess.run([exe, *args], cwd=folder, capture_output=True, text=True, timeout=20,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def revision(folder: Path) -> str | None:
    """The commit checked out in `folder` (with `-dirty` when files changed), or None."""
    head = _git(folder, "rev-parse", "HEAD")
    if not head:
        return None
    dirty = _git(folder, "status", "--porcelain", "--untracked-files=no")
    return head.strip() + ("-dirty" if dirty and dirty.strip() else "")


def last_change(files: Sequence[Path]) -> int | None:
    """When `files` last changed: their newest commit time, or the modification time of any of
    them that is uncommitted (edited or untracked). None when they are not in a git checkout."""
    if not files:
        return None
    folder = files[0].resolve().parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if not top:
        return None
    root = Path(top.strip()).resolve()
    paths = []
    for f in files:
        try:
            paths.append(str(f.resolve().relative_to(root)))
        except ValueError:  # outside this checkout
            return None
    committed = _git(root, "log", "-1", "--format=%ct", "--", *paths)
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    if committed is None or status is None:
        return None
    times = [int(committed)] if committed.strip() else []
    for line in status.splitlines():
        changed = root / line[3:].strip().strip('"').split(" -> ")[-1]
        if changed.is_file():
            times.append(int(changed.stat().st_mtime))
    return max(times) if times else None
