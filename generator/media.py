"""Images that cards show: only image files inside the notes folder become media.

An image reference in a note is a path the note's author chose, so it is checked like
untrusted input: no URL is fetched, nothing outside the notes folder, no dotfile or anything
under `.git/` (where CI keeps its checkout token), and only files that are images both by
their extension and by their first bytes. Everything else is refused with a warning.
"""

from __future__ import annotations

import base64
import hashlib
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

    def add(self, ref: str, notes_file: Path | None, where: str) -> str | None:
        """The media name for an image reference, or None (with a warning) when it cannot be used."""
        if URL.match(ref):
            self.warnings.append(f"{where}: image {ref} is a URL; notedeck never fetches, left as a link")
            return None
        base = notes_file.parent if notes_file is not None else Path.cwd()
        path = (base / ref).resolve()
        root = (self.root or base).resolve()
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
