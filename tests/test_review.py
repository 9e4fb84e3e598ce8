"""The review screen driven as a person drives it (Textual's pilot): accept, reject, edit, quit
midway, resume, undo; then the notes change and the decisions still hold through a rebuild."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import yaml

import generator
from conftest import import_apkg, run_cli
from generator.pipeline import review_targets
from generator.review import ACCEPTED, REJECTED, Decisions
from generator.review_tui import ReviewApp, parse_edited

NOTES = """\
# Cells

- Mitochondria is the organelle that makes ATP for the cell
- Ribosomes are the organelles that build proteins from amino acids
- The nucleus is the organelle that holds the genetic material
- DNA was first described in 1869
- Osmosis is the movement of water across a membrane
- Lysosomes are organelles that break down waste
"""


def open_review(folder: Path) -> ReviewApp:
    found, decisions = review_targets(["notes.md"], cwd=folder)
    pending = [r for ex in found for r in decisions.pending(ex.cards)]
    return ReviewApp(pending, decisions, {f.display: f.path for ex in found for f in ex.files})


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def progress(app: ReviewApp) -> str:
    return str(app.query_one("#progress").render())


def decisions_file(folder: Path) -> dict:
    return yaml.safe_load((folder / "notedeck.review.yaml").read_text(encoding="utf-8"))


def test_review_session_then_rebuild_keeps_every_decision(tmp_path, monkeypatch, anki_collection):
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")

    app = open_review(tmp_path)
    total = len(app.items)
    assert total >= 5
    first, second, third = (app.items[i].card for i in range(3))

    async def first_session() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            assert progress(app).startswith(f"1 / {total}")
            await pilot.press("a")  # accept the first card
            await pilot.press("r")  # reject the second
            assert progress(app).startswith(f"3 / {total}")
            await pilot.press("e")  # edit the third inline
            await pilot.press("ctrl+u")
            await type_text(pilot, "What holds the genetic material?")
            await pilot.press("enter")
            await pilot.press("ctrl+u")
            await type_text(pilot, "the nucleus")
            await pilot.press("enter")
            assert progress(app).startswith(f"4 / {total}")
            await pilot.press("q")  # quit midway

    asyncio.run(first_session())
    saved = {d["guid"]: d for d in decisions_file(tmp_path)["cards"]}
    assert saved[first.guid]["status"] == ACCEPTED
    assert saved[second.guid]["status"] == REJECTED
    assert saved[third.guid]["status"] == ACCEPTED
    assert saved[third.guid]["edited_question"] == "What holds the genetic material?"
    assert saved[third.guid]["edited_answer"] == "the nucleus"

    resumed = open_review(tmp_path)  # resume: only the undecided cards are left, and one more:
    left = total - 3 + 1  # the rejected card no longer wins its line's merge: the line's cloze waits
    assert len(resumed.items) == left
    assert [r.card.source.line for r in resumed.items].count(second.source.line) == 1
    fourth = resumed.items[0].card

    async def second_session() -> None:
        async with resumed.run_test(size=(100, 40)) as pilot:
            assert progress(resumed).startswith(f"1 / {left}")
            await pilot.press("a")
            assert fourth.guid in Decisions.load(tmp_path / "notedeck.review.yaml").items
            await pilot.press("u")  # undo: the decision is gone again, and we are back on the card
            assert fourth.guid not in Decisions.load(tmp_path / "notedeck.review.yaml").items
            assert progress(resumed).startswith(f"1 / {left}")
            await pilot.press("s")  # skip it
            assert progress(resumed).startswith(f"2 / {left}")
            await pilot.press("q")

    asyncio.run(second_session())
    assert len(open_review(tmp_path).items) == left

    # Build, then edit the notes: a small change to the rejected card's line, a big one to the
    # edited card's line.
    out = tmp_path / "out"
    assert run_cli(["build", "notes.md", "-o", str(out), "--format", "apkg,jsonl"], tmp_path).exit_code == 0
    before = {c["guid"]: c for c in map(json.loads, (out / "notes.jsonl").read_text().splitlines())}
    assert first.guid in before and second.guid not in before
    assert before[third.guid]["question"] == "What holds the genetic material?"
    text = NOTES.replace("- Ribosomes are the organelles", "- The ribosomes are organelles") \
        .replace("The nucleus is the organelle that holds the genetic material",
                 "The nucleus is the control centre where transcription of genes happens")
    notes.write_text(text, encoding="utf-8")
    rebuilt = run_cli(["build", "notes.md", "-o", str(out), "--format", "apkg,jsonl"], tmp_path)
    assert rebuilt.exit_code == 0
    assert "stale" in rebuilt.stderr
    after = {c["guid"]: c for c in map(json.loads, (out / "notes.jsonl").read_text().splitlines())}
    regenerated = [c for c in generator.extract([notes]).cards if c.source.line == second.source.line]
    assert regenerated and regenerated[0].guid != second.guid  # the small edit changed its identity...
    assert not [c for c in after.values() if c["source"]["line"] == second.source.line]  # ...still out
    assert first.guid in after  # accepted: same GUID
    assert "notedeck::new" not in after[first.guid]["tags"]
    checked = run_cli(["check", "notes.md", "--strict"], tmp_path)
    assert checked.exit_code == 1 and "stale" in checked.stderr
    kept = {d["guid"]: d for d in decisions_file(tmp_path)["cards"]}
    assert kept[third.guid]["edited_answer"] == "the nucleus"  # the edit is kept, not lost

    # The curated release: accepted cards only, imported into a real Anki collection.
    curated = tmp_path / "curated"
    assert run_cli(["build", "notes.md", "-o", str(curated), "--accepted-only"], tmp_path).exit_code == 0
    import_apkg(anki_collection, curated / "notes.apkg")
    guids = {anki_collection.get_note(n).guid for n in anki_collection.find_notes("")}
    assert first.guid in guids
    assert second.guid not in guids and fourth.guid not in guids
    assert not anki_collection.find_notes("tag:notedeck::new")


def test_edit_buffer_parsing():
    """$EDITOR edits come back as question, a `---` line, answer; comments are ignored."""
    assert parse_edited("What is ATP?\n---\nthe cell's energy currency\n# help\n") == \
        ("What is ATP?", "the cell's energy currency")
    assert parse_edited("no separator here") is None
    assert parse_edited("Q\n---\n") is None


def test_edit_in_editor_uses_the_editors_text(tmp_path, monkeypatch):
    """`E` hands the card to $EDITOR (here a script rewriting the answer) and saves its result."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\np = sys.argv[1]\nq = open(p).read().split('---')[0]\n"
                      "open(p, 'w').write(q + '---\\nthe powerhouse of the cell\\n')\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    app = open_review(tmp_path)
    card = app.items[0].card

    async def session() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            app.suspend = _no_suspend  # type: ignore[method-assign]  # headless: nothing to suspend
            await pilot.press("E")
            await pilot.press("q")

    asyncio.run(session())
    saved = {d["guid"]: d for d in decisions_file(tmp_path)["cards"]}
    assert saved[card.guid]["edited_answer"] == "the powerhouse of the cell"


class _NoSuspend:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _no_suspend() -> _NoSuspend:
    return _NoSuspend()



def test_tags_given_in_review_reach_the_deck(tmp_path, monkeypatch):
    """`t` accepts a card with extra tags of the person's; the built deck carries them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    app = open_review(tmp_path)
    card = app.items[0].card

    async def session() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.press("t")
            await type_text(pilot, "exam cell-biology")
            await pilot.press("enter")
            assert progress(app).startswith("2 / ")
            await pilot.press("q")

    asyncio.run(session())
    saved = {d["guid"]: d for d in decisions_file(tmp_path)["cards"]}
    assert saved[card.guid] == {**saved[card.guid], "status": ACCEPTED, "tags": ["exam", "cell-biology"]}
    out = tmp_path / "out"
    assert run_cli(["build", "notes.md", "-o", str(out), "--format", "jsonl"], tmp_path).exit_code == 0
    built = {c["guid"]: c for c in map(json.loads, (out / "notes.jsonl").read_text().splitlines())}
    assert {"exam", "cell-biology"} <= set(built[card.guid]["tags"])
    assert "notedeck::new" not in built[card.guid]["tags"]
