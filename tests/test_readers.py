"""Tests for the notes readers: plain-text outlines, Markdown and Org, down to exact line numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.outline import Document, Node
from generator.readers import detect_format, read_file, read_text, sniff

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "gophercon-2024-notes.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"


# --- helpers -------------------------------------------------------------------------------------


def find(doc: Document, text: str) -> tuple[Node, Node | None]:
    """The only node whose text is exactly `text`, with its parent."""
    hits = [(node, parent) for node, parent in doc.walk() if node.text == text]
    assert len(hits) == 1, f"{len(hits)} nodes with text {text!r}"
    return hits[0]


def at(doc: Document, line: int) -> tuple[Node, Node | None]:
    """The only node that starts on `line`, with its parent."""
    hits = [(node, parent) for node, parent in doc.walk() if node.line == line]
    assert len(hits) == 1, f"{len(hits)} nodes start on line {line}"
    return hits[0]


def shape(doc: Document) -> list[tuple[str, int, int, int, str]]:
    """The outline as (kind, line, end_line, depth, text) in pre-order; depth fixes the nesting."""
    return [(n.kind, n.line, n.end_line, n.depth, n.text) for n, _ in doc.walk()]


def signature(doc: Document) -> list[tuple[object, ...]]:
    """Every field of every node except the children (pre-order + depth already encode them)."""
    return [(n.kind, n.text, n.line, n.end_line, n.depth, n.level, n.ordered, n.info, n.context)
            for n, _ in doc.walk()]


def fixture(name: str) -> Document:
    """A fixture note read the way the CLI reads it (format chosen from suffix or content)."""
    doc, warnings = read_file(FIXTURES / name)
    assert warnings == []
    return doc


def count_lines(text: str) -> int:
    """How many source lines `text` has, counting CRLF, CR and LF as breaks (nothing else)."""
    return len(re.split(r"\r\n|\r|\n", text))


# --- the example notes (examples/gophercon-2024-notes.txt) --------------------------------------

DAY1_TALKS = [9, 18, 38, 52, 61, 84, 93, 106, 116, 138]
DAY2_TALKS = [149, 170, 181, 198, 214, 222, 230, 262, 278, 287, 300, 309, 318]
LIGHTNING_TALK_CHILDREN = {
    64: [65, 66, 67],
    68: [69, 70],
    71: [72, 73, 74, 75],
    76: [77, 78, 79, 80, 81, 82],
    233: [234, 235, 236],
    237: [238, 239, 240, 241],
    242: [243, 244, 245, 246, 247],
    248: [249, 250, 251],
    252: [253, 254, 255],
    256: [257, 258, 259, 260],
}


@pytest.fixture(scope="module")
def gophercon() -> Document:
    """The example notes, parsed once for the module."""
    doc, warnings = read_file(EXAMPLE)
    assert warnings == []
    return doc


@pytest.fixture(scope="module")
def gophercon_lines() -> list[str]:
    """The example notes' source lines (index 0 is line 1)."""
    return EXAMPLE.read_text(encoding="utf-8").split("\n")


def test_example_is_a_plain_text_outline_with_a_title(gophercon: Document) -> None:
    """The example is sniffed as plain text and its first line becomes the title."""
    assert gophercon.format == "text"
    assert gophercon.title == "GopherCon 2024 Notes"
    assert all(node.text != "GopherCon 2024 Notes" for node, _ in gophercon.walk())


@pytest.mark.parametrize(("line", "text"), [
    (9, "Charm CLi (Habbit Tracker) - Donia Chaiehloudj"),
    (52, "Building a Deterministic Interpreter in Go: Readability vs Performance - Jae Kwon"),
    (149, "Who Tests the Tests? - Daniela Petruzalek"),
    (170, "Interface Internals - Keith Randall"),
])
def test_example_talk_titles_are_headings(gophercon: Document, line: int, text: str) -> None:
    """A bare talk-title line is a one-line heading with its exact text."""
    node, _ = at(gophercon, line)
    assert (node.kind, node.text, node.end_line) == ("heading", text, line)


@pytest.mark.parametrize(("day", "line", "talks"), [
    ("Day 1", 6, DAY1_TALKS),
    ("Day 2", 146, DAY2_TALKS),
])
def test_example_days_contain_their_talks(gophercon: Document, day: str, line: int, talks: list[int]) -> None:
    """`Day 1` (line 6) and `Day 2` (line 146) are headings whose child headings are that day's talks."""
    node, parent = at(gophercon, line)
    assert (node.kind, node.text) == ("heading", day)
    assert parent is not None and (parent.kind, parent.text, parent.line) == ("heading", "Talks", 3)
    assert [c.line for c in node.children if c.kind == "heading"] == talks
    assert all(c.level == node.level + 1 for c in node.children)


def test_example_item_breadcrumb(gophercon: Document) -> None:
    """The bullet on line 177 is an item under `Day 2 > Interface Internals - Keith Randall`."""
    node, parent = at(gophercon, 177)
    assert node.kind == "item"
    assert (node.line, node.end_line) == (177, 177)
    assert node.text.startswith("Interfaces in Go are just 2 word structs")
    assert node.breadcrumb.endswith("Day 2 > Interface Internals - Keith Randall")
    assert parent is not None and parent.line == 170


