"""Byte-identical releases: output order, all-or-nothing builds, the manifest and file names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

LETTERS = """# Greek letters
- Alpha: the first letter of the Greek alphabet
- Gamma: the third letter of the Greek alphabet
# Hebrew letters
- Aleph: the first letter of the Hebrew alphabet
"""
BETA = "- Beta: the second letter of the Greek alphabet\n"


def _questions(jsonl: Path) -> list[str]:
    return [json.loads(line)["question"] for line in jsonl.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("formats", ["jsonl,csv,sheet-html", "apkg"])
def test_a_new_card_lands_where_its_line_is_whatever_the_lock_or_cache_holds(tmp_path: Path,
                                                                             formats: str) -> None:
    notes = tmp_path / "letters.md"
    notes.write_text(LETTERS, encoding="utf-8")
    args = ["build", "letters.md", "--format", formats, "-o", "out", "-q"]
    assert run_cli(args, tmp_path).exit_code == 0
    notes.write_text(LETTERS.replace("- Gamma", BETA + "- Gamma"), encoding="utf-8")
    assert run_cli(args, tmp_path).exit_code == 0  # Beta is new to the lock (and the cache)
    shutil.copytree(tmp_path / "out", tmp_path / "first")
    assert run_cli([*args, "--no-cache"], tmp_path).exit_code == 0  # Beta is known now
    for made in sorted((tmp_path / "out").iterdir()):
        assert made.read_bytes() == (tmp_path / "first" / made.name).read_bytes(), made.name
    if "jsonl" in formats:
        assert _questions(tmp_path / "out" / "letters.jsonl") == [
            "What is Alpha?", "What is Beta?", "What is Gamma?", "What is Aleph?"]
        sheet = (tmp_path / "out" / "letters.html").read_text(encoding="utf-8")
        greek = sheet.split("Hebrew letters")[0]
        assert "Beta" in greek and sheet.count("Greek letters") == 1
