"""Cards the author wrote on purpose: `question :: answer` lines and `Q:` / `A:` pairs.

They are taken literally: the front and the back are the author's words, as written (only
the spaces around them trimmed), never reworded into a "What is ...?" question.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..cards import BASIC, REVERSED, Card
from ..explicit_syntax import ANSWER, INLINE_ANSWER, QUESTION, split_card, starts_card
from ..outline import CODE, HEADING, Document, Node
from .factory import make_card
from .registry import extractor

NAME = "explicit"


def _fenced(node: Node) -> str:
    return f"```{node.info}\n{node.text}\n```"


def _nested(node: Node) -> Iterator[Node]:
    """The content nested under `node` that continues its answer (pre-order): not a section
    under a heading (its notes are notes of their own), and not a nested block that is a card
    itself (`Ribosome :: protein factory` under `Nucleus :: holds the DNA`)."""
    if node.kind == HEADING:
        return
    stack = list(reversed(node.children))
    while stack:
        child = stack.pop()
        if child.kind != CODE and starts_card(child.text):
            continue
        yield child
        stack.extend(reversed(child.children))


def _answer_from(node: Node, first: str, following: tuple[Node, ...]) -> tuple[str, int]:
    """An answer that starts in `node` and continues with its nested content and with the
    code blocks right after it (an answer that goes on with a fenced block); its last line."""
    parts = [first] if first else []
    end = node.end_line
    for child in _nested(node):
        parts.append(_fenced(child) if child.kind == CODE else child.text)
        end = max(end, child.end_line)
    for extra in following if node.kind != HEADING else ():
        if extra.kind != CODE:
            break
        parts.append(_fenced(extra))
        end = extra.end_line
    return "\n".join(p for p in parts if p).strip(), end


def _cards_at(doc: Document, siblings: tuple[Node, ...], i: int) -> Iterator[Card]:
    """Explicit cards written at `siblings[i]` (an answer may go on in the siblings after it)."""
    node = siblings[i]
    written = split_card(node.text)
    both_ways = written is not None and written[2]
    if written is not None:  # its answer can go on only with code blocks right after it
        front, (answer, end) = written[0], _answer_from(node, written[1], _code_after(siblings, i))
    else:
        q = QUESTION.match(node.text)
        if not q:
            return
        after = _reachable(siblings, i)
        inline = INLINE_ANSWER.split(q.group("text"), maxsplit=1)
        if len(inline) == 2:  # `Q: ... A: ...` in one block
            front, (answer, end) = inline[0], _answer_from(node, inline[1].strip(), after)
        else:  # the answer is the next sibling or the first child starting with `A:`
            front, answer, end = q.group("text"), "", node.end_line
            for a_node, rest in ((after[0], after[1:]) if after else (None, ()),
                                 (node.children[0], ()) if node.children else (None, ())):
                a = ANSWER.match(a_node.text) if a_node is not None and a_node.kind != CODE else None
                if a_node is not None and a:
                    answer, end = _answer_from(a_node, a.group("text").strip(), rest)
                    break
    if front.strip() and answer:
        yield make_card(doc, node, front.strip(), answer, extractor=NAME, score=1.0, end_line=end,
                        type=REVERSED if both_ways else BASIC)


@extractor(NAME)
def explicit(doc: Document) -> Iterator[Card]:
    """Author-written cards: `question :: answer` and `Q:` / `A:` pairs, word for word (score 1.0)."""
    for parent in [doc.root] + [n for n, _ in doc.walk()]:
        siblings = parent.children
        for i, node in enumerate(siblings):
            if node.kind != CODE:
                yield from _cards_at(doc, siblings, i)


def _reachable(siblings: tuple[Node, ...], i: int) -> tuple[Node, ...]:
    """The siblings after `i` an answer can reach: the next block (an `A:` line), and the code
    blocks that follow each. Bounded, so a parent with 100,000 children stays linear."""
    out: list[Node] = []
    blocks = 0
    for k in range(i + 1, len(siblings)):
        if siblings[k].kind != CODE:
            if blocks == 2:
                break
            blocks += 1
        out.append(siblings[k])
    return tuple(out)


def _code_after(siblings: tuple[Node, ...], i: int) -> tuple[Node, ...]:
    """The code blocks right after `siblings[i]` (what `_answer_from` takes of `_reachable`)."""
    end = i + 1
    while end < len(siblings) and siblings[end].kind == CODE:
        end += 1
    return siblings[i + 1:end]
