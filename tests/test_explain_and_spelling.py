"""`extract --explain` (why each line did or did not become a card) and typo repair in card text."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import generator
from generator.cli import cli
from generator.spelling import MIN_LENGTH, Speller

NOTES = """# Networking

- TCP is a reliable, connection-oriented transport protocol
- Escape analysis (what is this)
- grpc backend? (to store sessions)
- TLDR; great lecture, I loved it
- The end…
- Routers forward packets between networks
- Use a load balancer for spreading traffic
"""


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "net.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


def test_explain_lists_cards_and_why_other_lines_gave_none(notes):
    """Each card with extractor, score and line; each other line with its reason."""
    result = CliRunner().invoke(cli, ["extract", str(notes), "--explain"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "definition" in out and "What is TCP?" in out
    lines = {int(line.split()[0]): line for line in out.splitlines()[1:] if line.strip()[:1].isdigit()}
    assert "to look up" in lines[4] and "Escape analysis" in lines[4]
    assert "to look up" in lines[5]
    assert "aside" in lines[6]
    assert "aside" in lines[7] or "fragment" in lines[7]
    assert "What do routers forward?" in lines[8]
    assert "What should you use for spreading traffic?" in lines[9]


def test_explain_api_matches_extract(notes):
    """The library call behind --explain returns the same cards as extract."""
    [explained] = generator.pipeline.explain([notes])
    assert [c.question for c in explained.cards] == [c.question for c in generator.extract([notes]).cards]
    assert {n.line for n in explained.skipped} == {4, 5, 6, 7}


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [("teminal", "terminal"), ("insurence", "insurance"), ("barier", "barrier"), ("thosands", "thousands"),
     ("esentially", "essentially")],
)
def test_obvious_typos_are_repaired(typo, fixed):
    assert Speller([f"a {typo} here"]).fix(f"the {typo} works") == f"the {fixed} works"


@pytest.mark.parametrize(
    "word",
    ["struct", "structs", "goroutines", "netlink", "nftables", "pgtestdb", "inlining", "sharding", "mutex",
     "frontend", "analytics", "Kafka", "sqlc", "fun[0]", "json.Unmarshal", "crypto/rand"],
)
def test_jargon_names_and_code_are_left_alone(word):
    speller = Speller([f"notes about {word}", f"more {word} and struct"])
    assert speller.fix(f"the {word} here") == f"the {word} here"


@pytest.mark.parametrize("word", ["colour", "labour", "behaviour", "travelled", "centre", "anaemia",
                                  "catalogue", "modelling", "neighbour"])
def test_british_spellings_are_words_not_typos(word):
    """Spelling repair never turns a real word into another: "colour" is not a typo of "color"."""
    assert Speller([f"one {word} here"]).fix(f"the {word} changed") == f"the {word} changed"


@pytest.mark.parametrize("written", ["_De pictura_", "*De pictura*", "`pictura`", '"De pictura"'])
def test_words_set_in_italics_code_or_quotes_are_kept(written):
    """A title or a foreign word the notes set apart is no typo, even once the card dropped
    its markup (an emphasis cloze): "pictura" must not become "picture"."""
    speller = Speller([f"Alberti wrote {written} in 1435"])
    cloze = "Alberti wrote {{c1::De pictura}} in 1435"
    assert speller.fix(cloze) == cloze
    assert speller.fix(f"Alberti wrote {written}") == f"Alberti wrote {written}"


def test_a_word_the_notes_repeat_is_intended():
    """A misspelling used twice is the author's term, not a slip."""
    speller = Speller(["the teminal app", "another teminal tool"])
    assert speller.fix("a teminal") == "a teminal"


def test_spelling_can_be_turned_off(tmp_path):
    path = tmp_path / "t.md"
    path.write_text("- Charm is a teminal UI written in Go\n", encoding="utf-8")
    fixed = generator.extract([path]).cards[0].answer
    kept = generator.extract([path], spelling=False).cards[0].answer
    assert "terminal" in fixed and "teminal" in kept
    result = CliRunner().invoke(cli, ["extract", str(path), "--no-spelling"])
    assert "teminal" in result.output


