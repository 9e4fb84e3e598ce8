"""Notes written by an attacker, through the CLI: no card can hold live script in Anki, the CSV
or the HTML sheet, and nothing outside the notes folder (secrets, devices, pipes, `.git`) is
ever read into a deck."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import assert_no_live_markup, import_apkg, run_cli
from generator.markup import live_clozes
from generator.safe_read import MAX_NOTES_BYTES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40


ATTACKS = {
    "link.md": '- Focus: [f](https://e.com "$x" tabindex="1" autofocus onfocus="document.title=1//$") '
               "is a link\n",
    "image.md": '- Pixel: ![$x" onerror="alert(1)//$](nope.png) is an image\n',
    "brackets.md": '- Hover: [f](https://e.com "\\(x" onmouseover="alert(1)\\)") is a link with 3 parts\n',
    "display.md": '- Wide: ![$$x" onerror="alert(2)$$](pic.png) is an image of 2 cells\n',
    "wiki.md": '- Embed: ![[pic.png|$x" onerror="alert(3)$]] was drawn in 1999\n',
    "release.md": "- Go 1.22 shipped in February 2024, see [the notes](https://go.dev/doc/go1.22 "
                  '"Go 1.22 release notes") for 12 changes\n',
    "cloze.md": '- The ==mitochondria== link: [m](https://e.org "{{c2::x" onclick="y}}") holds 37 genes\n',
    "code.md": '- Set `x = "$a" onfocus="b$"` in 2 places; <img src=x onerror=alert(4)> too\n',
}
RAW_HTML = {
    "raw.md": '- Raw: <a title="$x" onfocus="alert(5)//$" href="https://e.com">t</a> in 2020\n'
              '- Remote: <img src="https://evil.example/pixel.png" alt="p"> was seen in 2021\n'
              '- Title: <abbr title="{{c1::x}}">ATP</abbr> powers 90% of cells\n',
}


def _hostile_notes(folder: Path, allow_html: bool) -> Path:
    notes = folder / "notes"
    notes.mkdir(parents=True)
    (notes / "pic.png").write_bytes(PNG)
    for name, text in {**ATTACKS, **(RAW_HTML if allow_html else {})}.items():
        (notes / name).write_text(text, encoding="utf-8")
    return notes


@pytest.mark.parametrize("allow_html", [False, True])
def test_math_and_cloze_inside_attributes_stay_inert_everywhere(tmp_path: Path, allow_html: bool) -> None:
    from anki.collection import Collection

    notes = _hostile_notes(tmp_path, allow_html)
    out = tmp_path / "out"
    args = ["build", str(notes), "-o", str(out), "--format", "apkg,csv,jsonl,sheet-html", "--no-lock"]
    result = run_cli([*args, *(["--allow-html"] if allow_html else [])], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr

    cards = [json.loads(line) for line in (out / "notes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert cards, "the hostile notes still give cards"
    for card in cards:  # no extractor puts a deletion inside an attribute, a URL, code or math
        if card["type"] == "cloze":
            assert live_clozes(card["question"]), card["question"]

    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_apkg(col, out / "notes.apkg")
        ids = col.find_cards("")
        assert len(ids) >= len(cards)
        for cid in ids:
            card = col.get_card(cid)
            for html in (card.question(), card.answer()):
                assert_no_live_markup(html, allow_style=True)  # Anki's own card styling
    finally:
        col.close()

    rows = list(csv.reader(io.StringIO((out / "notes.csv").read_text(encoding="utf-8")), delimiter="\t"))
    fields = [f for row in rows if row and not row[0].startswith("#") for f in row[3:5]]
    assert fields
    for field in fields:
        assert_no_live_markup(field, allow_style=True)

    sheet = (out / "notes.html").read_text(encoding="utf-8")
    assert_no_live_markup(sheet.split("<body", 1)[1], allow_style=True)
    if allow_html:
        assert "removed" in result.stderr and "evil.example" in result.stderr  # the remote image


def test_live_clozes_only_in_the_text() -> None:
    assert live_clozes("Go {{c1::1.22}} shipped")
    assert live_clozes("Go {{c1::1.22}} see [notes](https://go.dev) and $x^2$")
    assert not live_clozes('see [notes](https://go.dev "Go {{c1::1.22}} notes")')
    assert not live_clozes("see [notes](https://go.dev/{{c1::122}})")
    assert not live_clozes("for $x={{c1::0}}, 1$")
    assert not live_clozes("set `n = {{c1::3}}`")
    assert not live_clozes("![a {{c1::1}} b](x.png) here")
    assert not live_clozes('<abbr title="{{c1::x}}">ATP</abbr>')
    assert not live_clozes("no deletion at all")
    # a fenced block is cut out before inline parsing, as the renderer cuts it
    assert not live_clozes("{{c1::this\n```\nrm -rf /\n```\n}} runs it")
    assert not live_clozes("run\n```sh\nmake {{c1::all}}\n```")
    assert live_clozes("run {{c1::make}}\n```sh\nmake all\n```")


def _notes_with(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("- Catalyst: a substance that speeds up a reaction\n", encoding="utf-8")
    return notes


def _run(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process, so a hang fails the test instead of stalling the suite."""
    code = "import sys; from generator.cli import main; sys.argv[0] = 'notedeck'; main()"
    env = {**os.environ, "NOTEDECK_SECRET_MARKER": "s3cr3t-env-value", "CI": "1"}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_a_symlink_to_the_process_environment_is_skipped(tmp_path: Path) -> None:
    notes = _notes_with(tmp_path)
    os.symlink("/proc/self/environ", notes / "env.txt")
    result = _run(["extract", str(notes)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "s3cr3t" not in result.stdout and "Catalyst" in result.stdout
    assert "env.txt: skipped, it leads outside the notes folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_symlink_to_a_file_outside_is_skipped(tmp_path: Path) -> None:
    notes = _notes_with(tmp_path)
    (tmp_path / "secret.txt").write_text("- Password: hunter2 is the admin password\n", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", notes / "s.txt")
    result = run_cli(["extract", str(notes)], tmp_path)
    assert result.exit_code == 0
    assert "hunter2" not in result.stdout and "Catalyst" in result.stdout
    assert "s.txt: skipped, it leads outside the notes folder" in result.stderr
    named = run_cli(["extract", str(notes / "s.txt")], tmp_path)  # named on its own: nothing to read
    assert named.exit_code == 2 and "hunter2" not in named.stdout
    assert named.stderr.count("\n") == 1 and "leads outside the notes folder" in named.stderr


def test_links_inside_the_notes_or_config_folder_are_read(tmp_path: Path) -> None:
    notes = _notes_with(tmp_path)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "b.md").write_text("- Enzyme: a protein that acts as a catalyst\n",
                                              encoding="utf-8")
    os.symlink(notes / "a.md", notes / "again.md")  # inside the notes folder
    os.symlink(tmp_path / "shared" / "b.md", notes / "b.md")  # inside the config's folder
    (tmp_path / "notedeck.toml").write_text('[[deck]]\nname = "Bio"\nsources = ["notes"]\n', encoding="utf-8")
    result = run_cli(["extract", "Bio"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "Enzyme" in result.stdout and "skipped" not in result.stderr


def test_notes_reached_through_a_linked_folder_are_named_and_checked_alike(tmp_path: Path) -> None:
    """A notes folder given by a link to it (or holding a link to a file outside) reads the same
    files, named the same, and still skips the file that leads outside: the walk names a file
    by its own path only when neither it nor the folder walked is a link."""
    notes = _notes_with(tmp_path)
    (notes / "sub").mkdir()
    (notes / "sub" / "c.md").write_text("- Osmosis: water moving across a membrane\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("- Password: hunter2 is the admin password\n", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", notes / "sub" / "s.txt")
    os.symlink(notes, tmp_path / "linked")
    direct, linked = (run_cli(["extract", name], tmp_path) for name in ("notes", "linked"))
    assert direct.exit_code == linked.exit_code == 0
    assert "Osmosis" in direct.stdout and "hunter2" not in direct.stdout + linked.stdout
    assert [json.loads(line)["source"] for line in direct.stdout.splitlines()] == \
        [json.loads(line)["source"] for line in linked.stdout.splitlines()]
    for result in (direct, linked):
        assert "s.txt: skipped, it leads outside the notes folder" in result.stderr


def test_a_fifo_never_hangs_the_build(tmp_path: Path) -> None:
    notes = _notes_with(tmp_path)
    os.mkfifo(notes / "pipe.md")
    result = _run(["build", str(notes), "-o", str(tmp_path / "out"), "--no-lock"], tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "pipe.md: skipped, it is not a regular file" in result.stderr
    assert (tmp_path / "out" / "notes.apkg").is_file()


def test_dev_zero_is_skipped(tmp_path: Path) -> None:
    notes = _notes_with(tmp_path)
    os.symlink("/dev/zero", notes / "z.txt")
    result = _run(["build", str(notes), "-o", str(tmp_path / "out"), "--no-lock"], tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "z.txt: skipped" in result.stderr and "Traceback" not in result.stderr


def test_a_huge_file_is_skipped_with_its_size(tmp_path: Path) -> None:
    notes = _notes_with(tmp_path)
    with (notes / "dump.txt").open("wb") as f:
        f.truncate(MAX_NOTES_BYTES + 1)  # sparse: costs no disk
    result = run_cli(["extract", str(notes)], tmp_path)
    assert result.exit_code == 0
    assert "dump.txt: skipped, it is 64.0 MB, more than the 64 MB a notes file may be" in result.stderr


def _config_with_images(tmp_path: Path, lines: str) -> Path:
    (tmp_path / "notes").mkdir(exist_ok=True)
    (tmp_path / "notes" / "a.md").write_text(lines, encoding="utf-8")
    (tmp_path / "notedeck.toml").write_text(
        '[[deck]]\nname = "Img"\nsources = ["notes"]\nformats = ["apkg", "sheet-html"]\n', encoding="utf-8")
    return tmp_path


SECRETS = {".env": b"AWS_SECRET=abc123secret\n",
           ".git/config": b'[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0dG9rZW4=\n',
           "notes.txt": b"just some text\n",
           "fake.png": b"not really a png\n",
           "notes/.hidden.png": PNG}


def test_only_image_files_inside_the_notes_become_media(tmp_path: Path) -> None:
    for name, data in SECRETS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    lines = "".join(f"- Card {i} :: shows ![x](../{name})\n" for i, name in enumerate(SECRETS))
    _config_with_images(tmp_path, lines + "- Real :: a real image ![leaf](leaf.png)\n")
    (tmp_path / "notes" / "leaf.png").write_bytes(PNG)
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    refusals = [line for line in result.stderr.splitlines() if "refused" in line]
    for name in (".env", ".git/config", "notes.txt", "fake.png", "notes/.hidden.png"):
        said = [line for line in refusals if f"../{name} " in line]
        assert len(said) == 1, refusals  # once, though the deck and the sheet both refuse it
    with zipfile.ZipFile(tmp_path / "output" / "img.apkg") as z:
        packed = [z.read(n) for n in z.namelist() if n.isdigit()]
    assert packed == [PNG]
    sheet = (tmp_path / "output" / "img.html").read_text(encoding="utf-8")
    for data in SECRETS.values():
        if data != PNG:
            assert base64.b64encode(data).decode()[:16] not in sheet
    assert base64.b64encode(PNG).decode()[:16] in sheet


def test_check_reports_refused_images(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(SECRETS[".env"])
    _config_with_images(tmp_path, "- Env :: shows ![x](../.env)\n")
    result = run_cli(["check"], tmp_path)
    assert result.exit_code == 1
    assert "refused" in result.stderr and "abc123" not in result.stderr + result.stdout


def test_a_number_in_a_link_title_is_never_hidden(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text('- Go 1.22 shipped in February 2024, see [the notes]'
                                   '(https://go.dev/doc/go1.22 "Go 1.22 release notes")\n', encoding="utf-8")
    found = run_cli(["extract", "r.md"], tmp_path).stdout + run_cli(["extract", "r.md", "--suggestions"],
                                                                    tmp_path).stdout
    [card] = [json.loads(line) for line in found.splitlines()]  # two blanks: a suggestion
    assert card["question"].startswith("Go {{c1::1.22}} shipped in February {{c2::2024}}")
    assert card["question"].endswith('"Go 1.22 release notes")')
