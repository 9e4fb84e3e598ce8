"""Card text to HTML for Anki: inline Markdown, highlighted code, MathJax math, cloze, images.

Note text is data: raw HTML is escaped unless the user passes `--allow-html`, braces become
entities so nothing can act as Anki template syntax, and only a card's own cloze deletions
stay live. Code is highlighted by Pygments with inline styles (no JavaScript, no classes), so
it looks the same in Anki desktop, AnkiDroid and AnkiMobile.
"""

from __future__ import annotations

import base64
import hashlib
import html
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound

from .language import MATH as _MATH

_FENCE = re.compile(r"^```[ \t]*(?P<info>[\w+#.-]*)[^\n]*\n(?P<code>.*?)\n?```[ \t]*$", re.S | re.M)
_CLOZE = re.compile(r"\{\{(?P<n>c\d+)::(?P<inner>.*?)(?:::(?P<hint>.*?))?\}\}", re.S)
_IMAGE_MD = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_IMAGE_WIKI = re.compile(r"!\[\[(?P<src>[^\]|\n]+)(?:\|(?P<alt>[^\]\n]*))?\]\]")
_SLOT = "\ue000{}\ue001"  # private-use characters: markdown-it leaves them alone
_SLOT_RE = re.compile("\ue000(\\d+)\ue001")
# Control characters (Anki's field separator \x1f among them) and our slot markers never reach a field.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")
# A line without these characters has no inline Markdown: escaping it gives exactly what
# markdown-it renders (tested on random text), at a fraction of the cost.
_MARKUP = re.compile(r"[\\`*_\[\]!<>&~\r\x00]")
_FORMATTER = HtmlFormatter(noclasses=True, style="default",
                           cssstyles="padding: 0.5em 0.7em; border-radius: 6px;")


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

    def add(self, ref: str, notes_file: Path | None, where: str) -> str | None:
        """The media name for an image reference, or None (with a warning) when it cannot be used."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I):
            self.warnings.append(f"{where}: image {ref} is a URL; notedeck never fetches, left as a link")
            return None
        base = notes_file.parent if notes_file is not None else Path.cwd()
        path = (base / ref).resolve()
        root = (self.root or base).resolve()
        if not path.is_relative_to(root):
            self.warnings.append(f"{where}: image {ref} is outside the notes folder {root}; refused")
            return None
        if not path.is_file():
            self.seen[str(path)] = None
            self.looked.append((str(path), None))
            self.warnings.append(f"{where}: image {ref} not found")
            return None
        data = path.read_bytes()
        self.seen[str(path)] = hashlib.sha256(data).hexdigest()
        if self.embed:
            self.looked.append((str(path), None))
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
        name = f"nd-{hashlib.sha256(data).hexdigest()[:20]}{path.suffix.lower()}"
        self.files[name] = path
        self.looked.append((str(path), name))
        return name


@dataclass
class Renderer:
    """Turns one card's text into field HTML."""

    allow_html: bool = False
    """Pass raw HTML in notes through (otherwise it shows as text)."""
    media: Media | None = None
    """Where images go; None leaves image references as text."""
    warnings: list[str] = field(default_factory=list)
    """Problems found while rendering (unbalanced math), as `file:line: message`."""
    math: str = "mathjax"
    """`mathjax` for Anki (\\( \\) delimiters), `tex` for paper (the TeX source in monospace)."""

    def __post_init__(self) -> None:
        self._md = MarkdownIt("commonmark", {"html": self.allow_html})

    def field(self, text: str, *, where: str = "", notes_file: Path | None = None,
              cloze: bool = False) -> str:
        """HTML for a card field; with `cloze`, `{{cN::...}}` deletions stay live for Anki."""
        slots: list[str] = []

        def slot(value: str) -> str:
            slots.append(value)
            return _SLOT.format(len(slots) - 1)

        text = _UNPRINTABLE.sub("", text)

        text = _FENCE.sub(lambda m: slot(self._code(m.group("code"), m.group("info"))), text)
        if cloze:
            text = _CLOZE.sub(lambda m: slot(self._cloze(m, where, notes_file)), text)
        text = self._protect_math(text, slot, where)
        text = self._protect_images(text, slot, where, notes_file)
        out = self._inline(text)
        for _ in range(3):  # slots may hold slots (math inside a cloze deletion)
            out = _SLOT_RE.sub(lambda m: slots[int(m.group(1))], out)
        return out

    def _inline(self, text: str) -> str:
        """Markdown to HTML, inert braces; line breaks kept. HTML from the notes (only with
        `allow_html`) goes through an allow-list sanitiser: formatting stays, scripts don't."""
        parts = [self._md.renderInline(line) if _MARKUP.search(line) else _escape(line)
                 for line in text.split("\n")]
        out = "<br>".join(parts)
        return inert(sanitise(out) if self.allow_html else out)

    def _cloze(self, m: re.Match[str], where: str, notes_file: Path | None) -> str:
        inner = self.field(m.group("inner"), where=where, notes_file=notes_file)
        hint = f"::{inert(html.escape(m.group('hint')))}" if m.group("hint") else ""
        return f"{{{{{m.group('n')}::{inner}{hint}}}}}"

    def _code(self, code: str, info: str) -> str:
        try:
            lexer = get_lexer_by_name(info) if info else guess_lexer(code)
        except ClassNotFound:
            lexer = TextLexer()
        return inert(highlight(code, lexer, _FORMATTER))

    def _protect_math(self, text: str, slot, where: str) -> str:  # type: ignore[no-untyped-def]
        def repl(m: re.Match[str]) -> str:
            display = bool(m.group("display"))
            body = (m.group("d1") if m.group("d1") is not None else m.group("d2")) if display \
                else (m.group("i1") if m.group("i1") is not None else m.group("i2"))
            tex = inert(html.escape(body, quote=False))
            if self.math == "tex":
                return slot(f'<code class="nd-math{" nd-display" if display else ""}">{tex}</code>')
            return slot(f"\\[{tex}\\]" if display else f"\\({tex}\\)")

        if "$" not in text and "\\" not in text:
            return text  # no math delimiter at all (most fields)
        protected = _MATH.sub(repl, text)
        leftover = _SLOT_RE.sub("", protected)
        if leftover.count("$$") % 2 or leftover.count("\\(") != leftover.count("\\)") \
                or leftover.count("\\[") != leftover.count("\\]") \
                or re.search(r"(?<![\\$])\$(?=[A-Za-z\\{])", leftover):  # "$e^{i}" unclosed; "$5" is money
            self.warnings.append(f"{where}: unbalanced math delimiters; the text is shown as written")
        return protected

    def _protect_images(self, text: str, slot, where: str, notes_file: Path | None) -> str:  # type: ignore[no-untyped-def]
        if self.media is None:
            return text

        def repl(m: re.Match[str]) -> str:
            ref = m.group("src").strip()
            alt = (m.group("alt") or "").strip()
            name = self.media.add(ref, notes_file, where) if self.media else None
            if name is None:
                return slot(inert(html.escape(f"[image: {alt or ref}]")))
            return slot(f'<img src="{html.escape(name)}" alt="{inert(html.escape(alt))}">')

        return _IMAGE_WIKI.sub(repl, _IMAGE_MD.sub(repl, text))


SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
SAFE_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "ol": {"start"},
}


def sanitise(markup: str) -> str:
    """HTML from notes cut down to formatting (ammonia's allow-list via nh3): no scripts, event
    handlers, iframes, styles or `javascript:` URLs; links only to http(s) and mailto."""
    import nh3

    return nh3.clean(markup, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def _escape(line: str) -> str:
    """A line without Markdown, as markdown-it would render it (`&`, `<`, `>` cannot occur)."""
    return line.replace('"', "&quot;")


def inert(markup: str) -> str:
    """Braces as entities: note text can never open Anki template syntax (`{{Front}}`, `{{c1::`)."""
    return markup.replace("{", "&#123;").replace("}", "&#125;")
