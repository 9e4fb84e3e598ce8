"""`notedeck diff`: which cards a release adds, changes and removes, matched by GUID.

Reads built decks (.apkg), JSON Lines exports (.jsonl) and Anki CSV exports (.csv), or a
folder of them (a previous release's artifacts), and writes a summary as plain text or as
Markdown release notes. Cards that a build kept as tombstones (tag `notedeck::removed`)
count as removed.
"""

from __future__ import annotations

import csv
import html
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .cards import REMOVED_TAG
from .errors import NotedeckError

SUFFIXES = (".apkg", ".jsonl", ".csv")


@dataclass(frozen=True)
class Seen:
    """A card as a release file shows it: enough to say what changed."""

    guid: str
    question: str
    answer: str
    deck: str


@dataclass
class Changes:
    """The difference between two releases."""

    added: list[Seen] = field(default_factory=list)
    changed: list[tuple[Seen, Seen]] = field(default_factory=list)
    removed: list[Seen] = field(default_factory=list)
    before: int = 0
    after: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class _Text(HTMLParser):
    """Field HTML to one line of text: list items joined by `; `, breaks as spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.items = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1
        elif tag == "li":
            if self.items:
                self.parts.append("; ")
            self.items += 1
        elif tag in ("br", "p", "div", "tr"):
            self.parts.append(" ")
        elif tag == "img":
            self.parts.append(f"[image {dict(attrs).get('src') or ''}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def text_of(field_html: str) -> str:
    """The readable text of an Anki field."""
    parser = _Text()
    parser.feed(field_html)
    parser.close()
    return re.sub(r"\s+", " ", html.unescape("".join(parser.parts))).strip()


def _from_apkg(path: Path) -> list[Seen]:
    """Notes of an .apkg (any Anki 2.1 package with a `collection.anki2`/`anki21` database)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            db_name = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
            if db_name is None:
                hint = ("re-export it with 'Support older Anki versions' ticked"
                        if "collection.anki21b" in names else "is it an Anki package?")
                raise NotedeckError(f"{path}: no collection database notedeck can read", hint)
            data = z.read(db_name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotedeckError(f"cannot read {path}: {exc}", "pass a .apkg built by notedeck or Anki") from exc
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        db_path.write_bytes(data)
        db = sqlite3.connect(db_path)
        try:
            decks = json.loads(db.execute("select decks from col").fetchone()[0] or "{}")
            deck_of = {nid: did for nid, did in db.execute("select nid, did from cards order by ord desc")}
            rows = db.execute("select id, guid, flds, tags from notes order by id").fetchall()
        except (sqlite3.DatabaseError, TypeError, ValueError) as exc:
            raise NotedeckError(f"{path}: unreadable Anki collection: {exc}",
                                "pass a .apkg built by notedeck or Anki") from exc
        finally:
            db.close()
    deck_names = {int(k): v.get("name", "") for k, v in decks.items()}
    out = []
    for nid, guid, flds, tags in rows:
        if REMOVED_TAG in tags.split():
            continue
        fields = flds.split("\x1f")
        out.append(Seen(guid, text_of(fields[0]), text_of(fields[1]) if len(fields) > 1 else "",
                        deck_names.get(deck_of.get(nid, 0), "")))
    return out


def _from_jsonl(path: Path) -> list[Seen]:
    """Cards of a JSON Lines export (the interchange format, `Card.to_json`)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            card = json.loads(line)
            if REMOVED_TAG in card.get("tags", []):
                continue
            out.append(Seen(str(card["guid"]), str(card["question"]), str(card.get("answer", "")),
                            str(card.get("deck", ""))))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise NotedeckError(f"{path}:{n}: not a card line ({exc})",
                                "pass a file written by notedeck extract or build") from exc
    return out


def _from_csv(path: Path) -> list[Seen]:
    """Notes of an Anki text-import file with `#guid column`, `#deck column`, `#tags column`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = {}
    while lines and lines[0].startswith("#"):
        key, _, value = lines.pop(0)[1:].partition(":")
        header[key.strip()] = value.strip()
    if "guid column" not in header:
        raise NotedeckError(f"{path}: no `#guid column` header", "pass a CSV written by notedeck")
    seps = {"Tab": "\t", "Comma": ",", "Semicolon": ";", "Pipe": "|", "Space": " ", "Colon": ":"}
    sep = seps.get(header.get("separator", "Tab"), header.get("separator", "\t"))
    col = {k: int(header[f"{k} column"]) - 1 for k in ("guid", "deck", "tags", "notetype")
           if f"{k} column" in header}
    meta = set(col.values())
    out = []
    for row in csv.reader(lines, delimiter=sep):
        if not row:
            continue
        if "tags" in col and REMOVED_TAG in row[col["tags"]].split():
            continue
        fields = [v for i, v in enumerate(row) if i not in meta]
        front = re.sub(r'<div class="nd-topic">.*?</div>', "", fields[0], flags=re.S) if fields else ""
        out.append(Seen(row[col["guid"]], text_of(front),
                        text_of(re.sub(r'<div class="nd-meta">.*?</div>', "", fields[1], flags=re.S))
                        if len(fields) > 1 else "",
                        row[col["deck"]] if "deck" in col else ""))
    return out


READERS = {".apkg": _from_apkg, ".jsonl": _from_jsonl, ".csv": _from_csv}


def release_files(paths: Sequence[Path]) -> list[Path]:
    """Files to read: the given files; for a folder, its .apkg files, else its .jsonl, else .csv."""
    files = []
    for p in paths:
        if p.is_dir():
            for suffix in SUFFIXES:
                found = sorted(p.glob(f"*{suffix}"))
                if found:
                    files.extend(found)
                    break
            else:
                raise NotedeckError(f"no .apkg, .jsonl or .csv files in {p}", "pass the folder of a build")
        elif p.is_file():
            if p.suffix.lower() not in READERS:
                raise NotedeckError(f"cannot compare {p.name}", "pass .apkg, .jsonl or .csv files")
            files.append(p)
        else:
            raise NotedeckError(f"no such file or folder: {p}", "check the path")
    return files


def load(paths: Sequence[Path]) -> dict[str, Seen]:
    """Every card of the release files, by GUID."""
    cards: dict[str, Seen] = {}
    for p in release_files(paths):
        for card in READERS[p.suffix.lower()](p):
            cards.setdefault(card.guid, card)
    return cards


def compare(old: dict[str, Seen], new: dict[str, Seen]) -> Changes:
    """Cards added, changed (question, answer or deck) and removed, in the new release's order."""
    changes = Changes(before=len(old), after=len(new))
    for guid, card in new.items():
        was = old.get(guid)
        if was is None:
            changes.added.append(card)
        elif (was.question, was.answer, was.deck) != (card.question, card.answer, card.deck):
            changes.changed.append((was, card))
    changes.removed = [c for g, c in old.items() if g not in new]
    return changes


def diff(old: Sequence[Path], new: Sequence[Path]) -> Changes:
    """Compare the cards of two releases (files or folders)."""
    old_files, new_files = release_files(old), release_files(new)
    kinds = {p.suffix.lower() for p in [*old_files, *new_files]}
    if len(kinds) > 1:
        raise NotedeckError(f"cannot compare {' with '.join(sorted(kinds))}: texts are formatted differently",
                            "compare files of one kind, e.g. two .apkg or two .jsonl")
    return compare(load(old_files), load(new_files))


def _counts(c: Changes) -> str:
    return f"{len(c.added)} added, {len(c.changed)} changed, {len(c.removed)} removed"


def _change(was: Seen, now: Seen) -> list[tuple[str, str, str]]:
    """What changed in a card: (what, before, after)."""
    parts = [("question", was.question, now.question), ("answer", was.answer, now.answer),
             ("deck", was.deck, now.deck)]
    return [p for p in parts if p[1] != p[2]]


def as_text(c: Changes) -> str:
    """One line per card: `+` added, `~` changed, `-` removed."""
    lines = [f"{_counts(c)} ({c.before} card{'' if c.before == 1 else 's'} before, {c.after} after)"]
    lines += [f"+ [{s.deck}] {s.question} -> {s.answer}" for s in c.added]
    for was, now in c.changed:
        lines.append(f"~ [{now.deck}] {now.question}")
        lines += [f"    {what}: {before} -> {after}" for what, before, after in _change(was, now)]
    lines += [f"- [{s.deck}] {s.question}" for s in c.removed]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Card text safe inside Markdown (no accidental emphasis, links, HTML or tables)."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", text) or "(empty)"


def as_markdown(c: Changes, title: str = "Card changes") -> str:
    """Release notes: a summary line, then Added / Changed / Removed sections."""
    cards = "card" if c.after == 1 else "cards"
    out = [f"## {title}", "", f"**{_counts(c)}** ({c.before} → {c.after} {cards})", ""]
    if not c:
        out += ["No card changed.", ""]
    sections: Iterable[tuple[str, list[str]]] = (
        ("Added", [f"- **{_md(s.question)}** — {_md(s.answer)} ({_md(s.deck)})" for s in c.added]),
        ("Changed", [f"- **{_md(now.question)}** ({_md(now.deck)}): " + "; ".join(
            f"{what} ~~{_md(before)}~~ → {_md(after)}" for what, before, after in _change(was, now))
            for was, now in c.changed]),
        ("Removed", [f"- ~~{_md(s.question)}~~ ({_md(s.deck)})" for s in c.removed]),
    )
    for name, items in sections:
        if items:
            out += [f"### {name}", "", *items, ""]
    return "\n".join(out)
