"""Curation: a person's decisions about generated cards, kept in `notedeck.review.yaml`.

Each decision names a card by its GUID and remembers the card as it was generated when the
person decided (deck, file, type, question, answer). A card finds its decision by GUID, or
else by the same fuzzy identity that keeps GUIDs stable across small edits (`lock.closest`),
so a rejected card stays rejected after a typo fix in its line. An edit (the person's own
question or answer) is applied while the generated card stays close to what was edited; once
the notes change it substantially, the edit is *stale*: it is no longer applied, stays in
the file, and `notedeck check` reports it. The file is YAML, one card per entry, sorted, so
it reads and diffs well; people may also add cards of their own under `added:`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path

from .cards import Card, Source, card_guid, is_suggestion, new_card
from .errors import NotedeckError, os_hint
from .filelock import held
from .lock import SAME_QUESTION, SIMILAR_ANSWER, closest, similarity
from .statefiles import BadEntry, review_texts, yaml_line
from .writers import atomic_output

REVIEW_NAME = "notedeck.review.yaml"
FORMAT_VERSION = 1
NEW, ACCEPTED, REJECTED = "new", "accepted", "rejected"
STATUSES = (ACCEPTED, REJECTED)
NEW_TAG = "notedeck::new"
"""Tag of cards nobody has reviewed yet (left out by `build --accepted-only`)."""
REJECTED_TAG = "notedeck::rejected"
"""Tag of rejected cards shown by `extract --include-rejected`."""
ADDED_PATH = "(added by hand)"


@dataclass
class Decision:
    """What a person decided about one generated card."""

    guid: str
    status: str
    deck: str
    path: str
    type: str
    question: str
    """The generated question when the decision was made."""
    answer: str
    """The generated answer when the decision was made."""
    edited_question: str | None = None
    edited_answer: str | None = None
    tags: list[str] = field(default_factory=list)
    """Extra tags the person gave the card."""

    @property
    def edited(self) -> bool:
        return self.edited_question is not None or self.edited_answer is not None


@dataclass
class Added:
    """A card a person wrote by hand into the review file."""

    deck: str
    question: str
    answer: str
    tags: list[str] = field(default_factory=list)

    def card(self) -> Card:
        card = Card(self.question, self.answer, Source(ADDED_PATH, 1, 1), extractor="added", score=1.0,
                    deck=self.deck, tags=tuple(self.tags))
        return replace(card, guid=card_guid(card))


@dataclass
class Reviewed:
    """A card with what the review file says of it."""

    card: Card
    """The card as it goes into the deck (edits applied, tags added)."""
    generated: Card
    """The card as the extractors made it."""
    status: str
    decision: Decision | None = None
    stale: bool = False
    """The person's edit no longer fits the notes (not applied)."""


def _tagged(c: Card, tag: str) -> Card:
    """`c` with one more tag (built directly, see `new_card`: it runs for 100,000 cards)."""
    return new_card(c.question, c.answer, c.source, c.type, c.context, c.extractor, c.score, (*c.tags, tag),
                    c.deck, c.guid, c.items)


def is_stale(decision: Decision, card: Card) -> bool:
    """Whether the notes moved on from an edited card: its generated question or answer is
    no longer the one the person edited (a typo fix or a few words are fine)."""
    if not decision.edited:
        return False
    return similarity(decision.question, card.question) < SAME_QUESTION \
        or similarity(decision.answer, card.answer) < SIMILAR_ANSWER


