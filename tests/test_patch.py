"""Patched rebuilds (`delta.py`): after an edit, a build that patches the last one writes the
same bytes (package, lock, manifest) and says the same things as a full build of the same
notes; when a patch could differ, the full build runs instead."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from generator import delta, pipeline
from generator.delta import FileState, State, id_plan
from generator.review import Decision, Decisions
from generator.writers import anki

sys.path.insert(0, str(ROOT / "benchmarks"))
from vault import generate

FACTS, PER_FILE = 500, 50
"""Ten notes files: enough for the edits below, small enough to build twice per edit."""
WHEN = 1_800_000_000
"""Every notes file's modification time: both builds compared stamp the same time."""
OUTPUTS = ("out/vault.apkg", "out/manifest.json", "vault/notedeck.lock")

Edit = Callable[[Path], None]
PNG_ONE = b"\x89PNG\r\n\x1a\n" + b"one" * 8


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a vault of notes (each test builds copies of it)."""
    home = tmp_path_factory.mktemp("built")
    generate(home / "vault", FACTS, per_file=PER_FILE)
    _settle(home / "vault")
    return home


def _settle(vault: Path, when: int = WHEN) -> None:
    """Give every notes file the modification time `when` (a build stamps the newest)."""
    for p in vault.rglob("*"):
        if p.is_file() and p.suffix in (".md", ".txt"):
            os.utime(p, (when, when))


def _build(home: Path, cache: Path | None) -> list[pipeline.BuildResult]:
    """Build as a user in `home` does (cards name their notes files relative to it), with the
    templates in `home/tmpl` when there are any."""
    before = Path.cwd()
    os.chdir(home)
    templates = ("tmpl",) if (home / "tmpl").is_dir() else ()
    try:
        return pipeline.build(["vault"], pipeline.BuildOptions(deck="Vault", output_dir="out",
                                                               template_dirs=templates), cache=cache)
    finally:
        os.chdir(before)


def _notes(vault: Path) -> list[Path]:
    return sorted(p for p in vault.rglob("*") if p.suffix in (".md", ".txt"))


def _copy(built: Path, to: Path) -> Path:
    shutil.copytree(built, to, symlinks=True)
    return to


def rebuild_both(built: Path, tmp_path: Path, *edits: Edit,
                 setup: Callable[[Path], None] | None = None) -> tuple[pipeline.BuildResult, Path, Path]:
    """Build two copies of the vault, one with the cache and one without, then apply `edits`
    (one build after each): the cached copy is patched when it can be, the other built in
    full. Returns the last cached build's result and both folders, after checking every
    build wrote the same bytes and said the same things. `setup` prepares each copy first."""
    cached, full = _copy(built, tmp_path / "cached"), _copy(built, tmp_path / "full")
    for home in (cached, full) if setup is not None else ():
        setup(home)
    (first,) = _build(cached, cached / "cache")
    _build(full, None)
    assert not first.patched
    for n, edit in enumerate(edits, start=1):
        for home in (cached, full):
            edit(home / "vault")
            _settle(home / "vault", WHEN + n * 3600)  # later than the last build
        (mine,) = _build(cached, cached / "cache")
        (theirs,) = _build(full, None)
        assert not theirs.patched
        for name in OUTPUTS:
            assert (cached / name).read_bytes() == (full / name).read_bytes(), name
        assert (mine.cards, mine.files, mine.removed) == (theirs.cards, theirs.files, theirs.removed)
        assert mine.warnings == theirs.warnings
    return mine, cached, full


def append(index: int, line: str) -> Edit:
    def edit(vault: Path) -> None:
        target = _notes(vault)[index]
        bullet = "-" if target.suffix == ".md" else "•"
        with target.open("a", encoding="utf-8") as f:
            f.write(f"{bullet} {line}\n")
    return edit


def rewrite(index: int, change: Callable[[list[str]], list[str]]) -> Edit:
    def edit(vault: Path) -> None:
        target = _notes(vault)[index]
        lines = target.read_text(encoding="utf-8").splitlines()
        target.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    return edit


def _fact_line(lines: list[str]) -> int:
    """A line stating a fact ("X is a ..."), to edit or delete."""
    return next(i for i, ln in enumerate(lines) if " is a " in ln and ln.lstrip()[:1] in "-•")


def typo(lines: list[str]) -> list[str]:
    i = _fact_line(lines)
    lines[i] = lines[i].replace(" is a ", " is an ", 1)
    return lines


def delete(lines: list[str]) -> list[str]:
    del lines[_fact_line(lines)]
    return lines


def delete_last(lines: list[str]) -> list[str]:
    return lines[:-1]


def add_image(name: str, data: bytes) -> Edit:
    """An image file in every folder of notes (a build after it has nothing to do)."""
    def edit(vault: Path) -> None:
        for folder in {p.parent for p in _notes(vault)}:
            (folder / name).write_bytes(data)
    return edit


def test_an_image_changed_beside_unchanged_notes_means_a_full_build(built: Path, tmp_path: Path) -> None:
    """The cards showing it get new fields and the package a new media file."""
    mine, _, _ = rebuild_both(built, tmp_path, add_image("pic.png", PNG_ONE),
                              append(1, "Quenzilor :: drawn here ![diagram](pic.png)"),
                              add_image("pic.png", b"two, bigger"))
    assert not mine.patched


def test_images_stay_in_a_patched_package(built: Path, tmp_path: Path) -> None:
    mine, cached, _ = rebuild_both(built, tmp_path, add_image("pic.png", PNG_ONE),
                                   append(1, "Quenzilor :: drawn here ![diagram](pic.png)"),
                                   append(5, "Brandolim was released in 1998"))
    assert mine.patched
    with zipfile.ZipFile(cached / "out" / "vault.apkg") as z:
        assert z.read("0") == PNG_ONE
        assert next(iter(json.loads(z.read("media")).values())).startswith("nd-")


@pytest.mark.parametrize(("edits", "patched"), [
    pytest.param([append(3, "Quenzilor is a scheduler that batches edits")], True, id="new fact"),
    pytest.param([rewrite(5, typo)], True, id="typo in a fact"),
    pytest.param([rewrite(5, delete)], True, id="fact deleted"),
    pytest.param([rewrite(2, typo), append(7, "Brandolim was released in 1998")], True,
                 id="two edits, two patches"),
    pytest.param([rewrite(4, lambda lines: ["# Nothing here any more"])], True, id="file emptied"),
    pytest.param([append(1, "Quenzilor :: the scheduler drawn here ![diagram](pic.png)")], True,
                 id="a missing image"),
    pytest.param([add_image("pic.png", PNG_ONE), append(1, "Quenzilor :: drawn here ![diagram](pic.png)"),
                  append(2, "Brandolim :: drawn there ![diagram](pic.png)"), rewrite(1, delete_last)], True,
                 id="an image in two files, then in one"),

])
def test_a_patched_build_writes_what_a_full_build_writes(built: Path, tmp_path: Path, edits: list[Edit],
                                                         patched: bool) -> None:
    mine, _, _ = rebuild_both(built, tmp_path, *edits)
    assert mine.patched is patched


def test_two_files_changed_at_once_are_patched_together(built: Path, tmp_path: Path) -> None:
    def both(vault: Path) -> None:
        append(2, "Quenzilor is a scheduler that batches edits")(vault)
        rewrite(9, delete)(vault)

    mine, _, _ = rebuild_both(built, tmp_path, both)
    assert mine.patched and mine.removed == 1


def test_a_question_another_file_asks_is_built_in_full(built: Path, tmp_path: Path) -> None:
    """Duplicates merge across files: a patch of one file cannot see the other file's cards."""
    def copy_another(vault: Path) -> None:
        notes = _notes(vault)
        source = notes[0]
        target = next(p for p in notes[1:] if p.suffix == source.suffix)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")

    mine, _, _ = rebuild_both(built, tmp_path, copy_another)
    assert not mine.patched


