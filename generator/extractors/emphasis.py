"""Emphasised key terms: a term the author set in bold, italics or code inside a sentence ->
a cloze hiding just that term.

"The function f is called the _probability density function_ of X" -> "The function f is
called the {{c1::probability density function}} of X". The author's emphasis says which words
matter; the rest of the sentence, kept whole, is the cue. A sentence with several emphasised
spans, an emphasised label ("**Source:** ...") or an emphasised aside makes no card.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import CLOZE, Card
from ..lexicon import BE, DO, HAVE, IRREGULAR_PAST, MODALS, VERBS
from ..markup import EMPHASIS
from ..outline import Document
from .analysis import fact_statements, own_sentence
from .factory import make_card
from .registry import extractor

NAME = "emphasis"
MAX_TERM_WORDS = 5
MIN_CONTEXT_WORDS = 4
MAX_SENTENCE_WORDS = 35
# **x**, __x__, *x*, _x_, `x` (the Org reader hands Org's *x*, /x/, =x= on as Markdown).
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
# Emphasis on a part of the document, not a term: "**Slide 49**", "__Proof__", "*Example 2*".
_DOCUMENT_PART = re.compile(r"^(?:slide|figure|fig|page|table|chapter|section|part|step|lecture|week|day|"
                            r"example|exercise|question|problem|proof|remark|note|theorem|lemma|"
                            r"definition|intuition|summary|recap|todo)\b", re.I)


def _spans(text: str) -> list[re.Match[str]]:
    """The emphasised spans of `text` (`_` inside a word is no marker)."""
    return [m for m in EMPHASIS.finditer(_MATH.sub(lambda x: "0" * len(x.group(0)), text))
            if m.group("m") not in ("_", "__") or not re.search(r"\w$", text[:m.start()])]


def _verb(word: str) -> bool:
    """Whether `word` reads as a verb form (a claim, not a label)."""
    return (word in BE | DO | HAVE | MODALS or word in IRREGULAR_PAST or word in VERBS
            or any(word.endswith(end) and word[: -len(end)] in VERBS for end in ("s", "es", "ed", "d")))


def _cloze(text: str, span: re.Match[str]) -> str | None:
    """The sentence with `span` hidden, or None when the span is no key term of it."""
    term = span.group("t").strip()
    before, after = text[:span.start()], text[span.end():]
    rest = _WORD.findall(_MATH.sub(" ", before + " " + after))  # a formula is no cue a student can read aloud
    if not 1 <= len(term.split()) <= MAX_TERM_WORDS or len(rest) < MIN_CONTEXT_WORDS:
        return None
    label = after.lstrip().startswith((":", "-", "–", "—", "="))
    if term.startswith("(") or term.endswith((":", ",")) or label:
        return None  # an aside, or a label followed by its value (a definition, not a blank)
    if not _WORD.search(term) or not any(w.islower() for w in rest) or _DOCUMENT_PART.match(term):
        return None
    if not any(_verb(w.lower()) for w in rest):
        return None  # "_George Kennan_, diplomat to Moscow": a label, no claim to cue the name
    code = span.group("m") == "`"
    inner = f"`{term}`" if code else term
    return f"{before}{{{{c1::{inner}}}}}{after}".strip()


@extractor(NAME)
def emphasis(doc: Document) -> Iterator[Card]:
    """A cloze on the one term a sentence emphasises."""
    for st in fact_statements(doc):
        if st.secondary or len(st.text.split()) > MAX_SENTENCE_WORDS or "{{" in st.text or "$$" in st.text:
            continue
        spans = _spans(st.text)
        if len(spans) != 1:
            continue
        sentence = own_sentence(st.text, spans[0].start(), spans[0].end())
        spans = _spans(sentence)
        question = _cloze(sentence, spans[0]) if len(spans) == 1 else None
        if question is not None:
            yield make_card(doc, st.node, question, spans[0].group("t").strip(), extractor=NAME, score=0.7,
                            type=CLOZE)
