"""A memo's inputs (briefgen/build/inputs.py): each one, changed after a build, makes `status`
say the memo is out of date and `build` write it again, through the no-op check, the
store cache and the manifest alike; `watch` rebuilds after each; unchanged, or only
touched, they leave the memo up to date."""

from __future__ import annotations

import io
import queue
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import briefgen
from briefgen.cite.pandoc import find_style
from briefgen.scripts import FONTS

from ..conftest import briefgen as run_briefgen
from ..conftest import make_variant

MEMOS = ("weekly.analyst.json", "weekly.principal.json")
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
    '<rect width="120" height="40" fill="{}"/></svg>'
)


def _branded(tmp_path: Path) -> Path:
    """Return the variant workspace that holds every kind of input a workspace can: a
    logo, a font of its own, a .csl style and a template of its own (for the analysts)
    that includes another. The font and the style are copies of shipped files, made here
    rather than kept twice."""
    ws = make_variant(tmp_path, "branded")
    (ws / "fonts").mkdir()
    shutil.copy(FONTS / "DejaVuSans-Regular.ttf", ws / "fonts" / "House.ttf")
    (ws / "styles").mkdir()
    shutil.copy(find_style("chicago-notes-bibliography"), ws / "styles" / "house.csl")
    return ws


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _code_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run briefgen from a copy of its package from now on; return the copy."""
    target = tmp_path / "code" / "briefgen"
    shutil.copytree(
        Path(briefgen.__file__).parent, target, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setenv("PYTHONPATH", str(target.parent))
    return target


def _edit_code(copy: Path) -> None:
    """Change briefgen's code as an upgrade or a checkout would: here only a comment."""
    path = copy / "resolve" / "memo.py"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


CHANGES: dict[str, tuple[Callable[[Path], None], str, tuple[str, ...]]] = {
    # what is changed, what status says of each memo out of date, and which memos are
    "logo": (
        lambda ws: (ws / "logo.svg").write_text(SVG.format("#8a1c1c"), encoding="utf-8"),
        "the logo changed",
        MEMOS,
    ),
    "font": (
        lambda ws: shutil.copy(FONTS / "NotoSans-Regular.ttf", ws / "fonts" / "House.ttf"),
        "the workspace's fonts changed",
        MEMOS,
    ),
    "csl": (
        lambda ws: _replace(
            ws / "styles" / "house.csl", "</style>", "<!-- the house's own -->\n</style>"
        ),
        "the citation style changed",
        MEMOS,
    ),
    "template": (
        lambda ws: _replace(ws / "templates" / "parts" / "closing.j2", "desk", "Eurasia desk"),
        "the template changed",
        MEMOS[:1],
    ),
    "audience": (
        lambda ws: _replace(ws / "audiences.yaml", "quotes: true", "quotes: false"),
        "the audience's profile changed",
        MEMOS[:1],
    ),
    "code": (
        lambda ws: _edit_code(ws.parent / "code" / "briefgen"),
        "briefgen's code changed",
        MEMOS,
    ),
}


def _status(ws: Path) -> list[str]:
    run = run_briefgen("status", cwd=ws)
    assert run.code == 0, run.err
    return run.out.splitlines()


def _build(ws: Path) -> list[str]:
    run = run_briefgen("build", "--all", "-f", "json", cwd=ws)
    assert run.code == 0, run.err
    return run.out.splitlines()


def _versions(ws: Path) -> dict[str, tuple[int, bytes]]:
    return {
        name: ((ws / "out" / name).stat().st_mtime_ns, (ws / "out" / name).read_bytes())
        for name in MEMOS
    }


@pytest.mark.parametrize("kind", list(CHANGES))
def test_a_changed_input_makes_its_memos_out_of_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    change, said, stale = CHANGES[kind]
    ws = _branded(tmp_path)
    if kind == "code":
        _code_copy(tmp_path, monkeypatch)
    assert _build(ws)[-1] == "2 written, 0 up to date"
    assert _build(ws)[-1] == "0 written, 2 up to date"  # the no-op check
    assert _status(ws) == [f"{name}: up to date" for name in MEMOS]
    before = _versions(ws)

    change(ws)
    assert _status(ws) == [
        f"{name}: {said}" if name in stale else f"{name}: up to date" for name in MEMOS
    ]
    lines = _build(ws)
    assert lines[-1] == f"{len(stale)} written, {2 - len(stale)} up to date"
    assert sorted(line.split()[1] for line in lines if line.startswith("wrote ")) == [
        f"out/{name}" for name in sorted(stale)
    ]
    after = _versions(ws)
    for name in MEMOS:
        if name in stale:  # rewritten, with the new input's version in its manifest
            assert after[name][0] != before[name][0] and after[name][1] != before[name][1]
        else:
            assert after[name] == before[name]
    assert _build(ws)[-1] == "0 written, 2 up to date"
    assert _status(ws) == [f"{name}: up to date" for name in MEMOS]


