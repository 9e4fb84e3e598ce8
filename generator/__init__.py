"""notedeck: turn the notes people actually take into spaced-repetition flashcards.

The library API is what the `notedeck` command calls: `build` writes decks, `extract`
returns cards. Its names are imported when first used (PEP 562), so a command that needs
none of them (`notedeck --version`, an up-to-date build) does not pay for the whole pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cards import Card, Deck, Source
    from .errors import NotedeckError
    from .options import BuildOptions
    from .pipeline import BuildResult, Extraction, build, extract

_WHERE = {"Card": "cards", "Deck": "cards", "Source": "cards", "NotedeckError": "errors",
          "BuildOptions": "options", "BuildResult": "pipeline", "Extraction": "pipeline", "build": "pipeline",
          "extract": "pipeline"}

__all__ = ["BuildOptions", "BuildResult", "Card", "Deck", "Extraction", "NotedeckError", "Source",
           "__version__", "build", "extract"]


def __getattr__(name: str) -> Any:
    """The library API, imported on first use."""
    if name == "__version__":
        from ._version import __version__

        value: Any = __version__
    elif name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