def test_example_nested_item(gophercon: Document) -> None:
    """`Lexical Analysis and Parsing` (line 23) is a child item of `First Stage of Compiler` (line 22)."""
    child, parent = at(gophercon, 23)
    assert (child.kind, child.text) == ("item", "Lexical Analysis and Parsing")
    assert parent is not None and (parent.kind, parent.line, parent.text) == (
        "item", 22, "First Stage of Compiler")
    assert [c.line for c in parent.children] == [23, 24, 25]
    assert child.depth == parent.depth + 1


def test_example_indented_code_under_item(gophercon: Document) -> None:
    """Lines 44-45 (indented Go under the item on line 43) are one code node, child of that item."""
    code, parent = at(gophercon, 44)
    assert (code.kind, code.line, code.end_line) == ("code", 44, 45)
    assert code.text == "type Slice[E Any] []E\nfunc (s Slice[E]) Append(e E) Slice[E]"
    assert parent is not None and (parent.kind, parent.line) == ("item", 43)
    assert parent.children == (code,)
    assert [n for n, _ in gophercon.walk() if n.line == 45] == []


@pytest.mark.parametrize(("line", "children"), sorted(LIGHTNING_TALK_CHILDREN.items()))
def test_example_lightning_talks_have_child_items(gophercon: Document, line: int,
                                                  children: list[int]) -> None:
    """Each lightning talk bullet holds the bullets indented under it as child items."""
    node, parent = at(gophercon, line)
    assert node.kind == "item"
    assert parent is not None and (parent.kind, parent.text) == ("heading", "Lightning Talks")
    assert [(c.kind, c.line) for c in node.children] == [("item", n) for n in children]


def test_example_line_numbers_in_range(gophercon: Document, gophercon_lines: list[str]) -> None:
    """Every node lies within the file's 318 lines (the last line, `End of Day 2`, has no newline)."""
    assert len(gophercon_lines) == 318
    nodes = [node for node, _ in gophercon.walk()]
    assert all(1 <= n.line <= n.end_line <= 318 for n in nodes)
    assert {n.kind for n in nodes} == {"heading", "item", "code"}
    last, _ = at(gophercon, 318)
    assert (last.kind, last.text) == ("heading", "End of Day 2")


def test_example_item_text_is_the_source_line(gophercon: Document, gophercon_lines: list[str]) -> None:
    """A one-line item's text is its source line minus the bullet and surrounding whitespace."""
    items = [n for n, _ in gophercon.walk() if n.kind == "item"]
    bullet_lines = [i for i, line in enumerate(gophercon_lines, 1) if re.match(r"\s*•\s", line)]
    assert len(bullet_lines) == 216
    assert [n.line for n in items] == bullet_lines
    for node in items:
        assert node.line == node.end_line
        source = gophercon_lines[node.line - 1]
        assert node.text in source
        assert node.text == re.sub(r"^\s*•\s+", "", source).strip(), node.line


# --- lecture.md: Markdown -------------------------------------------------------------------------

LECTURE_SHAPE = [
    ("heading", 7, 7, 0, "Virtual Memory"),
    ("paragraph", 9, 11, 1, "Paging lets each process see a private address space that the MMU maps "
                            "onto physical frames, one page at a time."),
    ("heading", 13, 13, 1, "Page Tables"),
    ("item", 15, 15, 2, "A page table maps virtual page numbers to frames"),
    ("item", 16, 16, 3, "Each entry holds a frame number"),
    ("item", 17, 17, 3, "plus valid, dirty and accessed bits"),
    ("item", 18, 19, 2, "Multi-level tables save space for sparse address spaces"),
    ("item", 21, 21, 2, "Split the virtual address"),
    ("item", 22, 22, 2, "Walk the levels"),
    ("item", 23, 23, 3, "Read the top-level entry"),
    ("item", 24, 24, 3, "Follow it to the next table"),
    ("item", 25, 25, 2, "Combine frame and offset"),
    ("code", 27, 31, 2, "def translate(va, root):\n"
                        "    vpn, offset = va >> 12, va & 0xFFF\n"
                        "    return walk(root, vpn) << 12 | offset"),
    ("heading", 33, 34, 1, "TLB Reach"),
    ("item", 36, 36, 2, "The TLB caches recent translations"),
    ("item", 37, 37, 2, "A miss costs a full page walk"),
]


def test_markdown_outline() -> None:
    """lecture.md: every block with its exact lines, depth and text."""
    doc = fixture("lecture.md")
    assert doc.format == "markdown"
    assert shape(doc) == LECTURE_SHAPE


def test_markdown_front_matter() -> None:
    """The front matter (lines 1-5) gives the title and metadata and yields no nodes."""
    doc = fixture("lecture.md")
    assert doc.title == "Operating Systems — Lecture 7"
    assert doc.meta == {"title": "Operating Systems — Lecture 7", "course": "CS 162", "date": "2024-10-14"}
    assert min(node.line for node, _ in doc.walk()) == 7


def test_markdown_title_falls_back_to_first_h1() -> None:
    """Without front matter the first level-1 heading names the document."""
    doc = read_text("Intro\n\n## Setup\n\n# Virtual Memory\n\n# Scheduling\n", "notes.md")
    assert doc.title == "Virtual Memory"


