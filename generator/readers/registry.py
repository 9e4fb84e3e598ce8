"""The reader registry: notes formats by name, and the file suffixes each one reads.

The built-in readers are registered by `readers/__init__.py`; plugins add formats through the
`notedeck.readers` entry-point group (see `plugins.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass, replace

from .. import plugins
from ..outline import Document
from ..suffixes import SNIFFED_SUFFIXES

Parse = Callable[[str, str], Document]
"""Notes text and the path to show for it -> its `Document`."""


@dataclass(frozen=True)
class Reader:
    """A notes format: how to parse it, and what else notedeck asks of it."""

    parse: Parse
    suffixes: tuple[str, ...] = ()
    """File suffixes (lower case, with the dot) always read with it; other files are sniffed."""
    declared_title: Callable[[str], str] | None = None
    """The title the notes declare for themselves (front matter, `#+TITLE:`), or '' for none."""


def _as_reader(name: str, found: object) -> Reader:
    """What a plugin's entry point names, as a reader: a `Reader`."""
    if not isinstance(found, Reader):
        raise TypeError(f"{found!r} is not a generator.readers.Reader (or decorate it with "
                        f"@generator.readers.reader)")
    return found


class ReaderRegistry(plugins.Registry[Reader]):
    """Notes formats by name; a suffix belongs to one format."""

    def __init__(self) -> None:
        super().__init__("notes format", "notedeck.readers", _as_reader)
        self._suffixes: dict[str, str] | None = None

    def add(self, name: str, entry: Reader) -> Reader:
        """Register `entry` as `name`; a name or a suffix taken already is an error."""
        entry = replace(entry, suffixes=tuple(s.lower() for s in entry.suffixes))
        for suffix in entry.suffixes:
            taken = next((n for n, r in self._entries.items() if suffix in r.suffixes), None)
            if taken is not None:
                raise plugins.RegistryError(f"notes format {name!r}: {suffix} files are read as {taken!r}",
                                            "give the plugin's reader other suffixes")
        self._suffixes = None
        return super().add(name, entry)

    def __setitem__(self, name: str, entry: Reader) -> None:
        self._suffixes = None
        super().__setitem__(name, entry)

    def suffix_map(self) -> dict[str, str]:
        """Suffix -> the format files with it are always read as (plugins' included); worked out
        again only after a change (it is asked for every file of a folder)."""
        self.load_plugins()
        if self._suffixes is None:
            self._suffixes = {s: name for name, r in self._entries.items() for s in r.suffixes}
        return self._suffixes

    def registered_suffix(self, suffix: object) -> bool:
        """Whether a reader registered so far reads `suffix` files (no plugin is loaded to tell)."""
        return any(suffix in r.suffixes for r in self._entries.values())

    def register(self, name: str, *suffixes: str, declared_title: Callable[[str], str] | None = None
                 ) -> Callable[[Parse], Parse]:
        """Decorator: register a parse function as notes format `name`, reading files with `suffixes`."""

        def deco(fn: Parse) -> Parse:
            self.add(name, Reader(fn, suffixes, declared_title))
            return fn

        return deco

    def function(self, entry: Reader) -> object:
        """A reader's parse function (what `key` names)."""
        return entry.parse

    def by_suffix(self, suffix: str) -> str | None:
        """The format that `suffix` (`.md`) always is, or None (the content decides)."""
        return self.suffix_map().get(suffix.lower())

    def _key_extra(self) -> object:
        """Which suffixes each format reads (part of `key`)."""
        return {name: list(r.suffixes) for name, r in self.items()}


READERS = ReaderRegistry()
reader = READERS.register


class NoteSuffixes(Set[str]):
    """The suffixes of the files in a folder that are notes: every reader's, plugins' included,
    and the sniffed ones (a live view: a plugin loaded later is in it)."""

    def _all(self) -> frozenset[str]:
        return frozenset((*SNIFFED_SUFFIXES, *READERS.suffix_map()))

    def __contains__(self, suffix: object) -> bool:
        # a built-in reader's suffix is no plugin's (`add` refuses it): known without loading them
        return (suffix in SNIFFED_SUFFIXES or READERS.registered_suffix(suffix)
                or suffix in READERS.suffix_map())

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._all()))

    def __len__(self) -> int:
        return len(self._all())
