"""Plugins and the registries they extend: readers, extractors and writers from the entry-point
groups `notedeck.readers`, `notedeck.extractors` and `notedeck.writers`.

The demo plugin in `tests/plugin_pkg` is "installed" the way pip leaves a package: its module
beside a `.dist-info` folder holding its entry points (taken from its pyproject.toml), in a
folder put on the import path, so `importlib.metadata` really discovers it.
"""

from __future__ import annotations

import copy
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from conftest import ROOT, run_cli
from generator import plugins
from generator.errors import NotedeckError
from generator.extract_files import FileSettings, cacheable, parallel_safe
from generator.extractors import REGISTRY, ExtractorRegistry, answered_lines
from generator.extractors.definitions import definitions
from generator.readers import READERS, Reader, ReaderRegistry, plaintext
from generator.writers import FORMATS, FormatRegistry
from generator.writers.jsonl import write as write_jsonl

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

PLUGIN = ROOT / "tests" / "plugin_pkg"


def install(site: Path, name: str, version: str, entry_points: dict[str, dict[str, str]]) -> None:
    """Leave in `site` what installing distribution `name` leaves: its `.dist-info` metadata."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n"
        for group, eps in entry_points.items()))


def install_demo(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Install the demo plugin in `folder` and put it on the import path. The process-wide
    registries are loaded first, so they never see it (no test leaks it into another)."""
    for registry in (REGISTRY, READERS, FORMATS):
        registry.load_plugins()
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text())["project"]
    install(folder, project["name"], project["version"], project["entry-points"])
    shutil.copy(PLUGIN / "notedeck_demo.py", folder)
    monkeypatch.syspath_prepend(str(folder))
    return folder


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on the import path where the demo plugin is installed."""
    return install_demo(tmp_path / "site", monkeypatch)


BROKEN = {"notedeck.extractors": {"missing": "notedeck_missing_module:find",
                                  "definition": "notedeck_demo:glossary"},
          "notedeck.writers": {"odd": "notedeck_demo:glossary"}}
"""A broken plugin: a module that is not there, a name a built-in has, a writer that is none."""

WIKI = "= Chemistry =\n* Mole := amount of substance\n* Avogadro := 6.022e23 per mole\n"


def test_plugins_are_discovered_through_entry_points(site: Path) -> None:
    extractors, readers, writers = ExtractorRegistry(), ReaderRegistry(), FormatRegistry()
    assert list(extractors) == ["glossary"]
    assert extractors.origins == {"glossary": "notedeck-demo 0.1"}
    assert extractors.describe() == {"glossary": "Glossary lines: `term := meaning` -> a card asking "
                                                 "for the term's meaning."}
    assert readers.by_suffix(".WIKI") == "wiki" and readers.by_suffix(".md") is None
    assert writers.lookup("tsv").suffix == ".tsv"
    doc = readers.lookup("wiki").parse(WIKI, "chem.wiki")
    assert [(c.question, c.answer, c.context) for c in extractors.run(doc)] == [
        ("What does Mole mean?", "amount of substance", "Chemistry"),
        ("What does Avogadro mean?", "6.022e23 per mole", "Chemistry")]


def test_the_scan_is_remembered_until_the_installed_distributions_change(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry points found are remembered in the cache folder with what the import path
    holds: a new process (here, the scan's in-process memo cleared) reads no distribution's
    metadata while nothing changed, and sees an install, an edit of an entry-points file, a
    removal and a damaged memo at once."""
    from importlib import metadata

    read: list[int] = []
    real = metadata.entry_points
    monkeypatch.setattr(metadata, "entry_points", lambda: read.append(1) or real())

    def found() -> dict[str, str]:
        plugins._installed_entry_points.cache_clear()
        return {f"{f.group} {f.name}": f.origin for f in plugins._installed_entry_points(tuple(sys.path))}

    first = found()
    assert first["notedeck.extractors glossary"] == "notedeck-demo 0.1" and len(read) == 1
    assert found() == first and len(read) == 1
    install(site, "notedeck-extra", "2.0", {"notedeck.writers": {"extra": "notedeck_demo:TSV"}})
    assert found() == {**first, "notedeck.writers extra": "notedeck-extra 2.0"} and len(read) == 2
    points = site / "notedeck_extra-2.0.dist-info" / "entry_points.txt"
    points.write_text(points.read_text().replace("extra =", "other ="))
    assert "notedeck.writers other" in found() and len(read) == 3
    shutil.rmtree(points.parent)
    assert found() == first and len(read) == 4
    for memo in (Path(os.environ["NOTEDECK_CACHE_DIR"]) / "plugins").iterdir():
        memo.write_text("{damaged")
    assert found() == first and len(read) == 5
    assert found() == first and len(read) == 5
    assert [f.load() for f in plugins._entry_points("notedeck.extractors", tuple(sys.path))] == [
        importlib.import_module("notedeck_demo").glossary]