class Decisions:
    """The review file of one notes folder."""

    def __init__(self, path: Path, decisions: Iterable[Decision] = (), added: Iterable[Added] = ()) -> None:
        self.path = path
        self.items: dict[str, Decision] = {d.guid: d for d in decisions}
        self.added: list[Added] = list(added)
        self.notes: list[str] = []
        """The notes the decisions are about, relative to the file (only without a config:
        `review`, `accept` and `reject` run in its folder read them when given none)."""
        self._mark()

    def _mark(self) -> None:
        """Remember the decisions as they are in the file now: `save` writes only what changed
        since, over what the file holds then (another process may have decided meanwhile)."""
        self._saved = {g: _frozen(d) for g, d in self.items.items()}
        self._saved_added = [_frozen(a) for a in self.added]

    @classmethod
    def load(cls, path: Path, content: bytes | None = None) -> Decisions:
        """Read `path` (or its `content`, already read); a missing file means no decisions yet,
        a damaged one is an error."""
        if content is None and not path.exists():
            return cls(path)
        import yaml

        try:
            text = (content if content is not None else path.read_bytes()).decode("utf-8")
            data = yaml.safe_load(text) or {}
            if not isinstance(data, dict) or data.get("notedeck_review") != FORMAT_VERSION:
                raise ValueError("not a notedeck review file (notedeck_review: 1)")
            decisions = [Decision(**review_texts(d, Decision, "cards", i))
                         for i, d in enumerate(_entries(data, "cards"))]
            added = [Added(**review_texts(a, Added, "added", i))
                     for i, a in enumerate(_entries(data, "added"))]
            for i, d in enumerate(decisions):
                if d.status not in STATUSES:
                    raise BadEntry("cards", i, f"card {d.guid} has status {d.status!r} "
                                               f"(use one of: {', '.join(STATUSES)})")
            notes = data.get("notes") or []
            if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
                raise BadEntry("notes", None, "`notes:` must be a list of paths")
        except BadEntry as exc:
            line = yaml_line(text, exc.key, exc.index)
            where = f":{line}" if line else ""
            raise NotedeckError(f"{path}{where}: wrong value in the review file: {exc}",
                                "fix it by hand or restore it from version control") from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise NotedeckError(f"{path}{where}: damaged review file: {problem}",
                                "fix it by hand or restore it from version control") from exc
        except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise NotedeckError(f"{path}: unreadable review file: {exc}",
                                "fix it by hand or restore it from version control") from exc
        found = cls(path, decisions, added)
        found.notes = notes
        return found

    def dumps(self) -> str:
        """The file's text: decisions sorted by deck, file and question; empty keys left out."""
        import yaml

        rows = []
        for d in sorted(self.items.values(), key=lambda d: (d.deck, d.path, d.question, d.guid)):
            row = {k: v for k, v in vars(d).items() if v not in (None, [])}
            rows.append(row)
        data: dict[str, object] = {"notedeck_review": FORMAT_VERSION}
        if self.notes:
            data["notes"] = self.notes
        data["cards"] = rows
        if self.added:
            data["added"] = [{k: v for k, v in vars(a).items() if v != []} for a in self.added]
        header = ("# notedeck review decisions: accepted / rejected cards, edits and extra tags.\n"
                  "# Written by `notedeck review`, `accept` and `reject`; safe to edit by hand.\n")
        return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)

    def save(self) -> None:
        """Write the decisions made since loading over the file as it is now, holding its lock
        (two `notedeck accept` at once both keep theirs), atomically (a crash mid-review never
        loses the decisions made so far)."""
        changed = {g: d for g, d in self.items.items() if self._saved.get(g) != _frozen(d)}
        dropped = set(self._saved) - set(self.items)
        fix = "make the folder writable: decisions are saved there as they are made"
        with held(self.path):
            current = Decisions.load(self.path)
            for g in dropped:
                current.items.pop(g, None)
            current.items.update(changed)
            if [_frozen(a) for a in self.added] != self._saved_added:
                current.added = self.added
            current.notes = self.notes or current.notes
            self.items, self.added, self.notes = current.items, current.added, current.notes
            text = self.dumps()
            try:
                with atomic_output(self.path, fix) as tmp:
                    tmp.write_text(text, encoding="utf-8", newline="\n")
            except OSError as exc:
                raise NotedeckError(f"cannot write {self.path}: {exc.strerror or exc}",
                                    os_hint(exc, fix)) from exc
        self._mark()

    def decide(self, card: Card, status: str, *, question: str | None = None, answer: str | None = None,
               tags: Sequence[str] | None = None) -> Decision:
        """Record a decision about `card` (as generated); `question`/`answer` are the person's edits."""
        if status not in STATUSES:
            raise NotedeckError(f"unknown review status {status!r}", f"use one of: {', '.join(STATUSES)}")
        old = self.items.get(card.guid)  # exact: a similar card's decision is that card's own
        decision = Decision(card.guid, status, card.deck, card.source.path, card.type, card.question,
                            card.answer, question if question != card.question else None,
                            answer if answer != card.answer else None,
                            list(tags) if tags is not None else list(old.tags) if old else [])
        self.items[card.guid] = decision
        return decision

    def forget(self, guid: str) -> Decision | None:
        """Drop the decision about `guid` (undo); returns it."""
        return self.items.pop(guid, None)

    def review(self, cards: Sequence[Card], present: set[str] | None = None) -> list[Reviewed]:
        """Every card with its status, edits applied (unless stale) and extra tags added.
        `present`: the GUIDs of the whole deck's cards, when `cards` are only some of them."""
        out: list[Reviewed] = []
        taken: set[str] = set()
        present = present if present is not None else {c.guid for c in cards}
        by_file: dict[tuple[str, str], list[Decision]] = {}
        for d in self.items.values():
            by_file.setdefault((d.path, d.deck), []).append(d)
        for card in cards:
            decision = self.items.get(card.guid)
            if decision is None:
                pool = by_file.get((card.source.path, card.deck), [])
                # decisions of cards still present by GUID are theirs, not an edited card's
                decision = closest(card, (d for d in pool if d.guid not in taken and d.guid not in present))
            if decision is None:
                out.append(Reviewed(card, card, NEW))
                continue
            taken.add(decision.guid)
            stale = is_stale(decision, card)
            shown = card
            if decision.edited and not stale:
                shown = replace(card, question=decision.edited_question or card.question,
                                answer=decision.edited_answer or card.answer,
                                items=() if decision.edited_answer else card.items)
            if decision.tags:
                shown = replace(shown, tags=tuple(dict.fromkeys((*shown.tags, *decision.tags))))
            out.append(Reviewed(shown, card, decision.status, decision, stale))
        return out

    def apply(self, cards: Sequence[Card], *, accepted_only: bool = False, include_rejected: bool = False,
              tag_new: bool = True, decks: Iterable[str] = (), present: set[str] | None = None,
              suggestions: list[Card] | None = None,
              left_out: list[Card] | None = None) -> tuple[list[Card], list[Reviewed]]:
        """The cards a build, sheet or export should show, and the stale edits among them.

        Rejected cards are left out (with `include_rejected`, kept and tagged); new cards are
        tagged `notedeck::new` (with `tag_new`), or left out with `accepted_only`. A new card
        that is only a suggestion (`cards.is_suggestion`) is left out until accepted, and goes
        to `suggestions` when given. Cards added by hand to the decks named in `decks` join
        them. `present`: see `review`. `left_out` receives the cards of the notes the deck
        leaves out (still in the notes: not removed)."""
        left_out = left_out if left_out is not None else []
        if not self.items:  # nothing decided yet (most builds): every card is new
            offered = [c for c in cards if is_suggestion(c)]
            if suggestions is not None:
                suggestions.extend(offered)
            left_out.extend(offered)
            confident = [c for c in cards if not is_suggestion(c)] if offered else list(cards)
            if accepted_only:
                left_out.extend(confident)
            out = [] if accepted_only else [_tagged(c, NEW_TAG) for c in confident] if tag_new else confident
            return out + self._added(decks), []
        kept: list[Card] = []
        stale: list[Reviewed] = []
        reviewed = self.review(cards, present)
        for r in reviewed:
            if r.stale:
                stale.append(r)
            if r.status == REJECTED:
                if include_rejected:
                    kept.append(_tagged(r.card, REJECTED_TAG))
                else:
                    left_out.append(r.generated)
                continue
            if r.status == NEW:
                if is_suggestion(r.card):
                    if suggestions is not None:
                        suggestions.append(r.card)
                    left_out.append(r.generated)
                    continue
                if accepted_only:
                    left_out.append(r.generated)
                    continue
                kept.append(_tagged(r.card, NEW_TAG) if tag_new else r.card)
                continue
            kept.append(r.card)
        stale.extend(self._lost_edits(cards, {r.decision.guid for r in reviewed if r.decision}))
        return kept + self._added(decks), stale

    def _lost_edits(self, cards: Sequence[Card], matched: set[str]) -> list[Reviewed]:
        """Edits no card of their notes file matches any more (its line changed beyond
        recognition, so the card has a new identity): stale too, so the person hears of them.
        Which line was theirs is not known (the card as decided is, at line 0). The edit stays
        in the file."""
        files = {(c.source.path, c.deck) for c in cards}
        lost = []
        for d in self.items.values():
            if d.edited and d.guid not in matched and (d.path, d.deck) in files:
                card = Card(d.question, d.answer, Source(d.path, 0, 0), d.type, deck=d.deck, guid=d.guid)
                lost.append(Reviewed(card, card, d.status, d, stale=True))
        return lost

    def _added(self, decks: Iterable[str]) -> list[Card]:
        """The cards added by hand to the decks named (or their sub-decks)."""
        wanted = set(decks)
        return [a.card() for a in self.added if a.deck in wanted or a.deck.split("::")[0] in wanted]

    def pending(self, cards: Sequence[Card]) -> list[Reviewed]:
        """The cards a review walks: new ones, and edited ones whose edit went stale."""
        return [r for r in self.review(cards) if r.status == NEW or r.stale]


