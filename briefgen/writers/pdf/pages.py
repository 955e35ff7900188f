"""The pages of a PDF memo: footnotes beside their markers, banner, running header, numbers.

Footnotes: reportlab has none, so the body frame makes room for them itself. Before it
places a flowable it asks which note markers the flowable holds and places it only if
the flowable *and* the notes it adds fit above the page's bottom margin; the notes are
drawn when the page ends. Every note is so printed on the page of its marker in a single
layout pass, and a page is filled as far as its notes allow. A paragraph whose notes do
not fit either splits, where its first part fits with its own notes, or moves on.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate, Paragraph

from ...model import Layout, Memo
from .. import measure
from . import contents as pdf_contents
from . import text as pdf_text
from .footnotes import NOTE_CALLBACK, RULE, FootnoteFrame, PageNotes

BANNER = colors.HexColor("#8a1c1c")
GREY = colors.HexColor("#666666")
MARGIN = measure.MARGIN * mm


@dataclass(frozen=True)
class _Fonts:
    """The faces of the page furniture: the heading family, regular and bold."""

    regular: str
    bold: str


class PageCount(int):
    """A PDF's page count, with how many body lines its last page holds and its layout."""

    last_page_lines: int = 0
    layout: Layout | None = None


# --- the document --------------------------------------------------------------------------


class MemoDoc(BaseDocTemplate):
    """One layout pass of a memo: pages, their furniture, footnotes and outline."""

    def __init__(
        self,
        out: str | IO[bytes],
        memo: Memo,
        styles: dict[str, ParagraphStyle],
        footnotes: dict[int, Paragraph],
        contents: list[str],
    ) -> None:
        super().__init__(
            out,
            pagesize=A4 if memo.page_size == "A4" else LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=measure.TOP * mm,
            bottomMargin=measure.BOTTOM * mm,
            title=memo.header.title,
            author=memo.header.organisation,
            subject=memo.header.subject or "",
            creator="briefgen",
            keywords=", ".join(memo.header.keywords),
            lang=memo.language,
            invariant=1,
            initialFontName=styles["body"].fontName,
        )  # never a standard-14 font
        self.memo = memo
        self.fonts = _Fonts(styles["org"].fontName, styles["label"].fontName)
        self.body_style = styles["body"]  # the contents' page numbers are set in it
        self.heading_pages: dict[str, int] = {}  # outline key -> the page it lands on
        self.contents = contents  # the outline keys of the headings the contents list
        self.measuring = False  # laid out for its layout alone: nothing is written
        self.pages = 0  # pages drawn so far; "Page X of Y" is filled in when all are
        self.notes = PageNotes(footnotes, self.width)
        self.markers: set[int] = set()  # the notes whose markers this page shows
        self.used_height = 0.0  # of the last page's body, notes included
        frame = FootnoteFrame(
            self.notes,
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [PageTemplate("memo", [frame], onPage=self._page_begin, onPageEnd=self._page_end)]
        )

    def build(self, flowables: list[Flowable]) -> None:  # type: ignore[override]
        """Lay the memo out in one pass; the page numbers are written as it is saved."""
        super().build(flowables, canvasmaker=self._canvas)

    def _canvas(self, *args: Any, **kwargs: Any) -> Canvas:
        canv = _NumberingCanvas(*args, **kwargs)
        canv.before_save = self._number_pages
        canv.discard = self.measuring
        return canv

    def _number_pages(self, canv: Canvas) -> None:
        """Write each page's "Page X of Y", drawn on the page as a form named for it, and
        the contents' page numbers."""
        width = self.pagesize[0]
        for page in range(1, self.pages + 1):
            canv.beginForm(_page_number_form(page))
            canv.setFillColor(GREY)
            canv.setFont(self.fonts.regular, 7.5)
            canv.drawRightString(
                width - MARGIN, 13 * mm, self.memo.words.page.format(page=page, pages=self.pages)
            )
            canv.endForm()
        if self.contents:
            pdf_contents.draw_numbers(canv, self.contents_pages(self.contents), self.body_style)

    def contents_pages(self, keys: list[str]) -> dict[str, int]:
        """Return the page of each heading of `keys`, once laid out.

        A heading reportlab split over two pages is a new paragraph, without its key;
        it is given the page of the heading before it (it starts at that page's end
        or after it).
        """
        pages, last = {}, 1
        for key in keys:
            last = pages[key] = self.heading_pages.get(key, last)
        return pages

    def beforeDocument(self) -> None:
        """Set the metadata reportlab has no argument for; listen for note markers."""
        _metadata(self.canv, self.memo)
        self.canv.setNamedCB(NOTE_CALLBACK, self._marker_drawn)
        self.canv.setNamedCB(pdf_text.BIDI_CALLBACK, pdf_text.bidi_callback)
        self.canv.setNamedCB(pdf_text.TEXT_CALLBACK, pdf_text.text_callback)

    def afterFlowable(self, flowable: Flowable) -> None:
        """Add a bookmark where a heading that asks for one lands, and note its page.

        The bookmark is the heading's top (the frame's next line is its foot): outline
        and contents take the reader to the heading, not to the top of its page.
        """
        key = getattr(flowable, "outline_key", None)
        if key:
            self.heading_pages.setdefault(key, self.page)
            top = self.frame._y + flowable.height
            self.canv.bookmarkHorizontal(key, 0, top + flowable.style.fontSize * 0.5)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=0)

    def _marker_drawn(self, canv: Any, kind: str, label: str) -> None:
        self.markers.add(int(label))

    def _page_begin(self, canv: Any, doc: Any) -> None:
        self.notes.numbers = []
        self.markers = set()
        _draw_head(canv, self)

    def _page_end(self, canv: Any, doc: Any) -> None:
        # drawn in reading order, so text extraction gives head, body, notes, foot
        self._check_notes()
        frame = self.pageTemplate.frames[0]
        self.used_height = frame._y2 - frame._y + self.notes.height()
        self.notes.draw(canv, self.leftMargin, self.bottomMargin)
        _draw_foot(canv, self)

    def _check_notes(self) -> None:
        """Fail loudly if a marker on this page has no room kept for its footnote."""
        lost = sorted(self.notes.new(self.markers))
        if lost:
            raise RuntimeError(f"PDF writer: notes {lost} lost their place on page {self.page}")


