"""The PDF writer, read back with pypdf: text, pages, fonts, links, footnote placement."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.model import Memo, Note, NoteRef, Paragraph, Section, Span
from briefgen.writers.pdf.writer import write_pdf

from ..sample_memo import sample_memo

STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def _pages(path: Path) -> list[str]:
    """Return each page's text with runs of white space made one space."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages]


def _long_memo(placement: str, claims: int = 60, first_note: int = 4) -> Memo:
    """A memo of several pages, each claim with its own note."""
    memo = sample_memo(placement)
    blocks = [
        Paragraph(
            [
                Span(
                    f"Claim number {i} says something long enough to need a line "
                    f"or two of text in the memo's body, about topic {i}."
                ),
                NoteRef(i + first_note),
            ],
            kind="claim",
            claim_id=f"c{i}",
        )
        for i in range(claims)
    ]
    memo.sections.append(Section("Many claims", blocks))
    memo.notes += [
        Note(i + first_note, [Span(f"Source {i}, “A Title,” Journal, 2024, para. {i}.")], [f"c{i}"])
        for i in range(claims)
    ]
    return memo


def _lines_by_size(path: Path) -> list[list[tuple[float, float, str]]]:
    """Return each page's text runs as (font size, y, text)."""
    pages = []
    for page in PdfReader(path).pages:
        runs: list[tuple[float, float, str]] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            runs: list[tuple[float, float, str]] = runs,
        ) -> None:
            if text.strip():
                runs.append((round(size, 1), tm[5] * cm[3] + cm[5], text))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


# --- what the memo says ----------------------------------------------------------------------


def test_text_notes_bibliography_banner_and_page_numbers(tmp_path: Path) -> None:
    memo = sample_memo()
    pages = write_pdf(memo, tmp_path / "m.pdf")
    text = _pages(tmp_path / "m.pdf")
    assert pages == len(text) == 1
    body = " ".join(text)
    assert "Two-way trade fell to around $4 billion in 2023." in body
    for note in memo.notes:
        assert " ".join("".join(s.text for s in note.content).split()) in body
    assert "Svetlova, Ksenia. “Hidden Discord in the Russia-Iran Alliance.”" in body
    assert "Kirillova, Kseniya. Europe’s Edge, [March 2023?]." in body
    assert body.count("INTERNAL") == 2 and "Page 1 of 1" in body
    assert "Source summary This memo rests on 2 sources" in body


def test_claim_furniture_in_reading_order(tmp_path: Path) -> None:
    write_pdf(sample_memo(), tmp_path / "m.pdf")
    body = " ".join(_pages(tmp_path / "m.pdf"))
    assert (
        "(P) According to Ukrainian military launch data, the Alabuga plant had delivered "
        "about 4,500 of the 6,000 Shahed drones promised.1 (moderate confidence) “has already "
        "supplied approximately 4500 of the promised 6000 drones as of late April 2024” — "
        "Svetlova, para. 9"
    ) in body
    assert (
        "(P) Two-way trade fell to around $4 billion in 2023.2 (high confidence) Sources differ: see note 2."
        in body
    )
    assert "(I) Moscow and Tehran drew closer before 2022." in body
    assert "TO Director, Eurasia Programme FROM Eurasia Desk DATE 14 June 2024" in body
    assert "Notes 1. Ksenia Svetlova" in body and "Bibliography Kirillova" in body


def test_every_page_has_banner_and_page_x_of_y(tmp_path: Path) -> None:
    pages = write_pdf(_long_memo("endnotes"), tmp_path / "m.pdf")
    text = _pages(tmp_path / "m.pdf")
    assert pages == len(text) >= 3
    for i, page in enumerate(text, start=1):
        assert page.count("INTERNAL") == 2
        assert f"Page {i} of {pages}" in page
        assert page.startswith("INTERNAL") and page.endswith("INTERNAL")  # reading order
        assert i == 1 or page.startswith("INTERNAL Russia–Iran: Weekly Update")  # running head


