"""Small promises of the README: code readable in Anki's night mode, Obsidian embeds found as
Obsidian finds them, and the README's synopsis and module table as the CLI has them."""

from __future__ import annotations

import math
import re
import struct
import zipfile
import zlib
from pathlib import Path

from conftest import ROOT, import_apkg, run_cli

CODE_NOTES = """# Python

Q: How do you define a function that doubles a number?
A: With def:
```python
def double(n):
    return n * 2  # twice
```
"""


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _night(rgb: tuple[float, float, float], css: str) -> tuple[float, float, float]:
    """`rgb` as night mode shows it inside a highlighted code block: the CSS filter that the
    note type's `.nightMode .highlight` rule applies (invert, then hue-rotate), or unchanged."""
    rule = re.search(r"\.nightMode \.highlight\s*\{([^}]*)\}", css)
    filters = re.search(r"filter:\s*([^;]+)", rule.group(1)) if rule else None
    if filters is None:
        return rgb
    r, g, b = rgb
    for name, arg in re.findall(r"([a-z-]+)\(([^)]*)\)", filters.group(1)):
        if name == "invert":
            amount = float(arg)
            r, g, b = (amount * (1 - c) + (1 - amount) * c for c in (r, g, b))
        elif name == "hue-rotate":
            a = math.radians(float(arg.removesuffix("deg")))
            cos, sin = math.cos(a), math.sin(a)
            m = [  # the hue-rotate matrix of the Filter Effects spec
                [0.213 + cos * 0.787 - sin * 0.213, 0.715 - cos * 0.715 - sin * 0.715,
                 0.072 - cos * 0.072 + sin * 0.928],
                [0.213 - cos * 0.213 + sin * 0.143, 0.715 + cos * 0.285 + sin * 0.140,
                 0.072 - cos * 0.072 - sin * 0.283],
                [0.213 - cos * 0.213 - sin * 0.787, 0.715 - cos * 0.715 + sin * 0.715,
                 0.072 + cos * 0.928 + sin * 0.072]]
            r, g, b = (min(1.0, max(0.0, row[0] * r + row[1] * g + row[2] * b)) for row in m)
        else:
            raise AssertionError(f"unexpected filter {name}")
    return r, g, b


def _luminance(rgb: tuple[float, float, float]) -> float:
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_code_is_dark_and_readable_in_night_mode(tmp_path: Path, anki_collection: object) -> None:
    (tmp_path / "python.md").write_text(CODE_NOTES, encoding="utf-8")
    result = run_cli(["build", "python.md", "-o", "out"], tmp_path)
    assert result.exit_code == 0, result.output
    import_apkg(anki_collection, tmp_path / "out" / "python.apkg")
    col = anki_collection
    [cid] = col.find_cards("")  # type: ignore[attr-defined]
    card = col.get_card(cid)  # type: ignore[attr-defined]
    css = card.note_type()["css"]
    html = card.answer()
    block = re.search(r'<div class="highlight" style="([^"]*)"', html)
    assert block, html
    background = _rgb(re.search(r"background: (#[0-9a-fA-F]+)", block.group(1)).group(1))  # type: ignore[union-attr]
    # the pre inside the block must not get a background of its own in night mode (a dark box
    # inside a light frame), and its plain text is drawn in a colour the filter turns light
    pre_rule = re.search(r"\.nightMode \.highlight pre\s*\{([^}]*)\}", css)
    assert pre_rule and "transparent" in pre_rule.group(1), css
    plain = _rgb(re.search(r"color:\s*(#[0-9a-fA-F]+)", pre_rule.group(1)).group(1))  # type: ignore[union-attr]
    night_background = _night(background, css)
    assert _luminance(night_background) < 0.05, "the code block stays light on a dark card"
    code = html[block.start():html.index("</div>", block.start())]
    spans = re.findall(r'<span style="color: (#[0-9a-fA-F]{3,6})[^"]*">([^<]*)</span>', code)
    colours = {_rgb(c) for c, text in spans if text.strip()} | {plain}  # not the spaces' grey
    assert len(colours) > 3, code
    for colour in colours:
        assert _contrast(_night(colour, css), night_background) >= 3.0, colour


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x10\x80\x10"))
            + chunk(b"IEND", b""))


def test_an_obsidian_embed_is_found_anywhere_in_the_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "biology" / "cells").mkdir(parents=True)
    (vault / "attachments").mkdir()
    (vault / ".trash").mkdir()
    (vault / "attachments" / "mitochondrion.png").write_bytes(_png())
    (vault / ".trash" / "ribosome.png").write_bytes(_png())
    (vault / "biology" / "cells" / "organelles.md").write_text(
        "- Mitochondrion :: the organelle that makes ATP ![[mitochondrion.png]]\n"
        "- Ribosome :: the organelle that builds proteins ![[ribosome.png]]\n", encoding="utf-8")
    result = run_cli(["build", "vault", "-o", "out", "--format", "apkg,sheet-html"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "mitochondrion.png not found" not in result.stderr, result.stderr
    assert "ribosome.png not found" in result.stderr  # hidden folders (.trash) are not searched
    with zipfile.ZipFile(tmp_path / "out" / "vault.apkg") as z:
        assert _png() in {z.read(n) for n in z.namelist() if n.isdigit()}
    assert "data:image/png;base64," in (tmp_path / "out" / "vault.html").read_text(encoding="utf-8")
    check = run_cli(["check", "vault"], tmp_path)
    assert "mitochondrion.png" not in check.output


def _synopsis(readme: str, command: str) -> set[str]:
    """The options the README's synopsis gives `command` (its line and the ones continuing it)."""
    block = readme.split("## Command line", 1)[1].split("```", 2)[1]
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"notedeck {command} "))
    taken = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        taken.append(line)
    return set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", " ".join(taken)))


def test_the_readme_build_synopsis_is_builds_help(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    helped = run_cli(["build", "--help"], tmp_path).stdout
    options = set(re.findall(r"^\s+(?:(-\w), )?(--[a-z-]+)", helped, re.M))
    listed = _synopsis(readme, "build")
    missing = [long for short, long in options if long != "--help" and not {short, long} & listed]
    assert not missing, f"build --help has {missing}; the README's synopsis lacks them"
    offered = {o for pair in options for o in pair if o}
    assert listed <= offered, f"the README's synopsis has {listed - offered}; build --help lacks them"


def test_the_readme_module_table_names_every_extractor(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| extractors |"))
    listed = dict((name, module) for module, name in re.findall(r"`(\w+)\.py` \(`(\w+)`", row))
    names = [line.split()[0] for line in run_cli(["extractors"], tmp_path).stdout.splitlines()]
    assert sorted(listed) == sorted(names)
    for module in listed.values():
        assert (ROOT / "generator" / "extractors" / f"{module}.py").is_file(), module
