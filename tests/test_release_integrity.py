"""Byte-identical releases: output order, all-or-nothing builds, the manifest and file names."""

from __future__ import annotations

import hashlib
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


FORMATS = "apkg,jsonl,csv,sheet-html"


def _everything(tmp_path: Path) -> dict[str, bytes]:
    """Every file of the outputs and the lock, by path (the notes themselves left out)."""
    return {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in sorted(tmp_path.rglob("*"))
            if p.is_file() and p.suffix != ".md"}


def _built_then_edited(tmp_path: Path) -> dict[str, bytes]:
    """A first build of the letters, the notes then edited; what the first build left."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "letters.md").write_text(LETTERS, encoding="utf-8")
    assert run_cli(["build", "notes", "-o", "out", "--format", FORMATS, "-q"], tmp_path).exit_code == 0
    before = _everything(tmp_path)
    (notes / "letters.md").write_text(LETTERS.replace("- Gamma", BETA + "- Gamma"), encoding="utf-8")
    return before


def test_a_lock_that_cannot_be_written_leaves_every_output_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.lock import Lock

    before = _built_then_edited(tmp_path)
    real = Lock.chunks

    def disk_full(self: Lock) -> object:
        yield next(iter(real(self)))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Lock, "chunks", disk_full)
    result = run_cli(["build", "notes", "-o", "out", "--format", FORMATS, "-q"], tmp_path)
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert _everything(tmp_path) == before  # decks, sheet, manifest and lock: all the old ones
    assert not [p for p in tmp_path.rglob(".*") if p.name != ".notedeck"]


def test_an_interrupt_while_moving_the_lock_puts_the_old_outputs_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    before = _built_then_edited(tmp_path)
    real = os.replace

    def interrupted(src: object, dst: object) -> None:
        if Path(str(dst)).name == "notedeck.lock":
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    result = run_cli(["build", "notes", "-o", "out", "--format", FORMATS, "-q"], tmp_path)
    assert result.exit_code == 130 and "no output was changed" in result.stderr
    assert _everything(tmp_path) == before
    assert not [p for p in tmp_path.rglob(".*")]


def test_an_interrupt_after_the_outputs_moved_does_not_claim_nothing_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.incremental

    before = _built_then_edited(tmp_path)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.incremental, "record", interrupted)
    result = run_cli(["build", "notes", "-o", "out", "--format", FORMATS, "-q"], tmp_path)
    assert result.exit_code == 130
    assert "no output was changed" not in result.stderr and "already written" in result.stderr
    after = _everything(tmp_path)
    assert after["out/notes.jsonl"] != before["out/notes.jsonl"]
    assert after["notes/notedeck.lock"] != before["notes/notedeck.lock"]  # the lock went with them


KILLED = """
import os, signal, sys
from pathlib import Path
real = os.replace
def replace(src, dst):
    if Path(str(dst)).name == "notedeck.lock":
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
os.replace = replace
from generator.cli import cli
cli(sys.argv[1:])
"""


def test_the_next_build_cleans_up_after_a_killed_build(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    _built_then_edited(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", KILLED, "build", "notes", "-o", "out", "--format", FORMATS,
                             "-q"], cwd=tmp_path, env=env, capture_output=True, check=False)
    assert killed.returncode == -9
    assert [p for p in tmp_path.rglob(".*")]  # kill -9 gives no chance to clean up
    result = run_cli(["build", "notes", "-o", "out", "--format", FORMATS, "-q"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert not [p for p in tmp_path.rglob(".*")]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    for f in manifest["decks"][0]["files"]:
        assert hashlib.sha256((tmp_path / "out" / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert "Beta" in (tmp_path / "notes" / "notedeck.lock").read_text(encoding="utf-8")


TWO_DECKS = """[[deck]]
name = "Greek"
sources = ["greek"]
formats = ["apkg", "csv"]

[[deck]]
name = "Hebrew"
sources = ["hebrew"]
formats = ["apkg", "csv"]
"""


def _manifest_files(out: Path) -> dict[str, list[str]]:
    """Each deck of the manifest and its files, after checking every hash against the file."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for deck in manifest["decks"]:
        for f in deck["files"]:
            assert hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"], f["path"]
    return {d["name"]: [f["path"] for f in d["files"]] for d in manifest["decks"]}


def test_building_one_deck_or_one_format_keeps_the_others_in_the_manifest_and_up_to_date(
        tmp_path: Path) -> None:
    (tmp_path / "notedeck.toml").write_text(TWO_DECKS, encoding="utf-8")
    (tmp_path / "greek").mkdir()
    (tmp_path / "hebrew").mkdir()
    greek = tmp_path / "greek" / "letters.md"
    greek.write_text("- Alpha: the first letter of the Greek alphabet\n", encoding="utf-8")
    (tmp_path / "hebrew" / "letters.md").write_text("- Aleph: the first letter of the Hebrew alphabet\n",
                                                    encoding="utf-8")
    everything = {"Greek": ["greek.apkg", "greek.csv"], "Hebrew": ["hebrew.apkg", "hebrew.csv"]}
    assert run_cli(["build", "-q"], tmp_path).exit_code == 0
    assert _manifest_files(tmp_path / "output") == everything

    greek.write_text(greek.read_text(encoding="utf-8") + BETA, encoding="utf-8")
    assert run_cli(["build", "Greek", "--format", "csv", "-q"], tmp_path).exit_code == 0
    assert _manifest_files(tmp_path / "output") == everything  # the .apkg is still there: listed
    assert "up to date" in run_cli(["build", "Hebrew", "-q"], tmp_path).stdout

    greek.write_text(greek.read_text(encoding="utf-8") + "- Gamma: the third letter of the Greek alphabet\n",
                     encoding="utf-8")
    assert run_cli(["build", "Greek", "-q"], tmp_path).exit_code == 0  # the lock and manifest change
    result = run_cli(["build", "-q"], tmp_path)
    assert result.stdout.count("up to date") == 2, result.stdout
    assert _manifest_files(tmp_path / "output") == everything


def test_two_decks_that_would_write_the_same_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "notedeck.toml").write_text(
        '[[deck]]\nname = "Bio::Cells"\nsources = ["plants.md"]\n\n'
        '[[deck]]\nname = "bio cells"\nsources = ["animals.md"]\nformats = ["csv", "apkg"]\n',
        encoding="utf-8")
    (tmp_path / "plants.md").write_text("- Chloroplast: the organelle where photosynthesis happens\n",
                                        encoding="utf-8")
    (tmp_path / "animals.md").write_text("- Centriole: the organelle that organises cell division\n",
                                         encoding="utf-8")
    for args in (["build"], ["build", "bio cells"], ["build", "Bio::Cells"]):
        result = run_cli(args, tmp_path)
        assert result.exit_code == 2, result.stdout
        [line] = result.stderr.splitlines()
        assert "'Bio::Cells'" in line and "'bio cells'" in line and "bio-cells.apkg" in line
        assert "(hint: " in line
        assert not (tmp_path / "output").exists()
