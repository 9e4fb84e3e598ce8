"""Line-level helpers shared by the line-based readers (plain-text outlines and Org).

They turn the body of an outline (bullets, wrapped continuation lines, indented code,
paragraphs) into flat `Block`s; each reader adds its own headings, then `to_tree` nests them.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from ..explicit_syntax import starts_card
from ..outline import CODE, HEADING, ITEM, PARAGRAPH, Node, OutlineBuilder

TAB_WIDTH = 4

NUMBER_MARKERS = r"\d{1,3}[.)]|[a-z][.)]|[A-Z]\)"
PLAIN_BULLETS = r"[•◦▪▫‣∙·●○■□➢➤►▸▹✓✔*+\-–—]"


def bullet_pattern(bullets: str) -> re.Pattern[str]:
    """Regex for a bullet (`bullets`, a regex alternative) or number marker, then text."""
    return re.compile(
        rf"^(?P<indent>[ \t]*)(?P<marker>{bullets}|{NUMBER_MARKERS})[ \t]+(?P<text>\S.*?)\s*$"
    )


# A bullet or number marker followed by whitespace and text: "• x", "- x", "1. x", "a) x".
BULLET_RE = bullet_pattern(PLAIN_BULLETS)
ORDERED_MARKER = re.compile(r"^(\d{1,3}|[a-zA-Z])[.)]$")
# A line of only rule characters ("-----", "* * *", "====") separates, it is not content.
RULE_RE = re.compile(r"^\s*([-*_=~#•])(\s*\1){2,}\s*$")

_CODE_KEYWORD = re.compile(
    r"^(func|def|class|type|var|const|let|import|package|return|if|for|while|fn|pub|struct|"
    r"public|private|static|async|await|select|case|switch|go|defer)\b\s*\S"
)
_CODE_PUNCT = re.compile(r"[\[\](){}=<>:;]")
_CODE_SHAPE = re.compile(
    r"(:=|==|!=|&&|\|\||=>|::\w|\[\]\w|^\s*#include\b|^\s*//|^\s*[{}]|[{;]\s*$|\)\s*\{|^\s*@\w+)"
)


@dataclass(slots=True)
class Block:
    """One classified chunk of lines before nesting: what it is, where, and how deep."""

    kind: str
    text: str
    line: int
    end_line: int
    indent: int = 0
    level: int = 0
    ordered: bool = False
    info: str = ""
    tags: tuple[str, ...] = ()


def indent_width(prefix: str) -> int:
    """Visual width of leading whitespace, tabs counting as `TAB_WIDTH` columns."""
    return len(prefix.expandtabs(TAB_WIDTH))


def looks_like_code(text: str) -> bool:
    """True for a line that reads as source code rather than prose."""
    s = text.strip()
    if not s or (s.endswith((".", "!", "?")) and not s.endswith("...)")):
        return False
    if _CODE_SHAPE.search(s):
        return True
    return bool(_CODE_KEYWORD.match(s) and _CODE_PUNCT.search(s))


def split_lines(text: str) -> list[str]:
    """Split on line breaks only (CRLF, CR, LF), never on U+2028 and friends."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class BodyScanner:
    """Classifies bullet, continuation, code and paragraph lines into `Block`s."""

    def __init__(self, bullet_re: re.Pattern[str] = BULLET_RE) -> None:
        self.blocks: list[Block] = []
        self.bullet_re = bullet_re
        self._after_blank = True

    def blank(self) -> None:
        """A blank line ends paragraphs and continuation."""
        self._after_blank = True

    def add(self, block: Block) -> None:
        """Add a block the reader classified itself (a heading, a fenced code block)."""
        self.blocks.append(block)
        self._after_blank = False

    def line(self, raw: str, lineno: int) -> None:
        """Classify one non-blank line of outline body."""
        if RULE_RE.match(raw):
            self._after_blank = True
            return
        m = self.bullet_re.match(raw)
        if m:
            marker = m.group("marker")
            self.add(Block(ITEM, m.group("text"), lineno, lineno, indent_width(m.group("indent")),
                           ordered=bool(ORDERED_MARKER.match(marker))))
            return
        stripped = raw.strip()
        indent = indent_width(raw[: len(raw) - len(raw.lstrip())])
        last = self.blocks[-1] if self.blocks else None
        in_code = last is not None and last.kind == CODE and not self._after_blank
        if in_code and last is not None and indent >= last.indent:
            # Inside an indented code block every deeper line is code (`}` and `return b` too).
            last.text += "\n" + raw.expandtabs(TAB_WIDTH).rstrip()
            last.end_line = lineno
            return
        if looks_like_code(stripped) and indent > 0:
            self.add(Block(CODE, raw.expandtabs(TAB_WIDTH).rstrip(), lineno, lineno, indent))
            return
        if last is not None and not self._after_blank and not starts_card(stripped):
            # (a `front :: back` or `Q:` line is a card of its own, never the wrap of the line above)
            if last.kind == ITEM and indent > last.indent:
                last.text = f"{last.text} {stripped}"
                last.end_line = lineno
                return
            if last.kind == PARAGRAPH:
                last.text = f"{last.text} {stripped}"
                last.end_line = lineno
                return
        self.add(Block(PARAGRAPH, stripped, lineno, lineno, indent))


def to_tree(blocks: list[Block]) -> Node:
    """Nest classified blocks into the outline tree."""
    builder = OutlineBuilder()
    for b in blocks:
        if b.kind == HEADING:
            builder.heading(b.text, b.level, b.line, b.end_line, tags=b.tags)
        elif b.kind == ITEM:
            builder.item(b.text, b.indent, b.line, b.end_line, ordered=b.ordered, tags=b.tags)
        else:
            text = textwrap.dedent(b.text).strip("\n") if b.kind == CODE else b.text
            builder.block(b.kind, text, b.line, b.end_line, b.indent, info=b.info)
    return builder.build()