def test_markdown_headings() -> None:
    """ATX and setext headings get their levels, lines (setext: text + underline) and breadcrumbs."""
    doc = fixture("lecture.md")
    headings = [(n.text, n.level, n.line, n.end_line, n.context)
                for n, _ in doc.walk() if n.kind == "heading"]
    assert headings == [
        ("Virtual Memory", 1, 7, 7, ()),
        ("Page Tables", 2, 13, 13, ("Virtual Memory",)),
        ("TLB Reach", 2, 33, 34, ("Virtual Memory",)),
    ]
    item, _ = find(doc, "A miss costs a full page walk")
    assert item.breadcrumb == "Virtual Memory > TLB Reach"


def test_markdown_nested_lists() -> None:
    """Bullet and numbered lists nest by indentation; numbered items are ordered, bullets are not."""
    doc = fixture("lecture.md")
    first, _ = find(doc, "A page table maps virtual page numbers to frames")
    assert [c.line for c in first.children] == [16, 17]
    walk, _ = find(doc, "Walk the levels")
    assert [(c.line, c.ordered) for c in walk.children] == [(23, True), (24, True)]
    ordered = {n.line: n.ordered for n, _ in doc.walk() if n.kind == "item"}
    assert ordered == {15: False, 16: False, 17: False, 18: False, 21: True, 22: True, 23: True,
                       24: True, 25: True, 36: False, 37: False}


def test_markdown_fenced_code_kept_whole() -> None:
    """The fence (lines 27-31) is one code node holding all its lines, with the language as info."""
    doc = fixture("lecture.md")
    lines = (FIXTURES / "lecture.md").read_text(encoding="utf-8").split("\n")
    code, parent = at(doc, 27)
    assert (code.kind, code.line, code.end_line, code.info) == ("code", 27, 31, "python")
    assert code.text == "\n".join(lines[27:30])
    assert parent is not None and (parent.kind, parent.text) == ("heading", "Page Tables")


# --- outline.txt: plain-text outline -------------------------------------------------------------

OUTLINE_SHAPE = [
    ("heading", 3, 3, 0, "Week 3"),
    ("heading", 5, 5, 1, "Sorting Algorithms"),
    ("item", 7, 7, 2, "Merge sort splits the array in half"),
    ("item", 8, 8, 3, "recursively sorts each half"),
    ("item", 9, 10, 3, "merges the two sorted halves in linear time, using a temporary buffer"),
    ("item", 11, 11, 2, "Quick sort picks a pivot"),
    ("item", 12, 12, 3, "partitions the array around the pivot"),
    ("item", 13, 13, 3, "average O(n log n), worst O(n^2)"),
    ("item", 14, 14, 2, "Example partition step"),
    ("code", 15, 16, 3, "pivot := xs[len(xs)-1]\nleft, right := 0, len(xs)-1"),
    ("heading", 18, 18, 1, "Steps for merge sort"),
    ("item", 20, 20, 2, "Divide the list into halves"),
    ("item", 21, 21, 2, "Conquer each half"),
    ("item", 22, 22, 3, "sort the left half"),
    ("item", 23, 23, 3, "sort the right half"),
    ("item", 24, 24, 2, "Combine the results"),
    ("paragraph", 26, 27, 2, "Quiz on Friday covers both algorithms, so review the recurrences."),
    ("heading", 29, 29, 0, "Week 4"),
    ("heading", 31, 31, 1, "Graph Traversal"),
    ("item", 33, 33, 2, "BFS explores level by level"),
    ("item", 34, 34, 3, "uses a queue"),
    ("item", 35, 35, 3, "finds shortest paths in unweighted graphs"),
    ("item", 36, 36, 2, "DFS goes as deep as possible first"),
    ("item", 37, 37, 3, "uses a stack or recursion"),
    ("item", 38, 38, 4, "recursion depth can blow the stack"),
]


def test_plaintext_outline() -> None:
    """outline.txt: every block with its exact lines, depth and text."""
    doc = fixture("outline.txt")
    assert doc.format == "text"
    assert shape(doc) == OUTLINE_SHAPE


def test_plaintext_title_lines() -> None:
    """A run of bare title lines: the first names the file, the rest nest one level each."""
    doc = fixture("outline.txt")
    assert doc.title == "CS 201 Study Notes"
    headings = [(n.text, n.level, n.context) for n, _ in doc.walk() if n.kind == "heading"]
    assert headings == [
        ("Week 3", 1, ()),
        ("Sorting Algorithms", 2, ("Week 3",)),
        ("Steps for merge sort", 2, ("Week 3",)),  # trailing colon dropped
        ("Week 4", 1, ()),
        ("Graph Traversal", 2, ("Week 4",)),
    ]
    item, _ = find(doc, "recursion depth can blow the stack")
    assert item.breadcrumb == "Week 4 > Graph Traversal"


def test_plaintext_wrapped_continuation_line() -> None:
    """A wrapped line indented under an item joins its text and extends its end_line."""
    doc = fixture("outline.txt")
    item, parent = at(doc, 9)
    assert item.text == "merges the two sorted halves in linear time, using a temporary buffer"
    assert (item.line, item.end_line) == (9, 10)
    assert parent is not None and parent.line == 7
    assert [n for n, _ in doc.walk() if n.line == 10] == []


def test_plaintext_indented_code_under_item() -> None:
    """Indented code lines under an item form one dedented code node, the item's child."""
    doc = fixture("outline.txt")
    code, parent = at(doc, 15)
    assert (code.kind, code.line, code.end_line, code.info) == ("code", 15, 16, "")
    assert code.text == "pivot := xs[len(xs)-1]\nleft, right := 0, len(xs)-1"
    assert parent is not None and (parent.kind, parent.text) == ("item", "Example partition step")


