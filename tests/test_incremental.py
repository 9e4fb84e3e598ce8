"""Incremental builds: the per-file extraction cache, up-to-date builds that write nothing,
parallel extraction giving the serial result, `--stats`, and the progress bar (terminal only)."""

from __future__ import annotations

import errno
import marshal
import os
import re
import select
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import generator
from conftest import ROOT, run_cli
from generator import extract_files
from generator.extract_files import PARALLEL_MIN_BYTES
from generator.writers import csv as csv_writer
from generator.writers import sheet as sheet_writer

sys.path.insert(0, str(ROOT / "benchmarks"))
from vault import generate

NEW_FACT = "- Quenzilor is a scheduler that batches edits\n"
BIG_FACTS = 800
"""Facts in the vault the process pool is tried on."""
PROGRESS_NOW = {"NOTEDECK_PROGRESS_AFTER": "0"}
"""The bar comes up at once, so a short build shows whether it would be drawn."""

NOTES = """\
# Cells

- Mitochondria is the organelle that makes ATP for the cell
- Ribosomes are the organelles that build proteins
- The 3 parts of a neuron:
    - dendrites
    - axon
    - soma
- Photosynthesis :: light energy to chemical energy ![x](pic.png)
- DNA was first described in 1869
"""


def jsons(cards: list[generator.Card]) -> list[dict]:
    return [c.to_json() for c in cards]


def notes_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic vault of BIG_FACTS facts, shared by the slow tests (they only read it)."""
    folder = tmp_path_factory.mktemp("big") / "vault"
    generate(folder, BIG_FACTS)
    return folder


def small_notes(tmp_path: Path) -> Path:
    """A notes folder with one Markdown file referencing an image beside it."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "cells.md").write_text(NOTES, encoding="utf-8")
    (notes / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"leaf" * 20)
    return notes


# 1. The extraction cache


def test_cache_second_extract_hits_every_file_with_identical_cards(tmp_path):
    """A second extraction of unchanged notes takes every file from the cache, extracts none,
    and gives exactly the cards of an extraction without any cache (cards, order, GUIDs)."""
    folder = tmp_path / "vault"
    files = generate(folder, 800)
    cache = tmp_path / "cache"
    uncached = generator.extract([folder])
    first = generator.extract([folder], cache=cache)
    second = generator.extract([folder], cache=cache)
    assert (first.cache_hits, first.extracted) == (0, len(files))
    assert (second.cache_hits, second.extracted) == (len(files), 0)
    assert jsons(uncached.cards)  # not vacuously equal
    assert jsons(first.cards) == jsons(uncached.cards)
    assert jsons(second.cards) == jsons(uncached.cards)
    assert second.warnings == uncached.warnings


def test_cache_editing_one_file_extracts_only_that_file(tmp_path):
    """After one file changes, only it is extracted again; its new card is there and the
    cards equal an uncached extraction of the edited vault (no stale entry is used)."""
    folder = tmp_path / "vault"
    files = generate(folder, 800)
    cache = tmp_path / "cache"
    generator.extract([folder], cache=cache)
    edited = next(p for p in files if p.suffix == ".md")
    with edited.open("a", encoding="utf-8") as f:
        f.write(NEW_FACT)
    again = generator.extract([folder], cache=cache)
    assert (again.cache_hits, again.extracted) == (len(files) - 1, 1)
    assert any("Quenzilor" in c.question + c.answer for c in again.cards)
    assert jsons(again.cards) == jsons(generator.extract([folder]).cards)


# 2. A damaged or unwritable cache


