"""A regular (non-editable) install ships the top-level templates/ and works from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)
    [whl] = out.glob("notedeck-*.whl")
    return whl


def test_wheel_contains_templates_and_entry_point(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    templates = ("anki/basic/front.html", "anki/basic/back.html", "anki/list/back.html", "anki/style.css")
    for template in templates:
        assert f"generator/templates/{template}" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "notedeck = generator.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
    # the version the program reports without reading metadata is the one the wheel declares
    import generator

    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert f"\nVersion: {generator.__version__}\n" in zipfile.ZipFile(wheel).read(metadata).decode()
    assert wheel.name.startswith(f"notedeck-{generator.__version__}-")


def test_installed_wheel_builds_a_deck_outside_the_repository(wheel, tmp_path):
    """Installed into its own folder and run elsewhere, notedeck finds its templates."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    script = (
        "import generator, sys; from pathlib import Path\n"
        "assert Path(generator.__file__).is_relative_to(Path(sys.argv[1])), generator.__file__\n"
        "options = generator.BuildOptions(output_dir='out', lock_path='out.lock')\n"
        "[r] = generator.build([sys.argv[2]], options)\n"
        "print(r.paths[0])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-c", script, str(site), str(EXAMPLE)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "gophercon-2024-notes.apkg").is_file()
