"""Decks that behave in Anki: edits update notes in place, reviews survive, nothing duplicates.

Everything here goes through the real Anki library: the package is imported the way Anki's
File > Import does, cards are answered with Anki's scheduler, and fields are rendered by Anki.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

import generator
from conftest import import_apkg, run_cli
from generator.cli import cli

V1 = """# Cell biology

- Mitochondria are the powerhouse of the cell
- Ribosomes are molecular machines that build proteins
- Chlorophyll is a green pigment that absorbs light
- Phases of mitosis
  1. prophase
  2. metaphase
  3. anaphase
- Lysosomes are sacs of digestive enzymes
"""

# v2: an answer changed, a typo fixed in a question, lines moved, a card added, one deleted.
V2 = """# Cell biology

- Chlorophyll is a green pigment that absorbs red and blue light
- Phases of mitosis
  1. prophase
  2. metaphase
  3. anaphase
- Mitochondira are the powerhouse of the cell
- Ribosomes are molecular machines that build proteins
- Vacuoles are storage sacs for water and nutrients
"""


def _build(notes: Path, out: Path, lock: Path, monkeypatch: pytest.MonkeyPatch, when: int,
           **kw: object) -> tuple[Path, generator.BuildResult]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(when))
    [result] = generator.build([notes], generator.BuildOptions(output_dir=out, deck="Biology", lock_path=lock,
                                                                 spelling=False, **kw))
    return result.paths[0], result


def _notes_by_front(col) -> dict[str, int]:
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[html.unescape(re.sub(r"<[^>]+>", "", note.fields[0])).lower()] = nid
    return out


def test_rebuild_after_edits_updates_in_place_and_keeps_reviews(tmp_path, anki_collection, monkeypatch):
    """Edited notes update (same note ids), reviewed cards keep their history, a new card is
    added, nothing is duplicated, and a changed stylesheet updates the same note type."""
    col = anki_collection
    notes = tmp_path / "bio.md"
    lock = tmp_path / "notedeck.lock"
    notes.write_text(V1, encoding="utf-8")
    v1, r1 = _build(notes, tmp_path / "v1", lock, monkeypatch, 1_700_000_000)
    assert r1.removed == 0
    import_apkg(col, v1)
    before = _notes_by_front(col)
    assert "what are mitochondria?" in before and "what are lysosomes?" in before
    n_models = len(col.models.all())

    # Study: answer every card once ("Good"), so they leave the new queue with a history.
    reviewed = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)
        card = col.get_card(cid)
        reviewed[cid] = (card.reps, card.type, card.due)

    # Edit the notes and the note type's stylesheet, then rebuild against the same lock.
    notes.write_text(V2, encoding="utf-8")
    tdir = tmp_path / "templates" / "anki"
    tdir.mkdir(parents=True)
    css = '{% include "default/anki/style.css" %}\n.nd-question { color: #123456; }\n'
    (tdir / "style.css").write_text(css, encoding="utf-8")
    v2, r2 = _build(notes, tmp_path / "v2", lock, monkeypatch, 1_700_100_000,
                    template_dirs=[tmp_path / "templates"])
    assert r2.removed == 1  # lysosomes
    log = import_apkg(col, v2).log

    after = _notes_by_front(col)
    # the typo fix in the question kept the note (same id) and changed its front
    assert "what are mitochondira?" in after
    assert after["what are mitochondira?"] == before["what are mitochondria?"]
    # the changed answer updated the same note in place
    chloro = col.get_note(after["what is chlorophyll?"])
    assert chloro.id == before["what is chlorophyll?"] and "red and blue" in chloro.fields[1]
    updated = {u.id.nid for u in log.updated}  # Anki's import log: notes it updated in place
    assert {before["what are mitochondria?"], before["what is chlorophyll?"]} <= updated
    # moved but unchanged notes are left alone; the new card is added; nothing is duplicated
    assert after["what are ribosomes?"] == before["what are ribosomes?"]
    assert "what are vacuoles?" in after and len(log.new) == 1
    assert len(after) == len(before) + 1  # the removed card's note stays until the user deletes it
    # reviews survive: every card that existed keeps its reps and state
    for cid, (reps, ctype, due) in reviewed.items():
        card = col.get_card(cid)
        assert (card.reps, card.type, card.due) == (reps, ctype, due)
    # the note type was updated, not copied ("notedeck Basic-1a2b3")
    names = [m["name"] for m in col.models.all()]
    assert len(names) == n_models + 0 or all(names.count(n) == 1 for n in names)
    assert not any(re.search(r"notedeck .*-[0-9a-f]{5}$", n) for n in names)
    # Anki renders with the new stylesheet (read through Anki's renderer, not Python's cache)
    card = col.get_card(col.find_cards('"note:notedeck Basic"')[0])
    assert "#123456" in card.question()


def test_same_notes_build_the_same_notes(tmp_path, monkeypatch):
    """Two builds of unchanged notes keep every note's modification time (untouched in Anki)."""
    notes = tmp_path / "bio.md"
    notes.write_text(V1, encoding="utf-8")
    lock = tmp_path / "notedeck.lock"
    _build(notes, tmp_path / "a", lock, monkeypatch, 1_700_000_000)
    first = lock.read_text(encoding="utf-8")
    _build(notes, tmp_path / "b", lock, monkeypatch, 1_800_000_000)
    assert lock.read_text(encoding="utf-8") == first
    assert (tmp_path / "a" / "biology.apkg").read_bytes() == (tmp_path / "b" / "biology.apkg").read_bytes()


