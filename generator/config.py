"""`notedeck.toml` (or `[tool.notedeck]` in `pyproject.toml`): which decks to build, from what, how.

```toml
output = "output"                 # default folder for every deck (optional)

[[deck]]
name = "GopherCon 2024 Notes"     # Anki deck name ("Parent::Child" nests); file: output/<slug>.apkg
sources = ["examples/gophercon-2024-notes.txt"]   # files, folders or globs, relative to this file
output = "output"                 # optional, overrides the top-level one
tags = ["gophercon-2024"]         # optional, added to every card
formats = ["apkg", "sheet-pdf"]   # optional: apkg, jsonl, csv, sheet-pdf, sheet-html
layout = "table"                  # optional, for sheets: table, cards, quiz
paper = "a4"                      # optional: a4, letter
min_score = 0.4                   # optional: leave out cards the extractors are less sure of
extractors = { statement = false }   # optional: turn extractors off (or list the ones to run)
templates = "my-templates"        # optional: a folder of template overrides
reversed = true                   # optional: definition cards ask both ways
heading_tags = true               # optional: tag cards with their top heading
```
Unknown keys and wrong types are errors naming the key, the file and the line. Command-line
flags override the file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import NotedeckError


def _toml() -> Any:
    """The TOML parser, imported by the first config read (notes named on the command line
    need none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


CONFIG_NAME = "notedeck.toml"
PYPROJECT = "pyproject.toml"
DEFAULT_OUTPUT = "output"
_TOP_KEYS: dict[str, type | tuple[type, ...]] = {"output": str, "deck": list}
_DECK_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str, "sources": list, "output": str, "tags": list, "formats": list, "layout": str, "paper": str,
    "min_score": (int, float), "extractors": (list, dict), "templates": str, "reversed": bool,
    "heading_tags": bool,
}


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
    """Output formats (apkg, jsonl, csv, sheet-pdf, sheet-html); empty = the command line's."""
    sheet: tuple[tuple[str, str], ...] = ()
    """Sheet settings (layout, paper)."""
    min_score: float | None = None
    """Score floor for cards; None = the command line's."""
    extractors_on: tuple[str, ...] | None = None
    """Only these extractors run (None = all)."""
    extractors_off: tuple[str, ...] = ()
    """These extractors never run."""
    extractors_extra: tuple[str, ...] = ()
    """Extractors that run only when named (`speaker`), turned on by `{ speaker = true }`."""
    templates: Path | None = None
    """Folder of template overrides."""
    reversed: bool = False
    """Definition cards ask both ways."""
    heading_tags: bool = False
    """Cards are tagged with their top heading."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


MAX_DECK_NAME = 200
"""Longest deck name in characters: its file name (the slug) must fit the file system's 255 bytes."""


def check_deck_name(name: str, where: str = "") -> str:
    """`name`, or a one-line error (prefixed with `where`, a file and line) when it is blank, has a
    blank level between `::` or is too long: Anki showed such decks without a name, and the disk
    refused their file names."""
    if not name.strip():
        raise NotedeckError(f"{where}a deck name is blank", "give the deck a name, e.g. 'Biology::Cells'")
    if any(not part.strip() for part in name.split("::")):
        raise NotedeckError(f"{where}deck name {name!r} has a blank level between '::'",
                            "name each level, e.g. 'Biology::Cells'")
    if len(name) > MAX_DECK_NAME:
        raise NotedeckError(f"{where}deck name {name[:24]!r}… is {len(name):,} characters long",
                            f"shorten it to at most {MAX_DECK_NAME} characters")
    return name


_DECK_HEADER = re.compile(r"^\s*\[\[\s*(?:tool\.notedeck\.)?deck\s*\]\]", re.M)


def _line_of(text: str, key: str, deck: int | None = None) -> int:
    """Best-effort line number of `key = ...` in the TOML text: in the `deck`-th (0-based)
    `[[deck]]` table when given, else before the first one (1 when not found)."""
    headers = [m.start() for m in _DECK_HEADER.finditer(text)]
    if deck is None:
        start, end = 0, headers[0] if headers else len(text)
    else:
        start = headers[deck] if deck < len(headers) else 0
        end = headers[deck + 1] if deck + 1 < len(headers) else len(text)
    m = re.compile(rf"^\s*{re.escape(key)}\s*=", re.M).search(text, start, end)
    if m is None and deck is not None and deck < len(headers):
        return text.count("\n", 0, start) + 1  # the deck's header line
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _type_name(t: type | tuple[type, ...]) -> str:
    types = t if isinstance(t, tuple) else (t,)
    names = {"str": "string", "list": "list", "dict": "table", "bool": "true/false", "int": "number",
             "float": "number"}
    return " or ".join(dict.fromkeys(names.get(x.__name__, x.__name__) for x in types))


