"""Cards the author wrote (`front :: back`, `Q:` / `A:`) are taken literally and stand on their
own line; headings that carry a note (`## Osmosis: diffusion of water`) give its card.

Each case is a note shape people write (plain-text bullets, Markdown, Org), checked through
the whole extraction: what ends up in the deck, word for word, with its breadcrumb.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.cards import Card, is_suggestion
from generator.pipeline import extract
from generator.readers import read_text


def notes(text: str) -> str:
    """Dedented note text (so inline notes can be indented in the test source)."""
    return textwrap.dedent(text).lstrip("\n")


def cards_of(tmp_path: Path, name: str, text: str) -> list[Card]:
    """Every card (deck and suggestions) the whole pipeline makes of `text` saved as `name`."""
    path = tmp_path / name
    path.write_text(notes(text), encoding="utf-8")
    return extract([path]).cards


def line_of(text: str, fragment: str) -> int:
    """1-based number of the first line of `text` (dedented) holding `fragment`."""
    return next(n for n, line in enumerate(notes(text).splitlines(), 1) if fragment in line)


def deck(cards: list[Card]) -> list[tuple[str, str, str]]:
    """The deck's cards as (front, back, breadcrumb), in source order."""
    return [(c.question, c.answer, c.context) for c in cards if not is_suggestion(c)]


def explicit(cards: list[Card]) -> list[tuple[str, str, str, int, int]]:
    """The explicit cards as (front, back, breadcrumb, first line, last line)."""
    return [(c.question, c.answer, c.context, c.source.line, c.source.end_line)
            for c in cards if c.extractor == "explicit"]


# --- explicit markup is literal ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "front", "back"),
    [
        ("net.txt", "Networking\n\n• The default port of SMTP :: 25\n", "The default port of SMTP", "25"),
        ("net.md", "# Networking\n\n- The default port of SMTP :: 25\n", "The default port of SMTP", "25"),
        ("net.org", "* Networking\n- The default port of SMTP :: 25\n", "The default port of SMTP", "25"),
        ("net.md", "# Networking\n\nThe default port of SMTP :: 25\n", "The default port of SMTP", "25"),
        # lower case, emphasis and code stay as written; so does a full stop
        ("net.md", "# Networking\n\n- the port *IMAP* listens on :: `143`\n", "the port *IMAP* listens on",
         "`143`"),
        ("net.org", "* Networking\n- the port /IMAP/ listens on :: =143=\n", "the port /IMAP/ listens on",
         "=143="),
        ("net.txt", "Networking\n\n• **Loopback network** :: 127.0.0.0/8.\n", "**Loopback network**",
         "127.0.0.0/8."),
        # a short term is not turned into "What is ...?"; a misspelling is the author's
        ("cell.md", "- Cytosol :: the fluid insde the cell\n", "Cytosol", "the fluid insde the cell"),
        # a choice question whose answer is in its front is still the author's card
        ("net.txt", "Transport\n\n• Which one retransmits lost data, TCP or UDP? :: TCP\n",
         "Which one retransmits lost data, TCP or UDP?", "TCP"),
        ("py.md", "- What gathers keyword arguments? :: **kwargs\n", "What gathers keyword arguments?",
         "**kwargs"),
        ("net.org", "* Transport\n- Q: Which layer does UDP belong to?\n- A: the transport layer\n",
         "Which layer does UDP belong to?", "the transport layer"),
        ("net.md", "Q: which layer does UDP belong to? A: the transport layer\n",
         "which layer does UDP belong to?", "the transport layer"),
    ],
)
def test_explicit_card_is_word_for_word_and_in_the_deck(tmp_path, name, text, front, back):
    cards = cards_of(tmp_path, name, text)
    card = next(c for c in cards if c.extractor == "explicit")
    assert (card.question, card.answer) == (front, back)
    assert not is_suggestion(card) and card.score == 1.0
    # the breadcrumb is shown apart from the front, never worked into it
    assert card.context in ("", "Networking", "Transport")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("cell.md", """
            # Cell biology

            - Mitochondria make ATP
            Site of cellular respiration :: mitochondria
            - Chloroplasts capture light
            """),
        ("cell.md", """
            # Cell biology

            - Mitochondria make ATP
            Site of cellular respiration :: mitochondria

            - Chloroplasts capture light
            """),
        ("cell.txt", """
            Cell biology

            • Mitochondria make ATP
            Site of cellular respiration :: mitochondria
            • Chloroplasts capture light
            """),
        ("cell.md", """
            # Cell biology

            Mitochondria make ATP
            Site of cellular respiration :: mitochondria

            - Chloroplasts capture light
            """),
    ],
)
def test_lazy_explicit_line_is_its_own_card(tmp_path, name, text):
    """A card's line right under a bullet (CommonMark: a lazy continuation of it) is a card of
    its own, and the bullet keeps only its own text."""
    cards = cards_of(tmp_path, name, text)
    assert explicit(cards) == [("Site of cellular respiration", "mitochondria", "Cell biology", 4, 4)]
    doc = read_text(notes(text), name)
    texts = [n.text for n, _ in doc.walk()]
    assert "Mitochondria make ATP" in texts
    assert not any("Mitochondria make ATP" in t and "::" in t for t in texts)
    assert "Chloroplasts capture light" in texts


