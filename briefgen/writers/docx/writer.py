"""The DOCX writer (python-docx): lays out a Memo with real Word styles, notes and fields.

Word users get what they expect from a hand-made memo: named styles (so the navigation
pane and style gallery work), real footnotes or endnotes, clickable links, the banner and
"Page X of Y" in header and footer, and filled-in document properties. The same memo
always gives the same bytes: the zip is rewritten with fixed times.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from ... import __version__, scripts
from ...model import (
    DOCX_COMMENTS,
    DOCX_PROPERTY_CHARS,
    Branding,
    Inline,
    Layout,
    Memo,
    NoteRef,
    Span,
    header_rows,
)
from ...model import Paragraph as MemoParagraph
from ...scripts import direction_runs
from .. import measure
from . import fonts as docx_fonts
from . import ooxml as ox
from .house import based_on, renumber_drawings

BANNER = RGBColor(0x8A, 0x1C, 0x1C)
GREY = RGBColor(0x44, 0x44, 0x44)
SAFE_SCHEMES = ("http://", "https://", "mailto:")
COMPLEX_SCRIPT_FONT = "Arial"  # has Arabic and Hebrew on every Word installation
PAGE = {"A4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
LOGO_HEIGHT = Mm(13)
LOGO_TOP = Mm(22) - LOGO_HEIGHT  # from the page's top edge, as the PDF draws it
# the heading block's columns: label and value, twice a line in the one-page memo
HEADER_COLUMNS = {"policy-memo": (Mm(24),), "one-page": (Mm(18), Mm(66), Mm(18))}
HEADER_ROW_GAP = 1.5  # points between the heading block's lines, as in the PDF's table
NOTE_BOOKMARKS = 100_000  # the endnotes' bookmark ids start here, apart from the headings'
RUNNING_TITLE_GAP = 2.0  # points between the banner and the running title
BULLET_AT = 2.0  # points from the margin to a claim's bullet, as in the PDF
RULE_LINE = 4.0  # points: the line of the paragraph that draws the heading block's rule
PRINT_DPI = 300  # an SVG logo's pixels per inch as the memo shows it
EMU_PER_INCH = 914400
SVG_FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSerif-Regular.ttf")
# Word knows these styles by their internal names; matching them (and not flagging them
# custom) makes Word use ours for notes, links and contents it adds itself.
WORD_NAMES = {
    "Footnote Text": "footnote text",
    "Footnote Reference": "footnote reference",
    "Endnote Text": "endnote text",
    "Endnote Reference": "endnote reference",
    "TOC 1": "toc 1",
}
WORD_BUILT_IN = {*WORD_NAMES, "Hyperlink", "Bibliography", "TOC Heading"}
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def write_docx(memo: Memo, path: Path, layout: Layout | None = None) -> None:
    """Write `memo` as a DOCX file to `path`.

    Its page count and its contents' page numbers are those of the PDF's `layout` of the
    same memo; without one (a build of the DOCX alone) the PDF is laid out here, written
    nowhere, so the DOCX says the same whether or not its PDF is built with it.
    """
    if layout is None:
        from ..pdf.writer import measure

        layout = measure(memo)
    doc = Document()
    ox.drop_template_leftovers(doc)
    book = _styles(doc, memo.layout, memo.branding)
    house = memo.branding.reference_doc
    if house:
        doc = based_on(house, doc, book.used)
        ox.drop_template_leftovers(doc)
        book = _StyleBook(doc.styles)
    ox.set_language(doc, memo.language)
    _remember_style_ids(doc, book)
    _page(doc, memo, house=house is not None)
    writer = _Writer(doc, memo, layout)
    writer.body()
    if house:
        renumber_drawings(doc)
    _properties(doc, memo)
    _statistics(doc, writer, memo, layout)
    brand = memo.branding
    own = {_font_name(f): docx_fonts.own_faces(f) for f in (brand.body_font, brand.heading_font)}
    docx_fonts.embed(doc, _coverage(brand.body_font) & _coverage(brand.heading_font), own)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(ox.deterministic_zip(buffer.getvalue()))


# --- styles ---------------------------------------------------------------------------------


class _StyleBook:
    """A document's styles by name, read once: python-docx's own lookups and additions
    scan every style of the document each time."""

    def __init__(self, styles: Any) -> None:
        self.element = styles.element
        self.by_name = {s.name_val: s for s in self.element.style_lst}
        self.used: list[str] = []  # the styles looked up or added, for a house template

    def __getitem__(self, name: str) -> Any:
        internal = BabelFish.ui2internal(name)
        self.used.append(internal)
        return StyleFactory(self.by_name[internal])

    def add_style(self, name: str, kind: Any, builtin: bool = False) -> Any:
        internal = BabelFish.ui2internal(name)
        element = self.element.add_style_of_type(internal, kind, builtin)
        self.by_name[internal] = element
        self.used.append(internal)
        return StyleFactory(element)


def _remember_style_ids(doc: Any, book: _StyleBook) -> None:
    """Answer python-docx's style-id lookups from `book`: its own scans every style of the
    document for each paragraph and run given a style, half of the writer's time."""
    part = doc.part
    lookup = part.get_style_id

    def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
        if style_or_name is None:
            return None
        name = style_or_name if isinstance(style_or_name, str) else style_or_name.name
        element = book.by_name.get(BabelFish.ui2internal(name))
        if element is None or element.type != style_type:
            return lookup(style_or_name, style_type)  # python-docx's own error
        return None if element.default else element.styleId

    part.get_style_id = get_style_id


