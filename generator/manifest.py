"""`manifest.json` in the output folder: what a build produced, so a release can be verified.

Per deck: card counts by note type and every file written with its sha256 and size; for the
build: the notedeck version and the notes' git revision. Decks built earlier into the same
folder stay listed (re-hashed) as long as their files exist, and so do a rebuilt deck's files
in formats not built this time, so building one configured deck or one format forgets
nothing. The manifest holds no clock time: two builds of the same notes
write the same manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from . import __version__
from .cards import REMOVED_TAG, Card
from .freshness import MANIFEST_NAME
from .staging import Staging


@dataclass(frozen=True)
class DeckEntry:
    """One deck's line in the manifest."""

    name: str
    cards: Sequence[Card]
    paths: Sequence[Path]
    sources: int
    by_type: dict[str, int] = field(default_factory=dict)
    """Cards by type counted beforehand (a patched deck has no card list), added to `cards`'."""


def file_entry(path: Path, folder: Path, content: Path | None = None) -> dict[str, object]:
    """A written file: its path relative to the manifest, sha256 and size in bytes (of
    `content`, where its bytes are until they move into place, when given)."""
    content = content or path
    digest = hashlib.sha256()
    with content.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    try:
        shown = path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        shown = path.resolve().as_posix()
    return {"path": shown, "sha256": digest.hexdigest(), "size": content.stat().st_size}


def deck_entry(entry: DeckEntry, folder: Path, staging: Staging | None = None) -> dict[str, object]:
    """The manifest's record of one deck."""
    removed = [c for c in entry.cards if REMOVED_TAG in c.tags]
    by_type = Counter(c.type for c in entry.cards if REMOVED_TAG not in c.tags) + Counter(entry.by_type)
    return {
        "name": entry.name,
        "cards": sum(by_type.values()),
        "cards_by_type": dict(sorted(by_type.items())),
        "removed_cards": len(removed),
        "notes_files": entry.sources,
        "files": [file_entry(p, folder, staging.staged(p) if staging else None) for p in sorted(entry.paths)],
    }


def _earlier_decks(target: Path, folder: Path, staging: Staging) -> dict[str, dict[str, object]]:
    """The decks of a previous manifest in `folder` by name, re-hashed; missing files dropped
    (and decks left with none)."""
    try:
        old = json.loads(target.read_text(encoding="utf-8"))
        decks = [d for d in old.get("decks", []) if isinstance(d, dict) and isinstance(d.get("name"), str)]
    except (OSError, ValueError, AttributeError):
        return {}
    kept = {}
    for d in decks:
        files = [folder / f["path"] for f in d.get("files", []) if isinstance(f, dict) and "path" in f]
        existing = [p for p in files if p.is_file()]
        if existing:
            kept[d["name"]] = {**d, "files": [file_entry(p, folder, staging.staged(p)) for p in existing]}
    return kept


def _with_earlier_files(entry: dict[str, object], earlier: dict[str, object] | None) -> dict[str, object]:
    """A rebuilt deck's entry, still listing its files in the formats not built this time
    (`build --format csv` leaves the deck's .apkg where it is, so the manifest keeps it)."""
    files = list(cast("list[dict[str, object]]", entry["files"]))
    written = {f["path"] for f in files}
    earlier_files = cast("list[dict[str, object]]", (earlier or {}).get("files", []))
    more = [f for f in earlier_files if f["path"] not in written]
    if not more:
        return entry
    return {**entry, "files": sorted([*files, *more], key=lambda f: str(f["path"]))}


def write_manifest(folder: Path, decks: Sequence[DeckEntry], revision: str | None, staging: Staging) -> Path:
    """Stage `folder/manifest.json` (new, or updated) for the decks just built there: it moves
    into place with them (see `staging.py`), their hashes taken from the staged files."""
    target = folder / MANIFEST_NAME
    earlier = _earlier_decks(target, folder, staging)
    fresh = [_with_earlier_files(deck_entry(d, folder, staging), earlier.pop(d.name, None)) for d in decks]
    entries = [*earlier.values(), *fresh]  # every deck built into the folder stays listed
    data = {
        "notedeck": __version__,
        "revision": revision,
        "decks": sorted(entries, key=lambda d: str(d["name"])),
    }
    staging.text(target, lambda: [json.dumps(data, indent=2, ensure_ascii=False) + "\n"])
    return target

