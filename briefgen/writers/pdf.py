"""The PDF writer (reportlab): lays out a Memo, deciding nothing about its content.

This module turns the memo into flowables (styles, story, inline markup); `pdf_pages`
lays them out on pages, keeping each footnote on the page of its marker. The memo is
laid out twice: the first pass counts the pages, which "Page X of Y" needs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from html import escape
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BalancedColumns,
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Table,
    TableStyle,
)

from ..model import Branding, Inline, Memo, NoteRef, Section, Span, header_rows, plain_text
from ..model import Paragraph as MemoParagraph
from ..scripts import RTL_RUN, needs_fallback, visual_runs
from . import pdf_fonts
from .pdf_pages import NOTE_CALLBACK, MemoDoc, PageCount, count_lines

_ACCENT: ContextVar[str] = ContextVar("accent", default="#1f3a5f")  # links of this memo
SAFE_SCHEMES = ("http://", "https://", "mailto:")
LONG_BLOCK = 180.0  # points: a heading's first block taller than this may split


@dataclass
class _Look:
    """Sizes of one layout: the policy memo, or the compact one-page memo."""

    body: float
    leading: float
    space: float
    heading: float
    title: float
    note: float  # footnotes
    endnote: float


LOOKS = {
    "policy-memo": _Look(body=10.5, leading=14.2, space=5, heading=12.5, title=19, note=8.4,
                         endnote=9),
    "one-page": _Look(body=9.5, leading=11.9, space=2.4, heading=10.6, title=15, note=7.4,
                      endnote=7.4),
}


def write_pdf(memo: Memo, path: Path) -> int:
    """Write `memo` as a PDF to `path`; return its page count (a PageCount)."""
    pdf_fonts.register()
    styles = _styles(LOOKS[memo.layout], memo.branding)
    _ACCENT.set(memo.branding.accent)
    doc = _build(memo, styles, str(path))
    count = PageCount(doc.page)
    count.last_page_lines = count_lines(doc, styles["body"].leading)
    return count


def _build(memo: Memo, styles: dict[str, ParagraphStyle], out: str | io.BytesIO) -> MemoDoc:
    """Lay the memo out and write it."""
    footnotes = ({n.number: _note_paragraph(n.number, n.content, styles["note"])
                  for n in memo.notes} if memo.note_placement == "footnotes" else {})
    doc = MemoDoc(out, memo, styles, footnotes)
    doc.build(_story(memo, styles, doc.width))
    return doc


# --- styles ------------------------------------------------------------------------------


def _styles(look: _Look, brand: Branding) -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of one layout in the workspace's fonts, by role."""
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
        # the table drops each label to the value's baseline; its leading makes up for it
        "label": ParagraphStyle("label", base, fontName=f"{sans}-Bold", fontSize=small + 0.6,
                                leading=look.leading * 0.95 - (look.body - small - 0.6),
                                spaceAfter=0),
        "field": ParagraphStyle("field", base, leading=look.leading * 0.95, spaceAfter=0),
        "heading": ParagraphStyle("heading", base, fontName=f"{sans}-Bold",
                                  fontSize=look.heading, leading=look.heading * 1.3,
                                  textColor=accent, spaceBefore=look.space * 2.2,
                                  spaceAfter=look.space, keepWithNext=1),
        "claim": ParagraphStyle("claim", base, leftIndent=12, bulletIndent=2,
                                spaceAfter=look.space * 0.6),
        "quote": ParagraphStyle("quote", base, fontSize=small + 0.8,
                                leading=(small + 0.8) * 1.3, leftIndent=24,
                                textColor=colors.HexColor("#333333"), spaceAfter=2),
        "remark": ParagraphStyle("remark", base, fontName=sans, fontSize=small + 0.2,
                                 leading=(small + 0.2) * 1.3, leftIndent=24,
                                 textColor=colors.HexColor("#444444"), spaceAfter=2),
        # the number hangs in the margin of the note, as a bullet: the text lines align
        "note": ParagraphStyle("note", base, fontSize=small, leading=small * 1.28,
                               leftIndent=small * 2.1, bulletIndent=0, bulletFontSize=small,
                               spaceAfter=1.2),
        "endnote": ParagraphStyle("endnote", base, fontSize=look.endnote,
                                  leading=look.endnote * 1.28, leftIndent=look.endnote * 2.1,
                                  bulletIndent=0, bulletFontSize=look.endnote, spaceAfter=1.2),
        "bib": ParagraphStyle("bib", base, fontSize=small + 0.6, leading=(small + 0.6) * 1.3,
                              leftIndent=18, firstLineIndent=-18, spaceAfter=2),
    }


