"""Markdown files made only of cards the author wrote (`front :: back` items under plain
headings), read straight from their lines: the cards the outline and the `explicit` extractor
would give, without building either.

A file of 100 such lines is most of what a deck kept as flashcards holds (and all of what
peers like ankdown read); building its outline, asking whether every block is a card, and
walking it again to split each one cost about 30 µs a card. Any other line (a nested item, a
paragraph, code, a `#tag`, a `Q:`/`A:` pair, a heading that is a note itself) makes `cards`
decline, and the file takes the general path. A property test holds the two paths equal.
"""

from __future__ import annotations

from .cards import BASIC, REVERSED, Card, new_card, new_source
from .explicit_syntax import QUESTION, split_card
from .headings import note_heading
from .outline import MAX_ANCESTORS
from .readers.lines import split_lines
from .readers.markdown import SIMPLE_LINE


def cards(text: str, path: str) -> list[Card] | None:
    """The explicit cards of Markdown `text` (of the file shown as `path`), in line order, as
    `explicit` makes them from its outline; None unless every line is blank, a heading that
    only names a topic, or a top-level item holding one `front :: back` card and no `#`."""
    found: list[Card] = []
    headings: list[tuple[int, str]] = []  # the open headings: (level, text)
    context = ""
    match = SIMPLE_LINE.fullmatch
    for n, line in enumerate(split_lines(text.removeprefix("\ufeff").replace("\x00", "")), start=1):
        m = match(line)
        if m is None:
            return None
        item, heading = m.group("item"), m.group("heading")
        if item is not None:
            written = split_card(item.strip()) if "#" not in item else None
            if written is None:
                return None
            front, back, both_ways = written
            found.append(new_card(front, back, new_source(path, n, n), REVERSED if both_ways else BASIC,
                                  context, "explicit", 1.0, (), "", "", ()))
        elif heading is not None:
            level, name = len(m.group("level")), heading.strip()
            if ":" in name or QUESTION.match(name) or note_heading(name) is not None:  # a card, a note
                return None
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, name))
            context = " > ".join(h for _, h in headings[-MAX_ANCESTORS:])
    return found or None
