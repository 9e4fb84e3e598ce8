"""Time `notedeck build` on synthetic vaults against genanki alone writing as many notes.

    python benchmarks/build_bench.py                  # everything below, with issue 19's targets
    python benchmarks/build_bench.py --facts 10000    # one mixed vault size
    python benchmarks/build_bench.py --explicit 20000 # explicit cards only, beside ankdown
    python benchmarks/build_bench.py --startup        # start-up only

For each mixed size (default 10k, 20k and 100k facts), in one run and side by side: a cold
build (no output, no lock, empty cache), a rebuild with nothing changed, a rebuild after one
file was edited, and the reference, genanki alone writing the same number of notes. Then the
explicit-only vault (100k `question :: answer` lines in 1,000 files) beside ankdown (on PATH
or $ANKDOWN) and genanki, taken in turns; start-up (`--version`, an up-to-date build of the
example) beside `import genanki`; and unmarked extraction per core on the mixed vault and on
the development corpus. Each runs as its own process (as a user runs it), so wall time
includes start-up and peak memory is that process's. Vaults come from `vault.py`
(deterministic).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vault import generate

GENANKI_ALONE = """
import sys, genanki
n, out = int(sys.argv[1]), sys.argv[2]
model = genanki.Model(1607392319, "Basic", fields=[{"name": "Question"}, {"name": "Answer"}],
                      templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                                  "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}"}])
deck = genanki.Deck(2059400110, "Benchmark")
for i in range(n):
    deck.add_note(genanki.Note(model=model, fields=[f"What does the term number {i} mean?",
                                                    f"a made-up definition of term {i} for the benchmark"]))
