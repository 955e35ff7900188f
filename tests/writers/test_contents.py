"""The contents list of DOCX and PDF, and the DOCX's app.xml, checked against the PDF.

The PDF's contents list must name each heading with the page on which pdftotext finds
that heading; the DOCX's TOC field result must show the same headings and numbers (and
so must LibreOffice's rendering of the DOCX, without updating fields); app.xml must give
pdfinfo's page count and the words of the DOCX's text, counted here by a rule of the
test's own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from briefgen.model import Memo, Paragraph, Section, Span
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.pdf.writer import write_pdf

from ..conftest import EXAMPLE, briefgen
from ..sample_memo import sample_memo

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="pdftotext and pdfinfo (poppler-utils) are not installed",
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
ALPHABETS = {
    "latin": "aàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœšžłőű",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "persian": "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی",
    "cjk": "中国俄罗斯伊朗关系经济军事外交合作未来东亚北京莫斯科德黑兰",
}
FILLER = "Moscow and Tehran drew closer as sanctions tightened on both. " * 14
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _word(script: str) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(ALPHABETS[script]), min_size=2, max_size=7)


def _heading(script: str) -> st.SearchStrategy[str]:
    joiner = "" if script == "cjk" else " "
    return st.lists(_word(script), min_size=1, max_size=3).map(joiner.join)


HEADINGS = st.lists(
    st.sampled_from(sorted(ALPHABETS)).flatmap(_heading),
    min_size=6,
    max_size=9,
    unique_by=lambda h: h.casefold(),
)


def _memo(headings: list[str]) -> Memo:
    """Return a memo of several pages whose sections carry `headings`."""
    memo = sample_memo("footnotes")
    memo.sections += [
        Section(title, [Paragraph([Span(FILLER)]) for _ in range(2)]) for title in headings
    ]
    memo.contents = len(memo.headings()) >= 6  # as the resolver decides (finish.py)
    return memo


def _shown(text: str) -> str:
    """Return a line of pdftotext as a reader reads it: bidi controls gone, spaces one."""
    return " ".join(BIDI.sub("", unicodedata.normalize("NFC", text)).split())


def _pdf_pages(pdf: Path) -> list[list[str]]:
    """Return the lines of each page of `pdf`, as pdftotext -layout gives them."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [_shown(line) for line in page.splitlines() if line.strip()] for page in text.split("\f")
    ]


ENTRY = re.compile(r"^(?P<title>.+?)\s*(?:\.\s*){3,}\s*(?P<page>\d+)$")


def _contents_of(pages: list[list[str]]) -> dict[str, int]:
    """Return the PDF's contents list: {heading: page}, from its dot-leader lines."""
    found = {}
    for lines in pages:
        for line in lines:
            match = ENTRY.match(line)
            if match:
                found[_shown(match["title"])] = int(match["page"])
    return found


def _page_of(pages: list[list[str]], heading: str) -> list[int]:
    """Return the pages where a line is `heading` alone (not a contents entry)."""
    return [n for n, lines in enumerate(pages, start=1) if _shown(heading) in lines]


def _docx_contents(path: Path) -> dict[str, int]:
    """Return the DOCX's TOC field result: {heading: page} of its TOC 1 paragraphs."""
    document = docx.Document(str(path))
    entries = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    return {title: int(page) for title, page in (e.rsplit("\t", 1) for e in entries)}


def _app(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("docProps/app.xml"))
    return {child.tag.removeprefix(APP): child.text or "" for child in root}


def _docx_text(path: Path) -> str:
    """Return the text a reader of the DOCX reads: body and notes, tabs as spaces."""
    lines = []
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in ("word/document.xml", "word/footnotes.xml") if n in archive.namelist()]
        for name in parts:
            for p in etree.fromstring(archive.read(name)).iter(f"{W}p"):
                runs = [
                    t.text or "" if t.tag == f"{W}t" else " "
                    for t in p.iter(f"{W}t", f"{W}tab")
                    if t.tag == f"{W}t" or t.getparent().tag == f"{W}r"
                ]
                lines.append("".join(runs))
    return "\n".join(lines)


def _words(text: str) -> int:
    """Count words the test's own way: each Han character is one, and so is each
    whitespace-separated piece of other letters or digits."""
    count = 0
    for piece in text.split():
        rest = ""
        for char in piece:
            if unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH"):
                count += 1 + (1 if any(c.isalnum() for c in rest) else 0)
                rest = ""
            else:
                rest += char
        count += 1 if any(c.isalnum() for c in rest) else 0
    return count


def _pdfinfo_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])  # type: ignore[index]


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(headings=HEADINGS)
def test_contents_list_each_heading_at_its_page_in_pdf_and_docx(
    tmp_path: Path, headings: list[str]
) -> None:
    memo = _memo(headings)
    pdf, out = tmp_path / "memo.pdf", tmp_path / "memo.docx"
    write_pdf(memo, pdf)
    write_docx(memo, out)  # laid out on its own: the same layout as the PDF's
    pages = _pdf_pages(pdf)
    listed = _contents_of(pages)
    expected = {_shown(h): _page_of(pages, h) for h in memo.headings()}
    assert sorted(listed) == sorted(expected)
    for heading, found in expected.items():
        assert found and listed[heading] == found[0], heading
    assert max(listed.values()) > 1  # the memo runs over pages: the numbers tell
    toc = _docx_contents(out)
    assert list(toc) == memo.headings()
    assert {_shown(h): n for h, n in toc.items()} == listed
    app = _app(out)
    assert app["Application"] == "briefgen"
    assert re.fullmatch(r"\d\d\.\d{4}", app["AppVersion"])
    assert int(app["Pages"]) == _pdfinfo_pages(pdf)
    assert int(app["Words"]) == _words(_docx_text(out))
    assert app["Company"] == memo.header.organisation