def test_a_line_moved_to_another_file_keeps_its_guid_patched_or_not(built: Path, tmp_path: Path) -> None:
    """The lock matches a moved line across files; a patch (file by file) cannot, so it gives
    way to the full build, and both write the same package and lock."""
    def move(vault: Path) -> None:
        notes = _notes(vault)
        source = notes[2]
        target = next(p for p in notes[3:] if p.suffix == source.suffix)
        lines = source.read_text(encoding="utf-8").splitlines()
        line = lines.pop(_fact_line(lines))
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        target.write_text(target.read_text(encoding="utf-8") + f"\n# Moved here\n{line.strip()}\n",
                          encoding="utf-8")

    mine, cached, _ = rebuild_both(built, tmp_path, move)
    assert mine.removed == 0 and not mine.patched
    lock = json.loads((cached / "vault" / "notedeck.lock").read_text(encoding="utf-8"))
    assert not [e for e in lock["cards"] if e["removed"]]


def test_a_new_file_or_a_hand_edited_lock_is_built_in_full(built: Path, tmp_path: Path) -> None:
    def new_file(vault: Path) -> None:
        (vault / "zz-new.md").write_text("- Zorblat is a queue that drops no message\n", encoding="utf-8")

    mine, _, _ = rebuild_both(built, tmp_path, new_file)
    assert not mine.patched

    def lock_reformatted(vault: Path) -> None:
        lock = vault / "notedeck.lock"
        lock.write_text(lock.read_text(encoding="utf-8").replace('"cards": [\n', '"cards": [\n\n', 1),
                        encoding="utf-8")
        append(3, "Quenzilor is a scheduler that batches edits")(vault)

    mine, _, _ = rebuild_both(built, tmp_path / "again", lock_reformatted)
    assert not mine.patched


