"""Readers: notes text in, `Document` out; one module per format, chosen by suffix or content
(registered in `READERS`, see `registry.py`)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import NotedeckError
from ..outline import Document
from ..suffixes import MARKDOWN_SUFFIXES, ORG_SUFFIXES
from . import markdown, org, plaintext
from .registry import (  # noqa: F401 (readers, plugins and callers import these from here)
    READERS,
    SNIFFED_SUFFIXES,
    NoteSuffixes,
    Parse,
    Reader,
    ReaderRegistry,
    reader,
)

READERS.add("text", Reader(plaintext.parse))
READERS.add("markdown", Reader(markdown.parse, MARKDOWN_SUFFIXES, markdown.declared_title))
READERS.add("org", Reader(org.parse, ORG_SUFFIXES, org.declared_title))

NOTE_SUFFIXES = NoteSuffixes()
"""Suffixes that are notes when found in a folder; any file named explicitly is read."""

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
    return READERS.by_suffix(path.suffix) or sniff(text)


class NotText(NotedeckError):
    """A file among the notes that is not text (an image, a PDF): skipped, with a warning."""


_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
          b"%PDF": "a PDF", b"PK\x03\x04": "a zip archive", b"\x7fELF": "a program",
          b"\x1f\x8b": "a gzip archive", b"SQLite format 3\x00": "a database", b"RIFF": "a media file",
          b"OggS": "a media file", b"ID3": "an MP3", b"\x00\x00\x01\x00": "an icon"}
# Control bytes that never occur in text (tab, newlines, form feed and escape do).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_TEXT = bytes(b for b in range(256) if b not in _CONTROL)


def binary_kind(data: bytes) -> str | None:
    """What a non-text file is (`a PNG image`), or None for text. Text may hold a stray NUL;
    binary data is recognised by its signature or by many control bytes at its start."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text: NUL bytes everywhere, but text
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return "binary data" if sample and controls > len(sample) * 0.1 else None


def decode(data: bytes, path: Path) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (BOM dropped), UTF-16 with a BOM, else Windows-1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        warning = (f"{path}: not valid UTF-8 (byte {exc.start}); read as Windows-1252 "
                   "(save the file as UTF-8 to silence this)")
        return data.decode("cp1252", errors="replace"), [warning]


def read_text(text: str, path: str, fmt: str | None = None) -> Document:
    """Parse already-decoded notes; `fmt` forces a reader, else it is chosen from path/content."""
    parse = READERS.lookup(fmt or detect_format(Path(path), text)).parse
    return parse(text.removeprefix("\ufeff").replace("\x00", ""), path)


def read_file(path: Path, display: str | None = None) -> tuple[Document, list[str]]:
    """Read and parse one notes file; returns the document and any warnings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotedeckError(f"cannot read {path}: {exc.strerror or exc}",
                            "check the path and its permissions") from exc
    return parse_bytes(data, path, display)


def parse_bytes(data: bytes, path: Path, display: str | None = None) -> tuple[Document, list[str]]:
    """Parse the bytes of notes file `path` (already read, e.g. to hash them)."""
    text, warnings = notes_text(data, path, display)
    return read_text(text, display or str(path)), warnings


def notes_text(data: bytes, path: Path, display: str | None = None) -> tuple[str, list[str]]:
    """The text `parse_bytes` reads from the bytes of notes file `path`, with its warnings;
    raises NotText for what is no text."""
    kind = binary_kind(data)
    if kind is not None:
        raise NotText(f"{display or path}: skipped, not a text file ({kind})",
                      "notedeck reads .md, .org and .txt notes")
    text, warnings = decode(data, path)
    text, long_lines = drop_long_lines(text)
    warnings += [f"{display or path}:{n}: a line of {size:,} characters (pasted data?) was left out"
                 for n, size in long_lines]
    return text, warnings


def declared_title(data: bytes, path: Path) -> str:
    """The title notes file `path` declares for itself, on one line: Markdown front matter
    `title:` or Org `#+TITLE:` ('' for none, for plain text, and for what is not text). A
    first heading is no declared title. Read from the few lines that can hold it, not a whole
    parse: it is asked before every build (a large file takes seconds to parse)."""
    if binary_kind(data) is not None:
        return ""
    text, _ = decode(data, path)
    text = drop_long_lines(text)[0].removeprefix("\ufeff").replace("\x00", "")
    title = READERS.lookup(detect_format(path, text)).declared_title
    return " ".join(title(text).split()) if title is not None else ""


MAX_LINE_CHARS = 20_000
"""Longer lines are not notes anyone studies (minified code, base64, logs): left out, so a
10 MB line costs nothing."""


def drop_long_lines(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` with every line over `MAX_LINE_CHARS` emptied (line numbers stay right), and
    the (line number, length) of each."""
    if len(text) <= MAX_LINE_CHARS:
        return text, []
    lines = text.split("\n")
    long_lines = [(i + 1, len(line)) for i, line in enumerate(lines) if len(line) > MAX_LINE_CHARS]
    if not long_lines:
        return text, []
    for n, _ in long_lines:
        lines[n - 1] = ""
    return "\n".join(lines), long_lines
