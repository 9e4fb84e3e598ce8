"""Cards the author wrote on purpose: `question :: answer` lines and `Q:` / `A:` pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import BASIC, REVERSED, Card
from ..language import clean_phrase, is_question, what_question
from ..outline import CODE, Document, Node
from . import extractor, make_card

NAME = "explicit"
# ` :: ` with spaces, so C++ `std::vector` and Anki's `{{c1::x}}` never split a line;
# ` ::: ` asks both ways (term <-> definition).
_DOUBLE_COLON = re.compile(r"\s+:::?\s+")
_Q = re.compile(r"^(?:Q|Question)\s*[:.]\s*(?P<text>.+)$", re.I)
_A = re.compile(r"^(?:A|Answer)\s*[:.]\s*(?P<text>.*)$", re.I)
_INLINE_A = re.compile(r"\s+(?:A|Answer)\s*:\s*")
_MAX_TERM_WORDS = 6


def _front(text: str) -> str:
    """Keep the author's question; a bare term becomes `What is term?`."""
    text = text.strip()
    if is_question(text) or text.endswith("?") or len(text.split()) > _MAX_TERM_WORDS:
        return text
    return what_question(text)


def _fenced(node: Node) -> str:
    return f"```{node.info}\n{node.text}\n```"


def _answer_from(node: Node, first: str, following: tuple[Node, ...]) -> tuple[str, int]:
    """An answer that starts in `node` and continues with its nested content and with the
    code blocks right after it (an answer that goes on with a fenced block); its last line."""
    parts = [first] if first else []
    end = node.end_line
    for child, _ in node.walk():
        parts.append(_fenced(child) if child.kind == CODE else child.text)
        end = max(end, child.end_line)
    for extra in following:
        if extra.kind != CODE:
            break
        parts.append(_fenced(extra))
        end = extra.end_line
    return "\n".join(p for p in parts if p).strip(), end


def _cards_at(doc: Document, node: Node, after: tuple[Node, ...]) -> Iterator[Card]:
    """Explicit cards written at `node`; `after` holds its following siblings."""
    parts = _DOUBLE_COLON.split(node.text, maxsplit=1)
    both_ways = len(parts) == 2 and " ::: " in node.text
    if len(parts) == 2:
        front, (answer, end) = parts[0], _answer_from(node, clean_phrase(parts[1]), after)
    else:
        q = _Q.match(node.text)
        if not q:
            return
        inline = _INLINE_A.split(q.group("text"), maxsplit=1)
        if len(inline) == 2:  # `Q: ... A: ...` in one block
            front, (answer, end) = inline[0], _answer_from(node, inline[1].strip(), after)
        else:  # the answer is the next sibling or the first child starting with `A:`
            front, answer, end = q.group("text"), "", node.end_line
            for a_node, rest in ((after[0], after[1:]) if after else (None, ()),
                                 (node.children[0], ()) if node.children else (None, ())):
                a = _A.match(a_node.text) if a_node is not None and a_node.kind != CODE else None
                if a_node is not None and a:
                    answer, end = _answer_from(a_node, a.group("text").strip(), rest)
                    break
    if front.strip() and answer:
        yield make_card(doc, node, _front(front) if not both_ways else front.strip(), answer,
                        extractor=NAME, score=1.0, end_line=end, type=REVERSED if both_ways else BASIC)


@extractor(NAME)
def explicit(doc: Document) -> Iterator[Card]:
    """Author-written cards: `question :: answer` and `Q:` / `A:` pairs (score 1.0)."""
    for parent in [doc.root] + [n for n, _ in doc.walk()]:
        siblings = parent.children
        for i, node in enumerate(siblings):
            if node.kind != CODE:
                yield from _cards_at(doc, node, _reachable(siblings, i))


def _reachable(siblings: tuple[Node, ...], i: int) -> tuple[Node, ...]:
    """The siblings after `i` an answer can reach: the next block (an `A:` line), and the code
    blocks that follow each. Bounded, so a parent with 100,000 children stays linear."""
    out: list[Node] = []
    for k in range(i + 1, len(siblings)):
        if siblings[k].kind != CODE and sum(n.kind != CODE for n in out) == 2:
            break
        out.append(siblings[k])
    return tuple(out)
