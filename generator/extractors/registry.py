"""The extractor registry: extractors by name, in the order they run.

Each extractor module registers one function with `@extractor("name")`; the first line of its
docstring is what `notedeck extractors` lists. Plugins add theirs through the
`notedeck.extractors` entry-point group (see `plugins.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import cast

from .. import plugins
from ..cards import Card
from ..outline import Document

Extractor = Callable[[Document], Iterable[Card]]


def _as_extractor(name: str, found: object) -> Extractor:
    """What a plugin's entry point names, as an extractor: a function of a `Document`."""
    if not callable(found):
        raise TypeError(f"{found!r} is not a function of a Document")
    return cast(Extractor, found)


class ExtractorRegistry(plugins.Registry[Extractor]):
    """Named extractors in registration order; tests copy it instead of mutating it."""

    def __init__(self) -> None:
        super().__init__("extractor", "notedeck.extractors", _as_extractor)
        self.opt_in: set[str] = set()
        """Extractors that run only when asked for by name (`--extractor speaker`)."""

    def copy(self) -> ExtractorRegistry:
        """An independent copy, plugins loaded (for tests)."""
        new = super().copy()
        new.opt_in = set(self.opt_in)
        return new

    @property
    def extractors(self) -> dict[str, Extractor]:
        """Name -> extractor function, plugins included (read it; register with `register`)."""
        self.load_plugins()
        return self._entries

    def register(self, name: str, *, default: bool = True) -> Callable[[Extractor], Extractor]:
        """Decorator: register `fn` under `name` (names are unique); `default=False` for an
        extractor that runs only when named."""

        def deco(fn: Extractor) -> Extractor:
            self.add(name, fn)
            if not default:
                self.opt_in.add(name)
            return fn

        return deco

    def describe(self) -> dict[str, str]:
        """Name -> first docstring line, for `notedeck extractors`."""
        return {n: (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
                for n, fn in self.extractors.items()}

    def select(self, names: Iterable[str] | None) -> list[tuple[str, Extractor]]:
        """The extractors to run; an unknown name is an error, not a silent no-op."""
        if names is None:
            return [(n, fn) for n, fn in self.extractors.items() if n not in self.opt_in]
        return [(name, self.lookup(name)) for name in names]

    def run(self, doc: Document, names: Iterable[str] | None = None) -> Iterator[Card]:
        """All candidate cards from `doc`, extractor by extractor."""
        for _name, fn in self.select(names):
            yield from fn(doc)

    def _key_extra(self) -> object:
        """Which extractors run only when named (part of `key`)."""
        return sorted(self.opt_in)


REGISTRY = ExtractorRegistry()
extractor = REGISTRY.register
