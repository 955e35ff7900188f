"""The PDF writer (reportlab): lays out a Memo, deciding nothing about its content.

Footnotes: reportlab has none, so the memo is laid out in passes. Each pass records the
page every note marker lands on; the next pass reserves room at the foot of each page
for its notes. Reserves only grow, so the passes settle, usually after two or three,
and every note is then printed on the page that holds its marker. "Page X of Y" needs
the page count, which the last pass knows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import (
    BalancedColumns,
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from ..model import Branding, Inline, Memo, NoteRef, Span, header_rows, plain_text
from ..model import Paragraph as MemoParagraph
from ..scripts import RTL_RUN, needs_fallback, visual_runs
from . import pdf_fonts

_ACCENT: ContextVar[str] = ContextVar("accent", default="#1f3a5f")  # links of this memo
BANNER = colors.HexColor("#8a1c1c")
RULE = colors.HexColor("#9fb0c4")
SAFE_SCHEMES = ("http://", "https://", "mailto:")
MAX_PASSES = 6
MARGIN = 20 * mm
NOTE_CALLBACK = "briefgen_note"


@dataclass
class _Look:
    """Sizes of one layout: the policy memo, or the compact one-page memo."""

    body: float
    leading: float
    space: float
    heading: float
    title: float
    note: float


LOOKS = {
    "policy-memo": _Look(body=10.5, leading=14.2, space=5, heading=12.5, title=19, note=8.4),
    "one-page": _Look(body=9.4, leading=12.0, space=2.6, heading=10.6, title=15, note=7.4),
}


class PageCount(int):
    """A PDF's page count, with how many body lines its last page holds."""

    last_page_lines: int = 0


def write_pdf(memo: Memo, path: Path) -> int:
    """Write `memo` as a PDF to `path`; return its page count (a PageCount)."""
    pdf_fonts.register()
    styles = _styles(LOOKS[memo.layout], memo.branding)
    _ACCENT.set(memo.branding.accent)
    reserves: dict[int, float] = {}
    total = 0
    for _ in range(MAX_PASSES):
        doc = _MemoDoc(path, memo, styles, reserves, total)
        doc.build(_story(memo, styles))
        total = doc.page
        if all(doc.needed.get(p, 0) <= reserves.get(p, 0) + 0.5 for p in doc.needed) and (
                doc.total_known == total):
            break
        for page, height in doc.needed.items():
            reserves[page] = max(reserves.get(page, 0.0), height)
    count = PageCount(total)
    frame = doc.pageTemplate.frames[0]
    used = frame._y2 - frame._y + doc.needed.get(total, 0.0)
    count.last_page_lines = max(1, round(used / styles["body"].leading))
    return count


# --- styles ------------------------------------------------------------------------------


def _styles(look: _Look, brand: Branding) -> dict[str, ParagraphStyle]:
    serif, sans = pdf_fonts.family(brand.body_font), pdf_fonts.family(brand.heading_font)
    accent = colors.HexColor(brand.accent)
    base = ParagraphStyle("body", fontName=serif, fontSize=look.body, leading=look.leading,
                          spaceAfter=look.space, alignment=TA_LEFT, splitLongWords=1,
                          bulletFontName=serif)
    small = look.note
    return {
        "body": base,
        "org": ParagraphStyle("org", base, fontName=sans, fontSize=small + 0.6,
                              textColor=colors.HexColor("#555555"), spaceAfter=2),
        "title": ParagraphStyle("title", base, fontName=f"{sans}-Bold", fontSize=look.title,
                                leading=look.title * 1.2, textColor=accent,
                                spaceAfter=look.space * 1.5),
        "label": ParagraphStyle("label", base, fontName=f"{sans}-Bold", fontSize=small + 0.6,
                                leading=look.leading * 0.95, spaceAfter=0),
        "field": ParagraphStyle("field", base, leading=look.leading * 0.95, spaceAfter=0),
        "heading": ParagraphStyle("heading", base, fontName=f"{sans}-Bold",
                                  fontSize=look.heading, leading=look.heading * 1.3,
                                  textColor=accent, spaceBefore=look.space * 2.2,
                                  spaceAfter=look.space, keepWithNext=1),
        "claim": ParagraphStyle("claim", base, leftIndent=12, bulletIndent=2,
                                spaceAfter=look.space * 0.6),
        "quote": ParagraphStyle("quote", base, fontName=f"{serif}-Italic", fontSize=small + 0.8,
                                leading=(small + 0.8) * 1.3, leftIndent=24,
                                textColor=colors.HexColor("#333333"), spaceAfter=2),
        "remark": ParagraphStyle("remark", base, fontName=sans, fontSize=small + 0.2,
                                 leading=(small + 0.2) * 1.3, leftIndent=24,
                                 textColor=colors.HexColor("#444444"), spaceAfter=2),
        "note": ParagraphStyle("note", base, fontSize=small, leading=small * 1.28,
                               leftIndent=12, firstLineIndent=-12, spaceAfter=1.2),
        "bib": ParagraphStyle("bib", base, fontSize=small + 0.6, leading=(small + 0.6) * 1.3,
                              leftIndent=18, firstLineIndent=-18, spaceAfter=2),
    }


