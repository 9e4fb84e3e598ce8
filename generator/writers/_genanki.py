"""genanki, imported for the Anki writer without the asyncio it does not use.

genanki takes its `cached_property` from the package of that name, which imports asyncio (and
with it ssl) to serve coroutines: 60 ms of every build that writes a package, for two plain
cached properties. `functools.cached_property` stands in for it while genanki is imported.
"""

from __future__ import annotations

import functools
import sys
import types


def _import_genanki() -> None:
    """Import genanki with the stand-in (nothing to do when it, or the real package, is
    imported already). Should this genanki want more of that package, it is imported as it is;
    the stand-in is gone once genanki is in."""
    if "genanki" in sys.modules or "cached_property" in sys.modules:
        return
    stand_in = types.ModuleType("cached_property")
    stand_in.cached_property = functools.cached_property  # type: ignore[attr-defined]
    sys.modules["cached_property"] = stand_in
    try:
        import genanki  # noqa: F401
    except ImportError:  # it asked for another name: import it again, with the real package
        for name in [m for m in sys.modules if m == "genanki" or m.startswith("genanki.")]:
            del sys.modules[name]
    finally:
        if sys.modules.get("cached_property") is stand_in:
            del sys.modules["cached_property"]


_import_genanki()

import genanki  # noqa: E402
from genanki import apkg_col as genanki_apkg_col  # noqa: E402
from genanki import apkg_schema as genanki_apkg_schema  # noqa: E402

__all__ = ["genanki", "genanki_apkg_col", "genanki_apkg_schema"]
