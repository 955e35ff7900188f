"""The PDF writer (reportlab): lays out a Memo, deciding nothing about its content.

This module turns the memo into flowables (styles, story, inline markup); `pdf_pages`
lays them out on pages, keeping each footnote on the page of its marker. The memo is
laid out once: "Page X of Y" and the contents' page numbers are forms written as the
document is saved, when the pages are known.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from contextvars import ContextVar
from html import escape
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

from ...model import (
    Branding,
    Inline,
    Layout,
    Memo,
    NoteRef,
    Section,
    Span,
    Words,
    header_rows,
)
from ...model import Paragraph as MemoParagraph
from ..measure import HEADER_RULE, LOOKS, NOTE_GAP, Look, Role, roles
from . import contents as pdf_contents
from . import fonts as pdf_fonts
from . import text as pdf_text
from .pages import NOTE_CALLBACK, MemoDoc, PageCount, count_lines

pdf_text.install()
_ACCENT: ContextVar[str] = ContextVar("accent", default="#1f3a5f")  # links of this memo
SAFE_SCHEMES = ("http://", "https://", "mailto:")
LONG_BLOCK = 180.0  # points: a heading's first block taller than this may split


def write_pdf(memo: Memo, path: Path) -> int:
    """Write `memo` as a PDF to `path`; return its page count (a PageCount)."""
    if memo.pdf_engine == "typst":
        from .typeset import write_typst

        return write_typst(memo, path)
    styles = _setup(memo)
    doc = _build(memo, styles, str(path))
    count = PageCount(doc.page)
    count.last_page_lines = count_lines(doc, styles["body"].leading)
    count.layout = _layout(memo, doc)
    return count


def measure(memo: Memo) -> Layout:
    """Lay `memo` out as its PDF, written nowhere; return where its pages and headings fall.

    For a DOCX built without its PDF: the DOCX takes its page numbers from this layout.
    """
    return _layout(memo, _build(memo, _setup(memo), io.BytesIO(), measuring=True))


def _setup(memo: Memo) -> dict[str, ParagraphStyle]:
    """Load the fonts and return the memo's styles, its fonts and accent set for its text."""
    pdf_fonts.register()
    styles = _styles(LOOKS[memo.layout], memo.branding)
    _ACCENT.set(memo.branding.accent)
    pdf_text.BASE.set(
        pdf_fonts.coverage(styles["body"].fontName)
        & pdf_fonts.coverage(styles["heading"].fontName.removesuffix("-Bold"))
    )
    return styles


def _layout(memo: Memo, doc: MemoDoc) -> Layout:
    return Layout(doc.page, tuple(doc.contents_pages(heading_keys(memo)).values()))


def _build(
    memo: Memo, styles: dict[str, ParagraphStyle], out: str | io.BytesIO, measuring: bool = False
) -> MemoDoc:
    """Lay the memo out and write it (or, `measuring`, only lay it out)."""
    footnotes = (
        {n.number: _note_paragraph(n.number, n.content, styles["note"]) for n in memo.notes}
        if memo.note_placement == "footnotes"
        else {}
    )
    doc = MemoDoc(out, memo, styles, footnotes, heading_keys(memo) if memo.contents else [])
    doc.measuring = measuring
    doc.build(_story(memo, styles, doc.width))
    return doc


# --- styles ------------------------------------------------------------------------------


def _styles(look: Look, brand: Branding) -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of one layout in the workspace's fonts, by role."""
    serif, sans = pdf_fonts.family(brand.body_font), pdf_fonts.family(brand.heading_font)
    accent = colors.HexColor(brand.accent)
    role = roles(look)
    base = ParagraphStyle(
        "body",
        fontName=serif,
        alignment=TA_LEFT,
        splitLongWords=1,
        bulletFontName=serif,
        **_measure(role["body"]),
    )

    def style(name: str, **kwargs: Any) -> ParagraphStyle:
        return ParagraphStyle(name, base, **{**_measure(role[name]), **kwargs})

    bold = f"{sans}-Bold"
    return {
        "body": base,
        "org": style("org", fontName=sans, textColor=colors.HexColor("#555555")),
        "title": style("title", fontName=bold, textColor=accent),
        # the table drops each label to the value's baseline; its leading makes up for it
        "label": style("label", fontName=bold),
        "field": style("field"),
        "heading": style("heading", fontName=bold, textColor=accent, keepWithNext=1),
        "claim": style("claim", bulletIndent=2),
        "contents": style("contents"),
        "quote": style("quote", textColor=colors.HexColor("#333333")),
        "remark": style("remark", fontName=sans, textColor=colors.HexColor("#444444")),
        # the number hangs in the margin of the note, as a bullet: the text lines align
        "note": style("note", firstLineIndent=0, bulletIndent=0, bulletFontSize=look.note),
        "endnote": style("endnote", firstLineIndent=0, bulletIndent=0, bulletFontSize=look.endnote),
        "bib": style("bib"),
    }