def test_tombstones_tag_removed_cards(tmp_path, anki_collection, monkeypatch):
    """--tombstones sends a removed card once more, tagged so one search finds them all."""
    notes = tmp_path / "bio.md"
    lock = tmp_path / "notedeck.lock"
    notes.write_text(V1, encoding="utf-8")
    v1, _ = _build(notes, tmp_path / "v1", lock, monkeypatch, 1_700_000_000)
    import_apkg(anki_collection, v1)
    notes.write_text(V1.replace("- Lysosomes are sacs of digestive enzymes\n", ""), encoding="utf-8")
    v2, r2 = _build(notes, tmp_path / "v2", lock, monkeypatch, 1_700_100_000, tombstones=True)
    assert r2.removed == 1
    import_apkg(anki_collection, v2)
    found = anki_collection.find_notes("tag:notedeck::removed")
    assert len(found) == 1
    assert "lysosomes" in anki_collection.get_note(found[0]).fields[0].lower()


RICH = r"""# Rich content

- Q: How do you read a file line by line in Python?
- A: Iterate over the file object:

```python
with open(path) as f:
    for line in f:
        print(line)
```

- The quadratic formula :: $x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}$
- The capital of ==Mongolia== is ==Ulaanbaatar==
- Photosynthesis :: light energy to chemical energy ![](img/leaf.png)
- **Osmosis** is the *diffusion* of water through a `membrane`
- Entropy ::: a measure of disorder
- What stays plain text? :: {{Front}}, {{#Tags}} and <b>this</b>
"""


def test_rich_content_arrives_in_anki(tmp_path, anki_collection):
    """Code is highlighted, math reaches MathJax, cloze makes one card per deletion, images
    land in the media folder, Markdown is HTML, and note text never acts as template syntax."""
    folder = tmp_path / "notes"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "leaf.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"leaf" * 20)
    (folder / "rich.md").write_text(RICH, encoding="utf-8")
    [r] = generator.build([folder / "rich.md"], generator.BuildOptions(
        output_dir=tmp_path / "out", deck="Rich", lock_path=tmp_path / "l.lock"))
    assert not [w for w in r.warnings if "image" in w], r.warnings
    import_apkg(anki_collection, r.paths[0])
    col = anki_collection
    rendered = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        rendered.setdefault(card.note().id, []).append((card.question(), card.answer()))
    backs = "\n".join(a for cards in rendered.values() for _, a in cards)
    assert '<span style="' in backs and "print" in backs  # Pygments, inline styles
    assert "<script" not in backs
    assert r"\(x = \frac" in backs or r"\(x = \frac".replace("{", "&#123;") in backs
    cloze = [cards for cards in rendered.values() if "Mongolia" in cards[0][1]]
    assert len(cloze) == 1 and len(cloze[0]) == 2  # one card per deletion
    assert "<strong>Osmosis</strong>" in backs or "<em>diffusion</em>" in backs
    assert "&lt;b&gt;this&lt;/b&gt;" in backs  # raw HTML shown as text
    assert "&#123;&#123;Front&#125;&#125;" in backs or "{{Front}}" not in backs  # never template syntax
    media = Path(col.media.dir())
    pngs = list(media.glob("nd-*.png"))
    assert len(pngs) == 1 and pngs[0].read_bytes().endswith(b"leaf" * 20)
    assert f'src="{pngs[0].name}"' in backs
    both_ways = [cards for cards in rendered.values() if len(cards) == 2 and "Entropy" in cards[0][0]]
    assert both_ways and "disorder" in both_ways[0][1][0]  # card 2 asks from the definition


