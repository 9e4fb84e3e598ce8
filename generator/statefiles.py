"""Type checks of the state files people edit by hand (`notedeck.lock`, `notedeck.review.yaml`).

Both files are meant to be read and edited, so a wrong value (`"changed": "yesterday"`,
`"guid": 5`, `deck: null`) is bad input, not a bug: it must be reported as the file and line
it is on (exit 2), before anything uses it, rather than crash a build later (exit 3). The
line is only looked for once something is wrong, so a sound file is parsed once.
"""

from __future__ import annotations

import json
import re
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

LOCK_FIELDS: dict[str, type] = {
    "guid": str, "deck": str, "type": str, "question": str, "answer": str, "path": str,
    "digest": str, "changed": int, "removed": int, "context": str, "tags": list,
}
"""The type of each field of a lock entry (`lock.Entry`)."""
_LOCK_REQUIRED = ("guid", "deck", "type", "question", "answer", "path", "digest", "changed")
_WHAT = {str: "text", int: "a whole number (Unix time)", list: "a list of text"}


class BadEntry(ValueError):
    """A wrong value in a state file: under `key`, in its entry number `index` (None: the
    key's value itself)."""

    def __init__(self, key: str, index: int | None, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.index = index


def check_lock(data: dict) -> None:
    """Raise BadEntry unless `data` (a parsed lock file) has the types a lock has."""
    types = data.get("note_types")
    if types is not None:
        if not isinstance(types, dict):
            raise BadEntry("note_types", None, "`note_types` must be an object")
        for name, known in types.items():
            if not isinstance(known, dict) or not isinstance(known.get("digest", ""), str) \
                    or not _is_int(known.get("changed", 0)):
                raise BadEntry("note_types", None, f"note type {name!r} must be "
                               '{"digest": text, "changed": a whole number}')
    cards = data.get("cards", [])
    if not isinstance(cards, list):
        raise BadEntry("cards", None, "`cards` must be a list of card entries")
    for i, entry in enumerate(cards):
        if not isinstance(entry, dict):
            raise BadEntry("cards", i, "a card entry must be an object {\"guid\": ...}")
        for key in _LOCK_REQUIRED:
            if key not in entry:
                raise BadEntry("cards", i, f"card entry without {key!r}")
        for key, value in entry.items():
            kind = LOCK_FIELDS.get(key)
            if kind is None:
                raise BadEntry("cards", i, f"unknown key {key!r} (known: {', '.join(LOCK_FIELDS)})")
            ok = _is_int(value) if kind is int else isinstance(value, kind)
            if kind is list and ok:
                ok = all(isinstance(t, str) for t in value)
            if not ok:
                raise BadEntry("cards", i, f"{key!r} must be {_WHAT[kind]}, not {value!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def json_line(text: str, key: str, index: int | None) -> int | None:
    """The line of a JSON file where top-level `key`'s entry `index` starts (or the key, when
    `index` is None or the entries cannot be walked)."""
    m = re.search(rf'"{re.escape(key)}"\s*:\s*', text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    pos = m.end()
    if index is None or not text.startswith("[", pos):
        return line
    decoder = json.JSONDecoder()
    pos += 1
    try:
        for i in range(index + 1):
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if i == index:
                return text.count("\n", 0, pos) + 1
            _, pos = decoder.raw_decode(text, pos)
    except ValueError:
        pass
    return line


def review_texts(entry: object, kind: type, key: str, index: int) -> dict[str, Any]:
    """A review file entry's values as the dataclass `kind` wants them: text as text (a
    hand-written `edited_answer: 1859` is the text "1859"), tags as a list of text. Raises
    BadEntry for a missing or null required value, a mapping or list where text belongs, or
    an unknown key."""
    if not isinstance(entry, dict):
        raise BadEntry(key, index, f"`{key}:` must be a list of entries (`- guid: ...`)")
    known = {f.name: f for f in fields(kind)}
    unknown = sorted(set(entry) - set(known))
    if unknown:
        raise BadEntry(key, index, f"unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    out: dict[str, Any] = {}
    for name, f in known.items():
        required = f.default is MISSING and f.default_factory is MISSING
        value = entry.get(name)
        if value is None:
            if required:
                raise BadEntry(key, index, f"entry without {name!r}" if name not in entry
                               else f"{name!r} is empty")
            continue
        if name == "tags":
            tags = value if isinstance(value, list) else [value]
            if not all(_scalar(t) for t in tags):
                raise BadEntry(key, index, f"'tags' must be a list of text, not {value!r}")
            out[name] = [str(t) for t in tags]
        elif not _scalar(value):
            raise BadEntry(key, index, f"{name!r} must be text, not {value!r}")
        else:
            out[name] = str(value)
    return out


def _scalar(value: object) -> bool:
    return not isinstance(value, (dict, list, set, tuple)) and value is not None


def yaml_line(text: str, key: str, index: int | None) -> int | None:
    """The line of a YAML file where top-level `key`'s entry `index` starts (or the key)."""
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for k, v in root.value:
        if getattr(k, "value", None) != key:
            continue
        if index is not None and isinstance(v, yaml.SequenceNode) and index < len(v.value):
            return int(v.value[index].start_mark.line) + 1
        return int(k.start_mark.line) + 1
    return None


def read_bytes(path: Path | None) -> bytes | None:
    """A lock or review file's bytes (empty when missing), or None when not used."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return b""