# --- the story: what flows down the pages ------------------------------------------------


def _story(memo: Memo, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    head = memo.header
    story: list[Flowable] = []
    if head.organisation:
        story.append(Paragraph(_text(head.organisation.upper()), st["org"]))
    story.append(_Heading(_text(head.title), st["title"], outline=None))
    story.append(_header_table(memo, st))
    story.append(_Rule())
    for i, section in enumerate(memo.sections):
        heading = [_Heading(_text(section.title), st["heading"], outline=f"s{i}")
                   ] if section.title else []
        blocks = [_block(block, st) for block in section.blocks] or [[]]
        # a heading never ends a page: it travels with the first paragraph under it
        story.append(KeepTogether([*heading, *blocks[0]]))
        story += [KeepTogether(parts) for parts in blocks[1:]]
    if memo.notes and memo.note_placement == "endnotes":
        story.append(_Heading("Notes", st["heading"], outline="notes"))
        notes = [_note_paragraph(n.number, n.content, st["note"]) for n in memo.notes]
        if memo.layout == "one-page" and len(notes) > 4:
            story.append(BalancedColumns(notes, nCols=2, spaceBefore=0, innerPadding=10))
        else:
            story += notes
    if memo.bibliography:
        story.append(_Heading(_text(memo.bibliography_title), st["heading"],
                              outline="bibliography"))
        story += [Paragraph(_inlines(b.content), st["bib"]) for b in memo.bibliography]
    if memo.summary:
        story.append(_Heading("Source summary", st["heading"], outline="summary"))
        story += [Paragraph(_text(line), st["body"]) for line in memo.summary]
    return story


def _header_table(memo: Memo, st: dict[str, ParagraphStyle]) -> Table:
    cells = [[Paragraph(label, st["label"]), Paragraph(_text(value), st["field"])]
             for label, value in header_rows(memo.header)]
    if memo.layout == "one-page":  # two fields a row: the header takes half the height
        pairs = [cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""])
                 for i in range(0, len(cells), 2)]
        table = Table(pairs, colWidths=[18 * mm, 66 * mm, 18 * mm, None], hAlign="LEFT")
    else:
        table = Table(cells, colWidths=[24 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), st["field"].fontName, 10),  # the default is Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _block(block: MemoParagraph, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Return the flowables of one paragraph: its text, quotes and remarks."""
    mark = f"<b>({_text(block.portion)})</b> " if block.portion else ""
    if block.new:
        mark += '<font color="#8a1c1c" size="-1"><b>NEW</b></font> '
    body = mark + _inlines(block.content)
    if block.confidence:
        body += f" <i>({_text(block.confidence)})</i>"
    style = st["claim"] if block.kind == "claim" else st["body"]
    bullet = "•" if block.kind == "claim" else None
    logical = _logical(block)
    parts: list[Flowable] = [_Para(body, style, logical, bulletText=bullet)]
    parts += [_Para(f"“{_text(q.text)}” — {_text(q.attribution)}", st["quote"],
                    f"“{q.text}” — {q.attribution}") for q in block.quotes]
    parts += [_Para(_inlines(r), st["remark"], plain_text(r)) for r in block.remarks]
    return parts


def _logical(block: MemoParagraph) -> str:
    """Return a paragraph's text in logical order, as a reader would copy it."""
    text = "".join(i.text if isinstance(i, Span) else str(i.number) for i in block.content)
    mark = f"({block.portion}) " if block.portion else ""
    mark += "NEW " if block.new else ""
    bullet = "• " if block.kind == "claim" else ""
    tail = f" ({block.confidence})" if block.confidence else ""
    return f"{bullet}{mark}{text}{tail}"


def _note_paragraph(number: int, content: list[Span], style: ParagraphStyle) -> Paragraph:
    return _Para(f'<a name="note-{number}"/>{number}.&#160;{_inlines(list(content))}',
                 style, f"{number}. {plain_text(list(content))}")


# --- inline markup: every user string escaped ---------------------------------------------


def _text(text: str | None) -> str:
    """Return user text escaped for reportlab's markup, other scripts in their font.

    Right-to-left runs come in visual word order (see scripts.visual_runs) and, like
    characters Noto Serif lacks, are set in the fallback font.
    """
    out = []
    for piece, _logical, rtl in visual_runs(text or ""):
        if rtl:
            out.append(f'<font name="{pdf_fonts.FALLBACK}">{escape(piece)}</font>')
            continue
        for fallback, chars in groupby(piece, key=needs_fallback):
            chunk = escape("".join(chars))
            out.append(f'<font name="{pdf_fonts.FALLBACK}">{chunk}</font>' if fallback
                       else chunk)
    return "".join(out)