def test_plaintext_numbered_items_are_ordered() -> None:
    """`1.` and `a)` items are ordered; `•`, `◦` and `-` items are not."""
    doc = fixture("outline.txt")
    ordered = sorted(n.line for n, _ in doc.walk() if n.kind == "item" and n.ordered)
    assert ordered == [20, 21, 22, 23, 24]
    conquer, _ = at(doc, 21)
    assert [(c.text, c.ordered) for c in conquer.children] == [
        ("sort the left half", True), ("sort the right half", True)]


def test_plaintext_multiline_paragraph() -> None:
    """Two prose lines make one paragraph spanning both, under the heading (not the list)."""
    doc = fixture("outline.txt")
    para, parent = at(doc, 26)
    assert (para.kind, para.line, para.end_line) == ("paragraph", 26, 27)
    assert parent is not None and (parent.kind, parent.text) == ("heading", "Steps for merge sort")


def test_plaintext_tab_indented_outline() -> None:
    """tabs.txt: tab-indented bullets nest one level per tab."""
    doc = fixture("tabs.txt")
    assert (doc.format, doc.title) == ("text", "Kubernetes cheat sheet")
    assert shape(doc) == [
        ("heading", 3, 3, 0, "Workloads"),
        ("item", 5, 5, 1, "Pods are the smallest deployable unit"),
        ("item", 6, 6, 2, "one or more containers"),
        ("item", 7, 7, 2, "share a network namespace"),
        ("item", 8, 8, 3, "containers reach each other on localhost"),
        ("item", 9, 9, 1, "Deployments manage ReplicaSets"),
        ("item", 10, 10, 2, "declare the desired state"),
        ("item", 11, 11, 2, "the controller reconciles it"),
        ("item", 12, 12, 1, "Services give pods a stable address"),
    ]


@pytest.mark.parametrize("name", ["tabs.txt", "outline.txt"])
@pytest.mark.parametrize("spaces", ["  ", "    "], ids=["2-spaces", "4-spaces"])
def test_tabs_nest_like_spaces(name: str, spaces: str) -> None:
    """Replacing each indenting tab by spaces gives the very same outline."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert "\t" in text
    with_tabs = read_text(text, name)
    with_spaces = read_text(text.replace("\t", spaces), name)
    assert signature(with_spaces) == signature(with_tabs)


# --- book.org: Org mode ---------------------------------------------------------------------------

BOOK_SHAPE = [
    ("heading", 7, 7, 0, "Chapter 5: Replication"),
    ("paragraph", 12, 13, 1, "Replication keeps a copy of the same data on several machines "
                             "connected via a network."),
    ("heading", 15, 15, 1, "Leaders and Followers"),
    ("item", 16, 16, 2, "Writes go to the leader"),
    ("item", 17, 17, 3, "followers apply the replication log"),
    ("item", 18, 18, 3, "in the same order as the leader"),
    ("item", 19, 19, 2, "Reads can go to any replica"),
    ("heading", 21, 21, 1, "Replication lag"),
    ("item", 22, 22, 2, "Read-your-writes consistency"),
    ("item", 23, 23, 2, "Monotonic reads"),
    ("item", 24, 24, 3, "a user never sees time go backwards"),
    ("item", 25, 25, 2, "Consistent prefix reads"),
    ("code", 27, 32, 2, "def read_your_writes(user, replica):\n"
                        "    if user.last_write > replica.position:\n"
                        "        return leader\n"
                        "    return replica"),
    ("heading", 34, 34, 0, "Chapter 6: Partitioning"),
    ("item", 36, 36, 1, "Partitioning by key range"),
    ("item", 37, 38, 1, "Partitioning by hash of key which spreads load evenly"),
]


def test_org_outline() -> None:
    """book.org: every block with its exact lines, depth and text."""
    doc = fixture("book.org")
    assert doc.format == "org"
    assert shape(doc) == BOOK_SHAPE


def test_org_keywords_drawers_and_comments() -> None:
    """`#+KEY:` lines are metadata, the drawer (8-10) and the comments (5, 35) yield no nodes."""
    doc = fixture("book.org")
    assert doc.title == "Designing Data-Intensive Applications"
    assert doc.meta == {"title": "Designing Data-Intensive Applications", "author": "Martin Kleppmann",
                        "startup": "overview"}
    lines = {line for node, _ in doc.walk() for line in range(node.line, node.end_line + 1)}
    assert lines.isdisjoint({1, 2, 3, 5, 8, 9, 10, 35})


def test_org_headings_drop_todo_priority_and_tags() -> None:
    """Stars give the level; TODO/DONE keywords, `[#A]` and `:tags:` are not part of the text."""
    doc = fixture("book.org")
    headings = [(n.text, n.level, n.line, n.context) for n, _ in doc.walk() if n.kind == "heading"]
    assert headings == [
        ("Chapter 5: Replication", 1, 7, ()),
        ("Leaders and Followers", 2, 15, ("Chapter 5: Replication",)),
        ("Replication lag", 2, 21, ("Chapter 5: Replication",)),
        ("Chapter 6: Partitioning", 1, 34, ()),
    ]


def test_org_items() -> None:
    """`-` and `+` items nest by indent; numbered items are ordered; a wrapped line joins its item."""
    doc = fixture("book.org")
    writes, _ = find(doc, "Writes go to the leader")
    assert [c.line for c in writes.children] == [17, 18]
    monotonic, _ = find(doc, "Monotonic reads")
    assert monotonic.ordered
    assert [(c.line, c.ordered) for c in monotonic.children] == [(24, False)]
    ordered = sorted(n.line for n, _ in doc.walk() if n.kind == "item" and n.ordered)
    assert ordered == [22, 23, 25]
    item, _ = at(doc, 37)
    assert item.breadcrumb == "Chapter 6: Partitioning"


def test_org_src_block_kept_whole() -> None:
    """`#+BEGIN_SRC python` ... `#+END_SRC` (27-32) is one code node with info `python`."""
    doc = fixture("book.org")
    lines = (FIXTURES / "book.org").read_text(encoding="utf-8").split("\n")
    code, parent = at(doc, 27)
    assert (code.kind, code.line, code.end_line, code.info) == ("code", 27, 32, "python")
    assert code.text == "\n".join(lines[27:31])
    assert parent is not None and (parent.kind, parent.text) == ("heading", "Replication lag")


# --- format selection ------------------------------------------------------------------------------

MARKDOWN_TEXT = (FIXTURES / "markdown-in.txt").read_text(encoding="utf-8")
ORG_TEXT = (FIXTURES / "org-in.txt").read_text(encoding="utf-8")
OUTLINE_TEXT = (FIXTURES / "outline.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("standup.md", ORG_TEXT, "markdown"),
    ("standup.MARKDOWN", ORG_TEXT, "markdown"),
    ("review.org", MARKDOWN_TEXT, "org"),
    ("review.ORG", OUTLINE_TEXT, "org"),
    ("outline.md", OUTLINE_TEXT, "markdown"),
    ("standup.txt", MARKDOWN_TEXT, "markdown"),
    ("review.txt", ORG_TEXT, "org"),
    ("outline.txt", OUTLINE_TEXT, "text"),
    ("notes", OUTLINE_TEXT, "text"),
])
def test_detect_format(name: str, text: str, expected: str) -> None:
    """A known suffix decides the reader whatever the content; otherwise the content is sniffed."""
    assert detect_format(Path(name), text) == expected
    assert read_text(text, name).format == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("lecture.md", "markdown"),
    ("markdown-in.txt", "markdown"),
    ("book.org", "org"),
    ("org-in.txt", "org"),
    ("outline.txt", "text"),
    ("tabs.txt", "text"),
])
def test_sniff_fixtures(name: str, expected: str) -> None:
    """Content alone tells each fixture's format."""
    assert sniff((FIXTURES / name).read_text(encoding="utf-8")) == expected


