"""The HTML writer: one self-contained file, to send as an e-mail or read on a phone.

Everything user-written is escaped; only http, https and mailto links are made.
Footnotes become notes at the end with links both ways, as in most web readers.
Many mail clients strip <style>, so css-inline puts every rule of html.css on the
elements it matches; <style> keeps only what no element can hold (@font-face, @media).
The logo, the fonts and the build's manifest travel inside the file.
"""

from __future__ import annotations

import base64
import html
import json
import re
from html import escape
from pathlib import Path

import css_inline

from .. import scripts
from ..model import Inline, Memo, NoteRef, Paragraph, Span, Words, header_rows
from . import font_subsets

SAFE_SCHEMES = ("http://", "https://", "mailto:")
BACK = "↩"  # a note's link back to its marker
BANNER = "#8a1c1c"  # the marking's colour, as the DOCX and the PDF print it

# put on the elements by the inliner: see the file's own comment
CSS = Path(__file__).with_name("html.css").read_text(encoding="utf-8")
# What no element's style attribute can hold: kept in <style>, for the clients that read it.
SCREEN = """
@media screen and (max-width:480px){
.memo{padding:1em .9em 1.5em !important}
h1{font-size:17pt !important}
}
"""
KEEP = '<style data-css-inline="keep">'  # the inliner leaves this <style> as it is
INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, minify_css=True)


def write_html(memo: Memo, path: Path) -> None:
    """Write `memo` as a self-contained HTML file to `path`."""
    path.write_text(render(memo), encoding="utf-8")


def render(memo: Memo) -> str:
    """Return the memo as an HTML document, its styles on its elements."""
    head = memo.header
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(memo.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light only">',
        '<meta name="format-detection" content="telephone=no, date=no, address=no, email=no">',
        f"<title>{escape(head.title)}</title>",
        f'<meta name="author" content="{escape(head.organisation)}">',
        f'<meta name="keywords" content="{escape(", ".join(head.keywords))}">',
        *_manifest(memo),
        f"{KEEP}FACES</style>",
        "<style>CSS</style>",
        "</head>",
        "<body>",
        '<div class="memo">',
        f'<div class="banner">{escape(memo.banner)}</div>',
        _logo(memo),
        f'<div class="org">{escape(head.organisation)}</div>',
        f"<h1>{escape(head.title)}</h1>",
        _header_table(memo),
        "<hr>",
    ]
    headings = _headings(memo)
    if memo.contents:
        parts.append(f'<nav><h2>{escape(memo.words.contents)}</h2><ol class="contents">')
        parts += [f'<li><a href="#{anchor}">{escape(title)}</a></li>' for anchor, title in headings]
        parts.append("</ol></nav>")
    anchors = iter(anchor for anchor, _ in headings)
    for section in memo.sections:
        if section.title:
            parts.append(f'<h2 id="{next(anchors)}">{escape(section.title)}</h2>')
        parts += _blocks(section.blocks, memo.words)
    if memo.notes:
        parts.append(f'<h2>{escape(memo.words.notes)}</h2><ol class="notes">')
        parts += [
            f'<li id="note-{n.number}">{_inlines(list(n.content))} '
            f'<a class="back" href="#ref-{n.number}" aria-label="back">{BACK}</a></li>'
            for n in memo.notes
        ]
        parts.append("</ol>")
    if memo.bibliography:
        parts.append(
            f'<h2 id="{next(anchors)}">{escape(memo.words.bibliography)}</h2><div class="bib">'
        )
        parts += [f"<p>{_inlines(list(b.content))}</p>" for b in memo.bibliography]
        parts.append("</div>")
    if memo.summary:
        parts.append(
            f'<h2 id="{next(anchors)}">{escape(memo.words.summary)}</h2><div class="summary">'
        )
        parts += [f"<p>{escape(line)}</p>" for line in memo.summary]
        parts.append("</div>")
    parts += [
        f'<div class="banner end">{escape(memo.banner)}</div>',
        "</div>",
        "</body>",
        "</html>",
    ]
    page = "\n".join(parts) + "\n"
    faces, css = _css(memo, page)
    page = page.replace("FACES</style>", f"{faces}{SCREEN}</style>", 1)
    page = INLINER.inline(page.replace("<style>CSS</style>", f"<style>{css}</style>", 1))
    return page.replace(KEEP, "<style>", 1)


def _manifest(memo: Memo) -> list[str]:
    """Return the meta element holding the build's manifest, as the DOCX and PDF store it
    (see build.inputs), so the file says what it was made from."""
    if not memo.manifest:
        return []
    data = json.dumps(memo.manifest, sort_keys=True)
    return [f'<meta name="briefgen-manifest" content="{escape(data, quote=True)}">']


def _headings(memo: Memo) -> list[tuple[str, str]]:
    """Return the level-2 headings the contents list, each with its anchor, in order."""
    titles = [s.title for s in memo.sections if s.title]
    titles += [memo.words.bibliography] if memo.bibliography else []
    titles += [memo.words.summary] if memo.summary else []
    return [(f"h{i}", title) for i, title in enumerate(titles, start=1)]


