"""The PDF writer's second engine (`pdf-engine: typst`): a tagged PDF/UA-1 and PDF/A-2u memo.

reportlab has no tagging API; typst (0.14 and later) writes the structure tree itself:
headings, paragraphs, lists, footnotes, links with their descriptions, the logo as a
figure with its alternative text, and the page furniture (banner, running header, footer,
"Page X of Y") as artifacts. This module writes the memo, laid out as the reportlab writer
lays it out, as typst source and compiles it with the shipped fonts only. Every user
string goes in as a typst string literal, never as markup, so none of it is read as code.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import typst
from fontTools.ttLib import TTFont

from ... import scripts
from ...model import Inline, Memo, NoteRef, Section, Span, header_rows
from ...model import Paragraph as MemoParagraph
from . import notes
from . import text as pdf_text
from .pages import PageCount
from .writer import LOOKS, SAFE_SCHEMES

SHIPPED = {"Noto Serif": scripts.SERIF, "Noto Sans": scripts.SANS, "DejaVu Sans": "DejaVuSans"}
PAGES_LABEL = "briefgen-pages"
LONG_WORD = 24  # characters: a longer word is cut into boxes, between which a line may break
_OVERRIDES = dict.fromkeys(map(ord, "\u202d\u202e"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def write_typst(memo: Memo, path: Path) -> int:
    """Write `memo` as a tagged PDF to `path` with typst; return its page count."""
    source, folders = document(memo)
    with tempfile.TemporaryDirectory(prefix="briefgen-typst-") as folder:
        # a source file, not bytes: typst's Compiler queries only a file; the root is "/",
        # so that the source names the logo by its absolute path
        main = Path(folder) / "memo.typ"
        main.write_text(source, encoding="utf-8")
        compiler = typst.Compiler(
            str(main),
            root="/",
            font_paths=[str(scripts.FONTS), *folders],
            ignore_system_fonts=True,
        )
        pdf = compiler.compile(format="pdf", pdf_standards=["ua-1", "a-2u"])
        pages = compiler.query(f"<{PAGES_LABEL}>", field="value", one=True)
    assert isinstance(pdf, bytes)  # one PDF, as format="pdf" asks
    # into the build's staging folder, as every writer writes
    path.write_bytes(notes.retag(pdf, memo))
    return PageCount(int(str(pages)))


def document(memo: Memo) -> tuple[str, list[str]]:
    """Return the memo's typst source and the folders of the workspace fonts it needs."""
    body, body_folder = _family(memo.branding.body_font)
    sans, sans_folder = _family(memo.branding.heading_font)
    footnotes = memo.note_placement == "footnotes"
    seen: set[int] = set()  # the notes whose footnote is placed already
    lines = _preamble(memo, body, sans) + _front(memo)
    for section in memo.sections:
        lines += _section(memo, section, footnotes, seen)
    if memo.notes and not footnotes:
        lines += _endnotes(memo)
    words = memo.words
    if memo.bibliography:
        lines.append(f"#heading(level: 2, {_text(words.bibliography)})")
        size = LOOKS[memo.layout].note + 0.6
        lines += [
            f"#par(hanging-indent: 18pt, text(size: {size}pt, "
            f"[{_inlines(memo, entry.content, footnotes, seen)}]))"
            for entry in memo.bibliography
        ]
    if memo.summary:
        lines.append(f"#heading(level: 2, {_text(words.summary)})")
        lines += [f"#par({_text(line)})" for line in memo.summary]
    folders = sorted({f for f in (body_folder, sans_folder) if f})
    return "\n\n".join(lines) + "\n", folders


