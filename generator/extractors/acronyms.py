"""Acronyms: `IR (Intermediate Representation)`, `Static Single Assignment (SSA)`, and all-caps
terms spelled out nearby -> "What does IR stand for?"."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..cards import Card
from ..explicit_syntax import card_line
from ..lexicon import ARTICLES, CONJUNCTIONS, PREPOSITIONS
from ..outline import CODE, HEADING, Document, Node
from .factory import make_card
from .registry import extractor

NAME = "acronym"
NEARBY_LINES = 2
_SMALL = ARTICLES | PREPOSITIONS | CONJUNCTIONS
# An acronym: 2-8 characters with at least two capitals (IR, SSA, GnoVM, gRPC is not one).
_ACRONYM = re.compile(r"\b(?=(?:[A-Za-z0-9]*[A-Z]){2})[A-Z][A-Za-z0-9]{1,7}s?\b")
_PAREN = re.compile(r"\(([^()]{2,80})\)")
# "NATO: North Atlantic Treaty Organization", "TLS - Transport Layer Security" (emphasis allowed)
_LABELLED = re.compile(r"^[*_`]*(?P<acronym>[A-Z][A-Za-z0-9]{1,7}s?)[*_`]*\s*(?::|=|\s[-–—]\s)\s*"
                       r"(?P<phrase>[*_]*[A-Z][\w' -]{3,80}?)[*_]*\.?$")
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def _letters(acronym: str) -> str:
    """The capitals an expansion must spell: `GnoVM` -> `GVM`, `APIs` -> `API`."""
    core = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    caps = "".join(ch for ch in core if ch.isupper() or ch.isdigit())
    return caps if len(caps) >= 2 else ""


def spells(acronym: str, phrase: str) -> bool:
    """True when the phrase's initials (small words optional) spell the acronym."""
    target = _letters(acronym).lower()
    words = [w for w in _WORD.findall(phrase)]
    if not target or not words or len(words) > len(target) + 3:
        return False

    def match(ti: int, wi: int) -> bool:
        if ti == len(target):
            return wi == len(words)
        if wi == len(words):
            return False
        w = words[wi]
        if w.lower() in _SMALL and match(ti, wi + 1):
            return True
        if w[0].lower() != target[ti]:
            return False
        # a word may give one initial, or more: camel case (GraphQL -> G, Q), or letters of a
        # long compound word in order (triphosphate -> T, P; deoxyribonucleic -> D, N)
        inner = [c.lower() for c in w[1:] if c.isupper()] or (
            [c.lower() for c in w[1:]] if len(w) >= 8 else [])
        k = ti + 1
        if match(k, wi + 1):
            return True
        for c in inner:
            if k < len(target) and target[k] == c:
                k += 1
                if match(k, wi + 1):
                    return True
        return False

    return match(0, 0)


def _expansion_before(text: str, end: int, acronym: str) -> str | None:
    """The words right before position `end` that spell `acronym` (`Static Single Assignment`)."""
    words = list(_WORD.finditer(text[:end]))
    n = len(_letters(acronym))
    for size in range(1, min(len(words), n + 3) + 1):
        start = words[-size].start()
        phrase = text[start:end].strip().rstrip("(").strip()
        if spells(acronym, phrase) and phrase[:1].isalpha():
            return phrase
    return None


def _tidy(acronym: str, phrase: str) -> tuple[str, str]:
    """`APIs`/`Application Programming Interfaces` -> the singular; no leading article."""
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
    if acronym.endswith("s") and acronym[:-1].isupper():
        acronym = acronym[:-1]
        phrase = re.sub(r"(?<=[a-z])s$", "", phrase)
    return acronym, phrase