def test_sniff_example_is_text() -> None:
    """The plain bullet example notes are not mistaken for Markdown or Org."""
    assert sniff(EXAMPLE.read_text(encoding="utf-8")) == "text"


def test_markdown_in_txt_is_read_as_markdown() -> None:
    """A .txt holding Markdown gets Markdown headings, items and fenced code."""
    doc = fixture("markdown-in.txt")
    assert (doc.format, doc.title) == ("markdown", "Standup 2024-11-27")
    assert shape(doc) == [
        ("heading", 1, 1, 0, "Standup 2024-11-27"),
        ("heading", 3, 3, 1, "Done"),
        ("item", 5, 5, 2, "Fixed the flaky retry test"),
        ("item", 6, 6, 2, "Reviewed the [caching RFC](https://example.com/rfc/42)"),
        ("heading", 8, 8, 1, "Next"),
        ("code", 10, 12, 2, "make bench"),
    ]
    assert at(doc, 10)[0].info == "sh"


def test_org_in_txt_is_read_as_org() -> None:
    """A .txt holding Org gets Org headings (TODO keyword and tags dropped) and items."""
    doc = fixture("org-in.txt")
    assert (doc.format, doc.title) == ("org", "Weekly Review")
    assert shape(doc) == [
        ("heading", 3, 3, 0, "Ship the 1.4 release"),
        ("item", 4, 4, 1, "tagged v1.4.0"),
        ("item", 5, 5, 1, "announced it on the mailing list"),
        ("heading", 6, 6, 1, "Follow-ups"),
        ("item", 7, 7, 2, "update the changelog"),
    ]


@pytest.mark.parametrize(("suffix", "content", "expected"), [
    (".md", "org-in.txt", "markdown"),
    (".org", "markdown-in.txt", "org"),
])
def test_read_file_suffix_wins(tmp_path: Path, suffix: str, content: str, expected: str) -> None:
    """read_file trusts the suffix over content that looks like another format."""
    path = tmp_path / f"notes{suffix}"
    path.write_bytes((FIXTURES / content).read_bytes())
    doc, _ = read_file(path)
    assert doc.format == expected


# --- line endings, BOM, unicode line separators --------------------------------------------------

ALL_FIXTURES = ["lecture.md", "outline.txt", "book.org", "markdown-in.txt", "org-in.txt", "tabs.txt"]