def test_missing_and_escaping_images_are_reported(tmp_path):
    """A missing image is reported with file:line; one outside the notes folder is refused."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(b"x")
    (folder / "n.md").write_text("- Leaf :: ![](missing.png)\n- Key :: ![](../secret.png)\n",
                                 encoding="utf-8")
    [r] = generator.build([folder], generator.BuildOptions(output_dir=tmp_path / "out",
                                                           lock_path=tmp_path / "l.lock"))
    text = "\n".join(r.warnings)
    assert "n.md:1: image missing.png not found" in r.warnings[0]  # named from the notes root given
    assert "n.md:2: image ../secret.png is outside the notes folder" in text


def test_cli_flags_for_updates(tmp_path):
    from click.testing import CliRunner

    notes = tmp_path / "bio.md"
    notes.write_text(V1, encoding="utf-8")
    runner = CliRunner()
    args = ["build", str(notes), "-o", str(tmp_path / "o"), "--lock", str(tmp_path / "x.lock")]
    assert runner.invoke(cli, args).exit_code == 0
    notes.write_text(V1.replace("- Lysosomes are sacs of digestive enzymes\n", ""), encoding="utf-8")
    result = runner.invoke(cli, [*args, "--tombstones"])
    assert result.exit_code == 0 and "1 removed since the last build" in result.output


def test_every_note_type_renders_and_subdecks_and_tags_arrive(tmp_path, anki_collection):
    """A folder of notes: files become sub-decks, front matter and #tags become tags, and every
    card of every note type renders a non-empty front and back in Anki."""
    root = tmp_path / "biology"
    (root / "cells").mkdir(parents=True)
    (root / "cells" / "organelles.md").write_text(
        "---\ntags: [exam, cells]\n---\n# Organelles\n\n"
        "- Mitochondria are the powerhouse of the cell #energy\n"
        "- Parts of a neuron\n  - dendrite\n  - axon\n- Entropy ::: a measure of disorder\n"
        "- The cell was first seen in ==1665==\n", encoding="utf-8")
    (root / "plants.txt").write_text("Plants\n\n• Chlorophyll is a green pigment\n", encoding="utf-8")
    [r] = generator.build([root], generator.BuildOptions(output_dir=tmp_path / "out",
                                                         lock_path=tmp_path / "l.lock", heading_tags=True))
    import_apkg(anki_collection, r.paths[0])
    col = anki_collection
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert {"biology::cells::organelles", "biology::plants"} <= decks
    mito = col.get_note(col.find_notes("mitochondria")[0])
    assert {"exam", "cells", "energy", "organelles"} <= set(mito.tags)
    assert "#energy" not in mito.fields[0] + mito.fields[1]
    kinds = set()
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        kinds.add(card.note().note_type()["name"])
        front = re.sub(r"<style>.*?</style>|<[^>]+>", "", card.question(), flags=re.S).strip()
        back = re.sub(r"<style>.*?</style>|<[^>]+>", "", card.answer(), flags=re.S).strip()
        assert front and back and back != front
    assert kinds == {"notedeck Basic", "notedeck List", "notedeck Basic (and reversed)", "notedeck Cloze"}


def test_unbalanced_math_is_reported_not_mangled(tmp_path):
    notes = tmp_path / "m.md"
    notes.write_text("- Euler's identity :: $e^{i\\pi} + 1 = 0\n", encoding="utf-8")
    [r] = generator.build([notes], generator.BuildOptions(output_dir=tmp_path / "out",
                                                          lock_path=tmp_path / "l.lock"))
    assert any("m.md:1: unbalanced math" in w for w in r.warnings), r.warnings


def test_lock_lines_of_unchanged_cards_are_reused_only_when_they_match(tmp_path):
    """Saving a big lock reuses the loaded line of each unchanged card; a changed card, or a
    lock reformatted by hand (lines no longer one card each), is written out afresh."""
    import json
    from dataclasses import replace

    from generator.lock import Entry, Lock

    path = tmp_path / "notedeck.lock"
    lock = Lock(path, [Entry("g1", "D", "basic", "Q1?", "A1", "n.md", "d1", 100),
                       Entry("g2", "D", "basic", "Q2?", "A2", "n.md", "d2", 100)])
    lock.save()
    canonical = path.read_text(encoding="utf-8")
    loaded = Lock.load(path)
    loaded.entries["g2"] = replace(loaded.entries["g2"], answer="A2 edited")
    assert json.loads(loaded.dumps())["cards"][1]["answer"] == "A2 edited"
    assert Lock.load(path).dumps() == canonical
    pretty = json.dumps(json.loads(canonical), indent=2)
    path.write_text(pretty, encoding="utf-8")
    assert Lock.load(path).dumps() == canonical


def _fronts_and_backs(col) -> dict[str, str]:
    """Each note's front (plain, lower case) -> its back as Anki holds it."""
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[html.unescape(re.sub(r"<[^>]+>", "", note.fields[0])).lower()] = note.fields[1]
    return out


