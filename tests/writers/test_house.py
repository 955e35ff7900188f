"""The house template (`reference-doc`): the DOCX memo takes an organisation's Word
template's styles, page setup and letterhead, and keeps its own banner on every page.

Every template here is made by the test itself with python-docx, as an organisation
would make one in Word; what the memo must show comes from what the test put in it.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from briefgen.model import Branding
from briefgen.writers.docx.writer import write_docx

from ..conftest import briefgen, make_variant
from ..sample_memo import sample_memo

TWIP = 635  # EMU: sectPr keeps lengths in twentieths of a point
LETTERHEAD = (200, 30, 30)  # the colour of the template's header picture


@dataclass
class House:
    """What an organisation puts in its template."""

    normal_font: str = "Georgia"
    normal_size: float = 12
    heading_font: str = "Arial"
    heading_size: float = 17
    heading_colour: str = "123456"
    page: tuple[float, float] = (215.9, 279.4)  # mm: letter, where briefgen's is A4
    margins: tuple[float, float, float, float] = (40, 30, 35, 30)  # top, right, bottom, left
    footer: str = "House footer text"
    first_page: bool = False  # a letterhead of its own on the first page
    even_pages: bool = False  # headers and footers of their own on even pages


def make_house(path: Path, house: House) -> Path:
    """Write a Word template with `house`'s styles and page, a header with a picture
    and a footer with text, and a body of its own that the memo must not show."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = house.normal_font
    normal.font.size = Pt(house.normal_size)
    heading = doc.styles["Heading 1"]
    heading.font.name = house.heading_font
    heading.font.size = Pt(house.heading_size)
    heading.font.color.rgb = RGBColor.from_string(house.heading_colour)
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(v) for v in house.page)
    top, right, bottom, left = (Mm(v) for v in house.margins)
    section.top_margin, section.right_margin = top, right
    section.bottom_margin, section.left_margin = bottom, left
    _letterhead(section.header.paragraphs[0])
    section.footer.paragraphs[0].add_run(house.footer)
    if house.first_page:
        section.different_first_page_header_footer = True
        _letterhead(section.first_page_header.paragraphs[0]).add_run("First page letterhead")
        section.first_page_footer.paragraphs[0].add_run(house.footer + " (first page)")
    if house.even_pages:
        doc.settings.odd_and_even_pages_header_footer = True
        _letterhead(section.even_page_header.paragraphs[0]).add_run("Even page letterhead")
        section.even_page_footer.paragraphs[0].add_run(house.footer + " (even page)")
    doc.add_paragraph("Template body that the memo must not show")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _letterhead(paragraph: Any) -> Any:
    """Put a picture in `paragraph` (of a header) and return the paragraph."""
    picture = io.BytesIO()
    Image.new("RGB", (400, 100), LETTERHEAD).save(picture, "PNG")
    picture.seek(0)
    paragraph.add_run().add_picture(picture, height=Mm(12))
    return paragraph


def _workspace(tmp_path: Path) -> Path:
    ws = make_variant(tmp_path, "house-template")
    make_house(ws / "templates" / "house.docx", House())
    make_house(
        ws / "templates" / "principal.docx",
        House(normal_font="Verdana", page=(148, 210), margins=(15, 15, 15, 15), footer="Desk"),
    )
    return ws


def _style(doc: object, name: str) -> object:
    return next(s for s in doc.styles if s.name == name)  # type: ignore[attr-defined]


