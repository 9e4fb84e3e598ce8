"""Reader for Markdown notes, parsed by markdown-it-py (CommonMark).

ATX and setext headings, nested lists, paragraphs and fenced code (kept whole) map onto
the outline; a leading YAML front matter block gives the metadata (title, tags).
Text keeps its inline Markdown; rendering it is the writers' job.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

from ..explicit_syntax import starts_card
from ..outline import CODE, PARAGRAPH, Document, OutlineBuilder
from .lines import indent_width, split_lines


def _meta(yaml_text: str) -> dict[str, str] | None:
    """Front matter's YAML as flat `key -> text` metadata (a list joined with commas), or None
    when it is no mapping (then the block was no front matter, just text between rules)."""
    import yaml  # only files with front matter pay for importing it, not every start-up

    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    meta: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if isinstance(v, str | int | float))
        elif isinstance(value, dict) or value is None:
            continue
        meta[str(key).lower()] = str(value)
    return meta


def _join_lines(content: str) -> str:
    """Inline content of a multi-line block as one line (each line's own spacing kept)."""
    return " ".join(line.strip() for line in content.split("\n") if line.strip())


def _card_runs(content: str) -> list[list[str]]:
    """A paragraph's lines in runs: a line written as a card (`front :: back`, `Q: ...`) starts
    a run of its own, where CommonMark would make it a lazy continuation of the text above
    (`- Mitochondria make ATP` then `Powerhouse of the cell :: mitochondria` at the margin)."""
    runs: list[list[str]] = []
    for line in content.split("\n"):
        if not runs or starts_card(line):
            runs.append([])
        runs[-1].append(line)
    return runs


def _parser(front_matter: bool = True) -> MarkdownIt:
    """A CommonMark block parser (with YAML front matter); built per call so no parser state is
    shared between files. Inline parsing is off: the outline keeps each block's inline text as
    written (a sixth of the parse time went to inline tokens nobody read). Imported here: a
    command that reads no Markdown, or only flat files, does not load the parser."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").disable(["inline", "text_join"])
    return md.use(front_matter_plugin) if front_matter else md


def declared_title(text: str) -> str:
    """The front matter's `title:` ('' for none), without parsing the whole file: the front
    matter ends at its first closing line (`---` or longer, or `...`), so the file's head up to
    there, parsed on its own, holds the very block a whole parse finds (and a head that holds
    none gives no title, never a wrong one)."""
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    if not body.startswith("---"):
        return ""
    dashes = len(body) - len(body.lstrip("-"))
    closing = re.compile(rf"^(?: {{0,3}}-{{{dashes},}}[ \t]*|\.\.\.[ \t]*)$", re.M)
    end = closing.search(body, body.find("\n") + 1) if "\n" in body else None
    if end is None:
        return ""
    tokens = _parser().parse(body[: end.end()])
    meta = _meta(tokens[0].content) if tokens and tokens[0].type == "front_matter" else None
    return (meta or {}).get("title", "")


def _column(source: list[str], line: int) -> int:
    """Indentation of 1-based `line` of the source (tabs to the next multiple of 4)."""
    raw = source[line - 1] if 0 < line <= len(source) else ""
    return indent_width(raw[: len(raw) - len(raw.lstrip())])


# Lines whose CommonMark reading is plain: a top-level bullet item or an ATX heading whose text
# starts with a letter (no other block can start there: no quote, fence, rule, nested list,
# link definition or HTML), a heading with no `#` in its text (no closing sequence), and
# blank lines of spaces and tabs only.
SIMPLE_LINE = re.compile(r"[-*+] (?P<item>[^\W\d_].*)|(?P<level>#{1,6}) +(?P<heading>[^\W\d_][^#]*)|[ \t]*")


def _simple_outline(source: list[str], path: str) -> Document | None:
    """The document of a file made only of such lines (flat lists of notes or `q :: a` cards,
    under headings), built without the CommonMark parser, which spends a quarter of a
    millisecond on each list item; None for any other file. The result is the one `parse`
    builds from the parser's tokens (a property test holds the two together)."""
    builder = OutlineBuilder()
    first_h1 = ""
    match = SIMPLE_LINE.fullmatch
    for n, line in enumerate(source, start=1):
        m = match(line)
        if m is None:
            return None
        item, heading = m.group("item"), m.group("heading")
        if item is not None:
            builder.item("", 1, n, n)
            builder.extend_last(item.strip(), n)
        elif heading is not None:
            level, text = len(m.group("level")), heading.strip()
            builder.heading(text, level, n, n)
            first_h1 = first_h1 or (text if level == 1 else "")
    return Document(path=path, title=first_h1, root=builder.build(), format="markdown", meta={})


def parse(text: str, path: str) -> Document:
    """Parse Markdown into a `Document` with exact 1-based line numbers."""
    source = split_lines(text)
    simple = _simple_outline(source, path)
    return simple if simple is not None else _parse_commonmark(source, path)


def _parse_commonmark(source: list[str], path: str) -> Document:
    """`parse` through the CommonMark parser's block tokens (any Markdown)."""
    body = "\n".join(source)
    tokens = _parser(front_matter=body.startswith("-")).parse(body)
    meta: dict[str, str] = {}
    if tokens and tokens[0].type == "front_matter":
        found = _meta(tokens[0].content)
        if found is None:
            tokens = _parser(front_matter=False).parse(body)
        else:
            meta = found

    builder = OutlineBuilder()
    depth = 0  # open list items
    awaiting_text: list[bool] = []  # per open item: its first paragraph is its text
    ordered: list[bool] = []  # per open list: numbered?
    markers: list[int] = []  # per open item: the column of its bullet
    first_h1 = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        start, end = (tok.map[0] + 1, tok.map[1]) if tok.map else (0, 0)
        if tok.type == "front_matter":
            i += 1
            continue
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
            markers.append(_column(source, start))
        elif tok.type == "list_item_close":
            depth -= 1
            awaiting_text.pop()
            markers.pop()
        elif tok.type == "paragraph_open":
            runs = _card_runs(tokens[i + 1].content)
            if len(runs) > 1 and sum(map(len, runs)) != end - start + 1:
                runs = [[line for run in runs for line in run]]  # lines we cannot place: keep whole
            last = start + len(runs[0]) - 1 if len(runs) > 1 else end
            if awaiting_text and awaiting_text[-1]:
                builder.extend_last(_join_lines("\n".join(runs[0])), last)
                awaiting_text[-1] = False
            else:
                builder.block(PARAGRAPH, _join_lines("\n".join(runs[0])), start, last, depth + 1)
            for run in runs[1:]:  # a card's line: inside the items its indentation puts it in
                first, last = last + 1, last + len(run)
                inside = sum(1 for m in markers if m < _column(source, first))
                builder.block(PARAGRAPH, _join_lines("\n".join(run)), first, last, inside + 1)
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
