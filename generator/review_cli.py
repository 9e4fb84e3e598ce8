"""The card filters `notedeck review`, `accept` and `reject` share, as click options declared
once, so the three commands cannot drift apart (the filtering itself is `review.CardFilter`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .review import CardFilter

SCORE = click.FloatRange(0, 1)


def filter_options(fn: Callable[..., None]) -> Callable[..., None]:
    """Add --extractor, --below, --at-least and --file to a command. It receives them as one
    argument, `filters`: a call returning the checked `CardFilter`, which raises a
    `NotedeckError` on a bad value (so the command reports it as it reports other errors)."""

    @functools.wraps(fn)
    def command(*args: Any, extractors: tuple[str, ...], below: float | None, at_least: float | None,
                files: tuple[str, ...], **kwargs: Any) -> None:
        def filters() -> CardFilter:
            from .extractors import REGISTRY  # imported when a command runs, not for --help
            from .review import card_filter

            return card_filter(extractors, below, at_least, files, list(REGISTRY.extractors))

        fn(*args, filters=filters, **kwargs)

    for option in (  # reversed: click lists options in the order their decorators run, last first
        click.option("--file", "files", multiple=True, metavar="GLOB",
                     help="Only cards from notes files matching GLOB (repeatable), matched against the "
                          "path --list shows or its end: 'bio/*.md', 'cells.md', 'bio/' (all under bio)."),
        click.option("--at-least", type=SCORE, metavar="SCORE", help="Only cards scored SCORE or more."),
        click.option("--below", type=SCORE, metavar="SCORE", help="Only cards scored below SCORE."),
        click.option("--extractor", "extractors", multiple=True, metavar="NAME[,NAME...]",
                     help="Only cards of these extractors (repeatable); see 'notedeck extractors'."),
    ):
        command = option(command)
    return command