def _preamble(memo: Memo, body: str, sans: str) -> list[str]:
    """Return the document's metadata, styles and pages, their furniture drawn behind
    the text (typst makes the page's background an artifact)."""
    look = LOOKS[memo.layout]
    head = memo.header
    fallbacks = ", ".join(
        _str(_name(scripts.FONTS / f"{f}-Regular.ttf")) for f in scripts.FALLBACKS
    )
    lang, _, region = memo.language.partition("-")
    before, between, after = memo.words.page_parts()
    author = f"({_str(head.organisation)},)" if head.organisation else "()"
    return [
        "#set document("
        f"title: {_str(head.title)}, author: {author}, "
        f"keywords: ({''.join(_str(k) + ', ' for k in head.keywords)}), "
        f"description: {_str(head.subject) if head.subject else 'none'}, "
        f"date: {_date(head.iso_date)})",
        f"#let body-fonts = ({_str(body)}, {fallbacks})",
        f"#let sans-fonts = ({_str(sans)}, {fallbacks})",
        f"#let accent = rgb({_str(memo.branding.accent)})",
        '#let grey = rgb("#666666")',
        f"#let banner = {_str(memo.banner)}",
        f"#let running = {_str(' '.join(head.title.split()))}",
        f"#let organisation = {_str(' '.join(head.organisation.split()))}",
        f"#set text(font: body-fonts, size: {look.body}pt, lang: {_str(lang.lower())}"
        + (f", region: {_str(region)}" if len(region) == 2 else "")
        + ")",
        # a line as tall as the type, so that leading is reportlab's, baseline to baseline
        "#set text(top-edge: 0.8em, bottom-edge: -0.2em)",
        f"#set par(leading: {look.leading - look.body}pt, "
        f"spacing: {look.space + look.leading - look.body}pt)",
        "#show link: set text(fill: accent)",
        f"#show heading: set text(font: sans-fonts, size: {look.heading}pt, fill: accent)",
        f"#show heading: set block(above: {look.space * 2.2 + 3}pt, below: {look.space + 1}pt)",
        f"#show <title>: set text(size: {look.title}pt)",
        "#show outline: set heading(offset: 1)",
        '#set footnote.entry(separator: line(length: 45mm, stroke: 0.5pt + rgb("#9fb0c4")))',
        f"#show footnote.entry: set text(size: {look.note}pt)",
        "#set footnote.entry(indent: 0pt, gap: 0.4em)",
        "#set page(",
        f"  paper: {_str('a4' if memo.page_size == 'A4' else 'us-letter')},",
        "  margin: (left: 20mm, right: 20mm, top: 24mm, bottom: 22mm),",
        "  header: none, footer: none,",
        "  background: context {",
        '    let banner-line = text(font: sans-fonts, weight: "bold", size: 9pt,'
        ' fill: rgb("#8a1c1c"), banner)',
        "    place(top + center, dy: 7mm, banner-line)",
        "    if here().page() > 1 {",
        "      place(top + left, dx: 20mm, dy: 13mm, box(width: 100% - 40mm, height: 8pt,"
        " clip: true, text(font: sans-fonts, size: 7.5pt, fill: grey, running)))",
        "    }",
        "    place(bottom + left, dx: 20mm, dy: -16.5mm, line(length: 100% - 40mm,"
        ' stroke: 0.4pt + rgb("#9fb0c4")))',
        "    place(bottom + left, dx: 20mm, dy: -12mm, box(width: 70% - 28mm, height: 8pt,"
        " clip: true, text(font: sans-fonts, size: 7.5pt, fill: grey, organisation)))",
        "    place(bottom + right, dx: -20mm, dy: -12mm, text(font: sans-fonts, size: 7.5pt,"
        f" fill: grey, {_str(before)} + str(here().page()) + {_str(between)}"
        f" + str(counter(page).final().first()) + {_str(after)}))",
        "    place(bottom + center, dy: -6.5mm, banner-line)",
        "  },",
        ")",
        f"#context [#metadata(counter(page).final().first()) <{PAGES_LABEL}>]",
    ]