def test_only_embedded_truetype_fonts(tmp_path: Path) -> None:
    write_pdf(_long_memo("footnotes"), tmp_path / "m.pdf")
    seen = set()
    for page in PdfReader(tmp_path / "m.pdf").pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            seen.add(name)
            assert name not in STANDARD_14
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            assert "/FontFile2" in descriptor, name
    assert {"NotoSerif-Regular", "NotoSerif-Italic", "NotoSans-Bold"} <= seen


def test_numbers_are_the_memos_own(tmp_path: Path) -> None:
    memo = sample_memo()
    memo.sections[0].blocks[1].content[-1] = NoteRef(7)
    memo.notes[0].number = 7
    write_pdf(memo, tmp_path / "m.pdf")
    body = " ".join(_pages(tmp_path / "m.pdf"))
    assert "promised.7 (moderate confidence)" in body and "7. Ksenia Svetlova" in body


# --- footnotes -------------------------------------------------------------------------------


def test_footnotes_sit_on_the_page_of_their_marker(tmp_path: Path) -> None:
    memo = _long_memo("footnotes")
    write_pdf(memo, tmp_path / "m.pdf")
    text = _pages(tmp_path / "m.pdf")
    assert len(text) >= 3
    for i in range(60):
        claim = f"Claim number {i} says"
        note = f"{i + 4}. Source {i}, “A Title,” Journal, 2024, para. {i}."
        (page,) = [p for p in text if claim in p]
        assert note in page, f"note {i + 4} is not on the page of its marker"
        assert sum(note in p for p in text) == 1
    assert "Notes" not in " ".join(text)


@pytest.mark.parametrize("filler", range(0, 12, 2))
def test_a_split_paragraph_takes_each_note_to_its_page(tmp_path: Path, filler: int) -> None:
    """Markers in the last lines of a page, and in a paragraph split across pages."""
    memo = _long_memo("footnotes", claims=14 + filler)
    numbers = range(100, 140)
    sentences = [
        item
        for n in numbers
        for item in (
            Span(f" Sentence {n} runs on for a while, so that the paragraph needs many lines."),
            NoteRef(n),
        )
    ]
    memo.sections.append(Section("Long prose", [Paragraph(sentences)]))
    memo.notes += [Note(n, [Span(f"Where sentence {n} was read.")], []) for n in numbers]
    write_pdf(memo, tmp_path / "m.pdf")
    text = _pages(tmp_path / "m.pdf")
    assert len(text) >= 3
    for n in numbers:
        (page,) = [p for p in text if re.search(rf"lines\.{n}\b", p)]  # the marker's page
        assert f"{n}. Where sentence {n} was read." in page, n


