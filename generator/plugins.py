"""Named registries of readers, extractors and writers, and the plugins that extend them.

Built-ins register when their package is imported; third-party ones come from the entry-point
groups `notedeck.readers`, `notedeck.extractors` and `notedeck.writers`, loaded the first time a
registry is asked for its entries. A plugin that fails to load costs a one-line warning, never
the build.
"""

from __future__ import annotations

import copy as copy_mod
import functools
import hashlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from pkgutil import resolve_name
from typing import Any, Generic, TypeVar

from .errors import NotedeckError

T = TypeVar("T")
R = TypeVar("R", bound="Registry[Any]")


class RegistryError(NotedeckError, ValueError):
    """A name registered twice, or a plugin that gives nothing usable."""


@dataclass(frozen=True)
class Found:
    """One of notedeck's entry points an installed distribution declares."""

    group: str
    name: str
    value: str
    """What it names: `module` or `module:object.attribute`."""
    origin: str
    """Its distribution and version (else `value`), for the cache key (see `Registry.key`)."""

    def load(self) -> object:
        """Import what it names (as `importlib.metadata.EntryPoint.load` does)."""
        module, _, attrs = self.value.partition(":")
        found: object = importlib.import_module(module.strip())
        for attr in filter(None, attrs.split("[")[0].strip().split(".")):
            found = getattr(found, attr)
        return found


@functools.lru_cache(maxsize=4)
def _installed_entry_points(path: tuple[str, ...]) -> tuple[Found, ...]:
    """notedeck's entry points among those of every installed distribution, scanned once per
    import path (the three registries share one scan). Remembered in the cache folder with
    what the path's folders hold (`_installed`): importing `importlib.metadata` and reading
    every distribution's metadata took 45 ms of each build that extracts, and is done again
    only when a distribution was installed, removed or changed."""
    state = _installed(path)
    memo = _memo(path)
    try:
        kept = json.loads(memo.read_bytes())
        if isinstance(kept, dict) and kept.get("state") == state:
            return tuple(Found(*f) for f in kept["found"])
    except (OSError, ValueError, TypeError):
        pass
    from importlib import metadata

    installed = metadata.entry_points()  # (`SelectableGroups` before 3.12, `EntryPoints` after)
    found = tuple(Found(ep.group, ep.name, ep.value, _origin(ep))
                  for group in sorted(installed.groups) if group.startswith(_GROUPS)
                  for ep in installed.select(group=group))
    from .cache import store

    store(memo, json.dumps({"state": state, "found": [list(vars(f).values()) for f in found]}).encode())
    return found


def _origin(ep: Any) -> str:
    """An entry point's distribution and version, else what it names."""
    return f"{ep.dist.name} {ep.dist.version}" if ep.dist else ep.value


_GROUPS = "notedeck."
"""The prefix of notedeck's entry-point groups."""


