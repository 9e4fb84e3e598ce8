"""The emphasis extractor: a term the author emphasised inside a sentence becomes the blank.

Lines are our own, in the shapes real notes use (Markdown bold/italic/code, Org markers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from generator.cards import CLOZE, CONFIDENT
from generator.extractors import REGISTRY, own_sentence
from generator.readers import read_text


def _cards(text: str, path: str) -> list[tuple[str, str]]:
    return [(c.question, c.answer) for c in REGISTRY.run(read_text(text, path), ["emphasis"])]


@pytest.mark.parametrize(("path", "text", "card"), [
    ("bio.md", "- The enzyme that unwinds DNA is called **helicase** in most textbooks\n",
     ("The enzyme that unwinds DNA is called {{c1::helicase}} in most textbooks", "helicase")),
    ("stats.md", "A statistic used to estimate a parameter is an _estimator_ of it\n",
     ("A statistic used to estimate a parameter is an {{c1::estimator}} of it", "estimator")),
    ("go.md", "- Calling `t.Parallel` lets a test run beside the others\n",
     ("Calling {{c1::`t.Parallel`}} lets a test run beside the others", "t.Parallel")),
    ("geo.org", "* Rocks\n- Rock formed from cooled lava is called /igneous/ rock\n",
     ("Rock formed from cooled lava is called {{c1::igneous}} rock", "igneous")),
    ("chem.org", "* Acids\n- A solution with a pH below seven is *acidic* by definition\n",
     ("A solution with a pH below seven is {{c1::acidic}} by definition", "acidic")),
    ("hist.md", "- _Rosalind Franklin_, chemist whose X-ray images showed the helix\n",
     ("{{c1::Rosalind Franklin}}, chemist whose X-ray images showed the helix", "Rosalind Franklin")),
])
def test_the_emphasised_term_is_the_blank(path: str, text: str, card: tuple[str, str]) -> None:
    assert _cards(text, path) == [card]


@pytest.mark.parametrize(("path", "text"), [
    ("a.md", "- **Source:** glands that secrete into the blood\n"),  # a label, read as a definition
    ("b.md", "- **Plate tectonics**\n"),  # a heading-like line: nothing left to cue
    ("c.md", "- The **mantle** sits between the **crust** and the **core**\n"),  # which one?
    ("d.md", "- Three regions *(no need to learn these names)* of the gland\n"),  # an aside
    ("e.md", "- Use **gofmt**\n"),  # too little context
    ("f.md", "- snake_case_names are common in Python code bases today\n"),  # `_` inside words
    ("g.org", "* Web\n- See https://example.org/docs/ for the full list of codes\n"),  # a URL, not italics
    ("h.md", "- **An entire sentence in bold that says a great many things at once**\n"),
    ("i.md", "- **Slide 12** shows the whole pipeline from reader to writer\n"),  # a part of the talk
    ("j.md", "__Proof__: take any two points on the line and compare them\n"),
    ("k.md", "- **Normal distribution** $$f(x)=\\frac{1}{\\sqrt{2\\pi}}e^{-x^2/2}$$\n"),  # a formula
])
def test_no_blank_without_one_clear_key_term(path: str, text: str) -> None:
    assert _cards(text, path) == []


def test_emphasis_cards_reach_the_deck_with_their_topic(tmp_path: Path) -> None:
    notes = tmp_path / "rocks.md"
    notes.write_text("# Rock cycle\n\n- Rock formed from cooled lava is called **igneous** rock\n",
                     encoding="utf-8")
    result = run_cli(["extract", str(notes), "--extractor", "emphasis"], tmp_path)
    cards = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(c["type"], c["question"], c["context"]) for c in cards] == [
        (CLOZE, "Rock formed from cooled lava is called {{c1::igneous}} rock", "Rock cycle")]
    assert cards[0]["score"] >= CONFIDENT


def test_a_name_that_opens_its_sentence_is_a_card(tmp_path: Path) -> None:
    notes = tmp_path / "dna.md"
    notes.write_text("# DNA\n\n- _Rosalind Franklin_ imaged the double helix with X-rays\n", encoding="utf-8")
    cards = [json.loads(line) for line in run_cli(["extract", str(notes)], tmp_path).stdout.splitlines()]
    assert "{{c1::Rosalind Franklin}} imaged the double helix with X-rays" in [c["question"] for c in cards]


@pytest.mark.parametrize(("text", "start", "end", "sentence"), [
    ("Born in 1809. Died in 1865.", 8, 12, "Born in 1809."),
    ("Born in 1809. Died in 1865.", 22, 26, "Died in 1865."),
    ("Rome fell in 476\nByzantium lasted to 1453", 13, 16, "Rome fell in 476"),
    ("Take e.g. Rome, founded in 753 BC", 27, 30, "Take e.g. Rome, founded in 753 BC"),
])
def test_a_blank_shows_only_its_own_sentence(text: str, start: int, end: int, sentence: str) -> None:
    assert own_sentence(text, start, end) == sentence


def test_a_fact_cloze_leaves_out_the_next_sentence() -> None:
    doc = read_text("# Cells\n\n- A human cell holds 46 chromosomes. Gametes hold half as many.\n", "c.md")
    assert [c.question for c in REGISTRY.run(doc, ["fact"])] == ["A human cell holds {{c1::46}} chromosomes"]


def test_an_emphasised_name_needs_a_claim_to_cue_it() -> None:
    assert _cards("- _Ada Lovelace_, mathematician and writer from London\n", "a.md") == []
    assert _cards("- _Ada Lovelace_ wrote the first published program in 1843\n", "a.md") == [
        ("{{c1::Ada Lovelace}} wrote the first published program in 1843", "Ada Lovelace")]


def test_a_title_inside_a_sentence_stays_whole() -> None:
    doc = read_text("- Tolstoy wrote War and Peace in 1869\n- a war is common in his work\n", "t.md")
    assert [c.question for c in REGISTRY.run(doc, ["fact"])] == [
        "Tolstoy wrote War and Peace in {{c1::1869}}"]