def decide(command: str, index: int, edited: str | None = None) -> Edit:
    """Accept or reject (through the CLI, as a person does) the card about the fact line that
    `typo` and `delete` change in notes file `index`; with `edited`, its question edited."""
    def edit(vault: Path) -> None:
        home = vault.parent
        notes = _notes(vault)[index]
        lines = notes.read_text(encoding="utf-8").splitlines()
        subject = lines[_fact_line(lines)].lstrip("-• ").split(" is a ")[0]
        target = notes.relative_to(vault).as_posix()  # named from the notes root given
        lock = (vault / "notedeck.lock").read_text(encoding="utf-8")
        line = next(ln for ln in lock.splitlines() if f'"path": "{target}"' in ln and subject in ln)
        guid = line.split('"guid": "', 1)[1].split('"', 1)[0]
        result = run_cli([command, guid, "--notes", "vault"], home)  # the review file goes in vault/
        assert result.exit_code == 0, result.output
        if edited is not None:
            review = vault / "notedeck.review.yaml"  # beside the lock
            entry = f"guid: {guid}\n"
            text = review.read_text(encoding="utf-8")
            assert entry in text
            text = text.replace(entry, f"{entry}  edited_question: {edited}\n", 1)
            review.write_text(text, encoding="utf-8")
    return edit


def questions(package: Path) -> set[str]:
    """The first field of every note in a package."""
    with zipfile.ZipFile(package) as z, tempfile.TemporaryDirectory() as tmp:
        z.extract("collection.anki2", tmp)
        with sqlite3.connect(Path(tmp) / "collection.anki2") as db:
            return {row[0].split("\x1f")[0] for row in db.execute("SELECT flds FROM notes")}


