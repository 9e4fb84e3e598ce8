"""The click options several `notedeck` commands share, each declared once: one name, one
default, one meaning (the card filters of review/accept/reject are in `review_cli`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .options import LAYOUTS, PAPERS

F = TypeVar("F", bound=Callable[..., Any])


def _names(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...] | None:
    """`--extractor a,b --extractor c` -> ("a", "b", "c"); none given -> None (the config's)."""
    return tuple(n.strip() for v in value for n in v.split(",") if n.strip()) or None


# Options several commands share, declared once each (one default, one meaning).
no_spelling_option = click.option("--no-spelling", is_flag=True, help="Keep typos in card text as written.")
min_score_option = click.option(
    "--min-score", type=click.FloatRange(0, 1), default=None,
    help="Leave out cards the extractors are less sure of (default: the config's, else 0).")
extractor_option = click.option(
    "--extractor", "extractors", multiple=True, callback=_names,
    help="Run only these extractors (repeatable or comma-separated, e.g. explicit,cloze); "
         "see 'notedeck extractors'.")
templates_option = click.option(
    "-t", "--templates", "template_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder of templates overriding the defaults (repeatable; e.g. sheet/table.html).")
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: ./notedeck.toml, else [tool.notedeck] in ./pyproject.toml).")
accepted_only_option = click.option(
    "--accepted-only", is_flag=True,
    help="Only cards accepted in review (notedeck review): the curated release.")
layout_option = click.option(
    "--layout", type=click.Choice(LAYOUTS), default=None,
    help="Sheet layout (the sheet-html / sheet-pdf formats): table, Q | A with a fold line; cards, "
         "cut-out cards, double-sided; quiz, questions, then the key (default: table).")
paper_option = click.option("--paper", type=click.Choice(list(PAPERS)), default=None,
                            help="Sheet paper size (default: a4).")


def lock_option(what: str) -> Callable[[F], F]:
    """`--lock FILE`, its help starting with `what` the command does with it."""
    return click.option("--lock", "lock_path", type=click.Path(dir_okay=False, path_type=Path),
                        help=f"{what} (default: notedeck.lock beside the config or notes).")


def no_lock_option(what: str) -> Callable[[F], F]:
    """`--no-lock`, its help saying what the command then does without the lock."""
    return click.option("--no-lock", is_flag=True, help=what)