def test_damaged_cache_entries_are_misses(tmp_path):
    """Entries overwritten with garbage (or with well-formed data of the wrong shape) are
    misses, not crashes or wrong cards; they are rewritten, so the next run hits again."""
    folder = tmp_path / "vault"
    files = generate(folder, 800)
    cache = tmp_path / "cache"
    expected = jsons(generator.extract([folder]).cards)
    generator.extract([folder], cache=cache)
    entries = sorted(p for p in (cache / "cards").rglob("*") if p.is_file())
    assert len(entries) == len(files)
    noise = bytes((i * 37 + 11) % 256 for i in range(64))
    garbage = [b"", b"\x00\xffnot a cache entry\x00", noise, marshal.dumps(None),
               marshal.dumps((1, [("too", "short")], [], False, False)), marshal.dumps((1, 5, [], 0, 0))]
    for i, entry in enumerate(entries):
        entry.write_bytes(garbage[i % len(garbage)])
    damaged = generator.extract([folder], cache=cache)
    assert (damaged.cache_hits, damaged.extracted) == (0, len(files))
    assert jsons(damaged.cards) == expected
    healed = generator.extract([folder], cache=cache)
    assert (healed.cache_hits, healed.extracted) == (len(files), 0)
    assert jsons(healed.cards) == expected