def test_a_memo_without_contents_has_none_in_either_file(tmp_path: Path) -> None:
    memo = _memo([])
    assert not memo.contents
    write_pdf(memo, tmp_path / "memo.pdf")
    write_docx(memo, tmp_path / "memo.docx")
    assert _contents_of(_pdf_pages(tmp_path / "memo.pdf")) == {}
    assert _docx_contents(tmp_path / "memo.docx") == {}
    assert int(_app(tmp_path / "memo.docx")["Pages"]) == _pdfinfo_pages(tmp_path / "memo.pdf")


def test_contents_entries_link_to_their_headings(tmp_path: Path) -> None:
    """Each entry is a link to its heading's page, at the heading, as outline entries are."""
    from pypdf import PdfReader

    memo = _memo(["Économie", "Военное дело", "سیاست خارجی", "中俄关系"])
    write_pdf(memo, tmp_path / "memo.pdf")
    listed = _contents_of(_pdf_pages(tmp_path / "memo.pdf"))
    reader = PdfReader(tmp_path / "memo.pdf")
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    links = [
        a.get_object()["/Dest"]
        for a in reader.pages[0].get("/Annots", [])
        if "/Dest" in a.get_object()
    ][: len(listed)]
    assert [numbers[dest[0].idnum] for dest in links] == [
        listed[_shown(h)] for h in memo.headings()
    ]
    assert all(dest[1] == "/XYZ" for dest in links)  # at the heading, not the page's top
    outline = {str(o.title): reader.get_destination_page_number(o) + 1 for o in reader.outline}
    assert {_shown(h): outline[h] for h in memo.headings()} == listed


def test_a_memo_with_contents_gives_the_same_bytes_each_time(tmp_path: Path) -> None:
    memo = _memo(["Économie", "Военное дело", "سیاست خارجی", "中俄关系"])
    for name in ("a", "b"):
        write_pdf(memo, tmp_path / f"{name}.pdf")
        write_docx(memo, tmp_path / f"{name}.docx")
    for suffix in ("pdf", "docx"):
        assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()


def test_a_build_hands_the_pdfs_layout_to_the_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built with its PDF (in writer processes, or in one process) or alone, a DOCX has
    the same bytes, its TOC and app.xml those of the PDF."""
    work = tmp_path / "briefs"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns("out"))
    memo = "russia-iran-weekly.analyst"
    run = briefgen("build", "--all", str(work), cwd=tmp_path)
    assert run.code == 0, run.err
    out = work / "out"
    together = (out / f"{memo}.docx").read_bytes()
    pages = _pdf_pages(out / f"{memo}.pdf")
    listed = _contents_of(pages)
    assert listed and {_shown(h): n for h, n in _docx_contents(out / f"{memo}.docx").items()} == (
        listed
    )
    assert int(_app(out / f"{memo}.docx")["Pages"]) == _pdfinfo_pages(out / f"{memo}.pdf")
    alone = tmp_path / "alone"
    run = briefgen(
        "build", "--all", "--format", "docx", "--out", str(alone), str(work), cwd=tmp_path
    )
    assert run.code == 0, run.err
    assert (alone / f"{memo}.docx").read_bytes() == together
    monkeypatch.setenv("BRIEFGEN_PLAIN", "1")  # no writer processes: one after the other
    plain = tmp_path / "plain"
    run = briefgen("build", "--all", "--out", str(plain), str(work), cwd=tmp_path)
    assert run.code == 0, run.err
    assert (plain / f"{memo}.docx").read_bytes() == together


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_contents_page_numbers_on_opening(tmp_path: Path) -> None:
    memo = _memo(["Économie d’été", "Военное сотрудничество", "سیاست خارجی", "中俄关系的未来"])
    write_pdf(memo, tmp_path / "memo.pdf")
    write_docx(memo, tmp_path / "memo.docx")
    converted = tmp_path / "lo"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(converted),
            str(tmp_path / "memo.docx"),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shown = _contents_of(_pdf_pages(converted / "memo.pdf"))
    assert shown == {_shown(h): n for h, n in _docx_contents(tmp_path / "memo.docx").items()}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Économie d’été — vue d’ensemble", 4),  # a dash alone is no word
        ("Военное сотрудничество, 2024", 3),
        ("سیاست خارجی ایران", 3),
        ("中俄关系 2024", 5),  # each Han character a word, as Word counts
        ("ひらがなカタカナ", 8),
        ("한국어 제목", 2),  # Korean is spaced
        ("ภาษาไทย ง่าย", 2),  # a Thai run between spaces: one word (no dictionary)
    ],
)
def test_words_are_counted_as_the_readme_says(text: str, words: int) -> None:
    from briefgen.scripts import count_words

    assert count_words(text) == words