def test_review_decisions_follow_a_patched_build(built: Path, tmp_path: Path) -> None:
    """Rejected cards stay out (after their line changed too), edits stay applied, patched as
    in a full build."""
    mine, cached, _ = rebuild_both(built, tmp_path, decide("reject", 2),
                                   decide("accept", 4, "What is it really?"), rewrite(2, typo),
                                   append(4, "Quenzilor is a scheduler that batches"), rewrite(6, delete))
    assert mine.patched
    shown = questions(cached / "out" / "vault.apkg")
    assert "What is it really?" in shown
    lines = _notes(cached / "vault")[2].read_text(encoding="utf-8").splitlines()
    rejected = lines[_fact_line(lines)].lstrip("-• ").split(" is an ")[0]
    assert not any(q.startswith(f"What is {rejected}") for q in shown)


def test_cards_added_in_review_mean_a_full_build(built: Path, tmp_path: Path) -> None:
    def add_card(vault: Path) -> None:
        (vault / "notedeck.review.yaml").write_text(
            "notedeck_review: 1\ncards: []\nadded:\n- deck: Vault\n  question: What is added?\n"
            "  answer: a card written by hand\n", encoding="utf-8")

    mine, _, _ = rebuild_both(built, tmp_path, add_card, append(3, "Quenzilor is a scheduler that batches"))
    assert not mine.patched


def test_patches_follow_one_another(built: Path, tmp_path: Path) -> None:
    """Each patch leaves the state the next one starts from."""
    mine, _, _ = rebuild_both(built, tmp_path, append(3, "Quenzilor is a scheduler that batches edits"),
                                   rewrite(3, typo), rewrite(8, delete))
    assert mine.patched


def test_stats_say_the_build_was_patched(built: Path, tmp_path: Path) -> None:
    home = _copy(built, tmp_path / "home")
    _build(home, home / "cache")
    append(3, "Quenzilor is a scheduler that batches edits")(home / "vault")
    result = run_cli(["build", "vault", "-o", "out", "--deck", "Vault", "--stats"], home,
                     env={"NOTEDECK_CACHE_DIR": str(home / "cache")})
    assert result.exit_code == 0, result.output
    assert "the last build patched" in result.output
    assert "patch last build" in result.output


