"""Facts with a value: numbers, versions, percentages, years, ratios -> cloze cards on the value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import CLOZE, LIST_SEPARATOR, Card
from ..language import bare, clean_phrase, strip_filler
from ..lexicon import VAGUE_SUBJECTS
from ..markup import has_syntax, live_clozes
from ..outline import Document
from .analysis import fact_statements, own_sentence
from .factory import make_card
from .registry import extractor

NAME = "fact"
MAX_WORDS = 30
# A value worth remembering: ~20, 26000, 26,000, 1.23, v1.22, 12%, 20x, 4x, 2014, O(log n), 3.5 GB.
VALUE = re.compile(
    r"(?<![\w/.\[-])(?:"
    r"O\([^()]{1,12}\)"  # complexity
    r"|~?v?\d+(?:[.,]\d+)*(?:[-–:]\d+(?:[.,]\d+)*)?"  # 12, 1.23, 26,000, 8-10, 1:1
    r"(?:\s?(?:%|x|×|k|K|M|B|ms|s|GB|MB|KB|TB|GHz|MHz|Hz|px|kb|mb|gb))?"
    r")(?![\w/\]])"
)
# Numbers that are names or labels, not facts: list markers, "Day 1", "Go 1" in a title.
_LABELLED = re.compile(r"\b(?:day|part|chapter|section|step|lecture|week|page|slide|figure|fig|table)\s*$",
                       re.I)


def values(text: str) -> list[re.Match[str]]:
    """The values in `text` worth a cloze (not labels like `Day 1`, not inside names)."""
    found = []
    for m in VALUE.finditer(text):
        if _LABELLED.search(text[: m.start()]):
            continue
        if re.match(r"^\d{1,2}$", m.group(0)) and text[m.end():m.end() + 6].strip().startswith(("word", "-")):
            continue
        if re.match(r"^\d{1,2}$", m.group(0)) and re.match(r"^[^()]{0,60}\([^()]*,[^()]*,", text[m.end():]):
            continue  # "3 strategies (a, b, and c)": the list card asks for the items
        before = text[: m.start()].split()
        if re.fullmatch(r"\d{1,3}", m.group(0)) and before and before[-1][:1].isupper() \
                and before[-1].isalpha():
            continue  # "World War 2", "Apollo 11": part of a name (a year after "June" is a value)
        digits = re.sub(r"\D", "", m.group(0))
        if any(digits in w and not VALUE.fullmatch(w) for w in re.findall(r"[\w.]*\d[\w.]*", text)
               if w != m.group(0)):
            continue  # "IPv6 (Internet Protocol version 6)": the value shows in another word
        found.append(m)
    # a value in a link's URL or title, an image's alt text, code or math cannot be hidden
    return [m for m in found if live_clozes(cloze(text, [m]))] if has_syntax(text) else found


def cloze(text: str, matches: list[re.Match[str]]) -> str:
    """`text` with each match wrapped as `{{cN::...}}`, numbered left to right."""
    out, last = [], 0
    for n, m in enumerate(matches, 1):
        out.append(text[last:m.start()])
        out.append(f"{{{{c{n}::{m.group(0)}}}}}")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _value_sentences(text: str) -> str | None:
    """The one line or sentence of `text` that holds its values ("64 nations, including USA."
    without the next line about something else); None when they are in several."""
    found = VALUE.search(text)
    if found is None:
        return None
    sentence = own_sentence(text, found.start(), found.end())
    return sentence if len(VALUE.findall(sentence)) == len(VALUE.findall(text)) else None


@extractor(NAME)
def facts(doc: Document) -> Iterator[Card]:
    """Facts with numbers, versions, percentages, years or ratios -> cloze on the value."""
    for st in fact_statements(doc):
        text = _value_sentences(st.text)
        if text is None:
            continue
        text = clean_phrase(strip_filler(text))
        if len(text.split()) > MAX_WORDS:
            continue
        found = values(text)
        if not found or len(found) > 3 or len(VALUE.findall(text)) > 3:
            continue  # a run of numbers is a table, not a fact to recall
        if len(text.split()) < 3:
            continue
        first = bare(text.split()[0])
        if first in VAGUE_SUBJECTS:  # "It spread within 50 years": say what spread
            if not st.sibling_subject:
                continue
            text = f"{st.sibling_subject} {text.split(None, 1)[1]}"
            found = values(text)
        answer = LIST_SEPARATOR.join(m.group(0) for m in found)
        yield make_card(doc, st.node, cloze(text, found), answer, extractor=NAME, score=0.65, type=CLOZE)