@pytest.mark.parametrize("name", ALL_FIXTURES)
@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["CRLF", "CR"])
def test_line_endings_do_not_shift_lines(tmp_path: Path, name: str, newline: bytes) -> None:
    """CRLF and CR-only files give exactly the outline (and line numbers) of the LF file."""
    data = (FIXTURES / name).read_bytes()
    assert b"\r" not in data
    path = tmp_path / name
    path.write_bytes(data.replace(b"\n", newline))
    doc, warnings = read_file(path)
    expected = fixture(name)
    assert warnings == []
    assert (doc.format, doc.title, doc.meta) == (expected.format, expected.title, expected.meta)
    assert signature(doc) == signature(expected)


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_utf8_bom_is_dropped(tmp_path: Path, name: str) -> None:
    """A UTF-8 BOM changes nothing: same format, title, metadata and outline."""
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / name).read_bytes())
    doc, warnings = read_file(path)
    expected = fixture(name)
    assert warnings == []
    assert (doc.format, doc.title, doc.meta) == (expected.format, expected.title, expected.meta)
    assert signature(doc) == signature(expected)
    assert all("\ufeff" not in node.text for node, _ in doc.walk())


def test_non_utf8_file_is_read_with_a_warning(tmp_path: Path) -> None:
    """Windows-1252 bytes are decoded (curly quotes kept) and reported in a warning."""
    path = tmp_path / "notes.txt"
    path.write_bytes("Talk\n\n• \u201cfour\u201d loops\n".encode("cp1252"))
    doc, warnings = read_file(path)
    assert len(warnings) == 1 and "not valid UTF-8" in warnings[0]
    assert find(doc, "\u201cfour\u201d loops")[0].line == 3


LINE_SEPARATOR_DOCS = {
    "text": "Notes\n\n• alpha{sep}beta\n• gamma\n",
    "markdown": "# Notes\n\n- alpha{sep}beta\n- gamma\n",
    "org": "* Notes\n\n- alpha{sep}beta\n- gamma\n",
}


@pytest.mark.parametrize("fmt", sorted(LINE_SEPARATOR_DOCS))
@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1e"],
                         ids=["U+2028", "U+2029", "NEL", "VT", "FF", "RS"])
def test_unicode_line_separators_do_not_split_lines(fmt: str, sep: str) -> None:
    """U+2028 (and the other characters str.splitlines splits on) stay inside their line."""
    doc = read_text(LINE_SEPARATOR_DOCS[fmt].replace("{sep}", sep), "x", fmt)
    assert [(n.kind, n.line, n.end_line, n.text) for n, _ in doc.walk()] == [
        ("heading", 1, 1, "Notes"),
        ("item", 3, 3, f"alpha{sep}beta"),
        ("item", 4, 4, "gamma"),
    ]


# --- regressions: reader bugs found while writing these tests, now fixed ------------------------------


def test_org_src_block_indented_under_item_is_its_child() -> None:
    """An Org src block indented under a list item belongs to that item, like a Markdown fence."""
    text = ("* Python tricks\n"
            "- Sort words by length\n"
            "  #+BEGIN_SRC python\n"
            "  sorted(words, key=len)\n"
            "  #+END_SRC\n"
            "- Next point\n")
    doc = read_text(text, "tricks.org")
    code, parent = at(doc, 3)
    assert (code.kind, code.end_line, code.text) == ("code", 5, "sorted(words, key=len)")
    assert parent is not None and (parent.kind, parent.line) == ("item", 2)


def test_org_unclosed_drawer_keeps_following_headings() -> None:
    """A drawer missing its `:END:` must not hide the next heading and its items."""
    text = ("* Chapter 1\n"
            ":PROPERTIES:\n"
            ":PAGES: 1-20\n"
            "\n"
            "* Chapter 2\n"
            "- point\n")
    doc = read_text(text, "book.org")
    heading, _ = find(doc, "Chapter 2")
    assert (heading.kind, heading.line, heading.level) == ("heading", 5, 1)
    assert [(c.kind, c.line) for c in heading.children] == [("item", 6)]


def test_markdown_multiline_setext_heading_text_is_one_line() -> None:
    """A setext heading spanning two text lines reads as one line of text, like a paragraph."""
    doc = read_text("Virtual memory and\npaging basics\n==================\n\n- TLB\n", "vm.md")
    heading, _ = at(doc, 1)
    assert (heading.kind, heading.line, heading.end_line) == ("heading", 1, 3)
    assert heading.text == "Virtual memory and paging basics"
    assert find(doc, "TLB")[0].breadcrumb == "Virtual memory and paging basics"


def test_plaintext_indented_code_block_is_not_split() -> None:
    """A deeper-indented line that directly follows a code line continues that code block."""
    text = ("Generics\n"
            "\n"
            "• A generic Max\n"
            "    func Max[T cmp.Ordered](a, b T) T {\n"
            "        if a > b {\n"
            "            return a\n"
            "        }\n"
            "        return b\n"
            "    }\n"
            "• Next point\n")
    doc = read_text(text, "generics.txt", "text")
    item, _ = at(doc, 3)
    assert [(c.kind, c.line, c.end_line) for c in item.children] == [("code", 4, 9)]
    assert item.children[0].text == "\n".join(line[4:] for line in text.split("\n")[3:9])


def test_sniff_go_generics_in_outline_stay_text() -> None:
    """A `•` outline quoting a generic Go signature is still plain text, not Markdown."""
    text = ("Generics\n"
            "\n"
            "• Type parameters go in square brackets\n"
            "    func Map[T any](s []T, f func(T) T) []T\n"
            "• Constraints can be interfaces\n")
    assert sniff(text) == "text"
    doc = read_text(text, "generics.txt")
    assert [(n.kind, n.line) for n, _ in doc.walk()] == [
        ("heading", 1), ("item", 3), ("code", 4), ("item", 5)]