def _styles(doc: Any, layout: str, brand: Branding) -> _StyleBook:
    """Define the memo's styles: Word's built-in names where they exist, our own otherwise.

    Each is set to the PDF's measure (`writers.measure`): its size, exact line spacing
    (the PDF's leading, not the font's own line height, which is a third taller), space
    before and after and indents, so that the DOCX breaks its pages where the PDF does.
    """
    look = measure.LOOKS[layout]
    role = measure.roles(look)
    styles = _StyleBook(doc.styles)
    serif, sans = _font_name(brand.body_font), _font_name(brand.heading_font)
    accent = RGBColor.from_string(brand.accent.lstrip("#").upper())
    normal = styles["Normal"]
    _font(normal, serif, look.body)
    _measure(normal, role["body"])
    _font(styles["Title"], sans, look.title, bold=True, color=accent)
    _measure(styles["Title"], role["title"])
    _no_border(styles["Title"])
    for name, size in zip(("Heading 1", "Heading 2"), (look.heading, look.body), strict=True):
        style = styles[name]
        _font(style, sans, size, bold=True, color=accent)
        _measure(style, role["heading"])
        style.paragraph_format.keep_with_next = True
    _font(styles["List Bullet"], serif, look.body)
    _measure(styles["List Bullet"], role["claim"])
    _add(styles, "Footnote Text", WD_STYLE_TYPE.PARAGRAPH, serif, role=role["note"])
    _add(styles, "Endnote Text", WD_STYLE_TYPE.PARAGRAPH, serif, role=role["endnote"])
    for name in ("Footnote Reference", "Endnote Reference"):
        style = _add(styles, name, WD_STYLE_TYPE.CHARACTER)
        style.font.superscript = True
    link = _add(styles, "Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = accent
    link.font.underline = True
    quote = _add(
        styles,
        "Claim Quote",
        WD_STYLE_TYPE.PARAGRAPH,
        serif,
        italic=True,
        color=GREY,
        role=role["quote"],
    )
    quote.paragraph_format.keep_together = True
    _add(styles, "Claim Remark", WD_STYLE_TYPE.PARAGRAPH, sans, color=GREY, role=role["remark"])
    _add(styles, "Memo Organisation", WD_STYLE_TYPE.PARAGRAPH, sans, color=GREY, role=role["org"])
    field = role["field"]
    header = _add(
        styles,
        "Memo Header",
        WD_STYLE_TYPE.PARAGRAPH,
        serif,
        role=measure.Role(field.size, field.leading, after=HEADER_ROW_GAP),
    )
    # label, tab, value: one line keeps both on a baseline; the hanging indent lines up
    # a value that wraps
    widths = HEADER_COLUMNS[layout]
    header.paragraph_format.left_indent = widths[0]
    header.paragraph_format.first_line_indent = -widths[0]
    stop = 0
    for width in widths:
        stop += width
        header.paragraph_format.tab_stops.add_tab_stop(stop)
    _add(styles, "Memo Header Label", WD_STYLE_TYPE.CHARACTER, sans, role["label"].size, bold=True)
    _add(styles, "Bibliography", WD_STYLE_TYPE.PARAGRAPH, serif, role=role["bib"])
    _add(
        styles, "Banner", WD_STYLE_TYPE.PARAGRAPH, sans, 9, bold=True, color=BANNER, after=0
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add(
        styles, "New Mark", WD_STYLE_TYPE.CHARACTER, sans, look.body - 2.5, bold=True, color=BANNER
    )
    # the contents list as the PDF sets it: its heading as the others, entries as body text
    _add(
        styles,
        "TOC Heading",
        WD_STYLE_TYPE.PARAGRAPH,
        sans,
        look.heading,
        bold=True,
        color=accent,
        role=role["heading"],
    )
    _add(styles, "TOC 1", WD_STYLE_TYPE.PARAGRAPH, serif, look.body, role=role["contents"])
    _add(styles, "Running Footer", WD_STYLE_TYPE.PARAGRAPH, sans, 7.5, after=0, color=GREY)
    running = _add(
        styles, "Running Header", WD_STYLE_TYPE.PARAGRAPH, sans, 7.5, after=0, color=GREY
    )
    running.paragraph_format.space_before = Pt(RUNNING_TITLE_GAP)
    return styles


def _measure(style: Any, role: measure.Role) -> None:
    """Set a paragraph style to a role's measure: the PDF's size, leading and spacing."""
    style.font.size = Pt(role.size)
    fmt = style.paragraph_format
    fmt.line_spacing = Pt(role.leading)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.space_before = Pt(role.before)
    fmt.space_after = Pt(role.after)
    fmt.left_indent = Pt(role.indent)
    fmt.first_line_indent = Pt(role.first)
    # the template's List Bullet drops the space between its paragraphs; the PDF keeps it
    for props in style.element.findall(qn("w:pPr")):
        for contextual in props.findall(qn("w:contextualSpacing")):
            props.remove(contextual)


def _coverage(font: str) -> frozenset[int]:
    """Return the code points a shipped font name or a workspace .ttf holds."""
    family = font.replace(" ", "")
    if family in scripts.FAMILIES:
        return scripts.coverage(family)
    return scripts.font_coverage(Path(font))


def _font_name(font: str) -> str:
    """Return the family name Word should use: a shipped name, or a .ttf file's own name."""
    if not font.lower().endswith(".ttf"):
        return font
    from fontTools.ttLib import TTFont

    with TTFont(font) as ttf:
        return str(ttf["name"].getBestFamilyName() or Path(font).stem)


def _add(
    styles: Any,
    name: str,
    kind: Any,
    font: str | None = None,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    indent: Any = None,
    after: float | None = None,
    color: RGBColor | None = None,
    role: measure.Role | None = None,
) -> Any:
    """Add (or reuse) a style with the given look, based on Normal for paragraphs."""
    internal = WORD_NAMES.get(name, name)
    try:
        style = styles[internal]
    except KeyError:
        style = styles.add_style(internal, kind, builtin=name in WORD_BUILT_IN)
        style.style_id = name.replace(" ", "")  # Word's own id, e.g. FootnoteText
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        style.base_style = styles["Normal"]
        if indent is not None:
            style.paragraph_format.left_indent = indent
        if after is not None:
            style.paragraph_format.space_after = Pt(after)
    if font or size or bold or italic or color:
        _font(style, font, size, bold=bold, italic=italic, color=color)
    if role is not None:
        _measure(style, role)
    style.hidden = False
    style.quick_style = kind == WD_STYLE_TYPE.PARAGRAPH
    return style


def _font(
    style: Any,
    name: str | None,
    size: float | None,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
) -> None:
    """Set the look of `style`'s characters; `name` replaces any theme font."""
    font = style.font
    if name:
        font.name = name
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in THEME_FONTS:  # Word prefers a theme font to the named one
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(qn(attr), name)
        fonts.set(qn("w:cs"), COMPLEX_SCRIPT_FONT)
    if size:
        font.size = Pt(size)
    font.bold = bold or None
    font.italic = italic or None
    if color is not None:
        font.color.rgb = color


def _no_border(style: Any) -> None:
    """Remove the underline border python-docx's Title style has."""
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


# --- page, header and footer ----------------------------------------------------------------


def _page(doc: Any, memo: Memo, house: bool = False) -> None:
    """Set up the page (a house template's own page setup is kept) and put the banner at
    the top of every header, the footer line and the banner at the foot of every footer:
    a house template's headers and footers keep their letterhead around them."""
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    # ours, or what a template lacks
    if not house or section.page_width is None:
        section.page_width, section.page_height = PAGE[memo.page_size]
    if not house or section.left_margin is None:
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(measure.MARGIN))
        section.top_margin = Mm(measure.TOP)
        section.bottom_margin = Mm(measure.BOTTOM)
        section.header_distance = Mm(8)
        section.footer_distance = Mm(7)
    # the first page carries the title in full; the others a running header, as the PDF
    # (a house template's own first-page setting is kept)
    if not house:
        section.different_first_page_header_footer = True
    width = section.page_width - section.left_margin - section.right_margin
    for header, footer in _headers_and_footers(doc, section):
        _header(doc, header, memo)
        _footer(doc, footer, memo, width)
    if section.different_first_page_header_footer:
        section.header.add_paragraph(memo.header.title, style=doc.styles["Running Header"])


def _headers_and_footers(doc: Any, section: Any) -> list[tuple[Any, Any]]:
    """Return the section's headers and footers that some page shows: the first page's
    and even pages' too where the section has them, so that every page has the banner."""
    pairs = [(section.header, section.footer)]
    if section.different_first_page_header_footer:
        pairs.append((section.first_page_header, section.first_page_footer))
    if doc.settings.odd_and_even_pages_header_footer:
        pairs.append((section.even_page_header, section.even_page_footer))
    return pairs


def _header(doc: Any, header: Any, memo: Memo) -> None:
    """Put the banner first in `header`, before a house template's letterhead."""
    fresh = header.is_linked_to_previous
    first = header.paragraphs[0]
    banner = first if fresh else first.insert_paragraph_before()
    if not fresh:
        header._element.insert(0, banner._p)  # before a table too
    banner.style = doc.styles["Banner"]
    banner.add_run(memo.banner)


def _footer(doc: Any, footer: Any, memo: Memo, width: int) -> None:
    """End `footer` with the organisation and "Page X of Y" (unless a house template's
    footer numbers its pages itself), then the banner."""
    fresh = footer.is_linked_to_previous
    if fresh or not _numbers_pages(footer):
        line = footer.paragraphs[0] if fresh else footer.add_paragraph()
        line.style = doc.styles["Running Footer"]
        line.paragraph_format.tab_stops.add_tab_stop(width, alignment=2)  # right tab
        line.add_run(memo.header.organisation + "\t")
        before, between, after = memo.words.page_parts()
        for words, field in ((before, "PAGE"), (between, "NUMPAGES"), (after, None)):
            if words:
                line._p.append(ox.run(words))
            for r in ox.field(field, "1") if field else ():
                line._p.append(r)
    banner = footer.add_paragraph(memo.banner, style=doc.styles["Banner"])
    banner.paragraph_format.space_before = Pt(2)


def _numbers_pages(footer: Any) -> bool:
    """Return whether a footer holds a PAGE field of its own."""
    codes = footer._element.xpath(".//w:instrText/text() | .//w:fldSimple/@w:instr")
    return any("PAGE" in str(code).split() for code in codes)


# --- the body -------------------------------------------------------------------------------


class _Writer:
    """Write the memo's body: heading block, sections, notes, bibliography, summary."""

    def __init__(self, doc: Any, memo: Memo, layout: Layout) -> None:
        self.doc = doc
        self.memo = memo
        self.layout = layout
        self.notes: ox.NotesPart | None = None
        self.bookmarks: list[str] = []
        self.endnotes = memo.endnotes
        if memo.notes and not self.endnotes:
            self.notes = ox.NotesPart(doc.part, memo.note_placement)

    def body(self) -> None:
        memo = self.memo
        if memo.header.organisation:
            self.doc.add_paragraph(memo.header.organisation.upper(), style="Memo Organisation")
        title = self.doc.add_paragraph(memo.header.title, style="Title")
        if memo.branding.logo:
            self._logo(
                memo.branding.logo, self.doc.paragraphs[0] if memo.header.organisation else title
            )
        self._header_block()
        if memo.contents:
            self._contents(memo.headings())
        for section in memo.sections:
            if section.title:
                self._heading(section.title)
            for block in section.blocks:
                self._block(block)
        if self.notes is not None:
            for note in memo.notes:
                self.notes.add(note.number, self._filler(note.content))
        if self.endnotes:
            self._endnotes()
        if memo.bibliography:
            self._heading(memo.words.bibliography)
            for entry in memo.bibliography:
                p = self.doc.add_paragraph(style="Bibliography")
                self._inlines(p._p, entry.content, self.doc.part)
        if memo.summary:
            self._heading(memo.words.summary)
            for line in memo.summary:
                self.doc.add_paragraph(line)

    def _endnotes(self) -> None:
        """Add the endnotes under their heading, in the PDF's place: before the
        bibliography, in the PDF's columns, on pages with the banner and page numbers.

        They are paragraphs of the body, each marker a link to its note, not Word's own
        endnotes: Word sets those after the document's last paragraph (after the
        bibliography, without a heading), or at a section's end (`w:pos sectEnd`), which
        LibreOffice ignores; and LibreOffice sets them on pages of an "Endnote" page
        style without the memo's header and footer. The notes are numbered by the memo
        (`Memo.notes`) in any case, so nothing of Word's renumbering is lost.
        """
        memo = self.memo
        self._heading(memo.words.notes)
        body = self.doc.element.body
        if memo.note_columns > 1:  # the notes are a section of their own, in columns
            last = body.findall(qn("w:p"))[-1]
            last.get_or_add_pPr().append(deepcopy(body.sectPr))
        p = None
        for note in memo.notes:
            p = self.doc.add_paragraph(style=WORD_NAMES["Endnote Text"])
            p._p.append(ox.run(f"{note.number}."))
            p._p.append(ox.tab())
            self._inlines(p._p, note.content, self.doc.part)
            ox.bookmark(p._p, NOTE_BOOKMARKS + note.number, ox.endnote_anchor(note.number))
        if memo.note_columns > 1 and p is not None:
            notes = deepcopy(body.sectPr)
            ox.section_columns(notes, memo.note_columns, Pt(measure.NOTE_GAP), continuous=True)
            p._p.get_or_add_pPr().append(notes)
            ox.section_columns(body.sectPr, 1, None, continuous=True)

    def _heading(self, title: str) -> None:
        """Add a Heading 1 with the bookmark the table of contents links to."""
        p = self.doc.add_heading(title, level=1)
        ox.bookmark(p._p, len(self.bookmarks), f"_Toc{len(self.bookmarks) + 1:08d}")
        self.bookmarks.append(title)

    def _contents(self, headings: list[str]) -> None:
        """Add a table of contents that is already filled in, as a real TOC field.

        Word and LibreOffice show the entries and their page numbers at once (the most
        common complaint about generated files is a contents list that must be updated
        first); the numbers are the PDF's, which this file is laid out to match.
        """
        self.doc.add_paragraph(self.memo.words.contents, style="TOC Heading")
        entries = [
            (title, f"_Toc{i + 1:08d}", page)
            for i, (title, page) in enumerate(zip(headings, self.layout.heading_pages, strict=True))
        ]
        section = self.doc.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        body = self.doc.element.body
        for p in ox.toc_paragraphs(entries, Emu(width).twips):
            body.sectPr.addprevious(p)  # the section properties stay last

    def _logo(self, path: str, p: Any) -> None:
        """Put the logo at the top right of the first page, where the PDF draws it
        (LOGO_TOP), anchored to the memo's first paragraph `p`, with its alt text."""
        image = (
            io.BytesIO(svg_png(Path(path), LOGO_HEIGHT)) if path.lower().endswith(".svg") else path
        )
        shape = p.add_run().add_picture(image, height=LOGO_HEIGHT)
        shape._inline.docPr.set("descr", self.memo.branding.logo_alt)
        ox.float_picture(shape._inline, LOGO_TOP)

    def _header_block(self) -> None:
        """Add the TO / FROM / DATE … lines, labels bold, then a rule under them; the
        one-page memo has two fields a line, as its PDF has."""
        rows = header_rows(self.memo.header)
        per_line = (len(HEADER_COLUMNS[self.memo.layout]) + 1) // 2
        for i in range(0, len(rows), per_line):
            p = self.doc.add_paragraph(style="Memo Header")
            for j, (label, value) in enumerate(rows[i : i + per_line]):
                if j:
                    p.add_run("\t")
                p.add_run(label, style="Memo Header Label")
                p.add_run("\t")
                p.add_run(value)
        rule = self.doc.add_paragraph(style="Normal")
        _bottom_border(rule, self.memo.branding.accent)
        # as tall as the PDF's rule: its line, the border (1.5 points, 1 from the text),
        # and the space after
        fmt = rule.paragraph_format
        fmt.line_spacing, fmt.line_spacing_rule = Pt(RULE_LINE), WD_LINE_SPACING.EXACTLY
        fmt.space_before, fmt.space_after = Pt(0), Pt(measure.HEADER_RULE - RULE_LINE - 2.5)

    def _block(self, block: MemoParagraph) -> None:
        style = "List Bullet" if block.kind == "claim" else "Normal"
        p = self.doc.add_paragraph(style=style)
        if block.kind == "claim":  # the bullet list's own indents would win over the style's
            claim = measure.roles(measure.LOOKS[self.memo.layout])["claim"]
            p.paragraph_format.left_indent = Pt(claim.indent)
            p.paragraph_format.first_line_indent = Pt(BULLET_AT - claim.indent)
        words = self.memo.words
        if block.portion:
            p._p.append(ox.run(words.mark.format(block.portion) + " ", bold=True))
        if block.new:
            p._p.append(ox.run(words.new + " ", "NewMark"))
        self._inlines(p._p, block.content, self.doc.part)
        if block.confidence:
            p._p.append(ox.run(" " + words.mark.format(block.confidence), italic=True))
        group = [p]
        for quote in block.quotes:
            group.append(self.doc.add_paragraph(words.quote_line(quote), style="Claim Quote"))
        for remark in block.remarks:
            group.append(self.doc.add_paragraph(style="Claim Remark"))
            self._inlines(group[-1]._p, remark, self.doc.part)
        for member in group:  # a claim, its quotes and remarks stay whole, on one page
            member.paragraph_format.keep_together = True
        for member in group[:-1]:
            member.paragraph_format.keep_with_next = True

    def _inlines(self, p: Any, content: Sequence[Inline], part: Any) -> None:
        """Append runs for `content` to paragraph element `p` (links related from `part`)."""
        rtl = scripts.has_rtl("".join(i.text for i in content if isinstance(i, Span)))
        for item in content:
            if isinstance(item, NoteRef):
                if rtl and (self.notes or self.endnotes):
                    p.append(ox.run("\u200e"))  # the number stays with its sentence
                if self.notes is not None:
                    p.append(ox.note_reference(self.notes.kind, item.number))
                elif self.endnotes:
                    p.append(ox.endnote_link(item.number))
                continue
            for element in self._span(item, part):
                p.append(element)

    def _span(self, span: Span, part: Any) -> list[Any]:
        """Return the runs of a span, right-to-left pieces marked as such."""
        style = "Hyperlink" if span.url and span.url.lower().startswith(SAFE_SCHEMES) else None
        runs = [
            ox.run(text, style, italic=span.italic, bold=span.bold, rtl=rtl)
            for text, rtl in direction_runs(span.text)
        ]
        if style and span.url:
            return [ox.hyperlink(part, span.url, runs)]
        return runs

    def _filler(self, content: Sequence[Span]) -> Any:
        def fill(p: Any, part: Any) -> None:
            self._inlines(p, content, part)

        return fill


def svg_png(path: Path, height: int) -> bytes:
    """Return the SVG file at `path` drawn as a PNG `height` EMU high at PRINT_DPI.

    A picture's SVG (Word 2016's svgBlip) is drawn by neither LibreOffice 7.4 nor older
    Word, which show its PNG stand-in, and Word would fetch what an SVG links to from
    the web when the memo is opened: the memo holds the PNG alone. resvg draws it with
    the shipped fonts only, so that every machine gives the same pixels.
    """
    import resvg_py

    pixels = round(height / EMU_PER_INCH * PRINT_DPI)
    fonts = [str(scripts.FONTS / name) for name in SVG_FONTS]
    return bytes(
        resvg_py.svg_to_bytes(
            svg_path=str(path),
            height=pixels,
            skip_system_fonts=True,
            font_files=fonts,
            font_family="Noto Sans",
            serif_family="Noto Serif",
            sans_serif_family="Noto Sans",
        )
    )


def _bottom_border(paragraph: Any, colour: str) -> None:
    """Rule a line under `paragraph`, in `colour` ("#1f3a5f")."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "1"),
        ("w:color", colour.lstrip("#").upper()),
    ):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


# --- properties and bytes -------------------------------------------------------------------


def _fit(text: str) -> str:
    """Return `text` as a core property holds it: longer text is cut, with an ellipsis
    (`check` has warned about it; the memo itself shows it whole)."""
    if len(text) <= DOCX_PROPERTY_CHARS:
        return text
    return text[: DOCX_PROPERTY_CHARS - 1].rstrip() + "…"


def _statistics(doc: Any, writer: _Writer, memo: Memo, layout: Layout) -> None:
    """Fill in docProps/app.xml: briefgen, the PDF's page count, the text's counts and the
    organisation, where python-docx's template names a Word for Mac and an empty page."""
    text = ox.text_of([doc.element.body, *([writer.notes.part.element] if writer.notes else [])])
    ox.set_app_properties(
        doc.part.package,
        {
            "Pages": str(layout.pages),
            "Words": str(scripts.count_words(text)),
            "Characters": str(sum(1 for c in text if not c.isspace())),
            "Application": "briefgen",
            "Company": _fit(memo.header.organisation),
            "CharactersWithSpaces": str(sum(1 for c in text if c != "\n")),
            "AppVersion": ox.app_version(__version__),
        },
    )


def _properties(doc: Any, memo: Memo) -> None:
    props = doc.core_properties
    head = memo.header
    props.title = _fit(head.title)
    props.subject = _fit(head.subject or "")
    props.author = _fit(head.organisation)
    props.keywords = _fit(", ".join(head.keywords))
    props.last_modified_by = "briefgen"
    props.language = _fit(memo.language)
    props.revision = 1
    props.comments = _fit(DOCX_COMMENTS.format(head.audience))
    when = (
        dt.datetime.fromisoformat(head.iso_date) if head.iso_date else dt.datetime(2000, 1, 1)
    ).replace(tzinfo=dt.UTC)
    props.created = when
    props.modified = when
    props.last_printed = when
    if memo.manifest:
        ox.add_custom_properties(
            doc.part,
            {
                "BriefgenBrief": memo.brief_id,
                "BriefgenAudience": memo.audience_id,
                "BriefgenManifest": json.dumps(memo.manifest, sort_keys=True),
            },
        )
