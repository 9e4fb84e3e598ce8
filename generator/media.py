"""Images that cards show: only image files inside the notes folder become media.

An image reference in a note is a path the note's author chose, so it is checked like
untrusted input: no URL is fetched, nothing outside the notes folder, no dotfile or anything
under `.git/` (where CI keeps its checkout token), and only files that are images both by
their extension and by their first bytes. Everything else is refused with a warning.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NotedeckError
from .safe_read import MAX_IMAGE_BYTES, Refused, hidden_part, read_inside

URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
"""A reference with a scheme (`https:`, `data:`, `file:`) or a network path (`//host/x`)."""

# Extension -> (MIME type, how the file's bytes start).
IMAGE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".apng": ("image/apng", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".bmp": ("image/bmp", (b"BM",)),
    ".avif": ("image/avif", (b"",)),  # checked by its `ftyp` box below
    ".svg": ("image/svg+xml", (b"",)),  # checked as text below
}


def image_kind(name: str, data: bytes) -> str | None:
    """The MIME type of an image file whose extension and first bytes agree, else None."""
    suffix = Path(name).suffix.lower()
    if suffix not in IMAGE_TYPES:
        return None
    mime, magics = IMAGE_TYPES[suffix]
    if suffix == ".webp":
        ok = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    elif suffix == ".avif":
        ok = data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis")
    elif suffix == ".svg":
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        ok = b"\x00" not in head and head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) \
            and b"<svg" in head
    else:
        ok = data.startswith(magics)
    return mime if ok else None


class Vault:
    """The files under a notes folder (no hidden ones, no linked folders), listed on first use,
    to find an Obsidian embed by its name or the end of its path."""

    def __init__(self) -> None:
        self._files: dict[Path, list[tuple[str, ...]]] = {}

    def find(self, ref: str, near: Path, root: Path) -> Path | None:
        """The file `ref` names under `root` (its path ends with `ref`), the one nearest the
        folder `near` when several do (then the first by path): Obsidian's shortest-path rule."""
        want = tuple(p for p in ref.replace("\\", "/").split("/") if p not in ("", "."))
        if not want or ".." in want:
            return None
        hits = [parts for parts in self._listing(root) if parts[-len(want):] == want]
        if not hits:
            return None
        try:
            here = near.relative_to(root).parts
        except ValueError:
            here = ()

        def distance(parts: tuple[str, ...]) -> int:
            folder = parts[:-1]
            common = 0
            while common < min(len(folder), len(here)) and folder[common] == here[common]:
                common += 1
            return len(folder) + len(here) - 2 * common

        best = min(hits, key=lambda parts: (distance(parts), parts))
        return root.joinpath(*best)

    def _listing(self, root: Path) -> list[tuple[str, ...]]:
        if root not in self._files:
            files: list[tuple[str, ...]] = []
            for folder, subfolders, names in os.walk(root):  # linked folders are not followed
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                at = Path(folder).relative_to(root).parts
                files.extend((*at, n) for n in sorted(names) if not n.startswith("."))
            self._files[root] = files
        return self._files[root]


@dataclass
class Media:
    """Images found in card text, stored under content-hash names (no basename collisions)."""

    root: Path | None
    """Folder the notes live in: an image outside it is refused."""
    embed: bool = False
    """Return `data:` URIs (self-contained HTML) instead of package media names."""
    files: dict[str, Path] = field(default_factory=dict)
    """Media name in the package -> file on disk."""
    warnings: list[str] = field(default_factory=list)
    """Missing or refused images, as `file:line: message`."""
    seen: dict[str, str | None] = field(default_factory=dict)
    """Every image file looked for -> a digest of its bytes, or None when missing (a later
    build is current only if none of these changed)."""
    looked: list[tuple[str, str | None]] = field(default_factory=list)
    """Each image looked for, in order, as (file, its media name or None): which card used
    which (`files` and `seen` keep each file once)."""
    _vault: Vault = field(default_factory=lambda: Vault(), repr=False)
    """The files under the notes folder, listed once when an Obsidian embed needs them."""

    def read(self, name: str) -> bytes:
        """The bytes of media `name`, checked again as they are packed: still a regular image
        file inside the notes folder, with the content its name was made from."""
        path = self.files[name]
        roots = (self.root,) if self.root is not None else ()
        try:
            data = read_inside(path, roots, MAX_IMAGE_BYTES)
        except (Refused, OSError) as exc:
            raise NotedeckError(f"image {path} can no longer be read: {exc}",
                                "do not change images while a build runs") from exc
        if not name.startswith(f"nd-{hashlib.sha256(data).hexdigest()[:20]}") \
                or image_kind(path.name, data) is None:
            raise NotedeckError(f"image {path} changed while the build ran",
                                "build again once the images are in place")
        return data

    def add(self, ref: str, notes_file: Path | None, where: str, *, wiki: bool = False) -> str | None:
        """The media name for an image reference, or None (with a warning) when it cannot be used.
        `wiki`: an Obsidian embed (`![[name.png]]`), found anywhere under the notes folder when
        it is not beside the note, as Obsidian finds it."""
        if URL.match(ref):
            self.warnings.append(f"{where}: image {ref} is a URL; notedeck never fetches, left as a link")
            return None
        base = notes_file.parent if notes_file is not None else Path.cwd()
        path = (base / ref).resolve()
        root = (self.root or base).resolve()
        if wiki and not path.exists():
            found = self._vault.find(ref, base.resolve(), root)
            if found is not None:
                self.seen[str(path)] = None  # one put beside the note later takes its place
                path = found
        if not path.is_relative_to(root):
            self.warnings.append(f"{where}: image {ref} is outside the notes folder {root}; refused")
            return None
        hidden = hidden_part(path, root)
        if hidden is not None:
            self.warnings.append(f"{where}: image {ref} is under the hidden {hidden}; refused "
                                 "(dotfiles and .git are never media)")
            return None
        if not path.exists():
            self.seen[str(path)] = None
            self.looked.append((str(path), None))
            self.warnings.append(f"{where}: image {ref} not found")
            return None
        try:
            data = read_inside(path, (root,), MAX_IMAGE_BYTES)
        except (Refused, OSError) as exc:
            self.warnings.append(f"{where}: image {ref} refused: {exc}")
            return None
        digest = hashlib.sha256(data).hexdigest()
        self.seen[str(path)] = digest  # a later build is current only if this stays as it is
        kind = image_kind(path.name, data)
        if kind is None:
            self.looked.append((str(path), None))
            self.warnings.append(f"{where}: image {ref} refused: not an image file "
                                 f"(images are {', '.join(sorted(IMAGE_TYPES))})")
            return None
        if self.embed:
            self.looked.append((str(path), None))
            return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
        name = f"nd-{digest[:20]}{path.suffix.lower()}"
        self.files[name] = path
        self.looked.append((str(path), name))
        return name
