"""Extraction quality on the example notes, scored against the hand-written gold set.

Reads ../shared/eval (beside the repository); in a clone without it the test skips and says why.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, SHARED
from generator.cli import cli

SCORER = SHARED / "eval" / "score.py"
GOLD = SHARED / "eval" / "gophercon-2024-notes.gold.yaml"
DEV = SHARED / "corpus" / "dev"
# The deck holds the cards notedeck is confident in; suggestions wait for a person (see
# `cards.is_suggestion`). Precision, noise, duplicates and form are the deck's; recall counts
# what notedeck finds, deck and suggestions together, since accepting a suggestion is one key.
DECK_TARGETS = {"precision": 0.85, "wellformed": 0.95}
# R-core fell from 0.86 to 0.84 when cards that drop a hedge or condition of their line
# ("until...", "usually") stopped being even suggestions: faithful before found.
# R-all fell from 0.70 to 0.69 when "Who gave the talk ...?" became opt-in (`--extractor speaker`):
# the example's gold asks it of every talk, raters called it trivia.
FOUND_TARGETS = {"recall_core": 0.82, "recall_all": 0.66}
MAX_NOISE_HITS = 2
MAX_DUPLICATES = 3
# The development corpus: twelve notes files by other people (a regression guard at today's
# level, below the goals of issue 16: R-core 0.60, precision 0.75). The deck's precision by
# the scorer fell from 0.58 to 0.48 when list cards became suggestions: they land on gold
# lines, but blind raters kept one in eight of them as it was.
DEV_DECK_TARGETS = {"precision": 0.45, "wellformed": 0.98}
DEV_FOUND_TARGETS = {"recall_core": 0.45}


def _score(folder, notes: list[str], gold: list[str], suggestions: bool) -> dict:
    """The scorer's totals for the deck's cards (and with `suggestions`, the suggestions too)."""
    cards = folder / f"cards-{suggestions}.jsonl"
    rows = []
    for extra in ([[], ["--suggestions"]] if suggestions else [[]]):
        out = folder / "part.jsonl"
        result = CliRunner().invoke(cli, ["extract", *notes, "--format", "jsonl", "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        rows.append(out.read_text(encoding="utf-8"))
    cards.write_text("".join(rows), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCORER), str(cards), *gold, "--json"],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)["total"]


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not SCORER.is_file() or not GOLD.is_file():
        pytest.skip(f"no gold set at {SHARED / 'eval'} (it lives beside the repository, not in it)")
    folder = tmp_path_factory.mktemp("quality")
    return {"deck": _score(folder, [str(EXAMPLE)], [str(GOLD)], False),
            "found": _score(folder, [str(EXAMPLE)], [str(GOLD)], True)}


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    notes = sorted(str(p) for p in DEV.glob("*") if p.suffix in (".md", ".org", ".txt"))
    if not SCORER.is_file() or not notes:
        pytest.skip(f"no development corpus at {DEV} (it lives beside the repository, not in it)")
    gold = sorted(str(p) for p in DEV.glob("*.gold.yaml"))
    folder = tmp_path_factory.mktemp("dev-quality")
    return {"deck": _score(folder, notes, gold, False), "found": _score(folder, notes, gold, True)}


@pytest.mark.parametrize(("kind", "metric"), [*(("deck", m) for m in DECK_TARGETS),
                                              *(("found", m) for m in FOUND_TARGETS)])
def test_example_meets_target(scores, kind, metric):
    """The deck's precision and form, and the recall of deck and suggestions, stay at or above
    the targets."""
    target = {**DECK_TARGETS, **FOUND_TARGETS}[metric]
    assert scores[kind][metric] >= target, f"{kind} {metric} = {scores[kind][metric]:.3f}"


def test_example_noise_and_duplicates(scores):
    """Asides yield (almost) no cards, and a fact is rarely asked twice."""
    assert scores["deck"]["noise_hits"] <= MAX_NOISE_HITS
    assert scores["deck"]["duplicates"] <= MAX_DUPLICATES


@pytest.mark.parametrize(("kind", "metric"), [*(("deck", m) for m in DEV_DECK_TARGETS),
                                              *(("found", m) for m in DEV_FOUND_TARGETS)])
def test_development_corpus_holds_its_level(dev_scores, kind, metric):
    """Notes by other people, in other subjects: no change may lose what they score today."""
    target = {**DEV_DECK_TARGETS, **DEV_FOUND_TARGETS}[metric]
    assert dev_scores[kind][metric] >= target, f"{kind} {metric} = {dev_scores[kind][metric]:.3f}"
