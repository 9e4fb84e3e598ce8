"""Cards and the JSON Lines interchange format (`generator/cards.py`); stable GUIDs."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import generator
from conftest import EXAMPLE
from generator.cards import CARD_TYPES
from generator.writers.jsonl import dump

KEYS = ["guid", "deck", "type", "question", "answer", "context", "tags", "extractor", "score", "source"]


def jsonl_records(cards) -> list[dict]:
    out = io.StringIO()
    dump(cards, out)
    text = out.getvalue()
    assert text.endswith("\n") and "\r" not in text
    return [json.loads(line) for line in text.split("\n") if line]


def test_jsonl_matches_the_interchange_format():
    """Every record has exactly the interchange format's keys, in order, with the documented types."""
    ex = generator.extract([EXAMPLE], deck="GopherCon 2024 Notes", tags=["gophercon-2024"])
    records = jsonl_records(ex.cards)
    assert records
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    for r in records:
        assert list(r) == KEYS
        assert r["type"] in CARD_TYPES
        assert r["deck"] == "GopherCon 2024 Notes" and r["tags"] == ["gophercon-2024"]
        assert isinstance(r["score"], float) and 0 <= r["score"] <= 1
        assert r["question"].strip() and r["answer"].strip() and r["guid"] and r["extractor"]
        src = r["source"]
        assert list(src) == ["path", "line", "end_line"]
        assert 1 <= src["line"] <= src["end_line"] <= len(lines)
        if r["type"] == "list":
            assert "; " in r["answer"]
    assert len({r["guid"] for r in records}) == len(records)


def _guids(path: Path) -> dict[str, str]:
    return {c.question: c.guid for c in generator.extract([path]).cards}


def test_guids_are_stable_when_lines_move_or_answers_change(tmp_path):
    """Same notes -> same GUIDs; moving lines or editing an answer keeps a card's GUID."""
    notes = tmp_path / "chem.md"
    original = ("# Chemistry\n\n- Catalysts are substances that speed up reactions\n"
                "- An isotope is an atom with a different neutron count\n")
    notes.write_text(original, encoding="utf-8")
    first = _guids(notes)
    assert first == _guids(notes)
    moved = ("# Chemistry\n\nIntro paragraph added at the top.\n\n"
             "- An isotope is an atom with a different neutron count\n\n\n"
             "- Catalysts are substances that speed up chemical reactions without being consumed\n")
    notes.write_text(moved, encoding="utf-8")
    second = _guids(notes)
    for question, guid in first.items():
        assert second[question] == guid


def test_guid_differs_by_context(tmp_path):
    """The same question under two headings gives two distinct cards."""
    notes = tmp_path / "langs.md"
    notes.write_text("# Go\n\n- Goroutines are lightweight threads\n\n"
                     "# Kotlin\n\n- Goroutines are lightweight threads\n", encoding="utf-8")
    cards = generator.extract([notes]).cards
    assert len(cards) == 2 and cards[0].guid != cards[1].guid


def test_duplicate_findings_are_merged(tmp_path):
    """Two extractors finding the same fact on the same line give one card (the higher score)."""
    notes = tmp_path / "dup.txt"
    notes.write_text("Networks\n\n• What is TCP? :: a reliable transport protocol\n"
                     "• TCP is a reliable transport protocol\n", encoding="utf-8")
    cards = generator.extract([notes]).cards
    questions = [c.question for c in cards]
    assert questions.count("What is TCP?") == 1
    assert next(c for c in cards if c.question == "What is TCP?").extractor == "explicit"


def test_placing_a_card_and_giving_it_its_identity_keep_every_other_field() -> None:
    """`Placement.place` and `with_identity` build the card whole (faster than `replace`): a field
    added to `Card` later must not be dropped by them."""
    import dataclasses

    from generator.cards import Card, Source, with_identity
    from generator.extract_files import Placement

    card = Card("Q?", "A", Source("n.md", 3, 4), "list", "Ctx", "list", 0.7, ("t",), "D", "g", ("a", "b"))
    set_by = {"deck", "tags", "guid"}
    for made, changed in ((with_identity(card, "Deck", ("x",)), set_by),
                          (Placement(("y",), {}, False, False).place(card),
                           {"tags", "question", "answer", "type"})):
        for f in dataclasses.fields(Card):
            if f.name not in changed:
                assert getattr(made, f.name) == getattr(card, f.name), f.name
    assert {f.name for f in dataclasses.fields(Card)} == {
        "question", "answer", "source", "type", "context", "extractor", "score", "tags", "deck", "guid",
        "items"}, "a new Card field: make `place` and `with_identity` carry it, then list it here"
    assert Placement((), {}, False, False).place(card) is card  # nothing to change: no new card


def _merged_one_key_at_a_time(cards: list) -> list:
    """`filters.merge_duplicates` as first written (a card's two keys tried in turn)."""
    from generator.cards import identity_text

    best: dict = {}
    keep: list = []
    for card in cards:
        keys = [("q", identity_text(card.question), identity_text(card.context)),
                ("a", identity_text(card.answer), card.source.path, str(card.source.line))]
        clash = next((best[k] for k in keys if k in best and keep[best[k]] is not None), None)
        if clash is not None:
            if card.score <= keep[clash].score:
                continue
            keep[clash] = None
        keep.append(card)
        for k in keys:
            best[k] = len(keep) - 1
    return [c for c in keep if c is not None]


_FEW = ["What is ATP?", "what is atp", "Who wrote it?", "Osmosis", ""]


_ROW = st.tuples(st.sampled_from(_FEW), st.sampled_from(_FEW), st.sampled_from(["", "Cells"]),
                st.sampled_from(["a.md", "b.md"]), st.integers(1, 3), st.sampled_from([0.3, 0.6, 0.9]))


