"""Decisions and state files under stress: concurrent writers of the review file and the lock,
a decision made while a build runs, decisions against duplicate merging, tombstones of a
curated release, a damaged cache, and hand-edited state files with wrong types."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli
from generator.review import REVIEW_NAME

NOTES = """\
# Astronomy

- Which planet is the largest in the solar system? :: Jupiter
- Which planet is closest to the sun? :: Mercury
- Which planet is the hottest? :: Venus
- What does a light year measure? :: the distance light travels in one year
- Edwin Hubble showed in 1929 that the universe is expanding
"""


VENUS = "Which planet is the hottest?"


def cli(folder: Path, *args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    """Run `notedeck ARGS` in `folder`; with `ok`, it must succeed."""
    result = run_cli(list(args), folder)
    if ok:
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def other_process(folder: Path, *args: str) -> subprocess.Popen[str]:
    """`notedeck ARGS` started in another process (as a second terminal would), in `folder`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def guids(folder: Path) -> dict[str, str]:
    """Question -> GUID of every card of notes.md (rejected ones included)."""
    result = cli(folder, "extract", "notes.md", "--include-rejected")
    return {c["question"]: c["guid"] for c in map(json.loads, result.stdout.splitlines())}


def statuses(folder: Path) -> dict[str, str]:
    """GUID -> status of every decision in the review file."""
    data = yaml.safe_load((folder / REVIEW_NAME).read_text(encoding="utf-8"))
    return {d["guid"]: d["status"] for d in data["cards"]}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    return tmp_path


# Item 9: concurrent accept/reject, concurrent builds


def test_a_decision_saved_by_another_process_meanwhile_is_kept(folder: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`accept` reads the review file, then writes it: a `reject` that another process saves
    in between stays in the file."""
    ids = list(guids(folder).values())
    import generator.review as review

    real_load = review.Decisions.load.__func__  # type: ignore[attr-defined]
    calls = []

    def load(cls: type, path: Path, content: bytes | None = None) -> review.Decisions:
        found = real_load(cls, path, content)
        if not calls:  # the first read: another terminal rejects a card now
            calls.append(path)
            other = other_process(folder, "reject", ids[1], "-n", "notes.md")
            assert other.wait(timeout=120) == 0, other.communicate()
        return found

    monkeypatch.setattr(review.Decisions, "load", classmethod(load))
    cli(folder, "accept", ids[0], "-n", "notes.md")
    assert statuses(folder) == {ids[0]: "accepted", ids[1]: "rejected"}
    assert not list(folder.glob(".*.lck"))  # the lock's file goes with the lock


def test_two_builds_sharing_a_lock_file_keep_both_decks(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Deck B built in another terminal while deck A's build runs: B waits for A, and the lock
    keeps both decks' cards (B used to write its lock, then A wrote over it without B's)."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.md").write_text(NOTES.replace("Astronomy", f"Astronomy {name}"),
                                                  encoding="utf-8")
    (tmp_path / "notedeck.toml").write_text(
        'output = "out"\n[[deck]]\nname = "A"\nsources = ["a"]\nformats = ["jsonl"]\n'
        '[[deck]]\nname = "B"\nsources = ["b"]\nformats = ["jsonl"]\n', encoding="utf-8")
    import generator.rebuild as pipeline  # where the decks are written

    real = pipeline.write_deck
    others: list[tuple[subprocess.Popen[str], str]] = []

    def write_deck(*args: object, **kwargs: object) -> object:
        if not others:  # A is being written: B starts, and says it waits (or, unlocked, just ends)
            other = other_process(tmp_path, "build", "B", "-q")
            assert other.stderr is not None
            others.append((other, other.stderr.readline()))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "write_deck", write_deck)
    cli(tmp_path, "build", "A", "-q")
    other, said = others[0]
    assert other.wait(timeout=120) == 0, other.communicate()
    assert said == "notedeck: waiting for another build using notedeck.lock to finish\n"
    lock = json.loads((tmp_path / "notedeck.lock").read_text(encoding="utf-8"))
    assert {e["deck"] for e in lock["cards"]} == {"A", "B"}
    assert not list(tmp_path.glob(".*.lck"))


# Item 10: a decision made while a build runs


def test_a_reject_made_during_a_build_reaches_the_next_build(folder: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The build applied the review file as it was when it read it; a card rejected while it
    wrote the deck must not be stamped as built: the next build leaves it out."""
    venus = guids(folder)[VENUS]
    import generator.rebuild as pipeline  # where the decks are written

    real = pipeline.write_deck

    def write_deck(*args: object, **kwargs: object) -> object:
        other = other_process(folder, "reject", venus, "-n", "notes.md")  # in another terminal
        assert other.wait(timeout=120) == 0, other.communicate()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "write_deck", write_deck)
    cli(folder, "build", "notes.md", "-o", "out", "--format", "jsonl")
    monkeypatch.setattr(pipeline, "write_deck", real)
    built = [json.loads(line) for line in (folder / "out" / "notes.jsonl").read_text().splitlines()]
    assert VENUS in [c["question"] for c in built]  # built before the reject
    again = cli(folder, "build", "notes.md", "-o", "out", "--format", "jsonl")
    assert not again.stdout.startswith("up to date"), again.stdout
    built = [json.loads(line) for line in (folder / "out" / "notes.jsonl").read_text().splitlines()]
    assert VENUS not in [c["question"] for c in built]


