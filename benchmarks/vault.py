"""A deterministic generator of realistic synthetic note vaults, for the build benchmark.

    python benchmarks/vault.py FOLDER --facts 10000

Writes about `facts / 100` files, plain-text "•" outlines and Markdown mixed, in topic
folders: headings, nested bullets, definitions ("X is Y"), acronyms, lists under a lead-in,
numbers and dates, `question :: answer` lines, asides, code blocks and math. The same
`--facts` and `--seed` always give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FACTS_PER_FILE = 100
_ONSETS = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cr",
           "dr", "gl", "pl", "pr", "st", "tr", "qu", "sh", "th", "ch"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
_CODAS = ["", "", "n", "r", "s", "x", "l", "m", "nd", "st", "rk"]
_KINDS = ["scheduler", "allocator", "protocol", "index", "compiler pass", "cache", "queue", "parser",
          "storage engine", "load balancer", "runtime", "type checker", "garbage collector", "linker",
          "message broker", "file system", "enzyme", "organelle", "theorem", "algorithm"]
_DOES = ["keeps {x} in memory between requests", "splits {x} into smaller batches",
         "tracks which {x} changed since the last run", "moves {x} to the closest worker",
         "checks all {x} before they are stored", "turns {x} into a compact binary form",
         "retries failed {x} with a backoff", "replays {x} after a crash"]
_THINGS = ["requests", "pages", "records", "packets", "proteins", "tokens", "rows", "events", "blocks",
           "messages", "symbols", "goroutines"]
_ASIDES = ["Really good talk, slides are online", "TODO: look this up later", "Need to try this at work",
           "Q&A ran long", "Great demo", "Speaker was very funny"]
_VERBS = ["was released in", "was first described in", "became the default in", "was rewritten in"]


class Words:
    """Made-up but pronounceable names, never repeated within a vault (so facts are distinct)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def name(self, syllables: int = 2) -> str:
        while True:
            word = "".join(self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) + self.rng.choice(_CODAS)
                           for _ in range(syllables))
            if word not in self.used and len(word) > 3:
                self.used.add(word)
                return word


def _topic(rng: random.Random, words: Words, md: bool, bullet: str, facts: int) -> tuple[list[str], int]:
    """One heading's worth of notes with at most `facts` facts; returns its lines and the count."""
    lines: list[str] = []
    title = words.name(3).capitalize()
    lines.append(f"## {title}" if md else f"{title}")
    count = 0
    while count < facts:
        roll = rng.random()
        term = words.name().capitalize() if rng.random() < 0.5 else words.name()
        thing = rng.choice(_THINGS)
        if roll < 0.34:  # definition
            kind = rng.choice(_KINDS)
            does = rng.choice(_DOES).format(x=thing)
            article = "an" if kind[0] in "aeiou" else "a"
            lines.append(f"{bullet} {term} is {article} {kind} that {does}")
            count += 1
        elif roll < 0.44:  # acronym
            parts = [words.name() for _ in range(3)]
            acronym = "".join(p[0] for p in parts).upper()
            lines.append(f"{bullet} {acronym} ({' '.join(parts)}) {rng.choice(_DOES).format(x=thing)}")
            count += 1
        elif roll < 0.58:  # a list under a lead-in
            n = rng.randint(3, 5)
            lines.append(f"{bullet} The {n} parts of {term}:")
            lines.extend(f"    {bullet} {words.name()}" for _ in range(n))
            count += 1
        elif roll < 0.70:  # numbers and dates
            lines.append(f"{bullet} {term} {rng.choice(_VERBS)} {rng.randint(1960, 2024)}")
            count += 1
        elif roll < 0.78:  # explicit question :: answer
            lines.append(f"{bullet} What does {term} stand for :: {words.name()} {words.name()} {thing}")
            count += 1
        elif roll < 0.86:  # nested detail under a statement
            lines.append(f"{bullet} {term} {rng.choice(_DOES).format(x=thing)}")
            lines.append(f"    {bullet} {rng.randint(2, 64)} {thing} at a time by default")
            count += 1
        elif roll < 0.91:  # an aside: no card expected
            lines.append(f"{bullet} {rng.choice(_ASIDES)}")
        elif roll < 0.96 and md:  # code or math
            if rng.random() < 0.5:
                lines.extend(["", "```python", f"def {words.name()}(x):",
                              f"    return x * {rng.randint(2, 9)}", "```", ""])
            else:
                lines.append(f"- The {term} bound is $O(n \\log n)$ for {thing}")
                count += 1
        else:  # a plain paragraph statement
            lines.append(f"{term} {rng.choice(_DOES).format(x=thing)}.")
            count += 1
    return lines, count


def generate(folder: Path, facts: int, seed: int = 1, per_file: int = FACTS_PER_FILE) -> list[Path]:
    """Write a vault of about `facts` facts into `folder`, about `per_file` a file; returns the
    files, sorted."""
    rng = random.Random(seed)
    words = Words(rng)
    written: list[Path] = []
    files = max(1, round(facts / per_file))
    left = facts
    for i in range(files):
        md = i % 3 != 0  # two thirds Markdown, one third plain-text outlines
        topic_dir = folder / f"topic-{i // 50:03d}"
        topic_dir.mkdir(parents=True, exist_ok=True)
        path = topic_dir / f"notes-{i:05d}.{'md' if md else 'txt'}"
        want = left if i == files - 1 else min(left, per_file)
        lines = [f"# {words.name(2).capitalize()} notes" if md else f"{words.name(2).capitalize()} notes", ""]
        bullet = "-" if md else "•"
        while want > 0:
            chunk, n = _topic(rng, words, md, bullet, min(want, rng.randint(8, 20)))
            lines.extend([*chunk, ""])
            want -= n
            left -= n
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.folder, args.facts, args.seed)
    print(f"wrote {len(files)} files with {args.facts} facts to {args.folder}")


if __name__ == "__main__":
    main()
