"""Shared test setup: hypothesis profiles, paths, and a real Anki collection to import into."""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "gophercon-2024-notes.txt"
SHARED = ROOT.parent / "shared"

# "ci" (default) keeps the whole suite fast on 2 cores; "deep" is for a long local run:
#   HYPOTHESIS_PROFILE=deep python -m pytest
settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets an empty notedeck cache: none shares builds with another or with the
    user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("NOTEDECK_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def anki_collection(tmp_path: Path) -> Iterator[object]:
    """A fresh, empty Anki collection (the real `anki` library), closed afterwards."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def import_apkg(col: object, apkg: Path) -> object:
    """Import `apkg` into `col` the way Anki's File > Import does; returns Anki's import log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(apkg.resolve()),
        options=ImportAnkiPackageOptions(with_scheduling=False),  # Anki's defaults otherwise
    )
    return col.import_anki_package(request)  # type: ignore[attr-defined]


def run_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> object:
    """Run `notedeck ARGS` in `cwd` as a user would (click's runner: stdout and stderr apart,
    exit codes as the shell sees them); an unexpected exception fails the test."""
    from click.testing import CliRunner

    from generator.cli import cli

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args, env=env or {}, catch_exceptions=False)
    finally:
        os.chdir(old)


def make_unreadable(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Reading a file called `name` fails with "Permission denied" (chmod is no help as root)."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    real_open = os.open

    def os_open(path: os.PathLike[str] | str, *args: int, **kwargs: int) -> int:
        if Path(path).name == name:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)


class _Tags(HTMLParser):
    """Every start tag: its name, attributes (unescaped) and raw text as written."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs, self.get_starttag_text() or ""))


def assert_no_live_markup(html: str, *, allow_style: bool = False) -> None:
    """No script, no event handler, no script URL, no remote image and no template or cloze
    syntax inside any tag of `html`."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs, raw in parser.tags:
        assert tag not in {"script", "iframe", "object", "embed", "svg", "math", "form", "base"}, raw
        assert "{{" not in raw and "}}" not in raw, raw
        for name, value in attrs:
            assert not name.startswith("on"), raw
            assert name not in {"autofocus", "tabindex", "formaction", "srcdoc"}, raw
            assert allow_style or name != "style", raw
            url = (value or "").strip().lower()
            assert not url.startswith(("javascript:", "vbscript:", "data:text")), raw
            if tag == "img" and name == "src":
                assert not (value or "").lower().startswith(("http:", "https:", "//")), raw