def test_a_reject_made_during_a_patched_build_reaches_the_next_build(folder: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The same when the build patches the last package (one file edited, .apkg only)."""
    venus = guids(folder)[VENUS]
    cli(folder, "build", "notes.md", "-o", "out")
    notes = folder / "notes.md"
    notes.write_text(notes.read_text().replace(":: Jupiter", ":: Jupiter, a gas giant"), encoding="utf-8")
    import generator.incremental as incremental

    real = incremental.patch_package

    def patch_package(*args: object, **kwargs: object) -> object:
        other = other_process(folder, "reject", venus, "-n", "notes.md")
        assert other.wait(timeout=120) == 0, other.communicate()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "patch_package", patch_package)
    stats = cli(folder, "build", "notes.md", "-o", "out", "--stats")
    assert "the last build patched" in stats.stderr
    monkeypatch.setattr(incremental, "patch_package", real)
    again = cli(folder, "build", "notes.md", "-o", "out", "--format", "apkg")
    assert not again.stdout.startswith("up to date"), again.stdout
    assert "4 cards" in again.stdout, again.stdout


# Item 13: decisions first, then duplicates merged

ORGANELLES = """\
# Cells

- Mitochondria is the organelle that makes ATP for the cell
- Ribosomes are the structures that build proteins from amino acids
"""


def test_rejecting_the_card_that_won_a_merge_brings_back_the_runner_up(tmp_path: Path) -> None:
    """Both the definition and the cloze of a line were found; the definition won the merge.
    Rejected, it leaves room for the cloze: listed for review, and in the deck once accepted."""
    (tmp_path / "notes.md").write_text(ORGANELLES, encoding="utf-8")
    winner = guids(tmp_path)["What is Mitochondria?"]
    cli(tmp_path, "reject", winner, "-n", "notes.md")
    listed = cli(tmp_path, "review", "notes.md", "--list").stdout.splitlines()
    runner_up = [line for line in listed if "Mitochondria is {{c1::" in line]
    assert len(runner_up) == 1, listed
    cli(tmp_path, "accept", runner_up[0].split()[0], "-n", "notes.md")
    cli(tmp_path, "build", "notes.md", "-o", "out", "--format", "jsonl")
    built = [json.loads(line) for line in (tmp_path / "out" / "notes.jsonl").read_text().splitlines()]
    assert sorted(c["question"] for c in built) == [
        "Mitochondria is {{c1::the organelle that makes ATP for the cell}}", "What are ribosomes?"]
    # undoing the rejection: both decided, the better card wins the merge again
    cli(tmp_path, "accept", winner, "-n", "notes.md")
    cli(tmp_path, "build", "notes.md", "-o", "out", "--format", "jsonl")
    built = [json.loads(line) for line in (tmp_path / "out" / "notes.jsonl").read_text().splitlines()]
    assert sorted(c["question"] for c in built) == ["What are ribosomes?", "What is Mitochondria?"]


# Item 14: removed means gone from the notes


def test_curated_release_tombstones_only_cards_gone_from_the_notes(folder: Path, anki_collection: object,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`build --accepted-only --tombstones` after one line was deleted: only that line's card is
    sent tagged `notedeck::removed` (and counted as removed); the unreviewed and rejected cards,
    still in the notes, are neither tagged nor counted."""
    from conftest import import_apkg

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    g = guids(folder)
    cli(folder, "build", "notes.md", "-o", "v1")
    import_apkg(anki_collection, folder / "v1" / "notes.apkg")
    cli(folder, "accept", g["Which planet is the largest in the solar system?"],
        g["Which planet is closest to the sun?"], "-n", "notes.md")
    cli(folder, "reject", g[VENUS], "-n", "notes.md")
    notes = folder / "notes.md"
    notes.write_text(notes.read_text().replace("- Which planet is closest to the sun? :: Mercury\n", ""),
                     encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700100000")
    built = cli(folder, "build", "notes.md", "-o", "v2", "--accepted-only", "--tombstones")
    assert "1 removed since the last build" in built.stdout, built.stdout
    import_apkg(anki_collection, folder / "v2" / "notes.apkg")
    gone = anki_collection.find_notes("tag:notedeck::removed")  # type: ignore[attr-defined]
    assert [anki_collection.get_note(n).fields[0] for n in gone] == [  # type: ignore[attr-defined]
        "Which planet is closest to the sun?"]
    lock = json.loads((folder / "notedeck.lock").read_text(encoding="utf-8"))
    removed = [e["question"] for e in lock["cards"] if e["removed"]]
    assert removed == ["Which planet is closest to the sun?"]
    # the next ordinary build finds nothing else removed either
    again = cli(folder, "build", "notes.md", "-o", "v3")
    assert "removed since the last build" not in again.stdout, again.stdout


# Item 15: a damaged cache entry is a miss


def test_a_damaged_cache_entry_is_not_used(tmp_path: Path, own_cache: Path) -> None:
    """A changed byte in the cache (a card's text in the extraction entry, its rendered fields,
    the state of the last build) is found by the entry's checksum: the card is extracted and
    rendered afresh, as it is in the notes, and the lock records no edit."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "planets.md").write_text(NOTES, encoding="utf-8")
    (tmp_path / "notes" / "moons.md").write_text("# Moons\n\n- Which moon of Jupiter is the largest? :: "
                                                 "Ganymede\n", encoding="utf-8")
    cli(tmp_path, "build", "notes", "-o", "out", "--format", "apkg,jsonl")
    lock = (tmp_path / "notes" / "notedeck.lock").read_bytes()
    damaged = 0
    for entry in own_cache.rglob("*"):
        if entry.is_file() and b"Mercury" in entry.read_bytes():
            entry.write_bytes(entry.read_bytes().replace(b"Mercury", b"Mercurx"))
            damaged += 1
    assert damaged >= 2  # the extraction entry and the rendered fields at least
    moons = tmp_path / "notes" / "moons.md"
    moons.write_text(moons.read_text().replace("Ganymede", "Ganymede, larger than Mercury"), encoding="utf-8")
    cli(tmp_path, "build", "notes", "-o", "out", "--format", "apkg,jsonl")
    built = (tmp_path / "out" / "notes.jsonl").read_text(encoding="utf-8")
    assert "Mercurx" not in built and '"answer": "Mercury"' in built
    import zipfile

    with zipfile.ZipFile(tmp_path / "out" / "notes.apkg") as apkg:
        assert not any(b"Mercurx" in apkg.read(name) for name in apkg.namelist())
    before = {e["guid"]: e for e in json.loads(lock)["cards"]}
    after = json.loads((tmp_path / "notes" / "notedeck.lock").read_text(encoding="utf-8"))["cards"]
    assert [e for e in after if "planets" in e["path"] and e != before.get(e["guid"])] == []


# Item 16: hand-edited state files with wrong types


def _third_card(text: str, old: str, new: str) -> str:
    """The lock's text with `old` (a regex) replaced by `new` in its third card's line."""
    import re

    lines = text.split("\n")
    first = lines.index('"cards": [') + 1
    lines[first + 2] = re.sub(old, new, lines[first + 2], count=1)
    return "\n".join(lines)


LOCK_EDITS = {
    "cards not a list": (lambda t: t[:t.index('"cards": [')] + '"cards": "abc"}\n', 3,
                         "`cards` must be a list of card entries"),
    "changed not a number": (lambda t: _third_card(t, r'"changed": \d+', '"changed": "yesterday"'), 6,
                             "'changed' must be a whole number (Unix time), not 'yesterday'"),
    "guid not text": (lambda t: _third_card(t, r'"guid": "\w+"', '"guid": 5'), 6,
                      "'guid' must be text, not 5"),
}


@pytest.mark.parametrize("edit", LOCK_EDITS, ids=list(LOCK_EDITS))
def test_a_lock_with_a_wrong_type_is_bad_input_with_its_line(folder: Path, edit: str) -> None:
    """build exits 2 naming the lock file and the line (not 3, an internal error), leaving the
    lock as it is; check --frozen reports the same line."""
    change, line, message = LOCK_EDITS[edit]
    cli(folder, "build", "notes.md", "-o", "out")
    lock = folder / "notedeck.lock"
    lock.write_text(change(lock.read_text(encoding="utf-8")), encoding="utf-8")
    edited = lock.read_bytes()
    result = cli(folder, "build", "notes.md", "-o", "out", "--no-cache", ok=False)
    assert result.exit_code == 2, result.stderr
    assert f"notedeck.lock:{line}: damaged lock file: {message} (hint: " in result.stderr
    assert result.stderr.count("\n") == 1 and lock.read_bytes() == edited
    checked = cli(folder, "check", "notes.md", "--frozen", ok=False)
    assert checked.exit_code == 1, checked.stderr
    assert f"notedeck.lock:{line}: error: damaged lock file: {message}" in checked.stderr


REVIEW_EDITS = {
    "added deck null": ("added:\n- deck: null\n  question: Which moon is the largest?\n  answer: Ganymede\n",
                        "'deck' is empty"),
    "question a mapping": ("added:\n- deck: notes\n  question: {text: Which moon}\n  answer: Ganymede\n",
                           "'question' must be text, not {'text': 'Which moon'}"),
}


@pytest.mark.parametrize("edit", REVIEW_EDITS, ids=list(REVIEW_EDITS))
def test_a_review_file_with_a_wrong_type_is_bad_input_with_its_line(folder: Path, edit: str) -> None:
    added, message = REVIEW_EDITS[edit]
    cli(folder, "accept", guids(folder)[VENUS], "-n", "notes.md")
    review = folder / REVIEW_NAME
    text = review.read_text(encoding="utf-8")
    review.write_text(text + added, encoding="utf-8")
    line = text.count("\n") + 2
    result = cli(folder, "build", "notes.md", "-o", "out", ok=False)
    assert result.exit_code == 2, result.stderr
    assert f"{REVIEW_NAME}:{line}: wrong value in the review file: {message} (hint: " in result.stderr
    checked = cli(folder, "check", "notes.md", "--frozen", ok=False)
    assert checked.exit_code == 1, checked.stderr
    assert f"{REVIEW_NAME}:{line}: error: wrong value in the review file: {message}" in checked.stderr


# Item 12: an edit whose line changed beyond recognition


def test_an_edit_lost_to_a_big_change_of_its_line_is_reported_and_kept(folder: Path) -> None:
    """The person edited a card in review; then its line was rewritten, so no card matches
    the decision any more. The build warns, quoting the edit, the edit stays in the review
    file, and check --strict fails."""
    cli(folder, "accept", guids(folder)[VENUS], "-n", "notes.md")
    review = folder / REVIEW_NAME
    data = yaml.safe_load(review.read_text(encoding="utf-8"))
    data["cards"][0]["edited_question"] = "Which planet has the hottest surface?"
    data["cards"][0]["edited_answer"] = "Venus, at about 465 °C"
    review.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    built = cli(folder, "build", "notes.md", "-o", "out", "--format", "jsonl")
    assert "stale" not in built.stderr  # the edit applies
    assert "Which planet has the hottest surface?" in (folder / "out" / "notes.jsonl").read_text()
    notes = folder / "notes.md"
    notes.write_text(notes.read_text().replace("- Which planet is the hottest? :: Venus",
                                               "- What wraps Venus in thick clouds? :: sulfuric acid"),
                     encoding="utf-8")
    built = cli(folder, "build", "notes.md", "-o", "out", "--format", "jsonl")
    warning = [w for w in built.stderr.splitlines() if "stale" in w]
    assert len(warning) == 1, built.stderr
    assert warning[0].startswith("notedeck: warning: notes.md: your edit of 'Which planet is the hottest?' "
                                 "(question 'Which planet has the hottest surface?', "
                                 "answer 'Venus, at about 465 °C') is stale"), warning
    kept = yaml.safe_load(review.read_text(encoding="utf-8"))["cards"]
    assert [d["edited_answer"] for d in kept] == ["Venus, at about 465 °C"]
    checked = cli(folder, "check", "notes.md", "--strict", ok=False)
    assert checked.exit_code == 1 and "Which planet has the hottest surface?" in checked.stderr


# Item 11: the review file and the lock live together


def test_without_a_config_decisions_and_lock_live_with_the_notes(tmp_path: Path) -> None:
    """A card rejected from the notes' parent folder stays rejected in a build run inside the
    notes folder: the review file is beside the lock, in the notes' folder. There, review,
    accept and reject need no -n: the review file remembers the notes."""
    notes = tmp_path / "astro"
    notes.mkdir()
    (notes / "planets.md").write_text(NOTES, encoding="utf-8")
    cards = {c["question"]: c["guid"] for c in map(
        json.loads, cli(tmp_path, "extract", "astro/planets.md").stdout.splitlines())}
    cli(tmp_path, "reject", cards[VENUS], "-n", "astro/planets.md")
    cli(tmp_path, "build", "astro/planets.md", "-o", "out", "--format", "jsonl")
    assert sorted(p.name for p in notes.iterdir()) == ["notedeck.lock", REVIEW_NAME, "planets.md"]
    assert not (tmp_path / REVIEW_NAME).exists()
    cli(notes, "build", "planets.md", "-o", "../out2", "--format", "jsonl")
    built = (tmp_path / "out2" / "planets.jsonl").read_text(encoding="utf-8")
    assert VENUS not in built and "Mercury" in built
    listed = cli(notes, "review", "--list")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [
        g for q, g in cards.items() if q != VENUS]
    accepted = cli(notes, "accept", cards["Which planet is closest to the sun?"])
    assert accepted.stdout == f"accepted 1 card ({REVIEW_NAME})\n"
    mercury = cards["Which planet is closest to the sun?"]
    assert statuses(notes) == {cards[VENUS]: "rejected", mercury: "accepted"}


@pytest.mark.parametrize(("args", "hint"), [
    (["review", "--list"], "e.g. notedeck review notes.md --list"),
    (["accept", "Xq3f9Z2kLmPa"], "e.g. notedeck accept GUID -n notes.md"),
    (["reject", "Xq3f9Z2kLmPa"], "e.g. notedeck reject GUID -n notes.md"),
])
def test_no_notes_anywhere_hints_at_the_command_used(tmp_path: Path, args: list[str], hint: str) -> None:
    result = cli(tmp_path, *args, ok=False)
    assert result.exit_code == 2
    assert result.stderr == f"notedeck: error: no notes given (hint: pass notes files or folders, {hint})\n"
