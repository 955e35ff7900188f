"""The PDF writer, read back with pypdf: text, pages, fonts, footnote placement."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.model import Memo, Note, NoteRef, Paragraph, Section, Span
from briefgen.writers.pdf import write_pdf

from .sample_memo import sample_memo

STANDARD_14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats", "Times-Bold",
               "Helvetica-Bold", "Courier-Bold", "Times-Italic", "Helvetica-Oblique"}


def _pages(path: Path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages]


def _long_memo(placement: str, claims: int = 60) -> Memo:
    """A memo of several pages, each claim with its own note."""
    memo = sample_memo(placement)
    blocks = [Paragraph([Span(f"Claim number {i} says something long enough to need a line "
                              f"or two of text in the memo's body, about topic {i}."),
                         NoteRef(i + 4)], kind="claim", claim_id=f"c{i}")
              for i in range(claims)]
    memo.sections.append(Section("Many claims", blocks))
    memo.notes += [Note(i + 4, [Span(f"Source {i}, “A Title,” Journal, 2024, para. {i}.")],
                        [f"c{i}"]) for i in range(claims)]
    return memo


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
    assert body.count("INTERNAL") == 2 and "Page 1 of 1" in body


def test_every_page_has_banner_and_page_x_of_y(tmp_path: Path) -> None:
    pages = write_pdf(_long_memo("endnotes"), tmp_path / "m.pdf")
    text = _pages(tmp_path / "m.pdf")
    assert pages == len(text) >= 3
    for i, page in enumerate(text, start=1):
        assert page.count("INTERNAL") == 2
        assert f"Page {i} of {pages}" in page


def test_only_embedded_truetype_fonts(tmp_path: Path) -> None:
    write_pdf(_long_memo("footnotes"), tmp_path / "m.pdf")
    seen = set()
    for page in PdfReader(tmp_path / "m.pdf").pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            seen.add(name.split("+")[-1])
            assert name.split("+")[-1] not in STANDARD_14
            assert "/FontFile2" in font["/FontDescriptor"], name
    assert {"NotoSerif-Regular", "NotoSans-Bold"} <= seen


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
    assert "Notes" not in " ".join(text)


def test_user_markup_prints_literally(tmp_path: Path) -> None:
    memo = sample_memo()
    memo.sections[0].blocks.append(Paragraph([Span('<b>bold?</b> & <img src="/etc/passwd"/> '
                                                   '<a href="javascript:alert(1)">x</a>')]))
    write_pdf(memo, tmp_path / "m.pdf")
    body = " ".join(_pages(tmp_path / "m.pdf"))
    assert '<b>bold?</b> & <img src="/etc/passwd"/> <a href="javascript:alert(1)">x</a>' in body


def test_a_huge_word_and_thousands_of_claims_lay_out(tmp_path: Path) -> None:
    memo = sample_memo()
    memo.sections[0].blocks.append(Paragraph([Span("x" * 5000)]))
    assert write_pdf(memo, tmp_path / "word.pdf") >= 2
    assert write_pdf(_long_memo("endnotes", claims=2000), tmp_path / "many.pdf") > 40


def test_same_memo_same_bytes(tmp_path: Path) -> None:
    memo = _long_memo("footnotes")
    write_pdf(memo, tmp_path / "a.pdf")
    write_pdf(copy.deepcopy(memo), tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_metadata_outline_and_links(tmp_path: Path) -> None:
    memo = sample_memo()
    memo.manifest = {"brief": "russia-iran-weekly", "claims": {"trade-2023": "abc"}}
    write_pdf(memo, tmp_path / "m.pdf")
    reader = PdfReader(tmp_path / "m.pdf")
    meta = reader.metadata
    assert meta.title == "Russia–Iran: Weekly Update"
    assert meta.author == "Eurasia Desk, Example Policy Institute"
    assert '"trade-2023": "abc"' in meta["/BriefgenManifest"]
    assert [o.title for o in reader.outline] == ["Bottom line", "Background", "Notes",
                                                 "Bibliography", "Source summary"]
    uris = [a.get_object().get("/A", {}).get("/URI") for a in reader.pages[0]["/Annots"]]
    assert "https://example.org/jst" in uris
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize("layout, most", [("one-page", 1), ("policy-memo", 1)])
def test_sample_fits(tmp_path: Path, layout: str, most: int) -> None:
    assert write_pdf(sample_memo(layout=layout), tmp_path / "m.pdf") <= most


def test_page_numbers_are_right_after_footnotes_move_text(tmp_path: Path) -> None:
    pages = write_pdf(_long_memo("footnotes", claims=120), tmp_path / "m.pdf")
    last = _pages(tmp_path / "m.pdf")[-1]
    assert re.search(rf"Page {pages} of {pages}\b", last)