def _draw_head(canv: Any, doc: MemoDoc) -> None:
    """Draw the banner at the top and, after the first page, the running header."""
    width, height = doc.pagesize
    canv.saveState()
    _draw_text(
        canv, doc.memo.banner, width / 2, height - 10 * mm, doc.fonts.bold, 9, BANNER, centred=True
    )
    if doc.page > 1:  # the first page carries the title in full
        title = _fit(doc.memo.header.title, width - 2 * MARGIN, doc.fonts.regular)
        _draw_text(canv, title, MARGIN, height - 15.5 * mm, doc.fonts.regular, 7.5, GREY)
    elif doc.memo.branding.logo:
        _draw_logo(canv, doc.memo.branding.logo, width - MARGIN, height - 22 * mm)
    canv.restoreState()


def _draw_foot(canv: Any, doc: MemoDoc) -> None:
    """Draw the footer rule, organisation, "Page X of Y" and the banner at the bottom."""
    width = doc.pagesize[0]
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.4)
    canv.line(MARGIN, 16.5 * mm, width - MARGIN, 16.5 * mm)
    room = (width - 2 * MARGIN) * 0.7
    _draw_text(
        canv,
        _fit(doc.memo.header.organisation, room, doc.fonts.regular),
        MARGIN,
        13 * mm,
        doc.fonts.regular,
        7.5,
        GREY,
    )
    doc.pages = max(doc.pages, doc.page)
    canv.setFillColor(GREY)
    canv.doForm(_page_number_form(doc.page))  # "Page X of Y", written once Y is known
    _draw_text(canv, doc.memo.banner, width / 2, 8 * mm, doc.fonts.bold, 9, BANNER, centred=True)
    canv.restoreState()


class _NumberingCanvas(Canvas):
    """A canvas that calls `before_save` first: the page count is known by then, so
    "Page X of Y" needs no second layout pass."""

    before_save: Any = None
    discard = False  # a layout only measured: the pages are laid out, no file made

    def save(self) -> None:
        if self.discard:
            return
        if self.before_save is not None:
            self.before_save(self)
        super().save()