def stale_message(r: Reviewed) -> str:
    """The warning about a stale edit, quoting the edit (kept in the review file)."""
    d = r.decision
    edit = "" if d is None else ", ".join(
        f"{what} {text!r}" for what, text in (("question", d.edited_question), ("answer", d.edited_answer))
        if text is not None)
    source = r.generated.source
    if source.line == 0:  # no card is close to it any more (see `Decisions.apply`)
        return (f"{source.path}: your edit of {r.generated.question!r} ({edit}) is stale: its line changed "
                f"too much to find the card; it stays in {REVIEW_NAME} (notedeck review shows the new card)")
    return (f"{source.path}:{source.line}: your edit of {r.generated.question!r} "
            f"({edit}) is stale (the notes changed); it stays in {REVIEW_NAME}, and the generated card "
            "is used until you review it again (notedeck review)")


def merge_decided(cards: list[Card], decisions: Decisions | None,
                  merge: Callable[[list[Card], list[int] | None], list[Card]],
                  keys: list[int] | None = None) -> list[Card]:
    """`merge` (the passes keeping one card of duplicates, given the cards' question keys when
    known: `keys`) after the decisions: a rejected card wins no merge, so the best card left
    takes its place, and an accepted one beats the unreviewed. Rejected cards stay in their
    place, for the decisions to leave out or tag."""
    if decisions is None or not decisions.items:
        return merge(cards, keys)
    rejected: set[int] = set()
    proxies: dict[int, Card] = {}  # an accepted card, ranked above every unreviewed one
    for r in decisions.review(cards):
        if r.status == REJECTED:
            rejected.add(id(r.generated))
        elif r.status == ACCEPTED:
            proxies[id(r.generated)] = replace(r.generated, score=r.generated.score + 1.0)
    if not rejected and not proxies:
        return merge(cards, keys)
    originals = {id(p): c for c in cards if (p := proxies.get(id(c))) is not None}
    taking = [i for i, c in enumerate(cards) if id(c) not in rejected]
    merged = merge([proxies.get(id(cards[i]), cards[i]) for i in taking],
                   [keys[i] for i in taking] if keys is not None else None)
    kept = {id(originals.get(id(c), c)) for c in merged} | rejected
    return [c for c in cards if id(c) in kept]


