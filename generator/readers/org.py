"""Reader for Org-mode outlines: `*` headings at column 0, `-`/`+`/`1.` items, `#+` lines.

Source and example blocks (`#+BEGIN_SRC` ... `#+END_SRC`) become code kept whole;
property drawers, comments and other `#+KEY:` lines are skipped (`#+TITLE:` names the file,
`#+FILETAGS:` tags it). A headline's `:tags:` leave its text and tag everything under it.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap

from ..outline import CODE, HEADING, ITEM, Document
from .lines import Block, BodyScanner, bullet_pattern, indent_width, split_lines, to_tree

_HEADING = re.compile(r"^(?P<stars>\*+)[ \t]+(?P<text>.*?)[ \t]*$")
_TODO = re.compile(r"^(TODO|DONE|NEXT|WAITING|CANCELLED|CANCELED)\s+")
_PRIORITY = re.compile(r"^\[#[A-Z0-9]\]\s+")
# Org's tag characters are letters, digits and `_@#%` (`[[:alnum:]_@#%]`): valid Anki tags too.
# Anchored just after a blank, never on a run of blanks: a long headline costs linear time.
_TAGS = re.compile(r"(?:^|(?<=[ \t]))(?P<tags>:(?:[\w@#%]+:)+)$")
_KEYWORD = re.compile(r"^\s*#\+(?P<key>[A-Za-z_]+):\s*(?P<value>.*?)\s*$")
_BEGIN = re.compile(r"^\s*#\+begin_(?P<kind>\w+)(?:\s+(?P<info>\S+))?", re.I)
_DRAWER = re.compile(r"^\s*:[A-Za-z_-]+:\s*$")
_DRAWER_END = re.compile(r"^\s*:END:\s*$", re.I)
# Org items: `-`, `+`, numbers; `*` only when indented (at column 0 it is a heading).
_ORG_BULLET = bullet_pattern(r"[-+]|(?<=[ \t])\*")


def _headline(raw: str) -> tuple[str, tuple[str, ...]]:
    """Heading text without TODO keyword, priority cookie or trailing `:tags:`, and those tags
    (`Cells   :bio:exam:` -> `Cells`, (`bio`, `exam`)): tags are no words to study."""
    text = _PRIORITY.sub("", _TODO.sub("", raw))
    found = _TAGS.search(text)
    if found is None:
        return text.strip(), ()
    tags = tuple(dict.fromkeys(t for t in found.group("tags").split(":") if t))
    return text[: found.start()].strip(), tags


def _end_of(kind: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*#\+end_{re.escape(kind)}\b", re.I)


def _find(lines: list[str], start: int, pattern: re.Pattern[str]) -> int | None:
    """Index of the first line at or after `start` matching `pattern` (None: unclosed)."""
    return next((i for i in range(start, len(lines)) if pattern.match(lines[i])), None)


def parse(text: str, path: str) -> Document:
    """Parse an Org-mode file into a `Document`."""
    scanner = BodyScanner(_ORG_BULLET)
    meta: dict[str, str] = {}
    lines = split_lines(text)
    n = 0
    while n < len(lines):
        raw, lineno = lines[n], n + 1
        n += 1
        heading = _HEADING.match(raw)
        begin = _BEGIN.match(raw)
        if not raw.strip():
            scanner.blank()
        elif heading:
            text, tags = _headline(heading.group("text"))
            scanner.add(Block(HEADING, text, lineno, lineno, level=len(heading.group("stars")), tags=tags))
        elif begin and (close := _find(lines, n, _end_of(begin.group("kind")))) is not None:
            body = lines[n:close]
            indent = indent_width(raw[: len(raw) - len(raw.lstrip())])
            if begin.group("kind").lower() in ("src", "example"):
                scanner.add(Block(CODE, textwrap.dedent("\n".join(body)), lineno, close + 1, indent,
                                  info=begin.group("info") or ""))
            else:  # quote, verse, center...: their lines are ordinary text
                for k, inner in enumerate(body, lineno + 1):
                    scanner.line(inner, k) if inner.strip() else scanner.blank()
            n = close + 1
        elif _KEYWORD.match(raw):
            kw = _KEYWORD.match(raw)
            assert kw is not None
            key, value = kw.group("key").lower(), kw.group("value")
            # Org adds up several `#+FILETAGS:` lines; other keywords: the last one counts.
            meta[key] = f"{meta[key]} {value}" if key == "filetags" and key in meta else value
        elif raw.lstrip().startswith("# ") or raw.strip() == "#":
            continue  # comment line
        elif _DRAWER.match(raw) and not _DRAWER_END.match(raw) \
                and (close := _find(lines, n, _DRAWER_END)) is not None:
            n = close + 1
        elif begin or _DRAWER.match(raw):
            continue  # an unclosed block or drawer marker: skip the marker, keep what follows
        else:
            scanner.line(raw, lineno)
    blocks = [b if b.kind == CODE else dataclasses.replace(b, text=markdown_inline(b.text))
              for b in scanner.blocks]
    root = to_tree(_headlines_as_items(blocks))
    return Document(path=path, title=meta.get("title", ""), root=root, format="org", meta=meta)


# Org's inline markup (its emphasis rules: a marker after the start, a space or `-({'"`, before
# the end, a space or punctuation, around text that does not start or end with a space).
_EMPHASIS = re.compile(r"(?<![^\s\-({'\"])(?P<m>[*/=~])(?P<t>[^\s*/=~](?:[^\n]*?[^\s\\])?)(?P=m)"
                       r"(?=$|[\s\-.,;:!?')}\[\"])")
_LINK = re.compile(r"\[\[(?P<target>[^\[\]\n]+)\](?:\[(?P<desc>[^\[\]\n]+)\])?\]")
_MATH = re.compile(r"\$[^$\n]+\$|\\\(.*?\\\)")
_WEB = re.compile(r"^(?:https?|ftp|mailto):", re.I)


def markdown_inline(text: str) -> str:
    """Org inline markup as the Markdown the renderer reads: `*bold*` -> `**bold**`, `/italic/`
    -> `*italic*`, `=code=` and `~code~` -> `` `code` ``, `[[url][text]]` -> `[text](url)`; an
    internal link keeps its text. Math is left alone (`$a/b$` is no italics)."""
    if not any(c in text for c in "*/=~["):
        return text
    out, at = [], 0
    for m in _MATH.finditer(text):
        out.append(_convert(text[at:m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(_convert(text[at:]))
    return "".join(out)


def _convert(text: str) -> str:
    def link(m: re.Match[str]) -> str:
        target, desc = m.group("target"), m.group("desc")
        if _WEB.match(target):
            return f"[{desc}]({target})" if desc else f"<{target}>"
        return desc or target.lstrip("*#")

    def emphasis(m: re.Match[str]) -> str:
        body, mark = m.group("t"), m.group("m")
        if mark in "=~":
            return f"`{body}`" if "`" not in body else m.group(0)
        if "://" in body or (mark == "/" and "/" in body):
            return m.group(0)  # a path or an address, not italics
        return f"**{body}**" if mark == "*" else f"*{body}*"

    return _EMPHASIS.sub(emphasis, _LINK.sub(link, text))


_TITLE_KEYWORD = re.compile(r"^\s*#\+title:", re.I | re.M)


def declared_title(text: str) -> str:
    """`#+TITLE:` as `parse` reads it (the last one outside blocks and drawers; '' for none),
    without building the outline: a file without one costs a single search."""
    if not _TITLE_KEYWORD.search(text):
        return ""
    title = ""
    lines = split_lines(text)
    n = 0
    while n < len(lines):
        raw = lines[n]
        n += 1
        if not raw.lstrip().startswith(("#+", ":")):
            continue  # only block, keyword and drawer lines matter here
        begin = _BEGIN.match(raw)
        kw = _KEYWORD.match(raw)
        if begin and (close := _find(lines, n, _end_of(begin.group("kind")))) is not None:
            n = close + 1
        elif kw:
            title = kw.group("value") if kw.group("key").lower() == "title" else title
        elif _DRAWER.match(raw) and not _DRAWER_END.match(raw) \
                and (close := _find(lines, n, _DRAWER_END)) is not None:
            n = close + 1
    return title


HEADLINE_NOTES = 0.6
"""Share of a file's text blocks that are headlines above which its headlines are its notes."""


def _headlines_as_items(blocks: list[Block]) -> list[Block]:
    """Org notes written entirely as headlines (`** tightly coupled`, `*** scalability - ...`):
    below the top level, headlines are the notes, so they become nested items that the
    extractors read like bullets; top-level headlines stay the sections. A file with body
    text under its headlines is left as it is."""
    headings = [b for b in blocks if b.kind == HEADING]
    text = [b for b in blocks if b.kind != CODE]
    if len(headings) < 8 or len(headings) < HEADLINE_NOTES * len(text):
        return blocks
    top = min(b.level for b in headings)
    out: list[Block] = []
    shift = 0  # how deep the last headline-item sits: its body nests under it
    for b in blocks:
        if b.kind == HEADING and b.level > top:
            shift = (b.level - top - 1) * 4
            out.append(Block(ITEM, b.text, b.line, b.end_line, indent=shift, tags=b.tags))
            shift += 2
        elif b.kind == HEADING:
            shift = 0
            out.append(b)
        else:
            out.append(Block(b.kind, b.text, b.line, b.end_line, b.indent + shift, b.level, b.ordered,
                             b.info))
    return out
