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
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
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
from . import fonts as docx_fonts
from . import ooxml as ox

BANNER = RGBColor(0x8A, 0x1C, 0x1C)
GREY = RGBColor(0x44, 0x44, 0x44)
SAFE_SCHEMES = ("http://", "https://", "mailto:")
COMPLEX_SCRIPT_FONT = "Arial"  # has Arabic and Hebrew on every Word installation
PAGE = {"A4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
LOGO_HEIGHT = Mm(13)
LABEL_WIDTH = Mm(26)  # the heading block's label column
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
    ox.set_language(doc, memo.language)
    book = _styles(doc, compact=memo.layout == "one-page", brand=memo.branding)
    _remember_style_ids(doc, book)
    _page(doc, memo)
    writer = _Writer(doc, memo, layout)
    writer.body()
    _properties(doc, memo)
    _statistics(doc, writer, memo, layout)
    docx_fonts.embed_fallbacks(
        doc, _coverage(memo.branding.body_font) & _coverage(memo.branding.heading_font)
    )
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

    def __getitem__(self, name: str) -> Any:
        return StyleFactory(self.by_name[BabelFish.ui2internal(name)])

    def add_style(self, name: str, kind: Any, builtin: bool = False) -> Any:
        internal = BabelFish.ui2internal(name)
        element = self.element.add_style_of_type(internal, kind, builtin)
        self.by_name[internal] = element
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


def _styles(doc: Any, compact: bool, brand: Branding) -> _StyleBook:
    """Define the memo's styles: Word's built-in names where they exist, our own otherwise."""
    body = 9.5 if compact else 10.5
    styles = _StyleBook(doc.styles)
    serif, sans = _font_name(brand.body_font), _font_name(brand.heading_font)
    accent = RGBColor.from_string(brand.accent.lstrip("#").upper())
    normal = styles["Normal"]
    _font(normal, serif, body)
    normal.paragraph_format.space_after = Pt(3 if compact else 6)
    normal.paragraph_format.line_spacing = 1.1
    _font(styles["Title"], sans, 15 if compact else 20, bold=True, color=accent)
    styles["Title"].paragraph_format.space_after = Pt(4 if compact else 8)
    _no_border(styles["Title"])
    sizes = (11, 10.5) if compact else (13, 11.5)
    for name, size in zip(("Heading 1", "Heading 2"), sizes, strict=True):
        style = styles[name]
        _font(style, sans, size, bold=True, color=accent)
        style.paragraph_format.space_before = Pt(6 if compact else 12)
        style.paragraph_format.space_after = Pt(2 if compact else 4)
        style.paragraph_format.keep_with_next = True
    _font(styles["List Bullet"], serif, body)
    styles["List Bullet"].paragraph_format.space_after = Pt(2 if compact else 4)
    _add(styles, "Footnote Text", WD_STYLE_TYPE.PARAGRAPH, serif, 8 if compact else 8.5, after=1)
    _add(styles, "Endnote Text", WD_STYLE_TYPE.PARAGRAPH, serif, 8 if compact else 8.5, after=1)
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
        body - 1.5,
        italic=True,
        indent=Mm(10),
        after=2,
        color=GREY,
    )
    quote.paragraph_format.keep_together = True
    _add(
        styles,
        "Claim Remark",
        WD_STYLE_TYPE.PARAGRAPH,
        sans,
        body - 2,
        indent=Mm(10),
        after=2,
        color=GREY,
    )
    _add(styles, "Memo Organisation", WD_STYLE_TYPE.PARAGRAPH, sans, 8.5, after=2, color=GREY)
    header = _add(styles, "Memo Header", WD_STYLE_TYPE.PARAGRAPH, serif, body, after=1)
    # label, tab, value: one line keeps both on a baseline; the hanging indent lines up
    # a value that wraps
    header.paragraph_format.left_indent = LABEL_WIDTH
    header.paragraph_format.first_line_indent = -LABEL_WIDTH
    header.paragraph_format.tab_stops.add_tab_stop(LABEL_WIDTH)
    _add(styles, "Memo Header Label", WD_STYLE_TYPE.CHARACTER, sans, body - 1.5, bold=True)
    bib = _add(styles, "Bibliography", WD_STYLE_TYPE.PARAGRAPH, serif, body - 1, after=3)
    bib.paragraph_format.left_indent = Mm(8)
    bib.paragraph_format.first_line_indent = Mm(-8)
    _add(
        styles, "Banner", WD_STYLE_TYPE.PARAGRAPH, sans, 9, bold=True, color=BANNER, after=0
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add(styles, "New Mark", WD_STYLE_TYPE.CHARACTER, sans, body - 2.5, bold=True, color=BANNER)
    toc = _add(
        styles,
        "TOC Heading",
        WD_STYLE_TYPE.PARAGRAPH,
        sans,
        body + 1,
        bold=True,
        after=3,
        color=accent,
    )
    toc.paragraph_format.space_before = Pt(6)
    _add(styles, "TOC 1", WD_STYLE_TYPE.PARAGRAPH, serif, body - 0.5, after=1, indent=Mm(2))
    _add(styles, "Running Footer", WD_STYLE_TYPE.PARAGRAPH, sans, 7.5, after=0, color=GREY)
    return styles


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


def _page(doc: Any, memo: Memo) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE[memo.page_size]
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin = Mm(24)
    section.bottom_margin = Mm(22)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(7)
    header = section.header.paragraphs[0]
    header.style = doc.styles["Banner"]
    header.add_run(memo.banner)
    footer = section.footer
    line = footer.paragraphs[0]
    line.style = doc.styles["Running Footer"]
    line.paragraph_format.tab_stops.add_tab_stop(
        section.page_width - Mm(40), alignment=2
    )  # right tab
    line.add_run(memo.header.organisation + "\t")
    before, between, after = memo.words.page_parts()
    for words, field in ((before, "PAGE"), (between, "NUMPAGES"), (after, None)):
        if words:
            line._p.append(ox.run(words))
        for r in ox.field(field, "1") if field else ():
            line._p.append(r)
    banner = footer.add_paragraph(memo.banner, style=doc.styles["Banner"])
    banner.paragraph_format.space_before = Pt(2)


# --- the body -------------------------------------------------------------------------------


class _Writer:
    """Write the memo's body: heading block, sections, notes, bibliography, summary."""

    def __init__(self, doc: Any, memo: Memo, layout: Layout) -> None:
        self.doc = doc
        self.memo = memo
        self.layout = layout
        self.notes: ox.NotesPart | None = None
        self.bookmarks: list[str] = []
        if memo.notes:
            self.notes = ox.NotesPart(doc.part, memo.note_placement)

    def body(self) -> None:
        memo = self.memo
        if memo.branding.logo:
            self._logo(memo.branding.logo)
        if memo.header.organisation:
            self.doc.add_paragraph(memo.header.organisation.upper(), style="Memo Organisation")
        self.doc.add_paragraph(memo.header.title, style="Title")
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
        if memo.bibliography:
            self._heading(memo.words.bibliography)
            for entry in memo.bibliography:
                p = self.doc.add_paragraph(style="Bibliography")
                self._inlines(p._p, entry.content, self.doc.part)
        if memo.summary:
            self._heading(memo.words.summary)
            for line in memo.summary:
                self.doc.add_paragraph(line)

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

    def _logo(self, path: str) -> None:
        """Put the logo at the top right of the first page."""
        p = self.doc.add_paragraph(style="Memo Organisation")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if path.lower().endswith(".svg"):
            ox.add_svg_picture(self.doc.part, p, Path(path), LOGO_HEIGHT)
        else:
            p.add_run().add_picture(path, height=LOGO_HEIGHT)

    def _header_block(self) -> None:
        """Add the TO / FROM / DATE … lines, labels bold, then a rule under them."""
        for label, value in header_rows(self.memo.header):
            p = self.doc.add_paragraph(style="Memo Header")
            p.add_run(label, style="Memo Header Label")
            p.add_run("\t")
            p.add_run(value)
        rule = self.doc.add_paragraph(style="Normal")
        _bottom_border(rule, self.memo.branding.accent)
        rule.paragraph_format.space_after = Pt(6)

    def _block(self, block: MemoParagraph) -> None:
        style = "List Bullet" if block.kind == "claim" else "Normal"
        p = self.doc.add_paragraph(style=style)
        words = self.memo.words
        if block.portion:
            p._p.append(ox.run(words.mark.format(block.portion) + " ", bold=True))
        if block.new:
            p._p.append(ox.run(words.new + " ", "New Mark"))
        self._inlines(p._p, block.content, self.doc.part)
        if block.confidence:
            p._p.append(ox.run(" " + words.mark.format(block.confidence), italic=True))
        group = [p]
        for quote in block.quotes:
            group.append(self.doc.add_paragraph(words.quote_line(quote), style="Claim Quote"))
        for remark in block.remarks:
            group.append(self.doc.add_paragraph(style="Claim Remark"))
            self._inlines(group[-1]._p, remark, self.doc.part)
        for member in group[:-1]:  # a claim's quotes and remarks stay on its page
            member.paragraph_format.keep_with_next = True

    def _inlines(self, p: Any, content: Sequence[Inline], part: Any) -> None:
        """Append runs for `content` to paragraph element `p` (links related from `part`)."""
        rtl = scripts.has_rtl("".join(i.text for i in content if isinstance(i, Span)))
        for item in content:
            if isinstance(item, NoteRef):
                if self.notes is not None:
                    if rtl:  # after a left-to-right mark, the number stays with its sentence
                        p.append(ox.run("\u200e"))
                    p.append(ox.note_reference(self.notes.kind, item.number))
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
