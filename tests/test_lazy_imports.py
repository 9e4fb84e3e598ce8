"""What a command does not use, it does not import: `notedeck --version` and a build with
nothing to do load no extractor, no writer and none of Markdown, Jinja or Anki's package
code (issue 19: their start-up is most of what those commands cost). Checked by the modules a
real process ends with, not by timing it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE
from generator.writers import BUILT_IN, FORMATS

HEAVY = ("genanki", "markdown_it", "jinja2", "pygments", "yaml", "spellchecker", "importlib.metadata",
         "generator.extractors", "generator.extraction", "generator.writers.anki", "generator.render",
         "generator.delta", "generator.rebuild", "generator.readers", "asyncio")

RUN = """
import json, sys
from generator.cli import main
sys.argv = ["notedeck", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    print(f"exit {exit.code}")
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules_after(args: list[str], cwd: Path, cache: Path) -> tuple[str, list[str]]:
    env = {**os.environ, "NOTEDECK_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", RUN, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
    return proc.stdout, json.loads(proc.stderr.strip().splitlines()[-1])


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_version_and_an_up_to_date_build_import_nothing_heavy(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    (tmp_path / "notedeck.toml").write_text(
        f'[[deck]]\nname = "Talks"\nsources = ["{EXAMPLE.name}"]\n'
        'formats = ["apkg", "csv", "jsonl", "sheet-html"]\n',
        encoding="utf-8")
    cache = tmp_path / "cache"
    out, modules = _modules_after(["--version"], tmp_path, cache)
    assert out.startswith("notedeck, version ") and _heavy(modules) == []
    out, modules = _modules_after(["build"], tmp_path, cache)  # the first build writes: it needs them all
    assert out.startswith("built ") and "genanki" in modules and "generator.extractors" in modules
    out, modules = _modules_after(["build"], tmp_path, cache)
    assert out.startswith("up to date: ") and _heavy(modules) == []
    (tmp_path / EXAMPLE.name).write_text(EXAMPLE.read_text(encoding="utf-8") + "\n• Zig :: a language\n",
                                         encoding="utf-8")
    out, modules = _modules_after(["build"], tmp_path, cache)  # changed notes are noticed all the same
    assert out.startswith("built ") and "generator.rebuild" in modules


def test_the_built_in_formats_are_known_before_their_writers_are_imported() -> None:
    assert {name: FORMATS[name].suffix for name in BUILT_IN} == BUILT_IN
    assert list(FORMATS)[:len(BUILT_IN)] == list(BUILT_IN)


def test_the_anki_writer_imports_genanki_without_asyncio_or_yaml():
    """genanki's `cached_property` package imports asyncio (and ssl) for coroutines genanki has
    none of, and it imports PyYAML for note types written as YAML, which notedeck never writes:
    the writer imports genanki with stand-ins for both and leaves neither behind. Its note types
    still work out which fields a card needs, and a note type given as YAML text still reads."""
    code = ("import sys, generator.writers.anki as a, genanki, functools\n"
            "m = a.note_type('basic', a.WriteOptions())\n"
            "print(bool(m._req), 'asyncio' in sys.modules, 'yaml' in sys.modules,\n"
            "      'cached_property' in sys.modules,\n"
            "      type(genanki.Model.__dict__['_req']) is functools.cached_property)\n"
            "y = genanki.Model(1, 'y', fields='[{name: Front}]',\n"
            "                  templates='[{name: c, qfmt: \"{{Front}}\", afmt: x}]')\n"
            "print(y.fields, y._req)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    first, second = out.stdout.splitlines()
    assert first.split() == ["True", "False", "False", "False", "True"], out.stdout
    assert second == "[{'name': 'Front'}] [[0, 'all', [0]]]", out.stdout
