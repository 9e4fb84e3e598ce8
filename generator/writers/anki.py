"""Anki writer: the deck as an .apkg package, built with genanki, note types from templates/anki/.

Note type, deck, note and card IDs derive from names and GUIDs (never random, never the
clock), each note carries the time its content last changed (so Anki updates edited notes
and leaves the rest alone), and every field goes through `render.Renderer`: Markdown, code,
math, cloze and images become HTML that shows note text as text and never runs it.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..cards import CLOZE, LIST, REVERSED, Card, Deck, is_suggestion
from ..errors import NotedeckError
from ..fields import card_fields, empty_front, source_of
from ..ids import stable_int_id
from ..render import Media, Renderer, inert
from ..templating import environment, render
from . import (
    WriteOptions,
    WriteReport,
    Written,
    atomic_output,
    cached_render,
    register,
    render_key,
)
from ._collection import NewCollection, Rows, col_entries, package, write_collection
from ._genanki import genanki

FIELDS = ("Question", "Answer", "Context", "Source")
CLOZE_FIELDS = ("Text", "Extra", "Context", "Source")
NOTE_TYPES = {
    "basic": "notedeck Basic",
    "reversed": "notedeck Basic (and reversed)",
    "list": "notedeck List",
    "cloze": "notedeck Cloze",
}
# Card templates per note type: (name, front file, back file).
CARD_TEMPLATES = {
    "basic": [("Card 1", "front.html", "back.html")],
    "reversed": [("Card 1", "front.html", "back.html"), ("Card 2", "front2.html", "back2.html")],
    "list": [("Card 1", "front.html", "back.html")],
    "cloze": [("Cloze", "front.html", "back.html")],
}
_ANKI_FIELD = re.compile(r"\{\{[#^/]?\s*[\w: -]+\}\}")


def plain(text: str) -> str:
    """Text shown as is (context, source): escaped and inert."""
    if _PLAIN.search(text) is None:  # nothing to escape (most contexts and sources)
        return text
    return inert(html.escape(text, quote=False)).replace("\n", "<br>")


_PLAIN = re.compile("[&<>{}\n\ue001]|::")
"""What `plain` changes: HTML's specials, braces, line breaks, double colons (see `inert`)."""


class _Model(genanki.Model):
    """A genanki model whose modification time is when its templates last changed."""

    mod_time: float | None = None

    def to_json(self, timestamp, deck_id):
        return super().to_json(timestamp if self.mod_time is None else self.mod_time, deck_id)


def template_digests(options: WriteOptions) -> dict[str, str]:
    """A digest of each note type's templates and CSS, to tell when one changed."""
    out = {}
    for kind, name in NOTE_TYPES.items():
        model = note_type(kind, options)
        data = json.dumps([model.templates, model.css, model.fields], sort_keys=True)
        out[name] = hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
    return out


Rendered = tuple[list[dict[str, str]], str]
"""A note type's card templates (name, front, back) and CSS, rendered from the Jinja templates."""


def rendered_note_types(options: WriteOptions) -> dict[str, Rendered]:
    """Every note type's templates and CSS as rendered from `options.template_dirs` (kept by a
    build for the patches after it: the same folders render the same)."""
    return {kind: _render_note_type(kind, options) for kind in NOTE_TYPES}


def _render_note_type(kind: str, options: WriteOptions) -> Rendered:
    env = environment(options.template_dirs)
    fields = CLOZE_FIELDS if kind == "cloze" else FIELDS
    ctx = {"note_type": NOTE_TYPES[kind], "fields": fields}
    templates = []
    for card_name, front_file, back_file in CARD_TEMPLATES[kind]:
        front = render(env, f"anki/{kind}/{front_file}", **ctx)
        back = render(env, f"anki/{kind}/{back_file}", **ctx)
        for side, text in ((front_file, front), (back_file, back)):
            if not _ANKI_FIELD.search(text):
                raise NotedeckError(
                    f"template anki/{kind}/{side} shows no Anki field",
                    "write Anki's {{Question}} / {{Answer}} inside {% raw %}...{% endraw %} so Jinja "
                    "keeps them",
                )
        templates.append({"name": card_name, "qfmt": front, "afmt": back})
    return templates, render(env, "anki/style.css", **ctx)


