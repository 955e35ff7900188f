"""The PDF's contents list: each heading, a dot leader and its page, a link to the heading.

The page numbers are known only once the memo is laid out, so each entry draws a form
named for its heading, and the forms are written when the document is saved, as "Page X
of Y" is (pages.MemoDoc): one layout pass, and the numbers take no room that could move
a line. The number's column is as wide as NUMBER_ROOM, whatever the number.
"""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

NUMBER_ROOM = 28.0  # points kept right of a heading for the leader's end and its number
LEADER = "."
LEADER_STEP = 4.0  # points between dots, on a grid so that the dots of all lines align


def form_name(key: str) -> str:
    """Return the name of the form that shows the page of heading `key`."""
    return f"briefgen-contents-{key}"


class Entry(Flowable):
    """One entry: the heading's text (wrapped, as long as it is), leader, page number."""

    def __init__(self, para: Paragraph, key: str) -> None:
        super().__init__()
        self.para = para
        self.key = key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.para.wrap(avail_width - NUMBER_ROOM, avail_height)[1]
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Split a heading too long for the page: its last part carries the number."""
        parts = self.para.split(avail_width - NUMBER_ROOM, avail_height)
        if len(parts) < 2:
            return []
        return [*parts[:-1], Entry(parts[-1], self.key)]

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.para.getSpaceAfter())

    def draw(self) -> None:
        canv, para = self.canv, self.para
        style = para.style
        para.drawOn(canv, 0, 0)
        widths = para.getActualLineWidths0()
        lines = len(widths)
        # the first line's baseline, as reportlab puts it (a line of fragments, in
        # several fonts, has its own size and ascent)
        first = para.blPara.lines[0] if para.blPara.kind else para.blPara
        if rl_config.paraFontSizeHeightOffset:
            ascent = first.fontSize
        else:
            ascent = getattr(first, "ascent", first.fontSize)
        baseline = self.height - ascent - (lines - 1) * style.leading
        end = self.width - 18  # clear of a number of two digits
        start = (int((widths[-1] if widths else 0) / LEADER_STEP) + 2) * LEADER_STEP
        canv.saveState()
        canv.setFillColor(style.textColor)
        dots = int((end - start) / LEADER_STEP)
        if dots > 0:  # one run of dots, spaced: a text layer reads one leader
            leader = canv.beginText(start, baseline)
            leader.setFont(style.fontName, style.fontSize)
            leader.setCharSpace(LEADER_STEP - stringWidth(LEADER, style.fontName, style.fontSize))
            leader.textOut(LEADER * dots)
            canv.drawText(leader)
        canv.translate(self.width, baseline)
        canv.doForm(form_name(self.key))
        canv.restoreState()
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


def draw_numbers(canv: Any, pages: dict[str, int], style: ParagraphStyle) -> None:
    """Write the forms that show each heading's page, right-aligned on their origin."""
    for key, page in pages.items():
        canv.beginForm(form_name(key), -NUMBER_ROOM, -style.fontSize, 0, style.fontSize * 2)
        canv.setFont(style.fontName, style.fontSize)
        canv.setFillColor(style.textColor)
        canv.drawRightString(0, 0, str(page))
        canv.endForm()
