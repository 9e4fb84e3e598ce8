"""How the `notedeck` command speaks: errors as one line with a hint and their exit codes
(`--debug` adds the traceback), each warning once, paths as short as they can be said."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from .errors import NotedeckError, os_hint
from .staging import MOVED

EXIT_INPUT = 2
EXIT_INTERNAL = 3
FILE_FIX = "make the folder writable, or choose another file with -o"
T = TypeVar("T")


def run(ctx: click.Context, fn: Callable[[], T]) -> T:
    """Call `fn`, turning errors into one-line messages and their documented exit codes;
    `--debug` prints the traceback first and keeps the exit code."""
    MOVED.clear()
    try:
        return fn()
    except NotedeckError as exc:
        fail(ctx, f"notedeck: error: {exc}", exc.exit_code)
    except OSError as exc:  # the disk or the system said no (full, read-only, gone)
        fail(ctx, f"notedeck: error: {exc.strerror or exc}{where(exc)} (hint: "
                  f"{os_hint(exc, 'check free space and permissions')}; "
                  f"{outputs_state()})", EXIT_INPUT)
    except KeyboardInterrupt:
        fail(ctx, f"notedeck: interrupted; {outputs_state()}", 130)
    except Exception as exc:  # a bug: still one line, with the way to see more
        fail(ctx, f"notedeck: internal error: {type(exc).__name__}: {exc} "
                  "(hint: rerun with --debug for the traceback and report it)", EXIT_INTERNAL)
    raise AssertionError("unreachable")  # pragma: no cover


def outputs_state() -> str:
    """What an error or interrupt left of the outputs: none changed, or which were written
    (a build stops only after moving everything into place in its last steps)."""
    if not MOVED:
        return "no output was changed"
    more = f" and {len(MOVED) - 1} more" if len(MOVED) > 1 else ""
    return f"the outputs were already written ({shown(MOVED[0])}{more})"


def where(exc: OSError) -> str:
    return f" ({exc.filename})" if exc.filename else ""


def fail(ctx: click.Context, line: str, code: int) -> None:
    """Print the error line (after the traceback under --debug) and exit with `code`."""
    if ctx.find_root().params.get("debug"):
        import traceback  # only here: most runs never print one

        traceback.print_exc()
    click.echo(line, err=True)
    ctx.exit(code)


def warn(warnings: list[str]) -> None:
    """Print each warning once: a refused image is refused by every writer that shows it."""
    for w in dict.fromkeys(warnings):
        click.echo(f"notedeck: warning: {w}", err=True)


def shown(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def count(n: int, noun: str) -> str:
    """`1 card`, `2 cards`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
