"""genanki, imported for the Anki writer without the asyncio and YAML it does not use.

genanki takes its `cached_property` from the package of that name, which imports asyncio (and
with it ssl) to serve coroutines: 60 ms of every build that writes a package, for two plain
cached properties; `functools.cached_property` stands in for it while genanki is imported.
It imports PyYAML (25 ms) to read note types given as YAML text, which notedeck never gives:
a stand-in imports PyYAML only if genanki ever reads one.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types


def _yaml(name: str) -> object:
    """An attribute of the real PyYAML, imported on first use (the stand-in's `__getattr__`)."""
    return getattr(importlib.import_module("yaml"), name)


def _import_genanki() -> None:
    """Import genanki with the stand-ins (nothing to do when it, or a package they stand in
    for, is imported already). Should this genanki want more of `cached_property`, it is
    imported again with the real packages; the stand-ins leave `sys.modules` once genanki is in."""
    if any(name in sys.modules for name in ("genanki", "cached_property", "yaml")):
        return
    stand_ins = {name: types.ModuleType(name) for name in ("cached_property", "yaml")}
    stand_ins["cached_property"].cached_property = functools.cached_property  # type: ignore[attr-defined]
    stand_ins["yaml"].__getattr__ = _yaml  # type: ignore[method-assign]
    sys.modules.update(stand_ins)
    try:
        import genanki  # noqa: F401
    except ImportError:  # it asked for another name: import it again, with the real packages
        for name in [m for m in sys.modules if m == "genanki" or m.startswith("genanki.")]:
            del sys.modules[name]
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


_import_genanki()

import genanki  # noqa: E402
from genanki import apkg_col as genanki_apkg_col  # noqa: E402
from genanki import apkg_schema as genanki_apkg_schema  # noqa: E402

__all__ = ["genanki", "genanki_apkg_col", "genanki_apkg_schema"]