def test_plugins_load_lazily_and_once(site: Path) -> None:
    registry = ExtractorRegistry()
    assert registry._entries == {}  # nothing read yet: nothing loaded
    assert "glossary" in registry
    registry.load_plugins()
    assert list(registry) == ["glossary"] and not registry.problems


def test_a_broken_plugin_is_a_one_line_warning(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install(site, "notedeck-broken", "1.0", BROKEN)
    extractors, writers = ExtractorRegistry(), FormatRegistry()
    extractors.add("definition", definitions)  # as the built-in one is
    assert list(extractors) == ["definition", "glossary"]
    assert list(writers) == ["tsv"]
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith("notedeck: warning: plugin ") for line in lines)
    assert "'missing' (notedeck.extractors = notedeck_missing_module:find) not loaded: " \
           "ModuleNotFoundError: No module named 'notedeck_missing_module'" in err
    assert "extractor 'definition' registered twice" in err
    assert "'odd' (notedeck.writers = notedeck_demo:glossary) not loaded: TypeError:" in err
    assert len(extractors.problems) == 2 and len(writers.problems) == 1


def test_one_registry_contract() -> None:
    registry = REGISTRY.copy()
    with pytest.raises(plugins.RegistryError, match="extractor 'list' registered twice") as dup:
        registry.add("list", definitions)
    assert isinstance(dup.value, ValueError) and isinstance(dup.value, NotedeckError)
    with pytest.raises(NotedeckError) as unknown:
        registry.lookup("lists")
    assert unknown.value.message == "unknown extractor 'lists'"
    assert unknown.value.hint.startswith("known extractors: acronym, attribution, ")
    assert "\n" not in str(unknown.value)
    with pytest.raises(KeyError):
        registry["new"] = definitions  # swapping is for registered names; adding goes through add
    readers, writers = ReaderRegistry(), FormatRegistry()
    readers.register("a", ".a")(plaintext.parse)  # by decorator, or by a call:
    readers.add("b", Reader(plaintext.parse, (".b",)))
    assert readers.lookup("a").suffixes == (".a",) and readers.by_suffix(".B") == "b"
    with pytest.raises(plugins.RegistryError, match=r"format 'c': \.a files are read as 'a'"):
        readers.add("c", Reader(plaintext.parse, (".A",)))  # a suffix is one format's
    writers.register("x", ".x")(write_jsonl)
    with pytest.raises(plugins.RegistryError, match="output format 'x' registered twice"):
        writers.register("x", ".y")(write_jsonl)
    with pytest.raises(NotedeckError, match=r"unknown output format 'y' \(hint: known output formats: x\)"):
        writers.lookup("y")


def test_cache_key_names_the_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installing or upgrading a plugin changes the extraction cache key; a registry made of
    importable functions is cached and run by worker processes, whatever its identity."""
    before = ExtractorRegistry()
    before.add("definition", definitions)
    key = FileSettings("Deck").key(before)
    install_demo(tmp_path / "site", monkeypatch)
    with_plugin = ExtractorRegistry()
    with_plugin.add("definition", definitions)
    assert "glossary" in with_plugin
    assert FileSettings("Deck").key(with_plugin) != key
    assert "notedeck-demo 0.1" in FileSettings("Deck").key(with_plugin)
    assert cacheable(REGISTRY.copy()) and parallel_safe(REGISTRY.copy())
    local = REGISTRY.copy()
    local.register("made-here")(lambda doc: iter(()))
    assert not cacheable(local) and not parallel_safe(local)


def test_extractor_modules_do_not_import_their_package() -> None:
    """`extractors/` is layered (registry, analysis, factory, then each extractor): no module
    imports names back from the package's `__init__`."""
    for module in (ROOT / "generator" / "extractors").glob("[a-z]*.py"):
        imports_package = re.compile(r"^from (?:\.|generator\.extractors) import", re.M)
        assert not imports_package.search(module.read_text()), module.name
    assert answered_lines.__module__ == "generator.extractors.analysis"  # still importable from the package


