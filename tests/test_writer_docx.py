"""The DOCX writer, read back with python-docx and the raw parts."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from briefgen.model import Paragraph, Span, plain_text
from briefgen.writers.docx import write_docx

from .docx_read import body_note_ids, notes, part_xml
from .sample_memo import sample_memo


def _write(tmp_path: Path, placement: str = "footnotes", **changes) -> Path:
    memo = sample_memo(placement)
    for key, value in changes.items():
        setattr(memo, key, value)
    path = tmp_path / f"m-{placement}.docx"
    write_docx(memo, path)
    return path


def test_styles_make_the_navigation_pane_work(tmp_path: Path) -> None:
    document = docx.Document(str(_write(tmp_path)))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Russia–Iran: Weekly Update") in styles
    assert [t for s, t in styles if s == "Heading 1"] == [
        "Bottom line", "Background", "Bibliography", "Source summary"]
    bullets = [t for s, t in styles if s == "List Bullet"]
    assert bullets[1] == "(P) Two-way trade fell to around $4 billion in 2023. (high confidence)"
    assert "Claim Quote" in {s for s, _ in styles} and "Bibliography" in {s for s, _ in styles}
    names = {s.name for s in document.styles}
    assert {"Footnote Text", "Footnote Reference", "Hyperlink"} <= names


def test_real_footnotes_match_the_memo_notes(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    path = _write(tmp_path)
    found = notes(path, "footnotes")
    assert found == {n.number: " ".join(plain_text(n.content).split()) for n in memo.notes}
    assert body_note_ids(path, "footnotes") == [1, 2, 3]
    settings = part_xml(path, "word/settings.xml").decode()
    assert "<w:footnotePr>" in settings
    assert notes(path, "endnotes") == {}


def test_endnotes_variant(tmp_path: Path) -> None:
    path = _write(tmp_path, "endnotes")
    assert sorted(notes(path, "endnotes")) == [1, 2, 3]
    assert body_note_ids(path, "endnotes") == [1, 2, 3]
    assert notes(path, "footnotes") == {}


def test_links_are_external_hyperlinks_in_the_note_part(tmp_path: Path) -> None:
    path = _write(tmp_path)
    rels = part_xml(path, "word/_rels/footnotes.xml.rels").decode()
    assert 'Target="https://example.org/jst" TargetMode="External"' in rels
    assert b"<w:hyperlink" in part_xml(path, "word/footnotes.xml")


def test_header_and_footer_carry_banner_and_page_fields(tmp_path: Path) -> None:
    document = docx.Document(str(_write(tmp_path)))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "INTERNAL"
    footer_xml = section.footer._element.xml
    assert "INTERNAL" in footer_xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml


def test_core_and_custom_properties(tmp_path: Path) -> None:
    manifest = {"brief": "russia-iran-weekly", "claims": {"trade-2023": "abc"}}
    path = _write(tmp_path, manifest=manifest)
    props = docx.Document(str(path)).core_properties
    assert props.title == "Russia–Iran: Weekly Update"
    assert props.author == "Eurasia Desk, Example Policy Institute"
    assert props.subject == "Limits of the Russia–Iran partnership"
    assert props.created.date().isoformat() == "2024-06-14"
    custom = part_xml(path, "docProps/custom.xml").decode()
    assert json.dumps(manifest, sort_keys=True) in custom


def test_same_memo_same_bytes(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    write_docx(memo, tmp_path / "a.docx")
    write_docx(copy.deepcopy(memo), tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_markup_like_text_round_trips(tmp_path: Path) -> None:
    memo = sample_memo()
    memo.sections[0].blocks.append(Paragraph([Span("<b>&amp; {{ 7*7 }} & <img src=x>")]))
    write_docx(memo, tmp_path / "m.docx")
    texts = [p.text for p in docx.Document(str(tmp_path / "m.docx")).paragraphs]
    assert "<b>&amp; {{ 7*7 }} & <img src=x>" in texts


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_without_losing_text(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    path = _write(tmp_path)
    done = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                           str(tmp_path), str(path)], capture_output=True, timeout=180,
                          check=False)
    pdf = tmp_path / "m-footnotes.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    from pypdf import PdfReader

    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    for note in memo.notes:
        assert " ".join(plain_text(note.content).split()) in text
    assert "Two-way trade fell to around $4 billion in 2023." in text


def test_long_memos_open_with_a_filled_in_table_of_contents(tmp_path: Path) -> None:
    from briefgen.model import Section

    memo = sample_memo("footnotes")
    memo.sections += [Section(f"Part {i}", [Paragraph([Span(f"Text {i}.")])]) for i in range(5)]
    write_docx(memo, tmp_path / "long.docx")
    document = docx.Document(str(tmp_path / "long.docx"))
    entries = [p.text for p in document.paragraphs if p.style.name == "TOC 1"]
    assert entries == ["Bottom line", "Background", "Part 0", "Part 1", "Part 2", "Part 3",
                       "Part 4", "Bibliography", "Source summary"]
    body = part_xml(tmp_path / "long.docx", "word/document.xml").decode()
    assert 'TOC \\o "1-1" \\h \\z \\u' in body
    assert body.count("<w:bookmarkStart") == 9 and 'w:anchor="_Toc00000001"' in body
    write_docx(sample_memo("footnotes"), tmp_path / "short.docx")
    assert "TOC 1" not in {p.style.name for p in docx.Document(str(tmp_path / "short.docx")).paragraphs}
