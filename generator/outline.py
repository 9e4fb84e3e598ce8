"""The outline model every reader produces and every extractor reads: a tree of nodes.

Readers only decide what each line is (heading, item, paragraph, code) and how deep it sits;
`OutlineBuilder` turns that stream into the tree, so nesting rules live in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

HEADING = "heading"
ITEM = "item"
PARAGRAPH = "paragraph"
CODE = "code"
ROOT = "root"


MAX_ANCESTORS = 8
"""Headings and items remembered above a node (the nearest ones): a list nested 5,000 deep
must not store 5,000 breadcrumb parts on each of its 5,000 nodes."""

@dataclass(frozen=True, slots=True)
class Node:
    """One block of a notes file."""

    kind: str
    """`heading`, `item`, `paragraph`, `code` (or `root` for the document itself)."""
    text: str
    """The block's text, without its bullet or heading marker (code: the lines, verbatim)."""
    line: int
    """1-based line where the block starts in the source file (0 for the root)."""
    end_line: int
    """1-based last line of the block (same as `line` for one-line blocks)."""
    depth: int = 0
    """Distance from the root: top-level headings and items have depth 0."""
    level: int = 0
    """Heading level (1 = top); 0 for other kinds."""
    ordered: bool = False
    """True for items of a numbered list (`1.`, `a)`): their order matters."""
    info: str = ""
    """Code blocks: the fence's info string (language); empty otherwise."""
    context: tuple[str, ...] = ()
    """Texts of the enclosing headings, outermost first (the breadcrumb)."""
    parents: tuple[str, ...] = ()
    """Texts of the enclosing list items, outermost first (a nested bullet's topic)."""
    children: tuple[Node, ...] = ()
    """Blocks nested under this one, in source order."""
    tags: tuple[str, ...] = ()
    """Tags of this block and of every block above it (Org headline `:tags:` are inherited by
    everything under the headline); the cards made from the block carry them."""

    @property
    def breadcrumb(self) -> str:
        """The context as shown on cards: `Day 2 > Interface Internals`."""
        return " > ".join(self.context)

    def walk(self) -> Iterator[tuple[Node, Node | None]]:
        """Every descendant (pre-order, source order) with its parent; no recursion."""
        stack: list[tuple[Node, Node | None]] = [(c, self) for c in reversed(self.children)]
        while stack:
            node, parent = stack.pop()
            yield node, parent
            stack.extend((c, node) for c in reversed(node.children))


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed notes file."""

    path: str
    """The file's path as given to the reader (shown in card sources)."""
    title: str
    """A title for the whole file (front matter, `#+TITLE`, a leading title line or the stem)."""
    root: Node
    """The outline; its children are the top-level blocks."""
    format: str = "text"
    """Which reader produced it: `text`, `markdown` or `org`."""
    meta: dict[str, str] = field(default_factory=dict)
    """Simple `key: value` metadata from front matter or `#+KEY:` lines."""
    analysis: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """What extractors derive from the document once and share (its statements), by name."""

    def walk(self) -> Iterator[tuple[Node, Node | None]]:
        """Every node with its parent (the root's children have the root as parent). The
        tree is frozen, so the order is worked out once and shared by every extractor."""
        nodes = cast("list[tuple[Node, Node | None]] | None", self.analysis.get("walk"))
        if nodes is None:
            nodes = self.analysis["walk"] = list(self.root.walk())
        return iter(nodes)


# Each field's slot, set directly by `_new_node` (a node per line of every file: the frozen
# dataclass's generated `__init__` calls `object.__setattr__` once per field).
(_SET_KIND, _SET_TEXT, _SET_LINE, _SET_END_LINE, _SET_DEPTH, _SET_LEVEL, _SET_ORDERED, _SET_INFO,
 _SET_CONTEXT, _SET_PARENTS, _SET_CHILDREN, _SET_TAGS) = (getattr(Node, name).__set__
                                                         for name in Node.__dataclass_fields__)


def _new_node(kind: str, text: str, line: int, end_line: int, depth: int, level: int, ordered: bool,
              info: str, context: tuple[str, ...], parents: tuple[str, ...], children: tuple[Node, ...],
              tags: tuple[str, ...]) -> Node:
    """`Node(...)` with every field given, built in half the time."""
    node = object.__new__(Node)
    _SET_KIND(node, kind)
    _SET_TEXT(node, text)
    _SET_LINE(node, line)
    _SET_END_LINE(node, end_line)
    _SET_DEPTH(node, depth)
    _SET_LEVEL(node, level)
    _SET_ORDERED(node, ordered)
    _SET_INFO(node, info)
    _SET_CONTEXT(node, context)
    _SET_PARENTS(node, parents)
    _SET_CHILDREN(node, children)
    _SET_TAGS(node, tags)
    return node