def expansions(text: str) -> Iterator[tuple[str, str]]:
    """(acronym, expansion) pairs written in one line, in either order."""
    label = _LABELLED.match(text.strip())
    if label and _ACRONYM.fullmatch(label["acronym"]):
        phrase = label["phrase"].strip("*_ ")
        if spells(label["acronym"], phrase):
            yield _tidy(label["acronym"], phrase)  # "NATO: North Atlantic Treaty Organization"
    for m in _PAREN.finditer(text):
        inside = m.group(1).strip()
        before = text[: m.start()].split()
        if before and _ACRONYM.fullmatch(before[-1].strip(",;:")) and spells(before[-1].strip(",;:"), inside):
            yield _tidy(before[-1].strip(",;:"), inside)  # "IR (Intermediate Representation)"
        elif _ACRONYM.fullmatch(inside):
            phrase = _expansion_before(text, m.start(), inside)
            if phrase:
                yield _tidy(inside, phrase)  # "Static Single Assignment (SSA)"


def _capitalised_phrases(text: str) -> Iterator[str]:
    """Runs of capitalised words (`Static Single Assignment`), candidates for an expansion."""
    for m in re.finditer(r"(?:\b[A-Z][a-z][\w-]*\b(?:\s+(?:of|the|and|for|to|in)\b)?\s*){2,}", text):
        yield m.group(0).strip()


@dataclass(frozen=True)
class _Nearby:
    """Finds the nodes within `NEARBY_LINES` of a node without scanning them all (big files)."""

    nodes: list[Node]
    order: list[int]
    """Indexes into `nodes`, sorted by line."""
    lines: list[int]
    """The lines of `order`, sorted."""

    @classmethod
    def of(cls, nodes: list[Node]) -> _Nearby:
        order = sorted(range(len(nodes)), key=lambda k: nodes[k].line)
        return cls(nodes, order, [nodes[k].line for k in order])

    def around(self, i: int) -> list[Node]:
        """The other nodes within `NEARBY_LINES` lines of node `i`, in document order."""
        line = self.nodes[i].line
        lo = bisect.bisect_left(self.lines, line - NEARBY_LINES)
        hi = bisect.bisect_right(self.lines, line + NEARBY_LINES)
        return [self.nodes[k] for k in sorted(self.order[lo:hi]) if k != i]


@extractor(NAME)
def acronyms(doc: Document) -> Iterator[Card]:
    """Acronyms: `IR (Intermediate Representation)`, or spelled out nearby -> "What does IR stand for?"."""
    nodes = [n for n, _ in doc.walk() if n.kind != CODE and n.text]
    # A card the author wrote (`front :: back`) is asked as written: no acronym card is made of
    # it, though it may spell out an acronym a note nearby uses.
    written = {id(n) for n in nodes if card_line(n.text)}
    seen: set[str] = set()
    # First the acronyms spelled out where they are used: "DNS (Domain Name System)", headings too.
    for node in (n for n in nodes if id(n) not in written):
        for acronym, phrase in expansions(node.text):
            if acronym.lower() in seen:
                continue
            seen.add(acronym.lower())
            yield make_card(doc, node, f"What does {acronym} stand for?", phrase, extractor=NAME,
                            score=0.8)
    # Then acronyms used bare and spelled out on a line nearby or in a heading above.
    nearby = _Nearby.of(nodes)
    for i, node in enumerate(nodes):
        if node.kind == HEADING or id(node) in written:
            continue
        for m in _ACRONYM.finditer(node.text):
            acronym = m.group(0)
            if acronym.lower() in seen or not _letters(acronym) or acronym.isdigit():
                continue
            for other in nearby.around(i):
                match = next((p for p in _capitalised_phrases(other.text) if spells(acronym, p)), None)
                if match:
                    acronym, match = _tidy(acronym, match)
                    seen.add(acronym.lower())
                    lo, hi = min(node.line, other.line), max(node.end_line, other.end_line)
                    yield make_card(doc, node, f"What does {acronym} stand for?", match, extractor=NAME,
                                    score=0.7, line=lo, end_line=hi)
                    break
            else:
                for heading in node.context:
                    match = next((p for p in _capitalised_phrases(heading) if spells(acronym, p)), None)
                    if match:
                        seen.add(acronym.lower())
                        yield make_card(doc, node, f"What does {acronym} stand for?", match,
                                        extractor=NAME, score=0.65)
                        break
