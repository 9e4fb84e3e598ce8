"""Card text to HTML for Anki: inline Markdown, highlighted code, MathJax math, cloze, images.

Note text is data: raw HTML is escaped unless the user passes `--allow-html`, braces become
entities so nothing can act as Anki template syntax, and only a card's own cloze deletions
stay live. Code is highlighted by Pygments with inline styles (no JavaScript, no classes), so
it looks the same in Anki desktop, AnkiDroid and AnkiMobile.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from .markup import FENCE, has_syntax, parser, stray_math
from .media import URL, Media

__all__ = ["RENDERING", "Media", "Renderer", "inert", "sanitise"]

RENDERING = 4
"""Bumped whenever the same card text renders to other HTML: renderings cached by earlier
builds (of the same notedeck version) are then not reused."""

# Stand-ins for a live deletion's `{{`, `::` and `}}`, put back after every brace of the note
# text has become an entity. Note text never holds them (`_UNPRINTABLE` strips them first), so
# only the cloze renderer makes them, and only where a token's text goes (never an attribute).
_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_LIVE = str.maketrans({_OPEN: "{{", _SEP: "::", _CLOSE: "}}"})
# Control characters (Anki's field separator \x1f among them) and the stand-ins never reach a field.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ue000-\ue002]")
_BLANK = '<span class="nd-blank">&nbsp;</span>'


@functools.cache
def _formatter() -> Any:
    """Pygments' HTML formatter, styles inline (a card carries no stylesheet for them)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(noclasses=True, style="default",
                         cssstyles="padding: 0.5em 0.7em; border-radius: 6px;")

Cloze = Literal["text", "live", "blank"]
"""How `{{c1::...}}` shows: as the text written, as a live Anki deletion, or as a blank."""


@dataclass
class Renderer:
    """Turns one card's text into field HTML."""

    allow_html: bool = False
    """Pass raw HTML in notes through (otherwise it shows as text)."""
    media: Media | None = None
    """Where images go; None leaves image references as the notes wrote them."""
    warnings: list[str] = field(default_factory=list)
    """Problems found while rendering (unbalanced math, remote images), as `file:line: message`."""
    math: str = "mathjax"
    """`mathjax` for Anki (\\( \\) delimiters), `tex` for paper (the TeX source in monospace)."""

    def __post_init__(self) -> None:
        self._parsers: dict[bool, MarkdownIt] = {}

    def _parser(self, cloze: bool) -> MarkdownIt:
        if cloze not in self._parsers:
            md = parser(html=self.allow_html, cloze=cloze)
            rules: dict[str, Any] = {
                "text": _text, "text_special": _text, "code_inline": _code_inline,
                "softbreak": _br, "hardbreak": _br, "math_inline": self._math,
                "math_inline_double": self._math, "image": self._image,
                "cloze_open": _cloze_open, "cloze_close": _cloze_close,
            }
            assert isinstance(md.renderer, RendererHTML)
            md.renderer.rules.update(rules)  # called as rule(tokens, idx, options, env)
            self._parsers[cloze] = md
        return self._parsers[cloze]

    def plain_field(self, text: str) -> str | None:
        """`field(text)` when `text` holds no Markdown, math, cloze or code (most card sides),
        worked out without the layers a field with any goes through; None otherwise."""
        text = _UNPRINTABLE.sub("", text)
        if "```" in text or has_syntax(text):
            return None
        return _plain_html(text)

    def field(self, text: str, *, where: str = "", notes_file: Path | None = None,
              cloze: bool | Cloze = False) -> str:
        """HTML for a card field. `cloze`: `live` (or True) keeps `{{cN::...}}` deletions live
        for Anki, `blank` shows them as blanks (paper), otherwise they are text."""
        mode: Cloze = "live" if cloze is True else "text" if cloze is False else cloze
        text = _UNPRINTABLE.sub("", text)
        if "```" not in text:  # no fenced block (most fields): all inline
            return self._inline(text, where, notes_file, mode)
        out: list[str] = []
        at = 0
        for m in FENCE.finditer(text):
            out.append(self._inline(text[at:m.start()], where, notes_file, mode))
            out.append(self._code(m.group("code"), m.group("info")))
            at = m.end()
        out.append(self._inline(text[at:], where, notes_file, mode))
        return "".join(out)

    def _inline(self, text: str, where: str, notes_file: Path | None, mode: Cloze) -> str:
        """Markdown to HTML, inert braces; line breaks kept. HTML from the notes (only with
        `allow_html`) goes through an allow-list sanitiser: formatting stays, scripts don't."""
        if not has_syntax(text):
            return _plain_html(text)
        md = self._parser(mode != "text")
        env = {"where": where, "notes_file": notes_file, "blank": mode == "blank"}
        tokens = md.parseInline(text, env)[0].children or []
        if stray_math(tokens):
            self.warnings.append(f"{where}: unbalanced math delimiters; the text is shown as written")
        out = md.renderer.render(_blank_deletions(tokens) if mode == "blank" else tokens, md.options, env)
        if self.allow_html:
            out = sanitise(out, self.warnings, where)
        return inert(out).translate(_LIVE)

    def _code(self, code: str, info: str) -> str:
        """A fenced block, highlighted (Pygments is imported by the first one: most decks have none)."""
        from pygments import highlight
        from pygments.lexers import TextLexer, get_lexer_by_name, guess_lexer
        from pygments.util import ClassNotFound

        try:
            lexer = get_lexer_by_name(info) if info else guess_lexer(code)
        except ClassNotFound:
            lexer = TextLexer()
        return inert(highlight(code, lexer, _formatter()))

    def _math(self, tokens: Sequence[Token], idx: int, _o: object, _e: object) -> str:
        display = tokens[idx].type == "math_inline_double"
        tex = escapeHtml(tokens[idx].content)
        if self.math == "tex":
            return f'<code class="nd-math{" nd-display" if display else ""}">{tex}</code>'
        return f"\\[{tex}\\]" if display else f"\\({tex}\\)"

    def _image(self, tokens: Sequence[Token], idx: int, _o: object, env: dict[str, Any]) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        alt = _alt_text(token.children or [])
        wiki = (token.meta or {}).get("wiki")
        if self.media is None:
            if wiki or URL.match(src):
                return escapeHtml(wiki or f"[image: {alt or src}]")
            title = token.attrs.get("title")
            title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
            return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} />'
        ref = src if wiki else _unquote(src)
        name = self.media.add(ref, env.get("notes_file"), env.get("where", ""), wiki=bool(wiki))
        if name is None:
            return escapeHtml(f"[image: {alt or ref}]")
        return f'<img src="{escapeHtml(name)}" alt="{escapeHtml(alt)}">'


