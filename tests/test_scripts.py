"""Every script a source may use: Cyrillic, Persian in right-to-left order, and what no font shows."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.model import Paragraph, Span
from briefgen.scripts import visual_runs
from briefgen.writers.docx import write_docx
from briefgen.writers.pdf import write_pdf

from .conftest import briefgen
from .sample_memo import sample_memo

PERSIAN = "جمهوری اسلامی ایران"
MIXED = (f"Tehran’s line: {PERSIAN} (the Islamic Republic); سپاه (پاسداران) در سال ۱۴۰۲ and "
         "2023. Москва ответила: «Нет». Łódź, Ærø, İstanbul, Šiauliai.")


def _memo():
    memo = sample_memo()
    memo.sections[0].blocks.append(Paragraph([Span(MIXED)], kind="claim"))
    return memo


def test_rtl_runs_are_reversed_word_by_word_digits_kept() -> None:
    assert visual_runs("a سپاه (پاسداران) ۱۴۰۲ b") == [
        ("a ", "a ", False),
        ("۲۰۴۱ (پاسداران) سپاه", "سپاه (پاسداران) ۱۴۰۲", True),
        (" b", " b", False)]


def test_pdf_shows_cyrillic_latin_and_persian_in_logical_word_order(tmp_path: Path) -> None:
    write_pdf(_memo(), tmp_path / "m.pdf")
    text = unicodedata.normalize("NFKC", PdfReader(tmp_path / "m.pdf").pages[0].extract_text())
    assert "Москва ответила: «Нет». Łódź, Ærø, İstanbul, Šiauliai." in " ".join(text.split())
    assert PERSIAN in text  # shaped glyphs map back to the letters, words in reading order
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1]
             for f in PdfReader(tmp_path / "m.pdf").pages[0]["/Resources"]["/Font"].values()}
    assert "DejaVuSans" in fonts


def test_docx_keeps_logical_order_and_marks_rtl_runs(tmp_path: Path) -> None:
    write_docx(_memo(), tmp_path / "m.docx")
    xml = zipfile.ZipFile(tmp_path / "m.docx").read("word/document.xml").decode()
    assert f"<w:rtl/></w:rPr><w:t xml:space=\"preserve\">{PERSIAN}</w:t>" in xml
    assert "Москва ответила" in xml


@pytest.mark.parametrize("text, message", [
    ("Bell \a rings.", "claim 'talks-stalled' holds U+0007 (unnamed), a control character a "
                       "document cannot hold; remove it"),
    ("Han 中文 text.", "claim 'talks-stalled' holds U+4E2D (CJK UNIFIED IDEOGRAPH-4E2D), "
                      "U+6587 (CJK UNIFIED IDEOGRAPH-6587), which no font briefgen ships can "
                      "show"),
])
def test_unshowable_characters_are_errors_naming_the_claim(good: Path, text: str,
                                                           message: str) -> None:
    path = good / "store" / "claims" / "grain.yaml"
    escaped = text.replace("\a", "\\a")
    path.write_text(path.read_text().replace(
        "text: Talks on the grain corridor stalled on 11 June 2024.", f'text: "{escaped}"'))
    run = briefgen("check", cwd=good)
    assert run.code == 1
    assert f"store/claims/grain.yaml:2: text: {message}" in run.err


def test_the_shipped_coverage_table_matches_the_fonts() -> None:
    """check reads coverage.json instead of the fonts; it must say what the fonts hold
    (after changing a font: python scripts/coverage.py)."""
    import json

    from briefgen import scripts
    from briefgen.scripts import FONTS, coverage_ranges, font_coverage

    table = json.loads(scripts.COVERAGE.read_text(encoding="utf-8"))
    for name in (scripts.PRIMARY, scripts.FALLBACK):
        assert table[name] == coverage_ranges(font_coverage(FONTS / name)), name
    primary, fallback = scripts._coverage()
    assert 0x0416 in primary  # Ж: Noto Serif holds Cyrillic
    assert 0x0634 not in primary and 0x0634 in fallback  # ش: Persian is the fallback's