def note_type(kind: str, options: WriteOptions, rendered: Rendered | None = None) -> genanki.Model:
    """The genanki model for `kind`, its front/back/CSS rendered from the Jinja templates (or
    as `rendered` before, from the same templates)."""
    name = NOTE_TYPES[kind]
    fields = CLOZE_FIELDS if kind == "cloze" else FIELDS
    templates, css = rendered if rendered is not None else _render_note_type(kind, options)
    model = _Model(
        stable_int_id("notedeck-note-type", name),
        name,
        fields=[{"name": f} for f in fields],
        templates=templates,
        css=css,
        sort_field_index=0,
        model_type=genanki.Model.CLOZE if kind == "cloze" else genanki.Model.FRONT_BACK,
    )
    model.mod_time = options.note_type_times.get(name)
    return model


@functools.lru_cache(maxsize=4096)  # a deck's few tags, on every card
def anki_tag(tag: str) -> str:
    """Anki tags cannot hold spaces."""
    return re.sub(r"\s+", "_", tag.strip())


def natural_base(guid: str) -> int:
    """The first of the 16 IDs (the note's, then its cards') the GUID gives its note."""
    return (1 << 40) + stable_int_id("notedeck-note", guid) % (1 << 30) * 16


def id_base_from(base: int, taken: set[int]) -> int:
    """A note's first ID, from its GUID's `natural_base` (no clock). Two GUIDs can land on one
    base (a big deck makes it likely); the later one, in the deck's fixed order, takes the
    next free base (then taken), so IDs never clash."""
    while base in taken:
        base += 16
    taken.add(base)
    return base


def note_kind(card: Card) -> str:
    """Which note type a card uses."""
    return card.type if card.type in (LIST, CLOZE, REVERSED) else "basic"


def note_fields(card: Card, renderer: Renderer, options: WriteOptions) -> list[str]:
    """A card's note fields (`FIELDS`, or `CLOZE_FIELDS` for a cloze), rendered to HTML: those
    of a card with plain sides (most, as `fields.card_fields` would) without its layers."""
    if card.type != CLOZE and not (card.type == LIST and card.items):
        front, back = renderer.plain_field(card.question), renderer.plain_field(card.answer)
        if front is not None and back is not None:
            return [front, back, plain(card.context), plain(source_of(card))]
    shown = card_fields(card, renderer, options.sources.get(card.source.path))
    return [shown.front, shown.back, plain(shown.context), plain(shown.source)]


@dataclass(frozen=True)
class RenderAhead:
    """Renders cards into their note fields as `write_package` will, ahead of it: in the
    process pool's workers, as each notes file is extracted, so that the package's writer,
    which runs alone, finds them in its render cache (`cached_render`) instead of rendering
    100,000 cards itself; with each card's note ID base (`natural_base`), which it would
    otherwise work out alone too. Picklable: sent to the workers."""

    allow_html: bool = False

    def start(self) -> Callable[[Sequence[Card], str, str], list[tuple | None]]:
        """A function from a notes file's cards, its display name and its path to what each card
        gives the writer (see `cache.RenderCache.offer`), or None for a card the writer renders
        itself (one renderer for every file a worker is given)."""
        renderer = Renderer(allow_html=self.allow_html)

        def render(cards: Sequence[Card], display: str, path: str) -> list[tuple | None]:
            options = WriteOptions(allow_html=self.allow_html, sources={display: Path(path)})
            out: list[tuple | None] = []
            for card in cards:
                # a suggestion stays out of the deck until accepted (then rendered when written)
                key = render_key(card, options) if not is_suggestion(card) else None
                if key is None:  # (an image: rendered by the writer)
                    out.append(None)
                    continue
                before = len(renderer.warnings)
                fields = note_fields(card, renderer, options)
                out.append((key, (tuple(fields), tuple(renderer.warnings[before:])), natural_base(card.guid)))
            return out

        return render