def _text(tokens: Sequence[Token], idx: int, _o: object, _e: object) -> str:
    return escapeHtml(tokens[idx].content)


def _code_inline(tokens: Sequence[Token], idx: int, _o: object, _e: object) -> str:
    return f"<code>{escapeHtml(tokens[idx].content)}</code>"


def _br(*_args: object) -> str:
    return "<br>"


def _cloze_open(tokens: Sequence[Token], idx: int, _o: object, env: dict[str, Any]) -> str:
    return _BLANK if env.get("blank") else f"{_OPEN}{tokens[idx].info}{_SEP}"


def _cloze_close(tokens: Sequence[Token], idx: int, _o: object, env: dict[str, Any]) -> str:
    if env.get("blank"):
        return ""
    hint = str((tokens[idx].meta or {}).get("hint", ""))
    return f"{_SEP}{escapeHtml(hint)}{_CLOSE}" if hint else _CLOSE


def _blank_deletions(tokens: list[Token]) -> list[Token]:
    """The tokens with every deletion's text left out (the open token renders the blank)."""
    out: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == "cloze_open":
            if not depth:
                out.append(token)
            depth += 1
        elif token.type == "cloze_close":
            depth -= 1
        elif not depth:
            out.append(token)
    return out


_ALT_PARTS = frozenset({"text", "text_special", "code_inline", "html_inline", "math_inline",
                        "math_inline_double"})


def _alt_text(tokens: Sequence[Token]) -> str:
    """An image's alt text: the words of its label, math as its TeX source, no markup."""
    parts: list[str] = []
    for token in tokens:
        if token.type in _ALT_PARTS:
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_alt_text(token.children))
    return "".join(parts)


def _unquote(src: str) -> str:
    """A local image path as written: markdown-it percent-encodes link destinations."""
    from urllib.parse import unquote

    return unquote(src)


SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
SAFE_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "ol": {"start"},
}


def sanitise(markup: str, warnings: list[str] | None = None, where: str = "") -> str:
    """HTML from notes cut down to formatting (ammonia's allow-list via nh3): no scripts, event
    handlers, iframes, styles or `javascript:` URLs; links only to http(s) and mailto. An
    `<img>` may show only a local file: a remote one would make Anki fetch it at every review
    (telling a server when you study), so its `src` is removed, with a warning."""
    import nh3

    def attribute(tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src" and URL.match(value.strip()):
            if warnings is not None:
                warnings.append(f"{where}: image {value} is a URL; notedeck never fetches, removed")
            return None
        return value

    return nh3.clean(markup, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, attribute_filter=attribute,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def _plain_html(text: str) -> str:
    """Text without Markdown as its field's HTML: escaped, line breaks kept."""
    return _escape(text).replace("\n", "<br>")


def _escape(line: str) -> str:
    """A line without Markdown, as markdown-it would render it (`&`, `<`, `>` cannot occur)."""
    return line.replace('"', "&quot;")


def inert(markup: str) -> str:
    """Braces as entities: note text can never open Anki template syntax (`{{Front}}`, `{{c1::`).
    A double colon, and a colon before a deletion's hint, become `:&#58;`: inside a deletion
    Anki reads `::` as the start of its hint wherever it is, even inside a tag's attribute
    (`<a title="::">` cut the tag open and let the text after it become attributes)."""
    markup = markup.replace("{", "&#123;").replace("}", "&#125;").replace("::", ":&#58;")
    return markup.replace(":" + _SEP, "&#58;" + _SEP)
