"""Typed options (`options.py`), the writers' reports and the one epilogue of a build: an
option chosen on the command line reaches the stage that uses it, writers change nothing they
are given, and a full build and a patched one end the same way (`incremental.record`)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from conftest import run_cli
from generator import incremental
from generator.cards import Card, Deck, Source
from generator.config import DeckConfig
from generator.extractors import REGISTRY
from generator.options import BuildOptions, ExtractChoices, ExtractSettings, SheetOptions
from generator.plan import plan
from generator.writers import WriteOptions, WriteReport, get_format

NOTES = "# Space\n\n- Jupiter :: the largest planet\n- Mars :: the red planet\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"pixels" * 8


def _deck(**fields: object) -> DeckConfig:
    return dataclasses.replace(DeckConfig("Space", ("notes",), Path("out"), Path(".")), **fields)


def test_a_configured_deck_takes_the_config_unless_the_command_line_chose() -> None:
    deck = _deck(min_score=0.4, extractors_off=("statement",), heading_tags=True, tags=("space",))
    from_config = ExtractChoices().for_deck(deck, lambda: ["explicit", "statement", "list"])
    assert from_config == ExtractSettings(extractors=("explicit", "list"), min_score=0.4, heading_tags=True,
                                          tags=("space",))
    chosen = ExtractChoices(extractors=("explicit",), min_score=0.0, spelling=False, heading_tags=False)
    assert chosen.for_deck(deck, lambda: ["explicit", "statement"]) == ExtractSettings(
        extractors=("explicit",), min_score=0.0, spelling=False, heading_tags=False, tags=("space",))


def test_a_configured_deck_runs_an_opt_in_extractor_only_when_its_config_turns_it_on(tmp_path: Path) -> None:
    """`speaker` is off unless named, in a config as on the command line (a configured deck used
    to run it, since every registered extractor was its default)."""
    (tmp_path / "talks.md").write_text("# Day 1\n\n## Fast Builds - Ada Lovelace\n\n- Caches :: skip work\n",
                                       encoding="utf-8")
    config = '[[deck]]\nname = "Talks"\nsources = ["talks.md"]\n'
    for table, runs in (("", False), ("extractors = { speaker = true }\n", True),
                        ("extractors = { speaker = true, fact = false }\n", True)):
        (tmp_path / "notedeck.toml").write_text(config + table, encoding="utf-8")
        [job], _ = plan([], BuildOptions(cwd=tmp_path))
        runs_now = job.settings.extractors or [name for name, _ in REGISTRY.select(None)]
        assert ("speaker" in runs_now) is runs, table
        assert "explicit" in runs_now
        assert ("fact" in runs_now) is ("fact = false" not in table)


def test_notes_without_a_config_take_the_defaults_where_nothing_was_chosen() -> None:
    assert ExtractChoices().for_notes() == ExtractSettings()
    assert ExtractChoices(min_score=0.5, reversed_definitions=True).for_notes() == ExtractSettings(
        min_score=0.5, reversed_definitions=True)


def test_build_options_are_frozen_and_take_strings_and_lists(tmp_path: Path) -> None:
    options = BuildOptions(output_dir=str(tmp_path), formats=["apkg", "csv"], extractors=[],
                           template_dirs=[str(tmp_path)])
    assert options.output_dir == tmp_path and options.formats == ("apkg", "csv")
    assert options.extractors is None and options.template_dirs == (tmp_path,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.deck = "other"


def test_a_sheet_layout_chosen_wins_over_the_config_and_the_config_over_the_default() -> None:
    assert SheetOptions.merged({"layout": None, "paper": None}) == SheetOptions()
    assert SheetOptions.merged({"layout": "quiz", "paper": None}, {"layout": "cards", "paper": "letter"}) \
        == SheetOptions(layout="quiz", paper="letter")


def test_plan_hands_each_job_typed_settings_and_an_output_spec(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    jobs, lock = plan([tmp_path / "notes.md"], BuildOptions(
        output_dir=tmp_path / "out", formats=("jsonl",), min_score=0.3, spelling=False, paper="letter"))
    [job] = jobs
    assert job.settings == ExtractSettings(min_score=0.3, spelling=False)
    assert job.output.folder == tmp_path / "out" and job.output.formats == ("jsonl",)
    assert job.output.sheet == SheetOptions(paper="letter")
    assert lock.name == "notedeck.lock"


@pytest.mark.parametrize("fmt", ["apkg", "csv", "jsonl", "sheet-html"])
def test_writers_report_what_they_wrote_and_change_nothing_given(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "moon.png").write_bytes(PNG)
    card = Card(question="What is this?", answer="![moon](moon.png)", source=Source("n.md", 1, 1),
                guid="g1", deck="Space")
    options = WriteOptions(timestamp=1, notes_root=tmp_path, sources={"n.md": tmp_path / "n.md"},
                           per_file=fmt == "apkg")
    before = dataclasses.replace(options)
    out = tmp_path / f"deck{get_format(fmt).suffix}"
    report = get_format(fmt).write(Deck("Space", (card,)), out, options)
    assert isinstance(report, WriteReport) and out.is_file()
    assert options == before
    looks_at_images = fmt in ("apkg", "sheet-html")
    assert report.images == ({str((tmp_path / "moon.png").resolve()): report.images.get(
        str((tmp_path / "moon.png").resolve()))} if looks_at_images else {})
    if fmt == "apkg":
        assert report.written is not None and list(report.written.ids) == ["n.md"]
    else:
        assert report.written is None


def test_a_full_build_and_a_patched_one_share_one_epilogue(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes").mkdir()
    for name in ("a", "b"):
        (tmp_path / "notes" / f"{name}.md").write_text(NOTES.replace("Space", f"Space {name}"),
                                                       encoding="utf-8")
    recorded: list[tuple[bool, ...]] = []
    real = incremental.record

    def record(*args: object) -> None:
        recorded.append(tuple(b.result.patched for b in args[2]))
        real(*args)

    monkeypatch.setattr(incremental, "record", record)
    env = {"NOTEDECK_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli(["build", "notes", "-o", "out", "-q"], tmp_path, env).exit_code == 0
    notes = tmp_path / "notes" / "a.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("red planet", "red, dusty planet"),
                     encoding="utf-8")
    os.utime(notes, (1_800_000_000, 1_800_000_000))
    patched = run_cli(["build", "notes", "-o", "out", "-q", "--stats"], tmp_path, env)
    assert "the last build patched" in patched.stderr
    again = run_cli(["build", "notes", "-o", "out", "-q"], tmp_path, env)
    assert again.stdout.startswith("up to date")  # the patched build's stamp holds
    assert recorded == [(False,), (True,)]