def test_a_page_fills_up_with_text_and_the_notes_it_holds(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    numbers = range(10, 70)
    memo.sections = [
        Section(
            "Prose",
            [
                Paragraph(
                    [
                        item
                        for n in numbers
                        for item in (Span(f" Sentence {n} runs on."), NoteRef(n))
                    ]
                )
            ],
        )
    ]
    memo.notes = [Note(n, [Span(f"Note {n}.")], []) for n in numbers]
    write_pdf(memo, tmp_path / "m.pdf")
    first = _pages(tmp_path / "m.pdf")[0]
    markers = [n for n in numbers if f"runs on.{n}" in first]
    notes = [n for n in numbers if f"{n}. Note {n}." in first]
    assert markers == notes and len(notes) >= 25  # not all 60: that would leave no room


def test_footnotes_never_overlap_the_body(tmp_path: Path) -> None:
    write_pdf(_long_memo("footnotes", claims=80), tmp_path / "m.pdf")
    for runs in _lines_by_size(tmp_path / "m.pdf"):
        body = [y for _, y, text in runs if "Claim number" in text]
        notes = [y for _, y, text in runs if "“A Title,” Journal" in text]
        assert body and notes
        assert max(notes) < min(body) - 10


def test_page_numbers_are_right_after_footnotes_move_text(tmp_path: Path) -> None:
    pages = write_pdf(_long_memo("footnotes", claims=120), tmp_path / "m.pdf")
    text = _pages(tmp_path / "m.pdf")
    assert pages == len(text)
    assert re.search(rf"Page {pages} of {pages}\b", text[-1])
    assert pages.last_page_lines > 0  # type: ignore[attr-defined]


# --- safety and robustness -------------------------------------------------------------------


def test_user_markup_prints_literally(tmp_path: Path) -> None:
    memo = sample_memo()
    hostile = '<b>bold?</b> & <img src="/etc/passwd"/> <a href="javascript:alert(1)">x</a>'
    memo.sections[0].blocks.append(Paragraph([Span(hostile)]))
    memo.sections[1].title = "Trade & <sanctions>"
    memo.header.fields = [("TO & <i>FROM</i>", "A <b>B</b> & C")]
    write_pdf(memo, tmp_path / "m.pdf")
    body = " ".join(_pages(tmp_path / "m.pdf"))
    assert hostile in body
    assert "Trade & <sanctions>" in body and "TO & <i>FROM</i> A <b>B</b> & C" in body
    outline = [o.title for o in PdfReader(tmp_path / "m.pdf").outline]
    assert "Trade & <sanctions>" in outline


def test_only_web_and_mail_addresses_become_links(tmp_path: Path) -> None:
    memo = sample_memo()
    memo.notes[1].content += [
        Span(" bad", url="javascript:alert(1)"),
        Span(" file", url="file:///etc/passwd"),
        Span(" mail", url="mailto:desk@example.org"),
    ]
    write_pdf(memo, tmp_path / "m.pdf")
    reader = PdfReader(tmp_path / "m.pdf")
    uris = {a.get_object().get("/A", {}).get("/URI") for a in reader.pages[0]["/Annots"]}
    assert {"https://example.org/jst", "mailto:desk@example.org"} <= uris
    assert not any(u and ("javascript" in u or "file:" in u) for u in uris)
    assert "bad file mail" in " ".join(_pages(tmp_path / "m.pdf"))


def test_note_markers_link_to_their_notes(tmp_path: Path) -> None:
    write_pdf(sample_memo(), tmp_path / "m.pdf")
    annots = [a.get_object() for a in PdfReader(tmp_path / "m.pdf").pages[0]["/Annots"]]
    internal = [a for a in annots if "/Dest" in a or a.get("/A", {}).get("/S") == "/GoTo"]
    assert len(internal) >= 3


@pytest.mark.parametrize("where", ["claim", "title", "subject", "section", "note", "url"])
def test_a_huge_word_lays_out(tmp_path: Path, where: str) -> None:
    memo = sample_memo(placement="footnotes" if where == "note" else "endnotes")
    word = "x" * 5000
    if where == "claim":
        memo.sections[0].blocks.append(Paragraph([Span(word)], kind="claim"))
    elif where in ("title", "subject"):
        setattr(memo.header, where, word)
    elif where == "section":
        memo.sections[1].title = word
    elif where == "note":
        memo.notes[0].content.append(Span(word))
    else:
        memo.notes[0].content.append(Span("https://" + word, url="https://" + word))
    assert write_pdf(memo, tmp_path / "m.pdf") >= 2
    assert word[:400] in "".join("".join(_pages(tmp_path / "m.pdf")).split())


def test_thousands_of_claims_lay_out(tmp_path: Path) -> None:
    pages = write_pdf(_long_memo("endnotes", claims=2000), tmp_path / "many.pdf")
    assert pages == len(PdfReader(tmp_path / "many.pdf").pages) > 40


def test_same_memo_same_bytes(tmp_path: Path) -> None:
    memo = _long_memo("footnotes")
    write_pdf(memo, tmp_path / "a.pdf")
    write_pdf(copy.deepcopy(memo), tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


# --- document properties and layouts ---------------------------------------------------------


def test_metadata_outline_and_links(tmp_path: Path) -> None:
    memo = sample_memo()
    memo.manifest = {"brief": "russia-iran-weekly", "claims": {"trade-2023": "abc"}}
    memo.language = "fr-FR"
    write_pdf(memo, tmp_path / "m.pdf")
    reader = PdfReader(tmp_path / "m.pdf")
    meta = reader.metadata
    assert meta.title == "Russia–Iran: Weekly Update"
    assert meta.author == "Eurasia Desk, Example Policy Institute"
    assert meta.subject == "Limits of the Russia–Iran partnership"
    assert meta["/Keywords"] == "drones, economy, military"
    assert meta.creator == "briefgen"
    assert meta["/CreationDate"].startswith("D:20240614")
    assert '"trade-2023": "abc"' in meta["/BriefgenManifest"]
    assert [o.title for o in reader.outline] == [
        "Bottom line",
        "Background",
        "Notes",
        "Bibliography",
        "Source summary",
    ]
    uris = [a.get_object().get("/A", {}).get("/URI") for a in reader.pages[0]["/Annots"]]
    assert "https://example.org/jst" in uris
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


@pytest.mark.parametrize("size, box", [("A4", [595, 842]), ("letter", [612, 792])])
def test_page_size(tmp_path: Path, size: str, box: list[int]) -> None:
    memo = sample_memo()
    memo.page_size = size  # type: ignore[assignment]
    write_pdf(memo, tmp_path / "m.pdf")
    for page in PdfReader(tmp_path / "m.pdf").pages:
        assert [round(float(v)) for v in page.mediabox[2:]] == box


@pytest.mark.parametrize("placement", ["endnotes", "footnotes"])
@pytest.mark.parametrize("layout", ["one-page", "policy-memo"])
def test_sample_fits_one_page(tmp_path: Path, layout: str, placement: str) -> None:
    assert write_pdf(sample_memo(placement, layout), tmp_path / "m.pdf") == 1


@pytest.mark.parametrize("placement", ["endnotes", "footnotes"])
def test_one_page_holds_six_claims_and_six_notes(tmp_path: Path, placement: str) -> None:
    memo = _long_memo(placement, claims=4)  # 6 claims and 7 notes in all
    memo.layout = "one-page"
    assert write_pdf(memo, tmp_path / "one.pdf") == 1


def test_every_page_says_page_x_of_y(tmp_path: Path) -> None:
    """The page numbers are written once the page count is known, in one layout pass."""
    pages = write_pdf(_long_memo("footnotes"), tmp_path / "m.pdf")
    assert pages > 2
    texts = _pages(tmp_path / "m.pdf")
    assert len(texts) == pages
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text


def test_fonts_read_back_from_the_cache_measure_and_embed_alike(tmp_path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    from briefgen.writers.pdf import fonts as pdf_fonts

    path = pdf_fonts.FOLDER / "NotoSerif-Italic.ttf"
    older = tmp_path / f"{path.stem}-{'a' * 24}.pickle"  # an earlier version's entry
    older.write_bytes(b"stale")
    other = tmp_path / f"NotoSerif-BoldItalic-{'a' * 24}.pickle"
    other.write_bytes(b"another font's")
    cached = tmp_path / f"{path.stem}-{'b' * 24}.pickle"
    parsed = TTFont(path.stem, path)
    pdf_fonts._save_cached(cached, parsed)
    assert not older.exists() and other.exists()
    loaded = pdf_fonts._load_cached(cached, path)
    assert loaded is not None
    text = "Grain talks stalled — «Москва», 1 000 km"
    assert loaded.stringWidth(text, 10.5) == parsed.stringWidth(text, 10.5)
    subset = sorted({ord(c) for c in text})
    assert loaded.face.makeSubset(subset) == parsed.face.makeSubset(subset)
    cached.write_bytes(b"not a pickle")
    assert pdf_fonts._load_cached(cached, path) is None  # damaged: parsed again instead


@pytest.mark.parametrize("placement", ["footnotes", "endnotes"])
def test_keeping_line_breaks_per_width_changes_no_byte(
    tmp_path: Path, placement: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF writer keeps a paragraph's line breaks between size queries; a long memo
    whose paragraphs split across pages comes out the same as when reportlab breaks
    the lines at every query."""
    from reportlab.platypus import Paragraph

    from briefgen.writers.pdf import text as pdf_text

    pages = write_pdf(_long_memo(placement, claims=80), tmp_path / "kept.pdf")
    monkeypatch.setattr(pdf_text.TextParagraph, "wrap", Paragraph.wrap)
    assert write_pdf(_long_memo(placement, claims=80), tmp_path / "plain.pdf") == pages > 3
    assert (tmp_path / "kept.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()