@pytest.mark.parametrize(
    ("name", "text", "context"),
    [
        ("cell.md", "# Cells\n\n- Mitochondria make ATP\n  Site of respiration :: mitochondria\n",
         "Cells > Mitochondria make ATP"),
        ("cell.org", "* Cells\n- Mitochondria make ATP\n  Site of respiration :: mitochondria\n",
         "Cells > Mitochondria make ATP"),
        ("cell.txt", "Cells\n\n• Mitochondria make ATP\n  Site of respiration :: mitochondria\n",
         "Cells > Mitochondria make ATP"),
    ],
)
def test_indented_explicit_line_is_its_own_card_under_the_bullet(tmp_path, name, text, context):
    """Indented under the bullet, the card's line nests there (as a sub-bullet would)."""
    cards = cards_of(tmp_path, name, text)
    line = line_of(text, "Site of")
    assert explicit(cards) == [("Site of respiration", "mitochondria", context, line, line)]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("cell.md", """
            # Cells

            - Ribosomes build proteins
            Q: Which organelle holds the genome?
            A: the nucleus
            Q: Which organelle packages proteins?
            A: the Golgi apparatus
            """),
        ("cell.txt", """
            Cells

            • Ribosomes build proteins
            Q: Which organelle holds the genome?
            A: the nucleus
            Q: Which organelle packages proteins?
            A: the Golgi apparatus
            """),
        ("cell.org", """
            * Cells
            - Ribosomes build proteins
            Q: Which organelle holds the genome?
            A: the nucleus
            Q: Which organelle packages proteins?
            A: the Golgi apparatus
            """),
    ],
)
def test_lazy_question_and_answer_lines_are_their_own_cards(tmp_path, name, text):
    cards = cards_of(tmp_path, name, text)
    first, second = line_of(text, "Q: Which organelle holds"), line_of(text, "Q: Which organelle packages")
    assert explicit(cards) == [
        ("Which organelle holds the genome?", "the nucleus", "Cells", first, first + 1),
        ("Which organelle packages proteins?", "the Golgi apparatus", "Cells", second, second + 1),
    ]
    assert ("Ribosomes build proteins" in [n.text for n, _ in read_text(notes(text), name).walk()])


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("cell.md", "- Nucleus :: holds the genome\n  Golgi :: packages proteins\n"),
        ("cell.org", "- Nucleus :: holds the genome\n  Golgi :: packages proteins\n"),
        ("cell.md", "Nucleus :: holds the genome\nGolgi :: packages proteins\n"),
        ("cell.txt", "Nucleus :: holds the genome\nGolgi :: packages proteins\n"),
    ],
)
def test_consecutive_explicit_lines_are_separate_cards(tmp_path, name, text):
    """Two card lines in a row are two cards: the first answer does not run on into the second."""
    cards = cards_of(tmp_path, name, text)
    assert [(f, b) for f, b, *_ in explicit(cards)] == [("Nucleus", "holds the genome"),
                                                       ("Golgi", "packages proteins")]


@pytest.mark.parametrize(
    ("name", "text", "answer"),
    [
        # an answer may go on over the next lines: they are no card of their own
        ("cell.md", "- Nucleus ::\n  holds the genome\n", "holds the genome"),
        ("cell.md", "- Nucleus :: holds the genome\n  and makes ribosome subunits\n",
         "holds the genome and makes ribosome subunits"),
        ("cell.txt", "Cells\n\n• Nucleus :: holds the genome\n  and makes ribosome subunits\n",
         "holds the genome and makes ribosome subunits"),
    ],
)
def test_explicit_answer_continues_on_the_next_line(tmp_path, name, text, answer):
    cards = cards_of(tmp_path, name, text)
    assert [(f, b) for f, b, *_ in explicit(cards)] == [("Nucleus", answer)]


@pytest.mark.parametrize("card_line", ["Site of cellular respiration :: mitochondria",
                                       "Q: Which organelle runs cellular respiration?",
                                       "A: the mitochondrion"])
def test_plain_text_card_line_at_the_margin_is_no_heading(card_line):
    """In a plain-text outline a short line at the margin is a title, but not a card's line:
    the bullets after it stay under the real heading."""
    text = f"Cell biology\n\n• Mitochondria make ATP\n{card_line}\n• Chloroplasts capture light energy\n"
    doc = read_text(text, "cell.txt")
    assert [(n.kind, n.context) for n, _ in doc.walk() if n.line > 1] == [
        ("item", ("Cell biology",)), ("paragraph", ("Cell biology",)), ("item", ("Cell biology",))]
