"""CI releases: CSV import into real Anki, reproducible builds, the manifest, check and diff."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli

NOTES = """# Chemistry
- Catalyst: a substance that speeds up a reaction without being consumed
- Noble gases: helium, neon, argon
- What is the pH of pure water? :: 7
"""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> object:
    """Run the CLI in `cwd` as a user would; returns click's result."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args, env=env or {}, catch_exceptions=False)
    finally:
        os.chdir(old)


def import_csv(col: object, path: Path) -> object:
    """Import a text file into `col` the way Anki's File > Import does, with the file's own header."""
    from anki.import_export_pb2 import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), None)  # type: ignore[attr-defined]
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))  # type: ignore[attr-defined]


def test_csv_import_into_anki_updates_on_second_import(tmp_path: Path, anki_collection: object) -> None:
    col = anki_collection
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    assert run(["build", "notes.md", "--format", "csv", "-o", "out"], tmp_path).exit_code == 0
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
    assert run(["build", "notes.md", "--format", "csv", "-o", "out"], tmp_path).exit_code == 0
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
    assert run(["extract", "bio.md", "--format", "csv", "-o", "bio.csv"], tmp_path).exit_code == 0
    import_csv(col, tmp_path / "bio.csv")
    [nid] = col.find_notes("")  # type: ignore[attr-defined]
    note = col.get_note(nid)  # type: ignore[attr-defined]
    assert note.note_type()["name"] == "Cloze"
    assert sorted(note.tags) == ["biology", "cell_parts"]
    card = note.cards()[0]
    assert "[...]" in card.question() and "mitochondria" in card.answer()