def _frozen(entry: Decision | Added) -> tuple:
    """An entry's values as they are now (later changes to its tags list do not alter them)."""
    return tuple(tuple(v) if isinstance(v, list) else v for v in vars(entry).values())


def _entries(data: dict, key: str) -> list[object]:
    """The list under `key` (its entries are checked one by one, with their lines)."""
    items = data.get(key) or []
    if not isinstance(items, list):
        raise BadEntry(key, None, f"`{key}:` must be a list of entries (`- guid: ...`)")
    return items


@dataclass(frozen=True)
class CardFilter:
    """Which generated cards a review or a bulk decision is about; an empty field matches
    every card, so `CardFilter()` is everything."""

    extractors: frozenset[str] = frozenset()
    """Extractor names (`Card.extractor`); any of them."""
    below: float | None = None
    """Only cards scored below this."""
    at_least: float | None = None
    """Only cards scored at least this."""
    files: tuple[str, ...] = ()
    """Globs for the card's file (`Card.source.path`); any of them (see `path_matches`)."""

    @property
    def active(self) -> bool:
        """Whether any filter is set (a bulk decision needs one, or GUIDs)."""
        return bool(self.extractors or self.files) or self.below is not None or self.at_least is not None

    def matches(self, card: Card) -> bool:
        """Whether `card` passes every filter set."""
        return ((not self.extractors or card.extractor in self.extractors)
                and (self.below is None or card.score < self.below)
                and (self.at_least is None or card.score >= self.at_least)
                and (not self.files or any(path_matches(card.source.path, g) for g in self.files)))


