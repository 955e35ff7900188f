"""PDF reports made with reportlab, as think tanks publish them: a title, paragraphs that
run over page breaks, and on every page a running head, a foot with a copyright line and
the page number."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from briefgen.readers.texts import is_heading

FONTS = Path(__file__).parents[2] / "briefgen" / "fonts"
# one font for each script the reports are written in
FACES = {
    "NotoSerif": "NotoSerif-Regular.ttf",  # Latin, Cyrillic, Greek
    "Nanum": "NanumGothic-Regular.ttf",  # Hangul
    "Droid": "DroidSansFallback-Regular.ttf",  # Chinese, Japanese
    "Naskh": "NotoNaskhArabic-Regular.ttf",  # Arabic, Persian: shaped, set right to left
}


def running_furniture(org: str, title: str) -> list[str]:
    """Return the strings the head and foot of every page show (but the page number)."""
    return [f"{org} | {title}", f"© 2024 {org}. All rights reserved.", "Page "]


def report_pdf(
    path: Path, org: str, title: str, body: list[str], face: str = "NotoSerif", leading: int = 13
) -> int:
    """Write a report of `body` (paragraphs, with subheadings among them) to `path`, in
    the font `face` (its title and furniture in Latin type), its lines `leading` points
    apart, on small pages so that paragraphs run over page breaks; return its pages.

    The report is made in a process of its own, as a publisher's would be: made in the
    test process, it left reportlab in a state that turned around the right-to-left runs
    of briefgen's PDF writer, which tests/test_scripts.py runs in-process (the cause
    inside reportlab is not found yet; briefgen itself makes every PDF its own way)."""
    args = [str(path), org, title, body, face, leading]
    done = subprocess.run(
        [sys.executable, "-m", "tests.sources.reports"],
        input=json.dumps(args).encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr.decode()
    return int(done.stdout)


def _report_pdf(path: str, org: str, title: str, body: list[str], face: str, leading: int) -> int:
    for name, file in FACES.items():
        if _own(name) not in pdfmetrics.getRegisteredFontNames():
            # under names of their own, apart from the faces briefgen registers
            font = TTFont(_own(name), str(FONTS / file), shapable=name == "Naskh")
            pdfmetrics.registerFont(font)
    size = (A4[0] * 0.7, A4[1] * 0.55)
    text = ParagraphStyle("body", fontName=_own(face), fontSize=10, leading=leading, spaceAfter=7)
    if face == "Naskh":
        text = ParagraphStyle("rtl", text, wordWrap="RTL", alignment=TA_RIGHT)
    heading = ParagraphStyle(  # kept with its paragraph, as word processors keep it
        "h2", text, fontSize=13, leading=16, spaceBefore=6, spaceAfter=4, keepWithNext=1
    )
    top = ParagraphStyle("title", text, fontName=_own("NotoSerif"), fontSize=17, leading=21)
    org_line, copyright_line, _ = running_furniture(org, title)

    def furnish(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_own("NotoSerif"), 7)
        canvas.drawString(14 * mm, size[1] - 9 * mm, org_line)
        canvas.drawString(14 * mm, 8 * mm, copyright_line)
        canvas.drawRightString(size[0] - 14 * mm, 8 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        path,
        pagesize=size,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        allowSplitting=1,
    )
    story = [Paragraph(html.escape(title), top)]
    story += [
        Paragraph(html.escape(p, quote=False), heading if is_heading(p) else text) for p in body
    ]
    doc.build(story, onFirstPage=furnish, onLaterPages=furnish)
    return int(doc.page)


def _own(face: str) -> str:
    return f"report-{face}"


if __name__ == "__main__":
    print(_report_pdf(*json.loads(sys.stdin.read())))
