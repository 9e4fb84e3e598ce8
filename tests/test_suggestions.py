"""Precision first: the deck holds the cards notedeck is confident in; the rest are
suggestions, listed by `extract --suggestions`, counted by `build` and put in by `accept`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from generator.cards import BASIC, CLOZE, CONFIDENT, LIST, Card, Source
from generator.confidence import calibrate, loses_meaning
from generator.doubts import doubtful

NOTES = ("# Enzymes\n"
         "- Catalyst: a substance that speeds up a reaction\n"
         "- The membrane regulates what enters the cell\n"
         "- Lactase was first isolated in 1940\n")


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_suggestions_stay_out_of_the_deck_until_accepted(tmp_path: Path) -> None:
    (tmp_path / "bio.md").write_text(NOTES, encoding="utf-8")
    deck = _jsonl(run_cli(["extract", "bio.md"], tmp_path).stdout)
    offered = _jsonl(run_cli(["extract", "bio.md", "--suggestions"], tmp_path).stdout)
    assert deck and offered
    assert all(c["score"] >= CONFIDENT for c in deck) and all(c["score"] < CONFIDENT for c in offered)
    assert not {c["guid"] for c in deck} & {c["guid"] for c in offered}
    built = run_cli(["build", "bio.md", "-o", "out"], tmp_path)
    assert built.exit_code == 0
    n = len(offered)
    assert f"{len(deck)} cards from 1 file, {n} suggestion{'s' if n != 1 else ''} to review" in built.stdout
    accepted = run_cli(["accept", offered[0]["guid"], "-n", "bio.md"], tmp_path)
    assert accepted.exit_code == 0, accepted.stderr
    after = _jsonl(run_cli(["extract", "bio.md"], tmp_path).stdout)
    assert offered[0]["guid"] in {c["guid"] for c in after}
    still = _jsonl(run_cli(["extract", "bio.md", "--suggestions"], tmp_path).stdout)
    assert offered[0]["guid"] not in {c["guid"] for c in still}


def _card(question: str, answer: str, extractor: str = "definition", type: str = BASIC,
          items: tuple[str, ...] = (), context: str = "") -> Card:
    return Card(question, answer, Source("n.md", 1, 1), type=type, extractor=extractor, score=0.7,
                items=items, context=context)


# Lines in the shape people write them, each with a card an extractor could make of it, and
# whether that card says what the line says.
FAITHFULNESS = [
    ("- Penguins cannot fly", _card("What can penguins do?", "fly", "statement"), True),
    ("- The Treaty was never ratified by the Senate", _card("The Treaty was {{c1::ratified}}", "ratified",
                                                            "fact", CLOZE), True),
    ("- Rust has no garbage collector", _card("What does Rust have?", "garbage collector", "statement"),
     True),
    ("- Aspirin doesn't raise blood pressure", _card("What does aspirin raise?", "blood pressure"), True),
    ("- Vitamin C usually shortens colds by a day", _card("Vitamin C shortens colds by {{c1::a day}}",
                                                          "a day", "fact", CLOZE), True),
    ("- Children may outgrow the allergy", _card("What do children outgrow?", "the allergy"), True),
    ("- Interest rates can rise during inflation", _card("When do interest rates rise?", "during inflation",
                                                         "comparison"), True),
    ("- Only 3% of water is fresh", _card("{{c1::3%}} of water is fresh", "3%", "fact", CLOZE), True),
    ("- Osmosis: diffusion of water through a membrane",
     _card("What is osmosis?", "diffusion of water through a membrane"), False),
    ("- The Nile is not the widest river", _card("Is the Nile the widest river?",
                                                 "No: the Nile is not the widest river", "question"), False),
    ("- TCP: a reliable transport protocol, unless the link drops",
     _card("What is TCP?", "a reliable transport protocol, unless the link drops"), False),
    ("- When the soil is dry, cacti store water in their stems",
     _card("Cacti store {{c1::water}} in their stems", "water", "statement", CLOZE), True),
    ("- Lichens grow slowly, and once established they live for centuries",
     _card("What do lichens do?", "grow slowly", "statement"), True),
    ("- HTTP/2 (Hypertext Transfer Protocol 2) can multiplex streams",
     _card("What does HTTP/2 stand for?", "Hypertext Transfer Protocol 2", "acronym"), False),
    ("- Don't commit secrets to git", _card("Should you commit secrets to git?",
                                            "No: don't commit secrets to git", "question"), False),
    ("- When iron rusts it gains mass", _card("When iron rusts it gains {{c1::mass}}", "mass", "fact", CLOZE),
     False),
    ("- The year when the wall fell was 1989",
     _card("The year the wall fell was {{c1::1989}}", "1989", "fact", CLOZE), False),
]


@pytest.mark.parametrize(("line", "card", "loses"), FAITHFULNESS, ids=[f[0][:30] for f in FAITHFULNESS])
def test_a_card_that_drops_a_negation_hedge_or_condition_is_no_card(line: str, card: Card,
                                                                   loses: bool) -> None:
    """Not even a suggestion: a student who accepts it learns what the notes do not say."""
    assert loses_meaning(card, line) is loses
    assert (calibrate(card, line) is None) is loses


@pytest.mark.parametrize(("card", "doubt"), [
    (_card("What is $k$?", "the number of successes"), True),  # a symbol: the heading is needed
    (_card("What is it?", "a protein"), True),
    (_card("What is **Slide 4** Split?", "instead of p"), True),
    (_card("What is in _Spain_?", "a civil war breaks out"), True),
    (_card("What is ulcers?", "may increase risk of bleeding"), True),  # a caution, not a definition
    (_card("What is latency?", "25ms-150ms"), True),  # a measurement, not a definition
    (_card("What about the tools?", "read the docs"), True),
    (_card("What are latent functions?", "unrecognised and unintended consequences"), False),
    (_card("What is the Marshall Plan?", "American aid to rebuild Western Europe"), False),
    (_card("What does the checklist include?", "a; b", type=LIST, items=("a", "b")), True),
    (_card("What are the three branches of government?", "x; y; z", "list", LIST, ("x", "y", "z")), False),
    (_card("What are the HTTP methods?", "GET; POST", "list", LIST, ("GET", "POST")), True),  # of what kind?
    (_card("What are the pros of Rust?", "safety; speed", "list", LIST, ("safety", "speed")), False),
    (_card("The antagonist: {{c1::2}} blocks {{c2::1}}", "2; 1", "fact", CLOZE), True),
    (_card("The speed of sound in air is {{c1::343 m/s}}", "343 m/s", "fact", CLOZE), False),
    (_card("What does the heart pump?", "blood", "statement"), True),  # statements are suggestions
    (_card("What is ADH?", "acts on the kidney"), True),  # what it does, not what it is
    (_card("What is pair programming?", "a great way to learn"), True),  # an opinion
    (_card("How are they absorbed?", "through the gut wall", "question"), True),  # who are they?
    (_card("Is the sun a star?", "Yes: the sun is a star", "question"), True),  # restates the question
    (_card("What are 5 noble gases?", "a; b; c; d", "list", LIST, ("a", "b", "c", "d")), True),  # 4 given
    (_card("What are the stress signal triggers release of cortisol?", "a; b", "list", LIST, ("a", "b")),
     True),  # a clause, not a thing
    (_card("What are the big economies?", "20 nations; including Japan", "list", LIST,
           ("20 nations", "including Japan")), True),  # one sentence cut into pieces
    (_card("What are the phases of meiosis, in order?", "a; b; c", "list", LIST, ("a", "b", "c")), False),
    (_card("What is eventual consistency?", "Cassandra"), True),  # an example, not a definition
    (_card("What is a theorem?", "Two sets A and B are"), True),  # cut off
    (_card("What is the spleen?", "you can live without it"), True),  # a remark, not what it is
    (_card("What are stateless services?", "scale them out behind a balancer"), True),  # an instruction
    (_card("What is caching?", "avoid DB round trips"), True),
    (_card("What are cytokines?", "carry signals between immune cells"), True),  # what they do
    (_card("What is a router?", "a device on the network, it is used to forward packets"), True),  # run-on
    (_card("What is glycolysis?", "the breakdown of glucose into pyruvate"), False),
    (_card("What is agile planning?", "short planning; feedback is key"), True),  # a second thought
    (_card("What is OAuth?", "an open standard for access delegation"), False),
    (_card("What is a relational database schema?", "the relational database layout"), True),  # restates
    (_card("What is pair review?", "peer checking - you can ask anyone"), True),  # spliced on
    (_card("What is Kotlin?", "like Java but terser"), True),  # a comparison, not what it is
    (_card("What is the GC doing?", "sweeping"), True),
    (_card("What is level three block number?", "index block"), False),
    (_card("What is supply?", "elastic if producers can switch quickly"), True),  # a condition
    (_card("What is chaos testing?", "breaking things in production on purpose (wow)"), True),
    (_card("What is the build server?", "CI 2.x"), True),  # a name and version, not a definition
    (_card("What is a Merkle tree?", "a hash tree with 2 children per node"), False),  # a number inside
    (_card("What is latency?", "up to 200ms"), True),
    (_card("What is demand?", "elastic is the ratio above one"), True),  # a clause of its own
    (_card("What is benzene?", "![ring](ring.png)"), False),  # a picture of it
    (_card("What is Synergy?", "presence of 1 amplifies the effect of 2"), True),  # labels of another line
    (_card("If you patch these {{c1::12}} files the build passes", "12", "fact", CLOZE), True),  # which?
    (_card("The build touches {{c1::12}} files in the tree", "12", "fact", CLOZE), False),
    (_card("Marx saw history as a series of {{c1::5}} stages:", "5", "fact", CLOZE), True),  # which?
    (_card("Rome was founded in {{c1::753 BC}} and fell in {{c2::476}}", "753 BC; 476", "fact", CLOZE),
     True),  # two facts in one card
    (_card("Rome fell in {{c1::476}} to Odoacer", "476", "fact", CLOZE), False),
    (_card("Signed by {{c1::Lincoln}} in 1863", "Lincoln", "emphasis", CLOZE), True),  # who signed what?
    (_card("Written by {{c1::Tolstoy}} in exile", "Tolstoy", "emphasis", CLOZE), True),
    (_card("Total cost is {{c1::2}} * n + k", "2", "fact", CLOZE), True),  # a term of a formula
    (_card("The boiling point of water = {{c1::100 °C}} at sea level", "100 °C", "fact", CLOZE), False),
    (_card("What are mitochondria?", "organelles that make ATP"), False),
    (_card("What are the 3 states of matter?", "solid; liquid; gas", "list", LIST,
           ("solid", "liquid", "gas")), False),
])
def test_doubtful_patterns_become_suggestions(card: Card, doubt: bool) -> None:
    assert doubtful(card, "") is doubt
    calibrated = calibrate(card, "")
    assert calibrated is not None and (calibrated.score < CONFIDENT) is doubt


@pytest.mark.parametrize(("context", "expected"), [
    ("Poisson Distribution", "Poisson Distribution"),
    ("3 Estimation (cont'd) > 3.2 **Maximum likelihood**:", "Maximum likelihood"),
    ("Beta blockers > considerations", "Beta blockers"),
    ("General Notes", None),
    ("Symptoms such as", None),  # a lead-in, not a topic
])
def test_topic_is_the_nearest_heading_that_names_one(context: str, expected: str | None) -> None:
    from generator.confidence import topic

    assert topic(context) == expected


def test_a_symbol_is_asked_within_its_topic(tmp_path: Path) -> None:
    """"What is $k$?" cannot be answered; within its heading it can, and goes in the deck."""
    (tmp_path / "stats.md").write_text("# Poisson Distribution\n\n- $k$: the number of events counted\n"
                                       "- it: a model of rare events\n", encoding="utf-8")
    deck = _jsonl(run_cli(["extract", "stats.md"], tmp_path).stdout)
    assert [(c["question"], c["answer"]) for c in deck] == \
        [("In Poisson Distribution, what is $k$?", "the number of events counted")]


def test_a_remark_about_the_course_is_no_card(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("- The professor said question 3 is worth 40% of the midterm\n",
                                   encoding="utf-8")
    assert run_cli(["extract", "n.md"], tmp_path).stdout == ""


def test_build_runs_only_the_extractors_named(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("- Osmosis: the diffusion of water through a membrane\n"
                                   "- What does DNS resolve? :: names to addresses\n"
                                   "- The ==nucleus== holds the DNA\n", encoding="utf-8")
    built = run_cli(["build", "n.md", "-o", "out", "--no-lock", "--format", "jsonl",
                     "--extractor", "explicit,cloze"], tmp_path)
    assert built.exit_code == 0, built.stderr
    cards = _jsonl((tmp_path / "out" / "n.jsonl").read_text(encoding="utf-8"))
    assert sorted(c["extractor"] for c in cards) == ["cloze", "explicit"]
    wrong = run_cli(["build", "n.md", "-o", "out", "--extractor", "nonsense"], tmp_path)
    assert wrong.exit_code == 2 and "unknown extractor 'nonsense'" in wrong.stderr


@pytest.mark.parametrize(("acronym", "expansion", "whole"), [
    ("TLS", "Transport Layer Security", True),
    ("HTTP", "HyperText Transfer Protocol", True),  # one word may give two letters
    ("NSAID", "non-steroidal anti-inflammatory drug", True),
    ("FAQ", "frequently asked questions", True),
    ("BGP", "Border Gateway", False),  # cut short: a wrong card
    ("RPC", "remote calls", False),
])
def test_an_acronym_card_needs_the_whole_expansion(acronym: str, expansion: str, whole: bool) -> None:
    from generator.phrases import spells

    assert spells(acronym, expansion) is whole
    card = _card(f"What does {acronym} stand for?", expansion, "acronym")
    calibrated = calibrate(card, "")
    assert calibrated is not None and (calibrated.score >= CONFIDENT) is whole


def test_a_lone_emphasis_mark_leaves_the_answer(tmp_path: Path) -> None:
    """`GDP (_gross domestic product_)` must not give "gross domestic product_"."""
    from generator.extract_files import _unpaired_emphasis

    assert _unpaired_emphasis("Gross Domestic Product_") == "Gross Domestic Product"
    assert _unpaired_emphasis("_the Warsaw Pact_") == "_the Warsaw Pact_"  # a pair stays
    assert _unpaired_emphasis("snake_case names") == "snake_case names"


@pytest.mark.parametrize(("line", "card", "question", "confident"), [
    ("- In Rust, traits are shared interfaces of behaviour",
     _card("What are traits?", "shared interfaces of behaviour"), "In Rust, what are traits?", True),
    ("- After the reform, Rome was a republic",  # "after the reform" would be lost
     _card("What was Rome?", "a republic"), "What was Rome?", False),
    ("- By 1900, Britain was the largest empire", _card("What was Britain?", "the largest empire"),
     "What was Britain?", False),
    ("- Monoliths are simple and cheap", _card("What are monoliths?", "simple and cheap"),
     "What are monoliths?", False),  # qualities, not what they are
    ("- Kafka: a distributed commit log", _card("What is Kafka?", "a distributed commit log"),
     "What is Kafka?", True),
    ("- sharding - an antipattern", _card("What is sharding?", "an antipattern"), "What is sharding?", False),
    ("- sharding - splitting a table across servers",
     _card("What is sharding?", "splitting a table across servers"), "What is sharding?", True),
    ("- sharding: horizontal partitioning", _card("What is sharding?", "horizontal partitioning"),
     "What is sharding?", True),
])
def test_a_definition_keeps_what_its_line_opens_with(line: str, card: Card, question: str,
                                                     confident: bool) -> None:
    calibrated = calibrate(card, line)
    assert calibrated is not None
    assert (calibrated.question, calibrated.score >= CONFIDENT) == (question, confident)


@pytest.mark.parametrize(("card", "question", "confident"), [
    (_card("Where do they come from?", "the kidneys; the liver", "question", context="Enzymes"),
     "Where do enzymes come from?", True),
    (_card("How does it recover from loss?", "retransmits after a timeout", "question", context="TCP"),
     "How does TCP recover from loss?", True),
    (_card("Why does it erupt?", "gas pressure", "question", context="Volcano"),
     "Why does it erupt?", False),  # "a volcano"? the article is not ours to guess
    (_card("Why do they fail?", "bad wiring", "question", context="Power grid"),
     "Why do they fail?", False),  # "they" is not the singular heading
])
def test_a_pronoun_in_a_question_names_the_topic_it_stands_for(card: Card, question: str,
                                                               confident: bool) -> None:
    calibrated = calibrate(card, "")
    assert calibrated is not None
    assert (calibrated.question, calibrated.score >= CONFIDENT) == (question, confident)


PAGING, GENETICS = "Paging > Two-Level Paging", "Biology > Human Genetics"


@pytest.mark.parametrize(("question", "context", "qualified"), [
    ("Addresses have {{c1::3}} parts", PAGING, "In Two-Level Paging, addresses have {{c1::3}} parts"),
    ("Chromosomes come in {{c1::23}} pairs", GENETICS,
     "In Human Genetics, chromosomes come in {{c1::23}} pairs"),
    # one word is a heading, not a scope; a fact that names its scope; a time, not a topic
    ("Chromosomes come in {{c1::23}} pairs", "Genetics", "Chromosomes come in {{c1::23}} pairs"),
    ("Human cells hold {{c1::46}} chromosomes", GENETICS, "Human cells hold {{c1::46}} chromosomes"),
    ("Addresses have {{c1::3}} parts", "Lecture > Early on", "Addresses have {{c1::3}} parts"),
])
def test_a_short_fact_about_a_bare_plural_is_stated_in_its_topic(question: str, context: str,
                                                                  qualified: str) -> None:
    card = Card(question, "3", Source("n.md", 1, 1), type=CLOZE, extractor="fact", score=0.65,
                context=context)
    calibrated = calibrate(card, "")
    assert calibrated is not None and calibrated.question == qualified
