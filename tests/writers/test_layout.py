"""The DOCX laid out by LibreOffice as the PDF is: its pages, the banner and "Page X of Y"
on each, the notes under their heading before the bibliography, and its fonts embedded.

LibreOffice is slow, so the generated cases are few; each converts its DOCX files once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import uuid
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ..conftest import EXAMPLE, WORKSPACES, briefgen
from ..docx_read import body_endnotes
from ..test_scripts import SAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils missing",
)


def _libreoffice(docx: list[Path], out: Path) -> dict[str, list[str]]:
    """Convert `docx` with LibreOffice (a profile of its own); return each file's pages' text."""
    profile = (out / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(out / "lo"), *map(str, docx)],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return {path.stem: _pages(out / "lo" / f"{path.stem}.pdf") for path in docx}


def _pages(pdf: Path) -> list[str]:
    """Return the text of each page of `pdf`, as pdftotext reads it."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def _memo(out: Path, stem: str) -> dict:
    return json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """Build the example workspace in DOCX, PDF and JSON; lay its DOCX out with LibreOffice."""
    copy = tmp_path_factory.mktemp("layout") / "briefs"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("out"))
    for fmt in ("docx", "pdf", "json"):
        run = briefgen("build", "--all", "--format", fmt, str(copy), cwd=copy.parent)
        assert run.code == 0, run.err
    out = copy / "out"
    return out, _libreoffice(sorted(out.glob("*.docx")), out)


def test_libreoffice_lays_the_example_docx_out_on_as_many_pages_as_the_pdf(example) -> None:
    out, rendered = example
    assert len(rendered) == 2
    for stem, pages in rendered.items():
        assert len(pages) == len(_pages(out / f"{stem}.pdf")), stem


def test_every_page_libreoffice_lays_out_has_the_banner_and_its_number(example) -> None:
    out, rendered = example
    for stem, pages in rendered.items():
        _assert_furniture(pages, _memo(out, stem))


def _assert_furniture(pages: list[str], memo: dict) -> None:
    """Assert that each page shows the banner at top and foot, and "Page N of M"."""
    for number, page in enumerate(pages, start=1):
        banner = " ".join(memo["banner"].split())
        assert page.startswith(banner) and page.endswith(banner), (number, page[:80])
        shown = memo["words"]["page"].format(page=number, pages=len(pages))
        assert shown in page, (number, shown)


def test_the_notes_heading_comes_before_the_notes_and_the_bibliography(example) -> None:
    out, rendered = example
    memo = _memo(out, "russia-iran-weekly.principal")
    words = memo["words"]
    notes = body_endnotes(out / "russia-iran-weekly.principal.docx")
    assert list(notes) == [n["number"] for n in memo["notes"]]
    headings = _headings(out / "russia-iran-weekly.principal.docx")
    assert headings[-2:] == [words["notes"], words["bibliography"]]
    text = " ".join(rendered["russia-iran-weekly.principal"])
    first, last = notes[1], notes[max(notes)]
    at = text.index(f"{words['notes']} ")
    assert at < text.index(first[:40]) < text.index(words["bibliography"], at)
    assert text.index(last[:20], at) < text.index(words["bibliography"], at)


