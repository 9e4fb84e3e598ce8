"""Curation from the command line, as a person scripts it: `review --list/--accept-all`,
`accept`, `reject`, then what `build`, `extract`, `check` and `sheet` make of the decisions
kept in notedeck.review.yaml (hand edits, hand-added cards, stale edits, a damaged file)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import import_apkg, run_cli
from generator.cards import Card, Source
from generator.errors import NotedeckError
from generator.review import NEW_TAG, REJECTED_TAG, REVIEW_NAME, card_filter, path_matches, select

NOTES = """\
# Biology

- Mitochondria is the organelle that makes ATP for the cell
- Ribosomes are the structures that build proteins from amino acids
- Osmosis is the movement of water across a membrane toward higher solute concentration
- The three domains of life are:
  - Bacteria
  - Archaea
  - Eukarya
- Charles Darwin published On the Origin of Species in 1859
- Photosynthesis is the process that turns light energy into chemical energy in plants
"""

MITO = "What is Mitochondria?"
OSMOSIS = "What is Osmosis?"
DARWIN = "Charles Darwin published On the Origin of Species in {{c1::1859}}"
PHOTO = "What is Photosynthesis?"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A notes folder holding notes.md (six cards) and nothing else yet."""
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    return tmp_path


def cli(folder: Path, *args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    """Run `notedeck ARGS` in `folder`; with `ok`, it must succeed."""
    result = run_cli(list(args), folder)
    if ok:
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def waiting(folder: Path) -> tuple[list[str], int]:
    """`review notes.md --list`: each listed line's GUID, and the count it reports on stderr."""
    result = cli(folder, "review", "notes.md", "--list")
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    count = re.fullmatch(r"(\d+) cards? waiting for review \(notedeck\.review\.yaml\)\n", result.stderr)
    assert count is not None, result.stderr
    return listed, int(count.group(1))


def guids(folder: Path, *args: str) -> dict[str, str]:
    """Question -> GUID of every card the notes give (rejected ones included)."""
    result = cli(folder, "extract", "notes.md", "--include-rejected", *args)
    return {c["question"]: c["guid"] for c in map(json.loads, result.stdout.splitlines())}


def decisions(folder: Path) -> dict:
    return yaml.safe_load((folder / REVIEW_NAME).read_text(encoding="utf-8"))


def status_by_guid(folder: Path) -> dict[str, str]:
    return {d["guid"]: d["status"] for d in decisions(folder)["cards"]}


def build_jsonl(folder: Path, *extra: str, ok: bool = True):  # type: ignore[no-untyped-def]
    """`build notes.md -o out --format jsonl`: the result and the cards written (by question)."""
    result = cli(folder, "build", "notes.md", "-o", "out", "--format", "jsonl", *extra, ok=ok)
    path = folder / "out" / "notes.jsonl"
    cards = {} if not path.exists() else \
        {c["question"]: c for c in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    return result, cards


def extracted(folder: Path, *extra: str) -> dict[str, dict]:
    result = cli(folder, "extract", "notes.md", *extra)
    return {c["question"]: c for c in map(json.loads, result.stdout.splitlines())}


# 1. review --list, accept, reject


def test_list_accept_reject_shrink_the_queue_and_record_statuses(folder):
    """Every generated card is listed (GUID first) until decided; accept and reject take one
    card each off the list and record it with its status in the YAML file."""
    g = guids(folder)
    listed, count = waiting(folder)
    assert len(g) == 6 and sorted(listed) == sorted(g.values()) and count == 6
    assert not (folder / REVIEW_NAME).exists()  # listing decides nothing

    out = cli(folder, "accept", g[MITO], "-n", "notes.md")
    assert "accepted 1 card" in out.stdout
    cli(folder, "reject", g[OSMOSIS], "-n", "notes.md")
    listed, count = waiting(folder)
    # the rejected definition no longer wins the merge of its line: the line's cloze now waits
    assert count == 5 and len(listed) == 5
    assert g[MITO] not in listed and g[OSMOSIS] not in listed
    data = decisions(folder)
    assert data["notedeck_review"] == 1
    assert status_by_guid(folder) == {g[MITO]: "accepted", g[OSMOSIS]: "rejected"}
    mito = next(d for d in data["cards"] if d["guid"] == g[MITO])
    assert mito["question"] == MITO and mito["answer"] == "the organelle that makes ATP for the cell"
    assert mito["path"] == "notes.md" and mito["deck"] == "notes"


def test_unknown_guid_is_a_one_line_error_and_changes_nothing(folder):
    """A mistyped GUID fails (exit 2) with one line naming it and a hint; the decision given
    alongside a valid GUID is not recorded either: the file stays byte for byte."""
    g = guids(folder)
    cli(folder, "reject", g[OSMOSIS], "-n", "notes.md")
    before = (folder / REVIEW_NAME).read_bytes()
    for verb in ("accept", "reject"):
        result = cli(folder, verb, g[MITO], "NoSuchGuid12", "-n", "notes.md", ok=False)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1, result.stderr
        assert "NoSuchGuid12" in result.stderr and "hint:" in result.stderr
        assert g[MITO] not in result.stderr  # only the unknown one is named
        assert "Traceback" not in result.stderr and result.stdout == ""
    assert (folder / REVIEW_NAME).read_bytes() == before


# 2. review --accept-all


def test_accept_all_leaves_nothing_waiting(folder):
    """--accept-all accepts every waiting card and leaves earlier decisions as they were."""
    g = guids(folder)
    cli(folder, "reject", g[DARWIN], "-n", "notes.md")
    runner_up = {line.split()[0] for line in cli(folder, "review", "notes.md", "--list").stdout.splitlines()
                 if "Charles Darwin {{c1::" in line}  # the line's other card, now that the fact is out
    assert len(runner_up) == 1
    out = cli(folder, "review", "notes.md", "--accept-all")
    assert "accepted 6 cards" in out.stdout
    listed, count = waiting(folder)
    assert listed == [] and count == 0
    statuses = status_by_guid(folder)
    assert statuses.pop(g[DARWIN]) == "rejected"
    assert sorted(statuses) == sorted([*(v for k, v in g.items() if k != DARWIN), *runner_up])
    assert set(statuses.values()) == {"accepted"}


# 3. build, build --accepted-only


def test_build_tags_new_cards_and_leaves_rejected_out(folder):
    """A default build keeps unreviewed cards, tagged notedeck::new; accepted cards carry no
    such tag; rejected cards are not in the deck at all."""
    g = guids(folder)
    cli(folder, "accept", g[MITO], g[PHOTO], "-n", "notes.md")
    cli(folder, "reject", g[OSMOSIS], "-n", "notes.md")
    result, cards = build_jsonl(folder)
    assert "built" in result.stdout and "5 cards" in result.stdout
    assert OSMOSIS not in cards and set(cards) == set(g) - {OSMOSIS}
    for question, card in cards.items():
        assert (NEW_TAG in card["tags"]) == (question not in (MITO, PHOTO)), card
        assert REJECTED_TAG not in card["tags"]


def test_build_accepted_only_keeps_only_accepted_cards(folder):
    """--accepted-only is the curated release: accepted cards only, none tagged new."""
    g = guids(folder)
    cli(folder, "accept", g[MITO], g[DARWIN], "-n", "notes.md")
    cli(folder, "reject", g[OSMOSIS], "-n", "notes.md")
    result, cards = build_jsonl(folder, "--accepted-only")
    assert "2 cards" in result.stdout
    assert set(cards) == {MITO, DARWIN}
    assert all(NEW_TAG not in c["tags"] for c in cards.values())
    assert {c["guid"] for c in cards.values()} == {g[MITO], g[DARWIN]}


def test_build_accepted_only_without_decisions_is_a_clear_error(folder):
    """Nothing accepted yet: --accepted-only fails (exit 2) saying so, and writes nothing."""
    result, cards = build_jsonl(folder, "--accepted-only", ok=False)
    assert result.exit_code == 2
    assert "no accepted cards" in result.stderr and "notedeck review" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert cards == {} and not (folder / "out").exists()


def test_accepted_only_apkg_imports_into_anki_with_exactly_the_accepted_notes(folder, anki_collection):
    """The curated .apkg imports into a real Anki collection with exactly the accepted notes."""
    g = guids(folder)
    accepted = {g[MITO], g[PHOTO], g["What are ribosomes?"]}
    cli(folder, "accept", *sorted(accepted), "-n", "notes.md")
    cli(folder, "reject", g[OSMOSIS], "-n", "notes.md")
    cli(folder, "build", "notes.md", "-o", "out", "--accepted-only")
    import_apkg(anki_collection, folder / "out" / "notes.apkg")
    col = anki_collection
    in_anki = {col.get_note(nid).guid for nid in col.find_notes("")}  # type: ignore[attr-defined]
    assert in_anki == accepted
    assert not col.find_notes(f"tag:{NEW_TAG}")  # type: ignore[attr-defined]


# 4. extract, extract --include-rejected


def test_extract_leaves_rejected_out_unless_asked(folder):
    """`extract` drops rejected cards and tags nothing; --include-rejected shows every card,
    rejected ones tagged notedeck::rejected, unreviewed ones notedeck::new, accepted untagged."""
    g = guids(folder)
    cli(folder, "reject", g[OSMOSIS], g[DARWIN], "-n", "notes.md")
    cli(folder, "accept", g[MITO], "-n", "notes.md")
    plain = extracted(folder)
    assert set(plain) == set(g) - {OSMOSIS, DARWIN}
    assert all(c["tags"] == [] for c in plain.values())
    everything = extracted(folder, "--include-rejected")
    assert set(everything) == set(g)
    for question, card in everything.items():
        expected = [REJECTED_TAG] if question in (OSMOSIS, DARWIN) else [] if question == MITO else [NEW_TAG]
        assert card["tags"] == expected, card


# 5. decisions survive edits of the notes


def test_rejected_card_stays_out_after_a_small_edit(folder):
    """A one-word edit of a rejected card's line gives it a new GUID, yet it stays rejected:
    out of the build, not waiting for review again."""
    g = guids(folder)
    cli(folder, "reject", g[DARWIN], "-n", "notes.md")
    _, cards = build_jsonl(folder)
    assert DARWIN not in cards and len(cards) == 5
    notes = folder / "notes.md"
    notes.write_text(NOTES.replace("On the Origin", "The Origin"), encoding="utf-8")
    edited = "Charles Darwin published The Origin of Species in {{c1::1859}}"
    now = guids(folder)
    assert edited in now and now[edited] != g[DARWIN]  # the edit did change its identity
    result, cards = build_jsonl(folder)
    assert "built" in result.stdout
    assert not any("Darwin" in q for q in cards) and len(cards) == 5
    listed, count = waiting(folder)
    assert count == 6 and now[edited] not in listed  # 5, and the line's statement (a suggestion)
    assert "Darwin" not in "".join(extracted(folder))


def test_accepted_card_keeps_its_guid_across_rebuilds(folder):
    """An accepted card keeps the GUID Anki knows it by, in the deck and the lock, through a
    plain rebuild and through a typo fix of its line; it stays accepted."""
    g = guids(folder)
    cli(folder, "accept", g[MITO], "-n", "notes.md")
    _, first = build_jsonl(folder, "--accepted-only")
    assert first[MITO]["guid"] == g[MITO]
    lock = json.loads((folder / "notedeck.lock").read_text(encoding="utf-8"))
    assert g[MITO] in {e["guid"] for e in lock["cards"]}

    _, again = build_jsonl(folder, "--accepted-only", "--no-cache")
    assert again[MITO]["guid"] == g[MITO]
    (folder / "notes.md").write_text(NOTES.replace("Mitochondria is", "Mitochondrion is"), encoding="utf-8")
    assert g[MITO] not in guids(folder, "--no-lock").values()  # the extractor alone: a new GUID
    assert g[MITO] in guids(folder).values()  # extract keeps the GUID the lock gives, as build does
    result, cards = build_jsonl(folder, "--accepted-only")
    assert "built" in result.stdout
    assert list(cards) == ["What is Mitochondrion?"]
    assert cards["What is Mitochondrion?"]["guid"] == g[MITO]
    lock = json.loads((folder / "notedeck.lock").read_text(encoding="utf-8"))
    entry = next(e for e in lock["cards"] if e["guid"] == g[MITO])
    assert entry["question"] == "What is Mitochondrion?" and not entry["removed"]


# 6. hand edits in the YAML, and stale edits


def test_hand_edit_applies_until_the_notes_change_then_is_stale_but_kept(folder):
    """An edit written into the YAML replaces the generated text in the deck; once the card's
    line says something else, the edit is stale: check warns (fails with --strict), the build
    uses the generated card and warns, and the edit stays in the file for a later review."""
    g = guids(folder)
    cli(folder, "accept", g[MITO], "-n", "notes.md")
    data = decisions(folder)
    data["cards"][0].update(edited_question="Which organelle makes ATP?",
                            edited_answer="the mitochondrion (the cell's power plant)")
    (folder / REVIEW_NAME).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    result, cards = build_jsonl(folder)
    assert "stale" not in result.stderr
    assert MITO not in cards
    card = cards["Which organelle makes ATP?"]
    assert card["answer"] == "the mitochondrion (the cell's power plant)" and card["guid"] == g[MITO]
    assert NEW_TAG not in card["tags"]
    assert cli(folder, "check", "notes.md", "--strict").exit_code == 0  # nothing to warn about yet

    (folder / "notes.md").write_text(
        NOTES.replace("the organelle that makes ATP for the cell",
                      "a double-membraned compartment inherited only from the mother"),
        encoding="utf-8")
    check = cli(folder, "check", "notes.md")
    assert "stale" in check.stderr and "notes.md:3" in check.stderr
    assert "check ok" in check.stdout
    strict = cli(folder, "check", "notes.md", "--strict", ok=False)
    assert strict.exit_code == 1 and "stale" in strict.stderr
    result, cards = build_jsonl(folder)
    assert "warning" in result.stderr and "stale" in result.stderr
    assert "Which organelle makes ATP?" not in cards
    assert cards[MITO]["answer"] == "a double-membraned compartment inherited only from the mother"
    kept = decisions(folder)["cards"][0]
    assert kept["edited_question"] == "Which organelle makes ATP?"
    assert kept["edited_answer"] == "the mitochondrion (the cell's power plant)"
    assert kept["status"] == "accepted"
    again = cli(folder, "review", "notes.md", "--list").stdout.splitlines()
    assert [line.split()[:2] for line in again if line.startswith(g[MITO])] == [[g[MITO], "stale"]]


# 7. cards added by hand


def test_cards_added_by_hand_join_their_deck(folder):
    """Cards written under `added:` join the deck they name (here "notes", the notes file's
    stem), also in a curated build; a card added to another deck stays out."""
    (folder / REVIEW_NAME).write_text(
        "notedeck_review: 1\ncards: []\nadded:\n"
        "- deck: notes\n  question: What does ATP stand for?\n  answer: adenosine triphosphate\n"
        "  tags: [by-hand]\n"
        "- deck: chemistry\n  question: What is the pH of pure water?\n  answer: '7'\n",
        encoding="utf-8")
    _, cards = build_jsonl(folder)
    assert len(cards) == 7 and "What is the pH of pure water?" not in cards
    added = cards["What does ATP stand for?"]
    assert added["answer"] == "adenosine triphosphate" and added["deck"] == "notes"
    assert "by-hand" in added["tags"] and NEW_TAG not in added["tags"] and added["guid"]
    _, curated = build_jsonl(folder, "--accepted-only")
    assert list(curated) == ["What does ATP stand for?"]


# 8. a damaged review file


DAMAGED = "notedeck_review: 1\ncards:\n- guid: abc\n  status: [accepted\n"


def test_damaged_review_file_stops_the_build_naming_the_file(folder):
    """A review file that is not valid YAML fails the build (exit 2) with an error naming the
    file and no traceback; nothing is written."""
    (folder / REVIEW_NAME).write_text(DAMAGED, encoding="utf-8")
    result, cards = build_jsonl(folder, ok=False)
    assert result.exit_code == 2
    assert result.stderr.startswith("notedeck: error: ") and REVIEW_NAME in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr and "damaged review file" in result.stderr
    assert cards == {}


def test_damaged_review_file_error_is_one_line(folder):
    """Errors are one line (cli.py's promise), also when the review file is not valid YAML."""
    (folder / REVIEW_NAME).write_text(DAMAGED, encoding="utf-8")
    result, _ = build_jsonl(folder, ok=False)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr


def test_review_file_with_wrong_shape_is_an_input_error(folder):
    """Valid YAML of the wrong shape (a card that is not a mapping) is an input error (exit
    2 naming the file), not an internal error."""
    (folder / REVIEW_NAME).write_text("notedeck_review: 1\ncards: [hello]\n", encoding="utf-8")
    result, _ = build_jsonl(folder, ok=False)
    assert "internal error" not in result.stderr
    assert result.exit_code == 2 and REVIEW_NAME in result.stderr


def test_hand_edit_with_a_bare_number_builds(folder):
    """`edited_answer: 1859` written by hand (YAML reads a number) still builds: the answer is
    the text 1859 (or at worst a one-line input error, never an internal error)."""
    g = guids(folder)
    cli(folder, "accept", g[MITO], "-n", "notes.md")
    text = (folder / REVIEW_NAME).read_text(encoding="utf-8")
    (folder / REVIEW_NAME).write_text(text + "  edited_answer: 1859\n", encoding="utf-8")
    assert decisions(folder)["cards"][0]["edited_answer"] == 1859
    result, cards = build_jsonl(folder, ok=False)
    assert "internal error" not in result.stderr
    assert result.exit_code == 0 and cards[MITO]["answer"] == "1859"


# 9. sheets


def test_sheet_leaves_rejected_cards_out(folder):
    """A printed review sheet follows the decisions: rejected questions are not on it."""
    g = guids(folder)
    cli(folder, "reject", g[OSMOSIS], "-n", "notes.md")
    result = cli(folder, "sheet", "notes.md", "-o", "s.html")
    assert "5 cards" in result.stdout
    html = (folder / "s.html").read_text(encoding="utf-8")
    assert "Osmosis" not in html and "solute concentration" not in html
    assert "Photosynthesis" in html and "Mitochondria" in html


# 10. the review file is a build input


def test_changing_decisions_makes_an_up_to_date_build_rebuild(folder):
    """A build that is up to date stays so until the review file changes; a rejection then
    rebuilds, and the rejected card leaves the deck."""
    g = guids(folder)
    first, _ = build_jsonl(folder)
    assert first.stdout.startswith("built")
    second, _ = build_jsonl(folder)
    assert second.stdout.startswith("up to date")
    cli(folder, "reject", g[PHOTO], "-n", "notes.md")
    third, cards = build_jsonl(folder)
    assert third.stdout.startswith("built") and "5 cards" in third.stdout
    assert PHOTO not in cards
    fourth, _ = build_jsonl(folder)
    assert fourth.stdout.startswith("up to date")


# Decisions about cards with similar questions


SIMILAR = """\
- Mitosis is the cell division that makes two identical cells
- Meiosis is the cell division that makes four sex cells
"""


def test_deciding_one_card_keeps_the_decision_about_a_similar_one(tmp_path):
    """Rejecting "What is Mitosis?" then accepting "What is Meiosis?" (similar questions, both
    in the notes) records both; the rejected card stays out of the build."""
    (tmp_path / "notes.md").write_text(SIMILAR, encoding="utf-8")
    g = guids(tmp_path)
    cli(tmp_path, "reject", g["What is Mitosis?"], "-n", "notes.md")
    cli(tmp_path, "accept", g["What is Meiosis?"], "-n", "notes.md")
    assert status_by_guid(tmp_path) == {g["What is Mitosis?"]: "rejected", g["What is Meiosis?"]: "accepted"}
    _, cards = build_jsonl(tmp_path)
    assert "What is Mitosis?" not in cards


def test_accept_all_with_similar_questions_leaves_nothing_waiting(tmp_path):
    """--accept-all on two cards with similar questions accepts both."""
    (tmp_path / "notes.md").write_text(SIMILAR, encoding="utf-8")
    cli(tmp_path, "review", "notes.md", "--accept-all")
    listed, count = waiting(tmp_path)
    assert (listed, count) == ([], 0)
    assert len(decisions(tmp_path)["cards"]) == 2


# 11. Filters: which cards a review or a bulk decision is about (review.CardFilter)


def card(extractor: str, score: float, path: str, question: str = "Q?") -> Card:
    return Card(question, "A", Source(path, 1, 1), extractor=extractor, score=score)


def test_select_keeps_the_cards_matching_every_filter_given():
    """Each filter narrows, they combine (and), the order is kept; --below is strict and
    --at-least inclusive, so the two split the cards at one score with none lost or doubled."""
    cards = [card("statement", 0.45, "notes/bio/plants.md", "a"),
             card("statement", 0.5, "notes/geo/rivers.md", "b"),
             card("definition", 0.7, "notes/bio/plants.md", "c"),
             card("fact", 0.65, "notes/bio/fungi.md", "d"),
             card("explicit", 1.0, "plants.md", "e")]

    def questions(chosen: list[Card]) -> list[str]:
        return [c.question for c in chosen]

    assert select(cards) == cards
    assert questions(select(cards, extractors=["statement"])) == ["a", "b"]
    assert questions(select(cards, extractors=["statement"], below=0.5)) == ["a"]
    assert questions(select(cards, below=0.65)) == ["a", "b"]
    assert questions(select(cards, at_least=0.65)) == ["c", "d", "e"]
    assert questions(select(cards, at_least=0.5, below=0.7)) == ["b", "d"]
    assert questions(select(cards, extractors={"fact", "explicit"})) == ["d", "e"]
    assert questions(select(cards, files=["bio/*"], extractors=["statement", "definition"])) == ["a", "c"]
    assert questions(select(cards, files=["plants.md"])) == ["a", "c", "e"]
    assert questions(select(cards, files=["geo/", "fungi.md"])) == ["b", "d"]
    assert select(cards, extractors=["acronym"]) == []


def test_file_globs_match_the_shown_path_or_its_end():
    """A glob matches the whole path or its trailing folders and name, never a part of a name;
    `*` crosses folders; `dir/` is everything under dir; `./` and backslashes are forgiven."""
    assert path_matches("notes/bio/plants.md", "bio/*.md")
    assert path_matches("notes/bio/plants.md", "plants.md")
    assert path_matches("notes/bio/plants.md", "notes/*")
    assert path_matches("notes/bio/deep/plants.md", "bio/")
    assert path_matches("./notes/bio/plants.md", "notes/bio/plants.md")
    assert path_matches("notes/bio/plants.md", ".\\notes\\bio\\*")
    assert not path_matches("notes/bio/plants.md", "lants.md")  # a part of a name is not enough
    assert not path_matches("notes/bio/plants.md", "geo/*")
    assert not path_matches("notes/biology/plants.md", "bio/")
    assert not path_matches("notes/bio/plants.md", "Plants.md")  # case matters, as in the file system
    assert not path_matches("notes/bio/plants.md", "*.org")


def test_card_filter_checks_what_would_silently_match_nothing_or_everything():
    """Names come comma-separated or repeated and are checked against the registry (a close
    name is suggested); an empty score range and an empty --extractor are errors too."""
    known = ["definition", "fact", "statement"]
    assert card_filter(["statement, fact", "definition"], None, None, (), known).extractors == set(known)
    assert not card_filter((), None, None, (), known).active
    assert card_filter((), 0.6, None, (), known).active and card_filter((), None, None, ("x",), known).active
    assert card_filter((), None, 0.0, (), known).active  # --at-least 0 is still a filter given
    with pytest.raises(NotedeckError, match="unknown extractor 'statements'") as err:
        card_filter(["fact,statements"], None, None, (), known)
    assert "did you mean 'statement'?" in str(err.value)
    assert "known extractors: definition, fact, statement" in str(err.value)
    with pytest.raises(NotedeckError, match="unknown extractor 'zzz'") as err:
        card_filter(["zzz"], None, None, (), known)
    assert "did you mean" not in str(err.value)
    with pytest.raises(NotedeckError, match="needs a name"):
        card_filter([" , "], None, None, (), known)
    with pytest.raises(NotedeckError, match=r"no score is at least 0\.6 and below 0\.6"):
        card_filter((), 0.6, 0.6, (), known)
    assert card_filter((), 0.6, 0.5, (), known).matches(card("fact", 0.55, "n.md"))


# 12. Filters on the command line: review --list / --accept-all / the screen, bulk accept / reject


PLANTS = """\
# Plants

- Xylem is the tissue that carries water up from the roots
- Stomata let carbon dioxide into the leaf
- Pollen moves the male cells of a flower
- Gregor Mendel crossed pea plants in 1856
- Which pigment makes leaves green? :: chlorophyll
"""
FUNGI = """\
# Fungi

- Hyphae are the thin threads that make up a fungus
- Yeasts ferment sugar into alcohol
"""
RIVERS = """\
# Rivers

- A delta is the landform built where a river drops its sediment
- Meanders shift across the floodplain over time
- The Nile flows north for about 6650 km
"""
XYLEM, STOMATA, POLLEN = "What is Xylem?", "What do Stomata let?", "What does Pollen move?"
MENDEL, PIGMENT = "Gregor Mendel crossed pea plants in {{c1::1856}}", "Which pigment makes leaves green?"
HYPHAE, YEASTS = "What are hyphae?", "What do yeasts ferment?"
DELTA, MEANDERS = "What is a delta?", "Meanders {{c1::shift across the floodplain over time}}"
NILE = "The Nile flows north for about {{c1::6650}} km"
CONFIDENT_CARDS = {XYLEM, MENDEL, PIGMENT, HYPHAE, NILE}
"""The cards scored 0.6 or more: in the deck while undecided (the rest are suggestions)."""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """notes/bio/plants.md, notes/bio/fungi.md, notes/geo/rivers.md: ten cards of four
    extractors, scored 0.45 to 1.0, five of them suggestions."""
    for name, text in (("bio/plants.md", PLANTS), ("bio/fungi.md", FUNGI), ("geo/rivers.md", RIVERS)):
        (tmp_path / "notes" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "notes" / name).write_text(text, encoding="utf-8")
    return tmp_path


def every_card(folder: Path) -> dict[str, dict]:
    """Question -> card (JSON) of every card the notes give, found without the filters: the
    deck's cards (rejected ones included) and the suggestions still waiting."""
    cards = {}
    for extra in ("--include-rejected", "--suggestions"):
        result = cli(folder, "extract", "notes", extra)
        cards.update((c["question"], c) for c in map(json.loads, result.stdout.splitlines()))
    return cards


def deck(folder: Path) -> set[str]:
    """The questions a build of notes/ puts in the deck."""
    cli(folder, "build", "notes", "-o", "out", "--format", "jsonl")
    return {json.loads(line)["question"]
            for line in (folder / "out" / "notes.jsonl").read_text(encoding="utf-8").splitlines()}


def statuses(folder: Path) -> dict[str, str]:
    """Question -> status of every decided card (the review file is in notes/, with the lock)."""
    if not (folder / "notes" / REVIEW_NAME).exists():
        return {}
    return {d["question"]: d["status"] for d in decisions(folder / "notes")["cards"]}


def listed(folder: Path, *filters: str) -> tuple[list[str], str]:
    """`review notes --list FILTERS`: the questions listed, in order, and the count line."""
    result = cli(folder, "review", "notes", "--list", *filters)
    by_guid = {c["guid"]: q for q, c in every_card(folder).items()}
    return [by_guid[line.split()[0]] for line in result.stdout.splitlines()], result.stderr


def test_the_library_has_the_cards_these_tests_are_about(library):
    """The extractors' verdict on the notes the filter tests use: if it moves, those tests
    need new expectations rather than quietly testing less."""
    cards = every_card(library)
    assert {q: (c["extractor"], c["score"], c["source"]["path"]) for q, c in cards.items()} == {
        XYLEM: ("definition", 0.7, "bio/plants.md"),
        STOMATA: ("statement", 0.5, "bio/plants.md"),
        POLLEN: ("statement", 0.5, "bio/plants.md"),
        MENDEL: ("fact", 0.65, "bio/plants.md"),
        PIGMENT: ("explicit", 1.0, "bio/plants.md"),
        HYPHAE: ("definition", 0.7, "bio/fungi.md"),
        YEASTS: ("statement", 0.5, "bio/fungi.md"),
        DELTA: ("definition", 0.5, "geo/rivers.md"),
        MEANDERS: ("statement", 0.45, "geo/rivers.md"),
        NILE: ("fact", 0.65, "geo/rivers.md"),
    }
    assert deck(library) == CONFIDENT_CARDS


def test_review_list_shows_only_the_matching_cards_and_counts_them(library):
    """--list with filters lists the waiting cards matching them all, and says how many of
    how many; without filters the count line is as it always was."""
    everything, line = listed(library)
    assert len(everything) == 10 and line == "10 cards waiting for review (notedeck.review.yaml)\n"
    statements, line = listed(library, "--extractor", "statement")
    assert statements == [YEASTS, STOMATA, POLLEN, MEANDERS]
    assert line == "4 of 10 cards waiting for review match (notedeck.review.yaml)\n"
    assert listed(library, "--extractor", "statement", "--below", "0.5")[0] == [MEANDERS]
    assert listed(library, "--file", "geo/*", "--below", "0.6")[0] == [DELTA, MEANDERS]
    assert listed(library, "--file", "plants.md", "--at-least", "0.6")[0] == [XYLEM, MENDEL, PIGMENT]
    assert listed(library, "--extractor", "fact", "--extractor", "explicit")[0] == [MENDEL, PIGMENT, NILE]
    assert listed(library, "--extractor", "definition,fact", "--file", "fungi.md", "--file", "rivers.md")[0] \
        == [HYPHAE, DELTA, NILE]
    none, line = listed(library, "--extractor", "acronym")
    assert none == [] and line.startswith("0 of 10 cards waiting for review match")
    assert not (library / "notes" / REVIEW_NAME).exists()  # listing decides nothing


def test_bulk_reject_decides_exactly_the_matching_cards_and_the_build_follows(library):
    """`reject --extractor definition --at-least 0.6` rejects the two confident definitions
    and nothing else: the file records exactly them, the next build leaves them out, and the
    other definition (0.5), other extractors and other scores wait as before."""
    assert {XYLEM, HYPHAE} <= deck(library)
    result = cli(library, "reject", "-n", "notes", "--extractor", "definition", "--at-least", "0.6")
    assert result.stdout == "rejected 2 cards (notes/notedeck.review.yaml)\n"
    assert statuses(library) == {XYLEM: "rejected", HYPHAE: "rejected"}
    assert deck(library) == CONFIDENT_CARDS - {XYLEM, HYPHAE}
    still, line = listed(library)
    # their lines' other cards (clozes, suggestions) no longer lose a merge to them: they wait too
    runners_up = {"Xylem is {{c1::the tissue that carries water up from the roots}}",
                  "Hyphae are {{c1::the thin threads that make up a fungus}}"}
    assert set(still) == set(every_card(library)) - {XYLEM, HYPHAE} and runners_up <= set(still)
    assert line.startswith("10 cards")


def test_bulk_accept_puts_exactly_the_matching_suggestions_in_the_deck(library):
    """`accept --extractor statement --file 'bio/'` takes the three statement suggestions of
    bio/ into the deck; the statement of geo/ stays a suggestion, out of the deck."""
    result = cli(library, "accept", "-n", "notes", "--extractor", "statement", "--file", "bio/")
    assert result.stdout == "accepted 3 cards (notes/notedeck.review.yaml)\n"
    assert statuses(library) == {STOMATA: "accepted", POLLEN: "accepted", YEASTS: "accepted"}
    assert deck(library) == CONFIDENT_CARDS | {STOMATA, POLLEN, YEASTS}
    assert listed(library, "--extractor", "statement")[0] == [MEANDERS]


def test_bulk_decisions_leave_cards_already_decided_alone(library):
    """A filter decides only cards still waiting: a definition accepted by GUID stays
    accepted through `reject --extractor definition`, which rejects the other two; named by
    GUID, a decided card does change its mind."""
    g = {q: c["guid"] for q, c in every_card(library).items()}
    cli(library, "accept", g[XYLEM], "-n", "notes")
    result = cli(library, "reject", "-n", "notes", "--extractor", "definition")
    assert result.stdout == "rejected 2 cards (notes/notedeck.review.yaml)\n"
    assert statuses(library) == {XYLEM: "accepted", HYPHAE: "rejected", DELTA: "rejected"}
    again = cli(library, "reject", "-n", "notes", "--extractor", "definition")
    assert again.stdout == "rejected 0 cards (notes/notedeck.review.yaml)\n"
    assert statuses(library)[XYLEM] == "accepted"
    cli(library, "reject", g[XYLEM], "-n", "notes")
    assert statuses(library)[XYLEM] == "rejected"


def test_accept_all_with_filters_accepts_only_the_matching_cards(library):
    """review --accept-all with filters accepts the matching waiting cards, no others."""
    result = cli(library, "review", "notes", "--accept-all", "--below", "0.5")
    assert result.stdout == "accepted 1 card (notes/notedeck.review.yaml)\n"
    assert statuses(library) == {MEANDERS: "accepted"}
    cli(library, "review", "notes", "--accept-all", "--file", "rivers.md")
    assert statuses(library) == {MEANDERS: "accepted", DELTA: "accepted", NILE: "accepted"}
    assert deck(library) == CONFIDENT_CARDS | {MEANDERS, DELTA}


def test_bulk_decision_matching_nothing_writes_nothing(library):
    """A filter no waiting card matches decides nothing, says so, succeeds, and leaves the
    review file unwritten (it is a build input: touching it would rebuild)."""
    result = cli(library, "reject", "-n", "notes", "--extractor", "acronym")
    assert result.stdout == "rejected 0 cards (notes/notedeck.review.yaml)\n"
    assert not (library / "notes" / REVIEW_NAME).exists()


def test_review_screen_gets_only_the_matching_cards(library, monkeypatch):
    """The interactive screen walks the filtered cards; with none matching, it does not open
    and the message says why."""
    shown: list[str] = []

    class Screen:  # stands in for the Textual app: records what it was given
        def __init__(self, items, decisions, sources) -> None:  # type: ignore[no-untyped-def]
            shown.extend(r.card.question for r in items)

        def run(self) -> int:
            return 0

    monkeypatch.setattr("generator.review_tui.ReviewApp", Screen)
    result = cli(library, "review", "notes", "--extractor", "fact", "--file", "geo/*")
    assert shown == [NILE] and "0 decisions saved" in result.stdout
    shown.clear()
    result = cli(library, "review", "notes", "--extractor", "acronym")
    assert shown == []
    assert result.stdout == "nothing to review: none of the 10 cards waiting matches the filters\n"


@pytest.mark.parametrize("args, message", [
    (("reject", "-n", "notes", "--extractor", "statements", "--below", "0.5"),
     "unknown extractor 'statements' (hint: did you mean 'statement'? known extractors: "),
    (("accept", "-n", "notes", "--extractor", "definition,nonsense"), "unknown extractor 'nonsense'"),
    (("review", "notes", "--list", "--extractor", "statments"), "unknown extractor 'statments'"),
    (("review", "notes", "--accept-all", "--extractor", ""), "--extractor needs a name"),
    (("reject", "-n", "notes", "--at-least", "0.7", "--below", "0.6"),
     "no score is at least 0.7 and below 0.6"),
    (("reject", "-n", "notes"), "reject needs GUIDs or filters (hint: notedeck review --list shows"),
    (("accept", "-n", "notes"), "accept needs GUIDs or filters"),
    (("reject", "-n", "notes", "AbCdEfGhIjKl", "--extractor", "statement"),
     "reject takes GUIDs or filters, not both"),
])
def test_bad_filters_are_one_line_errors_that_decide_nothing(library, args, message):
    """A mistyped extractor, an empty score range, no GUIDs and no filters, or both: exit 2
    and one line naming the problem with a hint, no traceback, the review file untouched."""
    cli(library, "accept", "-n", "notes", "--extractor", "explicit")
    before = (library / "notes" / REVIEW_NAME).read_bytes()
    result = cli(library, *args, ok=False)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"notedeck: error: {message}"), result.stderr
    assert result.stderr.count("\n") == 1 and "hint:" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert (library / "notes" / REVIEW_NAME).read_bytes() == before
