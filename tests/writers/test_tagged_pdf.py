"""The tagged PDF (`pdf-engine: typst`): PDF/UA-1 and PDF/A-2u as an independent validator
(page-validation, on veraPDF's rules) checks them, the structure tree in reading order,
the language, the title and the text layer, on the example and on generated memos."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from briefgen import scripts
from briefgen.model import (
    BibEntry,
    Branding,
    Header,
    Memo,
    Note,
    NoteRef,
    Paragraph,
    Quote,
    Section,
    Span,
)
from briefgen.writers.pdf.writer import write_pdf

from ..conftest import EXAMPLE, briefgen, make_variant
from ..pdf_tags import Element, failures, ids, structure
from .test_render import DPI, EDGE_MM, _ink, _pages

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="pdfinfo and pdftotext (poppler-utils) are not installed",
)


# typst maps a bracket it mirrors in right-to-left text to the shape it draws ("]" drawn
# as "[" reads back "["), and has no ActualText to say otherwise: the text layer is
# compared with each pair folded to one (a known limitation, in the README)
MIRRORED = str.maketrans(")]}>»›", "([{<«‹")


def _squash(text: str) -> str:
    """Return `text` without whitespace or bidi controls (line breaks fall where they
    may), mirrored pairs folded."""
    kept = "".join(c for c in text if not c.isspace() and c not in scripts.BIDI_CONTROLS)
    return kept.translate(MIRRORED)


def _tagged(path: Path) -> bool:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return re.search(r"^Tagged:\s+yes$", info.stdout, re.M) is not None


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _tags(tree: Element, tag: str) -> list[Element]:
    return [e for e in tree.walk() if e.tag == tag]


def _plain(content: list[dict[str, Any]] | list[Any]) -> str:
    """Return the text of model inlines (JSON or objects), note markers as their numbers."""
    out = []
    for item in content:
        data = item if isinstance(item, dict) else item.__dict__
        out.append(data["text"] if "text" in data else str(data["number"]))
    return "".join(out)


def _expected_headings(memo: dict[str, Any]) -> list[str]:
    """Return the memo's second-level headings, in order, from its model."""
    words = memo["words"]
    heads = [words["contents"]] if memo["contents"] else []
    heads += [s["title"] for s in memo["sections"] if s["title"]]
    heads += [words["notes"]] if memo["notes"] and memo["note_placement"] == "endnotes" else []
    heads += [words["bibliography"]] if memo["bibliography"] else []
    heads += [words["summary"]] if memo["summary"] else []
    return heads


def _in_order(haystack: str, pieces: list[str]) -> list[str]:
    """Return the pieces not found in `haystack` after the piece before them."""
    at, missing = 0, []
    for piece in pieces:
        found = haystack.find(piece, at)
        if found < 0:
            missing.append(piece)
        else:
            at = found + len(piece)
    return missing


