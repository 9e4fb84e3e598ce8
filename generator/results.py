"""What a build reports, shared by the up-to-date check and the writing stages: per deck a
`BuildResult`, and the seconds each stage took (`Timer`). Kept apart from `write.py` so that a
build with nothing to do imports none of the writers."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BuildResult:
    """What `build` wrote for one deck."""

    deck: str
    paths: list[Path]
    cards: int
    files: int
    warnings: list[str] = field(default_factory=list)
    removed: int = 0
    """Cards that left the notes since the last build."""
    up_to_date: bool = False
    """Nothing changed since the last build: the outputs were left as they were."""
    cache_hits: int = 0
    """Notes files whose cards came from the cache (not extracted again)."""
    patched: bool = False
    """Only the changed files were redone, in a patch of the last build (see `delta.py`)."""
    suggestions: int = 0
    """Cards left out until a person accepts them (`notedeck review`)."""


class Timer:
    """Adds the seconds spent in each `with timer(stage):` block to a dict (or nothing)."""

    def __init__(self, stats: dict[str, float] | None) -> None:
        self.stats = stats

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.stats is not None:
                self.stats[stage] = self.stats.get(stage, 0.0) + time.perf_counter() - start
