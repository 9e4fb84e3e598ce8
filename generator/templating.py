"""Finding and rendering Jinja templates: user folders first, then the shipped defaults.

Defaults are also reachable as `default/<name>`, so an override can extend the original
(`{% extends "default/anki/basic/front.html" %}`) and change one block. Templates run in
Jinja's sandbox with autoescaping; note text is only ever passed in as data.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NotedeckError

if TYPE_CHECKING:  # Jinja is imported by the first template rendered: the up-to-date check only
    import jinja2  # hashes the template folders
    from jinja2.sandbox import SandboxedEnvironment

_PACKAGE_DIR = Path(__file__).resolve().parent


def default_template_dir() -> Path:
    """The shipped templates: inside the package (wheel) or beside it (source checkout)."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates"):
        if (candidate / "anki").is_dir():
            return candidate
    raise NotedeckError("notedeck's default templates are missing",
                        "reinstall notedeck (pip install --force-reinstall notedeck)")


def environment(user_dirs: Sequence[Path] = ()) -> SandboxedEnvironment:
    """A sandboxed, autoescaping environment over the user folders and the defaults."""
    for d in user_dirs:
        if not Path(d).is_dir():
            raise NotedeckError(f"template folder not found: {d}",
                                "pass an existing folder to -t/--templates")
    return _environment(tuple(str(d) for d in user_dirs))


@functools.lru_cache(maxsize=8)
def _environment(user_dirs: tuple[str, ...]) -> SandboxedEnvironment:
    """`environment`, one per set of folders: each note type and sheet asks for one, and a new
    environment compiles every template again (Jinja still reloads a template whose file
    changed)."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    default = str(default_template_dir())
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([*user_dirs, default]),
        jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(default)}),
    ])
    return SandboxedEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render template `name`; a broken template is a one-line error naming file and line."""
    import jinja2

    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise NotedeckError(f"template not found: {exc.name}",
                            "check the file names in your -t/--templates folder") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise NotedeckError(f"{exc.filename or name}:{exc.lineno}: template error: {exc.message}",
                            "fix the template syntax") from exc
    except jinja2.UndefinedError as exc:
        raise NotedeckError(f"template {name}: {exc.message}", _undefined_hint(name, context)) from exc
    except jinja2.TemplateError as exc:
        raise NotedeckError(f"template {name}: {exc}", "fix the template") from exc
    except RecursionError as exc:  # a macro calling itself, a template extending itself
        raise NotedeckError(f"template {name}: it calls itself without end",
                            "a macro that calls itself, or a template that extends or includes "
                            f"itself; to change the shipped one, extend default/{name}") from exc
    except OverflowError as exc:  # the sandbox's limit on range(), say
        raise NotedeckError(f"template {name}: {exc}", "fix the template") from exc


def _undefined_hint(name: str, context: dict[str, object]) -> str:
    """What to do about an undefined name: the variables the template does get, and for Anki's
    templates, how to write Anki's own field syntax."""
    given = f"the template gets: {', '.join(sorted(context))}"
    if name.startswith("anki/"):
        return f"Anki's own {{{{Field}}}} syntax must sit inside {{% raw %}}...{{% endraw %}}; {given}"
    return given