def _shaped(style: ParagraphStyle, text: str) -> ParagraphStyle:
    """Return `style` with HarfBuzz shaping when `text` holds right-to-left script."""
    if not RTL_RUN.search(text):
        return style
    return ParagraphStyle(f"{style.name}-shaped", style, shaping=1)


def _Para(markup: str, style: ParagraphStyle, logical: str = "", **kwargs: Any) -> Paragraph:
    """Return a paragraph, shaped by HarfBuzz when its text holds right-to-left script.

    Right-to-left runs are drawn in visual order, as PDF text usually is; extraction tools
    (pdftotext, pypdf) turn them back into logical order.
    """
    return Paragraph(markup, _shaped(style, logical), **kwargs)


def _inlines(content: Sequence[Inline]) -> str:
    out = []
    for item in content:
        if isinstance(item, NoteRef):
            # onDraw tells the document which page the marker lands on (footnotes)
            out.append(f'<a href="#note-{item.number}" color="{_ACCENT.get()}">'
                       f'<super>{item.number}</super></a>'
                       f'<onDraw name="{NOTE_CALLBACK}" label="{item.number}"/>')
        else:
            out.append(_span(item))
    return "".join(out)


def _span(span: Span) -> str:
    text = _text(span.text)
    if span.url and span.url.lower().startswith(SAFE_SCHEMES):
        # a break chance after each slash, so long addresses wrap instead of overflowing
        text = re.sub(r"(/+)", "\\1<wbr/>", text) if len(span.text) > 40 else text
        url = escape(span.url, {'"': "&quot;"})
        text = f'<a href="{url}" color="{_ACCENT.get()}">{text}</a>'
    if span.italic:
        text = f"<i>{text}</i>"
    if span.bold:
        text = f"<b>{text}</b>"
    return text


# --- flowables ---------------------------------------------------------------------------


class _Heading(Paragraph):
    """A heading that adds an outline entry (a PDF bookmark) where it lands."""

    def __init__(self, text: str, style: ParagraphStyle, outline: str | None) -> None:
        super().__init__(text, style)
        self.outline_key = outline
        self.plain = re.sub(r"<[^>]+>", "", text)


class _Rule(Flowable):
    """A thin accent rule under the header block."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 9

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor(_ACCENT.get()))
        self.canv.setLineWidth(1.4)
        self.canv.line(0, 5, self.width, 5)


# --- the document: pages, banner, running header, footnotes ----------------------------------


@dataclass
class _PageNotes:
    """The notes whose markers landed on one page."""

    numbers: list[int] = field(default_factory=list)


class _MemoDoc(BaseDocTemplate):
    """One layout pass of the memo."""

    def __init__(self, path: Path, memo: Memo, styles: dict[str, ParagraphStyle],
                 reserves: dict[int, float], total_known: int) -> None:
        size = A4 if memo.page_size == "A4" else LETTER
        super().__init__(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN + 2 * mm,
                         title=memo.header.title, author=memo.header.organisation,
                         subject=memo.header.subject or "", creator="briefgen",
                         keywords=", ".join(memo.header.keywords), invariant=1,
                         initialFontName=styles["body"].fontName)  # never a standard-14 font
        self.memo = memo
        self.styles = styles
        self.reserves = reserves
        self.total_known = total_known
        self.needed: dict[int, float] = {}
        self.on_page: dict[int, _PageNotes] = {}
        self.notes = {n.number: n for n in memo.notes}
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("memo", [frame], onPage=self._page_begin,
                                            onPageEnd=self._page_end)])

    # hooks called by reportlab

    def beforeDocument(self) -> None:
        _metadata(self.canv, self.memo)
        self.canv.setNamedCB(NOTE_CALLBACK, self._marker_drawn)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading) and flowable.outline_key:
            key = f"{flowable.outline_key}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.plain, key, level=0)

    def _marker_drawn(self, canv: Any, kind: str, label: str) -> None:
        """Record that note `label`'s marker was drawn on the current page."""
        number = int(label)
        if self.memo.note_placement == "footnotes" and number in self.notes:
            numbers = self.on_page.setdefault(self.page, _PageNotes()).numbers
            if number not in numbers:
                numbers.append(number)

    def _page_begin(self, canv: Any, doc: Any) -> None:
        reserve = self.reserves.get(self.page, 0.0)
        frame = self.pageTemplate.frames[0]
        frame._y1 = self.bottomMargin + reserve
        frame._height = self.height - reserve
        frame._geom()
        self._decorate(canv)

    def _page_end(self, canv: Any, doc: Any) -> None:
        numbers = self.on_page.get(self.page, _PageNotes()).numbers
        if numbers:
            self.needed[self.page] = self._draw_footnotes(canv, numbers)

    def _decorate(self, canv: Any) -> None:
        """Draw the banner top and bottom, the running header and the page numbers."""
        width, height = self.pagesize
        canv.saveState()
        canv.setFillColor(BANNER)
        sans = self.styles["label"].fontName
        canv.setFont(sans, 9)
        canv.drawCentredString(width / 2, height - 10 * mm, self.memo.banner)
        canv.drawCentredString(width / 2, 8 * mm, self.memo.banner)
        canv.setFillColor(colors.HexColor("#666666"))
        canv.setFont(self.styles["org"].fontName, 7.5)
        if self.page > 1:
            canv.drawString(MARGIN, height - 15.5 * mm, self.memo.header.title)
        canv.drawString(MARGIN, 13 * mm, self.memo.header.organisation)
        total = self.total_known or "?"
        canv.drawRightString(width - MARGIN, 13 * mm, f"Page {self.page} of {total}")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(MARGIN, 16.5 * mm, width - MARGIN, 16.5 * mm)
        if self.page == 1 and self.memo.branding.logo:
            _draw_logo(canv, self.memo.branding.logo, width - MARGIN, height - 22 * mm)
        canv.restoreState()

    def _draw_footnotes(self, canv: Any, numbers: list[int]) -> float:
        """Draw the notes at the foot of the page; return the height they need."""
        style = self.styles["note"]
        paras = [_note_paragraph(n, self.notes[n].content, style) for n in numbers]
        heights = [p.wrap(self.width, self.height)[1] + style.spaceAfter for p in paras]
        needed = sum(heights) + 10
        y = self.bottomMargin + needed - 6
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(self.leftMargin, y + 2, self.leftMargin + 50 * mm, y + 2)
        canv.restoreState()
        for para, h in zip(paras, heights, strict=True):
            y -= h
            para.drawOn(canv, self.leftMargin, y + style.spaceAfter)
        return needed


