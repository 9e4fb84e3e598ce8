"""Errors users meet: one line, the documented exit code (2 = bad input, 3 = a bug, with or
without --debug) and a hint that fits what went wrong."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from conftest import run_cli

RIVERS = "- Nile: the river that flows through Cairo\n- Danube: the river that flows through Vienna\n"


def _notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "rivers.md").write_text(RIVERS, encoding="utf-8")
    return notes


def _one_line(result: object) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    return lines[0]


TEMPLATES = {
    "huge range": "{% for i in range(10**9) %}x{% endfor %}",
    "recursive macro": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "extends itself": '{% extends "sheet/table.html" %}',
}


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_a_broken_template_is_bad_input(tmp_path: Path, name: str) -> None:
    _notes(tmp_path)
    (tmp_path / "tpl" / "sheet").mkdir(parents=True)
    (tmp_path / "tpl" / "sheet" / "table.html").write_text(TEMPLATES[name], encoding="utf-8")
    result = run_cli(["sheet", "notes", "-o", "rivers.html", "-t", "tpl"], tmp_path)
    assert result.exit_code == 2, result.output
    line = _one_line(result)
    assert line.startswith("notedeck: error: template sheet/table.html") and "hint:" in line, line
    assert not (tmp_path / "rivers.html").exists()


def test_an_undefined_sheet_variable_names_what_sheets_get(tmp_path: Path) -> None:
    _notes(tmp_path)
    (tmp_path / "tpl" / "sheet").mkdir(parents=True)
    (tmp_path / "tpl" / "sheet" / "table.html").write_text("{{ rivers }}", encoding="utf-8")
    result = run_cli(["sheet", "notes", "-o", "rivers.html", "-t", "tpl"], tmp_path)
    assert result.exit_code == 2
    line = _one_line(result)
    assert "'rivers' is undefined" in line and "groups" in line and "cards" in line, line
    assert "Anki" not in line and "raw" not in line, line


def test_debug_keeps_the_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(["--debug", "build", "missing.md"], tmp_path)
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "notedeck: error: no such file or folder" in result.stderr

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug in the build")

    monkeypatch.setattr("generator.cli.build_decks", broken)
    _notes(tmp_path)
    result = run_cli(["--debug", "build", "notes"], tmp_path)
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "ValueError: a bug in the build" in result.stderr
    assert run_cli(["build", "notes"], tmp_path).exit_code == 3


def test_a_missing_config_is_an_error_even_with_notes(tmp_path: Path) -> None:
    _notes(tmp_path)
    result = run_cli(["build", "notes", "--config", "nope.toml"], tmp_path)
    assert result.exit_code == 2
    assert "nope.toml" in _one_line(result)
    assert not (tmp_path / "output").exists()


def _fail_replace(monkeypatch: pytest.MonkeyPatch, suffix: str, code: int) -> None:
    """Moving a file whose name ends in `suffix` into place fails with `code` (a full disk...)."""
    real = os.replace

    def replace(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if str(dst).endswith(suffix):
            raise OSError(code, os.strerror(code))
        real(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("suffix", ["notedeck.lock", ".apkg"])
def test_a_full_disk_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    _notes(tmp_path)
    _fail_replace(monkeypatch, suffix, errno.ENOSPC)
    result = run_cli(["build", "notes", "-o", "out"], tmp_path)
    assert result.exit_code == 2
    line = _one_line(result)
    assert "No space left on device" in line and "disk is full" in line, line
    assert "permissions" not in line, line


def test_a_read_only_review_folder_gets_no_hint_about_o(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _notes(tmp_path)
    real = tempfile.mkstemp

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        if str(kwargs.get("prefix", "")).startswith(".notedeck.review.yaml"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    result = run_cli(["accept", "-n", "notes", "--below", "1"], tmp_path)
    assert result.exit_code == 2
    line = _one_line(result)
    assert "Read-only file system" in line and "writable" in line, line
    assert "with -o" not in line.split("hint:")[1], line


def test_an_unknown_name_lists_the_configured_decks(tmp_path: Path) -> None:
    _notes(tmp_path)
    (tmp_path / "notedeck.toml").write_text(
        '[[deck]]\nname = "Rivers"\nsources = ["notes"]\n\n'
        '[[deck]]\nname = "Geo::Lakes"\nsources = ["notes"]\n', encoding="utf-8")
    for args in (["build", "K8z"], ["build", "--deck", "K8z"], ["extract", "K8z"]):
        result = run_cli(args, tmp_path)
        assert result.exit_code == 2, args
        line = _one_line(result)
        assert "K8z" in line and "'Rivers'" in line and "'Geo::Lakes'" in line, line


@pytest.mark.parametrize("name", ["   ", "::", "a::::b", "Geo:: ::Lakes",
                                  pytest.param("x" * 5000, id="5000 characters")])
def test_blank_or_huge_deck_names_are_refused(tmp_path: Path, name: str) -> None:
    _notes(tmp_path)
    for command in (["build", "notes", "-o", "out"], ["extract", "notes"]):
        result = run_cli([*command, "--deck", name], tmp_path)
        assert result.exit_code == 2, result.output
        line = _one_line(result)
        assert "deck name" in line and "hint:" in line and len(line) < 200, line
    assert not (tmp_path / "out").exists()


def test_a_blank_deck_name_in_the_config_names_its_line(tmp_path: Path) -> None:
    _notes(tmp_path)
    (tmp_path / "notedeck.toml").write_text(
        '[[deck]]\nname = "Rivers"\nsources = ["notes"]\n\n[[deck]]\nname = "::"\nsources = ["notes"]\n',
        encoding="utf-8")
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 2
    assert "notedeck.toml:6: deck name '::'" in _one_line(result)