@dataclass
class _Prepared:
    """A card rendered into its note's fields, waiting for its IDs."""

    card: Card
    fields: list[str]
    deck_id: int


class _Builder:
    """Turns cards into note and card rows: for a whole deck, or for one file's cards when a
    package is patched (see `patch_package`); either way the same rows."""

    def __init__(self, deck: Deck, options: WriteOptions,
                 rendered: Mapping[str, Rendered] | None = None) -> None:
        self.deck, self.options = deck, options
        self.models = {kind: note_type(kind, options, (rendered or {}).get(kind)) for kind in NOTE_TYPES}
        self.media = Media(options.notes_root)
        self.written = Written() if options.per_file else None
        """What each notes file's cards became, when the options ask for it."""
        self.renderer = Renderer(allow_html=options.allow_html, media=self.media)
        self.now = time.time() if options.timestamp is None else options.timestamp
        self.decks: dict[str, genanki.Deck] = {}
        self.taken: set[int] = set()
        self.rows = Rows()
        self.ahead = options.rendered
        """What the extraction's workers made ahead (see `RenderAhead`), if anything."""

    def add(self, card: Card) -> None:
        """Add the card's note, its IDs the first free ones from its GUID's."""
        prepared = self.prepare(card)
        if prepared is not None:
            natural = (self.ahead.natural(card.guid) if self.ahead is not None else None) \
                or natural_base(card.guid)
            self.emit(prepared, id_base_from(natural, self.taken), natural)

    def prepare(self, card: Card) -> _Prepared | None:
        """The card's note fields, or None (with a warning) when its front shows nothing."""
        name = self.add_deck(card.deck or self.deck.name)
        written, warned = self.written, len(self.renderer.warnings)
        looked, media_warned = len(self.media.looked), len(self.media.warnings)
        fields = cached_render(card, self.renderer, self.options,
                               lambda: note_fields(card, self.renderer, self.options))
        prepared: _Prepared | None = _Prepared(card, fields, self.decks[name].deck_id)
        empty = empty_front(card, fields[0])  # e.g. only a <script> that --allow-html removed
        if empty is not None:
            self.renderer.warnings.append(f"{source_of(card)}: {empty}; left out")
            prepared = None
        if written is not None:
            path = card.source.path
            if len(self.renderer.warnings) > warned:
                written.warnings.setdefault(path, []).extend(self.renderer.warnings[warned:])
            if len(self.media.warnings) > media_warned:
                written.media_warnings.setdefault(path, []).extend(self.media.warnings[media_warned:])
            for image, media_name in self.media.looked[looked:]:
                written.images.setdefault(path, {})[image] = self.media.seen[image]
                if media_name is not None:
                    written.media.setdefault(path, {})[media_name] = image
        return prepared

    def emit(self, prepared: _Prepared, base: int, natural: int) -> None:
        """Add the rows of a prepared note whose IDs start at `base` (its GUID gives `natural`);
        note them in `written`."""
        card = prepared.card
        self.rows.add_note(self.models[note_kind(card)], prepared.fields, card.guid,
                           [t for t in map(anki_tag, card.tags) if t],
                           self.options.mod_times.get(card.guid, self.now), base, prepared.deck_id)
        if self.written is not None:
            self.written.ids.setdefault(card.source.path, []).append(base)
            self.written.naturals.setdefault(card.source.path, []).append(natural)

    def add_deck(self, name: str) -> str:
        """Make sure the (sub-)deck `name` is written; its name."""
        if name not in self.decks:
            self.decks[name] = genanki.Deck(stable_int_id("notedeck-deck", name), name, self.deck.description)
        return name

    def all_decks(self) -> list[genanki.Deck]:
        """The (sub-)decks the cards went to, each with the note types."""
        if not self.decks:
            self.add_deck(self.deck.name)
        for gdeck in self.decks.values():
            for model in self.models.values():
                gdeck.add_model(model)
        return list(self.decks.values())

    def report(self) -> WriteReport:
        """What was written: warnings, the images looked for, what each notes file's cards became."""
        return WriteReport(self.renderer.warnings + self.media.warnings, self.media.seen, self.written)