def path_matches(path: str, pattern: str) -> bool:
    """Whether a notes file's shown path matches a glob: the whole path or a trailing part of
    it (`bio/*.md` finds `notes/bio/cells.md`, `cells.md` finds it too), `*` crossing folders
    (`bio/*` is everything under bio), a trailing `/` meaning the folder's files."""
    pattern = pattern.replace("\\", "/").removeprefix("./")
    pattern = pattern + "*" if pattern.endswith("/") else pattern
    parts = path.replace("\\", "/").removeprefix("./").split("/")
    return any(fnmatchcase("/".join(parts[i:]), pattern) for i in range(len(parts)))


def select(cards: Iterable[Card], extractors: Iterable[str] = (), below: float | None = None,
           at_least: float | None = None, files: Iterable[str] = ()) -> list[Card]:
    """The cards matching every filter given (see `CardFilter`), in their order."""
    wanted = CardFilter(frozenset(extractors), below, at_least, tuple(files))
    return [c for c in cards if wanted.matches(c)]


def card_filter(extractors: Iterable[str], below: float | None, at_least: float | None,
                files: Iterable[str], known: Collection[str]) -> CardFilter:
    """A `CardFilter` from command-line values (`--extractor a,b` repeatable), checked: an
    unknown extractor name or an empty score range would quietly match nothing, and an empty
    `--extractor ''` would quietly match everything, so each is an error instead."""
    raw = list(extractors)
    names = [n.strip() for e in raw for n in e.split(",") if n.strip()]
    if raw and not names:
        raise NotedeckError("--extractor needs a name", f"known extractors: {', '.join(known)}")
    for name in names:
        if name not in known:
            from difflib import get_close_matches

            close = get_close_matches(name, list(known), n=1)
            guess = f"did you mean {close[0]!r}? " if close else ""
            raise NotedeckError(f"unknown extractor {name!r}", f"{guess}known extractors: {', '.join(known)}")
    if below is not None and at_least is not None and at_least >= below:
        raise NotedeckError(f"no score is at least {at_least:g} and below {below:g}",
                            "--at-least must be lower than --below")
    return CardFilter(frozenset(names), below, at_least, tuple(files))


def review_file(config_path: Path | None, notes_root: Path) -> Path:
    """Where decisions live: beside `notedeck.toml` when there is one, else in the notes'
    folder (`notes_root`): always beside `notedeck.lock`, wherever the command runs."""
    if config_path is not None:
        return Path(config_path).resolve().parent / REVIEW_NAME
    return notes_root / REVIEW_NAME


def remembered_notes(notes: Sequence[object], folder: Path) -> list[str]:
    """The notes given, as the review file in `folder` remembers them: relative to it."""
    out = []
    for n in notes:
        path = Path(str(n))
        path = path if path.is_absolute() else Path.cwd() / path
        out.append(Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix())
    return out


def notes_of_review(path: Path) -> list[str]:
    """The notes the review file at `path` remembers (none when it is missing or remembers
    none; a damaged file is an error)."""
    return Decisions.load(path).notes if path.is_file() else []
