"""Extractors: small, independent functions `Document -> Iterable[Card]`, registered by name.

Each module registers one extractor with `@extractor("name")`; the first line of its
docstring is its description. `run` applies the enabled ones in registration order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..cards import Card, Source
from ..errors import NotedeckError
from ..outline import Document, Node

Extractor = Callable[[Document], Iterable[Card]]


@dataclass
class Registry:
    """Named extractors in registration order; tests copy it instead of mutating it."""

    extractors: dict[str, Extractor] = field(default_factory=dict)

    def register(self, name: str) -> Callable[[Extractor], Extractor]:
        """Decorator: register `fn` under `name` (names are unique)."""

        def deco(fn: Extractor) -> Extractor:
            if name in self.extractors:
                raise ValueError(f"extractor {name!r} registered twice")
            self.extractors[name] = fn
            return fn

        return deco

    def describe(self) -> dict[str, str]:
        """Name -> first docstring line, for `notedeck extractors`."""
        return {n: (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
                for n, fn in self.extractors.items()}

    def select(self, names: Iterable[str] | None) -> list[tuple[str, Extractor]]:
        """The extractors to run; an unknown name is an error, not a silent no-op."""
        if names is None:
            return list(self.extractors.items())
        chosen = []
        for name in names:
            if name not in self.extractors:
                raise NotedeckError(f"unknown extractor {name!r}",
                                    f"known extractors: {', '.join(self.extractors)}")
            chosen.append((name, self.extractors[name]))
        return chosen

    def copy(self) -> Registry:
        """An independent copy (for tests and plugins)."""
        return Registry(dict(self.extractors))

    def run(self, doc: Document, names: Iterable[str] | None = None) -> Iterator[Card]:
        """All candidate cards from `doc`, extractor by extractor."""
        for _name, fn in self.select(names):
            yield from fn(doc)


REGISTRY = Registry()
extractor = REGISTRY.register


def make_card(doc: Document, node: Node, question: str, answer: str, *, extractor: str,
              score: float, type: str = "basic", end_line: int | None = None,
              items: tuple[str, ...] = ()) -> Card:
    """A card sourced at `node` (through `end_line`), carrying the node's breadcrumb."""
    return Card(
        question=question, answer=answer, type=type, context=node.breadcrumb, extractor=extractor,
        score=round(max(0.0, min(1.0, score)), 3), items=items,
        source=Source(doc.path, node.line, end_line or node.end_line),
    )


def _load_builtin() -> None:
    """Import the built-in extractor modules so they register themselves."""
    from . import definitions, explicit, lists  # noqa: F401


_load_builtin()
