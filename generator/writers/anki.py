"""Anki writer: the deck as an .apkg package, built with genanki, note types from templates/anki/.

Note type and deck IDs derive from their names (never random), card GUIDs come from the
cards, and every field is HTML-escaped so note text shows as text and never runs.
"""

from __future__ import annotations

import html
import itertools
import re
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import genanki

from ..cards import CLOZE, LIST, Card, Deck
from ..errors import NotedeckError
from ..ids import stable_int_id
from ..templating import environment, render
from . import WriteOptions, atomic_output, register

FIELDS = ("Question", "Answer", "Context", "Source")
CLOZE_FIELDS = ("Text", "Extra", "Context", "Source")
NOTE_TYPES = {"basic": "notedeck Basic", "list": "notedeck List", "cloze": "notedeck Cloze"}
_CLOZE = re.compile(r"\{\{(c\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
# Fixed zip entry time: the package's bytes must not depend on the wall clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ANKI_FIELD = re.compile(r"\{\{[#^/]?\s*[\w: -]+\}\}")


def escape_field(text: str) -> str:
    """Note text as inert HTML: tags escaped, braces as entities so they never act as template syntax."""
    escaped = html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    return escaped.replace("\n", "<br>")


def cloze_field(text: str) -> str:
    """Cloze text for Anki: deletions kept as `{{cN::...}}`, everything else (inside them too) inert."""
    out, last = [], 0
    for m in _CLOZE.finditer(text):
        out.append(escape_field(text[last:m.start()]))
        hint = f"::{escape_field(m.group(3))}" if m.group(3) else ""
        out.append(f"{{{{{m.group(1)}::{escape_field(m.group(2))}{hint}}}}}")
        last = m.end()
    out.append(escape_field(text[last:]))
    return "".join(out)


def list_html(items: tuple[str, ...]) -> str:
    """List items as an HTML list (each item escaped)."""
    return "<ul>" + "".join(f"<li>{escape_field(i)}</li>" for i in items) + "</ul>"


def note_type(kind: str, options: WriteOptions) -> genanki.Model:
    """The genanki model for `kind`, its front/back/CSS rendered from the Jinja templates."""
    env = environment(options.template_dirs)
    name = NOTE_TYPES[kind]
    fields = CLOZE_FIELDS if kind == "cloze" else FIELDS
    ctx = {"note_type": name, "fields": fields}
    front = render(env, f"anki/{kind}/front.html", **ctx)
    back = render(env, f"anki/{kind}/back.html", **ctx)
    css = render(env, "anki/style.css", **ctx)
    for side, text in (("front", front), ("back", back)):
        if not _ANKI_FIELD.search(text):
            raise NotedeckError(
                f"template anki/{kind}/{side}.html shows no Anki field",
                "write Anki's {{Question}} / {{Answer}} inside {% raw %}...{% endraw %} so Jinja keeps them",
            )
    return genanki.Model(
        stable_int_id("notedeck-note-type", name),
        name,
        fields=[{"name": f} for f in fields],
        templates=[{"name": "Cloze" if kind == "cloze" else "Card 1", "qfmt": front, "afmt": back}],
        css=css,
        sort_field_index=0,
        model_type=genanki.Model.CLOZE if kind == "cloze" else genanki.Model.FRONT_BACK,
    )


def anki_tag(tag: str) -> str:
    """Anki tags cannot hold spaces."""
    return re.sub(r"\s+", "_", tag.strip())


def note_for(card: Card, model: genanki.Model) -> genanki.Note:
    """The genanki note for one card."""
    source = f"{card.source.path}:{card.source.line}"
    if card.type == CLOZE:
        fields = [cloze_field(card.question), "", escape_field(card.context), escape_field(source)]
    else:
        answer = list_html(card.items) if card.type == LIST and card.items else escape_field(card.answer)
        fields = [escape_field(card.question), answer, escape_field(card.context), escape_field(source)]
    return genanki.Note(model=model, fields=fields, guid=card.guid,
                        tags=[t for t in map(anki_tag, card.tags) if t])


def write_package(deck: Deck, path: Path, options: WriteOptions) -> None:
    """Write the .apkg at `path` (a temp path: the caller renames it into place)."""
    models = {kind: note_type(kind, options) for kind in NOTE_TYPES}
    gdeck = genanki.Deck(stable_int_id("notedeck-deck", deck.name), deck.name, deck.description)
    for card in deck.cards:
        kind = card.type if card.type in (LIST, CLOZE) else "basic"
        gdeck.add_note(note_for(card, models[kind]))
    for model in models.values():
        gdeck.add_model(model)
    timestamp = time.time() if options.timestamp is None else options.timestamp
    with tempfile.TemporaryDirectory(prefix="notedeck-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            genanki.Package(gdeck).write_to_db(conn.cursor(), timestamp,
                                               itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in (("collection.anki2", db_path.read_bytes()), ("media", b"{}")):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, data)


@register("apkg", ".apkg")
def write(deck: Deck, path: Path, options: WriteOptions) -> None:
    """Write the deck as an Anki package, atomically."""
    with atomic_output(path) as tmp:
        write_package(deck, tmp, options)
