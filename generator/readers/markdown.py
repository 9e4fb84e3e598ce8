"""Reader for Markdown notes, parsed by markdown-it-py (CommonMark).

ATX and setext headings, nested lists, paragraphs and fenced code (kept whole) map onto
the outline; a leading YAML front matter block is read for simple `key: value` metadata.
Text keeps its inline Markdown; rendering it is the writers' job.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ..outline import CODE, PARAGRAPH, Document, OutlineBuilder
from .lines import split_lines

_FRONT_MATTER_OPEN = re.compile(r"^---\s*$")
_FRONT_MATTER_CLOSE = re.compile(r"^(---|\.\.\.)\s*$")
_META_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Simple `key: value` pairs of a leading `---` block, and how many lines it spans."""
    if not lines or not _FRONT_MATTER_OPEN.match(lines[0]):
        return {}, 0
    for end in range(1, len(lines)):
        if _FRONT_MATTER_CLOSE.match(lines[end]):
            meta: dict[str, str] = {}
            for line in lines[1:end]:
                m = _META_LINE.match(line)
                if m:
                    meta[m.group("key").lower()] = m.group("value").strip("'\"")
            return meta, end + 1
    return {}, 0


def _join_lines(content: str) -> str:
    """Inline content of a multi-line block as one line (each line's own spacing kept)."""
    return " ".join(line.strip() for line in content.split("\n") if line.strip())


def _parser() -> MarkdownIt:
    """A CommonMark block parser; built per call so no parser state is shared between files.
    Inline parsing is off: the outline keeps each block's inline text as written (a sixth of
    the parse time went to inline tokens nobody read)."""
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


def parse(text: str, path: str) -> Document:
    """Parse Markdown into a `Document` with exact 1-based line numbers."""
    lines = split_lines(text)
    meta, skip = _front_matter(lines)
    # Blank out the front matter instead of cutting it, so token line maps stay exact.
    body = "\n".join([""] * skip + lines[skip:])
    tokens = _parser().parse(body)

    builder = OutlineBuilder()
    depth = 0  # open list items
    awaiting_text: list[bool] = []  # per open item: its first paragraph is its text
    ordered: list[bool] = []  # per open list: numbered?
    first_h1 = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        start, end = (tok.map[0] + 1, tok.map[1]) if tok.map else (0, 0)
        if tok.type == "heading_open":
            inline = _join_lines(tokens[i + 1].content)
            level = int(tok.tag[1])
            builder.heading(inline, level, start, end)
            first_h1 = first_h1 or (inline if level == 1 else "")
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            ordered.append(tok.type == "ordered_list_open")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
        elif tok.type == "list_item_open":
            depth += 1
            builder.item("", depth, start, start, ordered=bool(ordered and ordered[-1]))
            awaiting_text.append(True)
        elif tok.type == "list_item_close":
            depth -= 1
            awaiting_text.pop()
        elif tok.type == "paragraph_open":
            inline = _join_lines(tokens[i + 1].content)
            if awaiting_text and awaiting_text[-1]:
                builder.extend_last(inline, end)
                awaiting_text[-1] = False
            else:
                builder.block(PARAGRAPH, inline, start, end, depth + 1)
            i += 3
            continue
        elif tok.type in ("fence", "code_block"):
            if awaiting_text:
                awaiting_text[-1] = False
            builder.block(CODE, tok.content.rstrip("\n"), start, end, depth + 1,
                          info=tok.info.strip())
        elif tok.type == "html_block":
            if awaiting_text:
                awaiting_text[-1] = False
            builder.block(PARAGRAPH, tok.content.strip(), start, end, depth + 1)
        i += 1
    title = meta.get("title") or first_h1
    return Document(path=path, title=title, root=builder.build(), format="markdown", meta=meta)