genanki.Package(deck).write_to_file(out)
"""


@dataclass
class Run:
    """One timed process."""

    label: str
    seconds: float
    peak_mb: float
    output: str
    ratio: float | None = None
    """To the reference, when measured in turns (else `seconds` over the reference's)."""


def timed(label: str, argv: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run `argv` to completion; its wall time and peak resident memory (from wait4). Compiled
    modules are kept, as an installed package has them (`PYTHONDONTWRITEBYTECODE` would make
    every run of notedeck, and none of genanki's, compile its modules again)."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed ({proc.returncode}):\n{out}")
    return Run(label, took, usage.ru_maxrss / 1024, out.strip())


def notedeck_command() -> list[str]:
    """The `notedeck` console script of this Python, else the CLI through `-c`."""
    script = Path(sys.executable).parent / "notedeck"
    if script.exists():
        return [str(script)]
    code = "import sys; from generator.cli import main; sys.argv[0] = 'notedeck'; main()"
    return [sys.executable, "-c", code]


def edit_one_file(vault: Path, turn: int = 0) -> Path:
    """Add a fact to the middle file of the vault, as a person editing one note would."""
    files = sorted(p for p in vault.rglob("*") if p.suffix in (".md", ".txt"))
    target = files[len(files) // 2]
    bullet = "-" if target.suffix == ".md" else "•"
    with target.open("a", encoding="utf-8") as f:
        name = "Quenzilor" + "ab"[turn % 2] * (turn + 1)  # a new fact each turn
        f.write(f"{bullet} {name} is a scheduler that batches the benchmark's edits\n")
    return target


def _medians(taken: dict[str, list[Run]], reference: str) -> dict[str, Run]:
    """Each measure's median run, its ratio the median of each turn's own ratio to the
    reference's run of the same turn (this machine's speed drifts by half within minutes)."""
    runs = {name: sorted(rs, key=lambda r: r.seconds)[len(rs) // 2] for name, rs in taken.items()}
    for name, rs in taken.items():
        ratios = sorted(r.seconds / g.seconds for r, g in zip(rs, taken[reference], strict=True))
        runs[name].ratio = ratios[len(ratios) // 2]
    return runs


def bench(facts: int, work: Path, extra: list[str], repeat: int = 3) -> dict[str, Run]:
    """A cold build, then `repeat` turns of a rebuild with nothing changed, a rebuild after one
    file was edited and genanki alone writing as many notes."""
    vault, out, cache = work / f"vault-{facts}", work / f"out-{facts}", work / f"cache-{facts}"
    for p in (vault, out, cache):
        shutil.rmtree(p, ignore_errors=True)
    generate(vault, facts)
    env = {**os.environ, "NOTEDECK_CACHE_DIR": str(cache)}
    env.pop("SOURCE_DATE_EPOCH", None)
    build = [*notedeck_command(), "build", str(vault), "-o", str(out), "--deck", "Vault", *extra]
    cold = timed("cold build", build, env, work)
    taken: dict[str, list[Run]] = {}
    for turn in range(repeat):
        taken.setdefault("unchanged", []).append(timed("nothing changed", build, env, work))
        edit_one_file(vault, turn)
        taken.setdefault("one file", []).append(timed("one file changed", build, env, work))
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        cards = sum(d["cards"] for d in manifest["decks"])
        argv = [sys.executable, "-c", GENANKI_ALONE, str(cards), str(work / "genanki.apkg")]
        taken.setdefault("genanki", []).append(timed("genanki alone", argv, env, work))
    runs = {"cold": cold, **_medians(taken, "genanki")}
    runs["genanki"].output = str(cards)
    return runs


def explicit_vault(folder: Path, facts: int, ankdown: Path) -> None:
    """`facts` explicit cards (`question :: answer`, 100 a file) for notedeck, and the same
    cards in ankdown's format (front, `%`, back, `---`) under `ankdown`: the work both do."""
    for i in range(0, facts, 100):
        pairs = [(f"What does term {n} of the benchmark mean?", f"a made-up meaning of term {n}")
                 for n in range(i, min(i + 100, facts))]
        name = f"topic-{i // 5000:03d}/cards-{i // 100:05d}.md"
        for root, text in ((folder, "".join(f"- {q} :: {a}\n" for q, a in pairs)),
                           (ankdown, "".join(f"{q}\n\n%\n\n{a}\n\n---\n\n" for q, a in pairs))):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")


def bench_explicit(facts: int, work: Path, repeat: int = 3) -> dict[str, Run]:
    """A cold build of an explicit-only vault, ankdown on the same cards and genanki alone, run
    in turn `repeat` times; each one's median run (this machine's speed drifts by half within
    minutes: only runs side by side, taken in turns, compare)."""
    vault, peer = work / f"explicit-{facts}", work / f"ankdown-{facts}"
    for p in (vault, peer):
        shutil.rmtree(p, ignore_errors=True)
    explicit_vault(vault, facts, peer)
    ankdown = shutil.which("ankdown") or os.environ.get("ANKDOWN")
    taken: dict[str, list[Run]] = {}
    for turn in range(repeat):
        out, cache = work / f"explicit-out-{facts}-{turn}", work / f"explicit-cache-{facts}-{turn}"
        env = {**os.environ, "NOTEDECK_CACHE_DIR": str(cache)}
        argv = [*notedeck_command(), "build", str(vault), "-o", str(out), "--no-lock"]
        taken.setdefault("cold", []).append(timed("cold build", argv, env, work))
        if ankdown:
            argv = [ankdown, "-r", str(peer), "-p", str(work / "ankdown.apkg")]
            taken.setdefault("ankdown", []).append(timed("ankdown", argv, env, work))
        argv = [sys.executable, "-c", GENANKI_ALONE, str(facts), str(work / "genanki.apkg")]
        taken.setdefault("genanki", []).append(timed("genanki alone", argv, env, work))
    runs = _medians(taken, "genanki")
    runs["genanki"].output = str(facts)
    return runs


def startup(repo: Path, runs: int = 5) -> dict[str, float]:
    """Median seconds of `notedeck --version`, an up-to-date build of the example and
    `python -c "import genanki"`, run in turn (the example is built once first)."""
    env = {**os.environ, "NOTEDECK_CACHE_DIR": str(Path(tempfile.mkdtemp(prefix="notedeck-startup-")))}
    build = [*notedeck_command(), "build", "-o", tempfile.mkdtemp(prefix="notedeck-startup-out-")]
    timed("first build", build, env, repo)
    commands = {"notedeck --version": [*notedeck_command(), "--version"],
                "up-to-date build (example)": build,
                "import genanki": [sys.executable, "-c", "import genanki"]}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(name, argv, env, repo).seconds)
    return {name: sorted(t)[len(t) // 2] for name, t in times.items()}


TARGETS = {"cold build": "<= 2.0 (explicit only)", "notedeck --version": "<= 1.5",
           "up-to-date build (example)": "<= 1.5", "ankdown": "(a peer, for comparison)"}
"""Issue 19's targets, as ratios to the reference (genanki alone, or importing it)."""
REBUILD_TARGETS = {("nothing changed", 20_000): "<= 0.3", ("one file changed", 20_000): "<= 1.2",
                   ("nothing changed", 100_000): "<= 0.17 (kept)",
                   ("one file changed", 100_000): "<= 0.80 (kept)"}
MEMORY_TARGET_MB = 600
"""Peak memory of any build at 100k facts."""


def target(label: str, facts: int, explicit: bool = False) -> str:
    """What issue 19 asks of `label` at this size ('' for nothing)."""
    if label == "cold build" and not explicit:
        return f"peak <= {MEMORY_TARGET_MB} MB" if facts >= 100_000 else ""
    return REBUILD_TARGETS.get((label, facts), "") if label in ("nothing changed", "one file changed") \
        else TARGETS.get(label, "")


def report(facts: int, runs: dict[str, Run], explicit: bool = False) -> None:
    """One table per size: time, memory, cards/s and the ratio to genanki alone."""
    cards = int(runs["genanki"].output)
    ref = runs["genanki"].seconds
    print(f"\n{facts:,} facts -> {cards:,} cards")
    print(f"  {'run':<18}{'wall s':>9}{'peak MB':>9}{'cards/s':>10}{'x genanki':>11}  target")
    for run in runs.values():
        ratio = run.ratio if run.ratio is not None else run.seconds / ref
        print(f"  {run.label:<18}{run.seconds:>9.2f}{run.peak_mb:>9.0f}{cards / run.seconds:>10,.0f}"
              f"{ratio:>11.2f}  {target(run.label, facts, explicit)}")


PER_CORE = """
import sys, time
from pathlib import Path
from generator.extract_files import FileSettings, extract_file
from generator.options import ExtractChoices
from generator.sources import collect, read_notes
files = collect(sys.argv[1:]).files
data = [(f, read_notes(f)) for f in files]
settings = FileSettings("Rate", ExtractChoices().for_notes())
extract_file(data[0][1], data[0][0].path, data[0][0].display, (), settings)  # what the first file sets up
start, cards = time.process_time(), 0
for f, raw in data:
    cards += len(extract_file(raw, f.path, f.display, f.subdeck, settings).cards)
print(cards, time.process_time() - start)
"""


def per_core(label: str, sources: list[Path], env: dict[str, str], work: Path) -> None:
    """Unmarked extraction on one core: cards (deck and suggestions) per CPU second and CPU
    milliseconds per card, every file extracted in one process (no pool, no cache)."""
    run = timed(f"extraction ({label})", [sys.executable, "-c", PER_CORE, *map(str, sources)], env, work)
    cards, seconds = run.output.split()
    print(f"  {label:<34}{int(cards):>8,} cards{int(cards) / float(seconds):>9,.0f} cards/s"
          f"{float(seconds) * 1000 / int(cards):>8.2f} ms a card")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, action="append",
                        help="vault size in facts (repeatable; default 10000, 20000 and 100000)")
    parser.add_argument("--work", type=Path, help="folder for vaults and outputs (default: a temp folder)")
    parser.add_argument("--explicit", type=int, action="append", default=[],
                        help="also an explicit-only vault of this many `q :: a` facts, beside ankdown "
                             "(on PATH, or $ANKDOWN) and genanki (repeatable)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="turns of each explicit-only measure and of each size's rebuilds "
                             "(medians shown)")
    parser.add_argument("--startup", action="store_true",
                        help="also time start-up: --version and an up-to-date build of the example")
    parser.add_argument("notedeck_args", nargs="*", help="extra `notedeck build` arguments (after --)")
    args = parser.parse_args()
    everything = not (args.facts or args.explicit or args.startup)
    sizes = args.facts or [10_000, 20_000, 100_000]
    explicit_sizes = args.explicit or ([100_000] if everything else [])
    tmp = None if args.work else tempfile.TemporaryDirectory(prefix="notedeck-bench-")
    work = args.work or Path(tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    cold: dict[int, float] = {}
    try:
        if args.startup or everything:
            medians = startup(Path(__file__).resolve().parent.parent)
            ref = medians["import genanki"]
            print("\nstart-up (median of 5)")
            for name, seconds in medians.items():
                print(f"  {name:<28}{seconds:>7.3f} s{seconds / ref:>7.2f} x import genanki  "
                      f"{TARGETS.get(name, '')}")
        for facts in explicit_sizes:
            print(f"\nexplicit cards only (`question :: answer`), median of {args.repeat}", end="")
            report(facts, bench_explicit(facts, work, args.repeat), explicit=True)
        for facts in sizes if (args.facts or everything) else []:
            runs = bench(facts, work, args.notedeck_args, args.repeat)
            report(facts, runs)
            cold[facts] = runs["cold"].seconds
        if args.facts or everything:
            print("\nunmarked extraction, one core")
            env = {**os.environ, "NOTEDECK_CACHE_DIR": str(work / "per-core-cache")}
            per_core(f"mixed vault, {sizes[0]:,} facts", [work / f"vault-{sizes[0]}"], env, work)
            dev = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"
            if dev.is_dir():
                notes = sorted(p for p in dev.iterdir()
                               if p.suffix in (".md", ".txt", ".org") and p.stem != "SOURCES")
                per_core("development corpus (12 files)", notes, env, work)
    finally:
        if tmp is not None:
            tmp.cleanup()
    if 10_000 in cold and 100_000 in cold:
        print(f"\ncold 100k / cold 10k: {cold[100_000] / cold[10_000]:.1f} (linear is 10; target <= 11)")


if __name__ == "__main__":
    main()