def _installed(path: tuple[str, ...]) -> list[object]:
    """What `importlib.metadata` reads on the import path, as the file system states it: each
    folder's `.dist-info` and `.egg-info` entries with the times, size and inode of their
    entry-points file (an install, an upgrade, a removal or an edit of one changes them)."""
    state: list[object] = []
    for entry in path:
        try:
            with os.scandir(entry or ".") as listing:
                infos = sorted(e.name for e in listing if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip file, or nothing: its own times
            try:
                st = os.stat(entry)
                state.append([entry, st.st_mtime_ns, st.st_ctime_ns, st.st_size])
            except OSError:
                state.append([entry])
            continue
        for name in infos:
            try:
                st = os.stat(os.path.join(entry or ".", name, "entry_points.txt"))
                state.append([entry, name, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino])
            except OSError:
                state.append([entry, name])
    return state


def _memo(path: tuple[str, ...]) -> Path:
    """Where the scan of `path` is remembered (in the cache folder)."""
    from .cache import default_folder

    name = hashlib.sha256(json.dumps(path).encode()).hexdigest()[:32]
    return default_folder() / "plugins" / f"{name}.json"


def _entry_points(group: str, path: tuple[str, ...]) -> list[Found]:
    """The installed entry points of `group`."""
    return [found for found in _installed_entry_points(path) if found.group == group]


def importable_name(obj: object) -> str | None:
    """`module:qualname` of a function or class that importing it by that name gives back, so
    it can be named in a cache key and rebuilt in another process; None for a lambda or a
    function made inside another."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    name = f"{module}:{qualname}"
    try:
        return name if resolve_name(name) is obj else None
    except (ImportError, AttributeError, ValueError):
        return None


class Registry(Mapping[str, T], Generic[T]):
    """Entries by name, in registration order; a name is registered once.

    Reading it (`in`, `[]`, iterating) first loads the plugins of its entry-point group."""

    def __init__(self, kind: str, group: str, adapt: Callable[[str, object], T]) -> None:
        self.kind = kind
        """What an entry is, for messages: `extractor`, `output format`."""
        self.group = group
        """The entry-point group third-party entries come from."""
        self.adapt = adapt
        """Turns what a plugin's entry point names into an entry (TypeError when it cannot)."""
        self._entries: dict[str, T] = {}
        self.origins: dict[str, str] = {}
        """Plugin entries: name -> the distribution and version they came from."""
        self.problems: list[str] = []
        """One line per plugin that could not be loaded (each also printed as a warning)."""
        self._loaded = False

    def add(self, name: str, entry: T) -> T:
        """Register `entry` as `name`; a name taken already is an error."""
        if name in self._entries:
            raise self._twice(name)
        self._entries[name] = entry
        return entry

    def _twice(self, name: str) -> RegistryError:
        """The error for a second entry called `name`."""
        return RegistryError(f"{self.kind} {name!r} registered twice",
                             f"each {self.kind} needs a name of its own")

    def lookup(self, name: str) -> T:
        """The entry called `name`; an unknown name is a usage error listing the known ones."""
        if name not in self:
            raise NotedeckError(f"unknown {self.kind} {name!r}", f"known {self.kind}s: {', '.join(self)}")
        return self._entries[name]

    def __getitem__(self, name: str) -> T:
        self.load_plugins()
        return self._entries[name]

    def __setitem__(self, name: str, entry: T) -> None:
        """Swap the entry of a registered name (a test stubbing a writer); new names go
        through `add`, which refuses duplicates."""
        if name not in self:
            raise KeyError(name)
        self._entries[name] = entry

    def __iter__(self) -> Iterator[str]:
        self.load_plugins()
        return iter(list(self._entries))

    def __len__(self) -> int:
        self.load_plugins()
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.group}: {', '.join(self._entries)}>"

    def load_plugins(self) -> None:
        """Register the entries installed packages declare in this registry's entry-point group
        (once). The entry point's name is the entry's name; it names either a module or object
        that registers itself on import, or an object `adapt` turns into an entry."""
        if self._loaded:
            return
        self._loaded = True
        for ep in _entry_points(self.group, tuple(sys.path)):
            try:
                self._load(ep)
            except Exception as exc:  # a plugin's bug must not stop the build: one warning
                why = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
                problem = " ".join(f"plugin {ep.name!r} ({self.group} = {ep.value}) not loaded: {why}"
                                   .split())
                self.problems.append(problem)
                print(f"notedeck: warning: {problem}", file=sys.stderr)

    def _load(self, ep: Found) -> None:
        """Import one entry point and register what it names under its name."""
        had = self._entries.get(ep.name)
        loaded = ep.load()
        if ep.name not in self._entries:
            self.add(ep.name, self.adapt(ep.name, loaded))
        elif had is not None and loaded is not had and loaded is not self.function(had):
            raise self._twice(ep.name)
        self.origins[ep.name] = ep.origin

    def copy(self: R) -> R:
        """An independent copy, plugins loaded (a test adds to it without touching this one)."""
        self.load_plugins()
        new = copy_mod.copy(self)
        new._entries = dict(self._entries)
        new.origins = dict(self.origins)
        new.problems = list(self.problems)
        return new

    def function(self, entry: T) -> object:
        """The code behind an entry, for `key` (an entry may wrap its function with settings)."""
        return entry

    def key(self) -> str | None:
        """A stable text naming every entry by where it is imported from, and a plugin's by its
        distribution and version too: part of cache keys, so installing, upgrading or removing a
        plugin is a change. None when an entry is neither (a lambda made in a test): its results
        must not be cached."""
        named = []
        for name, entry in self.items():
            where, origin = importable_name(self.function(entry)), self.origins.get(name, "")
            if where is None and not origin:
                return None
            named.append([name, where or "", origin])
        return json.dumps([named, self._key_extra()], sort_keys=True)

    def portable(self) -> bool:
        """Whether every entry can be imported again by its module and name, so the registry
        pickles by reference: a worker process rebuilds it by importing them."""
        return all(importable_name(self.function(entry)) is not None for entry in self.values())

    def _key_extra(self) -> object:
        """What else a subclass keeps that changes what the entries do (for `key`)."""
        return None