@pytest.fixture
def unloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process-wide registries as before their plugins were loaded, put back afterwards:
    a command run in this process loads the plugins installed now."""
    for registry in (REGISTRY, READERS, FORMATS):
        registry.load_plugins()
        for name in ("_entries", "origins", "problems"):
            monkeypatch.setattr(registry, name, copy.copy(getattr(registry, name)))
        monkeypatch.setattr(registry, "_loaded", False)
    monkeypatch.setattr(REGISTRY, "opt_in", set(REGISTRY.opt_in))


def test_the_cli_lists_and_builds_with_plugins(site: Path, tmp_path: Path, unloaded: None) -> None:
    listed = run_cli(["extractors"], tmp_path)
    assert isinstance(listed, Result) and listed.exit_code == 0 and listed.stderr == ""
    assert re.search(r"^glossary +Glossary lines: `term := meaning`", listed.stdout, re.M)
    assert re.search(r"^definition ", listed.stdout, re.M)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "chem.wiki").write_text(WIKI)  # found in the folder by its suffix
    built = run_cli(["build", "notes", "-o", "out", "--format", "tsv", "--extractor", "glossary"], tmp_path)
    assert isinstance(built, Result) and built.exit_code == 0, built
    assert (tmp_path / "out" / "notes.tsv").read_text() == (
        "What does Mole mean?\tamount of substance\nWhat does Avogadro mean?\t6.022e23 per mole\n")
    printed = run_cli(["extract", "notes", "--format", "tsv", "--extractor", "glossary"], tmp_path)
    assert isinstance(printed, Result) and printed.exit_code == 0, printed
    assert printed.stdout == (tmp_path / "out" / "notes.tsv").read_text()  # extract asks the registry
    refused = run_cli(["extract", "notes", "--format", "apkg"], tmp_path)  # a package cannot be printed
    assert isinstance(refused, Result) and refused.exit_code == 2 and "csv, jsonl, tsv" in refused.stderr


SELF_REGISTERING = '''
from generator.extractors import extractor


@extractor("shouting", default=False)
def shouting(doc):
    """Lines in capitals (runs only when named)."""
    return iter(())
'''


def test_a_plugin_may_register_itself_with_the_built_ins_decorators(site: Path, unloaded: None) -> None:
    (site / "notedeck_shouting.py").write_text(SELF_REGISTERING)
    install(site, "notedeck-shouting", "2.0",
            {"notedeck.extractors": {"shouting": "notedeck_shouting:shouting"}})
    importlib.invalidate_caches()
    assert list(REGISTRY.extractors)[-2:] == ["glossary", "shouting"]
    assert "shouting" in REGISTRY.opt_in and "shouting" not in dict(REGISTRY.select(None))
    assert REGISTRY.origins["shouting"] == "notedeck-shouting 2.0" and not REGISTRY.problems


def test_the_cli_warns_of_a_broken_plugin_and_goes_on(site: Path, tmp_path: Path) -> None:
    """In a process of its own, as a user runs it: one line per broken plugin, no traceback."""
    install(site, "notedeck-broken", "1.0", BROKEN)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    listed = subprocess.run([sys.executable, "-m", "generator.cli", "extractors"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and "glossary" in listed.stdout
    warnings = listed.stderr.splitlines()
    assert len(warnings) == 2 and all(w.startswith("notedeck: warning: plugin ") for w in warnings)
    # the writers are loaded by a command that writes, not by one that only lists extractors
    (tmp_path / "n.md").write_text("- Mole: amount of substance\n", encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "generator.cli", "build", "n.md", "--no-lock"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert "plugin 'odd' (notedeck.writers = notedeck_demo:glossary) not loaded" in built.stderr