def test_touched_inputs_leave_the_memos_up_to_date(tmp_path: Path) -> None:
    """A file saved again unchanged costs the no-op check, never a memo."""
    ws = _branded(tmp_path)
    assert _build(ws)[-1] == "2 written, 0 up to date"
    before = _versions(ws)
    time.sleep(0.01)
    for path in [
        "logo.svg",
        "fonts/House.ttf",
        "styles/house.csl",
        "templates/house.j2",
        "templates/parts/closing.j2",
        "audiences.yaml",
        "briefgen.yaml",
        "weekly.yaml",
    ]:
        (ws / path).touch()
    assert _build(ws)[-1] == "0 written, 2 up to date"
    assert _versions(ws) == before
    assert _status(ws) == [f"{name}: up to date" for name in MEMOS]


def test_the_code_digest_is_of_the_code_not_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the same code elsewhere (another checkout, a reinstall) is the same code."""
    ws = _branded(tmp_path)
    assert _build(ws)[-1] == "2 written, 0 up to date"
    _code_copy(tmp_path, monkeypatch)
    assert _build(ws)[-1] == "0 written, 2 up to date"
    assert _status(ws) == [f"{name}: up to date" for name in MEMOS]


def _pdf_fonts(path: Path) -> set[str]:
    page = PdfReader(path).pages[0]
    return {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for f in page["/Resources"]["/Font"].values()
    }


def test_a_new_logo_and_font_reach_the_rebuilt_docx_and_pdf(tmp_path: Path) -> None:
    ws = _branded(tmp_path)
    run = run_briefgen("build", "--all", "-a", "analyst", cwd=ws)
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "2 written, 0 up to date"
    assert "DejaVuSans" in _pdf_fonts(ws / "out" / "weekly.analyst.pdf")
    (ws / "logo.svg").write_text(SVG.format("#8a1c1c"), encoding="utf-8")
    shutil.copy(FONTS / "NotoSans-Regular.ttf", ws / "fonts" / "House.ttf")
    run = run_briefgen("build", "--all", "-a", "analyst", cwd=ws)
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "2 written, 0 up to date"
    with zipfile.ZipFile(ws / "out" / "weekly.analyst.docx") as archive:
        (logo,) = [n for n in archive.namelist() if n.startswith("word/media/")]
        image = Image.open(io.BytesIO(archive.read(logo))).convert("RGB")
    assert image.getpixel((image.width // 2, image.height // 2)) == (0x8A, 0x1C, 0x1C)
    fonts = _pdf_fonts(ws / "out" / "weekly.analyst.pdf")
    assert "NotoSans-Regular" in fonts and "DejaVuSans" not in fonts


def test_a_logo_removed_after_a_build_is_an_error(tmp_path: Path) -> None:
    """The store cache keeps what the checks found: a logo removed since is found
    missing all the same."""
    ws = _branded(tmp_path)
    assert _build(ws)[-1] == "2 written, 0 up to date"
    (ws / "logo.svg").unlink()
    run = run_briefgen("build", "--all", "-f", "json", cwd=ws)
    assert run.code == 1
    assert "briefgen.yaml:7: logo: 'logo.svg' not found" in run.err


def test_a_captured_text_kept_outside_the_store_is_an_input(tmp_path: Path) -> None:
    """A source's text may sit anywhere in the workspace: the no-op check and the store
    cache look at it too."""
    good = make_variant(tmp_path, "text-outside-store")  # text: captured/doe-2024.txt
    assert _build(good)[-1] == "2 written, 0 up to date"
    text = good / "captured" / "doe-2024.txt"
    _replace(text, "Market Effects", "Market effects")
    assert _status(good) == [f"{name}: source edited: doe-2024" for name in MEMOS]
    assert _build(good)[-1] == "2 written, 0 up to date"
    _replace(text, "rose 4%", "rose 5%")
    run = run_briefgen("build", "--all", "-f", "json", cwd=good)
    assert run.code == 1 and "quote not found" in run.err


class _Lines:
    """The lines a process prints, read as they come."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        stream = proc.stdout
        threading.Thread(
            target=lambda: [self.lines.put(line) for line in stream], daemon=True
        ).start()

    def until(self, predicate: Callable[[str], bool], timeout: float = 60) -> str:
        deadline = time.time() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.time()))
            if predicate(line):
                return line


def test_watch_rebuilds_after_the_logo_or_a_font_changes(tmp_path: Path) -> None:
    ws = _branded(tmp_path)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "briefgen",
            "watch",
            "-f",
            "json",
            "--interval",
            "0.2",
            "--exit-after",
            "3",
        ],
        cwd=ws,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out = _Lines(proc)
        built = lambda line: "up to date; watching" in line  # noqa: E731
        assert "2 written, 0 up to date" in out.until(built)
        (ws / "logo.svg").write_text(SVG.format("#8a1c1c"), encoding="utf-8")
        assert "2 written, 0 up to date" in out.until(built)
        shutil.copy(FONTS / "NotoSans-Regular.ttf", ws / "fonts" / "House.ttf")
        assert "2 written, 0 up to date" in out.until(built)
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.communicate()
