"""Whether a deck's outputs are current, so an unchanged rebuild writes nothing.

After a build, a stamp in the cache folder records, per deck and output folder, a digest of
everything the outputs were made from (notedeck version, templates, options, every notes
file's bytes, the deck's part of the lock file as written), the images the writers looked for, and the sha256
of each file written. A later build whose inputs give the same digest, whose images are
unchanged and whose outputs are still those files, is up to date: nothing is read, extracted
or written. Any doubt (a missing or unreadable stamp, a changed byte) means a real build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import store
from .templating import default_template_dir

MANIFEST_NAME = "manifest.json"


def file_sha256(path: Path) -> str | None:
    """The sha256 of a file's bytes (read in chunks), or None when it cannot be read."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def folder_digest(folder: Path) -> str:
    """A digest of every file under `folder` (names and bytes): a template folder's state."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\x00")
        h.update((file_sha256(path) or "").encode())
    return h.hexdigest()


def inputs_digest(*, deck: str, files: Mapping[str, str], options: Mapping[str, object],
                  template_dirs: Sequence[Path], lock: bytes | None) -> str:
    """The digest of what one deck's outputs are made from; `files` maps each notes file's
    name to its content digest, `lock` is the lock file's bytes (None: not used)."""
    parts = {
        "notedeck": __version__,
        "deck": deck,
        "files": sorted(files.items()),
        "options": {k: str(v) for k, v in sorted(options.items())},
        "templates": [folder_digest(d) for d in (default_template_dir(), *map(Path, template_dirs))],
        "lock": hashlib.sha256(lock).hexdigest() if lock is not None else None,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass
class Stamp:
    """What a deck's last build was made from and wrote."""

    inputs: str
    outputs: dict[str, str]
    """Each file written (absolute path) -> its sha256."""
    images: dict[str, str | None] = field(default_factory=dict)
    cards: int = 0
    files: int = 0
    warnings: list[str] = field(default_factory=list)
    suggestions: int = 0


def build_path(cache: Path, deck: str, output: Path, suffix: str) -> Path:
    """Where the cache keeps something about the build of `deck` into `output`."""
    name = hashlib.sha256(f"{output.resolve()}\x00{deck}".encode()).hexdigest()[:32]
    return cache / "builds" / f"{name}{suffix}"


class Stamps:
    """The stamps kept in the cache folder (None: never up to date, nothing kept)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, deck: str, output: Path) -> Path:
        assert self.folder is not None
        return build_path(self.folder, deck, output, ".json")

    def kept(self, deck: str, output: Path) -> bool:
        """Whether a stamp of `deck` in `output` is kept (without one, nothing is current: a
        first build need not read its notes to learn that)."""
        return self.folder is not None and self._path(deck, output).is_file()

    def current(self, deck: str, output: Path, inputs: str) -> Stamp | None:
        """The stamp of `deck` in `output` when its outputs are current for `inputs`, else None."""
        if self.folder is None:
            return None
        try:
            data = json.loads(self._path(deck, output).read_text(encoding="utf-8"))
            stamp = Stamp(**data)
        except (OSError, ValueError, TypeError):
            return None
        if stamp.inputs != inputs or not stamp.outputs:
            return None
        for image, digest in stamp.images.items():
            if file_sha256(Path(image)) != digest:
                return None
        for path, digest in stamp.outputs.items():
            if _output_digest(Path(path), deck) != digest:
                return None
        manifests = [Path(p) for p in stamp.outputs if Path(p).name == MANIFEST_NAME]
        if not all(_manifest_accurate(m, stamp.outputs) for m in manifests):
            return None
        return stamp

    def record(self, deck: str, output: Path, stamp: Stamp) -> None:
        """Remember a build (a cache that cannot be written is skipped: it is only a cache)."""
        if self.folder is None:
            return
        store(self._path(deck, output), json.dumps(stamp.__dict__, indent=1, sort_keys=True).encode("utf-8"))

    def forget(self, deck: str, output: Path) -> None:
        """Drop a stamp (its outputs are being rewritten)."""
        if self.folder is not None:
            with contextlib.suppress(OSError):  # only a cache: an unwritable one is no error
                self._path(deck, output).unlink(missing_ok=True)


def _manifest_accurate(path: Path, checked: dict[str, str]) -> bool:
    """Whether every file a manifest lists (other decks' too) is still as it says; if not,
    the build must run to bring the manifest up to date. Files in `checked` (path -> sha256,
    just verified) are not hashed again."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        listed = [f for d in data["decks"] for f in d["files"]]
        return all(f["sha256"] == (checked.get(str((path.parent / f["path"]).resolve()))
                                   or file_sha256(path.parent / f["path"])) for f in listed)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def recorded_outputs(paths: Sequence[Path], deck: str) -> dict[str, str]:
    """The stamp's record of the files `deck`'s build wrote (see `_output_digest`)."""
    return {str(p.resolve()): _output_digest(p, deck) or "" for p in paths}


def _output_digest(path: Path, deck: str) -> str | None:
    """A written file's sha256; for a manifest, the digest of `deck`'s entry alone: building
    another deck into the same folder rewrites the manifest, and must not make this deck look
    out of date. None when it cannot be read (or the manifest lists no such deck)."""
    if path.name != MANIFEST_NAME:
        return file_sha256(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        [entry] = [d for d in data["decks"] if isinstance(d, dict) and d.get("name") == deck]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return "deck:" + hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
