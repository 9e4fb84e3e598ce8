"""Written files get the permissions a user expects: new ones follow the umask, an existing
one keeps its mode (a committed 0644 lock file stays 0644)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_cli


@pytest.fixture
def umask_027() -> Iterator[None]:
    """Run the test under umask 027 (group may read, others nothing), then restore the old one."""
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "rivers.md").write_text("- Nile: the river that flows through Cairo\n"
                                     "- Danube: the river that flows through Vienna\n", encoding="utf-8")
    return notes


def test_new_files_follow_the_umask(tmp_path: Path, umask_027: None) -> None:
    notes = _notes(tmp_path)
    result = run_cli(["build", "notes", "-o", "out", "--format", "apkg,csv,jsonl,sheet-html"], tmp_path)
    assert result.exit_code == 0, result.output
    written = [notes / "notedeck.lock", *sorted((tmp_path / "out").iterdir())]
    assert len(written) == 6
    for path in written:
        assert _mode(path) == 0o640, (path.name, oct(_mode(path)))
    result = run_cli(["accept", "-n", "notes", "--below", "1"], tmp_path)
    assert result.exit_code == 0, result.output
    for review in tmp_path.rglob("notedeck.review.yaml"):
        assert _mode(review) == 0o640
    assert run_cli(["extract", "notes", "--format", "csv", "-o", "cards.csv"], tmp_path).exit_code == 0
    assert _mode(tmp_path / "cards.csv") == 0o640


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_027: None) -> None:
    notes = _notes(tmp_path)
    assert run_cli(["build", "notes", "-o", "out", "--format", "apkg,csv"], tmp_path).exit_code == 0
    lock = notes / "notedeck.lock"
    lock.chmod(0o644)  # as committed and checked out
    csv = next((tmp_path / "out").glob("*.csv"))
    csv.chmod(0o600)
    with (notes / "rivers.md").open("a", encoding="utf-8") as f:
        f.write("- Rhine: the river that flows through Basel\n")
    result = run_cli(["build", "notes", "-o", "out", "--format", "apkg,csv"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "3 cards" in result.output
    assert _mode(lock) == 0o644
    assert _mode(csv) == 0o600
    assert _mode(next((tmp_path / "out").glob("*.apkg"))) == 0o640
