"""The progress bar of long builds: files read and cards found, then each output written.

Shown only on a terminal, never in CI logs or with `--quiet`, and only once a build has
run for about a second (a quick build prints nothing but its result). Drawn with rich on
standard error, so piped standard output stays clean.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import IO, Any

SHOW_AFTER = 1.0
"""Seconds a build runs before the bar appears (`NOTEDECK_PROGRESS_AFTER` overrides it)."""


def show_after() -> float:
    """The delay before the bar appears: `$NOTEDECK_PROGRESS_AFTER` seconds when it is a number
    (0 shows it at once, e.g. to see a short build's stages), else `SHOW_AFTER`."""
    try:
        return max(0.0, float(os.environ.get("NOTEDECK_PROGRESS_AFTER", SHOW_AFTER)))
    except ValueError:
        return SHOW_AFTER


def wanted(stream: IO[str] | None = None, quiet: bool = False) -> bool:
    """Whether to draw progress: a terminal, not CI, not `--quiet`, not `TERM=dumb`."""
    stream = stream or sys.stderr
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class TerminalProgress:
    """A `extract_files.Progress` drawn as a rich progress bar (see the module docstring)."""

    def __init__(self, stream: IO[str] | None = None, delay: float | None = None) -> None:
        self.stream = stream or sys.stderr
        self.show_after = show_after() if delay is None else delay
        self.began = time.monotonic()
        self.closed = False
        self.bar: Any = None
        self.task: Any = None
        self.stage = ""
        self.total: int | None = None
        self.files = 0
        self.cards = 0
        self.lock = threading.Lock()
        # A long stage without updates (writing a big deck) must still bring the bar up.
        self.timer = threading.Timer(self.show_after, self._draw)
        self.timer.daemon = True
        self.timer.start()

    def _draw(self) -> None:
        with self.lock:
            self._draw_locked()

    def _draw_locked(self) -> None:
        if self.closed:
            return
        if self.bar is None:
            if time.monotonic() - self.began < self.show_after:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("files, {task.fields[cards]:,} cards found"), TimeElapsedColumn(),
                                console=Console(file=self.stream), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.stage, total=self.total, completed=self.files,
                                          cards=self.cards)
        self.bar.update(self.task, description=self.stage, total=self.total, completed=self.files,
                        cards=self.cards)

    def start(self, stage: str, total: int | None = None, cards: int | None = None) -> None:
        """A stage begins; writing stages keep the file count of reading, and show the deck's
        card count (`cards`: duplicates across files merged) instead of the cards found."""
        self.stage = stage
        if total is not None:
            self.total, self.files, self.cards = total, 0, 0
        if cards is not None:
            self.cards = cards
        self._draw()

    def advance(self, files: int = 1, cards: int = 0) -> None:
        """Files done and cards found."""
        self.files += files
        self.cards += cards
        self._draw()

    def close(self) -> None:
        """Take the bar off the screen (the command then prints its one-line result)."""
        self.timer.cancel()
        with self.lock:
            self.closed = True
            if self.bar is not None:
                self.bar.stop()
                self.bar = None
