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
    """--debug adds the full traceback to the one-line message."""
    proc = notedeck("--debug", "build", str(tmp_path / "nope.md"), cwd=tmp_path)
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "NotedeckError" in proc.stderr


def test_unknown_format_is_a_usage_error(runner):
    result = runner.invoke(cli, ["build", str(EXAMPLE), "--format", "pdf"])
    assert result.exit_code == 2 and "unknown format" in result.output


# --- Org tags and declared titles, end to end ------------------------------------------------------

EARTH_ORG = """#+TITLE: Earth Science Review
#+FILETAGS: :term2:
#+TAGS: draft
* Plate tectonics                                  :geo:exam:
- Subduction :: one plate sinks beneath another
** Volcanoes   :hazards:
- Shield volcano :: a broad volcano built by runny lava
* Glossary
- Magma :: molten rock below the surface
"""


def _tags_by_question(col: object) -> dict[str, set[str]]:
    """Each imported note's first field (HTML markup dropped) -> its tags."""
    import re

    notes = (col.get_note(n) for n in col.find_notes(""))  # type: ignore[attr-defined]
    return {re.sub(r"<[^>]+>", " ", n.fields[0]): set(n.tags) for n in notes}


def _tags_of(found: dict[str, set[str]], word: str) -> set[str]:
    [tags] = [tags for question, tags in found.items() if word.lower() in question.lower()]
    return tags


def test_org_tags_and_title_reach_anki_csv_jsonl_and_the_sheet(tmp_path, anki_collection):
    """Built with no deck name, an Org file's `#+TITLE:` names the deck, its files and the
    sheet; headline tags (inherited by sub-headlines) and `#+FILETAGS:` tag the cards in the
    .apkg as Anki imports it, in the CSV and in the JSONL; `#+TAGS:` (the allowed tags) tags nothing."""
    from conftest import import_apkg, run_cli

    (tmp_path / "earth.org").write_text(EARTH_ORG, encoding="utf-8")
    result = run_cli(["build", "earth.org", "--format", "apkg,csv,jsonl,sheet-html"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "deck 'Earth Science Review'" in result.output
    out = tmp_path / "output"
    names = {f"earth-science-review.{suffix}" for suffix in ("apkg", "csv", "jsonl", "html")}
    assert {p.name for p in out.iterdir()} >= names

    import_apkg(anki_collection, out / "earth-science-review.apkg")
    col = anki_collection
    assert "Earth Science Review" in {d.name for d in col.decks.all_names_and_ids()}
    assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {"Earth Science Review"}
    found = _tags_by_question(col)
    assert len(found) == 3
    assert {"geo", "exam", "term2"} <= _tags_of(found, "Subduction")
    assert "hazards" not in _tags_of(found, "Subduction")
    assert {"geo", "exam", "hazards", "term2"} <= _tags_of(found, "Shield volcano")
    assert not {"geo", "exam", "hazards"} & _tags_of(found, "Magma") and "term2" in _tags_of(found, "Magma")
    assert not any("draft" in tags for tags in found.values())
    fields = " ".join(f for n in col.find_notes("") for f in col.get_note(n).fields)
    assert "Plate tectonics" in fields and "Volcanoes" in fields  # the breadcrumbs, without tags
    assert not any(t in fields for t in (":geo", "exam:", ":hazards:", "term2", "draft"))

    records = [json.loads(line) for line in (out / "earth-science-review.jsonl").read_text().splitlines()]
    by_question = {r["question"]: r for r in records}
    volcano = next(r for q, r in by_question.items() if "shield volcano" in q.lower())
    assert (volcano["deck"], volcano["context"]) == ("Earth Science Review", "Plate tectonics > Volcanoes")
    assert {"geo", "exam", "hazards", "term2"} <= set(volcano["tags"])
    rows = [line.split("\t") for line in (out / "earth-science-review.csv").read_text().splitlines()
            if not line.startswith("#")]
    volcano_row = next(r for r in rows if "shield volcano" in r[3].lower())
    assert volcano_row[1] == "Earth Science Review"
    assert {"geo", "exam", "hazards", "term2"} <= set(volcano_row[5].split())
    html = (out / "earth-science-review.html").read_text(encoding="utf-8")
    assert "<title>Earth Science Review</title>" in html


def test_front_matter_title_names_deck_and_sheet_unless_a_name_is_given(tmp_path, anki_collection):
    """A Markdown file's front matter `title:` names the deck and the review sheet; `--deck`
    and `--title` win over it; a first `# heading` alone names nothing (the file name does)."""
    from conftest import import_apkg, run_cli

    notes = tmp_path / "la.md"
    notes.write_text("---\ntitle: Linear Algebra\n---\n# Vectors\n\n"
                     "- Basis :: a set of vectors that spans the space independently\n"
                     "- Rank :: the dimension of the column space\n", encoding="utf-8")
    assert run_cli(["build", "la.md"], cwd=tmp_path).exit_code == 0
    import_apkg(anki_collection, tmp_path / "output" / "linear-algebra.apkg")
    col = anki_collection
    assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {"Linear Algebra"}

    result = run_cli(["build", "la.md", "--deck", "Maths::Semester 1", "-o", "named"], cwd=tmp_path)
    assert result.exit_code == 0 and "deck 'Maths::Semester 1'" in result.output
    assert [p.name for p in (tmp_path / "named").glob("*.apkg")] == ["maths-semester-1.apkg"]

    assert run_cli(["sheet", "la.md", "-o", "la.html"], cwd=tmp_path).exit_code == 0
    assert "<title>Linear Algebra</title>" in (tmp_path / "la.html").read_text(encoding="utf-8")
    assert run_cli(["sheet", "la.md", "-o", "t.html", "--title", "Exam prep"], cwd=tmp_path).exit_code == 0
    assert "<title>Exam prep</title>" in (tmp_path / "t.html").read_text(encoding="utf-8")

    notes.write_text(notes.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    result = run_cli(["build", "la.md", "-o", "untitled"], cwd=tmp_path)
    assert result.exit_code == 0 and "deck 'la'" in result.output


def test_a_folder_deck_keeps_the_folder_name_and_a_cached_rebuild_follows_a_new_title(tmp_path):
    """A folder of notes is named after the folder even when its files have titles; the
    title is read afresh on each build, so changing it renames the deck even with a cache."""
    from conftest import run_cli

    notes = tmp_path / "rocks"
    notes.mkdir()
    (notes / "igneous.org").write_text("#+TITLE: Igneous Rocks\n* Kinds\n- Basalt :: a dark volcanic rock\n",
                                       encoding="utf-8")
    result = run_cli(["build", "rocks"], cwd=tmp_path)
    assert result.exit_code == 0 and "deck 'rocks'" in result.output
    single = notes / "igneous.org"
    assert "deck 'Igneous Rocks'" in run_cli(["build", "rocks/igneous.org"], cwd=tmp_path).output
    assert "up to date" in run_cli(["build", "rocks/igneous.org"], cwd=tmp_path).output
    single.write_text(single.read_text(encoding="utf-8").replace("Igneous Rocks", "Volcanic Rocks"),
                      encoding="utf-8")
    result = run_cli(["build", "rocks/igneous.org"], cwd=tmp_path)
    assert result.exit_code == 0 and "deck 'Volcanic Rocks'" in result.output
    assert (tmp_path / "output" / "volcanic-rocks.apkg").is_file()