def test_unwritable_cache_location_still_builds(tmp_path):
    """The cache is only a cache: when NOTEDECK_CACHE_DIR is a regular file (nothing can be
    stored under it) a build still succeeds, every time."""
    notes = small_notes(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    env = {"NOTEDECK_CACHE_DIR": str(blocker)}
    for _ in range(2):
        r = run_cli(["build", str(notes), "-o", str(out)], tmp_path, env=env)
        assert r.exit_code == 0, r.output
        assert "built" in r.stdout
        assert (out / "notes.apkg").is_file()
    assert blocker.read_text(encoding="utf-8") == "x"


def test_unwritable_cache_location_still_extracts(tmp_path):
    """The library API with a cache folder that is a regular file: every file is a miss and
    the cards are those of an uncached extraction."""
    folder = tmp_path / "vault"
    files = generate(folder, 300)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    got = generator.extract([folder], cache=blocker)
    assert (got.cache_hits, got.extracted) == (0, len(files))
    assert jsons(got.cards) == jsons(generator.extract([folder]).cards)


# 3. Up-to-date builds


def cli_build(tmp_path: Path, notes: Path, out: Path, *extra: str) -> object:
    r = run_cli(["build", str(notes), "-o", str(out), *extra], tmp_path)
    assert r.exit_code == 0, r.output
    return r


def outputs_state(out: Path, lock: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each output file's (and the lock's) inode, modification time and bytes."""
    files = [*sorted(p for p in out.rglob("*") if p.is_file()), lock]
    return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in files}


def test_unchanged_build_is_up_to_date_and_rewrites_nothing(tmp_path):
    """A second build of unchanged notes says "up to date" and leaves every output file (and
    the lock) untouched: same inode, modification time and bytes."""
    notes = small_notes(tmp_path)
    out = tmp_path / "out"
    first = cli_build(tmp_path, notes, out)
    assert first.stdout.startswith("built "), first.stdout
    lock = notes / "notedeck.lock"
    assert (out / "notes.apkg").is_file() and lock.is_file()
    old = 1_000_000_000 * 10**9  # a rewrite would give the file a new modification time
    for path in [*out.rglob("*"), lock]:
        if path.is_file():
            os.utime(path, ns=(old, old))
    before = outputs_state(out, lock)
    second = cli_build(tmp_path, notes, out)
    assert second.stdout.startswith("up to date: "), second.stdout
    assert "built" not in second.stdout
    assert outputs_state(out, lock) == before


def _delete_apkg(notes: Path, out: Path) -> tuple[str, ...]:
    (out / "notes.apkg").unlink()
    return ()


def _change_notes(notes: Path, out: Path) -> tuple[str, ...]:
    with (notes / "cells.md").open("a", encoding="utf-8") as f:
        f.write(NEW_FACT)
    return ()


def _other_option(notes: Path, out: Path) -> tuple[str, ...]:
    return ("--min-score", "0.5")


def _edit_lock(notes: Path, out: Path) -> tuple[str, ...]:
    lock = notes / "notedeck.lock"
    text = lock.read_text(encoding="utf-8")
    edited = re.sub(r'"changed": (\d+)', lambda m: f'"changed": {int(m.group(1)) - 86400}', text, count=1)
    assert edited != text
    lock.write_text(edited, encoding="utf-8")
    return ()


def _no_cache(notes: Path, out: Path) -> tuple[str, ...]:
    return ("--no-cache",)


def _change_image(notes: Path, out: Path) -> tuple[str, ...]:
    (notes / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"tree" * 20)
    return ()


@pytest.mark.parametrize("change", [_delete_apkg, _change_notes, _other_option, _edit_lock, _no_cache,
                                    _change_image],
                         ids=["apkg deleted", "notes changed", "other option", "lock edited", "--no-cache",
                              "image changed"])
def test_any_change_makes_the_next_build_real(tmp_path, change):
    """Whatever the outputs depend on (their presence, the notes, the options, the lock file,
    the images the cards show) changing makes the next build a real one; `--no-cache` always
    builds."""
    notes = small_notes(tmp_path)
    out = tmp_path / "out"
    cli_build(tmp_path, notes, out)
    assert cli_build(tmp_path, notes, out).stdout.startswith("up to date: ")
    extra = change(notes, out)
    again = cli_build(tmp_path, notes, out, *extra)
    assert again.stdout.startswith("built "), again.stdout
    assert "up to date" not in again.stdout
    assert (out / "notes.apkg").is_file()
    if change is _no_cache:
        assert cli_build(tmp_path, notes, out, *extra).stdout.startswith("built ")


def test_image_bytes_change_reaches_the_apkg(tmp_path):
    """The rebuild after an image changed ships the new image (the up-to-date check looked at
    the image, not only at the notes that name it)."""
    notes = small_notes(tmp_path)
    out = tmp_path / "out"
    cli_build(tmp_path, notes, out)
    _change_image(notes, out)
    cli_build(tmp_path, notes, out)
    with zipfile.ZipFile(out / "notes.apkg") as z:
        blobs = [z.read(n) for n in z.namelist()]
    assert any(b"tree" * 20 in b for b in blobs)
    assert not any(b"leaf" * 20 in b for b in blobs)


# 4. Parallel extraction


def test_parallel_extraction_equals_serial(big_vault, monkeypatch, tmp_path):
    """With two cores the vault is extracted over a process pool and gives exactly the cards
    (and warnings) of a one-core serial extraction, in the same order; the cache entries the
    pool's workers write give those cards again. (The pool's size threshold is lowered so a
    small vault takes that path: what is compared is the same either way.)"""
    monkeypatch.setattr(extract_files, "PARALLEL_MIN_BYTES", notes_size(big_vault) // 2)
    assert notes_size(big_vault) < PARALLEL_MIN_BYTES  # as shipped, this vault stays serial
    pools: list[int] = []

    real_pool = extract_files.process_pool

    def spy_pool(cores: int) -> object:
        pools.append(1)
        return real_pool(cores)

    monkeypatch.setattr(extract_files, "process_pool", spy_pool)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    serial = generator.extract([big_vault])
    assert pools == []
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = generator.extract([big_vault], cache=tmp_path / "cache")
    assert pools == [1]
    assert len(serial.cards) > 300
    assert jsons(parallel.cards) == jsons(serial.cards)
    assert parallel.warnings == serial.warnings
    assert parallel.extracted == serial.extracted == len(serial.files)
    cached = generator.extract([big_vault], cache=tmp_path / "cache")
    assert (cached.cache_hits, cached.extracted) == (len(serial.files), 0)
    assert jsons(cached.cards) == jsons(serial.cards)
    assert cached.warnings == serial.warnings


def test_fields_rendered_in_the_workers_give_the_same_package(big_vault, monkeypatch, tmp_path):
    """Over a process pool the workers render each card's note fields as they extract it, and
    the writer takes them from its render cache: the package is byte for byte the one a build
    that renders every card itself writes (math, code, HTML, braces and their warnings alike),
    and the writer rendered only the cards showing an image."""
    import shutil

    from generator.ids import slug
    from generator.options import BuildOptions
    from generator.pipeline import build

    notes = tmp_path / "notes"
    shutil.copytree(big_vault, notes / "vault")
    (notes / "traps.md").write_text(
        "# Traps\n\n- What is {{c1::x}} here? :: <script>alert(1)</script> and $x^2\n"
        "- Which braces? :: {{Front}} :: and ::: too\n- A picture? :: ![leaf](pic.png)\n", encoding="utf-8")
    (notes / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"leaf" * 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(extract_files, "PARALLEL_MIN_BYTES", notes_size(notes) // 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    from generator.cache import RenderCache

    real = RenderCache.put
    built = {}
    for name, cache in (("ahead", tmp_path / "cache"), ("writer", None)):
        by_writer: list[bytes] = []

        def spy(self, key, value, seen=by_writer):
            seen.append(key)
            return real(self, key, value)

        monkeypatch.setattr(RenderCache, "put", spy)  # a card the writer had to render itself
        [result] = build([notes], BuildOptions(cwd=tmp_path, output_dir=tmp_path / name, use_lock=False),
                         cache=cache)
        package = (tmp_path / name / f"{slug(result.deck)}.apkg").read_bytes()
        built[name] = (package, result.warnings, by_writer)
    (ahead, ahead_warnings, ahead_by_writer), (alone, alone_warnings, _) = built.values()
    assert ahead == alone
    assert ahead_warnings == alone_warnings
    assert any("unbalanced math" in w for w in alone_warnings)
    assert ahead_by_writer == []
    kept = RenderCache.load(tmp_path / "cache", f"{(tmp_path / 'ahead').resolve()}\x00{result.deck}")
    assert kept is not None and len(kept.old) > 300


# 5. --stats


def test_stats_prints_stage_times_on_stderr(tmp_path):
    """`--stats` prints each stage's seconds and the total on standard error, leaving
    standard output to the one-line result."""
    notes = small_notes(tmp_path)
    r = cli_build(tmp_path, notes, tmp_path / "out", "--stats")
    for stage in ("extract", "write apkg", "total"):
        assert re.search(rf"^\s+{stage}\s+\d+\.\d\d s$", r.stderr, re.M), r.stderr
        assert stage not in r.stdout
    assert r.stdout.startswith("built ")


def test_stats_reports_cache_hits(tmp_path):
    """`--stats` says (per its --help) how many files came from the cache: all but the changed one."""
    notes = small_notes(tmp_path)
    (notes / "more.md").write_text("- Quenzilor is a scheduler that batches edits\n", encoding="utf-8")
    out = tmp_path / "out"
    cli_build(tmp_path, notes, out)
    _change_notes(notes, out)
    r = cli_build(tmp_path, notes, out, "--stats")
    found = re.search(r"(\d+) of (\d+) notes files? from the cache", r.stderr)
    assert found, r.stderr
    assert int(found.group(1)) == int(found.group(2)) - 1  # all but the changed file


# 6. The progress bar


def notedeck_command() -> list[str]:
    script = Path(sys.executable).parent / "notedeck"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main())"]


def run_in_terminal(args: list[str], cwd: Path, env: dict[str, str],
                    timeout: float = 60) -> tuple[str, int, float]:
    """Run a command with a pseudo-terminal as its stdin, stdout and stderr; returns all it
    wrote, its exit status and how long it ran."""
    master, slave = os.openpty()
    began = time.monotonic()
    try:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave,
                                start_new_session=True)
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    try:
        while True:
            left = began + timeout - time.monotonic()
            ready, _, _ = select.select([master], [], [], max(0.0, left))
            if not ready:
                proc.kill()
                pytest.fail(f"{args} ran over {timeout} s")
            try:
                data = os.read(master, 65536)
            except OSError as exc:  # EIO: every end of the terminal's slave side is closed
                if exc.errno != errno.EIO:
                    raise
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=max(1.0, began + timeout - time.monotonic()))
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return b"".join(chunks).decode("utf-8", "replace"), code, time.monotonic() - began


def terminal_env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "TERM", "COLUMNS")}
    env.update(TERM="xterm", COLUMNS="100", NOTEDECK_CACHE_DIR=str(cache), **extra)
    return env


@pytest.mark.parametrize(("flags", "extra_env", "shown"), [
    ((), {}, True),
    (("--quiet",), {}, False),
    ((), {"CI": "true"}, False),
], ids=["terminal", "--quiet", "CI"])
def test_progress_bar_only_on_a_terminal_without_quiet_or_ci(tmp_path, flags, extra_env, shown):
    """A build on a terminal shows the bar (stage and card count) on its way; `--quiet` or
    the CI variable keep it off even there. The bar is set to come up at once, so each run
    would have drawn it."""
    vault = tmp_path / "vault"
    generate(vault, 300)
    cmd = [*notedeck_command(), "build", str(vault), "-o", str(tmp_path / "out"), "--no-lock", *flags]
    env = terminal_env(tmp_path / "cache", **PROGRESS_NOW, **extra_env)
    text, code, _ = run_in_terminal(cmd, tmp_path, env)
    assert code == 0, text
    assert "built " in text
    if shown:
        assert "reading notes" in text, text
        assert re.search(r"files, [\d,]+ cards", text), text
    else:
        assert "reading notes" not in text, text
        assert not re.search(r"files, [\d,]+ cards", text), text


def test_no_progress_bar_when_not_a_terminal(tmp_path):
    """Output that is not a terminal (a pipe, a log file, click's runner) never gets the bar,
    even outside CI with the bar set to come up at once."""
    vault = tmp_path / "vault"
    generate(vault, 300)
    r = run_cli(["build", str(vault), "-o", str(tmp_path / "out"), "--no-lock"], tmp_path,
                env={"CI": None, "TERM": "xterm", **PROGRESS_NOW})  # type: ignore[dict-item]
    assert r.exit_code == 0, r.output
    assert "reading notes" not in r.output
    assert r.stdout.startswith("built ")


# 7. The render cache


MATH_NOTES = """\
# Maths

- Euler's identity :: $e^{i\\pi} + 1 = 0$ in one line
- The broken formula :: $e^{x written without its end
- Pythagoras states that a^2 + b^2 = c^2 for right triangles
"""


def test_render_cache_gives_the_same_deck_and_warnings_as_rendering_afresh(tmp_path):
    """A rebuild renders only new and edited cards and reuses the rest: the .apkg must be byte
    for byte the one a build without any cache writes, and a cached card's warning (unbalanced
    math) must still be shown."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "cells.md").write_text(NOTES.replace(" ![x](pic.png)", ""), encoding="utf-8")
    (notes / "maths.md").write_text(MATH_NOTES, encoding="utf-8")
    cached, fresh = tmp_path / "cached", tmp_path / "fresh"
    first = cli_build(tmp_path, notes, cached, "--no-lock")
    assert "unbalanced math" in first.stderr
    with (notes / "cells.md").open("a", encoding="utf-8") as f:
        f.write(NEW_FACT)
    second = cli_build(tmp_path, notes, cached, "--no-lock", "--stats")
    assert second.stdout.startswith("built ")
    assert "unbalanced math" in second.stderr  # replayed from the cache
    cli_build(tmp_path, notes, fresh, "--no-lock", "--no-cache")
    assert (cached / "notes.apkg").read_bytes() == (fresh / "notes.apkg").read_bytes()


def test_render_cache_serves_the_csv_and_sheet_writers_too(tmp_path, monkeypatch):
    """A rebuild to .apkg, .csv and .html renders only the new card's CSV row and sheet entry;
    the files are byte for byte what a build without any cache writes, with the same warnings."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "cells.md").write_text(NOTES.replace(" ![x](pic.png)", ""), encoding="utf-8")
    (notes / "maths.md").write_text(MATH_NOTES, encoding="utf-8")
    rendered: dict[str, list[str]] = {"csv": [], "sheet": []}
    for name, module in (("csv", csv_writer), ("sheet", sheet_writer)):
        def spy(card, *rest, _name=name, _real=module._fields):
            rendered[_name].append(card.question)
            return _real(card, *rest)
        monkeypatch.setattr(module, "_fields", spy)
    cached, fresh = tmp_path / "cached", tmp_path / "fresh"
    formats = ("--no-lock", "--format", "apkg,csv,sheet-html")
    cli_build(tmp_path, notes, cached, *formats)
    assert len(rendered["csv"]) > 5 and len(rendered["sheet"]) > 5
    with (notes / "cells.md").open("a", encoding="utf-8") as f:
        f.write(NEW_FACT)
    for done in rendered.values():
        done.clear()
    second = cli_build(tmp_path, notes, cached, *formats)
    for done in rendered.values():
        assert len(done) == 1 and "Quenzilor" in done[0]
    again = cli_build(tmp_path, notes, fresh, "--no-cache", *formats)
    assert "unbalanced math" in second.stderr
    assert second.stderr == again.stderr
    for name in ("notes.csv", "notes.html", "notes.apkg"):
        assert (cached / name).read_bytes() == (fresh / name).read_bytes()


def _deck_part_by_lines(data: bytes, deck: str) -> bytes:
    """What `lock.deck_part` gives, the plain way: the header, then the deck's card lines, each
    ending in a comma."""
    import json

    lines = data.split(b"\n")
    if len(lines) < 5 or lines[2] != b'"cards": [' or lines[-2:] != [b"]}", b""]:
        return data
    key = f'"deck": {json.dumps(deck, ensure_ascii=False)}, "digest"'.encode()
    return b"\n".join([*lines[:2], *(ln.removesuffix(b",") + b"," for ln in lines[3:-2] if key in ln)])


def test_a_decks_part_of_the_lock_is_the_same_however_it_is_cut(tmp_path: Path) -> None:
    """`deck_part` does not cut a lock whose cards are all one deck's into lines (the usual
    case, a tenth of an up-to-date check at 20,000 cards); it must give what cutting it does,
    for real locks of one and two decks, so that building one deck, even the first build of a
    second deck sharing the lock, leaves the other up to date."""
    from generator.lock import LOCK_NAME, deck_part

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "n.md").write_text("- Ohm :: unit of resistance\n- Volt, Ampere :: units, too\n",
                                         encoding="utf-8")
    (tmp_path / "b" / "n.md").write_text("- Pascal :: unit of pressure\n", encoding="utf-8")
    (tmp_path / "notedeck.toml").write_text(
        'output = "out"\n[[deck]]\nname = "A"\nsources = ["a"]\n[[deck]]\nname = "Bé"\nsources = ["b"]\n',
        encoding="utf-8")
    assert run_cli(["build", "A"], tmp_path).exit_code == 0
    one = (tmp_path / LOCK_NAME).read_bytes()
    assert "up to date" in run_cli(["build"], tmp_path).stdout  # A, while Bé is built
    two = (tmp_path / LOCK_NAME).read_bytes()
    empty = one.split(b'"cards": [\n')[0] + b'"cards": [\n]}\n'
    for data in (one, two, empty, one[:-1], one.replace(b'"cards": [', b'"cards":['), b"", b"{}\n"):
        for deck in ("A", "Bé", "C"):
            assert deck_part(data, deck) == _deck_part_by_lines(data, deck), (data, deck)
    assert deck_part(two, "A") == deck_part(one, "A") != deck_part(two, "Bé")
    (tmp_path / "b" / "n.md").write_text("- Pascal :: unit of pressure\n- Bar :: 100 kPa\n", encoding="utf-8")
    assert "built" in run_cli(["build", "Bé"], tmp_path).stdout
    assert "up to date" in run_cli(["build", "A"], tmp_path).stdout


def test_the_up_to_date_check_reads_only_files_the_system_says_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notes file whose size, times, inode and device are as when it was last hashed is not
    read again; one that changed is, even at the same size; one written within the file
    system's clock tick of being hashed is always read again (its times cannot tell)."""
    from generator import uptodate
    from generator.options import BuildOptions
    from generator.plan import plan

    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("a.md", "b.md"):
        (notes / name).write_text(f"- {name} :: a card\n", encoding="utf-8")
    [job], _ = plan([notes], BuildOptions(cwd=tmp_path, output_dir=tmp_path / "out"))
    cache = tmp_path / "cache"
    read: list[str] = []
    real_read = uptodate.read_notes
    monkeypatch.setattr(uptodate, "read_notes", lambda f: read.append(f.display) or real_read(f))

    found = uptodate.notes_of(job, cache)
    assert found is not None and read == ["a.md", "b.md"]
    read.clear()
    assert uptodate.notes_of(job, cache) == found and read == ["a.md", "b.md"]  # just written: racy
    monkeypatch.setattr(uptodate, "RACY_NS", -1)  # as if the files were older than a clock tick
    uptodate.notes_of(job, cache)
    read.clear()
    assert uptodate.notes_of(job, cache) == found and read == []
    a = notes / "a.md"
    stamp = a.stat().st_mtime_ns
    a.write_text("- a.md :: A card\n", encoding="utf-8")  # same size
    os.utime(a, ns=(stamp + 10**9, stamp + 10**9))
    changed = uptodate.notes_of(job, cache)
    assert read == ["a.md"] and changed is not None and changed[1]["a.md"] != found[1]["a.md"]
    assert changed[1]["b.md"] == found[1]["b.md"]
    read.clear()
    (cache / "builds").mkdir(exist_ok=True)
    for memo in (cache / "builds").glob("*.digests"):
        memo.write_bytes(b"damaged")
    assert uptodate.notes_of(job, cache) == changed and read == ["a.md", "b.md"]


