"""CI releases: CSV import into real Anki, reproducible builds, the manifest, check and diff."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_unreadable, run_cli
from generator import __version__
from generator.cards import CLOZE, LIST, Card, Source
from generator.check import empty_side
from generator.diff import Changes, Seen, as_markdown

NOTES = """# Chemistry
- Catalyst: a substance that speeds up a reaction without being consumed
- Three noble gases: helium, neon, argon
- What is the pH of pure water? :: 7
"""


def import_csv(col: object, path: Path) -> object:
    """Import a text file into `col` the way Anki's File > Import does, with the file's own header."""
    from anki.import_export_pb2 import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), None)  # type: ignore[attr-defined]
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))  # type: ignore[attr-defined]


def test_csv_import_into_anki_updates_on_second_import(tmp_path: Path, anki_collection: object) -> None:
    col = anki_collection
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    assert run_cli(["build", "notes.md", "--format", "csv", "-o", "out"], tmp_path).exit_code == 0
    csv_file = tmp_path / "out" / "notes.csv"
    metadata = col.get_csv_metadata(str(csv_file), None)  # type: ignore[attr-defined]
    assert metadata.guid_column == 3 and metadata.is_html
    import_csv(col, csv_file)
    assert col.note_count() == 3  # type: ignore[attr-defined]
    first_ids = sorted(col.find_notes(""))  # type: ignore[attr-defined]
    water = col.get_note(col.find_notes("pH")[0])  # type: ignore[attr-defined]
    assert water.note_type()["name"] == "Basic" and water.fields[1].startswith("7<div")

    # The answer changes in the notes; the lock keeps the card's GUID, so Anki updates the note.
    (tmp_path / "notes.md").write_text(NOTES.replace(":: 7", ":: 7 at 25 °C"), encoding="utf-8")
    assert run_cli(["build", "notes.md", "--format", "csv", "-o", "out"], tmp_path).exit_code == 0
    log = import_csv(col, csv_file)
    assert col.note_count() == 3  # type: ignore[attr-defined]
    assert sorted(col.find_notes("")) == first_ids  # type: ignore[attr-defined]
    water = col.get_note(col.find_notes("pH")[0])  # type: ignore[attr-defined]
    assert water.fields[1].startswith("7 at 25 °C<div")
    assert len(log.log.updated) == 1 and not log.log.new  # type: ignore[attr-defined]
    deck_names = {d.name for d in col.decks.all_names_and_ids()}  # type: ignore[attr-defined]
    assert "notes" in deck_names


def test_csv_import_keeps_cloze_and_tags(tmp_path: Path, anki_collection: object) -> None:
    col = anki_collection
    (tmp_path / "bio.md").write_text(
        "---\ntags: [biology, cell parts]\n---\n# Cells\n- The ==mitochondria== make ATP\n",
        encoding="utf-8")
    assert run_cli(["extract", "bio.md", "--format", "csv", "-o", "bio.csv"], tmp_path).exit_code == 0
    import_csv(col, tmp_path / "bio.csv")
    [nid] = col.find_notes("")  # type: ignore[attr-defined]
    note = col.get_note(nid)  # type: ignore[attr-defined]
    assert note.note_type()["name"] == "Cloze"
    assert sorted(note.tags) == ["biology", "cell_parts"]
    card = note.cards()[0]
    assert "[...]" in card.question() and "mitochondria" in card.answer()


GOLGI = """# Organelles
- What does the Golgi apparatus do? :: packages proteins for export
- What does a centriole organise? :: the spindle fibres in cell division
"""


def test_extract_and_sheet_keep_the_guids_build_gives_and_never_write_the_lock(
        tmp_path: Path, anki_collection: object) -> None:
    """After a small edit the lock keeps a card's GUID in `build`; `extract` must give the same
    one (read the lock, never write it), or re-importing its CSV makes a second note."""
    col = anki_collection
    notes = tmp_path / "cells.md"
    notes.write_text(GOLGI, encoding="utf-8")
    assert run_cli(["extract", "cells.md", "--format", "csv", "-o", "v1.csv"], tmp_path).exit_code == 0
    assert not (tmp_path / "notedeck.lock").exists()  # extract never writes the lock
    import_csv(col, tmp_path / "v1.csv")
    assert run_cli(["build", "cells.md", "--format", "jsonl", "-o", "out"], tmp_path).exit_code == 0
    lock = (tmp_path / "notedeck.lock").read_bytes()
    notes.write_text(GOLGI.replace("Golgi apparatus do?", "Golgi apparatus do in a cell?"), encoding="utf-8")
    assert run_cli(["extract", "cells.md", "--format", "csv", "-o", "v2.csv"], tmp_path).exit_code == 0
    assert run_cli(["sheet", "cells.md", "-o", "sheet/cells.html"], tmp_path).exit_code == 0
    assert (tmp_path / "notedeck.lock").read_bytes() == lock  # read, not written
    import_csv(col, tmp_path / "v2.csv")
    assert col.note_count() == 2  # type: ignore[attr-defined]  # updated in place, no duplicate
    [golgi] = col.find_notes("Golgi")  # type: ignore[attr-defined]
    assert "in a cell" in col.get_note(golgi).fields[0]  # type: ignore[attr-defined]
    assert run_cli(["build", "cells.md", "--format", "jsonl", "-o", "out"], tmp_path).exit_code == 0
    built = [json.loads(ln)["guid"] for ln in (tmp_path / "out" / "cells.jsonl").read_text().splitlines()]
    extracted = run_cli(["extract", "cells.md"], tmp_path).stdout  # type: ignore[attr-defined]
    assert [json.loads(ln)["guid"] for ln in extracted.splitlines()] == built
    fresh = run_cli(["extract", "cells.md", "--no-lock"], tmp_path).stdout  # type: ignore[attr-defined]
    assert [json.loads(ln)["guid"] for ln in fresh.splitlines()] != built


def test_the_folder_a_build_runs_from_changes_no_byte(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Cards name their notes file relative to the notes root given (here without a config),
    so the Source field, the lock and every output are the same from any folder."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    notes = tmp_path / "notes"
    (notes / "alpine").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (notes / "rivers.md").write_text("# Rivers\n- The Danube is a river that flows into the Black Sea\n",
                                     encoding="utf-8")
    (notes / "alpine" / "lakes.md").write_text("# Lakes\n- Lake Geneva is a lake on the Rhone\n",
                                               encoding="utf-8")
    runs = [(tmp_path, "notes"), (notes, "."), (tmp_path / "elsewhere", "../notes"), (notes / "alpine", "..")]
    built = []
    for n, (cwd, given) in enumerate(runs):
        out = tmp_path / f"out{n}"
        args = ["build", given, "--deck", "Water", "-o", str(out), "--format", "apkg,jsonl,csv", "--no-cache"]
        assert run_cli(args, cwd).exit_code == 0
        built.append(artifacts(out))
        (notes / "notedeck.lock").unlink()
    assert all(b == built[0] for b in built)
    rows = (tmp_path / "out0" / "water.jsonl").read_text(encoding="utf-8")
    assert '"path": "rivers.md"' in rows and '"path": "alpine/lakes.md"' in rows
    places = [(tmp_path, "notes/rivers.md"), (notes, "rivers.md"),
              (tmp_path / "elsewhere", "../notes/rivers.md")]
    single = [run_cli(["extract", path], cwd).stdout for cwd, path in places]  # type: ignore[attr-defined]
    assert single[0] == single[1] == single[2] and '"path": "rivers.md"' in single[0]


CONFIG = """[[deck]]
name = "Science::Chemistry"
sources = ["notes/*.md"]
formats = ["apkg", "jsonl", "csv", "sheet-html"]
tags = ["science"]
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def notes_repo(folder: Path) -> Path:
    """A small notes repository: config, two notes files, an image."""
    (folder / "notes").mkdir(parents=True)
    (folder / "notedeck.toml").write_text(CONFIG, encoding="utf-8")
    (folder / "notes" / "chem.md").write_text(NOTES + "- Benzene ring: ![ring](ring.png)\n", encoding="utf-8")
    (folder / "notes" / "ring.png").write_bytes(PNG)
    (folder / "notes" / "bio.md").write_text("# Cells\n- The ==mitochondria== make ATP\n"
                                           "- Osmosis: diffusion of water through a membrane\n",
                                           encoding="utf-8")
    return folder


