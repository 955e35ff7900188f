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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.paragraph import ParaLines, _processed_frags

from ...model import Memo
from . import text as pdf_text

NOTE_CALLBACK = "briefgen_note"  # the onDraw name that tags a note marker in markup
BANNER = colors.HexColor("#8a1c1c")
GREY = colors.HexColor("#666666")
RULE = colors.HexColor("#9fb0c4")
MARGIN = 20 * mm
RULE_ABOVE, RULE_BELOW = 9.0, 5.0  # space around the short rule over the footnotes


@dataclass(frozen=True)
class _Fonts:
    """The faces of the page furniture: the heading family, regular and bold."""

    regular: str
    bold: str


class PageCount(int):
    """A PDF's page count, with how many body lines its last page holds."""

    last_page_lines: int = 0


# --- which notes a flowable holds ------------------------------------------------------------


def note_numbers(flowable: Flowable) -> list[int]:
    """Return the numbers of the note markers in `flowable`, in order, each once."""
    if isinstance(flowable, Paragraph):
        return list(dict.fromkeys(_markers(flowable)))
    content = getattr(flowable, "_content", None) or []  # KeepTogether and its kin
    return list(dict.fromkeys(n for part in content for n in note_numbers(part)))


def _markers(para: Paragraph) -> list[int]:
    """Return the note numbers of the markers in `para`, in order, as often as they occur.

    Asked again at every placement try, so remembered (or handed on by `_hand_on`): a
    paragraph's text never changes, though wrapping it makes its fragments anew."""
    known = para.__dict__.get("_briefgen_notes")
    if known is None:
        known = para.__dict__["_briefgen_notes"] = list(_marker_labels(para.frags))
    return known


def _hand_on(whole: Paragraph, parts: list[Flowable]) -> None:
    """Give the second part of a split paragraph the markers the first did not take.

    The first part is the start of the paragraph, so it holds the first markers; the
    rest are the second's. Reading them from its fragments instead would read the rest
    of the paragraph again at every page it runs over: a long paragraph's time would
    grow with the square of its length."""
    if len(parts) == 2 and all(isinstance(p, Paragraph) for p in parts):
        first, rest = parts
        markers = _markers(whole)
        rest.__dict__["_briefgen_notes"] = markers[len(_markers(first)) :]
        _hand_on_lines(whole, first, rest)


def _hand_on_lines(whole: Paragraph, first: Paragraph, rest: Paragraph) -> None:
    """Give the second part of a split paragraph the lines the whole was broken into.

    reportlab breaks the second part's lines again when it is placed, the whole rest of
    the paragraph at every page it runs over. They come out the same (line breaking is
    greedy and the width the same: the frame's, the first line's indent dropped), so
    the whole's are taken, their first words counted from the second part's start; and
    the writer's paragraphs (pdf_text.TextParagraph) keep lines made for a width
    (`_wrapped`).
    """
    lines = whole.__dict__.get("blPara")
    wrapped = whole.__dict__.get("_wrapped")
    if (
        lines is None
        or lines.kind != 1
        or wrapped is None
        or "blPara" not in first.__dict__
        or not _processed_frags(rest.frags)
        or getattr(rest.style, "autoLeading", "") not in ("", "off")
    ):  # height by lines
        return
    own = lines.lines[len(first.blPara.lines) :]
    if not own or wrapped[1] is not lines:
        return
    start = own[0].sFW
    for line in own:
        line.sFW -= start  # where its words start in the second part's fragments
    width = wrapped[0]
    rest.blPara = ParaLines(kind=1, lines=own)
    rest.width, rest.height = width, len(own) * rest.style.leading
    rest.__dict__["_wrapped"] = (width, rest.blPara, (width, rest.height))


def _marker_labels(frags: Iterable[Any]) -> Iterator[int]:
    """Yield the note numbers tagged in paragraph fragments, however reportlab nests them."""
    for item in frags:
        # once wrapped or split, a paragraph holds its fragments nested in lists
        if isinstance(item, list | tuple):
            yield from _marker_labels(item)
            continue
        callback: Any = getattr(item, "cbDefn", None)
        if getattr(callback, "name", None) == NOTE_CALLBACK:
            yield int(callback.label)


# --- the notes at the foot of the page being laid out ----------------------------------------


class PageNotes:
    """The footnotes of the page being laid out: their numbers, height and drawing."""

    def __init__(self, paragraphs: dict[int, Paragraph], width: float) -> None:
        self.paragraphs = paragraphs  # empty for endnotes: then no room is ever kept
        self.width = width
        self.numbers: list[int] = []
        self._heights: dict[int, float] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> PageNotes:
        # reportlab deep-copies the frame to measure a KeepTogether; copying every note
        # paragraph each time made long memos crawl, and the copy never changes notes
        return self

    def new(self, numbers: Iterable[int]) -> list[int]:
        """Return those of `numbers` that are footnotes not yet on this page."""
        return [n for n in numbers if n in self.paragraphs and n not in self.numbers]

    def height(self, extra: Iterable[int] = ()) -> float:
        """Return the room this page's notes take, with `extra` notes added."""
        numbers = [*self.numbers, *extra]
        if not numbers:
            return 0.0
        return RULE_ABOVE + RULE_BELOW + sum(self._height(n) for n in numbers)

    def _height(self, number: int) -> float:
        if number not in self._heights:
            para = self.paragraphs[number]
            self._heights[number] = para.wrap(self.width, 10_000)[1] + para.style.spaceAfter
        return self._heights[number]

    def draw(self, canv: Any, x: float, bottom: float) -> None:
        """Draw the rule and the notes upwards from `bottom`, then start a new page."""
        if self.numbers:
            top = bottom + self.height() - RULE_ABOVE
            canv.saveState()
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.line(x, top, x + 45 * mm, top)
            canv.restoreState()
            y = top - RULE_BELOW
            for number in self.numbers:
                y -= self._height(number)
                para = self.paragraphs[number]
                para.wrap(self.width, 10_000)
                para.drawOn(canv, x, y + para.style.spaceAfter)
        self.numbers = []


