"""Headings that carry a note: `## Osmosis: diffusion of water across a membrane`.

A heading usually names a topic (`## Cell biology`). Written as `Term: definition` or as
`Term :: answer` it is also a note, which the extractors read like a bullet with that text;
and the topic it gives the notes under it is its term, so their breadcrumb shows `Osmosis`,
not the whole line. One rule decides both (`note_heading`).

Titles that only look like that stay topics: a subtitle in Title Case (`Paging Problem:
Simple Paging`; `TLS: Transport Layer Security` spells its term out, so it defines), a numbered
or generic section (`Chapter 6: ...`, `Summary: ...`), a talk with its speaker (`Go at Scale:
lessons learned - Ann Lee`).
"""

from __future__ import annotations

import functools
import re

from .explicit_syntax import card_line, split_card
from .language import split_speaker
from .lexicon import CONJUNCTIONS, DETERMINERS, PREPOSITIONS
from .phrases import spells

GENERIC_HEADING = re.compile(r"^(?:(?:general |lecture |class |my |key |more |other )?"
                             r"(?:notes?|summary|overview|introduction|intro|definitions?|terms|terminology|"
                             r"basics|examples?|"
                             r"considerations|details|misc\w*|lecture|review|recap|questions?|main ideas)"
                             r"|question \d+|part \d+|day \d+|week \d+)$", re.I)
"""A heading that names no topic (`Notes`, `Week 3`): no term for its cards."""

MAX_TERM_WORDS = 6
"""A longer part before the colon is a clause or a title, not a term."""
_COLON = re.compile(r"^(?P<term>[^:]{1,60}?):\s+(?P<body>\S.*)$")
# "Chapter 6", "Part II", "Lecture 12", "3.2": a numbered section, whatever follows its colon.
_NUMBERED = re.compile(r"^(?:[^\W\d]+\s+)?(?:\d+(?:\.\d+)*|[IVXLC]+)\.?$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SMALL = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | {"vs", "versus"}


def _title_case(text: str) -> bool:
    """Every word but the small ones capitalised (`Simple Paging`, `The Alpha Geek`): a
    subtitle, where a definition reads as a phrase (`diffusion of water across a membrane`)."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL]
    return not words or all(w[0].isupper() for w in words)


@functools.lru_cache(maxsize=1 << 12)
def note_heading(text: str) -> tuple[str, str] | None:
    """(term, rest) of a heading that is also a note (`Term :: answer`, `Term: definition`);
    None for a heading that only names a topic."""
    written = split_card(text)
    if written is not None:  # the author's card: a note whatever its case
        return written[0], written[1]
    m = _COLON.match(text.strip())
    if m is None or card_line(text) or split_speaker(text):  # `Q: ...` asks; `... - Speaker` is a talk
        return None
    term, body = m.group("term").strip(), m.group("body").strip()
    subtitle = _title_case(body) and not spells(term, body)
    if not term or len(term.split()) > MAX_TERM_WORDS or "?" in (term[-1], body[-1]) or subtitle \
            or _NUMBERED.match(term) or GENERIC_HEADING.match(term):
        return None
    return term, body


def heading_label(text: str) -> str:
    """How a heading reads in a breadcrumb: a note heading's term, any other heading whole."""
    note = note_heading(text)
    return note[0] if note is not None else text
