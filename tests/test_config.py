"""Configuration: notedeck.toml and [tool.notedeck], deck selection by name, overrides, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

CHEM = "# Chemistry\n- Catalyst: a substance that speeds up a reaction\n- Noble gases: helium, neon, argon\n"
BIO = "# Cells\n- Osmosis: diffusion of water through a membrane\n- The ==mitochondria== make ATP\n"
TWO_DECKS = """output = "out"

[[deck]]
name = "Chemistry"
sources = ["chem.md"]
formats = ["jsonl"]
reversed = true

[[deck]]
name = "School::Biology"
sources = ["bio/"]
formats = ["jsonl", "csv"]
extractors = { cloze = false }
tags = ["bio"]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "bio").mkdir()
    (tmp_path / "chem.md").write_text(CHEM, encoding="utf-8")
    (tmp_path / "bio" / "cells.md").write_text(BIO, encoding="utf-8")
    return tmp_path


def jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("where", ["notedeck.toml", "pyproject.toml"])
def test_build_builds_every_configured_deck_with_its_options(repo: Path, where: str) -> None:
    if where == "pyproject.toml":
        body = TWO_DECKS.replace("[[deck]]", "[[tool.notedeck.deck]]").replace('output = "out"', "")
        (repo / where).write_text('[project]\nname = "notes"\n\n[tool.notedeck]\noutput = "out"\n\n' + body,
                                  encoding="utf-8")
    else:
        (repo / where).write_text(TWO_DECKS, encoding="utf-8")
    result = run_cli(["build"], repo)
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (repo / "out").iterdir())
    assert built == ["chemistry.jsonl", "manifest.json", "school-biology.csv", "school-biology.jsonl"]
    chem = jsonl(repo / "out" / "chemistry.jsonl")
    assert any(c["type"] == "reversed" for c in chem)  # reversed = true
    bio = jsonl(repo / "out" / "school-biology.jsonl")
    assert {c["deck"] for c in bio} == {"School::Biology::cells"}
    assert all("bio" in c["tags"] for c in bio)
    assert not [c for c in bio if c["type"] == "cloze"]  # extractors = { cloze = false }
    assert (repo / "notedeck.lock").is_file()


def test_a_deck_name_argument_selects_that_deck_for_every_command(repo: Path) -> None:
    (repo / "notedeck.toml").write_text(TWO_DECKS, encoding="utf-8")
    assert run_cli(["build", "Chemistry"], repo).exit_code == 0
    assert sorted(p.name for p in (repo / "out").iterdir()) == ["chemistry.jsonl", "manifest.json"]
    extracted = run_cli(["extract", "School::Biology"], repo)
    assert extracted.exit_code == 0
    assert {json.loads(line)["deck"] for line in extracted.stdout.splitlines()} == {"School::Biology::cells"}
    sheet = run_cli(["sheet", "Chemistry", "-o", "chem.html"], repo)
    assert sheet.exit_code == 0 and "Catalyst" in (repo / "chem.html").read_text(encoding="utf-8")
    checked = run_cli(["check", "Chemistry"], repo)
    assert checked.exit_code == 0 and "in 1 deck" in checked.stdout
    # An argument that is not a deck name is a notes path, as before.
    assert run_cli(["extract", "chem.md"], repo).exit_code == 0


def test_command_line_values_override_the_config(repo: Path) -> None:
    (repo / "notedeck.toml").write_text(TWO_DECKS.replace("reversed = true", "min_score = 1.0"),
                                        encoding="utf-8")
    assert run_cli(["build", "Chemistry"], repo).exit_code != 0  # no card reaches score 1.0
    assert run_cli(["build", "Chemistry", "--min-score", "0", "--format", "csv"], repo).exit_code == 0
    assert (repo / "out" / "chemistry.csv").is_file() and not (repo / "out" / "chemistry.jsonl").exists()
    assert run_cli(["build", "Chemistry", "--min-score", "0", "-o", "elsewhere"], repo).exit_code == 0
    assert (repo / "elsewhere" / "chemistry.jsonl").is_file()


@pytest.mark.parametrize(("change", "expected"), [
    (("reversed = true", "reversed = \"yes\""), "notedeck.toml:7: [[deck]] #1.reversed must be a true/false"),
    (("tags = [\"bio\"]", "tag = [\"bio\"]"), "notedeck.toml:14: unknown key 'tag' in [[deck]] #2"),
    (("formats = [\"jsonl\", \"csv\"]", "formats = [\"jsonl\", \"pdf\"]"),
     "notedeck.toml:12: [[deck]] #2.formats: unknown value 'pdf'"),
    (("cloze = false", "clozes = false"),
     "notedeck.toml:13: [[deck]] #2.extractors: unknown extractor 'clozes'"),
    (("reversed = true", "min_score = 5"), "notedeck.toml:7: [[deck]] #1.min_score must be between 0 and 1"),
    (('output = "out"', 'outputs = "out"'), "notedeck.toml:1: unknown key 'outputs' in the top level"),
    (('sources = ["bio/"]', 'sources = "bio/"'), "notedeck.toml:11: [[deck]] #2.sources must be a list"),
    (('name = "Chemistry"', 'name = ""'), "notedeck.toml:4: [[deck]] #1.name is empty"),
    (('name = "School::Biology"', 'name = "Chemistry"'), "two decks are named 'Chemistry'"),
])
def test_config_errors_name_the_key_the_file_and_the_line(repo: Path, change: tuple[str, str],
                                                          expected: str) -> None:
    (repo / "notedeck.toml").write_text(TWO_DECKS.replace(*change), encoding="utf-8")
    result = run_cli(["build"], repo)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("notedeck: error: ") and expected in line and "(hint: " in line


def test_pyproject_errors_point_into_pyproject(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.notedeck]\n\n[[tool.notedeck.deck]]\nname = "A"\n'
        'sources = ["chem.md"]\ncolour = "red"\n', encoding="utf-8")
    result = run_cli(["build"], repo)
    assert result.exit_code == 2 and "pyproject.toml:9: unknown key 'colour' in [[deck]] #1" in result.stderr
