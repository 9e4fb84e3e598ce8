"""The `notedeck` command as a user runs it: real subprocesses and click's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, ROOT
from generator import __version__
from generator.cli import cli


def notedeck(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (falls back to `python -m generator.cli`)."""
    exe = shutil.which("notedeck", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "generator.cli"]
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_with_no_arguments_uses_notedeck_toml(tmp_path):
    """`notedeck build` in the repository builds output/gophercon-2024-notes.apkg from notedeck.toml."""
    work = tmp_path / "repo"
    (work / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "notedeck.toml", work)
    shutil.copy(EXAMPLE, work / "examples")
    proc = notedeck("build", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert (work / "output" / "gophercon-2024-notes.apkg").is_file()
    assert proc.stdout.count("\n") == 1 and "cards from 1 file" in proc.stdout


def test_extract_jsonl_to_stdout(tmp_path):
    """`notedeck extract NOTES --format jsonl` prints one interchange record per line."""
    proc = notedeck("extract", str(EXAMPLE), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.split("\n") if line]
    assert len(records) > 20
    assert all(r["source"]["path"].endswith("gophercon-2024-notes.txt") for r in records)


def test_extract_to_file_and_same_output_twice(tmp_path, runner):
    """-o writes a file; the same notes give byte-identical output (stable GUIDs, order)."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (a, b):
        result = runner.invoke(cli, ["extract", str(EXAMPLE), "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 0


def test_build_notes_folder_recursive(tmp_path, runner):
    """A folder of notes (nested) becomes one deck named after the folder."""
    notes = tmp_path / "biology"
    (notes / "cells").mkdir(parents=True)
    (notes / "cells" / "organelles.md").write_text(
        "# Organelles\n\n- Mitochondria are the powerhouse of the cell\n", encoding="utf-8")
    (notes / "plants.txt").write_text("Plants\n\n• Chlorophyll is a green pigment\n", encoding="utf-8")
    (notes / "image.png").write_bytes(b"\x89PNG\r\n")
    out = tmp_path / "decks"
    result = runner.invoke(cli, ["build", str(notes), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "biology.apkg").is_file()
    assert "2 cards from 2 files" in result.output


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["extract", "--help"]])
def test_help_has_an_example(runner, args):
    """--help works everywhere and shows an example."""
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert "Example" in result.output


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_extractors_listed(runner):
    """`notedeck extractors` names each extractor with its one-line description."""
    result = runner.invoke(cli, ["extractors"])
    assert result.exit_code == 0
    for name in ("explicit", "definition", "list"):
        assert name in result.output


def _unwritable(tmp_path: Path) -> list[str]:
    blocker = tmp_path / "blocker"  # a file where the output folder should go: fails even as root
    blocker.write_text("", encoding="utf-8")
    return ["build", str(EXAMPLE), "-o", str(blocker / "sub")]


def _read_only(tmp_path: Path) -> list[str]:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return ["build", str(EXAMPLE), "-o", str(locked / "sub")]


def _empty_file(tmp_path: Path) -> list[str]:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    return ["build", str(tmp_path / "empty.md"), "-o", str(tmp_path / "out")]


def _no_notes_folder(tmp_path: Path) -> list[str]:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.png").write_bytes(b"x")
    return ["build", str(tmp_path / "pics")]


def _no_config(tmp_path: Path) -> list[str]:
    return ["build", "--config", str(tmp_path / "missing.toml")]


def _bad_config(tmp_path: Path) -> list[str]:
    cfg = tmp_path / "notedeck.toml"
    cfg.write_text('[[deck]]\nname = "x"\nsources = ["a.md"]\ncolour = "red"\n', encoding="utf-8")
    return ["build", "--config", str(cfg)]


ERROR_CASES = {
    "missing file": (lambda t: ["build", str(t / "nope.md")], "no such file or folder"),
    "missing file (extract)": (lambda t: ["extract", str(t / "nope.txt")], "no such file or folder"),
    "empty file": (_empty_file, "is empty"),
    "folder without notes": (_no_notes_folder, "no notes found"),
    "output under a file": (_unwritable, "cannot write"),
    "read-only output": (_read_only, "cannot write"),
    "missing config": (_no_config, "cannot read"),
    "unknown config key": (_bad_config, "notedeck.toml:4: unknown key 'colour'"),
    "unknown extractor": (lambda t: ["extract", str(EXAMPLE), "--extractor", "magic"], "unknown extractor"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=list(ERROR_CASES))
def test_errors_are_one_line_with_hint_and_exit_2(tmp_path, case):
    """Input errors: one line on stderr with a hint, exit status 2, no traceback, no file."""
    if case == "read-only output" and os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    make_args, expected = ERROR_CASES[case]
    proc = notedeck(*make_args(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert expected in lines[0] and "hint:" in lines[0]
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.rglob("*.apkg"))


def test_no_notes_and_no_config_is_a_usage_error(tmp_path):
    proc = notedeck("build", cwd=tmp_path)
    assert proc.returncode == 2 and "no notedeck.toml" in proc.stderr and "hint:" in proc.stderr


def test_debug_shows_the_traceback(tmp_path):
    """--debug trades the one-line message for the full traceback."""
    proc = notedeck("--debug", "build", str(tmp_path / "nope.md"), cwd=tmp_path)
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "NotedeckError" in proc.stderr


def test_unknown_format_is_a_usage_error(runner):
    result = runner.invoke(cli, ["build", str(EXAMPLE), "--format", "pdf"])
    assert result.exit_code == 2 and "unknown format" in result.output