def _headings(docx: Path) -> list[str]:
    """Return the text of the body's Heading 1 paragraphs, in document order."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    return [
        "".join(t.text or "" for t in p.iter(f"{W}t"))
        for p in root.iter(f"{W}p")
        if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and s.get(f"{W}val") == "Heading1"
    ]


def test_the_docx_embeds_the_faces_its_text_is_set_in(example) -> None:
    out, _ = example
    path = out / "russia-iran-weekly.analyst.docx"
    fonts = embedded_fonts(path)
    assert set(fonts) == {"Noto Serif", "Noto Sans"}
    assert {"Regular", "Bold", "Italic"} <= set(fonts["Noto Serif"])  # (P), quotes
    assert {"Regular", "Bold"} <= set(fonts["Noto Sans"])  # remarks, headings
    package = zipfile.ZipFile(path)
    settings = etree.fromstring(package.read("word/settings.xml"))
    assert settings.find(f"{W}embedTrueTypeFonts") is not None
    text = "".join(
        t.text or "" for t in etree.fromstring(package.read("word/document.xml")).iter(f"{W}t")
    )
    held = set().union(*(codes for faces in fonts.values() for codes in faces.values()))
    assert {ord(c) for c in text if not c.isspace()} <= held


def embedded_fonts(docx: Path) -> dict[str, dict[str, set[int]]]:
    """Return each embedded font's faces with the code points each maps, unobfuscated
    as ECMA-376 Part 1, 17.8.1 says (the first 32 bytes XORed with the reversed key)."""
    package = zipfile.ZipFile(docx)
    table = etree.fromstring(package.read("word/fontTable.xml"))
    rels = etree.fromstring(package.read("word/_rels/fontTable.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    found: dict[str, dict[str, set[int]]] = {}
    for font in table.iter(f"{W}font"):
        for embed in font:
            if not embed.tag.startswith(f"{W}embed"):
                continue
            data = bytearray(package.read(f"word/{targets[embed.get(f'{R}id')]}"))
            key = uuid.UUID(embed.get(f"{W}fontKey")).bytes[::-1]
            for i in range(32):
                data[i] ^= key[i % 16]
            face = embed.tag.removeprefix(f"{W}embed")
            cmap = TTFont(BytesIO(bytes(data))).getBestCmap()
            found.setdefault(font.get(f"{W}name"), {})[face] = set(cmap)
    return found


TEXTS = st.lists(
    st.sampled_from(sorted(SAMPLES.values())).map(lambda s: f"{s} reported on 12 June."),
    min_size=1,
    max_size=4,
)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts=TEXTS, count=st.integers(1, 30), columns=st.booleans())
def test_generated_memos_keep_their_furniture_and_notes_in_libreoffice(
    texts: list[str], count: int, columns: bool
) -> None:
    """Memos of generated claims in every script, some long enough for several pages or
    notes in columns: each page LibreOffice lays out has banner and page number, the
    endnotes stand under their heading before the bibliography, and it lays them out on
    the PDF's pages."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(WORKSPACES / "good", ws, ignore=shutil.ignore_patterns("out"))
        claims = [
            {"id": f"gen-{i}", "text": texts[i % len(texts)], "sources": ["doe-2024"]}
            | {"topics": ["gen"]}
            for i in range(count)
        ]
        (ws / "store" / "claims" / "gen.yaml").write_text(
            yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8"
        )
        audiences = yaml.safe_load((ws / "audiences.yaml").read_text(encoding="utf-8"))
        audiences["principal"].pop("max-pages")
        audiences["principal"]["max-claims"] = 40
        audiences["principal"]["template"] = "one-page" if columns else "policy-memo"
        (ws / "audiences.yaml").write_text(yaml.safe_dump(audiences), encoding="utf-8")
        brief = (ws / "weekly.yaml").read_text(encoding="utf-8")
        (ws / "weekly.yaml").write_text(
            f"{brief}  - title: Generated\n    select: {{topics: [gen]}}\n"
            "formats: [docx, pdf, json]\n",
            encoding="utf-8",
        )
        run = briefgen("build", "--all", str(ws), cwd=ws.parent)
        assert run.code == 0, run.err
        out = ws / "out"
        rendered = _libreoffice(sorted(out.glob("*.docx")), out)
        for stem, pages in rendered.items():
            memo = _memo(out, stem)
            _assert_furniture(pages, memo)
            assert len(pages) == len(_pages(out / f"{stem}.pdf")), stem
        memo = _memo(out, "weekly.principal")
        headings = _headings(out / "weekly.principal.docx")
        words = memo["words"]
        assert headings.index(words["notes"]) == headings.index(words["bibliography"]) - 1
        assert list(body_endnotes(out / "weekly.principal.docx")) == [
            n["number"] for n in memo["notes"]
        ]


def _overflowing(tmp_path: Path) -> Path:
    """Return the good workspace with a principal memo too long for its one page."""
    ws = tmp_path / "ws"
    shutil.copytree(WORKSPACES / "good", ws, ignore=shutil.ignore_patterns("out"))
    claims = [
        {
            "id": f"gen-{i}",
            "text": f"Claim {i} about the grain corridor and its ports.",
            "sources": ["doe-2024"],
        }
        | {"topics": ["gen"]}
        for i in range(60)
    ]
    (ws / "store" / "claims" / "gen.yaml").write_text(yaml.safe_dump(claims), encoding="utf-8")
    audiences = yaml.safe_load((ws / "audiences.yaml").read_text(encoding="utf-8"))
    audiences["principal"]["max-claims"] = 60
    (ws / "audiences.yaml").write_text(yaml.safe_dump(audiences, sort_keys=False), encoding="utf-8")
    brief = (ws / "weekly.yaml").read_text(encoding="utf-8")
    (ws / "weekly.yaml").write_text(
        f"{brief}  - title: Generated\n    select: {{topics: [gen]}}\n", encoding="utf-8"
    )
    return ws


def test_check_warns_of_a_docx_over_max_pages_as_libreoffice_lays_it_out(tmp_path: Path) -> None:
    ws = _overflowing(tmp_path)
    run = briefgen("check", str(ws), cwd=tmp_path)
    assert run.code == 1 and "Traceback" not in run.err  # the PDF is over: an error
    built = tmp_path / "built"
    shutil.copytree(ws, built)
    assert briefgen("build", "--format", "docx", str(built), cwd=tmp_path).code == 0
    pages = len(
        _libreoffice([built / "out" / "weekly.principal.docx"], tmp_path)["weekly.principal"]
    )
    assert pages > 1
    lines = (ws / "audiences.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(lines, start=1) if "max-pages" in text)
    line = (
        f"ws/audiences.yaml:{at}: principal.max-pages: warning: weekly.principal.docx is "
        f"{pages} pages as LibreOffice lays it out, {pages - 1} more than max-pages 1 allows; "
        "cut claims"
    )
    assert line in run.err, run.err
    assert "LibreOffice (soffice) is not installed" not in run.err
    assert not (ws / "out").exists()


def test_check_says_once_that_it_could_not_lay_out_the_docx(tmp_path: Path) -> None:
    import os
    import sys

    ws = _overflowing(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "check", str(ws)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": str(empty)},
        check=False,
    )
    assert done.returncode == 1  # the PDF's error still, and only that one
    assert done.stderr.count("LibreOffice (soffice) is not installed") == 1
    assert "as LibreOffice lays it out" not in done.stderr
    assert "1 error," in done.stderr