class _Draft:
    """A node under construction (mutable); frozen into a `Node` by `OutlineBuilder.build`."""

    __slots__ = ("children", "end_line", "indent", "info", "kind", "level", "line", "ordered", "tags",
                 "text")

    def __init__(self, kind: str, text: str, line: int, end_line: int, *, level: int = 0,
                 indent: int = 0, ordered: bool = False, info: str = "", tags: tuple[str, ...] = ()) -> None:
        self.kind, self.text, self.line, self.end_line = kind, text, line, end_line
        self.level, self.indent, self.ordered, self.info = level, indent, ordered, info
        self.tags = tags
        self.children: list[_Draft] = []


class OutlineBuilder:
    """Builds the tree from a stream of blocks; headings nest by level, items by indent.

    List content always nests under the current heading, never the reverse; a paragraph or
    code block belongs to the innermost open item it is indented under.
    """

    def __init__(self) -> None:
        self._root = _Draft(ROOT, "", 0, 0)
        self._headings: list[_Draft] = []
        self._items: list[_Draft] = []
        self._last: _Draft | None = None

    def _container(self) -> _Draft:
        if self._items:
            return self._items[-1]
        return self._headings[-1] if self._headings else self._root

    def _close_items(self, indent: int) -> None:
        while self._items and self._items[-1].indent >= indent:
            self._items.pop()

    def heading(self, text: str, level: int, line: int, end_line: int | None = None,
                tags: tuple[str, ...] = ()) -> None:
        """A heading of `level` (1 = top) closes open items and deeper or equal headings;
        its `tags` go to everything under it."""
        self._items.clear()
        while self._headings and self._headings[-1].level >= level:
            self._headings.pop()
        draft = _Draft(HEADING, text, line, end_line or line, level=level, tags=tags)
        (self._headings[-1] if self._headings else self._root).children.append(draft)
        self._headings.append(draft)
        self._last = draft

    def item(self, text: str, indent: int, line: int, end_line: int | None = None,
             ordered: bool = False, tags: tuple[str, ...] = ()) -> None:
        """A list item; it nests under the nearest open item with a smaller indent (`tags`:
        an Org headline read as an item keeps its tags for what is under it)."""
        self._close_items(indent)
        draft = _Draft(ITEM, text, line, end_line or line, indent=indent, ordered=ordered, tags=tags)
        self._container().children.append(draft)
        self._items.append(draft)
        self._last = draft

    def block(self, kind: str, text: str, line: int, end_line: int, indent: int = 0,
              info: str = "") -> None:
        """A paragraph or code block; it belongs to the innermost item it is indented under."""
        self._close_items(indent)
        draft = _Draft(kind, text, line, end_line, indent=indent, info=info)
        self._container().children.append(draft)
        self._last = draft

    def extend_last(self, text: str, end_line: int, sep: str = " ") -> bool:
        """Append a continuation line to the last block; False when there is none."""
        if self._last is None:
            return False
        self._last.text = f"{self._last.text}{sep}{text}" if self._last.text else text
        self._last.end_line = end_line
        return True

    @property
    def last_kind(self) -> str | None:
        """Kind of the most recent block, or None at the start."""
        return self._last.kind if self._last else None

    def build(self) -> Node:
        """Freeze the drafts into `Node`s (iteratively: nesting depth is unbounded)."""
        # Post-order over an explicit stack; each frame: draft, depth, headings above,
        # items above, tags from above, done-children.
        Frame = tuple[_Draft, int, tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]
        results: dict[int, Node] = {}
        stack: list[Frame] = [(self._root, -1, (), (), (), False)]
        while stack:
            draft, depth, context, parents, inherited, expanded = stack.pop()
            if not expanded:
                child_context = (*context, draft.text)[-MAX_ANCESTORS:] if draft.kind == HEADING else context
                child_parents = (*parents, draft.text)[-MAX_ANCESTORS:] if draft.kind == ITEM else ()
                if draft.tags:  # shared, not copied, by the children: a deep list costs nothing
                    draft.tags = tuple(dict.fromkeys((*inherited, *draft.tags)))
                else:
                    draft.tags = inherited
                stack.append((draft, depth, context, parents, inherited, True))
                stack.extend((c, depth + 1, child_context, child_parents, draft.tags, False)
                             for c in draft.children)
                continue
            children = tuple(results.pop(id(c)) for c in draft.children)
            results[id(draft)] = _new_node(draft.kind, draft.text, draft.line, draft.end_line, max(depth, 0),
                                           draft.level, draft.ordered, draft.info, context, parents, children,
                                           draft.tags)
        return results[id(self._root)]
