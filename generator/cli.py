"""The `notedeck` command: parses arguments, calls the pipeline, prints one-line results.

Errors are one line with a hint and exit status 2 (usage or input); `--debug` shows the
traceback instead. No logic lives here that the library API lacks.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_options import (
    accepted_only_option,
    config_option,
    extractor_option,
    layout_option,
    lock_option,
    min_score_option,
    no_lock_option,
    no_spelling_option,
    paper_option,
    templates_option,
)
from .cli_output import EXIT_INPUT, FILE_FIX
from .cli_output import count as _count
from .cli_output import run as _run
from .cli_output import shown as _shown
from .cli_output import warn as _warn
from .options import FORMATS as BUILT_IN_FORMATS
from .options import BuildOptions, ExtractChoices, SheetOptions
from .progress import TerminalProgress
from .progress import wanted as show_progress
from .review_cli import filter_options

if TYPE_CHECKING:
    from .review import CardFilter

# What a command needs is imported when it runs, not when the CLI loads: `notedeck --version`
# and `--help` do not pay for the extractors, the writers or Anki's package format.
ACCEPTED, REJECTED = "accepted", "rejected"  # review.ACCEPTED / review.REJECTED


def _module(name: str) -> Any:
    """The package's module `name`, imported when a command first needs it."""
    return import_module(f".{name}", __package__)


def build_decks(*args: Any, **kwargs: Any) -> Any:
    return _module("pipeline").build(*args, **kwargs)


def _print_version(ctx: click.Context) -> None:
    from . import __version__

    click.echo(f"notedeck, version {__version__}")
    ctx.exit()


def _formats(value: str) -> list[str]:
    writers = _module("writers")
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if not writers.is_format(n)]
    if unknown or not names:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or value!r}; "
                                 f"choose from {', '.join(writers.FORMATS)}")
    return names


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog="Example: notedeck build notes/ -o output/   (see 'notedeck COMMAND --help')")
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _p, value: _print_version(ctx) if value else None,
              help="Show the version and exit.")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
def cli(debug: bool) -> None:
    """Turn notes (bullet outlines, Markdown, Org) into Anki flashcard decks."""


@cli.command(epilog="Examples:\n\n\b\n  notedeck build                       # the decks in ./notedeck.toml"
                    "\n  notedeck build notes.md -o decks/    # decks/notes.apkg"
                    "\n  notedeck build lectures/ --deck 'Biology::Cells'")