def _measure(role: Role) -> dict[str, float]:
    """Return a role's measure as reportlab's style arguments."""
    return {
        "fontSize": role.size,
        "leading": role.leading,
        "spaceBefore": role.before,
        "spaceAfter": role.after,
        "leftIndent": role.indent,
        "firstLineIndent": role.first,
    }


# --- the story: what flows down the pages ------------------------------------------------


def _story(memo: Memo, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """Return the memo's flowables: header, sections, then notes and bibliography."""
    head = memo.header
    story: list[Flowable] = []
    if head.organisation:
        story.append(_Para(_text(head.organisation.upper()), st["org"]))
    story.append(_heading(head.title, st["title"]))
    story += _header_table(memo, st)
    story.append(_Rule())
    if memo.contents:
        story += _contents(memo, st)
    for i, section in enumerate(memo.sections):
        story += _section(section, f"s{i}", st, width, memo.words)
    if memo.endnotes:
        story.append(_heading(memo.words.notes, st["heading"], outline="notes"))
        notes = [_note_paragraph(n.number, n.content, st["endnote"]) for n in memo.notes]
        if memo.note_columns > 1:
            story.append(
                BalancedColumns(
                    notes, nCols=memo.note_columns, spaceBefore=0, innerPadding=NOTE_GAP
                )
            )
        else:
            story += notes
    if memo.bibliography:
        story.append(_heading(memo.words.bibliography, st["heading"], outline="bibliography"))
        story += [_Para(_inlines(b.content), st["bib"]) for b in memo.bibliography]
    if memo.summary:
        story.append(_heading(memo.words.summary, st["heading"], outline="summary"))
        story += [_Para(_text(line), st["body"]) for line in memo.summary]
    return story


def heading_keys(memo: Memo) -> list[str]:
    """Return the outline key of each heading `memo.headings()` lists, in its order."""
    keys = [f"s{i}" for i, s in enumerate(memo.sections) if s.title]
    keys += ["notes"] if memo.endnotes else []
    keys += ["bibliography"] if memo.bibliography else []
    keys += ["summary"] if memo.summary else []
    return keys


def _contents(memo: Memo, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Return the contents list: its heading, then an entry a heading, linked to it."""
    entry = st["contents"]
    entries: list[Flowable] = [
        pdf_contents.Entry(_Para(_text(title), entry), key)
        for title, key in zip(memo.headings(), heading_keys(memo), strict=True)
    ]
    return [_heading(memo.words.contents, st["heading"]), *entries]


def _section(
    section: Section, key: str, st: dict[str, ParagraphStyle], width: float, words: Words
) -> list[Flowable]:
    """Return a section's flowables; its heading never ends a page.

    The heading travels with the first block under it (a claim with its quotes, or a
    paragraph); a block longer than LONG_BLOCK only needs a few of its lines to follow
    the heading, and may split, rather than leave most of a page blank.
    """
    blocks = [_block(block, st, words) for block in section.blocks]
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
    rows = [
        [_Para(_text(label), st["label"]), _Para(_text(value), st["field"])]
        for label, value in header_rows(memo.header)
    ]
    if not rows:
        return []
    if memo.layout == "one-page":  # two fields a row: the header takes half the height
        rows = [
            rows[i] + (rows[i + 1] if i + 1 < len(rows) else ["", ""])
            for i in range(0, len(rows), 2)
        ]
        widths: list[float | None] = [18 * mm, 66 * mm, 18 * mm, None]
    else:
        widths = [24 * mm, None]
    # splitInRow: a value longer than a page continues on the next
    table = Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    # the smaller labels move down, so that label and value share a baseline
    drop = st["field"].fontSize - st["label"].fontSize
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), st["field"].fontName, 10),  # the default is Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                *[("TOPPADDING", (col, 0), (col, -1), drop) for col in range(0, len(widths), 2)],
            ]
        )
    )
    return [table]


def _block(block: MemoParagraph, st: dict[str, ParagraphStyle], words: Words) -> list[Flowable]:
    """Return the flowables of one paragraph: its text, quotes and remarks."""
    pieces: list[tuple[str, pdf_text.Wrap]] = []
    if block.portion:
        pieces += [(words.mark.format(block.portion), _bold), (" ", _plain)]
    if block.new:
        pieces += [(words.new, _new), (" ", _plain)]
    pieces += _pieces(block.content)
    if block.confidence:
        pieces += [(" ", _plain), (words.mark.format(block.confidence), _italic)]
    style = st["claim"] if block.kind == "claim" else st["body"]
    bullet = "•" if block.kind == "claim" else None
    parts: list[Flowable] = [_Para(pdf_text.markup(pieces), style, bulletText=bullet)]
    before, between, after = words.quote_parts()
    parts += [
        _Para(
            pdf_text.markup(
                [
                    (before, _plain),
                    (words.quoted.format(q.text), _italic),
                    (between, _plain),
                    (q.attribution + after, _plain),
                ]
            ),
            st["quote"],
        )
        for q in block.quotes
    ]
    parts += [_Para(_inlines(r), st["remark"]) for r in block.remarks]
    return parts


def _bold(markup: str) -> str:
    return f"<b>{markup}</b>"


def _italic(markup: str) -> str:
    return f"<i>{markup}</i>"


def _new(markup: str) -> str:
    return f'<font color="#8a1c1c" size="-1"><b>{markup}</b></font>'


def _note_paragraph(number: int, content: list[Span], style: ParagraphStyle) -> Paragraph:
    """Return note `number` as a paragraph, its number hanging; markers link to it."""
    return _Para(
        f'<a name="note-{number}"/>{_inlines(list(content))}', style, bulletText=f"{number}."
    )


# --- inline markup: every user string escaped ---------------------------------------------


def _text(text: str | None) -> str:
    """Return user text as reportlab markup: escaped, each run in a font that has it."""
    return pdf_text.markup([(text or "", _plain)])


def _plain(markup: str) -> str:
    return markup


def _Para(markup: str, style: ParagraphStyle, **kwargs: Any) -> Paragraph:
    """Return a paragraph, shaped by HarfBuzz when its text holds a script that needs it."""
    return pdf_text.paragraph(markup, style, **kwargs)


def _inlines(content: Sequence[Inline]) -> str:
    """Return spans and note markers as one paragraph's markup."""
    return pdf_text.markup(_pieces(content))


def _pieces(content: Sequence[Inline]) -> list[tuple[str, pdf_text.Wrap]]:
    """Return spans and note markers as (text, wrapper) pieces of one paragraph.

    A note number counts as left-to-right text (left-to-right marks around it), so that
    the full stop before it stays with the sentence, whatever script the sentence ends in.
    """
    pieces: list[tuple[str, pdf_text.Wrap]] = []
    for item in content:
        if isinstance(item, NoteRef):
            # the onDraw tag lets the page frame find the notes a paragraph holds
            pieces.append((f"\u200e{item.number}\u200e", _note_marker(item.number)))
        else:
            pieces += _span(item)
    return pieces


def _note_marker(number: int) -> pdf_text.Wrap:
    def wrap(markup: str) -> str:
        return (
            f'<a href="#note-{number}" color="{_ACCENT.get()}"><super>{markup}</super></a>'
            f'<onDraw name="{NOTE_CALLBACK}" label="{number}"/>'
        )

    return wrap


def _span(span: Span) -> list[tuple[str, pdf_text.Wrap]]:
    """Return one span's pieces; only http, https and mailto addresses become links."""

    def wrap(markup: str) -> str:
        if span.italic:
            markup = f"<i>{markup}</i>"
        if span.bold:
            markup = f"<b>{markup}</b>"
        return markup

    if not (span.url and span.url.lower().startswith(SAFE_SCHEMES)):
        return [(span.text, wrap)]
    url = escape(span.url)

    def link(markup: str) -> str:
        return wrap(f'<a href="{url}" color="{_ACCENT.get()}">{markup}</a>')

    def link_after_break(markup: str) -> str:
        return "<wbr/>" + link(markup)

    if len(span.text) <= 40:
        return [(span.text, link)]
    # a break chance after each slash: long addresses wrap
    parts = re.split(r"(?<=/)(?=[^/])", span.text)
    return [(part, link if i == 0 else link_after_break) for i, part in enumerate(parts)]


# --- flowables ---------------------------------------------------------------------------


def _heading(title: str, style: ParagraphStyle, outline: str | None = None) -> Paragraph:
    """Return a heading; with an `outline` key it adds a PDF bookmark where it lands.

    A plain Paragraph with attributes, not a subclass: reportlab makes the parts of a
    split paragraph by calling its class with Paragraph's own arguments.
    """
    para = _Para(_text(title), style)
    para.outline_key = outline
    para.outline_title = " ".join(title.split())  # the text itself: no markup, no escapes
    return para


class _Rule(Flowable):
    """A thin accent rule under the header block."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, HEADER_RULE

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor(_ACCENT.get()))
        self.canv.setLineWidth(1.4)
        self.canv.line(0, 5, self.width, 5)
