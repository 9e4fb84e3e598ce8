"""Refactoring guard: the example's outputs and a benchmark vault's are byte for byte what
they were when `tests/fixtures/same-bytes.json` was recorded.

Reshaping the build (options, pipeline, writers, registries) must not change one output byte.
A change that is meant to change cards updates the record on purpose:

    NOTEDECK_RECORD_BYTES=1 python -m pytest tests/test_same_bytes.py -n 0

The bytes also depend on the libraries that render and pack them (genanki's collection,
Pygments' colours...), so the record names their versions; with other versions installed the
comparison is skipped rather than failing on someone else's release.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
from vault import generate

RECORD = ROOT / "tests" / "fixtures" / "same-bytes.json"
LIBRARIES = ("genanki", "markdown-it-py", "mdit-py-plugins", "jinja2", "pygments", "nh3",
             "pyspellchecker", "pyyaml")
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _example(tmp_path: Path) -> dict[str, str]:
    """The repository's own build (config, lock, review file) into a fresh output folder."""
    work = tmp_path / "example"
    work.mkdir()
    for name in ("notedeck.toml", "notedeck.lock", "notedeck.review.yaml"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, work / name)
    shutil.copytree(ROOT / "examples", work / "examples")
    result = run_cli(["build", "--no-cache"], work, env=EPOCH)
    assert result.exit_code == 0, result.output
    return {**_digests(work / "output"), "notedeck.lock": _digests(work)["notedeck.lock"]}


def _vault(tmp_path: Path) -> dict[str, str]:
    """A 600-fact benchmark vault to every format, without a lock (new GUIDs and times)."""
    vault = tmp_path / "vault"
    generate(vault, 600)
    result = run_cli(["build", str(vault), "-o", str(tmp_path / "out"), "--no-lock", "--no-cache",
                      "--format", "apkg,csv,jsonl,sheet-html"], tmp_path, env=EPOCH)
    assert result.exit_code == 0, result.output
    return _digests(tmp_path / "out")


def test_outputs_are_the_recorded_bytes(tmp_path: Path) -> None:
    now = {"example": _example(tmp_path), "vault": _vault(tmp_path),
           "libraries": {name: version(name) for name in LIBRARIES}}
    if os.environ.get("NOTEDECK_RECORD_BYTES"):
        RECORD.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    if recorded["libraries"] != now["libraries"]:
        pytest.skip(f"recorded with {recorded['libraries']}; record again with NOTEDECK_RECORD_BYTES=1")
    assert now["example"] == recorded["example"]
    assert now["vault"] == recorded["vault"]