class FootnoteFrame(Frame):
    """The body frame: it places a flowable only where the notes it adds fit too."""

    def __init__(self, notes: PageNotes, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes = notes

    def add(self, flowable: Flowable, canv: Any, trySplit: int = 0) -> int:  # noqa: N803
        """Place `flowable` if it fits with its new notes; keep those notes for this page."""
        new = self.notes.new(note_numbers(flowable))
        self._lift(self.notes.height(new))
        try:
            placed = super().add(flowable, canv, trySplit)
        finally:
            self._lift(self.notes.height())
        if placed:
            self.notes.numbers += new
        return placed

    def split(self, flowable: Flowable, canv: Any) -> list[Flowable]:
        """Split `flowable` so that what stays on this page fits with its own notes.

        A group (a heading kept with its paragraph) stays whole only where all its notes
        fit too; at the top of a page, where it never will, its parts go one by one.
        """
        new = self.notes.new(note_numbers(flowable))
        low, high = self.notes.height(), self.notes.height(new)
        if isinstance(flowable, Paragraph):
            parts = self._split_paragraph(flowable, canv, low, high)
            _hand_on(flowable, parts)
            return parts
        parts = self._split_above(high, flowable, canv)
        if not parts and self._atTop:
            parts = self._split_above(low, flowable, canv)
        return parts

    def _split_paragraph(
        self, para: Paragraph, canv: Any, low: float, high: float
    ) -> list[Flowable]:
        """Split `para` above the least room that holds the notes of its first part.

        Keeping room for all its notes wastes that of notes whose markers go to the next
        page. The more room is kept, the fewer lines stay and the less room their notes
        need, so bisection finds the least room that is enough; keep too much and no
        line stays at all.
        """
        best = self._split_above(high, para, canv)
        while high - low > 1:
            room = (low + high) / 2
            parts = self._split_above(room, para, canv)
            if not parts or self.notes.height(self.notes.new(note_numbers(parts[0]))) <= room:
                high = room
                best = parts or best
            else:
                low = room
        return best

    def _split_above(self, room: float, flowable: Flowable, canv: Any) -> list[Flowable]:
        """Split `flowable` in the space left when `room` is kept for notes."""
        self._lift(room)
        lines = flowable.__dict__.get("blPara") if isinstance(flowable, Paragraph) else None
        try:
            return super().split(flowable, canv)
        finally:
            self._lift(self.notes.height())
            if lines is not None and "blPara" not in flowable.__dict__:
                # no room: reportlab drops the lines, to break them again at the next try
                # at the same width; they are kept for it
                flowable.__dict__["blPara"] = lines

    def _lift(self, height: float) -> None:
        """Raise the frame's usable bottom by `height`, the room kept for notes."""
        self.__dict__["_y1p"] = self._y1 + self._bottomPadding + height


# --- the document --------------------------------------------------------------------------


class MemoDoc(BaseDocTemplate):
    """One layout pass of a memo: pages, their furniture, footnotes and outline."""

    def __init__(
        self,
        out: str | IO[bytes],
        memo: Memo,
        styles: dict[str, ParagraphStyle],
        footnotes: dict[int, Paragraph],
    ) -> None:
        super().__init__(
            out,
            pagesize=A4 if memo.page_size == "A4" else LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 4 * mm,
            bottomMargin=MARGIN + 2 * mm,
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
        return canv

    def _number_pages(self, canv: Canvas) -> None:
        """Write each page's "Page X of Y", drawn on the page as a form named for it."""
        width = self.pagesize[0]
        for page in range(1, self.pages + 1):
            canv.beginForm(_page_number_form(page))
            canv.setFillColor(GREY)
            canv.setFont(self.fonts.regular, 7.5)
            canv.drawRightString(
                width - MARGIN, 13 * mm, self.memo.words.page.format(page=page, pages=self.pages)
            )
            canv.endForm()

    def beforeDocument(self) -> None:
        """Set the metadata reportlab has no argument for; listen for note markers."""
        _metadata(self.canv, self.memo)
        self.canv.setNamedCB(NOTE_CALLBACK, self._marker_drawn)
        self.canv.setNamedCB(pdf_text.BIDI_CALLBACK, pdf_text.bidi_callback)
        self.canv.setNamedCB(pdf_text.TEXT_CALLBACK, pdf_text.text_callback)

    def afterFlowable(self, flowable: Flowable) -> None:
        """Add a bookmark where a heading that asks for one lands."""
        key = getattr(flowable, "outline_key", None)
        if key:
            self.canv.bookmarkPage(key)
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

    def save(self) -> None:
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
    """Date the document by the memo, not the clock, and store briefgen's manifest."""
    doc = canv._doc
    if memo.header.iso_date:
        doc._timeStamp = _TimeStamp(dt.date.fromisoformat(memo.header.iso_date))
    if memo.manifest:
        doc.info = _Info(doc.info, json.dumps(memo.manifest, sort_keys=True))


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