def _check(table: dict[str, Any], schema: dict[str, type | tuple[type, ...]], where: str, path: Path,
           text: str, deck: int | None = None) -> None:
    for key, value in table.items():
        if key not in schema:
            raise NotedeckError(f"{path}:{_line_of(text, key, deck)}: unknown key {key!r} in {where}",
                                f"allowed keys: {', '.join(schema)}")
        expected = schema[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and bool not in (
                expected if isinstance(expected, tuple) else (expected,))):
            raise NotedeckError(
                f"{path}:{_line_of(text, key, deck)}: {where}.{key} must be a {_type_name(expected)}, "
                f"not {type(value).__name__}", "fix the value's type")


def _strings(table: dict[str, Any], key: str, where: str, path: Path, text: str,
             deck: int | None = None) -> tuple[str, ...]:
    values = table.get(key, [])
    if not all(isinstance(v, str) for v in values):
        raise NotedeckError(f"{path}:{_line_of(text, key, deck)}: {where}.{key} must be a list of strings",
                            'write it like ["notes/", "more.md"]')
    return tuple(values)


def _extractors(table: dict[str, Any], where: str, path: Path, text: str,
                deck: int) -> tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]]:
    """A deck's `extractors`: a list (only these run), or a table of names turned off (`false`)
    and of opt-in ones turned on (`true`): (only these, off, on)."""
    value = table.get("extractors")
    if value is None:
        return None, (), ()
    line = _line_of(text, "extractors", deck)
    if isinstance(value, list):
        names = _strings(table, "extractors", where, path, text, deck)
    elif not all(isinstance(v, bool) for v in value.values()):
        raise NotedeckError(f"{path}:{line}: {where}.extractors values must be true or false",
                            "write it like { statement = false }")
    else:
        names = tuple(value)
    from .extractors import REGISTRY

    unknown = [n for n in names if n not in REGISTRY.extractors]
    if unknown:
        raise NotedeckError(f"{path}:{line}: {where}.extractors: unknown extractor {unknown[0]!r}",
                            f"known: {', '.join(REGISTRY.extractors)} (see notedeck extractors)")
    if isinstance(value, list):
        return names, (), ()
    return None, tuple(k for k, on in value.items() if not on), tuple(k for k, on in value.items() if on)


def _choices(table: dict[str, Any], where: str, path: Path, text: str, deck: int) -> None:
    """Values that must be one of a known set, or in a range."""
    from .options import LAYOUTS, PAPERS
    from .writers import FORMATS, is_format

    allowed: dict[str, Any] = {"formats": FORMATS, "layout": LAYOUTS, "paper": PAPERS}
    for key, known in allowed.items():
        values = table.get(key, [])
        for v in [values] if isinstance(values, str) else values:
            if not (is_format(v) if key == "formats" else v in known):
                raise NotedeckError(f"{path}:{_line_of(text, key, deck)}: {where}.{key}: unknown value {v!r}",
                                    f"use one of: {', '.join(known)}")
    score = table.get("min_score")
    if score is not None and not 0 <= score <= 1:
        raise NotedeckError(f"{path}:{_line_of(text, 'min_score', deck)}: {where}.min_score must be "
                            f"between 0 and 1, not {score}", "0 keeps every card; 0.5 the surer half")
    for key in ("name", "sources"):
        if key in table and not table[key]:
            raise NotedeckError(f"{path}:{_line_of(text, key, deck)}: {where}.{key} is empty",
                                f"give the deck a {'name' if key == 'name' else 'notes file or folder'}")