def _front(memo: Memo) -> list[str]:
    """Return the logo, organisation, title, TO/FROM block, rule and contents."""
    look = LOOKS[memo.layout]
    head = memo.header
    lines = []
    if memo.branding.logo:
        logo = Path(memo.branding.logo)
        lines.append(
            "#place(top + right, dy: -2mm, float: false, figure(image("
            f"{_str(str(logo))}, height: 13mm, alt: {_str(memo.branding.logo_alt)})))"
        )
    if head.organisation:
        lines.append(
            f'#text(font: sans-fonts, size: {look.note + 0.6}pt, fill: rgb("#555555"), '
            f"{_text(head.organisation.upper())})"
        )
        lines.append("#v(2pt)")
    lines.append(
        f"#heading(level: 1, outlined: false, bookmarked: false, {_text(head.title)})<title>"
    )
    lines.append(f"#v({look.space * 1.5}pt)")
    lines += _header_table(memo, look.note + 0.6)
    lines.append("#line(length: 100%, stroke: 1.4pt + accent)")
    if memo.contents:
        lines.append(f"#outline(title: {_text(memo.words.contents)}, depth: 2)")
    return lines


def _endnotes(memo: Memo) -> list[str]:
    """Return the Notes section: a numbered list, in as many columns as the memo asks.

    typst fills a column before it starts the next, so the notes are dealt out evenly.
    """
    items = [
        f"enum.item({n.number}, [#metadata({n.number}) <note-{n.number}>"
        f"{_inlines(memo, n.content, False, set())}])"
        for n in memo.notes
    ]
    count = memo.note_columns
    share = -(-len(items) // count)
    lists = [
        f'enum(numbering: "1.", {", ".join(items[i : i + share])})'
        for i in range(0, len(items), share)
    ]
    return [
        f"#heading(level: 2, {_text(memo.words.notes)})",
        f"#[#set text(size: {LOOKS[memo.layout].endnote}pt)\n"
        f"#grid(columns: {count}, column-gutter: 10pt, {', '.join(lists)})]",
    ]


def _header_table(memo: Memo, size: float) -> list[str]:
    """Return the TO/FROM/DATE block: bold sans labels beside the values; in the one-page
    layout two fields a row, so that the header takes half the height."""
    rows = header_rows(memo.header)
    if not rows:
        return []
    cells = ", ".join(
        f'text(font: sans-fonts, weight: "bold", size: {size}pt, {_text(label)}), {_text(value)}'
        for label, value in rows
    )
    columns = "(18mm, 66mm, 18mm, 1fr)" if memo.layout == "one-page" else "(24mm, 1fr)"
    return [f"#grid(columns: {columns}, row-gutter: 3pt, {cells})"]


def _section(memo: Memo, section: Section, footnotes: bool, seen: set[int]) -> list[str]:
    """Return a section: its heading, prose as paragraphs, each run of claims a list."""
    out = [f"#heading(level: 2, {_text(section.title)})"] if section.title else []
    claims: list[str] = []
    for block in section.blocks:
        if block.kind == "claim":
            claims.append(_block(memo, block, footnotes, seen))
            continue
        if claims:
            out.append(_list(claims))
            claims = []
        out.append(_block(memo, block, footnotes, seen))
    if claims:
        out.append(_list(claims))
    return out


def _list(items: list[str]) -> str:
    return f"#list(marker: [•], indent: 2pt, body-indent: 6pt, {', '.join(items)})"


def _block(memo: Memo, block: MemoParagraph, footnotes: bool, seen: set[int]) -> str:
    """Return a paragraph with its quotes and remarks: markup for prose, an item for claims."""
    words = memo.words
    look = LOOKS[memo.layout]
    text = ""
    if block.portion:
        text += f"#strong({_text(words.mark.format(block.portion))})#{_text(' ')}"
    if block.new:
        text += f'#text(fill: rgb("#8a1c1c"), size: 0.9em, strong({_text(words.new)}))#{_text(" ")}'
    text += _inlines(memo, block.content, footnotes, seen)
    if block.confidence:
        text += f"#{_text(' ')}#emph({_text(words.mark.format(block.confidence))})"
    parts = [f"#par[{text}]"]
    before, between, after = words.quote_parts()
    small = f"size: {look.note + 0.8}pt"
    for q in block.quotes:
        parts.append(
            f'#pad(left: 12pt, par(text({small}, fill: rgb("#333333"), {_text(before)} + '
            f"emph({_text(words.quoted.format(q.text))}) + "
            f"{_text(between + q.attribution + after)})))"
        )
    for remark in block.remarks:
        parts.append(
            f"#pad(left: 12pt, par(text(font: sans-fonts, size: {look.note + 0.2}pt, "
            f'fill: rgb("#444444"), [{_inlines(memo, remark, footnotes, seen)}])))'
        )
    content = "\n".join(parts)
    return f"[{content}]" if block.kind == "claim" else content


def _inlines(memo: Memo, content: Sequence[Inline], footnotes: bool, seen: set[int]) -> str:
    """Return spans and note markers as markup, each string a literal."""
    out = []
    for item in content:
        if isinstance(item, NoteRef):
            out.append(_marker(memo, item.number, footnotes, seen))
        else:
            out.append("#" + _span(item))
    return "".join(out)


def _marker(memo: Memo, number: int, footnotes: bool, seen: set[int]) -> str:
    """Return note `number`'s marker: a footnote (its first marker), or a link to the note."""
    label = f"note-{number}"
    note = next((n for n in memo.notes if n.number == number), None)
    if not footnotes or note is None:
        return f"#super(link(<{label}>, {_str(str(number))}))"
    if number in seen:
        return f"#footnote(<{label}>)"
    seen.add(number)
    content = "".join("#" + _span(s) for s in note.content)
    # the memo numbers its notes; typst's count is set to agree, whatever their order
    return f"#counter(footnote).update({number - 1})#footnote[{content}]<{label}>"


def _span(span: Span) -> str:
    """Return one span as a typst expression; only http, https and mailto become links."""
    expr = _text(span.text)
    if span.italic:
        expr = f"emph({expr})"
    if span.bold:
        expr = f"strong({expr})"
    if span.url and span.url.lower().startswith(SAFE_SCHEMES):
        expr = f"link({_str(span.url)}, {expr})"
    return expr


def _text(text: str) -> str:
    """Return text the memo shows as a typst expression: canonically composed, without
    bidi overrides, and a long word breakable.

    typst draws a letter written with a combining mark as two glyphs, with no ActualText:
    text extraction that orders glyphs by position (pdftotext, on a page it takes for
    right to left) put the mark before its letter. Composed, "é" is one glyph; NFC is
    the same text, as Unicode defines it. An override (U+202D, U+202E) would have typst
    draw letters, and so its text layer hold them, reversed; the characters' own
    directions order the text, as the reportlab writer orders it. typst never breaks a
    word, which a long one would run off the page; cut into boxes, it may break between
    them, and its text stays whole (not a word of a script whose letters join or whose
    order the boxes would fix: those are shaped whole).
    """
    text = unicodedata.normalize("NFC", text).translate(_OVERRIDES)
    parts = []
    for part in re.split(r"(\s+)", text):
        if len(part) <= LONG_WORD or pdf_text.needs_shaping(part):
            parts.append(_str(part))
        else:
            parts += [f"box({_str(piece)})" for piece in _chunks(part)]
    parts = [p for p in parts if p != '""'] or ['""']
    return parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"


def _chunks(word: str) -> list[str]:
    """Return `word` cut into pieces of about half LONG_WORD, never before a mark."""
    pieces: list[str] = []
    for char in word:
        if pieces and (len(pieces[-1]) < LONG_WORD // 2 or unicodedata.combining(char)):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def _str(text: str) -> str:
    """Return `text` as a typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _CONTROL.sub(lambda m: f"\\u{{{ord(m.group()):x}}}", escaped) + '"'


def _date(iso: str) -> str:
    if not iso:
        return "none"
    year, month, day = (int(part) for part in iso.split("-"))
    return f"datetime(year: {year}, month: {month}, day: {day}, hour: 0, minute: 0, second: 0)"


def _family(font: str) -> tuple[str, str | None]:
    """Return a font setting's family name, and the folder of a workspace font file."""
    if font in SHIPPED:
        return _name(scripts.FONTS / f"{SHIPPED[font]}-Regular.ttf"), None
    path = Path(font)
    return _name(path), str(path.parent)


@cache
def _name(path: Path) -> str:
    """Return the family name of a font file, as typst finds it."""
    with TTFont(path, lazy=True) as font:
        return str(font["name"].getBestFamilyName())
