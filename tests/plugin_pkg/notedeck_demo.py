"""A demo notedeck plugin: a reader, an extractor and a writer, registered by entry points."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from generator.cards import Card, Deck
from generator.extractors import make_card
from generator.outline import Document
from generator.readers import Reader, markdown
from generator.writers import Format, WriteOptions, WriteReport, atomic_output

_HEADING = re.compile(r"^(=+)\s*(.*?)\s*=+\s*$", re.M)
_BULLET = re.compile(r"^(\*+)\s+", re.M)


def parse_wiki(text: str, path: str) -> Document:
    """Wiki notes (`= Heading =`, `* item`, `** sub-item`), read as the Markdown they map to."""
    text = _HEADING.sub(lambda m: "#" * len(m.group(1)) + " " + m.group(2), text)
    text = _BULLET.sub(lambda m: "  " * (len(m.group(1)) - 1) + "- ", text)
    return replace(markdown.parse(text, path), format="wiki")


WIKI = Reader(parse_wiki, suffixes=(".wiki",))

_GLOSSARY = re.compile(r"^(?P<term>[^:=]{1,60}?)\s*:=\s*(?P<meaning>\S.*)$")


def glossary(doc: Document) -> Iterator[Card]:
    """Glossary lines: `term := meaning` -> a card asking for the term's meaning."""
    for node, _ in doc.walk():
        m = _GLOSSARY.match(node.text)
        if m:
            yield make_card(doc, node, f"What does {m.group('term')} mean?", m.group("meaning"),
                            extractor="glossary", score=1.0)


def print_tsv(cards: Iterable[Card], out: TextIO) -> None:
    """Each card as `question<TAB>answer` on a line (what `extract --format tsv` prints)."""
    out.writelines(f"{c.question}\t{c.answer}\n" for c in cards)


def write_tsv(deck: Deck, path: Path, options: WriteOptions) -> WriteReport:
    """The deck's cards as `print_tsv` prints them; nothing to report."""
    with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8") as f:
        print_tsv(deck.cards, f)
    return WriteReport()


TSV = Format("tsv", ".tsv", write_tsv, stream=print_tsv)