def artifacts(folder: Path) -> dict[str, str]:
    """sha256 of every file in `folder`, by name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_two_builds_in_different_folders_at_different_times_are_byte_identical(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = notes_repo(tmp_path / "src")
    first, second = tmp_path / "a" / "repo", tmp_path / "b" / "elsewhere"
    shutil.copytree(source, first)
    assert run_cli(["build"], first).exit_code == 0
    time.sleep(1.2)
    shutil.copytree(source, second)
    assert run_cli(["build"], second).exit_code == 0
    built = artifacts(first / "output")
    assert set(built) == {"science-chemistry.apkg", "science-chemistry.jsonl", "science-chemistry.csv",
                          "science-chemistry.html", "manifest.json"}
    assert built == artifacts(second / "output")
    assert (first / "notedeck.lock").read_bytes() == (second / "notedeck.lock").read_bytes()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_fresh_clones_of_one_commit_build_identical_decks(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """CI checks out the notes anew each time, so file times differ; the commit time does not."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    origin = notes_repo(tmp_path / "origin")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(origin)], check=True)
    subprocess.run([*git, "-C", str(origin), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(origin), "commit", "-qm", "notes"], check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": "2024-07-01T12:00:00Z",
                        "GIT_AUTHOR_DATE": "2024-07-01T12:00:00Z"})
    results = []
    for name in ("ci-1", "ci-2"):
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
        assert run_cli(["build"], clone).exit_code == 0
        results.append(artifacts(clone / "output"))
        manifest = json.loads((clone / "output" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["revision"] and len(manifest["revision"]) >= 40
        time.sleep(1.1)
    assert results[0] == results[1]


def test_source_date_epoch_sets_every_timestamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = notes_repo(tmp_path / "r")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run_cli(["build", "--no-lock"], repo).exit_code == 0
    first = artifacts(repo / "output")
    (repo / "notes" / "bio.md").touch()  # a newer file time must not matter
    assert run_cli(["build", "--no-lock"], repo).exit_code == 0
    assert artifacts(repo / "output") == first
    with zipfile.ZipFile(repo / "output" / "science-chemistry.apkg") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        data = z.read("collection.anki2")
    db = tmp_path / "c.anki2"
    db.write_bytes(data)
    col = sqlite3.connect(db)
    assert {m for (m,) in col.execute("select mod from notes")} == {1700000000}
    col.close()


def test_manifest_lists_counts_and_hashes_that_match_the_files(tmp_path: Path) -> None:
    repo = notes_repo(tmp_path / "r")
    assert run_cli(["build"], repo).exit_code == 0
    out = repo / "output"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notedeck"] == __version__
    [deck] = manifest["decks"]
    assert deck["name"] == "Science::Chemistry" and deck["notes_files"] == 2
    assert deck["cards_by_type"] == {"basic": 4, "cloze": 1, "list": 1}
    assert deck["cards"] == 6 == len((out / "science-chemistry.jsonl").read_text().splitlines())
    assert {f["path"] for f in deck["files"]} == {p.name for p in out.iterdir()} - {"manifest.json"}
    for f in deck["files"]:
        data = (out / f["path"]).read_bytes()
        assert f["sha256"] == hashlib.sha256(data).hexdigest() and f["size"] == len(data)
    with zipfile.ZipFile(out / "science-chemistry.apkg") as z:
        db = tmp_path / "c.anki2"
        db.write_bytes(z.read("collection.anki2"))
    col = sqlite3.connect(db)
    (decks_json,) = col.execute("select decks from col").fetchone()
    col.close()
    descriptions = [d["desc"] for d in json.loads(decks_json).values() if d["name"] == "Science::Chemistry"]
    assert descriptions and __version__ in descriptions[0]


def test_manifest_keeps_decks_built_earlier_into_the_same_folder(tmp_path: Path) -> None:
    repo = notes_repo(tmp_path / "r")
    (repo / "notedeck.toml").write_text(
        CONFIG + '\n[[deck]]\nname = "Biology"\nsources = ["notes/bio.md"]\nformats = ["jsonl"]\n',
        encoding="utf-8")
    assert run_cli(["build"], repo).exit_code == 0
    assert run_cli(["build", "Biology"], repo).exit_code == 0
    manifest = json.loads((repo / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in manifest["decks"]] == ["Biology", "Science::Chemistry"]
    (repo / "output" / "science-chemistry.csv").unlink()
    assert run_cli(["build", "Biology"], repo).exit_code == 0
    manifest = json.loads((repo / "output" / "manifest.json").read_text(encoding="utf-8"))
    chem = manifest["decks"][1]
    assert "science-chemistry.csv" not in {f["path"] for f in chem["files"]}


def check_run(repo: Path, *args: str, github: bool = False) -> object:
    """`notedeck check ARGS` in `repo`, inside or outside GitHub Actions."""
    return run_cli(["check", *args], repo, {"GITHUB_ACTIONS": "true" if github else "false"})


def test_check_passes_a_clean_repository_and_writes_nothing(tmp_path: Path) -> None:
    repo = notes_repo(tmp_path / "r")
    assert run_cli(["build"], repo).exit_code == 0
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    result = check_run(repo, "--strict", "--frozen", github=True)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "check ok: 6 cards in 1 deck, 0 errors, 0 warnings\n"
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before


def test_check_fills_the_cache_the_following_build_uses(tmp_path: Path, own_cache: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """As in CI (`check`, then `build`): the build after a check extracts no file again and
    writes the bytes of a build without the check; a check from the cache reports exactly what
    a fresh one does; `--no-cache` leaves the cache alone."""
    # as the release workflow does: the two builds below write their notes a second apart
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    repo = notes_repo(tmp_path / "r")
    with (repo / "notes" / "chem.md").open("a", encoding="utf-8") as f:
        f.write("- Bond angle: ![angle](https://example.org/a.png)\n")  # a warning to carry
    (repo / "notes" / "todo.md").write_text("\n", encoding="utf-8")  # an error to carry
    fresh = check_run(repo, "--no-cache")
    assert not list(own_cache.glob("cards/*/*"))
    checked = check_run(repo)
    assert list(own_cache.glob("cards/*/*"))
    again = check_run(repo)
    said = [(r.exit_code, r.stdout, r.stderr) for r in (fresh, checked, again)]
    assert said[0] == said[1] == said[2]
    assert "1 error, 1 warning" in fresh.stdout
    built = run_cli(["build", "--stats"], repo)
    assert built.exit_code == 0, built.stderr
    assert "3 of 3 notes files from the cache" in built.stderr
    reference = notes_repo(tmp_path / "reference")
    shutil.copy(repo / "notes" / "chem.md", reference / "notes" / "chem.md")
    shutil.copy(repo / "notes" / "todo.md", reference / "notes" / "todo.md")
    assert run_cli(["build", "--no-cache"], reference).exit_code == 0
    assert artifacts(repo / "output") == artifacts(reference / "output")


@pytest.mark.parametrize(("line", "message"), [
    ("- Anion: ![ion](anion.png)", "image anion.png not found"),
    ("- Energy: $E = mc^2", "unbalanced math delimiters"),
    ("- Secret: ![key](../../outside.png)", "is outside the notes folder"),
])
def test_check_fails_on_broken_cards_with_an_annotation(tmp_path: Path, line: str, message: str) -> None:
    repo = notes_repo(tmp_path / "r")
    (tmp_path / "outside.png").write_bytes(PNG)
    with (repo / "notes" / "chem.md").open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    result = check_run(repo, github=True)
    assert result.exit_code == 1
    assert "notes/chem.md:6: error: " in result.stderr and message in result.stderr
    [annotation] = [a for a in result.stdout.splitlines() if a.startswith("::")]
    assert annotation.startswith("::error file=notes/chem.md,line=6::") and message in annotation
    assert result.stdout.endswith("1 error, 0 warnings\n")
    assert check_run(repo).stdout.count("::") == 0  # annotations only under GitHub Actions


def test_check_warnings_fail_only_when_strict(tmp_path: Path) -> None:
    repo = notes_repo(tmp_path / "r")
    with (repo / "notes" / "chem.md").open("a", encoding="utf-8") as f:
        f.write("- Bond angle: ![angle](https://example.org/a.png)\n")
    relaxed = check_run(repo, github=True)
    assert relaxed.exit_code == 0
    assert "notes/chem.md:6: warning: image https://example.org/a.png is a URL" in relaxed.stderr
    assert "::warning file=notes/chem.md,line=6::image https%3A" not in relaxed.stdout  # values keep ':'
    assert "::warning file=notes/chem.md,line=6::image https://example.org/a.png" in relaxed.stdout
    strict = check_run(repo, "--strict", github=True)
    assert strict.exit_code == 1
    assert "::error file=notes/chem.md,line=6::image https://example.org/a.png" in strict.stdout


def test_check_reports_empty_and_unreadable_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = notes_repo(tmp_path / "r")
    (repo / "notes" / "todo.md").write_text("\n\n", encoding="utf-8")
    (repo / "notes" / "locked.md").write_text("- Ion: a charged atom\n", encoding="utf-8")
    make_unreadable(monkeypatch, "locked.md")
    result = check_run(repo, github=True)
    assert result.exit_code == 1
    assert "notes/todo.md: error: no notes in this file (empty)" in result.stderr
    assert "notes/locked.md: error: cannot read" in result.stderr and "Permission denied" in result.stderr
    assert "::error file=notes/todo.md::no notes in this file (empty)" in result.stdout
    assert result.stdout.endswith("2 errors, 0 warnings\n")


def test_check_finds_duplicate_guids_across_decks(tmp_path: Path) -> None:
    repo = notes_repo(tmp_path / "r")
    (repo / "notedeck.toml").write_text(
        CONFIG + '\n[[deck]]\nname = "Biology"\nsources = ["notes/bio.md"]\n', encoding="utf-8")
    result = check_run(repo)
    assert result.exit_code == 1
    assert result.stderr.count("is also used by notes/bio.md") == 2
    assert "Anki would keep only one" in result.stderr


def test_check_frozen_fails_when_the_lock_is_out_of_date(tmp_path: Path) -> None:
    repo = notes_repo(tmp_path / "r")
    assert check_run(repo, "--frozen").exit_code == 1  # never built: no lock
    assert run_cli(["build"], repo).exit_code == 0
    assert check_run(repo, "--frozen").exit_code == 0
    with (repo / "notes" / "bio.md").open("a", encoding="utf-8") as f:
        f.write("- Ribosome: where proteins are made\n")
    assert check_run(repo).exit_code == 0
    stale = check_run(repo, "--frozen", github=True)
    assert stale.exit_code == 1
    assert "notedeck.lock: error: the lock file is out of date" in stale.stderr
    assert "::error file=notedeck.lock::the lock file is out of date" in stale.stdout
    assert run_cli(["build"], repo).exit_code == 0
    assert check_run(repo, "--frozen").exit_code == 0


def test_check_reports_config_errors_with_file_and_line(tmp_path: Path) -> None:
    repo = notes_repo(tmp_path / "r")
    (repo / "notedeck.toml").write_text(CONFIG.replace("tags =", "tag ="), encoding="utf-8")
    result = check_run(repo, github=True)
    assert result.exit_code == 1
    assert "notedeck.toml:5: error: unknown key 'tag'" in result.stderr
    assert "::error file=notedeck.toml,line=5::unknown key 'tag'" in result.stdout


@pytest.mark.parametrize(("card", "why"), [
    (Card("", "an answer", Source("n.md", 1, 1)), "empty question"),
    (Card("What is it?", " ", Source("n.md", 1, 1)), "empty answer"),
    (Card("No deletion here", "", Source("n.md", 1, 1), type=CLOZE), "without a deletion"),
    (Card("What are they?", "", Source("n.md", 1, 1), type=LIST), "without items"),
])
def test_empty_sides_are_found(card: Card, why: str) -> None:
    assert why in (empty_side(card) or "")
    assert empty_side(Card("What is it?", "this", Source("n.md", 1, 1))) is None


def two_releases(tmp_path: Path, *extra: str) -> Path:
    """Build v1 of the notes, edit them (one answer changed, one card gone, one new), build v2."""
    repo = notes_repo(tmp_path / "r")
    assert run_cli(["build", "-o", "v1", *extra], repo).exit_code == 0
    chem = repo / "notes" / "chem.md"
    text = chem.read_text(encoding="utf-8").replace(":: 7", ":: 7 at 25 °C")
    text = text.replace("- Catalyst: a substance that speeds up a reaction without being consumed\n", "")
    chem.write_text(text + "- Isotope: an atom with another number of neutrons\n", encoding="utf-8")
    assert run_cli(["build", "-o", "v2", *extra], repo).exit_code == 0
    return repo


@pytest.mark.parametrize("kind", ["apkg", "jsonl", "csv"])
def test_diff_of_two_real_builds(tmp_path: Path, kind: str) -> None:
    repo = two_releases(tmp_path)
    name = f"science-chemistry.{kind}"
    result = run_cli(["diff", f"v1/{name}", f"v2/{name}"], repo)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 added, 1 changed, 1 removed (6 cards before, 6 after)"
    assert lines[1].startswith("+ [Science::Chemistry] What is Isotope? -> an atom with another number")
    assert lines[2] == "~ [Science::Chemistry] What is the pH of pure water?"
    assert lines[3] == "    answer: 7 -> 7 at 25 °C"
    assert lines[4] == "- [Science::Chemistry] What is Catalyst?"
    assert len(lines) == 5


def test_diff_writes_markdown_release_notes_for_build_folders(tmp_path: Path) -> None:
    repo = two_releases(tmp_path)
    result = run_cli(["diff", "v1", "v2", "--markdown", "--title", "Changes in v2", "-o", "notes.md"], repo)
    assert result.exit_code == 0
    notes = (repo / "notes.md").read_text(encoding="utf-8")
    assert notes.startswith("## Changes in v2\n\n**1 added, 1 changed, 1 removed** (6 → 6 cards)\n")
    assert "### Added\n\n- **What is Isotope?** — an atom with another number of neutrons" in notes
    assert "answer ~~7~~ → 7 at 25 °C" in notes
    assert "### Removed\n\n- ~~What is Catalyst?~~ (Science::Chemistry)" in notes
    same = run_cli(["diff", "v2", "v2", "--markdown"], repo)
    assert "**0 added, 0 changed, 0 removed**" in same.stdout and "No card changed." in same.stdout


def test_diff_counts_tombstones_as_removed_and_refuses_mixed_kinds(tmp_path: Path) -> None:
    repo = two_releases(tmp_path, "--tombstones")
    result = run_cli(["diff", "v1/science-chemistry.apkg", "v2/science-chemistry.apkg"], repo)
    assert result.stdout.startswith("1 added, 1 changed, 1 removed")
    mixed = run_cli(["diff", "v1/science-chemistry.apkg", "v2/science-chemistry.jsonl"], repo)
    assert mixed.exit_code == 2 and "cannot compare .apkg with .jsonl" in mixed.stderr
    missing = run_cli(["diff", "v0", "v2"], repo)
    assert missing.exit_code == 2 and "no such file or folder: v0" in missing.stderr


def test_markdown_escapes_card_text() -> None:
    changes = Changes(added=[Seen("g", "What does *ptr [x](y) | <b> do?", "", "D")], after=1)
    line = as_markdown(changes).splitlines()[6]
    assert line == "- **What does \\*ptr \\[x\\]\\(y\\) \\| \\<b\\> do?** — (empty) (D)"


def workflow_commands(path: Path) -> list[str]:
    """The `notedeck ...` command lines of a workflow's steps, in order."""
    steps = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["release"]["steps"]
    lines = [line.strip() for s in steps for line in s.get("run", "").splitlines()]
    found = []
    for line in lines:
        if "notedeck " in line and not line.startswith("#"):
            found.append(line[line.index("notedeck "):].split(" -o ")[0] if "diff" in line else
                         line[line.index("notedeck "):])
    return found


def test_the_release_workflow_commands_work_on_this_repository(tmp_path: Path) -> None:
    workflow = ROOT / ".github" / "workflows" / "decks.yml"
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert data[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    commands = workflow_commands(workflow)
    assert [c.split()[1] for c in commands] == ["check", "build", "diff"]
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples", repo / "examples")
    for name in ("notedeck.toml", "notedeck.lock"):
        shutil.copy(ROOT / name, repo / name)
    check, build, diff = commands
    assert run_cli(shlex.split(check)[1:], repo).exit_code == 0
    env = {"SOURCE_DATE_EPOCH": "1720000000"}
    assert run_cli(shlex.split(build)[1:], repo, env).exit_code == 0
    assert (repo / "output" / "manifest.json").is_file()
    shutil.copytree(repo / "output", repo / "previous")
    args = shlex.split(diff.replace("$previous", "v0"))[1:]
    result = run_cli([*args, "-o", "release-notes.md"], repo)
    assert result.exit_code == 0
    notes = (repo / "release-notes.md").read_text(encoding="utf-8")
    assert notes.startswith("## Card changes since v0\n\n**0 added, 0 changed, 0 removed**")


def test_test_workflow_runs_the_readme_command_on_every_supported_python() -> None:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8"))
    job = data["jobs"]["test"]
    assert job["strategy"]["matrix"]["python"] == ["3.10", "3.11", "3.12", "3.13"]
    runs = [s.get("run", "") for s in job["steps"]]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m pytest" in runs and "\npython -m pytest " in readme
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_mypy_is_configured_for_the_package_and_installed_with_the_tests() -> None:
    """`mypy` with no arguments checks `generator/` as Python 3.10, and the test extra brings it."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mypy = project["tool"]["mypy"]
    assert mypy["files"] == ["generator"] and mypy["python_version"] == "3.10"
    assert mypy["check_untyped_defs"] and mypy["warn_unused_ignores"]
    assert any(re.match(r"mypy\b", dep) for dep in project["project"]["optional-dependencies"]["test"])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "mypy" in ci and ci.index("mypy") < ci.index("python -m pytest")  # CI fails on a type error
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8"))
    steps = [step.get("run") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "mypy" in steps


def test_pre_commit_hook_runs_check() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "notedeck-check" and hook["entry"] == "notedeck check"
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "notes/go.md") and re.search(hook["files"], "notedeck.lock")


def test_readme_config_example_is_valid(tmp_path: Path) -> None:
    from generator import config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration"):]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None
    (tmp_path / "notedeck.toml").write_text(block.group(1), encoding="utf-8")
    decks = config.load(tmp_path / "notedeck.toml")
    assert [d.name for d in decks] == ["GopherCon 2024 Notes", "Biology::Cells"]
    assert decks[1].extractors_off == ("fact",) and decks[1].min_score == 0.5