@functools.cache
def _spellchecker() -> Any:
    """pyspellchecker's own checker, built the way it documents (the oracle: notedeck reads its
    word list directly)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def _reference_fix(word: str) -> str | None:
    """The rule as first written: pyspellchecker's own edit-distance-1 candidates, kept when
    they are a small edit (insertion/deletion, adjacent transposition, vowel swap)."""
    from generator.spelling import COMPOUND_PART, MIN_FREQUENCY, MIN_RATIO, VOWELS, _variant

    def derived(word: str) -> bool:  # jargon: a known word plus an ending, or two known words
        sp = _spellchecker()
        for ending in ("ing", "ed", "es", "s"):
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 3 and sp.known([stem, stem + "e"]):
                return True
        return any(min(sp.word_usage_frequency(word[:k]), sp.word_usage_frequency(word[k:])) >= COMPOUND_PART
                   for k in range(3, len(word) - 2))

    def small_edit(typo: str, fix: str) -> bool:
        if abs(len(typo) - len(fix)) == 1:
            return True
        if len(typo) != len(fix):
            return False
        diff = [i for i, (a, b) in enumerate(zip(typo, fix, strict=False)) if a != b]
        if len(diff) == 1:
            return typo[diff[0]] in VOWELS and fix[diff[0]] in VOWELS
        return len(diff) == 2 and diff[1] == diff[0] + 1 and typo[diff[0]] == fix[diff[1]] \
            and typo[diff[1]] == fix[diff[0]]

    sp = _spellchecker()
    if sp.known([word]) or derived(word):
        return None
    options = sorted(((sp.word_usage_frequency(c), c) for c in (sp.candidates(word) or ())
                      if c != word and c[0] == word[0] and small_edit(word, c)), reverse=True)
    if options and options[0][0] >= MIN_FREQUENCY and (
            len(options) == 1 or options[0][0] >= MIN_RATIO * options[1][0]):
        return None if _variant(word, options[0][1]) else options[0][1]  # "colour" is no typo
    return None


_TYPO_WORDS = ["shardings", "inlined", "backends", "dataset", "workload", "teminal", "insurence", "recieve",
               "seperate", "goroutine", "inlining", "structs",
               "backend", "definately", "wierd", "untill", "occured", "conection", "kubernetes", "doesnt",
               "wouldnt"]


@settings(deadline=None)
@given(st.one_of(st.sampled_from(_TYPO_WORDS),
                 st.sampled_from(_TYPO_WORDS).flatmap(
                     lambda w: st.integers(1, len(w) - 1).map(lambda i: w[:i] + w[i + 1:])),
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=12)
                 ).filter(lambda w: len(w) >= MIN_LENGTH))
def test_fast_typo_lookup_agrees_with_the_spellchecker(word):
    """`typo_fix` builds only the edits it may use; it must decide exactly as pyspellchecker's
    full candidate search filtered by the same rule (for the words it is asked about), both
    with the missing-letter index (big vaults) and without it (a few words)."""
    from generator import spelling

    expected = _reference_fix(word)
    saved = spelling.INDEX_AFTER
    try:
        for limit in (-1, 10**9):
            spelling.INDEX_AFTER = limit
            spelling.typo_fix.cache_clear()
            assert spelling.typo_fix(word) == expected, limit
    finally:
        spelling.INDEX_AFTER = saved
        spelling.typo_fix.cache_clear()


def test_the_dictionary_read_directly_is_the_one_pyspellchecker_builds() -> None:
    """The word list is read from pyspellchecker's resource file, not through `SpellChecker()`
    (a third of a second saved on every build that extracts a file): same words, same counts,
    same total, same letters, so every repair is the same."""
    from spellchecker import SpellChecker

    from generator.spelling import _dictionary

    theirs = SpellChecker(distance=1).word_frequency
    ours = _dictionary()
    assert type(ours).__name__ == "_Words"  # the direct read, not the fallback
    assert ours.dictionary == dict(theirs.dictionary)
    assert ours.total_words == theirs.total_words
    assert ours.letters == set(theirs.letters)


def test_the_dictionary_is_kept_in_the_cache_and_read_back_the_same(tmp_path, monkeypatch) -> None:
    """The word list is kept in the cache folder (marshalled: a third of the time to read) and
    read back from there the next time; a damaged copy is read past."""
    from generator import spelling

    first = spelling._dictionary()
    monkeypatch.setattr(spelling, "_LOADED", [])
    spelling.load_dictionary(tmp_path)
    [copy] = (tmp_path / "words").iterdir()
    monkeypatch.setattr(spelling, "_LOADED", [])
    monkeypatch.setattr(spelling.json, "loads", lambda *a, **k: 1 / 0)  # the copy, not the JSON
    spelling.load_dictionary(tmp_path)
    again = spelling._dictionary()
    assert again.dictionary == first.dictionary and again.total_words == first.total_words
    monkeypatch.undo()
    copy.write_bytes(copy.read_bytes()[:-5] + b"xxxxx")
    monkeypatch.setattr(spelling, "_LOADED", [])
    spelling.load_dictionary(tmp_path)
    assert spelling._dictionary().dictionary == first.dictionary
