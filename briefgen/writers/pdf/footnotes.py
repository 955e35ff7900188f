"""Footnotes in a PDF memo, which reportlab has none of.

The body frame asks each flowable which note markers it holds (`note_numbers`) and
places it only if it and the notes it adds fit above the page's bottom margin
(`FootnoteFrame`); the page's notes (`PageNotes`) are drawn when the page ends. A
paragraph split over two pages hands its markers on to its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, Paragraph
from reportlab.platypus.paragraph import ParaLines, _processed_frags

from .. import measure

NOTE_CALLBACK = "briefgen_note"  # the onDraw name that tags a note marker in markup
RULE = colors.HexColor("#9fb0c4")
RULE_ABOVE, RULE_BELOW = measure.FOOTNOTE_RULE  # space around the short rule over them


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