@pytest.mark.parametrize("cache", [True, False], ids=["patched", "full"])
def test_an_edit_in_the_same_second_still_updates_anki(tmp_path, anki_collection, monkeypatch, cache):
    """A card edited within the second of the last build's file time gets a newer `mod` than the
    one recorded for it (Anki updates a note only when the incoming one is newer), whichever
    way the rebuild goes (a patch of the last build, or a full one)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    notes = tmp_path / "geo.md"
    notes.write_text("# Rivers\n- The Danube is a river that flows into the Black Sea\n"
                     "- The Rhone is a river that rises in a Swiss glacier\n",
                                     encoding="utf-8")
    when = notes.stat().st_mtime_ns
    flags = [] if cache else ["--no-cache"]
    assert run_cli(["build", "geo.md", "-o", "v1", *flags], tmp_path).exit_code == 0
    import_apkg(anki_collection, tmp_path / "v1" / "geo.apkg")
    notes.write_text("# Rivers\n- The Danube is a river that flows into the Black Sea at a delta\n"
                     "- The Rhone is a river that rises in a Swiss glacier\n",
                                     encoding="utf-8")
    os.utime(notes, ns=(when, when))  # the edit lands in the same second as the first file time
    assert run_cli(["build", "geo.md", "-o", "v2", *flags], tmp_path).exit_code == 0
    log = import_apkg(anki_collection, tmp_path / "v2" / "geo.apkg").log
    assert "at a delta" in _fronts_and_backs(anki_collection)["what is the danube?"]
    assert [u.fields[0] for u in log.updated] == ["What is the Danube?"] and not log.new


def test_a_line_moved_to_another_notes_file_keeps_its_note(tmp_path, anki_collection, monkeypatch):
    """Moving a line to another notes file (under another heading) keeps its card's GUID, so
    Anki updates the note it has, with its review history, and adds no second one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    col = anki_collection
    notes = tmp_path / "geo"
    notes.mkdir()
    (notes / "rivers.md").write_text("# Rivers\n- The Danube is a river that flows into the Black Sea\n"
                                     "- The Rhone is a river that rises in a Swiss glacier\n",
                                     encoding="utf-8")
    (notes / "lakes.md").write_text("# Lakes\n- Baikal is a rift lake in Siberia\n", encoding="utf-8")
    assert run_cli(["build", "geo", "-o", "v1"], tmp_path).exit_code == 0
    import_apkg(col, tmp_path / "v1" / "geo.apkg")
    before = _notes_by_front(col)
    [cid] = col.find_cards("Rhone")
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, 3)
    reps = col.get_card(cid).reps

    (notes / "rivers.md").write_text("# Rivers\n- The Danube is a river that flows into the Black Sea\n",
                                     encoding="utf-8")
    (notes / "lakes.md").write_text("# Lakes\n- Baikal is a rift lake in Siberia\n\n# Alpine waters\n"
                                    "- The Rhone is a river that rises in a Swiss glacier\n",
                                     encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    result = run_cli(["build", "geo", "-o", "v2"], tmp_path)
    assert result.exit_code == 0 and "removed" not in result.output
    log = import_apkg(col, tmp_path / "v2" / "geo.apkg").log
    after = _notes_by_front(col)
    assert not log.new and len(after) == len(before) == 3
    rhone = [nid for front, nid in after.items() if "rhone" in front]
    assert rhone == [before[next(f for f in before if "rhone" in f)]]
    assert "lakes.md:5" in col.get_note(rhone[0]).fields[3] and col.get_card(cid).reps == reps