def test_ids_that_clashed_are_given_as_a_full_build_gives_them(built: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With note IDs made to clash all the time, a patch is taken only when no note of another
    file moves, and the package is still a full build's."""
    real = anki.natural_base
    monkeypatch.setattr(anki, "natural_base", lambda guid: (1 << 40) + (real(guid) % 64) * 16)
    home = tmp_path / "clashing"
    generate(home / "vault", 300)
    _settle(home / "vault")
    # a note added at the end of the deck moves no other note: patched
    last, _, _ = rebuild_both(home, tmp_path / "last", append(len(_notes(home / "vault")) - 1,
                                                               "Quenzilor is a scheduler that batches edits"))
    assert last.patched
    # one added at the start takes an ID that a later note would get in a full build: not patched
    first, _, _ = rebuild_both(home, tmp_path / "first", append(0, "Brandolim is a queue that keeps order"))
    assert not first.patched


def _state(*naturals: list[int]) -> State:
    files = [FileState(f"f{i}.md", "", "D", [], anki.assign_ids(list(naturals))[i], n, {}, len(n), [], [],
                       {}, {}, [], [], [])
             for i, n in enumerate(naturals)]
    return State("", "", "", "", files)


def test_id_plan_gives_new_notes_the_ids_of_a_full_build() -> None:
    state = _state([16], [16], [48])  # the second file's note moved to 32
    assert [f.ids for f in state.files] == [[16], [32], [48]]
    assert id_plan(state, [2])({"f2.md": [48, 16]}) == {"f2.md": [48, 64]}
    assert id_plan(state, [1])({"f1.md": [16, 80]}) == {"f1.md": [32, 80]}


def test_id_plan_declines_when_a_note_of_another_file_would_move() -> None:
    state = _state([16], [16], [48])
    assert id_plan(state, [0])({"f0.md": []}) is None  # f1's note would go back to 16
    assert id_plan(state, [0])({"f0.md": [16, 32]}) is None  # f1's note would go to 48


def test_state_survives_a_round_trip(tmp_path: Path) -> None:
    state = _state([16], [16])
    state.guids = {"abc": "D\x00f0.md"}
    delta.save(tmp_path, "D", tmp_path / "out", state)
    assert delta.load(tmp_path, "D", tmp_path / "out") == state
    (next((tmp_path / "builds").glob("*.patch"))).write_bytes(b"damaged")
    assert delta.load(tmp_path, "D", tmp_path / "out") is None


def test_a_configured_deck_with_its_options_is_patched_like_a_full_build(built: Path, tmp_path: Path) -> None:
    """Deck options from notedeck.toml (tags, heading tags, both-way definitions, extractors
    left out) reach the patched files as they reach a full build's."""
    config = ('output = "out"\n\n[[deck]]\nname = "Vault"\nsources = ["vault"]\ntags = ["bench"]\n'
              'heading_tags = true\nreversed = true\nformats = ["apkg"]\n'
              'extractors = { statement = false }\n')
    homes = [_copy(built, tmp_path / name) for name in ("cached", "full")]
    for home in homes:
        (home / "notedeck.toml").write_text(config, encoding="utf-8")
    results = []
    for step in range(2):
        for home, cache in zip(homes, (homes[0] / "cache", None), strict=True):
            if step:
                append(3, "Quenzilor is a scheduler that batches edits")(home / "vault")
                _settle(home / "vault", WHEN + 3600)
            (result,) = pipeline.build(options=pipeline.BuildOptions(cwd=home), cache=cache)
            results.append(result)
    assert results[2].patched and not results[3].patched
    for name in ("out/vault.apkg", "out/manifest.json", "notedeck.lock"):
        assert (homes[0] / name).read_bytes() == (homes[1] / name).read_bytes(), name


def test_a_changed_file_taking_another_files_decision_guid_means_a_full_build() -> None:
    """Whether file f1's cards match decision x by similarity depends on x's GUID being in the
    deck: a change to f0 that adds or drops that GUID cannot be patched alone."""
    state = _state([16], [32])
    state.files[0].guids, state.files[1].guids = ["a"], ["b"]
    decisions = Decisions(Path("review.yaml"), [Decision("x", "rejected", "D", "f1.md", "basic", "Q?", "A")])
    assert delta.check_decisions(state, decisions, {0: ["a", "c"]}) == {"a", "b", "c"}
    with pytest.raises(delta.NotPatchable):
        delta.check_decisions(state, decisions, {0: ["a", "x"]})


def restate(lines: list[str]) -> list[str]:
    """The fact line of `typo` says something else entirely."""
    i = _fact_line(lines)
    lines[i] = lines[i].split(" is a ")[0] + " is a quantum teapot orbiting a distant moon"
    return lines


def test_a_stale_review_edit_is_reported_by_a_patched_build(built: Path, tmp_path: Path) -> None:
    mine, _, _ = rebuild_both(built, tmp_path, decide("accept", 4, "What is it really?"), rewrite(4, restate))
    assert mine.patched
    assert any("is stale" in w for w in mine.warnings)


def test_a_patch_with_ones_own_templates_writes_what_a_full_build_does(built: Path, tmp_path: Path) -> None:
    """The patch takes the note types as the last full build rendered them (no Jinja): with a
    template folder of one's own, the patched package is still the full build's, and shows it."""

    def own_templates(home: Path) -> None:
        front = home / "tmpl" / "anki" / "basic" / "front.html"
        front.parent.mkdir(parents=True)
        front.write_text('{% extends "default/anki/basic/front.html" %}{% block front %}<b>mine</b>'
                         '{{ super() }}{% endblock %}', encoding="utf-8")

    result, cached, _ = rebuild_both(built, tmp_path, append(3, "Zumbrel is a queue for the benchmark"),
                                     setup=own_templates)
    assert result.patched
    with zipfile.ZipFile(cached / "out" / "vault.apkg") as z:
        assert b"<b>mine</b>" in z.read("collection.anki2")