LOGO_HEIGHT = 13 * mm


def _draw_logo(canv: Any, path: str, right: float, bottom: float) -> None:
    """Draw the logo with its right edge at `right`, LOGO_HEIGHT high."""
    if path.lower().endswith(".svg"):
        from reportlab.graphics import renderPDF
        from svglib.svglib import svg2rlg

        drawing = svg2rlg(path)
        if drawing is None or not drawing.height:
            return
        scale = LOGO_HEIGHT / drawing.height
        drawing.scale(scale, scale)
        renderPDF.draw(drawing, canv, right - drawing.width * scale, bottom)
        return
    from reportlab.lib.utils import ImageReader

    image = ImageReader(path)
    w, h = image.getSize()
    width = LOGO_HEIGHT * w / h
    canv.drawImage(image, right - width, bottom, width, LOGO_HEIGHT, mask="auto")


def _metadata(canv: Any, memo: Memo) -> None:
    """Set the document's language, dates and briefgen's manifest."""
    doc = canv._doc
    doc.Catalog.Lang = pdfdoc.PDFString(memo.language)
    date = dt.date.fromisoformat(memo.header.iso_date) if memo.header.iso_date else None
    if date is not None:
        doc._timeStamp = _TimeStamp(date)
    if memo.manifest:
        import json

        doc.info = _Info(doc.info, json.dumps(memo.manifest, sort_keys=True))


class _TimeStamp:
    """A fixed time stamp (the memo date), so the same memo gives the same bytes."""

    def __init__(self, date: dt.date) -> None:
        moment = dt.datetime(date.year, date.month, date.day)
        self.t = moment.timestamp()
        self.lt = moment.timetuple()
        self.tzname = "Z"
        self.dhh = 0
        self.dmm = 0
        self.YMDhms = tuple(moment.timetuple())[:6]


class _Info(pdfdoc.PDFInfo):
    """The document information dictionary, with briefgen's manifest added."""

    def __init__(self, base: pdfdoc.PDFInfo, manifest: str) -> None:
        super().__init__()
        self.__dict__.update(base.__dict__)
        self.manifest = manifest

    def format(self, document: Any) -> bytes:
        date = pdfdoc.PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        entries = {
            "Title": pdfdoc.PDFString(self.title), "Author": pdfdoc.PDFString(self.author),
            "CreationDate": date, "ModDate": date,
            "Producer": pdfdoc.PDFString(self.producer),
            "Creator": pdfdoc.PDFString(self.creator),
            "Subject": pdfdoc.PDFString(self.subject),
            "Keywords": pdfdoc.PDFString(self.keywords),
            "Trapped": pdfdoc.PDFName(self.trapped),
            "BriefgenManifest": pdfdoc.PDFString(self.manifest),
        }
        return pdfdoc.PDFDictionary(entries).format(document)