def parse(data: dict[str, Any], path: Path, text: str) -> list[DeckConfig]:
    """Validate a loaded config table (the file's top level, or `[tool.notedeck]`)."""
    _check(data, _TOP_KEYS, "the top level", path, text)
    base = path.resolve().parent
    default_output = data.get("output", DEFAULT_OUTPUT)
    decks = []
    for i, table in enumerate(data.get("deck", [])):
        where = f"[[deck]] #{i + 1}"
        if not isinstance(table, dict):
            raise NotedeckError(f"{path}: {where} must be a table", "write it as [[deck]]")
        _check(table, _DECK_KEYS, where, path, text, i)
        for key in ("name", "sources"):
            if key not in table:
                raise NotedeckError(f"{path}:{_line_of(text, 'name', i)}: {where} has no {key!r}",
                                    f"add {key} = ... to the deck")
        on, off, extra = _extractors(table, where, path, text, i)
        _choices(table, where, path, text, i)
        check_deck_name(table["name"], f"{path}:{_line_of(text, 'name', i)}: ")
        decks.append(DeckConfig(
            name=table["name"], sources=_strings(table, "sources", where, path, text, i),
            output=base / table.get("output", default_output), base=base,
            tags=_strings(table, "tags", where, path, text, i),
            formats=_strings(table, "formats", where, path, text, i),
            sheet=tuple((k, table[k]) for k in ("layout", "paper") if k in table),
            min_score=float(table["min_score"]) if "min_score" in table else None,
            extractors_on=on, extractors_off=off, extractors_extra=extra,
            templates=base / table["templates"] if "templates" in table else None,
            reversed=table.get("reversed", False), heading_tags=table.get("heading_tags", False),
        ))
    names = [d.name for d in decks]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise NotedeckError(f"{path}: two decks are named {dup!r}", "give every [[deck]] its own name")
    if not decks:
        raise NotedeckError(f"{path}: no [[deck]] defined", "add a [[deck]] table with name and sources")
    return decks


def refuse_shared_files(decks: Sequence[tuple[str, Path, Sequence[str]]], path: Path,
                        selected: Iterable[str], slug: Callable[[str], str]) -> None:
    """Refuse decks that would write the same file (`Bio::Cells` and `bio cells` both make
    `bio-cells.apkg`): one would silently overwrite the other. `decks`: each deck's name,
    output folder and file suffixes; only clashes involving a `selected` deck count."""
    chosen = set(selected)
    owners: dict[Path, str] = {}
    for name, output, suffixes in decks:
        for suffix in dict.fromkeys(suffixes):
            target = output.resolve() / f"{slug(name)}{suffix}"
            other = owners.setdefault(target, name)
            if other != name and (other in chosen or name in chosen):
                raise NotedeckError(f"{path}: decks {other!r} and {name!r} would both write {target.name} "
                                    f"in {output}", "rename one of them, or give it its own output folder")


def load(path: Path) -> list[DeckConfig]:
    """Read and validate a config file (`notedeck.toml`, or `[tool.notedeck]` of a pyproject.toml)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise NotedeckError(f"cannot read {path}: {exc.strerror or exc}", "check the file") from exc
    except UnicodeDecodeError as exc:
        raise NotedeckError(f"{path}: not UTF-8 text", "save the config as UTF-8") from exc
    toml = _toml()
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        where = re.search(r"\(at (?:line (\d+), column \d+|end of document)\)", str(exc))
        number = (where.group(1) or str(len(text.splitlines()) or 1)) if where else None
        line = f":{number}" if number else ""
        message = str(exc)[: where.start()].strip() if where else str(exc)
        raise NotedeckError(f"{path}{line}: invalid TOML: {message}",
                            "fix the syntax at the line shown") from exc
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("notedeck")
        if not isinstance(data, dict):
            raise NotedeckError(f"{path}: no [tool.notedeck] table", "add one, or use a notedeck.toml")
    return parse(data, path, text)


def listed(names: list[str]) -> str:
    """Deck names for a hint: `'A', 'B'`."""
    return ", ".join(repr(n) for n in names)


def check_deck_or_path(args: list[str], names: list[str], cfg: Path, here: Path) -> None:
    """Arguments that are neither a configured deck nor a notes path (nor a glob) are an error
    listing the configured decks: `notedeck build K8z` means a deck more often than a file."""
    for arg in args:
        if arg not in names and not (here / arg).exists() and not any(c in arg for c in "*?["):
            raise NotedeckError(f"no deck named {arg!r} in {cfg.name}, and no such file or folder",
                                f"the configured decks are {listed(names)}; or pass a notes file or folder")


def find(start: Path) -> Path | None:
    """`notedeck.toml` in `start`, else a `pyproject.toml` there with a `[tool.notedeck]` table."""
    candidate = start / CONFIG_NAME
    if candidate.is_file():
        return candidate
    pyproject = start / PYPROJECT
    if pyproject.is_file():
        toml = _toml()
        try:
            data = toml.loads(pyproject.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, toml.TOMLDecodeError):
            return None
        if isinstance(data.get("tool", {}).get("notedeck"), dict):
            return pyproject
    return None
