"""`notedeck.toml`: which decks to build from which notes, and where to put them.

```toml
output = "output"                 # default folder for every deck (optional)

[[deck]]
name = "GopherCon 2024 Notes"     # Anki deck name; the file is output/<slug>.apkg
sources = ["examples/gophercon-2024-notes.txt"]   # files, folders or globs
output = "output"                 # optional, overrides the top-level one
tags = ["gophercon-2024"]         # optional
formats = ["apkg", "sheet-pdf"]   # optional: apkg, jsonl, sheet-pdf, sheet-html
layout = "table"                  # optional, for sheets: table, cards, quiz
paper = "a4"                      # optional: a4, letter
```
Unknown keys and wrong types are errors naming the key, the file and the line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import NotedeckError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAME = "notedeck.toml"
DEFAULT_OUTPUT = "output"
_TOP_KEYS = {"output": str, "deck": list}
_DECK_KEYS = {"name": str, "sources": list, "output": str, "tags": list, "formats": list, "layout": str,
              "paper": str}


@dataclass(frozen=True)
class DeckConfig:
    """One deck to build."""

    name: str
    """Anki deck name."""
    sources: tuple[str, ...]
    """Notes files, folders or globs, relative to `base`."""
    output: Path
    """Folder the deck's files are written to."""
    base: Path
    """Folder of the config file; sources are relative to it."""
    tags: tuple[str, ...] = ()
    """Tags added to every card."""
    formats: tuple[str, ...] = ()
    """Output formats (apkg, jsonl, sheet-pdf, sheet-html); empty = the command line's."""
    sheet: tuple[tuple[str, str], ...] = ()
    """Sheet settings (layout, paper)."""


def _line_of(text: str, key: str) -> int:
    """Best-effort line number of `key = ...` in the TOML text (1 when not found)."""
    m = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _check(table: dict[str, Any], schema: dict[str, type], where: str, path: Path, text: str) -> None:
    for key, value in table.items():
        if key not in schema:
            raise NotedeckError(f"{path}:{_line_of(text, key)}: unknown key {key!r} in {where}",
                                f"allowed keys: {', '.join(schema)}")
        if not isinstance(value, schema[key]):
            raise NotedeckError(
                f"{path}:{_line_of(text, key)}: {where}.{key} must be a {schema[key].__name__}, "
                f"not {type(value).__name__}", "fix the value's type")


def load(path: Path) -> list[DeckConfig]:
    """Read and validate a config file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise NotedeckError(f"cannot read {path}: {exc.strerror or exc}", "check the file") from exc
    except UnicodeDecodeError as exc:
        raise NotedeckError(f"{path}: not UTF-8 text", "save the config as UTF-8") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NotedeckError(f"{path}: invalid TOML: {exc}", "fix the syntax at the line shown") from exc
    _check(data, _TOP_KEYS, "the top level", path, text)
    base = path.resolve().parent
    default_output = data.get("output", DEFAULT_OUTPUT)
    decks = []
    for i, table in enumerate(data.get("deck", [])):
        where = f"[[deck]] #{i + 1}"
        if not isinstance(table, dict):
            raise NotedeckError(f"{path}: {where} must be a table", "write it as [[deck]]")
        _check(table, _DECK_KEYS, where, path, text)
        for key in ("name", "sources"):
            if key not in table:
                raise NotedeckError(f"{path}: {where} has no {key!r}", f"add {key} = ... to the deck")
        for key in ("sources", "tags", "formats"):
            if not all(isinstance(v, str) for v in table.get(key, [])):
                raise NotedeckError(f"{path}:{_line_of(text, key)}: {where}.{key} must be a list of strings",
                                    'write it like ["notes/", "more.md"]')
        decks.append(DeckConfig(
            name=table["name"], sources=tuple(table["sources"]),
            output=base / table.get("output", default_output), base=base,
            tags=tuple(table.get("tags", ())), formats=tuple(table.get("formats", ())),
            sheet=tuple((k, table[k]) for k in ("layout", "paper") if k in table),
        ))
    if not decks:
        raise NotedeckError(f"{path}: no [[deck]] defined", "add a [[deck]] table with name and sources")
    return decks


def find(start: Path) -> Path | None:
    """`notedeck.toml` in `start`, if there is one."""
    candidate = start / CONFIG_NAME
    return candidate if candidate.is_file() else None
