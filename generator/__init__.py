"""notedeck: turn the notes people actually take into spaced-repetition flashcards.

The library API is what the `notedeck` command calls: `build` writes decks, `extract`
returns cards.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("notedeck")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from .cards import Card, Deck, Source
from .errors import NotedeckError
from .options import BuildOptions
from .pipeline import BuildResult, Extraction, build, extract

__all__ = ["BuildOptions", "BuildResult", "Card", "Deck", "Extraction", "NotedeckError", "Source",
           "__version__", "build", "extract"]