def test_a_first_build_reads_its_notes_once_and_the_next_check_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deck never built here has no stamp: its up-to-date check reads no notes file. The
    build remembers the digests of the bytes it read, so the next check reads none again,
    except a file that changed after the build began reading (its digest may be stale)."""
    from generator import rebuild, uptodate
    from generator.options import BuildOptions
    from generator.pipeline import build

    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("a.md", "b.md"):
        (notes / name).write_text(f"- {name} :: a card\n", encoding="utf-8")
    monkeypatch.setattr(uptodate, "RACY_NS", -1)  # as if the files were older than a clock tick
    read: list[str] = []
    real_read = uptodate.read_notes
    monkeypatch.setattr(uptodate, "read_notes", lambda f: read.append(f.display) or real_read(f))
    real_write = rebuild.write_deck

    def write_then_edit(*args, **kwargs):  # b.md changes once its bytes were read
        (notes / "b.md").write_text("- b.md :: another card\n", encoding="utf-8")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(rebuild, "write_deck", write_then_edit)
    options = BuildOptions(cwd=tmp_path, output_dir=tmp_path / "out", use_lock=False)
    [first] = build([notes], options, cache=tmp_path / "cache")
    assert not first.up_to_date and read == []
    monkeypatch.setattr(rebuild, "write_deck", real_write)
    [second] = build([notes], options, cache=tmp_path / "cache")
    assert read == ["b.md"] and not second.up_to_date  # b.md's new bytes were never built
    read.clear()
    [third] = build([notes], options, cache=tmp_path / "cache")
    assert third.up_to_date and read == []