# --- property: any mix of bullets, indentation and unicode ---------------------------------------

_markers = st.sampled_from(["• ", "- ", "* ", "1. ", "a) ", "+ ", "", "# ", "** ", "```", "---",
                            "#+BEGIN_SRC ", "#+END_SRC", ":PROPERTIES:", ":END:"])
_indents = st.text(alphabet=" \t", max_size=6)
_words = st.lists(st.text(min_size=1, max_size=8), max_size=4).map(" ".join)
_lines = st.tuples(_indents, _markers, _words).map("".join)
_texts = st.tuples(st.lists(_lines, max_size=20), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda parts: parts[1].join(parts[0]))


@pytest.mark.parametrize("fmt", ["text", "markdown", "org"])
@given(text=_texts)
def test_readers_never_raise_and_lines_stay_in_range(fmt: str, text: str) -> None:
    """Any text parses without error and every node satisfies 1 <= line <= end_line <= #lines."""
    doc = read_text(text, "x", fmt)
    assert doc.format == fmt
    n_lines = count_lines(text.replace("\x00", ""))
    for node, parent in doc.walk():
        assert 1 <= node.line <= node.end_line <= n_lines, (node, n_lines)
        assert parent is not None


HEADLINE_NOTES = """#+TITLE: Databases talk
* Storage
** row stores keep whole records together
** column stores - scan one attribute fast
*** compression works well on columns
*** late materialization
* Replication
** leader-follower
*** followers serve reads
**** stale reads are possible
** quorum writes
* Lessons
** measure before sharding
"""


def test_org_notes_written_as_headlines_become_items() -> None:
    """An Org file whose notes are all headlines: below the top level they read as nested
    items (so lists and definitions are found), top-level headlines stay the sections."""
    doc = read_text(HEADLINE_NOTES, "talk.org")
    sections = [n for n in doc.root.children if n.kind == "heading"]
    assert [s.text for s in sections] == ["Storage", "Replication", "Lessons"]
    storage = sections[0].children
    assert [n.kind for n in storage] == ["item", "item"]
    assert [c.text for c in storage[1].children] == ["compression works well on columns",
                                                     "late materialization"]
    leader = sections[1].children[0]
    assert leader.children[0].text == "followers serve reads"
    assert leader.children[0].children[0].text == "stale reads are possible"


def test_org_headings_over_body_text_stay_headings() -> None:
    text = ("* Cells\n** Organelles\n- Mitochondria make ATP\n- Ribosomes build proteins\n"
            "** Membranes\n- lipid bilayer\n")
    doc = read_text(text, "bio.org")
    assert [n.kind for n in doc.root.children[0].children] == ["heading", "heading"]


# --- Org headline tags ----------------------------------------------------------------------------

TAGGED_ORG = """#+FILETAGS: :term2:
#+FILETAGS: :field_trip:
* Plate tectonics                                  :geo:exam:
Continents drift a few centimetres every year.
- Subduction :: one plate sinks beneath another
** TODO [#B] Volcanoes   :hazards:exam:
- Shield volcanoes have gentle slopes
* Glossary
- Magma is molten rock below the surface
"""


def test_org_headline_tags_leave_the_text_and_tag_everything_under_the_headline() -> None:
    """`:geo:exam:` is not heading text (nor breadcrumb); the headline, its body and its
    sub-headlines inherit it, a sub-headline adds its own; the next headline starts afresh."""
    doc = read_text(TAGGED_ORG, "earth.org")
    tectonics, _ = find(doc, "Plate tectonics")
    volcanoes, _ = find(doc, "Volcanoes")
    assert (tectonics.tags, volcanoes.tags) == (("geo", "exam"), ("geo", "exam", "hazards"))
    assert at(doc, 4)[0].tags == at(doc, 5)[0].tags == ("geo", "exam")
    shield = at(doc, 7)[0]
    assert (shield.tags, shield.breadcrumb) == (("geo", "exam", "hazards"), "Plate tectonics > Volcanoes")
    assert find(doc, "Glossary")[0].tags == at(doc, 9)[0].tags == ()
    assert all(":" not in part for node, _ in doc.walk() for part in node.context)


def test_org_filetags_lines_add_up() -> None:
    """Several `#+FILETAGS:` lines tag the file with all of them (as Org does)."""
    doc = read_text(TAGGED_ORG, "earth.org")
    assert doc.meta["filetags"].split() == [":term2:", ":field_trip:"]


@pytest.mark.parametrize(("headline", "text", "tags"), [
    ("* Rocks :geo:", "Rocks", ("geo",)),
    ("* Rocks\t:geo:lab:\t", "Rocks", ("geo", "lab")),
    ("* Fieldwork :@site:lab_2:", "Fieldwork", ("@site", "lab_2")),
    ("* DONE [#A] Rocks :geo:geo:", "Rocks", ("geo",)),
    ("* :geo:", "", ("geo",)),
    ("* Meet at 10:30:", "Meet at 10:30:", ()),  # no blank before it: not tags
    ("* Ratio 3:2", "Ratio 3:2", ()),
    ("* Rocks :two words:", "Rocks :two words:", ()),  # a space is no tag character
    ("* Rocks :not-a-tag:", "Rocks :not-a-tag:", ()),
    ("* Rocks :geo: and more", "Rocks :geo: and more", ()),  # tags end the headline
])
def test_org_tags_are_only_a_trailing_run_of_tag_words(headline: str, text: str,
                                                        tags: tuple[str, ...]) -> None:
    heading = read_text(f"{headline}\n- Granite is an igneous rock\n", "rocks.org").root.children[0]
    assert (heading.kind, heading.text, heading.tags) == ("heading", text, tags)


