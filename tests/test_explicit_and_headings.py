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
from generator.extractors import REGISTRY
from generator.headings import heading_label, note_heading
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
        # Org's own markup is handed on as the Markdown that renders it (/i/ -> *i*, =c= -> `c`)
        ("net.org", "* Networking\n- the port /IMAP/ listens on :: =143=\n", "the port *IMAP* listens on",
         "`143`"),
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


# --- headings that carry a note ------------------------------------------------------------------

BERNOULLI = "- Bernoulli's principle links speed and pressure\n"

HEADING_NOTES = [
    # (file name, notes with the line as a heading, the same line as a bullet, the heading's line)
    ("phys.md", "# Physics\n\n## Capillarity: the rise of a liquid in a narrow tube\n\n"
                "- Water climbs 14 mm up a 2 mm glass tube\n",
     "# Physics\n\n- Capillarity: the rise of a liquid in a narrow tube\n", 3),
    ("phys.md", "# Physics\n\n#### Capillarity: the rise of a liquid in a narrow tube\n"
                "- Water climbs 14 mm up a 2 mm glass tube\n",
     "# Physics\n\n- Capillarity: the rise of a liquid in a narrow tube\n", 3),
    ("phys.org", "* Physics\n** Capillarity: the rise of a liquid in a narrow tube\n"
                 "- Water climbs 14 mm up a 2 mm glass tube\n",
     "* Physics\n- Capillarity: the rise of a liquid in a narrow tube\n", 2),
    ("web.md", "# Web\n\n## CORS: a browser rule for requests to other origins\n\n"
               "- Browsers have enforced it since 2009\n",
     "# Web\n\n- CORS: a browser rule for requests to other origins\n", 3),
    ("net.org", "* Networking\n** TTL: Time To Live\n- Each router lowers it by one\n",
     "* Networking\n- TTL: Time To Live\n", 2),
    # plain text: a short line at the margin is a heading (here at the same level as `Physics`)
    ("phys.txt", "Physics\n\n• Forces come in pairs\n\nCapillarity: the rise of a liquid in a narrow tube\n"
                 "• Water climbs 14 mm up a 2 mm glass tube\n",
     "• Forces come in pairs\n• Capillarity: the rise of a liquid in a narrow tube\n", 5),
]


@pytest.mark.parametrize(("name", "as_heading", "as_bullet", "line"), HEADING_NOTES)
def test_note_heading_gives_the_card_its_bullet_would(tmp_path, name, as_heading, as_bullet, line):
    heading_cards = [c for c in cards_of(tmp_path, name, as_heading) if c.source.line == line]
    (tmp_path / "bullet").mkdir()
    term = notes(as_heading).splitlines()[line - 1].lstrip("#* ").split(":")[0]
    bullet_line = line_of(as_bullet, f"{term}:")
    bullet_cards = [c for c in cards_of(tmp_path / "bullet", name, as_bullet) if c.source.line == bullet_line]
    assert heading_cards and [c.extractor for c in heading_cards] == [c.extractor for c in bullet_cards]
    for got, want in zip(heading_cards, bullet_cards, strict=True):
        assert (got.question, got.answer, got.score, got.context) == (want.question, want.answer, want.score,
                                                                       want.context)
    # a definition, or for a spelled-out acronym ("TTL: Time To Live") its "stand for" card
    assert any(c.extractor in ("definition", "acronym") and not is_suggestion(c) for c in heading_cards)


