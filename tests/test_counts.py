"""The numbers a build prints are the deck's: files actually read, cards in the deck, said in
good English ("1 card"), and the progress bar ends at the count the result line gives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_cli
from generator.progress import TerminalProgress

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def _notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "lakes.md").write_text("- Baikal: the deepest lake on Earth\n", encoding="utf-8")
    (notes / "scan.txt").write_bytes(PNG)  # an image saved with a notes suffix: skipped
    return notes


def test_a_skipped_binary_is_not_a_file_read_and_one_card_is_singular(tmp_path: Path) -> None:
    _notes(tmp_path)
    result = run_cli(["build", "notes", "-o", "out"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "skipped, not a text file" in result.stderr
    one = re.compile(r"\b1 card from 1 file\b")
    assert one.search(result.stdout), result.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["decks"][0]["notes_files"] == 1
    again = run_cli(["build", "notes", "-o", "out"], tmp_path)
    assert "up to date" in again.stdout and one.search(again.stdout), again.stdout
    # an edit patches the last build: the count stays that of the files read
    lakes = tmp_path / "notes" / "lakes.md"
    lakes.write_text("- Baikal: the deepest lake in the world\n", encoding="utf-8")
    patched = run_cli(["build", "notes", "-o", "out", "--stats"], tmp_path)
    assert "the last build patched" in patched.stderr, patched.stderr
    assert one.search(patched.stdout), patched.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["decks"][0]["notes_files"] == 1

    extracted = run_cli(["extract", "notes", "-o", "cards.jsonl"], tmp_path)
    assert "wrote cards.jsonl: 1 card" in extracted.stderr and "1 cards" not in extracted.stderr
    sheet = run_cli(["sheet", "notes", "-o", "lakes.html"], tmp_path)
    assert "wrote lakes.html: 1 card, table layout" in sheet.stdout, sheet.stdout


def test_the_progress_bar_ends_at_the_decks_card_count(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Two files asking the same question give one card: the bar, which counted both as they
    were found, shows the deck's count once it writes."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("monday.md", "tuesday.md"):
        (notes / name).write_text("- Baikal: the deepest lake on Earth\n"
                                  "- Titicaca: the highest navigable lake\n", encoding="utf-8")
    shown: list[tuple[str, int]] = []

    class Recording(TerminalProgress):
        """The bar's stage and card count at every update (never drawn: no terminal here)."""

        def __init__(self) -> None:
            super().__init__(delay=3600)

        def _draw(self) -> None:
            shown.append((self.stage, self.cards))

    monkeypatch.setattr("generator.cli.show_progress", lambda quiet: True)
    monkeypatch.setattr("generator.cli.TerminalProgress", Recording)
    result = run_cli(["build", "notes", "-o", "out"], tmp_path)
    assert result.exit_code == 0, result.output
    built = int(re.search(r": (\d+) cards? from", result.stdout).group(1))  # type: ignore[union-attr]
    assert max(n for stage, n in shown if stage == "reading notes") > built
    assert shown[-1][0].startswith("writing") and shown[-1][1] == built, shown