def test_org_tags_of_headlines_read_as_items_still_reach_their_notes() -> None:
    """Notes written entirely as headlines become items below the top level; a tagged
    headline-item still tags the notes nested under it."""
    text = ("* Minerals :geo:\n** quartz is hard\n** feldspar :common:\n*** most abundant mineral\n"
            "*** weathers to clay\n** mica splits into sheets\n* Fossils\n** ammonites date rocks\n"
            "** trilobites lived in seas\n")
    doc = read_text(text, "minerals.org")
    feldspar, _ = find(doc, "feldspar")
    assert feldspar.kind == "item" and feldspar.tags == ("geo", "common")
    assert find(doc, "weathers to clay")[0].tags == ("geo", "common")
    assert find(doc, "mica splits into sheets")[0].tags == ("geo",)
    assert find(doc, "ammonites date rocks")[0].tags == ()


def test_a_long_headline_without_tags_reads_fast() -> None:
    """Blanks and colons by the thousand: the tag search stays linear."""
    import time

    headline = "* " + " :x" * 6000 + " " * 6000 + "end:\n"
    start = time.perf_counter()
    heading = read_text(headline, "long.org").root.children[0]
    assert heading.tags == () and time.perf_counter() - start < 1


# --- titles a file declares ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "text", "title"), [
    ("a.md", "---\ntitle: Linear   Algebra\ntags: [maths]\n---\n# Vectors\n- A basis spans the space\n",
     "Linear Algebra"),
    ("a.md", "---\r\ntitle: Written on Windows\r\n---\r\n- x\r\n", "Written on Windows"),
    ("a.md", "---\ntitle: Ended by dots\n...\n# Later\n", "Ended by dots"),
    ("a.md", "---\ntitle: Never closed\n# Vectors\n", ""),
    ("a.md", "---\n- not\n- a mapping\n---\n# Vectors\n", ""),
    ("a.md", "# Vectors\n\n---\ntitle: a rule, then text\n---\n", ""),
    ("a.md", "# Only a heading\n- A basis spans the space\n", ""),  # a heading is no declared title
    ("a.org", "#+TITLE: Rock Cycle\n* Igneous\n", "Rock Cycle"),
    ("a.org", "#+title: first\n* Igneous\n#+TITLE: second\n", "second"),
    ("a.org", "#+BEGIN_SRC org\n#+TITLE: quoted in code\n#+END_SRC\n* Igneous\n", ""),
    ("a.org", ":PROPERTIES:\n#+TITLE: in a drawer\n:END:\n* Igneous\n", ""),
    ("a.org", "#+BEGIN_SRC org\n#+TITLE: after an unclosed block\n", "after an unclosed block"),
    ("a.txt", "#+TITLE: Sniffed as Org\n* Igneous\n** Basalt\n", "Sniffed as Org"),
    ("a.txt", "Rock Cycle\nIgneous\n• Basalt is volcanic\n", ""),  # plain text declares none
])
def test_declared_title_is_the_title_the_reader_finds(name: str, text: str, title: str) -> None:
    """`declared_title` (read from the file's head, for naming decks) agrees with the reader's
    own metadata: front matter `title:` or `#+TITLE:`, spaces squeezed."""
    from generator.readers import declared_title

    assert declared_title(text.encode("utf-8"), Path(name)) == title
    assert " ".join(read_text(text, name).meta.get("title", "").split()) == title


def test_declared_title_of_what_is_not_text_is_empty() -> None:
    from generator.readers import declared_title

    assert declared_title(b"\x89PNG\r\n\x1a\n#+TITLE: no\n", Path("a.org")) == ""
    assert declared_title("\ufeff#+TITLE: Marked\n* x\n".encode(), Path("a.org")) == "Marked"


@pytest.mark.parametrize(("org", "markdown"), [
    ("- coined the term /sociology/ in 1838", "coined the term *sociology* in 1838"),
    ("- a *bold* claim with =code= and ~verbatim~", "a **bold** claim with `code` and `verbatim`"),
    ("- see [[https://example.com][the docs]] or [[https://example.org]]",
     "see [the docs](https://example.com) or <https://example.org>"),
    ("- see [[*Methods][the methods section]]", "see the methods section"),
    ("- ratios 1/2 and paths /usr/local/bin/ stay", "ratios 1/2 and paths /usr/local/bin/ stay"),
    ("- math $a/b$ stays, /this/ does not", "math $a/b$ stays, *this* does not"),
    ("- 2*3*4 = 24", "2*3*4 = 24"),
])
def test_org_inline_markup_is_read_as_markdown(org: str, markdown: str) -> None:
    """Org emphasis, code and links render in Anki as the author meant, not as raw markers."""
    doc = read_text(f"* Notes\n{org}\n", "n.org")
    assert doc.root.children[0].children[0].text == markdown
