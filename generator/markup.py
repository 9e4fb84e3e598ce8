"""How card text is parsed: CommonMark inline Markdown plus math, cloze deletions and
Obsidian image embeds, each as a token of its own.

Nothing is found by a regular expression and swapped back in after rendering: the renderer
sees every piece as a token and escapes it for where it lands (text, attribute or URL), so
math or a cloze written inside a link title stays text of that title.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is imported when first built: reading card text needs none of it
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

CLOZE_OPEN = re.compile(r"\{\{(c\d+)::")
DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.S)
"""A written cloze deletion `{{c1::text::hint}}`: its text and hint (for reading card text,
not for rendering it: see `parser`)."""
EMPHASIS = re.compile(r"(?P<m>\*\*|__|`|\*|_)(?=\S)(?P<t>[^*_`\n]+?)(?<=\S)(?P=m)(?![\w*_`])")
"""A Markdown span set apart: bold, italic or code (`m` the marker, `t` the text)."""
FENCE = re.compile(r"^```[ \t]*(?P<info>[\w+#.-]*)[^\n]*\n(?P<code>.*?)\n?```[ \t]*$", re.S | re.M)
"""A fenced code block inside a card field: shown as highlighted code, never parsed inline."""
_WIKI_EMBED = re.compile(r"!\[\[(?P<src>[^\]|\n]+)(?:\|(?P<alt>[^\]\n]*))?\]\]")
# Characters without which a text has no inline Markdown, math or cloze at all.
_BRACKETS = frozenset("()[]")  # an escaped one was left without its pair
_SYNTAX = re.compile(r"[\\`*_\[\]!<>&~\r\x00${}]")


def _cloze(state: StateInline, silent: bool) -> bool:
    """`{{c1::text}}` or `{{c1::text::hint}}`: a deletion whose text is parsed as Markdown."""
    if not state.src.startswith("{{c", state.pos):
        return False
    m = CLOZE_OPEN.match(state.src, state.pos, state.posMax)
    if m is None:
        return False
    end = state.src.find("}}", m.end(), state.posMax)
    if end < 0:
        return False
    sep = state.src.find("::", m.end(), end)
    inner_end = end if sep < 0 else sep
    if not silent:
        token = state.push("cloze_open", "", 1)
        token.info = m.group(1)
        outer_max = state.posMax
        state.pos, state.posMax = m.end(), inner_end
        state.md.inline.tokenize(state)
        state.posMax = outer_max
        close = state.push("cloze_close", "", -1)
        close.meta = {"hint": state.src[sep + 2:end] if sep >= 0 else ""}
    state.pos = end + 2
    return True


def _bracket_math(state: StateInline, silent: bool) -> bool:
    r"""`\(x\)` inline and `\[x\]` display math (dollarmath reads only `$`)."""
    if state.src[state.pos] != "\\" or state.pos + 1 >= state.posMax:
        return False
    kind = state.src[state.pos + 1]
    if kind not in "([":
        return False
    close = "\\)" if kind == "(" else "\\]"
    end = state.src.find(close, state.pos + 2, state.posMax)
    if end < 0 or end == state.pos + 2:
        return False
    if not silent:
        token = state.push("math_inline" if kind == "(" else "math_inline_double", "math", 0)
        token.content = state.src[state.pos + 2:end]
        token.markup = "\\" + kind
    state.pos = end + 2
    return True


def _wiki_embed(state: StateInline, silent: bool) -> bool:
    """Obsidian's `![[leaf.png]]` / `![[leaf.png|alt]]`: an image token, marked as written so."""
    if not state.src.startswith("![[", state.pos):
        return False
    m = _WIKI_EMBED.match(state.src, state.pos, state.posMax)
    if m is None:
        return False
    if not silent:
        token = state.push("image", "img", 0)
        token.attrs = {"src": m.group("src").strip(), "alt": ""}
        alt = (m.group("alt") or "").strip()
        token.children = [_text(alt)] if alt else []
        token.content = alt
        token.meta = {"wiki": m.group(0)}
    state.pos = m.end()
    return True


def _text(content: str) -> Token:
    from markdown_it.token import Token

    token = Token("text", "", 0)
    token.content = content
    return token


def parser(*, html: bool = False, cloze: bool = False) -> MarkdownIt:
    """An inline parser for card text; `html` lets raw tags through as tokens, `cloze` reads
    Anki deletions (otherwise `{{c1::...}}` is plain text)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": html})
    # `$5 and $10` is money: no space inside the dollars, no digit right after the opening one.
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.before("escape", "math_brackets", _bracket_math)
    md.inline.ruler.before("image", "wiki_embed", _wiki_embed)
    if cloze:
        md.inline.ruler.before("escape", "cloze", _cloze)
    md.core.ruler.disable("text_join")  # escapes stay tokens of their own (see `stray_math`)
    return md


def has_syntax(text: str) -> bool:
    """Whether `text` can hold any inline Markdown, math or cloze (else it is plain text)."""
    return _SYNTAX.search(text) is not None


@functools.cache
def _cloze_parser() -> MarkdownIt:
    """The parser `live_clozes` reads with (raw HTML on: a deletion inside a tag is dead)."""
    return parser(html=True, cloze=True)


def live_clozes(text: str) -> bool:
    """Whether `text` has deletions and every `{{cN::` written in it parses as one, in the
    card's text: none sits inside math, code, a link's title or URL, an image's alt text or
    raw HTML."""
    written = len(CLOZE_OPEN.findall(text))
    if not written:
        return False
    if not _SYNTAX.search(CLOZE_OPEN.sub("", text).replace("}}", "")):
        return True  # nothing but plain text around the deletions
    live = 0
    for part in FENCE.split(text)[::3]:  # the text around fenced code, as the renderer cuts it
        tokens = _cloze_parser().parseInline(part)[0].children or [] if part else []
        # top level only: an image's alt text becomes an attribute
        live += sum(token.type == "cloze_open" for token in tokens)
    return live == written


def stray_math(tokens: list[Token]) -> bool:
    """Math delimiters left over as text after parsing: `$$` or `\\(` without its pair, or a
    `$` right before a letter, backslash or brace (`$5` is money, not math)."""
    for token in tokens:
        if token.type == "text" and ("$$" in token.content
                                     or re.search(r"(?<![$])\$(?=[A-Za-z\\{])", token.content)):
            return True
        if token.type == "text_special" and token.info == "escape" and token.content in _BRACKETS:
            return True
    return False
