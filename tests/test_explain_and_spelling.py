"""`extract --explain` (why each line did or did not become a card) and typo repair in card text."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import generator
from generator.cli import cli
from generator.spelling import Speller

NOTES = """# Networking

- TCP is a reliable, connection-oriented transport protocol
- Escape analysis (what is this)
- grpc backend? (to store sessions)
- TLDR; great lecture, I loved it
- The end…
- Routers forward packets between networks
- Use a load balancer for spreading traffic
"""


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "net.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


def test_explain_lists_cards_and_why_other_lines_gave_none(notes):
    """Each card with extractor, score and line; each other line with its reason."""
    result = CliRunner().invoke(cli, ["extract", str(notes), "--explain"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "definition" in out and "What is TCP?" in out
    lines = {int(line.split()[0]): line for line in out.splitlines()[1:] if line.strip()[:1].isdigit()}
    assert "to look up" in lines[4] and "Escape analysis" in lines[4]
    assert "to look up" in lines[5]
    assert "aside" in lines[6]
    assert "aside" in lines[7] or "fragment" in lines[7]
    assert "What do routers forward?" in lines[8]
    assert "What should you use for spreading traffic?" in lines[9]


def test_explain_api_matches_extract(notes):
    """The library call behind --explain returns the same cards as extract."""
    [explained] = generator.pipeline.explain([notes])
    assert [c.question for c in explained.cards] == [c.question for c in generator.extract([notes]).cards]
    assert {n.line for n in explained.skipped} == {4, 5, 6, 7}


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [("teminal", "terminal"), ("insurence", "insurance"), ("barier", "barrier"), ("thosands", "thousands"),
     ("esentially", "essentially")],
)
def test_obvious_typos_are_repaired(typo, fixed):
    assert Speller([f"a {typo} here"]).fix(f"the {typo} works") == f"the {fixed} works"


@pytest.mark.parametrize(
    "word",
    ["struct", "structs", "goroutines", "netlink", "nftables", "pgtestdb", "inlining", "sharding", "mutex",
     "frontend", "analytics", "Kafka", "sqlc", "fun[0]", "json.Unmarshal", "crypto/rand"],
)
def test_jargon_names_and_code_are_left_alone(word):
    speller = Speller([f"notes about {word}", f"more {word} and struct"])
    assert speller.fix(f"the {word} here") == f"the {word} here"


def test_a_word_the_notes_repeat_is_intended():
    """A misspelling used twice is the author's term, not a slip."""
    speller = Speller(["the teminal app", "another teminal tool"])
    assert speller.fix("a teminal") == "a teminal"


def test_spelling_can_be_turned_off(tmp_path):
    path = tmp_path / "t.md"
    path.write_text("- Charm is a teminal UI written in Go\n", encoding="utf-8")
    fixed = generator.extract([path]).cards[0].answer
    kept = generator.extract([path], spelling=False).cards[0].answer
    assert "terminal" in fixed and "teminal" in kept
    result = CliRunner().invoke(cli, ["extract", str(path), "--no-spelling"])
    assert "teminal" in result.output
