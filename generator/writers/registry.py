"""The writer registry: output formats by the name `--format` uses.

Each writer module registers its function with `@register("name", ".suffix")`; plugins add
formats through the `notedeck.writers` entry-point group (see `plugins.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .. import plugins
from ..cards import Card, Deck
from ..options import FORMATS as BUILT_IN  # the built-in formats and suffixes (a test holds them)

if TYPE_CHECKING:
    from . import WriteOptions, WriteReport

Writer = Callable[[Deck, Path, "WriteOptions"], "WriteReport"]
StreamWriter = Callable[[Iterable[Card], TextIO], object]
"""Writes cards to an open text stream (standard output for `notedeck extract`)."""


@dataclass(frozen=True)
class Format:
    """A registered output format: its writer and the file suffix it produces."""

    name: str
    suffix: str
    write: Writer
    stream: StreamWriter | None = None
    """Writes cards to an open text stream, for a format `extract` can print; None otherwise."""


def _as_format(name: str, found: object) -> Format:
    """What a plugin's entry point names, as a format: a `Format` (registered under `name`)."""
    if not isinstance(found, Format):
        raise TypeError(f"{found!r} is not a generator.writers.Format (or decorate it with "
                        f"@generator.writers.register)")
    return replace(found, name=name)


class FormatRegistry(plugins.Registry[Format]):
    """Output formats by name, in registration order. With `built_in` (the package's own
    `FORMATS`), the built-in writers are imported the first time it is read, not when the
    package is (`notedeck --version` or an up-to-date build writes nothing); the plugins' after
    them."""

    def __init__(self, built_in: bool = False) -> None:
        super().__init__("output format", "notedeck.writers", _as_format)
        self._built_in = not built_in
        """Whether the built-in writers were imported (or are not this registry's to import)."""

    def load_plugins(self) -> None:
        """The built-in writers (once), then the plugins."""
        if not self._built_in:
            self._built_in = True
            from . import anki, csv, jsonl, sheet  # noqa: F401 (they register themselves)

            # in the order of `BUILT_IN`, whichever module some caller imported first
            self._entries = {**{n: self._entries[n] for n in BUILT_IN if n in self._entries},
                             **self._entries}
            self.can_stream("jsonl", jsonl.dump)  # JSON Lines and CSV can also be printed
            self.can_stream("csv", csv.dump)
        super().load_plugins()

    def function(self, entry: Format) -> object:
        """A format's writer (what `key` names)."""
        return entry.write

    def register(self, name: str, suffix: str) -> Callable[[Writer], Writer]:
        """Decorator: register a writer for `--format name`, writing `*.suffix` files (a name is
        registered once)."""

        def deco(fn: Writer) -> Writer:
            self.add(name, Format(name, suffix, fn))
            return fn

        return deco

    def can_stream(self, name: str, stream: StreamWriter) -> None:
        """Let the registered format `name` also write to an open text stream."""
        self._entries[name] = replace(self._entries[name], stream=stream)


FORMATS = FormatRegistry(built_in=True)
register = FORMATS.register


def get_format(name: str) -> Format:
    """The format called `name`; unknown names are a usage error listing the known ones."""
    return FORMATS.lookup(name)


def suffix_of(name: str) -> str:
    """The suffix of format `name`'s files, without importing a built-in writer."""
    return BUILT_IN.get(name) or get_format(name).suffix


def is_format(name: str) -> bool:
    """Whether `name` is a format, without importing the built-in writers to tell."""
    return name in BUILT_IN or name in FORMATS


def stream_formats() -> list[str]:
    """The formats `notedeck extract --format` can print (to standard output or a file)."""
    return [name for name, fmt in FORMATS.items() if fmt.stream is not None]