def _check_document(pdf: Path, memo: dict[str, Any]) -> None:
    """Assert what every tagged memo holds, against its model."""
    assert failures(pdf) == []
    assert _tagged(pdf)
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == memo["language"]
        assert bool(doc.Root.ViewerPreferences.DisplayDocTitle)
        assert doc.open_metadata().get("dc:title") == memo["header"]["title"]
        links = [
            annot
            for p in doc.pages
            for annot in p.get("/Annots", [])
            if annot.get("/Subtype") == "/Link"
        ]
        assert all(str(annot.get("/Contents", "")).strip() for annot in links)
    tree = structure(pdf)
    assert [e.text for e in _tags(tree, "H1")] == [memo["header"]["title"]]
    assert [_squash(e.text) for e in _tags(tree, "H2")] == [
        _squash(h) for h in _expected_headings(memo)
    ]
    claims = [b for s in memo["sections"] for b in s["blocks"] if b["kind"] == "claim"]
    items = [e for e in _tags(tree, "LI") if any(k.tag == "LBody" for k in e.kids)]
    bodies = [_squash(e.text) for e in items]
    for claim in claims:
        assert any(_squash(_plain(claim["content"])) in body for body in bodies), claim
    # every note a Note with an ID the IDTree names, numbered as a footnote's or an
    # endnote's number prints; every marker a Reference whose link says which note
    number = "{}" if memo["note_placement"] == "footnotes" else "{}."
    notes = _tags(tree, "Note")
    assert [_squash(e.text) for e in notes] == [
        _squash(number.format(n["number"]) + _plain(n["content"])) for n in memo["notes"]
    ]
    named = ids(pdf)
    assert len({e.ident for e in notes}) == len(notes)
    assert all(named.get(str(e.ident)) == "Note" for e in notes)
    contents = {id(e) for toc in _tags(tree, "TOCI") for e in toc.walk()}
    references = [e for e in _tags(tree, "Reference") if id(e) not in contents]
    markers = [
        item["number"]
        for section in memo["sections"]
        for block in section["blocks"]
        for content in [block["content"], *block["remarks"]]
        for item in content
        if "number" in item
    ]
    assert [e.text for e in references] == [str(n) for n in markers]
    assert [[link for e in r.walk() for link in e.links] for r in references] == [
        [memo["words"]["note"].format(number=n)] for n in markers
    ]
    # reading order: title, sections and their paragraphs (a footnote stands after its
    # marker, and is left out here), bibliography
    pieces = [memo["header"]["title"]]
    for section in memo["sections"]:
        pieces += [section["title"]] if section["title"] else []
        pieces += [_plain(b["content"]) for b in section["blocks"]]
    pieces += [_plain(b["content"]) for b in memo["bibliography"]]
    assert _in_order(_squash(tree.text_without("Note")), [_squash(p) for p in pieces]) == []


@needs_poppler
def test_example_memos_are_tagged_and_conform(tmp_path: Path) -> None:
    """The example workspace with `pdf-engine: typst` (variant typst-example)."""
    ws = make_variant(tmp_path, "typst-example", base=EXAMPLE)
    for fmt in ("pdf", "json"):
        run = briefgen("build", "--all", "--format", fmt, cwd=ws)
        assert run.code == 0, run.err
    for audience in ("principal", "analyst"):
        memo = json.loads((ws / "out" / f"russia-iran-weekly.{audience}.json").read_text())
        pdf = ws / "out" / f"russia-iran-weekly.{audience}.pdf"
        _check_document(pdf, memo)
        _check_pages(pdf, tmp_path / audience)


