"""Tests for the `acronym`, `question`, `fact`, `attribution`, `comparison` and `statement` extractors.

Notes come in several styles on purpose: Markdown lecture notes, plain-text bullet outlines,
Org outlines and book-style prose paragraphs, on biology, history, cooking, networking and
economics. Each case states what a careful user expects; cases marked `xfail(strict=True)` are
where the current extractors still get it wrong (bad grammar, a wrong answer, a card that
should not exist, or a card that is missing).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from generator.cards import LIST_SEPARATOR, Card
from generator.extractors import REGISTRY, answered_lines
from generator.readers import read_text

FIXTURES = Path(__file__).parent / "fixtures" / "extractors_more"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file())
NAMES = ("acronym", "question", "fact", "attribution", "comparison", "statement")

# A question starts with a question word or an auxiliary verb ("Should you ...?", "Is UDP ...?").
QUESTION_START = re.compile(
    r"^(?:what|which|who|whom|whose|why|how|when|where|is|are|was|were|does|do|did|can|could|should|"
    r"would|will)\b", re.I)
DELETION = re.compile(r"\{\{c(\d+)::(.+?)\}\}")


# --- helpers ---------------------------------------------------------------------------------


def notes(text: str) -> str:
    """Dedented note text (so inline notes can be indented in the test source)."""
    return textwrap.dedent(text).lstrip("\n")


def extract(text: str, path: str, name: str) -> list[Card]:
    """Cards from `text` read as `path` (its suffix picks the reader), by one extractor."""
    return list(REGISTRY.run(read_text(notes(text), path), [name]))


def only(cards: list[Card]) -> Card:
    assert len(cards) == 1, [(c.question, c.answer) for c in cards]
    return cards[0]


def qa(cards: list[Card]) -> list[tuple[str, str]]:
    return [(c.question, c.answer) for c in cards]


def by_question(cards: list[Card], question: str) -> Card:
    """The only card asking `question`."""
    hits = [c for c in cards if c.question == question]
    assert len(hits) == 1, f"{question!r} not found once in {[c.question for c in cards]}"
    return hits[0]


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_cards(name: str, extractor: str) -> list[Card]:
    return list(REGISTRY.run(read_text(fixture_text(name), name), [extractor]))


def line_of(text: str, needle: str) -> int:
    """1-based number of the only line of `text` containing `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} found on lines {hits}"
    return hits[0]


def bug(*values: object, reason: str) -> object:
    """A case the extractors get wrong today: the expectation is what a user wants."""
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason))


def visible(cloze_text: str) -> str:
    """A cloze card's front as shown before the answer is revealed."""
    return DELETION.sub("[...]", cloze_text)


def assert_well_formed(card: Card, n_lines: int, extractor: str) -> None:
    """What every card of these extractors must satisfy, whatever the notes."""
    assert card.extractor == extractor
    assert card.answer.strip(), card
    assert 1 <= card.source.line <= card.source.end_line <= n_lines, card
    assert 0.0 <= card.score <= 1.0
    if card.type == "cloze":
        numbers = [int(m.group(1)) for m in DELETION.finditer(card.question)]
        assert numbers, card
        assert numbers == list(range(1, len(numbers) + 1)), card
        assert card.answer == LIST_SEPARATOR.join(m.group(2) for m in DELETION.finditer(card.question))
        assert card.answer not in visible(card.question), card
    else:
        assert QUESTION_START.match(card.question), card
        assert card.question.endswith("?"), card
        assert card.answer.lower() not in card.question.lower(), card
    if card.type == "list":
        assert len(card.items) >= 2
        assert card.answer == LIST_SEPARATOR.join(card.items)
    else:
        assert card.type in ("basic", "cloze"), card
        assert card.items == ()


# --- acronym ---------------------------------------------------------------------------------


ACRONYM_INLINE = [
    ("net.md", "DNS (Domain Name System) maps host names to addresses.\n", "DNS", "Domain Name System",
     (1, 1)),
    ("net.txt", "Networking\n\n• Domain Name System (DNS) resolves host names\n", "DNS",
     "Domain Name System", (3, 3)),
    ("econ.org", "* Macroeconomics\n- GDP (Gross Domestic Product) measures total output\n", "GDP",
     "Gross Domestic Product", (2, 2)),
    ("health.md", "- The World Health Organization (WHO) coordinates vaccine campaigns\n", "WHO",
     "World Health Organization", (1, 1)),
    # small words may be skipped by the initials
    ("drugs.txt", "Medicine\n\n• The Food and Drug Administration (FDA) approves new drugs\n", "FDA",
     "Food and Drug Administration", (3, 3)),
    # camel case gives two initials
    ("web.md", "## HTTP basics\n\nHTTP (HyperText Transfer Protocol) is stateless.\n", "HTTP",
     "HyperText Transfer Protocol", (3, 3)),
    # book-style paragraph
    ("bio_book.txt", "Chapter 3\n\nThe Polymerase Chain Reaction (PCR) copies DNA. PCR needs a heat-stable "
     "enzyme.\n", "PCR", "Polymerase Chain Reaction", (3, 3)),
    ("econ.md", "- The IMF (International Monetary Fund) lends to governments in crisis\n", "IMF",
     "International Monetary Fund", (1, 1)),
    ("econ.md", "- Countries of the European Union (EU) share one market\n", "EU", "European Union",
        (1, 1)),
    ("net.org", "* Layers\n- the Internet Protocol (IP) routes packets between networks\n", "IP",
        "Internet Protocol", (2, 2)),
    ("bio.md", "- Adenosine triphosphate (ATP) stores energy in cells\n", "ATP", "Adenosine triphosphate",
        (1, 1)),
    ("bio.org", "* Genetics\n- DNA (deoxyribonucleic acid) carries the genes\n", "DNA",
        "deoxyribonucleic acid", (2, 2)),
    bug("net.txt", "Networking\n\n• IPv6 (Internet Protocol version 6) has longer addresses\n", "IPv6",
        "Internet Protocol version 6", (3, 3), reason="the digit of IPv6 is not matched by `6`: no card"),
    ("web.md", "- APIs (Application Programming Interfaces) expose resources\n", "API",
        "Application Programming Interface", (1, 1)),
]


@pytest.mark.parametrize(("path", "text", "acronym", "expansion", "lines"), ACRONYM_INLINE)
def test_acronym_spelled_out_in_brackets(path, text, acronym, expansion, lines):
    card = only(extract(text, path, "acronym"))
    assert card.question == f"What does {acronym} stand for?"
    assert card.answer == expansion
    assert card.type == "basic"
    assert (card.source.line, card.source.end_line) == lines


ACRONYM_NEARBY = [
    ("net.md", """
        # Networking

        - Routers exchange routes with BGP
        - Border Gateway Protocol is the routing protocol of the internet
        """, "BGP", "Border Gateway Protocol", (3, 4)),
    ("net.txt", """
        Networking

        • TCP guarantees in-order delivery
        • Transmission Control Protocol runs on top of IP
        """, "TCP", "Transmission Control Protocol", (3, 4)),
    ("econ.org", """
        * Economics
        - Central banks watch the CPI closely
        - the Consumer Price Index tracks household prices
        """, "CPI", "Consumer Price Index", (2, 3)),
    # the expansion may come first; "The" is not part of it
    ("econ.md", """
        - The Consumer Price Index tracks household prices
        - Central banks watch the CPI closely
        """, "CPI", "Consumer Price Index", (1, 2)),
    # spelled out in the heading just above
    ("econ.md", "## Gross Domestic Product\n\n- GDP grew 3% last year\n", "GDP", "Gross Domestic Product",
     (1, 3)),
    ("econ.txt", "Gross Domestic Product\n\n• GDP grew 3% last year\n", "GDP", "Gross Domestic Product",
     (1, 3)),
    ("econ.org", "* Gross Domestic Product\n- GDP grew 3% last year\n", "GDP", "Gross Domestic Product",
     (1, 2)),
]


@pytest.mark.parametrize(("path", "text", "acronym", "expansion", "lines"), ACRONYM_NEARBY)
def test_acronym_spelled_out_on_a_nearby_line(path, text, acronym, expansion, lines):
    card = only(extract(text, path, "acronym"))
    assert (card.question, card.answer) == (f"What does {acronym} stand for?", expansion)
    assert (card.source.line, card.source.end_line) == lines


ACRONYM_HEADINGS = [
    ("net.md", "## DNS (Domain Name System)\n\n- DNS caches answers for a while\n"),
    ("net.md", "## DNS (Domain Name System)\n\nResolvers cache answers for a while.\n"),
    ("net.org", "* DNS (Domain Name System)\n- resolvers cache answers for a while\n"),
]


@pytest.mark.parametrize(("path", "text"), ACRONYM_HEADINGS)
def test_acronym_expanded_in_a_heading(path, text):
    card = only(extract(text, path, "acronym"))
    assert (card.question, card.answer) == ("What does DNS stand for?", "Domain Name System")


ACRONYM_NONE = [
    ("net.md", "- DNS (see RFC 1035) maps names to addresses\n"),
    ("hist.txt", "History\n\n• NATO (founded after the war) grew quickly\n"),
    ("econ.org", "* Macro\n- GDP (in 2020) fell sharply\n"),
    # brackets that hold another expansion
    ("net.md", "- DNS (Dynamic Host Configuration Protocol) assigns addresses\n"),
    ("web.txt", "Web\n\n• Use the HTTP verbs (GET, POST, PUT) for requests\n"),
    # code is never read
    ("net.md", "```\nDNS (Domain Name System)\n```\n"),
    # spelled out nowhere near
    ("bio.org", "* Energy\n- Plants make ATP in the light reactions\n"),
]


@pytest.mark.parametrize(("path", "text"), ACRONYM_NONE)
def test_no_acronym_card_without_a_matching_expansion(path, text):
    assert extract(text, path, "acronym") == []


@pytest.mark.parametrize(
    ("path", "text", "answer"),
    [
        ("net.md", """
            - DNS (Domain Name System) maps names to addresses
            - DNS (Domain Name System) answers are cached
            - Domain Name System (DNS) servers form a hierarchy
            - every DNS query starts at a resolver
            """, "Domain Name System"),
        ("un.txt", """
            International bodies

            • The UN (United Nations) was founded after the war
            • Today the UN (United Nations) has almost 200 members
            """, "United Nations"),
        ("net.org", """
            * Transport
            - TCP guarantees delivery
            - Transmission Control Protocol retransmits lost segments
            - TCP (Transmission Control Protocol) is connection oriented
            """, "Transmission Control Protocol"),
    ],
)
def test_acronym_asked_once_per_document(path, text, answer):
    card = only(extract(text, path, "acronym"))
    assert card.question.startswith("What does ")
    assert card.answer == answer


# --- question --------------------------------------------------------------------------------


QUESTION_CHILDREN = [
    ("bio.md", """
        # Cell biology

        - Why do cells divide?
          - to grow
          - to repair damaged tissue
        """, "Why do cells divide?", ("to grow", "to repair damaged tissue"), (3, 5)),
    ("net.txt", """
        Networking

        • What does a router do?
            • forwards packets between networks
        """, "What does a router do?", ("forwards packets between networks",), (3, 4)),
    ("econ.org", """
        * Economics
        - What causes inflation?
          - too much money chasing too few goods
          - rising production costs
        """, "What causes inflation?", ("too much money chasing too few goods", "rising production costs"),
     (2, 4)),
    # a heading that asks, answered by the paragraph below it
    ("bio.md", """
        ## How do vaccines work?

        They train the immune system to recognise a pathogen.
        """, "How do vaccines work?", ("They train the immune system to recognise a pathogen",), (1, 3)),
    # a declarative question is put in asking form
    ("bread.md", """
        - You can store bread in the freezer?
          - yes, for up to three months
        """, "Can you store bread in the freezer?", ("yes, for up to three months",), (1, 2)),
    # asides among the answers are dropped
    ("bio.org", """
        * Autumn
        - Why do leaves change colour?
          - chlorophyll breaks down
          - I think it is the prettiest season
          - yellow pigments show through
        """, "Why do leaves change colour?", ("chlorophyll breaks down", "yellow pigments show through"),
     (2, 5)),
]


@pytest.mark.parametrize(("path", "text", "question", "answers", "lines"), QUESTION_CHILDREN)
def test_question_with_child_answers(path, text, question, answers, lines):
    card = only(extract(text, path, "question"))
    assert card.question == question
    assert (card.source.line, card.source.end_line) == lines
    if len(answers) == 1:
        assert card.type == "basic"
        assert card.answer == answers[0]
        assert card.items == ()
    else:
        assert card.type == "list"
        assert card.items == answers
        assert card.answer == LIST_SEPARATOR.join(answers)


def test_questions_in_a_plain_text_outline_keep_their_context():
    text = """
        Rome

        • Who founded Rome?
            • Romulus, according to legend
        • When did the Western Empire fall?
            • 476 AD
        """
    cards = extract(text, "rome.txt", "question")
    assert [(c.question, c.answer, c.source.line, c.source.end_line) for c in cards] == [
        ("Who founded Rome?", "Romulus, according to legend", 3, 4),
        ("When did the Western Empire fall?", "476 AD", 5, 6),
    ]
    assert all(c.context == "Rome" for c in cards)


@pytest.mark.parametrize(
    ("path", "text", "n_answers", "made"),
    [
        ("bio.md", "- Why do leaves change colour?\n", 0, False),
        ("bio.md", "- Why do leaves change colour?\n  - I think it is magic\n", 0, False),
        ("bio.txt", "Autumn\n\n• Why do leaves change colour?\n" + "".join(
            f"    • reason number {n}\n" for n in range(1, 9)), 8, True),
        ("bio.org", "* Autumn\n- Why do leaves change colour?\n" + "".join(
            f"  - reason number {n}\n" for n in range(1, 10)), 9, False),
    ],
)
def test_question_needs_one_to_eight_answers(path, text, n_answers, made):
    cards = extract(text, path, "question")
    assert len(cards) == int(made)
    if made:
        assert len(cards[0].items) == n_answers


INLINE_QUESTIONS = [
    ("bread.md", "## Bread\n\n- Q? Who invented sourdough? Nobody knows, it predates writing\n",
     "Who invented sourdough?", "Nobody knows, it predates writing"),
    # a second, rhetorical question is skipped
    ("kitchen.txt", "Kitchen\n\n• Q? Who cleans the oven? Interns? The night shift cleans it every Friday\n",
     "Who cleans the oven?", "The night shift cleans it every Friday"),
    ("net.org", "* DNS\n- Q? Who runs the root servers? Twelve independent operators\n",
     "Who runs the root servers?", "Twelve independent operators"),
    # "this" is the parent item's topic
    ("os.md", "- Linux\n  - Q? Who wrote this? Linus Torvalds, as a student\n", "Who wrote Linux?",
     "Linus Torvalds, as a student"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), INLINE_QUESTIONS)
def test_inline_question_and_answer(path, text, question, answer):
    card = only(extract(text, path, "question"))
    assert (card.question, card.answer) == (question, answer)
    assert card.type == "basic"


INLINE_PARAGRAPH_QUESTIONS = [
    ("net.md", "## Protocols\n\nQ? Which layer does TCP live in? The transport layer.\n",
        "Which layer does TCP live in?", "The transport layer"),
    ("hist.txt", "Chapter 4\n\nQ? Who paid for the Crusades? Mostly the Church and the nobles.\n",
        "Who paid for the Crusades?", "Mostly the Church and the nobles"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), INLINE_PARAGRAPH_QUESTIONS)
def test_inline_question_in_a_paragraph_gives_one_card(path, text, question, answer):
    card = only(extract(text, path, "question"))
    assert (card.question, card.answer) == (question, answer)


def test_inline_question_about_an_unknown_this_gives_no_card():
    text = "- Q? Who invented this? Nobody knows, it predates writing\n"
    assert extract(text, "bread.md", "question") == []


YES_ANSWERS = [
    ("rice.md", """
        - Can you freeze cooked rice?
          - Yes, you can freeze cooked rice for a month
        """, "Can you freeze cooked rice?", "Is it possible to freeze cooked rice for a month?",
     "Yes: you can freeze cooked rice for a month", 2),
    ("net.txt", """
        Networking

        • Can you run DNS over TCP?
            • Yes, you can run DNS over TCP for large responses
        """, "Can you run DNS over TCP?", "Is it possible to run DNS over TCP for large responses?",
     "Yes: you can run DNS over TCP for large responses", 4),
    ("bio.org", """
        * Photosynthesis
        - Can plants grow without sunlight?
          - Yes, plants can grow under artificial lamps
        """, "Can plants grow without sunlight?", "Can plants grow under artificial lamps?",
     "Yes: plants can grow under artificial lamps", 3),
]


@pytest.mark.parametrize(("path", "text", "parent", "question", "answer", "line"), YES_ANSWERS)
def test_yes_answer_under_a_question_carries_its_own_question(path, text, parent, question, answer, line):
    cards = extract(text, path, "question")
    assert [c.question for c in cards] == [parent, question]
    card = by_question(cards, question)
    assert card.answer == answer
    assert card.source.line == card.source.end_line == line
    assert card.context.endswith(parent)


@pytest.mark.parametrize(
    ("path", "text", "questions"),
    [
        ("bio.md", "- Is a tomato a fruit?\n  - yes, botanically it is a berry\n",
            ["Is a tomato a fruit?"]),
        ("econ.txt", "Economics\n\n• Does raising rates lower inflation?\n"
                     "    • No, not always: supply shocks keep prices high\n",
         ["Does raising rates lower inflation?"]),
    ],
)
def test_yes_no_answer_without_a_clear_statement_gives_only_the_parent_card(path, text, questions):
    assert [c.question for c in extract(text, path, "question")] == questions


TALK_TITLES = [
    ("talks.txt", """
        Conference notes

        Why Rust? - Jane Doe

        • memory safety without a garbage collector
        • fearless concurrency
        """),
    ("talks.md", """
        # Why Rust? - Jane Doe

        - memory safety without a garbage collector
        - fearless concurrency
        """),
    ("talks.org", """
        * Summit
        ** Who Feeds the Cities? - Maria Lopez
        - food logistics
        - cold chains
        """),
    ("talks.txt", """
        Talks

        • Why the French Revolution? - Eric Hobsbawm
            • debt
            • bread prices
        """),
]


@pytest.mark.parametrize(("path", "text"), TALK_TITLES)
def test_talk_title_is_not_a_question(path, text):
    assert extract(text, path, "question") == []


# --- fact ------------------------------------------------------------------------------------


FACTS = [
    ("bio.md", "- A human cell holds about 20,000 genes\n", "A human cell holds about {{c1::20,000}} genes",
     "20,000"),
    ("net.md", "- HTTP/2 was standardised in 2015\n", "HTTP/2 was standardised in {{c1::2015}}", "2015"),
    ("py.org", "* Python\n- Python 3.12 removed the distutils module\n",
     "Python {{c1::3.12}} removed the distutils module", "3.12"),
    ("econ.txt", "Economics\n\n• Unemployment fell to 3.5% in 2019\n",
     "Unemployment fell to {{c1::3.5%}} in {{c2::2019}}", "3.5%; 2019"),
    ("rome.org", "* Rome\n- The Western Roman Empire fell in 476\n",
     "The Western Roman Empire fell in {{c1::476}}", "476"),
    ("net.md", "- Fiber is 20x faster than copper for long links\n",
     "Fiber is {{c1::20x}} faster than copper for long links", "20x"),
    ("birds.txt", "Birds\n\n• A hummingbird's heart beats ~1200 times a minute\n",
     "A hummingbird's heart beats {{c1::~1200}} times a minute", "~1200"),
    ("algo.txt", "Algorithms\n\n• Binary search runs in O(log n) time\n",
     "Binary search runs in {{c1::O(log n)}} time", "O(log n)"),
    ("algo.org", "* Hashing\n- Lookup in a hash table is O(1) on average\n",
     "Lookup in a hash table is {{c1::O(1)}} on average", "O(1)"),
    ("media.md", "- A single-layer DVD holds 4.7 GB of data\n",
     "A single-layer DVD holds {{c1::4.7 GB}} of data", "4.7 GB"),
    ("node.md", "- Node v20 ships a built-in test runner\n", "Node {{c1::v20}} ships a built-in test runner",
     "v20"),
    ("sparta.org", "* Sparta\n- Sparta had 2 kings, 5 ephors, 28 elders and one assembly\n",
     "Sparta had {{c1::2}} kings, {{c2::5}} ephors, {{c3::28}} elders and one assembly", "2; 5; 28"),
    ("press.txt", "Chapter 2\n\nThe printing press appeared in Mainz around 1440.\n",
     "The printing press appeared in Mainz around {{c1::1440}}", "1440"),
    ("pasta.md", "- Cook dried pasta for 8-10 minutes\n", "Cook dried pasta for {{c1::8-10}} minutes",
        "8-10"),
    ("bread.txt", "Bread\n\n• Mix flour and water 1:1 for a starter\n",
        "Mix flour and water {{c1::1:1}} for a starter", "1:1"),
    ("ww2.md", "- World War 2 ended in 1945\n", "World War 2 ended in {{c1::1945}}", "1945"),
    ("moon.org", "* Space race\n- Apollo 11 landed on the Moon in 1969\n",
        "Apollo 11 landed on the Moon in {{c1::1969}}", "1969"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), FACTS)
def test_fact_values_become_cloze_deletions(path, text, question, answer):
    card = only(extract(text, path, "fact"))
    assert (card.question, card.answer) == (question, answer)
    assert card.type == "cloze"
    assert card.source.line == card.source.end_line


LABELS = [
    ("summit.md", "- Day 1 of the summit drew 4000 people\n",
     ["Day 1 of the summit drew {{c1::4000}} people"]),
    ("bio.txt", "Biology\n\n• Chapter 3 lists 20 amino acids\n", ["Chapter 3 lists {{c1::20}} amino acids"]),
    ("bread.org", "* Bread\n- Step 2: knead the dough for 10 minutes\n",
     ["Step 2: knead the dough for {{c1::10}} minutes"]),
    ("econ.md", "- Section 2 covers monetary policy and 3 key rates\n",
     ["Section 2 covers monetary policy and {{c1::3}} key rates"]),
    # list markers
    ("bread.md", "1. Preheat the oven to 230 degrees\n2. Bake for 40 minutes\n",
     ["Preheat the oven to {{c1::230}} degrees", "Bake for {{c1::40}} minutes"]),
    ("bread.txt", "Bread\n\n1. Preheat the oven to 230 degrees\n2. Bake for 40 minutes\n",
     ["Preheat the oven to {{c1::230}} degrees", "Bake for {{c1::40}} minutes"]),
    ("bread.org", "* Bread\n1. Preheat the oven to 230 degrees\n2. Bake for 40 minutes\n",
     ["Preheat the oven to {{c1::230}} degrees", "Bake for {{c1::40}} minutes"]),
]


@pytest.mark.parametrize(("path", "text", "questions"), LABELS)
def test_labels_and_list_markers_are_not_values(path, text, questions):
    assert [c.question for c in extract(text, path, "fact")] == questions


NO_FACTS = [
    ("cells.md", "- Day 1 covered cell membranes\n"),
    ("bio.txt", "Biology\n\n• Chapter 3 explains photosynthesis in detail\n"),
    ("econ.org", "* Week 2\n- Lecture 4 introduced supply and demand\n"),
    # more than three values
    ("ww1.md", "- In 1914, 1915, 1916 and 1917 the war dragged on\n"),
    ("grid.txt", "Maths\n\n• A 4 by 4 grid has 16 cells and 24 edges\n"),
    ("flu.org", "* Pandemics\n- The 1918 flu killed 50 million people in 2 years across 6 continents\n"),
    bug("scores.md", "- Scores were 10, 20, 30 and 40 points\n",
        reason='the tail of the list becomes a card: "{{c1::30}} and {{c2::40}} points"'),
    # indexes are not values
    ("arrays.md", "- The first element is fun[0] in the array\n"),
    ("arrays.txt", "Arrays\n\n• Use arr[2] to read the third item\n"),
    # a count that quantifies a bracketed list
    ("resilience.md", "- There are 3 strategies (retry, fallback, and circuit breaking)\n"),
    ("sauces.txt", "Cooking\n\n• 3 mother sauces (béchamel, velouté, and espagnole) come from France\n"),
    ("bread.org", "* Bread\n- 3 steps (mix, knead, and bake) make a loaf\n"),
    # word counts, talk titles, questions and headings
    ("essay.md", "- A 10-word summary is enough\n"),
    ("talks.md", "- Scaling to 1M users - Jane Doe\n"),
    ("crash.txt", "Economics\n\n• Why did the market crash in 1929?\n"),
    ("week.md", "## Week 3 of 12\n"),
]


@pytest.mark.parametrize(("path", "text"), NO_FACTS)
def test_no_fact_card(path, text):
    assert extract(text, path, "fact") == []


def test_fact_with_a_pronoun_subject_names_what_it_is_about():
    text = "Chapter 2\n\nThe printing press appeared around 1440. It spread across Europe within 50 years.\n"
    cards = extract(text, "press.txt", "fact")
    assert [c.answer for c in cards] == ["1440", "50"]
    assert all(c.context == "Chapter 2" and c.source.line == 3 for c in cards)


def test_fact_cloze_does_not_start_with_an_unresolved_pronoun():
    text = "Chapter 2\n\nThe printing press appeared around 1440. It spread across Europe within 50 years.\n"
    cards = extract(text, "press.txt", "fact")
    assert not any(c.question.startswith("It ") for c in cards)


# --- attribution -----------------------------------------------------------------------------


MADE_BY = [
    # agent and year
    ("os.md", "- Linux was created by Linus Torvalds in 1991\n", "When and by whom was Linux created?",
     "In 1991, by Linus Torvalds"),
    ("vcs.txt", "Computing\n\n• Git was written by Linus Torvalds in 2005\n",
     "When and by whom was Git written?", "In 2005, by Linus Torvalds"),
    ("crypto.org", "* Money\n- Bitcoin was created by Satoshi Nakamoto in 2008\n",
     "When and by whom was Bitcoin created?", "In 2008, by Satoshi Nakamoto"),
    ("bio.md", "- In 1859 the theory of evolution was published by Charles Darwin\n",
     "When and by whom was the theory of evolution published?", "In 1859, by Charles Darwin"),
    ("phone.txt", "Chapter 1\n\nThe telephone was invented by Alexander Graham Bell in 1876. It changed "
        "communication forever.\n", "When and by whom was the telephone invented?",
        "In 1876, by Alexander Graham Bell"),
    ("py.txt", "Computing\n\n• Python was created by Guido van Rossum in 1991\n",
        "When and by whom was Python created?", "In 1991, by Guido van Rossum"),
    ("net.md", "- TCP/IP was designed by Vint Cerf and Bob Kahn in 1974\n",
        "When and by whom was TCP/IP designed?", "In 1974, by Vint Cerf and Bob Kahn"),
    ("dna.md", "- The double helix was proposed by James Watson in 1953\n",
        "When and by whom was the double helix proposed?", "In 1953, by James Watson"),
    # agent only
    ("net.md", "- TCP was designed by Vint Cerf\n", "Who designed TCP?", "Vint Cerf"),
    ("wiki.org", "* Web\n- Wikipedia was founded by Jimmy Wales\n", "Who founded Wikipedia?", "Jimmy Wales"),
    ("press.txt", "History\n\n• The printing press was invented by Johannes Gutenberg\n",
        "Who invented the printing press?", "Johannes Gutenberg"),
    ("os.md", "- Linux\n  - it was written by Linus Torvalds\n", "Who wrote Linux?", "Linus Torvalds"),
    # year only
    ("os.md", "- Linux was released in 1991\n", "When was Linux released?", "In 1991"),
    ("py.org", "* Computing\n- Python was first released in 1991\n", "When was Python released?", "In 1991"),
    ("smith.txt", "Economics\n\n• The Wealth of Nations was published in 1776\n",
     "When was The Wealth of Nations published?", "In 1776"),
    ("paris.md", "- The Eiffel Tower was built in 1889\n", "When was the Eiffel Tower built?", "In 1889"),
    ("euro.org", "* Money\n- The euro was introduced in 1999\n", "When was the euro introduced?",
        "In 1999"),
    ("rome.md", "- Rome\n  - it was founded in 753 BC\n", "When was Rome founded?", "In 753 BC"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), MADE_BY)
def test_who_made_what_and_when(path, text, question, answer):
    card = only(extract(text, path, "attribution"))
    assert (card.question, card.answer) == (question, answer)
    assert card.type == "basic"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("bakery.md", "- Croissants are made by bakers every morning\n"),
        ("recipe.txt", "Recipes\n\n• The recipe was written by hand\n"),
        ("bread.org", "* Bread\n- The loaf was baked at 230 degrees\n"),
        ("econ.md", "- Interest rates were raised again\n"),
    ],
)
def test_no_attribution_without_a_named_agent_or_year(path, text):
    assert extract(text, path, "attribution") == []


TALKS = [
    ("talks.txt", """
        Conference notes

        Scaling Postgres at Work - Maria Lopez

        • indexes matter
        """, "Scaling Postgres at Work", "Maria Lopez", 3),
    ("talks.md", """
        # Summit

        ## The Economics of Open Source - Tom Baker

        - funding is hard
        """, "The Economics of Open Source", "Tom Baker", 3),
    ("talks.org", """
        * Summit
        ** Soil Health 101 - Dr. Ana Ruiz
        - compost matters
        """, "Soil Health 101", "Dr. Ana Ruiz", 2),
    ("talks.md", """
        ## Bread Basics | Paul Hollywood, BBC

        - knead well
        """, "Bread Basics", "Paul Hollywood", 1),
    ("talks.md", """
        ## Markets and Money - Adam Smith (University of Glasgow)

        - trade
        """, "Markets and Money", "Adam Smith", 1),
]


@pytest.mark.parametrize(("path", "text", "title", "speaker", "line"), TALKS)
def test_talk_heading_asks_who_gave_the_talk(path, text, title, speaker, line):
    card = only(extract(text, path, "speaker"))
    assert card.question == f"Who gave the talk \u201c{title}\u201d?"
    assert card.answer == speaker
    assert card.source.line == card.source.end_line == line


NOT_SPEAKERS = [
    ("talks.md", "## A way to validate tests - Rotation Testing\n\n- rotate inputs\n"),
    ("talks.txt", "Conference notes\n\nA way to validate tests - Rotation Testing\n\n• rotate inputs\n"),
    ("talks.org", "* A way to validate tests - Rotation Testing\n- rotate inputs\n"),
    ("net.md", "## Networking - Routing Protocols\n\n- distance vector\n"),
    ("bread.md", "## Sourdough - Wild Yeast Fermentation\n\n- feed the starter daily\n"),
    ("bio.txt", "Biology\n\nPhotosynthesis - Light Reactions\n\n• water is split\n"),
    ("rome.org", "* Roman History - Late Republic\n- the Gracchi\n"),
    ("summit.md", "## Day 2 - Morning Session\n\n- keynote\n"),
]


@pytest.mark.parametrize(("path", "text"), NOT_SPEAKERS)
def test_heading_whose_tail_is_not_a_person_is_not_a_talk(path, text):
    assert extract(text, path, "attribution") == []


# --- comparison ------------------------------------------------------------------------------


REASONS = [
    ("bio.md", "- Leaves are green because chlorophyll absorbs red and blue light\n", "Why are leaves green?",
     "chlorophyll absorbs red and blue light"),
    ("econ.txt", "Economics\n\n• Central banks raise interest rates because inflation erodes savings\n",
     "Why do central banks raise interest rates?", "inflation erodes savings"),
    ("econ.org", "* Economics\n- Banks raise rates due to high inflation\n", "Why do banks raise rates?",
     "high inflation"),
    ("bio.org", "* Biology\n- Cells divide bc tissues need repair\n", "Why do cells divide?",
     "tissues need repair"),
    # the subject of a subject-less line comes from the bullet before
    ("plants.md",
     "- Plants need light\n- they grow toward windows because auxin builds up on the shady side\n",
     "Why do plants grow toward windows?", "auxin builds up on the shady side"),
    ("pans.md", "- Use a cast iron pan because it holds heat\n", "Why use a cast iron pan?", "it holds heat"),
    ("econ.org", "* Economics\n- Prices rose bc the central bank printed money\n", "Why did prices rise?",
        "the central bank printed money"),
    ("weimar.txt", "Chapter 5\n\nHyperinflation hit Germany in 1923. Prices rose every day because the "
        "government printed money.\n", "Why did prices rise every day?", "the government printed money"),
    bug("bread.md", "- Bread goes stale because starch recrystallises\n", "Why does bread go stale?",
        "starch recrystallises", reason='a common noun keeps its capital: "Why does Bread go stale?"'),
    ("rome.md", "- The Roman Republic collapsed due to civil wars\n", "Why did the Roman Republic collapse?",
     "civil wars"),
    ("trees.txt", "Autumn\n\n• Leaves fall due to shorter days in autumn\n", "Why do leaves fall?",
        "shorter days in autumn"),
    ("ovens.md", "- We switched to gas ovens because they heat faster\n",
        "Why did we switch to gas ovens?", "they heat faster"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), REASONS)
def test_reason_becomes_a_why_question(path, text, question, answer):
    card = only(extract(text, path, "comparison"))
    assert (card.question, card.answer) == (question, answer)


COMPARISONS = [
    ("net.md", "- UDP is faster than TCP\n", "How does UDP compare with TCP?", "faster than TCP"),
    ("net.txt", "Networking\n\n• QUIC is faster than TCP on lossy links\n",
     "How does QUIC compare with TCP on lossy links?", "faster than TCP on lossy links"),
    ("econ.org", "* Institutions\n- The IMF is older than the WTO\n",
     "How does the IMF compare with the WTO?", "older than the WTO"),
    ("bio.org", "* Organelles\n- Mitochondria are smaller than nuclei\n",
        "How do mitochondria compare with nuclei?", "smaller than nuclei"),
    ("disks.md", "- SSDs are 10x faster than HDDs for random reads\n",
        "How do SSDs compare with HDDs for random reads?", "10x faster than HDDs for random reads"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), COMPARISONS)
def test_comparative_with_than(path, text, question, answer):
    card = only(extract(text, path, "comparison"))
    assert (card.question, card.answer) == (question, answer)


CONDITIONS = [
    ("db.md", "- SQLite can be faster in read-heavy cases\n", "When can SQLite be faster?",
     "in read-heavy cases"),
    ("net.txt", "Networking\n\n• HTTP/3 can be faster in lossy networks\n", "When can HTTP/3 be faster?",
     "in lossy networks"),
    ("disks.org", "* Storage\n- NVMe drives are faster in random workloads\n", "When are NVMe drives faster?",
     "in random workloads"),
    ("lists.md", "- A linked list can be faster in insert-heavy cases\n",
        "When can a linked list be faster?", "in insert-heavy cases"),
    ("bikes.txt", "Cities\n\n• Bicycles can be faster in rush hour traffic\n",
        "When can bicycles be faster?", "in rush hour traffic"),
    ("net.org", "* Transport\n- QUIC can be faster on lossy mobile networks\n", "When can QUIC be faster?",
        "on lossy mobile networks"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), CONDITIONS)
def test_comparative_under_a_condition(path, text, question, answer):
    card = only(extract(text, path, "comparison"))
    assert (card.question, card.answer) == (question, answer)


UNTIL = [
    ("post.md", "- Letters were carried by horse, until the telegraph was introduced\n",
     "What ended the situation where letters were carried by horse?", "the telegraph was introduced"),
    ("sea.txt", "History\n\n• Sailors navigated by the stars, until the compass was introduced\n",
     "What ended the situation where sailors navigated by the stars?", "the compass was introduced"),
    ("net.org", "* Naming\n- Hosts files mapped names to addresses, until DNS was introduced\n",
     "What ended the situation where hosts files mapped names to addresses?", "DNS was introduced"),
    ("farm.md", "- Farmers used oxen, until tractors became cheap\n",
     "What ended the situation where farmers used oxen?", "tractors became cheap"),
    ("maths.txt", "History\n\n• Europe used Roman numerals, until Arabic numerals were introduced\n",
        "What ended the situation where Europe used Roman numerals?", "Arabic numerals were introduced"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), UNTIL)
def test_until_asks_what_ended_the_situation(path, text, question, answer):
    card = only(extract(text, path, "comparison"))
    assert (card.question, card.answer) == (question, answer)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("bread.md", "- I love sourdough because it is tangy\n"),
        ("net.txt", "Networking\n\n• Is UDP faster than TCP?\n"),
        ("bread.org", "* Bread\n- Wait until the dough doubles\n"),
        ("sauce.md", "- Stir until thick\n"),
        ("net.md", "- TCP is reliable\n"),
        ("bread.txt", "Bread\n\n• Knead the dough until it is smooth and elastic\n"),
    ],
)
def test_no_comparison_card(path, text):
    assert extract(text, path, "comparison") == []


# --- statement -------------------------------------------------------------------------------


SVO = [
    ("bio.md", "- Ribosomes build proteins from amino acids\n", "What do ribosomes build?",
     "proteins from amino acids"),
    ("net.txt", "Networking\n\n• Routers connect separate networks into one internet\n",
     "What do routers connect?", "separate networks into one internet"),
    ("econ.org", "* Economics\n- The central bank sets the interest rate\n",
     "What does the central bank set?", "the interest rate"),
    ("rome.txt", "Chapter 6\n\nThe consuls met every morning. Rome built roads across the whole empire.\n",
     "What did Rome build?", "roads across the whole empire"),
    ("net.txt", "Networking\n\n• Switches connect devices inside one local network\n",
        "What do switches connect?", "devices inside one local network"),
    ("net.md", "- Routers forward packets between networks\n", "What do routers forward?",
     "packets between networks"),
    bug("bio.org", "* Photosynthesis\n- Chlorophyll absorbs red and blue light\n",
        "What does chlorophyll absorb?", "red and blue light",
        reason='a common noun keeps its capital: "What does Chlorophyll absorb?"'),
    ("econ.org", "* Prices\n- The Consumer Price Index tracks the cost of a basket of goods\n",
     "What does the Consumer Price Index track?", "the cost of a basket of goods"),
    ("pcr.md", "- Each PCR cycle doubles the amount of DNA\n", "What does each PCR cycle double?",
        "the amount of DNA"),
    ("tcp.txt", "Networking\n\n• Transmission Control Protocol opens a connection with a handshake\n",
        "What does Transmission Control Protocol open?", "a connection with a handshake"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), SVO)
def test_subject_verb_object_asks_what_the_subject_does(path, text, question, answer):
    card = by_question(extract(text, path, "statement"), question)
    assert (card.question, card.answer) == (question, answer)
    assert card.type == "basic"


@pytest.mark.parametrize(
    ("path", "text", "question"),
    [
        ("bread.md", "- Sourdough keeps longer because the acid slows mould\n",
            "What does sourdough keep?"),
        ("trade.org", "* Trade\n- Trade grows when transport costs fall\n", "What does trade grow?"),
        ("stove.md", "- A gas stove can be faster in high-heat cooking\n", "What can a gas stove can?"),
        ("books.txt", "Chapter 1\n\nBooks became cheaper because paper replaced parchment.\n",
            "What do books become?"),
    ],
)
def test_statement_does_not_ask_for_an_object_that_is_not_there(path, text, question):
    assert question.lower() not in [c.question.lower() for c in extract(text, path, "statement")]


CONTINUED = [
    ("dns.txt", """
        Networking

        • The DNS resolver sends queries to the root servers first
        • stores the answers in a cache for later lookups
        """, [("What does the DNS resolver send?", "queries to the root servers first"),
              ("What does the DNS resolver store?", "the answers in a cache for later lookups")]),
    ("fed.org", """
        * Economics
        - The Federal Reserve sets the target for short-term interest rates
        - publishes the minutes three weeks after each meeting
        """, [("What does the Federal Reserve set?", "the target for short-term interest rates"),
              ("What does the Federal Reserve publish?", "the minutes three weeks after each meeting")]),
    ("bank.org", """
        * Economics
        - The central bank sets the target for short-term interest rates
        - publishes the minutes three weeks after each meeting
        """, [("What does the central bank set?", "the target for short-term interest rates"),
              ("What does the central bank publish?", "the minutes three weeks after each meeting")]),
    # the subject comes from the parent item
    ("cell.md", """
        - The cell membrane
          - controls which molecules enter and leave the cell
          - contains proteins that act as channels and pumps for ions
        """, [("What does the cell membrane control?", "which molecules enter and leave the cell"),
              ("What does the cell membrane contain?", "proteins that act as channels and pumps for ions")]),
    bug("mito.md", """
        - Mitochondria produce most of the cell's energy in the form of ATP
        - contain their own small circular genome inherited from the mother
        """, [("What do mitochondria produce?", "most of the cell's energy in the form of ATP"),
              ("What do mitochondria contain?", "their own small circular genome inherited from the mother")],
        reason='a plural subject takes a base-form verb, read as an instruction: "contain {{c1::...}}"'),
    bug("enzymes.md", """
        - Enzymes lower the activation energy of a reaction
        - can be reused many times because they are not consumed
        """, [("What do enzymes lower?", "the activation energy of a reaction")],
        reason='the second bullet gives "What can you reuse?" -> "many times because they are not consumed"'),
]


@pytest.mark.parametrize(("path", "text", "cards"), CONTINUED)
def test_subjectless_bullet_goes_on_about_the_subject_above(path, text, cards):
    assert qa(extract(text, path, "statement")) == cards


IMPERATIVES = [
    ("oil.txt", "Cooking\n\n• Use a thermometer to check the oil temperature\n", "Use a thermometer "),
    ("net.org", "* Networking\n- Check the cable before you restart the router\n", "Check "),
    ("jam.md", "- Write the date on every jar of jam you store\n", "Write "),
    ("bread.md", "- Rest the dough to relax the gluten\n", "Rest "),
    ("pasta.md", "- Add salt to the water before the pasta goes in\n", "Add "),
    ("bread.txt", "Baking\n\n• Preheat the oven before baking bread\n", "Preheat "),
]


@pytest.mark.parametrize(("path", "text", "shown"), IMPERATIVES)
def test_imperative_bullet_becomes_a_cloze_of_the_sentence_as_written(path, text, shown):
    card = only(extract(text, path, "statement"))
    assert card.type == "cloze"
    assert card.question.startswith(shown)
    written = notes(text).splitlines()[card.source.line - 1].lstrip("-•* ").strip()
    assert card.question.replace("{{c1::", "").replace("}}", "") == written
    assert card.answer == DELETION.search(card.question).group(2)


DONTS = [
    ("cake.md", "- Don't open the oven door while the cake bakes\n",
     "Should you open the oven door while the cake bakes?",
     "No, don't open the oven door while the cake bakes", (1, 1)),
    ("muffins.txt", "Baking\n\n• Don't overmix the batter, it makes the muffins tough\n",
     "Should you overmix the batter?", "No: it makes the muffins tough", (3, 3)),
    ("pans.org", "* Cooking\n- Never wash a cast iron pan with soap\n  - it strips the seasoning\n",
     "Should you wash a cast iron pan with soap?", "No: it strips the seasoning", (2, 3)),
    ("tomatoes.md",
     "- Don't store tomatoes in the fridge\n  - the cold destroys their flavour\n  - they turn mealy\n",
     "Should you store tomatoes in the fridge?", "No: the cold destroys their flavour; they turn mealy",
     (1, 3)),
    ("security.txt", "Security\n\n• Never reuse a password across sites\n",
     "Should you reuse a password across sites?", "No, don't reuse a password across sites", (3, 3)),
    ("oven.md", "- Avoid opening the oven door early\n", "Should you open the oven door early?",
        "No, don't open the oven door early", (1, 1)),
    ("climate.txt", "Chapter 4\n\nDon't confuse weather with climate. Weather changes daily.\n",
        "Should you confuse weather with climate?", "No, don't confuse weather with climate", (3, 3)),
]


@pytest.mark.parametrize(("path", "text", "question", "answer", "lines"), DONTS)
def test_dont_advice_asks_should_you(path, text, question, answer, lines):
    card = by_question(extract(text, path, "statement"), question)
    assert card.answer == answer
    assert (card.source.line, card.source.end_line) == lines


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("tomatoes.md", "- Don't store tomatoes in the fridge\n  - the cold destroys their flavour\n"
                        "  - they turn mealy\n"),
        ("pasta.md", "- Do not rinse pasta after cooking, the starch helps the sauce stick\n"),
        ("net.txt",
            "Networks\n\n• Don't rely on a single upstream provider, one outage takes everything down\n"),
    ],
)
def test_dont_advice_reasons_get_no_card_of_their_own(path, text):
    assert [c.question[:10] for c in extract(text, path, "statement")] == ["Should you"]


CONDITIONAL_ADVICE = [
    ("sauce.md", "- When the sauce thickens, remove the pan from the heat\n",
     "What should you do when the sauce thickens?", "remove the pan from the heat"),
    ("dough.txt", "Cooking\n\n• If the dough is sticky, add a little more flour\n",
     "What should you do if the dough is sticky?", "add a little more flour"),
    ("net.org", "* Networking\n- When a packet is lost, send it again after a timeout\n",
     "What should you do when a packet is lost?", "send it again after a timeout"),
    ("car.md", "- Before a long trip, check the tyre pressure\n", "What should you do before a long trip?",
     "check the tyre pressure"),
    ("bread.md", "- When the dough doubles, punch it down\n", "What should you do when the dough doubles?",
        "punch it down"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), CONDITIONAL_ADVICE)
def test_when_x_do_y_asks_what_to_do(path, text, question, answer):
    card = only(extract(text, path, "statement"))
    assert (card.question, card.answer) == (question, answer)


NEGATIONS = [
    ("whales.md", "- Whales are not fish\n", "Are whales fish?", "No: whales are not fish"),
    ("tomato.md", "- A tomato is not a vegetable\n", "Is a tomato a vegetable?",
     "No: a tomato is not a vegetable"),
    ("net.txt", "Networking\n\n• UDP is not reliable, packets may be lost\n", "Is UDP reliable?",
     "No: UDP is not reliable, packets may be lost"),
    ("bats.org", "* Mammals\n- Bats are not blind, they see quite well\n", "Are bats blind?",
     "No: bats are not blind, they see quite well"),
    ("euro.txt", "Chapter 4\n\nThe euro is not a national currency. It is shared by twenty countries.\n",
     "Is the euro a national currency?", "No: the euro is not a national currency"),
    bug("money.org", "* Economics\n- Money is not wealth\n", "Is money wealth?", "No: money is not wealth",
        reason='a common noun keeps its capital: "Is Money wealth?" -> "No: Money is not wealth"'),
    bug("inflation.md", "- Inflation is not always bad for borrowers\n",
        "Is inflation always bad for borrowers?", "No: inflation is not always bad for borrowers",
        reason='a common noun keeps its capital: "Is Inflation always bad for borrowers?"'),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), NEGATIONS)
def test_negated_copula_becomes_a_yes_no_question(path, text, question, answer):
    card = by_question(extract(text, path, "statement"), question)
    assert card.answer == answer
    assert card.type == "basic"


USED = [
    ("yeast.md", "- Yeast is used in bread and beer\n", "What is used in bread and beer?", "Yeast"),
    ("tls.txt", "Networking\n\n• TLS is used in HTTPS connections\n", "What is used in HTTPS connections?",
     "TLS"),
    ("soda.org", "* Baking\n- Baking soda is used in quick breads\n", "What is used in quick breads?",
     "Baking soda"),
    ("arp.org", "* Networking\n- ARP is used on local networks to find MAC addresses\n",
     "What is used on local networks to find MAC addresses?", "ARP"),
    ("salt.md", "- Sodium chloride is used to preserve meat\n", "What is used to preserve meat?",
     "Sodium chloride"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), USED)
def test_x_is_used_in_y_asks_what_is_used(path, text, question, answer):
    card = only(extract(text, path, "statement"))
    assert (card.question, card.answer) == (question, answer)


MEANS = [
    ("cells.md", "- Cells can make energy via respiration, breaking glucose down with oxygen\n",
     "How can cells make energy via respiration?", "breaking glucose down with oxygen"),
    ("hosts.txt", "Networking\n\n• Hosts can find each other via DNS, asking a resolver for the address\n",
     "How can hosts find each other via DNS?", "asking a resolver for the address"),
    ("morse.txt", "Chapter 2\n\nOperators can send messages via Morse code, tapping long and short pulses.\n",
     "How can operators send messages via Morse code?", "tapping long and short pulses"),
    ("rates.org",
        "* Economics\n- Central banks can cool inflation via higher rates, making borrowing costlier\n",
        "How can central banks cool inflation via higher rates?", "making borrowing costlier"),
]


@pytest.mark.parametrize(("path", "text", "question", "answer"), MEANS)
def test_x_can_do_z_via_m_asks_how(path, text, question, answer):
    card = only(extract(text, path, "statement"))
    assert (card.question, card.answer) == (question, answer)


ANSWERED = [
    # under a question
    ("cells.md", "- Why do cells divide?\n  - Tissues need new cells after an injury\n"
                 "  - Organisms need more cells to grow\n"),
    ("udp.txt",
     "Networking\n\n• Why is UDP popular for games?\n    • Lost packets do not block newer packets\n"),
    ("bank.org", "* Economics\n- What does a central bank do?\n  - The central bank sets the interest rate\n"
                 "  - The central bank prints money\n"),
    # entries of a short list
    ("sauces.md",
     "- Mother sauces\n  - Béchamel uses milk\n  - Velouté uses stock\n  - Espagnole uses brown stock\n"),
    ("transport.txt", "Networking\n\n• Transport protocols\n    • TCP provides reliable delivery\n"
                      "    • UDP provides fast delivery\n"),
    ("dns.org", "* Naming\n- DNS translates names to addresses\n- DNS caches answers\n"),
    # steps of a procedure
    ("starter.md", "## Starter care\n\n- Add flour to the starter every day\n- Add water to keep it loose\n"
                   "- Keep the jar at room temperature\n"),
    ("bread.org", "* Bread\n- Bread steps\n  - Add yeast to warm water\n  - Add flour to the bowl\n"
                  "  - Leave the dough to rise\n"),
]


@pytest.mark.parametrize(("path", "text"), ANSWERED)
def test_lines_already_asked_by_a_bigger_card_get_no_statement_card(path, text):
    assert extract(text, path, "statement") == []


@pytest.mark.parametrize(
    ("path", "text", "lines"),
    [
        ("kitchen.md", """
            # Kitchen

            - Why does bread go stale?
              - starch recrystallises over time
            - Mother sauces
              - béchamel
              - velouté
            - Don't store bread in the fridge
              - the cold speeds up staling
            - Sourdough keeps for a week in a paper bag because the acid slows mould down
            """, {4, 6, 7, 9}),
        ("bread.org", """
            * Bread
            - Measure the flour and the water
            - Add the salt and the starter
            - Keep the bowl in a warm place
            - The dough ferments overnight in a cool room
            """, {2, 3, 4}),
        ("talk.txt", """
            Scaling Bakeries - Maria Lopez

            • Why do bakeries fail?
                • rent is too high for the margins
            • Bake in the morning and sell all day long in two shops
            """, {4}),
    ],
)
def test_answered_lines(path, text, lines):
    assert answered_lines(read_text(notes(text), path)) == lines


# --- every card is well formed ---------------------------------------------------------------


GIVEAWAYS = [
    ("fact", "net.txt", "Networking\n\n• IPv6 (Internet Protocol version 6) has longer addresses\n"),
]


@pytest.mark.parametrize(
    ("name", "path", "text"),
    GIVEAWAYS,
)
def test_card_does_not_give_its_answer_away(name, path, text):
    for card in extract(text, path, name):
        assert_well_formed(card, len(notes(text).splitlines()), name)


SAMPLES = [
    (path, text)
    for table in (ACRONYM_INLINE, ACRONYM_NEARBY, ACRONYM_HEADINGS, ACRONYM_NONE, QUESTION_CHILDREN,
                  INLINE_QUESTIONS, INLINE_PARAGRAPH_QUESTIONS, YES_ANSWERS, TALK_TITLES, FACTS, LABELS,
                  NO_FACTS, MADE_BY, TALKS, NOT_SPEAKERS, REASONS, COMPARISONS, CONDITIONS, UNTIL, SVO,
                  CONTINUED, IMPERATIVES, DONTS, CONDITIONAL_ADVICE, NEGATIONS, USED, MEANS, ANSWERED)
    for path, text, *_ in (getattr(case, "values", case) for case in table)
]


@pytest.mark.parametrize("name", NAMES)
def test_every_card_from_the_inline_notes_is_well_formed(name):
    assert len(SAMPLES) > 150
    for path, text in SAMPLES:
        if (name, path, text) in GIVEAWAYS:
            continue  # asked by test_card_does_not_give_its_answer_away
        body = notes(text)
        for card in REGISTRY.run(read_text(body, path), [name]):
            assert_well_formed(card, len(body.splitlines()), name)
            assert card.source.path == path


def test_fixture_files_cover_several_styles():
    formats = {read_text(fixture_text(n), n).format for n in FIXTURE_NAMES}
    assert formats == {"markdown", "text", "org"}
    assert "history_book.txt" in FIXTURE_NAMES  # prose paragraphs, no bullets


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
@pytest.mark.parametrize("name", NAMES)
def test_every_fixture_card_is_well_formed(fixture, name):
    n_lines = len(fixture_text(fixture).splitlines())
    for card in fixture_cards(fixture, name):
        assert_well_formed(card, n_lines, name)
        assert card.source.path == fixture


@pytest.mark.parametrize("name", NAMES)
def test_every_extractor_finds_cards_in_the_fixtures(name):
    found = {f for f in FIXTURE_NAMES if fixture_cards(f, name)}
    assert len(found) >= 2, found


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_fixture_cards_are_in_source_order_per_extractor(fixture):
    for name in ("acronym", "question", "statement"):
        lines = [c.source.line for c in fixture_cards(fixture, name)]
        assert lines == sorted(lines), (name, lines)


# --- cards from the fixture files -----------------------------------------------------------


def test_cards_in_markdown_lecture_notes():
    name = "cell_biology.md"
    text = fixture_text(name)
    card = by_question(fixture_cards(name, "acronym"), "What does PCR stand for?")
    assert card.answer == "Polymerase Chain Reaction"
    assert card.source.line == line_of(text, "(PCR) copies")
    assert card.context == "Cell Biology > Lab techniques"

    card = by_question(fixture_cards(name, "question"), "Why do cells divide?")
    assert card.items == ("to grow", "to repair damaged tissue")
    assert card.source.line == line_of(text, "Why do cells")
    assert card.source.end_line == line_of(text, "damaged")

    facts = fixture_cards(name, "fact")
    card = by_question(facts, "Humans have {{c1::46}} chromosomes in each body cell")
    assert card.source.line == line_of(text, "46 chromosomes")

    talk = by_question(fixture_cards(name, "speaker"),
                       "Who gave the talk \u201cGuest lecture: Enzymes at Work\u201d?")
    assert talk.answer == "Maria Lopez"
    assert talk.source.line == line_of(text, "## Guest lecture")

    card = by_question(fixture_cards(name, "comparison"), "Why are leaves green?")
    assert card.answer == "chlorophyll absorbs red and blue light"

    statements = fixture_cards(name, "statement")
    card = by_question(statements, "Should you confuse mitosis with meiosis?")
    assert card.answer == "No: meiosis halves the chromosome number"
    assert card.source.line == line_of(text, "Don't confuse")
    assert card.source.end_line == line_of(text, "halves")
    assert by_question(statements, "Are viruses living cells?").answer == "No: viruses are not living cells"
    assert by_question(statements, "What is used in bread and beer?").answer == "Yeast"
    assert not any(c.source.line in (line_of(text, "to grow"), line_of(text, "halves")) for c in statements)


def test_cards_in_a_plain_text_outline():
    name = "networking.txt"
    text = fixture_text(name)
    acronyms = fixture_cards(name, "acronym")
    assert qa(acronyms) == [("What does DNS stand for?", "Domain Name System"),
                            ("What does TCP stand for?", "Transmission Control Protocol")]
    assert acronyms[0].context == "Addressing"
    assert (acronyms[1].source.line, acronyms[1].source.end_line) == (line_of(text, "TCP guarantees"),
                                                                      line_of(text, "Transmission Control"))

    card = only(fixture_cards(name, "question"))
    assert card.question == "Who assigns IP address blocks?"
    assert card.answer == "Five regional internet registries"

    talk = only(fixture_cards(name, "speaker"))
    assert (talk.question, talk.answer) == ("Who gave the talk \u201cDesigning Resilient Networks\u201d?",
                                            "Maria Lopez")
    assert talk.source.line == line_of(text, "Designing Resilient")

    comparisons = fixture_cards(name, "comparison")
    assert by_question(comparisons, "How does UDP compare with TCP?").answer == "faster than TCP"
    card = by_question(comparisons, "What ended the situation where hosts files mapped names to addresses?")
    assert card.answer == "DNS was introduced"

    statements = fixture_cards(name, "statement")
    card = by_question(statements, "What does the DNS resolver store?")
    assert card.source.line == line_of(text, "stores the answers")
    assert by_question(statements, "Is UDP reliable?").context == "Transport"
    card = by_question(statements, "Should you rely on a single upstream provider?")
    assert card.answer == "No: one outage takes everything down"
    assert card.context == "Designing Resilient Networks - Maria Lopez"


def test_cards_in_an_org_outline():
    name = "economics.org"
    text = fixture_text(name)
    card = by_question(fixture_cards(name, "fact"), "Inflation reached {{c1::9.1%}} in June {{c2::2022}}")
    assert card.answer == "9.1%; 2022"
    assert card.context == "Prices"

    questions = fixture_cards(name, "question")
    assert by_question(questions, "Can inflation ever be good?").source.end_line == line_of(text, "Yes, mild")
    card = by_question(questions, "Can mild inflation encourage spending over hoarding?")
    assert card.answer == "Yes: mild inflation can encourage spending over hoarding"

    attributions = fixture_cards(name, "attribution")
    talk = by_question(fixture_cards(name, "speaker"), "Who gave the talk \u201cMarkets and Money\u201d?")
    assert (talk.answer, talk.source.line) == ("Adam Smith", line_of(text, "* Markets and Money"))
    assert by_question(attributions, "When was The Wealth of Nations published?").answer == "In 1776"

    card = by_question(fixture_cards(name, "comparison"), "Why do banks raise rates?")
    assert card.answer == "high inflation"

    statements = fixture_cards(name, "statement")
    card = by_question(statements, "What does the central bank publish?")
    assert card.source.line == line_of(text, "publishes")
    assert by_question(statements, "What do central banks watch?").answer == "the CPI closely"


def test_cards_in_book_paragraphs():
    name = "history_book.txt"
    text = fixture_text(name)
    card = only(fixture_cards(name, "acronym"))
    assert (card.question, card.answer) == ("What does RCC stand for?", "Roman Catholic Church")
    assert card.context == "Chapter 1: The Printing Press"

    attributions = fixture_cards(name, "attribution")
    assert [c.answer for c in attributions] == ["Around 1440, by Johannes Gutenberg",
                                                "In 1837, by Samuel Morse"]
    assert attributions[1].source.line == line_of(text, "Samuel Morse")
    assert attributions[1].context == "Chapter 2: The Telegraph"

    card = by_question(fixture_cards(name, "comparison"),
                       "What ended the situation where letters were carried by horse?")
    assert card.answer == "the telegraph was introduced"

    statements = fixture_cards(name, "statement")
    card = by_question(statements, "How can operators send messages via Morse code?")
    assert card.answer == "tapping long and short pulses"
    assert card.source.line == line_of(text, "Operators can")

    facts = fixture_cards(name, "fact")
    assert [c.answer for c in facts] == ["1440", "50", "1837"]


def test_cards_in_cooking_notes():
    name = "kitchen.md"
    text = fixture_text(name)
    assert fixture_cards(name, "acronym") == []
    card = by_question(fixture_cards(name, "fact"),
                       "Dough rises to {{c1::2x}} its size in about {{c2::3}} hours")
    assert card.answer == "2x; 3"
    card = by_question(fixture_cards(name, "question"),
                       "Is it possible to freeze bread for up to three months?")
    assert card.source.line == line_of(text, "Yes, you can")
    statements = fixture_cards(name, "statement")
    card = by_question(statements, "What should you do when the sauce thickens?")
    assert card.answer == "remove the pan from the heat"
    card = by_question(statements, "Should you wash a cast iron pan with soap?")
    assert (card.source.line, card.source.end_line) == (line_of(text, "Never wash"), line_of(text, "strips"))
    assert by_question(statements, "Rest {{c1::the dough to relax the gluten}}").type == "cloze"


@pytest.mark.parametrize(("text", "acronym", "expansion"), [
    ("- WHO: _World Health Organization_\n", "WHO", "World Health Organization"),
    ("- **GPU: Graphics Processing Unit**\n", "GPU", "Graphics Processing Unit"),
    ("- SMTP - Simple Mail Transfer Protocol\n", "SMTP", "Simple Mail Transfer Protocol"),
])
def test_acronym_written_as_a_label(text: str, acronym: str, expansion: str) -> None:
    card = only(extract(text, "abbr.md", "acronym"))
    assert (card.question, card.answer) == (f"What does {acronym} stand for?", expansion)


@pytest.mark.parametrize("text", ["- CPU: the part that runs instructions\n",
                                  "- RAM - Random Memory\n"])  # not spelled out / not its letters
def test_a_label_that_does_not_spell_its_acronym_is_no_acronym_card(text: str) -> None:
    assert extract(text, "abbr.md", "acronym") == []


def test_who_gave_a_talk_is_asked_only_when_named() -> None:
    """Speaker trivia is off by default: the default run gives no speaker card, naming it does."""
    text = "## Tides and the Moon - Ana Ruiz\n\n- The Moon raises two tidal bulges on Earth\n"
    doc = read_text(text, "talk.md")
    assert not [c for c in REGISTRY.run(doc) if "gave the talk" in c.question]
    assert [c.answer for c in REGISTRY.run(doc, ["speaker"])] == ["Ana Ruiz"]


@pytest.mark.parametrize(("path", "text", "question", "items"), [
    ("geo.md", """
        ## Types of rock
        - Igneous
            - cooled from magma
        - Sedimentary
            - laid down in layers
        - Metamorphic
            - changed by heat and pressure
        """, "What are the three types of rock?", ("Igneous", "Sedimentary", "Metamorphic")),
    ("cell.org", """
        * Stages of the cell cycle
        - Interphase
          - the cell grows
        - Mitosis
          - the nucleus divides
        """, "What are the two stages of the cell cycle?", ("Interphase", "Mitosis")),
])
def test_a_heading_naming_a_kind_of_list_lists_its_entries_with_their_count(path, text, question, items):
    """Entries may carry details of their own; the answer is the entries, the count says when it is whole."""
    card = by_question(extract(text, path, "list"), question)
    assert card.items == items


def test_a_topic_heading_with_detailed_entries_is_no_list():
    text = "## Rocks\n- Igneous rock cools from magma\n    - basalt\n- Sediment settles\n    - sand\n"
    assert extract(text, "geo.md", "list") == []
