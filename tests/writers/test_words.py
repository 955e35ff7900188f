"""Every word a memo prints of its own comes from the model, in every format."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from briefgen.model import Words
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.html import write_html
from briefgen.writers.pdf.writer import write_pdf

from ..sample_memo import sample_memo

# The model's words, none of them English, as a translation would give them.
GERMAN = Words(
    notes="Anmerkungen",
    bibliography="Literaturverzeichnis",
    summary="Quellenübersicht",
    contents="Inhalt",
    new="NEU",
    page="Seite {page} von {pages}",
    mark="[{}]",
    quoted="„{}“",
    quote="{quoted} – {attribution}",
)
ENGLISH = ("Notes", "Bibliography", "Source summary", "Contents", "NEW", "Page 1 of")


def _memo(placement: str, contents: bool):
    memo = sample_memo(placement)
    memo.words = GERMAN
    memo.contents = contents
    for block in memo.sections[0].blocks:
        block.portion, block.new = "P", True
    return memo


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(
            z.read(n).decode() for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")
        )
    return html.unescape(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")
@pytest.mark.parametrize("placement", ["footnotes", "endnotes"])
def test_every_format_prints_the_models_words_and_no_words_of_its_own(
    tmp_path: Path, placement: str
) -> None:
    memo = _memo(placement, contents=True)
    write_docx(memo, tmp_path / "m.docx")
    write_pdf(memo, tmp_path / "m.pdf")
    write_html(memo, tmp_path / "m.html")
    texts = {
        "docx": _docx_text(tmp_path / "m.docx"),
        "pdf": subprocess.run(
            ["pdftotext", str(tmp_path / "m.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout,
        "html": html.unescape(re.sub(r"<[^>]+>", " ", (tmp_path / "m.html").read_text())),
    }
    blocks = [b for s in memo.sections for b in s.blocks]
    quote = next(q for b in blocks for q in b.quotes)
    confidence = next(b.confidence for b in blocks if b.confidence)
    for fmt, text in texts.items():
        flat = " ".join(text.split())
        expected = [
            GERMAN.bibliography,
            GERMAN.summary,
            GERMAN.new,
            "[P]",
            f"[{confidence}]",
            f"„{quote.text}“ – {quote.attribution}",
        ]
        expected += [GERMAN.notes] if placement == "endnotes" else []
        expected += [GERMAN.contents] if fmt != "pdf" else []  # the PDF has an outline
        expected += ["Seite 1 von 1"] if fmt != "html" else []
        for word in expected:
            assert word in flat, (fmt, word)
        for word in ENGLISH:
            assert word not in flat, (fmt, word)