@click.argument("notes", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write to (default: output/, or the config's).")
@click.option("--deck", help="Deck name (with NOTES) or which configured deck to build.")
@click.option("--format", "formats", default=None, callback=lambda c, p, v: _formats(v) if v else None,
              help=f"Comma-separated output formats: {', '.join(BUILT_IN_FORMATS)} "
                   "(default: the config's, else apkg).")
@templates_option
@min_score_option
@config_option
@no_spelling_option
@click.option("--allow-html", is_flag=True, help="Pass HTML in notes through (default: show it as text).")
@click.option("--reversed", "reversed_definitions", is_flag=True, default=None,
              help="Definition cards ask both ways: the term, and the term from its definition.")
@click.option("--heading-tags", is_flag=True, default=None, help="Tag each card with its top heading.")
@lock_option("Lock file keeping card identities")
@no_lock_option("Neither read nor write the lock file.")
@click.option("--tombstones", is_flag=True,
              help="Send cards removed from the notes tagged notedeck::removed, to find and delete them.")
@layout_option
@paper_option
@click.option("--no-cache", is_flag=True,
              help="Extract every file afresh and rewrite every output (default: reuse the cache in "
                   "$NOTEDECK_CACHE_DIR or ~/.cache/notedeck).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (it shows only on a terminal anyway).")
@accepted_only_option
@extractor_option
@click.option("--stats", is_flag=True,
              help="Print the time spent in each stage, and how many files came from the cache.")
@click.pass_context
def build(ctx: click.Context, notes: tuple[Path, ...], output_dir: Path | None, deck: str | None,
          formats: list[str] | None, template_dirs: tuple[Path, ...], min_score: float | None,
          config_path: Path | None, no_spelling: bool, allow_html: bool, reversed_definitions: bool | None,
          heading_tags: bool | None, lock_path: Path | None, no_lock: bool, tombstones: bool,
          layout: str | None, paper: str | None, no_cache: bool, quiet: bool, accepted_only: bool,
          extractors: tuple[str, ...] | None, stats: bool) -> None:
    """Build Anki decks from NOTES (files or folders), or from notedeck.toml."""
    began = time.perf_counter()
    timings: dict[str, float] = {}
    options = BuildOptions(
        deck=deck, output_dir=output_dir, config_path=config_path,
        formats=tuple(formats) if formats else None, template_dirs=template_dirs, extractors=extractors,
        min_score=min_score, spelling=not no_spelling, heading_tags=heading_tags,
        reversed_definitions=reversed_definitions, layout=layout, paper=paper, lock_path=lock_path,
        use_lock=not no_lock, allow_html=allow_html, tombstones=tombstones, accepted_only=accepted_only)
    progress = TerminalProgress() if show_progress(quiet=quiet) else None
    try:
        results = _run(ctx, lambda: build_decks(
            notes, options, cache=None if no_cache else _module("cache").default_folder(), progress=progress,
            stats=timings,
            waiting=lambda lock: click.echo(
                f"notedeck: waiting for another build using {_shown(lock)} to finish", err=True)))
    finally:
        if progress is not None:
            progress.close()
    for r in results:
        _warn(r.warnings)
        shown = ", ".join(_shown(p) for p in r.paths)
        gone = f", {r.removed} removed since the last build" if r.removed else ""
        offered = f", {_count(r.suggestions, 'suggestion')} to review" if r.suggestions else ""
        files = f"{_count(r.cards, 'card')} from {_count(r.files, 'file')}{offered}"
        if r.up_to_date:
            click.echo(f"up to date: {shown} ({files}, deck {r.deck!r}; nothing changed since the last "
                       "build)")
        else:
            click.echo(f"built {shown}: {files} (deck {r.deck!r}{gone})")
    if stats:
        for r in results:
            reused = r.files if r.up_to_date else r.cache_hits
            how = "; the last build patched" if r.patched else ""
            click.echo(f"  deck {r.deck!r}: {reused} of {_count(r.files, 'notes file')} from the cache{how}",
                       err=True)
        for stage, seconds in timings.items():
            click.echo(f"  {stage:<20}{seconds:8.2f} s", err=True)
        click.echo(f"  {'total':<20}{time.perf_counter() - began:8.2f} s", err=True)


@cli.command(epilog="Example:\n\n\b\n  notedeck extract notes.txt --format jsonl -o cards.jsonl")
@click.argument("notes", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="jsonl", show_default=True,
              help="jsonl (JSON Lines, the interchange format), csv (Anki's text import, with GUIDs), "
                   "or a plugin's format that can print.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--deck", help="Deck name recorded on each card.")
@min_score_option
@extractor_option
@no_spelling_option
@click.option("--include-rejected", is_flag=True,
              help="Also cards rejected in review; each unaccepted card tagged notedeck::new or "
                   "notedeck::rejected.")
@click.option("--suggestions", is_flag=True,
              help="Instead of the deck's cards, the suggestions: cards the extractors are less sure "
                   "of, left out of the deck until accepted (notedeck review).")
@lock_option("Lock file whose GUIDs the cards keep, as in build; read, never written")
@no_lock_option("Do not read the lock file (GUIDs from the notes alone).")
@click.option("--explain", is_flag=True,
              help="Instead of cards, print each card's extractor, score and line, and why other lines "
                   "gave none (questions to look up, asides, fragments).")
@click.pass_context
def extract(ctx: click.Context, notes: tuple[Path, ...], fmt: str, output: Path | None,
            deck: str | None, min_score: float | None, extractors: tuple[str, ...] | None, no_spelling: bool,
            include_rejected: bool, suggestions: bool, lock_path: Path | None, no_lock: bool,
            explain: bool) -> None:
    """Extract cards from NOTES and print them (or write them to a file).

    Decisions in notedeck.review.yaml apply: rejected cards are left out, edits replace the
    generated text, and suggestions stay out until accepted (--suggestions lists them). Cards
    keep the GUIDs notedeck.lock gives them in build, so a CSV re-import updates notes."""
    printable = _module("writers").stream_formats()  # asked of the writer registry: plugins may add formats
    if fmt not in printable:
        raise click.BadParameter(f"{fmt!r} cannot be printed; choose from {', '.join(printable)}",
                                 param_hint="'--format'")
    choices = ExtractChoices(extractors, min_score, not no_spelling)
    if explain:
        explain_cards = _module("pipeline").explain
        for fe in _run(ctx, lambda: explain_cards(notes, deck=deck, settings=choices.for_notes())):
            click.echo(fe.path)
            for c in fe.cards:
                answer = c.answer if len(c.answer) <= 70 else c.answer[:69] + "…"
                click.echo(f"  {c.source.line:5}  {c.extractor:11} {c.score:4.2f}  {c.question}  ->  "
                           f"{answer}")
            if fe.skipped:
                click.echo("  lines without a card:")
            for n in fe.skipped:
                text = n.text if len(n.text) <= 90 else n.text[:89] + "…"
                click.echo(f"  {n.line:5}  {n.reason:16} {text}")
        return
    results = _run(ctx, lambda: _module("pipeline").extract_targets(notes, deck=deck, choices=choices,
                                                include_rejected=include_rejected, lock_path=lock_path,
                                                use_lock=not no_lock))
    cards = [c for r in results for c in (r.suggestions if suggestions else r.cards)]
    for r in results:
        _warn(r.warnings)
    writer = _module("writers").get_format(fmt).stream
    assert writer is not None  # a printable format, checked above
    if output is None:
        out = sys.stdout
        if hasattr(out, "reconfigure"):
            out.reconfigure(encoding="utf-8")  # cards are UTF-8 whatever the console's default
        writer(cards, out)
        out.flush()
        return

    def write() -> None:
        atomic_output = _module("writers").atomic_output
        with atomic_output(output, FILE_FIX) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
            writer(cards, f)

    _run(ctx, write)
    click.echo(f"wrote {output}: {_count(len(cards), 'card')}", err=True)


@cli.command(epilog="Examples:\n\n\b\n  notedeck sheet notes.md -o output/notes.pdf --layout cards"
                    "\n  notedeck sheet lectures/ -o review.html --layout quiz --paper letter")
@click.argument("notes", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The sheet to write: NAME.pdf or NAME.html.")
@layout_option
@paper_option
@click.option("--title", help="Title printed on the sheet (default: the deck name).")
@click.option("--deck", help="Deck name.")
@min_score_option
@templates_option
@no_spelling_option
@lock_option("Lock file whose GUIDs the cards keep, as in build; read, never written")
@no_lock_option("Do not read the lock file (GUIDs from the notes alone).")
@click.pass_context
def sheet(ctx: click.Context, notes: tuple[Path, ...], output: Path, layout: str | None, paper: str | None,
          title: str | None, deck: str | None, min_score: float | None, template_dirs: tuple[Path, ...],
          no_spelling: bool, lock_path: Path | None, no_lock: bool) -> None:
    """Print the cards of NOTES (or of configured decks) as a review sheet (PDF or HTML)."""
    look = SheetOptions.merged({"layout": layout, "paper": paper})
    sheet = _module("pipeline").sheet
    r = _run(ctx, lambda: sheet(notes, output, layout=look.layout, paper=look.paper, title=title,
                                deck=deck, min_score=min_score, template_dirs=template_dirs,
                                spelling=not no_spelling, lock_path=lock_path, use_lock=not no_lock))
    _warn(r.warnings)
    click.echo(f"wrote {_shown(output)}: {_count(r.cards, 'card')}, {look.layout} layout")


@cli.command(epilog="Examples:\n\n\b\n  notedeck check                    # every deck in notedeck.toml"
                    "\n  notedeck check --strict --frozen  # in CI: warnings fail, the lock must be committed"
                    "\n  notedeck check notes/             # notes without a config")
@click.argument("notes", nargs=-1, type=click.Path(path_type=Path))
@click.option("--deck", help="Deck name (with NOTES) or which configured deck to check.")
@config_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--frozen", is_flag=True,
              help="Fail when a build would change notedeck.lock (it must be committed up to date).")
@lock_option("Lock file")
@min_score_option
@no_spelling_option
@accepted_only_option
@click.option("--no-cache", is_flag=True,
              help="Extract every file afresh (default: through the cache `build` uses, which the "
                   "check fills, so a build after it extracts nothing again).")
@click.pass_context
def check(ctx: click.Context, notes: tuple[Path, ...], deck: str | None, config_path: Path | None,
          strict: bool, frozen: bool, lock_path: Path | None, min_score: float | None,
          no_spelling: bool, accepted_only: bool, no_cache: bool) -> None:
    """Check NOTES (or the configured decks) for what would make a release wrong; writes no
    output (only the extraction cache).

    Exit status 1 on errors (unreadable or empty notes, empty card sides, duplicate GUIDs,
    missing images, unbalanced math, with --frozen an outdated lock file), or with --strict on
    warnings; 0 otherwise. Under GitHub Actions problems are also annotations on the PR."""
    options = BuildOptions(deck=deck, config_path=config_path, lock_path=lock_path,
                           min_score=min_score, spelling=not no_spelling,
                           accepted_only=accepted_only)
    report = _run(ctx, lambda: _module("check").check(notes, options, frozen=frozen,
                                           cache=None if no_cache else _module("cache").default_folder()))
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in report.problems:
        click.echo(str(problem), err=True)
        if github:
            click.echo(problem.annotation(strict=strict))
    verdict = "failed" if report.failed(strict) else "ok"
    click.echo(f"check {verdict}: {_count(report.cards, 'card')} in {_count(report.decks, 'deck')}, "
               f"{_count(len(report.errors), 'error')}, {_count(len(report.warnings), 'warning')}")
    ctx.exit(1 if report.failed(strict) else 0)


@cli.command(epilog="Examples:\n\n\b\n  notedeck diff previous/deck.apkg output/deck.apkg"
                    "\n  notedeck diff v1/ output/ --markdown -o release-notes.md")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--markdown", is_flag=True, help="Write Markdown release notes instead of plain text.")
@click.option("--title", default="Card changes", show_default=True, help="Heading of the Markdown notes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.pass_context
def diff(ctx: click.Context, old: Path, new: tuple[Path, ...], markdown: bool, title: str,
         output: Path | None) -> None:
    """Cards added, changed and removed between OLD and NEW releases, matched by GUID.

    OLD and NEW are .apkg, .jsonl or .csv files of one kind, or folders of them (a build's
    output folder)."""
    changes = _run(ctx, lambda: _module("diff").diff([old], list(new)))
    text = _module("diff").as_markdown(changes, title) if markdown else _module("diff").as_text(changes)
    if output is None:
        click.echo(text, nl=False)
        return

    def write() -> None:
        with _module("writers").atomic_output(output, FILE_FIX) as tmp:
            tmp.write_text(text, encoding="utf-8")

    _run(ctx, write)
    click.echo(f"wrote {_shown(output)}: {len(changes.added)} added, {len(changes.changed)} changed, "
               f"{len(changes.removed)} removed", err=True)


@cli.command(epilog="Examples:\n\n\b\n  notedeck review                 # the configured decks, interactively"
                    "\n  notedeck review notes/ --list   # a table of the cards waiting for review"
                    "\n  notedeck review --accept-all"
                    "\n  notedeck review --list --extractor statement,comparison --below 0.6 --file 'bio/*'")
@click.argument("notes", nargs=-1, type=click.Path(path_type=Path))
@config_option
@click.option("--list", "list_only", is_flag=True, help="Print the cards waiting for review and exit.")
@click.option("--accept-all", is_flag=True, help="Accept every card waiting for review (that the filters "
                                                 "let through).")
@filter_options
@click.pass_context
def review(ctx: click.Context, notes: tuple[Path, ...], config_path: Path | None, list_only: bool,
           accept_all: bool, filters: Callable[[], CardFilter]) -> None:
    """Review new cards one by one: accept (a), reject (r), edit (e, or E in $EDITOR), accept
    with extra tags (t), skip (s), undo (u), quit (q). Decisions are saved at once to
    notedeck.review.yaml (beside notedeck.toml, else in the notes' folder, with notedeck.lock),
    and every build, sheet and export follows them. Without NOTES or a config, the notes the
    review file here remembers are read. Filters narrow the cards shown, listed or accepted to
    those matching them all."""
    wanted = _run(ctx, filters)
    found, decisions = _run(ctx, lambda: _module("pipeline").review_targets(notes, config_path=config_path))
    waiting = [r for ex in found for r in decisions.pending(ex.cards)]
    pending = [r for r in waiting if wanted.matches(r.generated)]
    if list_only:
        for r in pending:
            state = "stale" if r.stale else "new"
            click.echo(f"{r.generated.guid}  {state:5}  {r.card.extractor:11} {r.card.score:4.2f}  "
                       f"{r.card.source.path}:{r.card.source.line}  {r.card.question}  ->  {r.card.answer}")
        of = f"{len(pending)} of {_count(len(waiting), 'card')} waiting for review match" \
            if wanted.active else f"{_count(len(pending), 'card')} waiting for review"
        click.echo(f"{of} ({decisions.path.name})", err=True)
        return
    if accept_all:
        for r in pending:
            decisions.decide(r.generated, ACCEPTED)
        _run(ctx, decisions.save)
        click.echo(f"accepted {_count(len(pending), 'card')} ({_shown(decisions.path)})")
        return
    if not pending:
        click.echo(f"nothing to review: none of the {_count(len(waiting), 'card')} waiting matches the "
                   "filters" if waiting else "nothing to review: every card has a decision")
        return
    try:
        from .review_tui import ReviewApp
    except ImportError:
        click.echo("notedeck: error: the review screen needs Textual "
                   "(hint: pip install 'notedeck[review]', or use --list, accept and reject)", err=True)
        ctx.exit(EXIT_INPUT)
    sources = {f.display: f.path for ex in found for f in ex.files}
    decided = ReviewApp(pending, decisions, sources).run() or 0
    left = len(decisions.pending([c for ex in found for c in ex.cards]))
    click.echo(f"{_count(decided, 'decision')} saved to {_shown(decisions.path)}; "
               f"{_count(left, 'card')} still to review")


def _decide(ctx: click.Context, status: str, guids: tuple[str, ...], filters: Callable[[], CardFilter],
            notes: tuple[Path, ...], config_path: Path | None) -> None:
    """Record `status` for the cards named by GUID, or else for every card still waiting for
    review that the filters let through (never for cards already decided: a filter is too
    blunt to overrule a decision a person made card by card)."""
    wanted = _run(ctx, filters)
    if bool(guids) == wanted.active:
        problem = "takes GUIDs or filters, not both" if guids else "needs GUIDs or filters"
        click.echo(f"notedeck: error: {ctx.info_name} {problem} (hint: notedeck review --list shows the "
                   "GUIDs; filters are e.g. --extractor statement --below 0.6)", err=True)
        ctx.exit(EXIT_INPUT)
    found, decisions = _run(ctx, lambda: _module("pipeline").review_targets(notes, config_path=config_path,
                                                        example=f"{ctx.info_name} GUID -n notes.md"))
    if guids:
        by_guid = {c.guid: c for ex in found for c in ex.cards}
        unknown = [g for g in guids if g not in by_guid]
        if unknown:
            click.echo(f"notedeck: error: no card with GUID {', '.join(unknown)} "
                       "(hint: notedeck review --list shows the GUIDs)", err=True)
            ctx.exit(EXIT_INPUT)
        chosen = [by_guid[g] for g in guids]
    else:
        chosen = [r.generated for ex in found for r in decisions.pending(ex.cards)
                  if wanted.matches(r.generated)]
    for card in chosen:
        decisions.decide(card, status)
    if chosen:  # deciding nothing leaves the file (a build input) as it was
        _run(ctx, decisions.save)
    click.echo(f"{status} {_count(len(chosen), 'card')} ({_shown(decisions.path)})")


def _decision_command(name: str, status: str, verb: str, why: str = "") -> None:
    """Register `notedeck accept` / `notedeck reject`: record `status` for cards by GUID or filter."""

    @cli.command(name=name, help=f"{verb} the cards with these GUIDs (see `notedeck review --list`), or, "
                 "with filters instead, every card waiting for review that matches them all. Cards "
                 f"already accepted or rejected keep their decision unless named by GUID.{why}",
                 epilog=f"Examples:\n\n\b\n  notedeck {name} Xq3f9Z2kLmPa bR7uT0yVwXcD"
                        f"\n  notedeck {name} --extractor statement --below 0.6 --file 'bio/*'")
    @click.argument("guids", nargs=-1)
    @click.option("-n", "--notes", "notes", multiple=True, type=click.Path(path_type=Path),
                  help="Notes the cards come from (default: the decks in ./notedeck.toml, else the "
                       "notes the review file here remembers).")
    @config_option
    @filter_options
    @click.pass_context
    def command(ctx: click.Context, guids: tuple[str, ...], notes: tuple[Path, ...],
                config_path: Path | None, filters: Callable[[], CardFilter]) -> None:
        _decide(ctx, status, guids, filters, notes, config_path)


_decision_command("accept", ACCEPTED, "Accept")
_decision_command("reject", REJECTED, "Reject", " Rejected cards stay out of every build, even after "
                  "small edits.")


@cli.command(name="extractors", epilog="Example:\n\n\b\n  notedeck extractors")
def list_extractors() -> None:
    """List the extractors and what each finds."""
    for name, doc in _module("extractors").REGISTRY.describe().items():
        off = " [off unless named with --extractor]" if name in _module("extractors").REGISTRY.opt_in else ""
        click.echo(f"{name:12} {doc}{off}")


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="notedeck")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