def _logo(memo: Memo) -> str:
    """Return the workspace's logo as an image inside the page (no file beside it)."""
    if not memo.branding.logo:
        return ""
    path = Path(memo.branding.logo)
    kind = LOGO_TYPES.get(path.suffix.lower(), "image/png")
    data = base64.b64encode(path.read_bytes()).decode()
    alt = escape(memo.branding.logo_alt, quote=True)
    return f'<img class="logo" src="data:{kind};base64,{data}" alt="{alt}">'


LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


def _css(memo: Memo, page: str) -> tuple[str, str]:
    """Return the @font-face rules and the style sheet in the workspace's branding: accent
    colour and fonts (a workspace's own TrueType file travels inside the page), with the
    fallback fonts the page's text needs."""
    faces = []
    families = {}
    for role, font in (("BODY", memo.branding.body_font), ("HEADING", memo.branding.heading_font)):
        if font.lower().endswith(".ttf"):
            name = f"briefgen {role.lower()}"
            data = base64.b64encode(Path(font).read_bytes()).decode()
            faces.append(
                f'@font-face{{font-family:"{name}";'
                f'src:url(data:font/ttf;base64,{data}) format("truetype")}}'
            )
            families[role] = f'"{name}"'
        else:
            families[role] = f'"{font}"'
    accent = memo.branding.accent
    css = CSS.replace("ACCENT", accent).replace("RULE", _tint(accent)).replace("BANNER", BANNER)
    fallbacks = _fallback_fonts(page)
    for role, family in families.items():
        css = css.replace(role, ",".join([family, *fallbacks[1]]))
    return "\n".join(faces + fallbacks[0]), css


def _tint(colour: str, strength: float = 0.3) -> str:
    """Return `colour` (#rrggbb) mixed with white, for rules drawn in the accent's hue."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in channels)


def _fallback_fonts(page: str) -> tuple[list[str], list[str]]:
    """Return the @font-face rules of the shipped fallback fonts the page's text needs,
    and their names, to follow the memo's own font in every font list.

    Each is a subset to the page's characters, so that a reader without fonts for these
    scripts still sees them.
    """
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[-1]))
    text = text.replace(BACK, "")  # the notes' own back links need no font of their own
    used = font_subsets.needed([text], scripts.coverage(scripts.SERIF))
    faces, names = [], []
    for family in sorted(used):
        name = font_subsets.family_name(family)
        names.append(f'"{name}"')
        for face in font_subsets.faces(family):
            data = base64.b64encode(font_subsets.subset(family, face, used[family])).decode()
            weight = 700 if face == "Bold" else 400
            faces.append(
                f'@font-face{{font-family:"{name}";font-weight:{weight};'
                f'src:url(data:font/ttf;base64,{data}) format("truetype")}}'
            )
    return faces, names


def _header_table(memo: Memo) -> str:
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in header_rows(memo.header)
    )
    return f'<table class="head">{cells}</table>'


def _blocks(blocks: list[Paragraph], words: Words) -> list[str]:
    out: list[str] = []
    in_list = False
    for block in blocks:
        if block.kind == "claim" and not in_list:
            out.append('<ul class="claims">')
            in_list = True
        elif block.kind != "claim" and in_list:
            out.append("</ul>")
            in_list = False
        out.append(_paragraph(block, words))
    if in_list:
        out.append("</ul>")
    return out


def _paragraph(block: Paragraph, words: Words) -> str:
    mark = escape(words.mark.format(block.portion)) + " " if block.portion else ""
    if block.new:
        mark += f'<span class="new">{escape(words.new)}</span> '
    body = mark + _inlines(block.content)
    if block.confidence:
        body += f' <span class="conf">{escape(words.mark.format(block.confidence))}</span>'
    extras = "".join(
        f'<div class="quote">{escape(words.quote_line(q))}</div>' for q in block.quotes
    )
    extras += "".join(f'<div class="remark">{_inlines(r)}</div>' for r in block.remarks)
    tag = "li" if block.kind == "claim" else "p"
    return f"<{tag}>{body}{extras}</{tag}>"


def _inlines(content: list[Inline]) -> str:
    out = []
    seen: set[int] = set()
    rtl = scripts.has_rtl("".join(i.text for i in content if isinstance(i, Span)))
    for item in content:
        if isinstance(item, NoteRef):
            anchor = "" if item.number in seen else f' id="ref-{item.number}"'
            seen.add(item.number)
            # after a left-to-right mark, a note number stays with its sentence, as in
            # the PDF, whatever script the sentence ends in
            mark = "&lrm;" if rtl else ""
            out.append(f'{mark}<sup{anchor}><a href="#note-{item.number}">{item.number}</a></sup>')
        else:
            out.append(_span(item))
    return "".join(out)


def _span(span: Span) -> str:
    text = escape(span.text)
    if span.italic:
        text = f"<i>{text}</i>"
    if span.bold:
        text = f"<b>{text}</b>"
    if span.url and span.url.lower().startswith(SAFE_SCHEMES):
        text = f'<a href="{escape(span.url, quote=True)}">{text}</a>'
    return text