def _check_pages(pdf: Path, folder: Path) -> None:
    """Assert that no page is blank and nothing is drawn at the paper's edge."""
    if shutil.which("pdftoppm") is None:
        return
    folder.mkdir()
    edge = round(EDGE_MM / 25.4 * DPI)
    for width, height, pixels in _pages(pdf, folder):
        assert _ink(pixels, width, (edge, height // 10, width - edge, height * 9 // 10)) > width
        for box in ((0, 0, width, edge), (0, height - edge, width, height)):
            assert _ink(pixels, width, box) == 0


@needs_poppler
def test_logo_is_a_figure_with_alt_text_and_banner_footer_are_artifacts(tmp_path: Path) -> None:
    """Variant typst-branded: a PNG logo, a workspace body font, letter pages."""
    ws = make_variant(tmp_path, "typst-branded")
    (ws / "fonts").mkdir()
    shutil.copy(scripts.FONTS / "DejaVuSans-Regular.ttf", ws / "fonts" / "House.ttf")
    for fmt in ("pdf", "docx", "json"):
        run = briefgen("build", "--all", "--format", fmt, cwd=ws)
        assert run.code == 0, run.err
    pdf = ws / "out" / "weekly.analyst.pdf"
    assert failures(pdf) == []
    tree = structure(pdf)
    # the same alt text as the DOCX's picture: the workspace's logo-alt, or the catalogue's
    memo = json.loads((ws / "out" / "weekly.analyst.json").read_text())
    with zipfile.ZipFile(ws / "out" / "weekly.analyst.docx") as docx:
        pictures = re.findall(
            r'<wp:docPr [^>]*descr="([^"]*)"', docx.read("word/document.xml").decode()
        )
    assert [e.alt for e in _tags(tree, "Figure")] == [memo["branding"]["logo_alt"]] == pictures
    # banner, running header, footer and page numbers are drawn but never tagged
    text = _text(pdf)
    assert text.startswith("INTERNAL\n") and "Page 1 of 1" in text
    assert not tree.text.startswith("INTERNAL") and "Page" not in tree.text


def test_an_audience_may_choose_its_engine(tmp_path: Path) -> None:
    """Variant typst-audience: the analyst's PDF by typst, the principal's by reportlab."""
    ws = make_variant(tmp_path, "typst-audience")
    run = briefgen("build", "--all", cwd=ws)
    assert run.code == 0, run.err
    with pikepdf.open(ws / "out" / "weekly.analyst.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
    with pikepdf.open(ws / "out" / "weekly.principal.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "ReportLab" in str(pdf.docinfo.get("/Producer"))


def test_same_memo_same_bytes(tmp_path: Path) -> None:
    memo = _memo(["Même texte"], footnotes=True, logo=None, language="fr-FR")
    write_pdf(memo, tmp_path / "a.pdf")
    write_pdf(memo, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


# --- generated memos -------------------------------------------------------------------------

ALPHABETS = {
    "latin": "aeioudnrstàáâãäåçèéêëìíîïñòóôõöùúûüýÿăąćčďęěğłńňőřśşšťůűźżžßøæœ",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўАБВГДЖЗ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهويپچژگکی۰۱۲۳۴۵۶۷۸۹",
    "cjk": "中华人民共和国外交部发言人表示关系日本語東京",
    "hangul": "한국어문장입니다서울대학교",
    "markup": "#[]{}()$*_<>@=~+-/\\`'\"&;:x",  # typst's and others' markup, printed as written
}
_words = st.sampled_from(sorted(ALPHABETS)).flatmap(
    lambda script: st.text(alphabet=ALPHABETS[script], min_size=1, max_size=9)
)
_sentences = st.lists(_words, min_size=1, max_size=7).map(" ".join)


def _memo(
    texts: list[str], footnotes: bool, logo: Path | None, language: str, urls: bool = False
) -> Memo:
    """Return a memo that prints each of `texts` once, in a title, headings, prose, claims
    with quotes, notes and the bibliography."""
    pool = list(texts)

    def take() -> str:
        return pool.pop(0) if pool else texts[0]

    title = take()
    sections = []
    notes: list[Note] = []
    for _ in range(max(1, len(texts) // 6)):
        heading = take()
        number = len(notes) + 1
        link = [Span("https://example.org/a", url="https://example.org/a")] if urls else []
        notes.append(Note(number, [Span(take() + ". "), *link], [f"c{number}"]))
        # a note cited again: the last section's note in this one's prose, and this
        # claim's note in its remark (a footnote's marker with no footnote of its own)
        again = [NoteRef(number - 1)] if number > 1 else []
        blocks = [
            Paragraph([Span(take()), *again]),
            Paragraph(
                [Span(take()), NoteRef(number)],
                kind="claim",
                claim_id=f"c{number}",
                portion="P",
                quotes=[Quote(take(), "para. 2")],
                remarks=[[Span("Sources differ"), NoteRef(number)]],
            ),
        ]
        sections.append(Section(heading, blocks))
    bibliography = [BibEntry(f"s{i}", [Span(text)]) for i, text in enumerate(pool)]
    return Memo(
        brief_id="generated",
        audience_id="reader",
        header=Header(
            title=title,
            organisation="Desk",
            audience="Readers",
            to=None,
            sender=None,
            date="1 June 2024",
            subject=None,
            period=None,
            iso_date="2024-06-01",
        ),
        sections=sections,
        notes=notes,
        bibliography=bibliography,
        banner="PUBLIC",
        note_placement="footnotes" if footnotes else "endnotes",
        language=language,
        pdf_engine="typst",
        branding=Branding(logo=str(logo) if logo else None),
    )


@needs_poppler
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(_sentences, min_size=6, max_size=14),
    footnotes=st.booleans(),
    with_logo=st.booleans(),
    language=st.sampled_from(["en-US", "fr-FR", "ru-RU", "de-DE"]),
)
def test_generated_memos_are_tagged_and_conform(
    tmp_path: Path, texts: list[str], footnotes: bool, with_logo: bool, language: str
) -> None:
    logo = None
    if with_logo:
        logo = tmp_path / "logo.png"
        Image.new("RGB", (80, 40), (20, 60, 120)).save(logo)
    memo = _memo(texts, footnotes, logo, language, urls=True)
    pdf = tmp_path / "memo.pdf"
    pages = write_pdf(memo, pdf)
    assert pages == len(PdfReader(pdf).pages)  # what max-pages compares
    model = json.loads(json.dumps(memo.to_dict()))
    assert failures(pdf) == []
    assert _tagged(pdf)
    tree = structure(pdf)
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == language
    assert len(_tags(tree, "H1")) == 1
    assert len(_tags(tree, "H2")) == len(_expected_headings(model))
    assert len(_tags(tree, "Figure")) == (1 if logo else 0)
    assert all(e.alt for e in _tags(tree, "Figure"))
    if footnotes:
        assert len(_tags(tree, "Note")) == len(memo.notes)
    assert len([e for e in _tags(tree, "Link") if "example.org" in e.text]) == len(memo.notes)
    # the text layer gives back every character drawn (right-to-left runs are drawn, and
    # read, in visual order, so those are compared as characters)
    # pdftotext joins a line that ends in "-" to the next, dropping the hyphen: hyphens
    # are counted in the tagged text (pdfminer, from the same ToUnicode maps) alone
    shown = Counter(_squash(_text(pdf)).replace("-", ""))
    tagged = _squash(tree.text)
    for text in texts:
        assert not Counter(_squash(text).replace("-", "")) - shown, text
        assert not Counter(_squash(text)) - Counter(tagged), text
        if not scripts.has_rtl(text):
            assert _squash(text) in tagged, text


def test_reportlab_pdf_shows_its_title_and_maps_no_glyph_to_nothing(example_build: Path) -> None:
    """The default engine's PDF is untagged, but readers show its title, and no ToUnicode
    entry names U+0000 (reportlab named its first subset's unused codes so)."""
    for pdf in sorted(example_build.glob("*.pdf")):
        with pikepdf.open(pdf) as doc:
            assert bool(doc.Root.ViewerPreferences.DisplayDocTitle)
            cmaps = [
                font.ToUnicode.read_bytes().decode("latin-1")
                for p in doc.pages
                for font in p.Resources.Font.values()
                if "/ToUnicode" in font
            ]
        assert cmaps
        for cmap in cmaps:
            assert not re.search(r"<[0-9A-F]+> <0000>", cmap)
            for block in re.findall(r"(\d+) beginbfchar\n(.*?)endbfchar", cmap, re.S):
                assert int(block[0]) == block[1].count("\n") <= 100
        found = {f.split(":")[0] for f in failures(pdf)}
        assert not {"ua1 PDFUA1-FONT-UNICODE-VALUE-001", "2u PDFA2U-UNICODE-VALUE-001"} & found
        assert "ua1 PDFUA1-VIEWER-PREFERENCES-001" not in found


@needs_poppler
@pytest.mark.parametrize("footnotes", [True, False])
def test_long_words_and_overrides_stay_on_the_page_and_readable(
    tmp_path: Path, footnotes: bool
) -> None:
    """typst never breaks a word, and draws an override's letters reversed: a long word
    wraps all the same, and the text layer holds both as written."""
    long = "Donaudampfschifffahrtsgesellschaft" * 6
    texts = [long, f"\u202e{long}", "Titel", f"Gesellschaft {long}.", "ok", f"x{long}"]
    pdf = tmp_path / "memo.pdf"
    write_pdf(_memo(texts * 2, footnotes, None, "de-DE"), pdf)
    assert failures(pdf) == []
    edge = round(EDGE_MM / 25.4 * DPI)
    for width, height, pixels in _pages(pdf, tmp_path):
        for box in ((0, 0, edge, height), (width - edge, 0, width, height)):
            assert _ink(pixels, width, box) == 0, "a word runs off the page"
    shown = _squash(_text(pdf))
    assert shown.count(long) == sum(long in t for t in texts * 2)