@given(st.lists(_ROW, max_size=12))
def test_duplicates_merge_as_they_always_did(rows: list) -> None:
    """The written-out merge keeps exactly the cards the first one kept (the best-scored of
    each question under one heading, and of each answer on one line)."""
    from generator.cards import Card, Source
    from generator.filters import merge_duplicates

    cards = [Card(q, a, Source(path, line, line), context=ctx, score=score)
             for q, a, ctx, path, line, score in rows]
    assert merge_duplicates(list(cards)) == _merged_one_key_at_a_time(list(cards))


@given(st.lists(_ROW, max_size=12), st.integers(1, 3))
def test_duplicates_merge_by_text_whatever_their_keys(rows: list, buckets: int) -> None:
    """Given question keys (as the workers work them out), the merge keeps the same cards
    even when different questions share a key: here every key falls in one of a few buckets."""
    from generator.cards import Card, Source, question_key
    from generator.filters import merge_duplicates

    cards = [Card(q, a, Source(path, line, line), context=ctx, score=score)
             for q, a, ctx, path, line, score in rows]
    expected = _merged_one_key_at_a_time(list(cards))
    assert merge_duplicates(list(cards), [question_key(c) for c in cards]) == expected
    assert merge_duplicates(list(cards), [question_key(c) % buckets for c in cards]) == expected


_TEXT, _WORDS = st.text(max_size=8), st.lists(st.text(max_size=4), max_size=3).map(tuple)


@given(st.tuples(_TEXT, _TEXT, _TEXT, st.integers(0, 9), st.integers(0, 9),
                 st.sampled_from(["basic", "list", "cloze", "reversed"]), _TEXT, _TEXT, st.floats(0, 1),
                 _WORDS, _TEXT, _TEXT, _WORDS))
def test_cards_built_directly_are_the_dataclass_cards(v: tuple) -> None:
    """`new_card` and `new_source` (the fast builders of the per-card paths) give exactly the
    objects the constructors give: every field, in order, and they stay frozen and hashable."""
    import inspect

    from generator.cards import Card, Source, new_card, new_source

    q, a, path, line, end, kind, ctx, extractor, score, tags, deck, guid, items = v
    made = new_card(q, a, new_source(path, line, end), kind, ctx, extractor, score, tags, deck, guid, items)
    built = Card(q, a, Source(path, line, end), kind, ctx, extractor, score, tags, deck, guid, items)
    assert made == built and repr(made) == repr(built) and hash(made) == hash(built)
    assert made.items == built.items  # (not compared by ==)
    assert list(inspect.signature(new_card).parameters) == [f.name for f in dataclasses.fields(Card)]
    assert list(inspect.signature(new_source).parameters) == [f.name for f in dataclasses.fields(Source)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.question = "changed"  # type: ignore[misc]


def test_nodes_built_directly_are_the_dataclass_nodes() -> None:
    """The outline builder's fast `_new_node` takes every `Node` field, in order, and gives the
    node the constructor gives."""
    import inspect

    from generator.outline import Node, _new_node

    values = ("item", "Osmosis :: water", 3, 4, 1, 0, True, "py", ("Cells",), ("Transport",), (), ("t",))
    assert list(inspect.signature(_new_node).parameters) == [f.name for f in dataclasses.fields(Node)]
    made, built = _new_node(*values), Node(*values)
    assert made == built and repr(made) == repr(built) and hash(made) == hash(built)


def _same_line_as_first_written(cards: list) -> list:
    """`filters.merge_same_line` as first written (every line grouped, even with one card)."""
    from generator.filters import ASPECT_EXTRACTORS, FALLBACK_EXTRACTORS, OVERLAP, _content, _overlap

    by_line: dict = {}
    for card in cards:
        by_line.setdefault((card.source.path, card.source.line), []).append(card)
    keep: set = set()
    for group in by_line.values():
        kept: list = []
        for card in sorted(group, key=lambda c: (-c.score, c.extractor in FALLBACK_EXTRACTORS)):
            words = _content(card.answer)
            if card.extractor in FALLBACK_EXTRACTORS and any(
                    k.extractor not in ASPECT_EXTRACTORS | FALLBACK_EXTRACTORS
                    and _overlap(words, _content(k.answer) | _content(k.question)) > 0 for k in kept):
                continue
            if any(_overlap(words, _content(k.answer)) >= OVERLAP for k in kept):
                continue
            kept.append(card)
        keep.update(id(c) for c in kept)
    return [c for c in cards if id(c) in keep]


_SAYS = ["the mitochondria make energy", "energy storage molecule", "cell walls of plants", "make"]
_LINE_ROW = st.tuples(st.sampled_from(_SAYS), st.sampled_from(_SAYS), st.sampled_from(["a.md", "b.md"]),
                      st.integers(1, 3), st.sampled_from([0.3, 0.6, 0.9]),
                      st.sampled_from(["statement", "definition", "acronym", "list"]))


@given(st.lists(_LINE_ROW, max_size=10))
def test_cards_of_one_line_merge_as_they_always_did(rows: list) -> None:
    """Grouping only the lines with several cards keeps exactly the cards grouping every line
    kept, in their order (equal cards too: they are told apart by identity)."""
    from generator.cards import Card, Source
    from generator.filters import merge_same_line

    cards = [Card(q, a, Source(path, line, line), score=score, extractor=ex)
             for q, a, path, line, score, ex in rows]
    got, want = merge_same_line(list(cards)), _same_line_as_first_written(list(cards))
    assert [id(c) for c in got] == [id(c) for c in want]