def write_package(deck: Deck, path: Path, options: WriteOptions) -> WriteReport:
    """Write the .apkg at `path` (a temp path: the caller renames it into place)."""
    builder = _Builder(deck, options)
    with NewCollection(len(deck.cards)) as collection:
        for card in deck.cards:
            builder.add(card)
            collection.add(builder.rows)
        decks = builder.all_decks()
        collection.finish(path, builder.rows, col_entries(decks, list(builder.models.values()), builder.now),
                          builder.media)
    return builder.report()


IdPlan = Callable[[dict[str, list[int]]], "dict[str, list[int]] | None"]
"""Given the natural ID bases (`natural_base`) of the notes put in, by notes file: their IDs,
or None when the notes that stay would have to move (see `patch_package`)."""


def assign_ids(files: Sequence[list[int]]) -> list[list[int]]:
    """The IDs `write_package` gives notes whose natural bases are `files` (in deck order):
    each takes the first free base from its own (`id_base_from`)."""
    taken: set[int] = set()
    return [[id_base_from(n, taken) for n in naturals] for naturals in files]


def patch_package(previous: Path, deck: Deck, path: Path, options: WriteOptions, gone: list[int],
                  plan: IdPlan, decks: list[str], media: dict[str, Path],
                  rendered: Mapping[str, Rendered] | None = None) -> WriteReport | None:
    """Write at `path` the package `previous` with the notes `gone` taken out and `deck.cards`
    put in: what `write_package` would write for the whole deck, without rendering or inserting
    the rest again. `plan` gives the new notes' IDs; `decks` names every (sub-)deck of the whole
    deck, in order; `media` is what the notes that stay show (media name -> image file).
    Returns the report of the cards put in (with `options.per_file`, what they became), or
    None (nothing written) when `plan` gives no IDs: then only a full write gives the right
    package. `rendered`: the note types as the last full build rendered them (no Jinja then)."""
    builder = _Builder(deck, options, rendered)
    prepared = [p for p in map(builder.prepare, deck.cards) if p is not None]
    builder.media.files.update(media)
    naturals: dict[str, list[int]] = {}
    for p in prepared:
        naturals.setdefault(p.card.source.path, []).append(natural_base(p.card.guid))
    ids = plan(naturals)
    if ids is None:
        return None
    bases = {name: zip(found, naturals[name], strict=True) for name, found in ids.items() if found}
    for p in prepared:
        builder.emit(p, *next(bases[p.card.source.path]))
    for name in decks:
        builder.add_deck(name)
    builder.decks = {name: builder.decks[name] for name in decks}
    all_decks = builder.all_decks()
    memory = sqlite3.connect(":memory:")
    try:
        write_collection(memory.cursor(), all_decks, list(builder.models.values()), builder.now)
        col = memory.execute("SELECT * FROM col").fetchone()
    finally:
        memory.close()

    def fill(cursor: sqlite3.Cursor) -> None:
        cursor.executemany("DELETE FROM cards WHERE nid = ?", [(i,) for i in gone])
        cursor.executemany("DELETE FROM notes WHERE id = ?", [(i,) for i in gone])
        cursor.execute("DELETE FROM col")
        cursor.execute(f"INSERT INTO col VALUES({','.join('?' * len(col))})", col)
        builder.rows.insert(cursor)
        # VACUUM INTO adds one to the schema cookie, so the last package's is one more than its
        # scratch file's was: set back, both end the same
        (cookie,) = cursor.execute("PRAGMA schema_version").fetchone()
        cursor.execute(f"PRAGMA schema_version = {int(cookie) - 1}")

    package(path, builder.media, fill, previous)
    return builder.report()


@register("apkg", ".apkg")
def write(deck: Deck, path: Path, options: WriteOptions) -> WriteReport:
    """Write the deck as an Anki package, atomically."""
    with atomic_output(path) as tmp:
        return write_package(deck, tmp, options)
