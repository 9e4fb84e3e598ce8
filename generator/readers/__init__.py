"""Readers: notes text in, `Document` out; one module per format, chosen by suffix or content."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import NotedeckError
from ..outline import Document
from . import markdown, org, plaintext

Reader = Callable[[str, str], Document]

READERS: dict[str, Reader] = {
    "text": plaintext.parse,
    "markdown": markdown.parse,
    "org": org.parse,
}
SUFFIXES: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".org": "org",
}
# Suffixes that are notes when found in a folder; any file named explicitly is read.
NOTE_SUFFIXES = frozenset({*SUFFIXES, ".txt", ".text", ".outline"})

_MD_SIGNS = [
    re.compile(r"^#{1,6}[ \t]+\S", re.M),  # ATX heading
    re.compile(r"^```|^~~~", re.M),  # fence
    re.compile(r"^\S.*\n(=+|-+)[ \t]*$", re.M),  # setext heading
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # link (a URL has no spaces: not Go's `[T any](s []T)`)
    re.compile(r"^---[ \t]*\n(?:[\w-]+:.*\n)+---[ \t]*$", re.M),  # front matter
]
_ORG_SIGNS = [
    re.compile(r"^#\+(TITLE|BEGIN_SRC|BEGIN_QUOTE|BEGIN_EXAMPLE|STARTUP|OPTIONS|AUTHOR)\b", re.M | re.I),
    re.compile(r"^\*{2,}[ \t]+\S", re.M),  # `** sub-heading` (Markdown bullets never do this)
    re.compile(r"^[ \t]*:PROPERTIES:[ \t]*$", re.M),
    re.compile(r"^\*+[ \t]+(TODO|DONE)\b", re.M),
]


# Bullets no Markdown or Org file uses: a file full of them is a plain-text outline.
_TEXT_BULLETS = re.compile(r"^[ \t]*[•◦▪▫‣∙●○■□➢➤►▸▹][ \t]", re.M)
_STRONG_MD_SIGNS = _MD_SIGNS[:2]  # ATX headings and fences are unmistakable


def sniff(text: str) -> str:
    """Guess the format of notes whose suffix says nothing: `markdown`, `org` or `text`."""
    sample = text[:200_000]
    md = sum(1 for sign in _MD_SIGNS if sign.search(sample))
    if len(_TEXT_BULLETS.findall(sample)) >= 3 and not any(s.search(sample) for s in _STRONG_MD_SIGNS):
        return "text"
    org_score = sum(1 for sign in _ORG_SIGNS if sign.search(sample))
    if org_score and org_score >= md:
        return "org"
    return "markdown" if md else "text"


def detect_format(path: Path, text: str) -> str:
    """The reader for `path`: by suffix (.md, .org), else by sniffing the content."""
    return SUFFIXES.get(path.suffix.lower()) or sniff(text)


def decode(data: bytes, path: Path) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (BOM dropped), else Windows-1252 with a warning."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        warning = (f"{path}: not valid UTF-8 (byte {exc.start}); read as Windows-1252 "
                   "(save the file as UTF-8 to silence this)")
        return data.decode("cp1252", errors="replace"), [warning]


def read_text(text: str, path: str, fmt: str | None = None) -> Document:
    """Parse already-decoded notes; `fmt` forces a reader, else it is chosen from path/content."""
    fmt = fmt or detect_format(Path(path), text)
    if fmt not in READERS:
        raise NotedeckError(f"unknown notes format {fmt!r}", f"use one of {', '.join(READERS)}")
    return READERS[fmt](text.removeprefix("\ufeff").replace("\x00", ""), path)


def read_file(path: Path, display: str | None = None) -> tuple[Document, list[str]]:
    """Read and parse one notes file; returns the document and any warnings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotedeckError(f"cannot read {path}: {exc.strerror or exc}",
                            "check the path and its permissions") from exc
    text, warnings = decode(data, path)
    return read_text(text, display or str(path)), warnings
