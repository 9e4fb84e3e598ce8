"""Properties over arbitrary notes: extraction never crashes and every card is usable."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.extractors import REGISTRY
from generator.filters import apply, default_filters
from generator.language import has_content, shares_all_words
from generator.readers import read_text

WORDS = ["X", "is", "are", "a", "the", "protocol", "Go", "uses", "because", "than", "faster", "=", "-",
         ":", "::", "Q:", "A:", "(", ")", "TCP", "Transmission", "Control", "Protocol", "1.23", "20x", "12%",
         "2014", "created", "by", "Ada", "Lovelace", "why?", "What", "don't", "use", "to", "->", "{{c1::x}}",
         "<script>", "I", "think", "TLDR;", "via", "until", "there", "it", "can", "should"]
BULLETS = ["", "• ", "- ", "* ", "+ ", "1. ", "a) ", "◦ ", "# ", "## ", "** "]

line = st.builds(
    lambda indent, bullet, words, tail: indent + bullet + " ".join(words) + tail,
    st.sampled_from(["", "  ", "    ", "\t", " \t  "]),
    st.sampled_from(BULLETS),
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=12),
    st.one_of(st.just(""), st.text(max_size=12)),
)
notes = st.lists(line, min_size=0, max_size=25).map("\n".join)
CLOZE = re.compile(r"\{\{c\d+::(.*?)\}\}", re.S)


def _cards(text: str, fmt: str):
    doc = read_text(text, f"notes.{ {'text': 'txt', 'markdown': 'md', 'org': 'org'}[fmt] }", fmt)
    return apply(list(REGISTRY.run(doc)), default_filters()), text.replace("\r\n", "\n").replace("\r", "\n")


@given(notes, st.sampled_from(["text", "markdown", "org"]))
def test_any_notes_give_valid_cards(text, fmt):
    """Any text, any reader: no exception; each card has both sides, real lines, and does not
    show its whole answer on the front."""
    cards, normalized = _cards(text, fmt)
    n_lines = len(normalized.split("\n"))
    for card in cards:
        assert card.question.strip() and card.answer.strip()
        assert 1 <= card.source.line <= card.source.end_line <= n_lines
        assert 0.0 <= card.score <= 1.0
        front = CLOZE.sub(" ", card.question) if card.type == "cloze" else card.question
        if card.type == "cloze":
            assert CLOZE.search(card.question)
        if card.extractor == "explicit":  # the author's card, word for word: only never its own front
            assert card.answer.strip() and " ".join(card.answer.lower().split()) != " ".join(
                front.lower().split()), card
            continue
        assert has_content(card.answer), card
        assert not shares_all_words(front, card.answer), card


@given(st.text(max_size=300), st.sampled_from(["text", "markdown", "org"]))
def test_arbitrary_unicode_never_crashes(text, fmt):
    """Completely arbitrary unicode (control characters, lone surrogates excluded by hypothesis)."""
    _cards(text, fmt)


@given(st.text(max_size=8), st.lists(st.text(max_size=30), max_size=4), st.integers(1, 50))
def test_stable_ids_are_the_digests_base62_digits(namespace, parts, length):
    """`stable_id` takes its digits two at a time from the digest cut short: the same ID as the
    digest's last `length` base-62 digits, one at a time (the GUIDs every deck already has)."""
    from generator.ids import _ALPHABET, _digest, stable_id

    n = int.from_bytes(_digest(namespace, tuple(parts)), "big")
    digits = []
    for _ in range(length):
        n, r = divmod(n, 62)
        digits.append(_ALPHABET[r])
    assert stable_id(namespace, *parts, length=length) == "".join(digits)