@pytest.mark.parametrize(("name", "as_heading", "as_bullet", "line"), HEADING_NOTES)
def test_note_heading_is_the_breadcrumb_of_its_notes_by_its_term(name, as_heading, as_bullet, line):
    """The notes under `## Capillarity: the rise ...` are about Capillarity: that is their breadcrumb."""
    doc = read_text(as_heading, name)
    heading = next(n for n, _ in doc.walk() if n.line == line)
    term = heading.text.split(":")[0]
    child = heading.children[0]
    assert child.kind == "item"
    cards = [c for c in REGISTRY.run(doc) if c.source.line == child.line]
    assert cards and all(c.context.split(" > ")[-1] == term for c in cards), [c.context for c in cards]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("bio.md", "# Metabolism\n\n## Glycolysis :: the splitting of glucose into pyruvate\n\n"
                   "- It happens in the cytoplasm of the cell\n"),
        ("bio.org", "* Metabolism\n** Glycolysis :: the splitting of glucose into pyruvate\n"
                    "- It happens in the cytoplasm of the cell\n"),
    ],
)
def test_explicit_heading_is_one_card_and_names_its_section(tmp_path, name, text):
    """`## Term :: answer` is the author's card, word for word, in the deck; its answer stops at
    the heading (the notes under it are notes of their own, about the term)."""
    cards = cards_of(tmp_path, name, text)
    line = line_of(text, "Glycolysis ::")
    assert explicit(cards) == [
        ("Glycolysis", "the splitting of glucose into pyruvate", "Metabolism", line, line)]
    assert all(not is_suggestion(c) for c in cards if c.extractor == "explicit")
    below = [c for c in cards if c.source.line > line]
    assert below and all(c.context == "Metabolism > Glycolysis" for c in below)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("phys.md", f"# Physics\n\n## Fluid dynamics\n\n{BERNOULLI}"),
        # a subtitle in Title Case, a numbered or generic section, a talk with its speaker
        ("phys.md", f"# Physics\n\n## Heat Engines: The Carnot Cycle\n\n{BERNOULLI}"),
        ("phys.md", f"# Physics\n\n## Chapter 4: wave motion\n\n{BERNOULLI}"),
        ("phys.org", f"* Physics\n** Part II: waves and optics\n{BERNOULLI}"),
        ("phys.md", f"# Physics\n\n## Summary: what to revise\n\n{BERNOULLI}"),
        ("phys.txt", "Physics\n\n• Forces come in pairs\n\nFluid Flow: Bernoulli and Venturi\n"
                     + BERNOULLI.replace("-", "•")),
        ("talks.md", f"# Talks\n\n## Flying Machines: lessons from the lab - Maria Gonzalez\n\n{BERNOULLI}"),
    ],
)
def test_topic_heading_gives_no_card_and_stays_whole_in_the_breadcrumb(tmp_path, name, text):
    cards = cards_of(tmp_path, name, text)
    doc = read_text(notes(text), name)
    heading = [n for n, _ in doc.walk() if n.kind == "heading"][-1]
    assert note_heading(heading.text) is None
    # (a talk heading still says who gave the talk, a question heading still asks)
    assert not [c for c in cards
                if c.source.line == heading.line and c.extractor in ("definition", "explicit")]
    below = [c for c in cards if c.source.line > heading.line]
    assert below and all(c.context.endswith(heading.text) for c in below)


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("Capillarity: the rise of a liquid in a narrow tube", "Capillarity"),
        ("Capillarity: The rise of a liquid in a narrow tube", "Capillarity"),
        ("TTL: Time To Live", "TTL"),
        ("Glycolysis :: the splitting of glucose into pyruvate", "Glycolysis"),
        ("Glycolysis ::: the splitting of glucose into pyruvate", "Glycolysis"),
        ("Fluid dynamics", "Fluid dynamics"),
        ("Heat Engines: The Carnot Cycle", "Heat Engines: The Carnot Cycle"),
        ("Chapter 4: wave motion", "Chapter 4: wave motion"),
        ("Lecture 12: the heat equation", "Lecture 12: the heat equation"),
        ("3.2: the heat equation", "3.2: the heat equation"),
        ("Summary: what to revise", "Summary: what to revise"),
        ("Q: what links speed and pressure?", "Q: what links speed and pressure?"),
        ("Why bother: a note to myself?", "Why bother: a note to myself?"),
        ("Flying Machines: lessons from the lab - Maria Gonzalez",
         "Flying Machines: lessons from the lab - Maria Gonzalez"),
        ("Choosing a Queue: Throughput vs Latency", "Choosing a Queue: Throughput vs Latency"),
        ("The one rule every physics student forgets: units",
         "The one rule every physics student forgets: units"),
    ],
)
def test_heading_label(heading, label):
    assert heading_label(heading) == label
    assert (note_heading(heading) is not None) == (label != heading)


CARDS_ONLY = [
    ("net.md", """
        # Networking

        ## Transport

        - TCP :: Transmission Control Protocol
        - What does UDP (User Datagram Protocol) skip? :: the handshake and retransmission
        - Q: Which layer does IP work at?
        - A: the network layer
        """),
    ("go.txt", """
        Go basics
        • How do you start a goroutine? :: go f()
        • Zero value of a map ::: nil
        • What does this print? ::
            fmt.Println(len("héllo"))
        """),
    ("bio.org", """
        * Cells
        - Nucleus :: holds the DNA (deoxyribonucleic acid)
        - ATP :: the cell's energy currency
        """),
]


@pytest.mark.parametrize(("name", "text"), CARDS_ONLY)
def test_a_file_of_written_cards_skips_the_other_extractors_and_loses_nothing(
        tmp_path: Path, name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """When every note is a card the author wrote, only `explicit` runs (the others leave such
    lines alone): the cards are exactly those of running them all."""
    import generator.extract_files as extract_files

    quick = cards_of(tmp_path, name, text)
    assert quick and all(c.extractor == "explicit" for c in quick)
    monkeypatch.setattr(extract_files, "only_written_cards", lambda doc: False)
    assert cards_of(tmp_path, name, text) == quick


def test_a_file_with_one_note_among_its_cards_runs_every_extractor(tmp_path: Path) -> None:
    found = cards_of(tmp_path, "mix.md", """
        - TCP :: Transmission Control Protocol
        - Mitochondria produce ATP, the cell's energy currency
        """)
    assert {c.extractor for c in found} - {"explicit"}, [(c.extractor, c.question) for c in found]


def test_an_extractor_of_ones_own_still_reads_a_file_of_written_cards(tmp_path: Path) -> None:
    """Only the built-in extractors are skipped on a file of written cards: one a plugin or a
    library user registers may read those lines."""
    from generator.extractors import make_card

    registry = REGISTRY.copy()

    def fronts(doc):  # one card asking for each written card's front, backwards
        for node, _ in doc.walk():
            yield make_card(doc, node, f"Backwards: {node.text.split(' :: ')[0][::-1]}?", "front",
                            extractor="fronts", score=1.0)

    registry.register("fronts")(fronts)
    path = tmp_path / "cards.md"
    path.write_text("- Ohm :: unit of resistance\n", encoding="utf-8")
    found = extract([path], registry=registry).cards
    assert sorted(c.extractor for c in found) == ["explicit", "fronts"]