# --- the story: what flows down the pages ------------------------------------------------


def _story(memo: Memo, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """Return the memo's flowables: header, sections, then notes and bibliography."""
    head = memo.header
    story: list[Flowable] = []
    if head.organisation:
        story.append(Paragraph(_text(head.organisation.upper()), st["org"]))
    story.append(_heading(head.title, st["title"]))
    story += _header_table(memo, st)
    story.append(_Rule())
    for i, section in enumerate(memo.sections):
        story += _section(section, f"s{i}", st, width)
    if memo.notes and memo.note_placement == "endnotes":
        story.append(_heading("Notes", st["heading"], outline="notes"))
        notes = [_note_paragraph(n.number, n.content, st["endnote"]) for n in memo.notes]
        if memo.layout == "one-page" and len(notes) > 4:
            story.append(BalancedColumns(notes, nCols=2, spaceBefore=0, innerPadding=10))
        else:
            story += notes
    if memo.bibliography:
        story.append(_heading(memo.bibliography_title, st["heading"], outline="bibliography"))
        story += [Paragraph(_inlines(b.content), st["bib"]) for b in memo.bibliography]
    if memo.summary:
        story.append(_heading("Source summary", st["heading"], outline="summary"))
        story += [Paragraph(_text(line), st["body"]) for line in memo.summary]
    return story


def _section(section: Section, key: str, st: dict[str, ParagraphStyle],
             width: float) -> list[Flowable]:
    """Return a section's flowables; its heading never ends a page.

    The heading travels with the first block under it (a claim with its quotes, or a
    paragraph); a block longer than LONG_BLOCK only needs a few of its lines to follow
    the heading, and may split, rather than leave most of a page blank.
    """
    blocks = [_block(block, st) for block in section.blocks]
    if not section.title:
        return [KeepTogether(parts) for parts in blocks]
    heading = _heading(section.title, st["heading"], outline=key)
    first, rest = (blocks[0], blocks[1:]) if blocks else ([], [])
    if _height(first, width) <= LONG_BLOCK:
        lead: list[Flowable] = [KeepTogether([heading, *first])]
    else:
        heading.keepWithNext = 0  # else reportlab would group it with the whole block again
        need = heading.style.spaceBefore + _height([heading], width) + 4 * st["body"].leading
        lead = [CondPageBreak(need), heading, *first]
    return lead + [KeepTogether(parts) for parts in rest]


def _height(flowables: list[Flowable], width: float) -> float:
    """Return about how tall `flowables` are, one under the other, `width` wide."""
    return sum(f.wrap(width, 1e6)[1] + f.getSpaceAfter() for f in flowables)


def _header_table(memo: Memo, st: dict[str, ParagraphStyle]) -> list[Table]:
    """Return the TO/FROM/DATE block: labels in bold sans, values in the body face."""
    rows = [[Paragraph(_text(label), st["label"]), Paragraph(_text(value), st["field"])]
            for label, value in header_rows(memo.header)]
    if not rows:
        return []
    if memo.layout == "one-page":  # two fields a row: the header takes half the height
        rows = [rows[i] + (rows[i + 1] if i + 1 < len(rows) else ["", ""])
                for i in range(0, len(rows), 2)]
        widths: list[float | None] = [18 * mm, 66 * mm, 18 * mm, None]
    else:
        widths = [24 * mm, None]
    # splitInRow: a value longer than a page continues on the next
    table = Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    # the smaller labels move down, so that label and value share a baseline
    drop = st["field"].fontSize - st["label"].fontSize
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), st["field"].fontName, 10),  # the default is Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        *[("TOPPADDING", (col, 0), (col, -1), drop) for col in range(0, len(widths), 2)],
    ]))
    return [table]


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
    parts += [_Para(f"<i>“{_text(q.text)}”</i> — {_text(q.attribution)}", st["quote"],
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
    """Return note `number` as a paragraph, its number hanging; markers link to it."""
    return _Para(f'<a name="note-{number}"/>{_inlines(list(content))}', style,
                 f"{number}. {plain_text(list(content))}", bulletText=f"{number}.")


# --- inline markup: every user string escaped ---------------------------------------------


def _text(text: str | None) -> str:
    """Return user text escaped for reportlab's markup, other scripts in their font.

    Right-to-left runs come in visual word order (see scripts.visual_runs) and, like
    characters Noto Serif lacks, are set in the fallback font.
    """
    out = []
    for piece, _logical, rtl in visual_runs(text or ""):
        if rtl:
            piece = escape(piece, quote=False)
            out.append(f'<font name="{pdf_fonts.ensure_fallback()}">{piece}</font>')
            continue
        for fallback, chars in groupby(piece, key=needs_fallback):
            chunk = escape("".join(chars), quote=False)
            out.append(f'<font name="{pdf_fonts.ensure_fallback()}">{chunk}</font>' if fallback
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
    return _Paragraph(markup, _shaped(style, logical), **kwargs)


class _Paragraph(Paragraph):
    """A paragraph that breaks its lines once per width.

    KeepTogether, the page frame and the footnote check each ask a paragraph for its
    size, at the same width, before it is placed: reportlab broke the lines again each
    time, a third of the PDF writer's time. The lines depend on the width alone (the
    height available is only compared with the result), so the last result is kept for
    as long as the lines it made are (a split that finds no room drops them).
    """

    _wrapped: tuple[float, Any, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        known = self._wrapped
        if known is None or known[0] != availWidth or known[1] is not self.__dict__.get(
                "blPara"):
            size = super().wrap(availWidth, availHeight)
            known = self._wrapped = (availWidth, self.__dict__.get("blPara"), size)
        return known[2]


def _inlines(content: Sequence[Inline]) -> str:
    """Return spans and note markers as paragraph markup."""
    out = []
    for item in content:
        if isinstance(item, NoteRef):
            # the onDraw tag lets the page frame find the notes a paragraph holds
            out.append(f'<a href="#note-{item.number}" color="{_ACCENT.get()}">'
                       f'<super>{item.number}</super></a>'
                       f'<onDraw name="{NOTE_CALLBACK}" label="{item.number}"/>')
        else:
            out.append(_span(item))
    return "".join(out)


def _span(span: Span) -> str:
    """Return one span as markup; only http, https and mailto addresses become links."""
    text = _text(span.text)
    if span.url and span.url.lower().startswith(SAFE_SCHEMES):
        if len(span.text) > 40:  # a break chance after each slash: long addresses wrap
            text = "<wbr/>".join(_text(part) for part in re.split(r"(?<=/)(?=[^/])", span.text))
        url = escape(span.url)
        text = f'<a href="{url}" color="{_ACCENT.get()}">{text}</a>'
    if span.italic:
        text = f"<i>{text}</i>"
    if span.bold:
        text = f"<b>{text}</b>"
    return text


# --- flowables ---------------------------------------------------------------------------


def _heading(title: str, style: ParagraphStyle, outline: str | None = None) -> Paragraph:
    """Return a heading; with an `outline` key it adds a PDF bookmark where it lands.

    A plain Paragraph with attributes, not a subclass: reportlab makes the parts of a
    split paragraph by calling its class with Paragraph's own arguments.
    """
    para = Paragraph(_text(title), style)
    para.outline_key = outline
    para.outline_title = " ".join(title.split())  # the text itself: no markup, no escapes
    return para


class _Rule(Flowable):
    """A thin accent rule under the header block."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 9

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor(_ACCENT.get()))
        self.canv.setLineWidth(1.4)
        self.canv.line(0, 5, self.width, 5)
