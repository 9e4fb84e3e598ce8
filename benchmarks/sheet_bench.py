"""Time a 1,000-card review sheet in each layout, HTML and PDF.

    python benchmarks/sheet_bench.py [--cards 1000]

Cards are synthetic but realistic: definitions, lists, cloze and code, grouped under
headings. Prints one line per layout and format with wall time and cards/s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generator.cards import BASIC, CLOZE, LIST, Card, Deck, Source
from generator.writers import WriteOptions
from generator.writers.sheet import LAYOUTS, write_html, write_pdf

try:
    from pypdf import PdfReader
except ImportError:  # the test extra is not installed: no page counts
    PdfReader = None  # type: ignore[assignment,misc]


def synthetic_deck(n: int) -> Deck:
    cards = []
    for i in range(n):
        context = f"Course > Week {i // 100 + 1} > Topic {i // 20 + 1}"
        kind = (BASIC, LIST, CLOZE, BASIC)[i % 4]
        if kind == LIST:
            items = (f"item {i}a", f"item {i}b", f"item {i}c")
            card = Card(f"What are the parts of system {i}?", "; ".join(items), Source("n.md", i + 1, i + 4),
                        type=LIST, context=context, items=items)
        elif kind == CLOZE:
            card = Card(f"Protocol {i} was standardised in {{{{c1::{1970 + i % 50}}}}}", str(1970 + i % 50),
                        Source("n.md", i + 1, i + 1), type=CLOZE, context=context)
        elif i % 8 == 3:
            card = Card(f"How do you sum a list in step {i}?", "```python\nsum(values)\n```",
                        Source("n.md", i + 1, i + 4), context=context)
        else:
            card = Card(f"What is concept {i}?", f"a definition of concept {i}, with **some** emphasis",
                        Source("n.md", i + 1, i + 1), context=context)
        cards.append(card)
    return Deck("Benchmark deck", tuple(cards))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=1000)
    args = parser.parse_args()
    deck = synthetic_deck(args.cards)
    with tempfile.TemporaryDirectory() as tmp:
        for layout in LAYOUTS:
            options = WriteOptions(timestamp=1_700_000_000, extra={"layout": layout, "paper": "a4"})
            for fmt, write in (("html", write_html), ("pdf", write_pdf)):
                out = Path(tmp) / f"{layout}.{fmt}"
                start = time.perf_counter()
                write(deck, out, options)
                took = time.perf_counter() - start
                size = out.stat().st_size / 1024
                pages = f"{len(PdfReader(out).pages)} pages" if fmt == "pdf" and PdfReader else ""
                print(f"{layout:6} {fmt:4} {args.cards} cards {took:7.2f} s {args.cards / took:8.0f} cards/s "
                      f"{size:8.0f} KiB {pages}")


if __name__ == "__main__":
    main()