def test_memo_takes_the_templates_styles_page_and_letterhead(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    run = briefgen("build", "--all", "--format", "docx", cwd=ws)
    assert run.code == 0, run.err
    memo = ws / "out" / "weekly.analyst.docx"
    house = House()
    doc = Document(str(memo))
    normal, heading = _style(doc, "Normal"), _style(doc, "Heading 1")
    assert normal.font.name == house.normal_font  # type: ignore[attr-defined]
    assert normal.font.size == Pt(house.normal_size)  # type: ignore[attr-defined]
    assert heading.font.name == house.heading_font  # type: ignore[attr-defined]
    assert heading.font.size == Pt(house.heading_size)  # type: ignore[attr-defined]
    assert str(heading.font.color.rgb) == house.heading_colour  # type: ignore[attr-defined]
    section = doc.sections[0]
    assert abs(section.page_width - Mm(house.page[0])) <= TWIP
    assert abs(section.page_height - Mm(house.page[1])) <= TWIP
    assert abs(section.top_margin - Mm(house.margins[0])) <= TWIP
    assert abs(section.left_margin - Mm(house.margins[3])) <= TWIP
    header = section.header
    assert header.paragraphs[0].text == "INTERNAL"  # the banner first, then the letterhead
    assert header.part.related_parts, "the letterhead picture is gone"
    footer = [p.text for p in section.footer.paragraphs]
    assert footer[0] == house.footer and footer[-1] == "INTERNAL"
    assert any(p.text.startswith("Test Desk\tPage ") for p in section.footer.paragraphs)
    assert "Template body" not in "\n".join(p.text for p in doc.paragraphs)
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings, "the memo's headings are not in the template's Heading 1"
    # the memo's own styles fill in what the template lacks
    assert _style(doc, "Banner").font.bold  # type: ignore[attr-defined]
    with zipfile.ZipFile(memo) as archive:
        names = archive.namelist()
        styles = archive.read("word/styles.xml").decode()
    assert 'w:styleId="FootnoteText"' in styles
    assert not any(n.endswith("stylesWithEffects.xml") for n in names)
    assert sum(n.startswith("word/media/") for n in names) == 1  # the letterhead alone


def test_an_audiences_template_wins_over_the_workspaces(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    run = briefgen("build", "--all", "--format", "docx", cwd=ws)
    assert run.code == 0, run.err
    principal = Document(str(ws / "out" / "weekly.principal.docx"))
    analyst = Document(str(ws / "out" / "weekly.analyst.docx"))
    assert _style(principal, "Normal").font.name == "Verdana"  # type: ignore[attr-defined]
    assert abs(principal.sections[0].page_width - Mm(148)) <= TWIP
    assert principal.sections[0].footer.paragraphs[0].text == "Desk"
    assert _style(analyst, "Normal").font.name == "Georgia"  # type: ignore[attr-defined]


def test_a_changed_template_rebuilds_and_status_names_it(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    assert briefgen("build", "--all", "--format", "docx", cwd=ws).code == 0
    first = (ws / "out" / "weekly.analyst.docx").read_bytes()
    run = briefgen("build", "--all", "--format", "docx", "--force", cwd=ws)
    assert run.code == 0, run.err
    assert (ws / "out" / "weekly.analyst.docx").read_bytes() == first  # same inputs, same bytes
    make_house(ws / "templates" / "house.docx", House(heading_colour="654321"))
    status = briefgen("status", cwd=ws)
    assert "weekly.analyst.docx: the reference-doc changed" in status.out, status.out
    assert "weekly.principal.docx: up to date" in status.out, status.out
    run = briefgen("build", "--all", "--format", "docx", cwd=ws)
    assert run.code == 0, run.err
    doc = Document(str(ws / "out" / "weekly.analyst.docx"))
    assert str(_style(doc, "Heading 1").font.color.rgb) == "654321"  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_libreoffice_shows_the_letterhead_and_the_banner_on_every_page(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    # A5: the memo runs over; a first page and even pages with letterheads of their own
    house = House(page=(148, 210), margins=(45, 20, 40, 20), first_page=True, even_pages=True)
    make_house(ws / "templates" / "house.docx", house)
    assert briefgen("build", "--all", "--format", "docx", cwd=ws).code == 0
    pdf = _convert(ws / "out" / "weekly.analyst.docx", tmp_path)
    pages = _pages(pdf)
    assert len(pages) >= 2, "the memo should run over a page for this test to mean anything"
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == "INTERNAL" and lines[-1] == "INTERNAL", (number, lines)
        assert House().footer in text, number
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert {int(line.split()[0]) for line in listed} == set(range(1, len(pages) + 1))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    size = next(line for line in info.stdout.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split()[2:5:2])
    assert (
        abs(width - house.page[0] * 72 / 25.4) < 1 and abs(height - house.page[1] * 72 / 25.4) < 1
    )


def _convert(docx: Path, tmp_path: Path, to: str = "pdf") -> Path:
    """Return `docx` converted by LibreOffice (to PDF, or as `to` says)."""
    out = tmp_path / "lo-out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(docx),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return out / (docx.stem + "." + to.split(":")[0])


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize(
    "value, message",
    [
        ("../house.docx", "'../house.docx' leaves the workspace; give a path inside it"),
        ("templates/missing.docx", "'templates/missing.docx' not found"),
        ("notes.txt", "'notes.txt' is not a Word document (.docx)"),
        (
            "fake.docx",
            "'fake.docx' is not a Word document (.docx): it is not a zip package; save the "
            "template in Word as a Word Document (.docx)",
        ),
        (
            "template.docx",
            "'template.docx' is not a Word document (.docx): it is a Word template (.dotx) or "
            "a macro-enabled file; save the template in Word as a Word Document (.docx)",
        ),
        (
            "damaged.docx",
            "'damaged.docx' is not a Word document (.docx): its XML is damaged (",
        ),
    ],
)
def test_a_bad_reference_doc_is_named_at_its_key(tmp_path: Path, value: str, message: str) -> None:
    ws = _workspace(tmp_path)
    (ws / "notes.txt").write_text("not a template\n", encoding="utf-8")
    (ws / "fake.docx").write_text("not a zip\n", encoding="utf-8")
    _copy(ws / "templates" / "house.docx", ws / "template.docx", dotx=True)
    _copy(ws / "templates" / "house.docx", ws / "damaged.docx", dotx=False)
    settings_file = ws / "briefgen.yaml"
    settings_file.write_text(
        settings_file.read_text().replace("templates/house.docx", value), encoding="utf-8"
    )
    run = briefgen("check", cwd=ws)
    assert run.code == 1
    assert f"briefgen.yaml:7: reference-doc: {message}" in run.err, run.err
    run = briefgen("build", "--all", cwd=ws)
    assert run.code == 1 and not (ws / "out").exists()  # nothing written
    # an audience's is named at its own line
    settings_file.write_text(
        settings_file.read_text().replace(value, "templates/house.docx"), encoding="utf-8"
    )
    audiences = ws / "audiences.yaml"
    audiences.write_text(
        audiences.read_text().replace("templates/principal.docx", value), encoding="utf-8"
    )
    run = briefgen("check", cwd=ws)
    assert run.code == 1
    assert f"audiences.yaml:7: principal.reference-doc: {message}" in run.err, run.err


def _copy(docx: Path, target: Path, dotx: bool) -> None:
    """Copy `docx` as Word saves a template (.dotx), its main part's type another, or
    else with its styles cut short."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if dotx and info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            if not dotx and info.filename == "word/styles.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)


# --- generated templates, written and read back ---------------------------------------------

SCRIPTS = "AaZzéçñøÅß ЖжщяДж ΑβΓδ عربیفارسی 宋体黑楷 맑은고딕바탕"
FONT_NAMES = st.text(alphabet=SCRIPTS, min_size=1, max_size=24).map(str.strip).filter(bool)
SIZES = st.integers(min_value=12, max_value=60).map(lambda half: half / 2)
COLOURS = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"{n:06X}")
PAGES = st.tuples(st.integers(100, 500), st.integers(100, 500)).map(
    lambda wh: (float(wh[0]), float(wh[1]))
)
MARGINS = st.tuples(*[st.integers(5, 45).map(float)] * 4)
HOUSES = st.builds(
    House,
    normal_font=FONT_NAMES,
    normal_size=SIZES,
    heading_font=FONT_NAMES,
    heading_size=SIZES,
    heading_colour=COLOURS,
    page=PAGES,
    margins=MARGINS,
    footer=FONT_NAMES,
    first_page=st.booleans(),
    even_pages=st.booleans(),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(house=HOUSES)
def test_generated_templates_styles_and_page_are_the_memos(tmp_path: Path, house: House) -> None:
    template = make_house(tmp_path / "house.docx", house)
    memo = sample_memo("footnotes")
    memo.branding = dataclasses.replace(Branding(), reference_doc=str(template))
    out = tmp_path / "memo.docx"
    write_docx(memo, out)
    first = out.read_bytes()
    write_docx(memo, out)
    assert out.read_bytes() == first  # same template, same bytes
    doc = Document(str(out))
    normal, heading = _style(doc, "Normal"), _style(doc, "Heading 1")
    assert normal.font.name == house.normal_font  # type: ignore[attr-defined]
    assert normal.font.size == Pt(house.normal_size)  # type: ignore[attr-defined]
    assert heading.font.name == house.heading_font  # type: ignore[attr-defined]
    assert heading.font.size == Pt(house.heading_size)  # type: ignore[attr-defined]
    assert str(heading.font.color.rgb) == house.heading_colour  # type: ignore[attr-defined]
    section = doc.sections[0]
    assert abs(section.page_width - Mm(house.page[0])) <= TWIP
    assert abs(section.page_height - Mm(house.page[1])) <= TWIP
    for got, wanted in zip(
        (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin),
        house.margins,
        strict=True,
    ):
        assert abs(got - Mm(wanted)) <= TWIP
    pairs = [(section.header, section.footer, "")]
    if house.first_page:
        pairs.append((section.first_page_header, section.first_page_footer, " (first page)"))
    if house.even_pages:
        pairs.append((section.even_page_header, section.even_page_footer, " (even page)"))
    assert section.different_first_page_header_footer == house.first_page
    for header, footer, which in pairs:  # the banner on every page, the letterhead kept
        assert [p.text for p in header.paragraphs][:1] == [memo.banner]
        assert header.part.related_parts, f"the letterhead picture{which} is gone"
        texts = [p.text for p in footer.paragraphs]
        assert texts[0] == house.footer + which and texts[-1] == memo.banner


def test_a_word_template_with_its_own_ids_and_no_bullets(tmp_path: Path) -> None:
    """A localised Word names Heading 1 "berschrift1" and a template may define no list
    style: the memo's headings still take the template's Heading 1, its notes and links
    their styles by the ids the writer uses, and its claims a bullet list of their own."""
    template = make_house(tmp_path / "house.docx", House())
    doc = Document(str(template))
    styles = doc.styles.element
    for style in styles.style_lst:
        if style.name_val == "heading 1":
            style.styleId = "berschrift1"
        if style.name_val == "List Bullet":
            styles.remove(style)
    doc.part.numbering_part.element.clear()
    doc.save(str(template))
    memo = sample_memo("footnotes")
    memo.branding = dataclasses.replace(Branding(), reference_doc=str(template))
    out = tmp_path / "memo.docx"
    write_docx(memo, out)
    written = Document(str(out))
    heading = _style(written, "Heading 1")
    assert heading.style_id == "Heading1"  # type: ignore[attr-defined]
    assert heading.font.name == "Arial"  # type: ignore[attr-defined]
    bullet = _style(written, "List Bullet")
    num_id = bullet.element.pPr.numPr.numId.val  # type: ignore[attr-defined]
    numbering = written.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract = next(
        a
        for a in numbering.iterchildren(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
    )
    assert abstract.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "bullet"
    claims = [p for p in written.paragraphs if p.style.name == "List Bullet"]
    assert claims


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_saved_by_libreoffice(tmp_path: Path) -> None:
    """A template written by another program than python-docx (LibreOffice names its
    styles "Heading 1" where Word writes "heading 1", and has its own parts): the memo
    builds, and its Heading 1 and page are the template's as LibreOffice wrote them."""
    ws = _workspace(tmp_path)
    made = make_house(tmp_path / "made" / "house.docx", House())
    saved = _convert(made, tmp_path, "docx:MS Word 2007 XML")
    shutil.copy(saved, ws / "templates" / "house.docx")
    run = briefgen("build", "--all", "--format", "docx", cwd=ws)
    assert run.code == 0, run.err
    template, memo = Document(str(saved)), Document(str(ws / "out" / "weekly.analyst.docx"))
    for name in ("Heading 1", "Normal"):
        theirs, ours = _style(template, name).element, _style(memo, name).element  # type: ignore[attr-defined]
        assert _part(theirs, "w:rPr") == _part(ours, "w:rPr"), name
    assert memo.sections[0].page_width == template.sections[0].page_width
    assert memo.sections[0].header.paragraphs[0].text == "INTERNAL"
    assert any(p.style.name == "Heading 1" for p in memo.paragraphs)


def test_a_template_without_a_page_setup_gets_the_memos(tmp_path: Path) -> None:
    """A template whose body has no section properties (no page size, margins, header
    or footer) gives the memo its styles, and the memo its own page and banner."""
    template = make_house(tmp_path / "house.docx", House())
    doc = Document(str(template))
    body = doc.element.body
    body.remove(body.sectPr)
    doc.save(str(template))
    memo = sample_memo("footnotes")
    memo.branding = dataclasses.replace(Branding(), reference_doc=str(template))
    write_docx(memo, tmp_path / "memo.docx")
    written = Document(str(tmp_path / "memo.docx"))
    section = written.sections[0]
    assert abs(section.page_width - Mm(210)) <= TWIP  # A4, the memo's page-size
    assert abs(section.page_height - Mm(297)) <= TWIP
    assert section.top_margin is not None
    assert section.header.paragraphs[0].text == memo.banner
    assert _style(written, "Normal").font.name == House().normal_font  # type: ignore[attr-defined]


def test_the_memo_takes_from_the_template_what_pandoc_takes(tmp_path: Path) -> None:
    """pandoc's --reference-doc is the measure: its DOCX and the memo, made from one
    template, have the same Heading 1 and Normal, page size and margins."""
    import pypandoc

    house = House(page=(180, 250), margins=(33, 21, 27, 19), heading_colour="0A7D3B")
    template = make_house(tmp_path / "house.docx", house)
    source = tmp_path / "in.md"
    source.write_text("# A heading\n\nSome text.\n", encoding="utf-8")
    theirs = tmp_path / "pandoc.docx"
    subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            str(source),
            "--reference-doc",
            str(template),
            "-o",
            str(theirs),
        ],
        check=True,
    )
    memo = sample_memo("footnotes")
    memo.branding = dataclasses.replace(Branding(), reference_doc=str(template))
    ours = tmp_path / "memo.docx"
    write_docx(memo, ours)
    pandoc_doc, memo_doc = Document(str(theirs)), Document(str(ours))
    for name in ("Heading 1", "Normal"):
        for tag in ("w:rPr", "w:pPr"):
            wanted = _part(_style(pandoc_doc, name).element, tag)  # type: ignore[attr-defined]
            got = _part(_style(memo_doc, name).element, tag)  # type: ignore[attr-defined]
            assert got == wanted, (name, tag)
    for tag in ("w:pgSz", "w:pgMar"):
        wanted = dict(pandoc_doc.sections[0]._sectPr.find(qn(tag)).attrib)
        assert dict(memo_doc.sections[0]._sectPr.find(qn(tag)).attrib) == wanted, tag


def _part(style: Any, tag: str) -> bytes:
    from lxml import etree

    props = style.find(qn(tag))
    return b"" if props is None else etree.tostring(props, method="c14n")
