"""Cards the author wrote on purpose: `question :: answer` lines and `Q:` / `A:` pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import Card
from ..language import clean_phrase, is_question, what_question
from ..outline import CODE, Document, Node
from . import extractor, make_card

NAME = "explicit"
# ` :: ` with spaces, so C++ `std::vector` and Anki's `{{c1::x}}` never split a line.
_DOUBLE_COLON = re.compile(r"\s+::\s+")
_Q = re.compile(r"^(?:Q|Question)\s*[:.]\s*(?P<text>.+)$", re.I)
_A = re.compile(r"^(?:A|Answer)\s*[:.]\s*(?P<text>.*)$", re.I)
_MAX_TERM_WORDS = 6


def _front(text: str) -> str:
    """Keep the author's question; a bare term becomes `What is term?`."""
    text = text.strip()
    if is_question(text) or text.endswith("?") or len(text.split()) > _MAX_TERM_WORDS:
        return text
    return what_question(text)


def _answer_with_children(node: Node, first: str) -> tuple[str, int]:
    """The answer text plus any nested content (code kept as a fenced block), and its last line."""
    parts = [first] if first else []
    end = node.end_line
    for child, _ in node.walk():
        parts.append(f"```{child.info}\n{child.text}\n```" if child.kind == CODE else child.text)
        end = max(end, child.end_line)
    return "\n".join(p for p in parts if p), end


@extractor(NAME)
def explicit(doc: Document) -> Iterator[Card]:
    """Author-written cards: `question :: answer` and `Q:` / `A:` pairs (score 1.0)."""
    for parent in [doc.root] + [n for n, _ in doc.walk()]:
        siblings = parent.children
        for i, node in enumerate(siblings):
            if node.kind == CODE:
                continue
            parts = _DOUBLE_COLON.split(node.text, maxsplit=1)
            if len(parts) == 2 and all(p.strip() for p in parts):
                answer, end = _answer_with_children(node, clean_phrase(parts[1]))
                yield make_card(doc, node, _front(parts[0]), answer, extractor=NAME, score=1.0,
                                end_line=end)
                continue
            q = _Q.match(node.text)
            if not q:
                continue
            inline_answer = re.split(r"\s+(?:A|Answer)\s*:\s*", q.group("text"), maxsplit=1)
            if len(inline_answer) == 2:
                yield make_card(doc, node, _front(inline_answer[0]), inline_answer[1].strip(),
                                extractor=NAME, score=1.0)
                continue
            # The answer is the next sibling (or the first child) starting with `A:`, plus
            # code blocks right after it (an answer that continues with a fenced block).
            following = list(siblings[i + 1:]) if i + 1 < len(siblings) else []
            candidates = [c for c in (following[:1] + list(node.children[:1])) if c.kind != CODE]
            for a_node in candidates:
                a = _A.match(a_node.text)
                if not a:
                    continue
                answer, end = _answer_with_children(a_node, a.group("text").strip())
                if a_node in following:
                    for extra in following[1:]:
                        if extra.kind != CODE:
                            break
                        answer += f"\n```{extra.info}\n{extra.text}\n```"
                        end = extra.end_line
                if answer.strip():
                    yield make_card(doc, node, _front(q.group("text")), answer.strip(),
                                    extractor=NAME, score=1.0, end_line=end)
                break