def _page_number_form(page: int) -> str:
    return f"briefgen-page-{page}"


def _draw_text(
    canv: Any,
    text: str,
    x: float,
    y: float,
    font: str,
    size: float,
    colour: Any,
    centred: bool = False,
) -> None:
    """Draw one line of user text on its baseline `y`, left at `x` or centred on it.

    Text the memo's own font holds, left to right, is drawn as a string; other text as a
    one-line paragraph, so that it gets its fonts, shaping and right-to-left order.
    """
    room = canv._pagesize[0] - 2 * MARGIN
    if centred:  # a banner is shown whole: a long marking is set smaller
        size = min(size, size * room / max(1.0, stringWidth(text, font, size)))
    canv.setFillColor(colour)
    canv.setFont(font, size)
    if pdf_text.plain(text):
        (canv.drawCentredString if centred else canv.drawString)(x, y, text)
        return
    style = ParagraphStyle(
        "furniture",
        fontName=font,
        fontSize=size,
        leading=size,
        textColor=colour,
        alignment=TA_CENTER if centred else TA_LEFT,
    )
    line = pdf_text.paragraph(pdf_text.markup([(text, str)]), style)
    line.wrap(room, 10 * size)
    line.drawOn(canv, MARGIN if centred else x, y)


def _fit(text: str, room: float, font: str, size: float = 7.5) -> str:
    """Return `text` cut with an ellipsis so it fits `room` points on one line."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[: max(0, min(len(text) - 1, int(len(text) * 0.9)))]
    return text.rstrip() + "…"


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


# --- metadata --------------------------------------------------------------------------------


def _metadata(canv: Any, memo: Memo) -> None:
    """Date the document by the memo, not the clock, store briefgen's manifest, and
    have readers show the title."""
    doc = canv._doc
    if memo.header.iso_date:
        doc._timeStamp = _TimeStamp(dt.date.fromisoformat(memo.header.iso_date))
    if memo.manifest:
        doc.info = _Info(doc.info, json.dumps(memo.manifest, sort_keys=True))
    doc.Catalog.Metadata = pdfdoc.XMP(creator=lambda _doc: _xmp(memo))
    # a reader's window and tab show the memo's title, not its file name
    canv.setViewerPreference("DisplayDocTitle", "true")


def _xmp(memo: Memo) -> str:
    """Return the XMP packet naming the memo's title and language: readers that take
    the language from XMP (PDF/UA checkers, assistive software) rather than /Lang."""
    title, language = escape(memo.header.title), escape(memo.language)
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    )
    # reportlab counts the stream's length in characters: keep to ASCII, others as
    # references; so the packet says UTF-8 by an empty `begin`, as XMP allows, not a BOM
    return packet.encode("ascii", "xmlcharrefreplace").decode("ascii")


class _TimeStamp:
    """A fixed time stamp (the memo date, midnight UTC): same memo, same bytes."""

    def __init__(self, date: dt.date) -> None:
        moment = dt.datetime(date.year, date.month, date.day)
        self.t = calendar.timegm(moment.timetuple())
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
        """Return reportlab's entries plus `BriefgenManifest`."""
        date = pdfdoc.PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        entries = {
            "Title": pdfdoc.PDFString(self.title),
            "Author": pdfdoc.PDFString(self.author),
            "CreationDate": date,
            "ModDate": date,
            "Producer": pdfdoc.PDFString(self.producer),
            "Creator": pdfdoc.PDFString(self.creator),
            "Subject": pdfdoc.PDFString(self.subject),
            "Keywords": pdfdoc.PDFString(self.keywords),
            "Trapped": pdfdoc.PDFName(self.trapped),
            "BriefgenManifest": pdfdoc.PDFString(self.manifest),
        }
        return pdfdoc.PDFDictionary(entries).format(document)


def count_lines(doc: MemoDoc, leading: float) -> int:
    """Return about how many body lines the last page of `doc` holds."""
    return max(1, round(doc.used_height / leading))
