"""OOXML python-docx has no API for: notes parts, links, fields, properties, fixed zip bytes.

Elements are built with lxml through python-docx's `OxmlElement`, and text is always
set as element text, never pasted into XML strings, so user text cannot break the XML.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from lxml import etree

from .. import measure

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTES = {
    "footnotes": (
        "footnote",
        "/word/footnotes.xml",
        RT.FOOTNOTES,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    ),
    "endnotes": (
        "endnote",
        "/word/endnotes.xml",
        RT.ENDNOTES,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    ),
}
CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def run(
    text: str,
    style: str | None = None,
    italic: bool = False,
    bold: bool = False,
    size_half_points: int | None = None,
    rtl: bool = False,
) -> Any:
    """Return a `w:r` holding `text`, with an optional character style and formatting.

    `rtl` marks a right-to-left run (Arabic, Persian, Hebrew): Word and LibreOffice then
    order and shape it themselves; the text stays in logical order, as it should.
    """
    r = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    if style:
        props.append(_val("w:rStyle", style))
    if bold:
        props.append(OxmlElement("w:b"))
        if rtl:
            props.append(OxmlElement("w:bCs"))
    if italic:
        props.append(OxmlElement("w:i"))
    if size_half_points:
        props.append(_val("w:sz", str(size_half_points)))
    if rtl:
        props.append(OxmlElement("w:rtl"))
    if len(props):
        r.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    return r


def _val(tag: str, value: str) -> Any:
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    return element


def hyperlink(part: Any, url: str, runs: list[Any]) -> Any:
    """Return a `w:hyperlink` to `url` around `runs`, its relationship added to `part`."""
    r_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    for r in runs:
        link.append(r)
    return link


def field(instruction: str, shown: str, style: str | None = None) -> list[Any]:
    """Return the runs of a complex field (PAGE, NUMPAGES, TOC…) with its shown result."""

    def char(kind: str) -> Any:
        r = OxmlElement("w:r")
        if style:
            props = OxmlElement("w:rPr")
            props.append(_val("w:rStyle", style))
            r.append(props)
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        r.append(mark)
        return r

    instr = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    return [char("begin"), instr, char("separate"), run(shown, style), char("end")]


def note_reference(kind: str, number: int) -> Any:
    """Return the run that marks note `number` in the text (a footnote or endnote)."""
    tag = NOTES[kind][0]
    r = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    props.append(_val("w:rStyle", f"{tag.capitalize()}Reference"))
    r.append(props)
    ref = OxmlElement(f"w:{tag}Reference")
    ref.set(qn("w:id"), str(number))
    r.append(ref)
    return r


def endnote_anchor(number: int) -> str:
    """Return the bookmark name of endnote `number` (a body paragraph; see the writer)."""
    return f"_Note{number}"


def endnote_link(number: int) -> Any:
    """Return the marker of endnote `number`: its number, raised, linked to the note."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), endnote_anchor(number))
    link.set(qn("w:history"), "1")
    link.append(run(str(number), "EndnoteReference"))
    return link


def float_picture(inline: Any, top: int) -> None:
    """Turn an inline picture into one anchored `top` EMU below the page's top edge and
    against the right margin, taking no room in the text: the PDF draws the logo on the
    page the same way, and an inline picture in a line of exact height is cut to it."""
    anchor = OxmlElement(
        "wp:anchor",
        {
            "distT": "0",
            "distB": "0",
            "distL": "0",
            "distR": "0",
            "simplePos": "0",
            "relativeHeight": "1",
            "behindDoc": "0",
            "locked": "1",
            "layoutInCell": "1",
            "allowOverlap": "1",
        },
    )
    anchor.append(OxmlElement("wp:simplePos", {"x": "0", "y": "0"}))
    across = OxmlElement("wp:positionH", {"relativeFrom": "margin"})
    align = OxmlElement("wp:align")
    align.text = "right"
    across.append(align)
    down = OxmlElement("wp:positionV", {"relativeFrom": "page"})
    offset = OxmlElement("wp:posOffset")
    offset.text = str(top)
    down.append(offset)
    anchor.extend([across, down])
    for child in list(inline):
        if child.tag == qn("wp:docPr"):
            anchor.append(OxmlElement("wp:wrapNone"))
        anchor.append(child)
    inline.getparent().replace(inline, anchor)


def tab() -> Any:
    """Return a run holding a tab."""
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:tab"))
    return r


def section_columns(sect: Any, count: int, gap: Any, continuous: bool) -> None:
    """Set a section's text columns (`gap` apart) and whether it starts on the same page."""
    for old in sect.findall(qn("w:cols")) + sect.findall(qn("w:type")):
        sect.remove(old)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(count))
    if gap is not None:
        cols.set(qn("w:space"), str(gap.twips))
    # w:type comes before the page's size, w:cols after its margins (the schema's order)
    sect.find(qn("w:pgMar")).addnext(cols)
    if continuous:
        kind = _val("w:type", "continuous")
        sect.find(qn("w:pgSz")).addprevious(kind)


class NotesPart:
    """A footnotes or endnotes part: the separators Word expects, then one note per number."""

    def __init__(self, document_part: Any, kind: str) -> None:
        tag, partname, reltype, content_type = NOTES[kind]
        self.kind = kind
        self.tag = tag
        # the separators are as tall as the space the PDF keeps around its rule
        line = f'w:line="{round(sum(measure.FOOTNOTE_RULE) * 20)}" w:lineRule="exact"'
        xml = (
            f"<w:{kind} {nsdecls('w', 'r')}>"
            f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
            f"{line}/></w:pPr><w:r><w:separator/></w:r></w:p>"
            f"</w:{tag}>"
            f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
            f'w:after="0" {line}/></w:pPr><w:r>'
            f"<w:continuationSeparator/></w:r></w:p></w:{tag}>"
            f"</w:{kind}>"
        )
        self.part = XmlPart(PackURI(partname), content_type, parse_xml(xml), document_part.package)
        document_part.relate_to(self.part, reltype)
        _note_settings(document_part, tag)

    def add(self, number: int, fill: Callable[[Any, Any], None]) -> None:
        """Add note `number`; `fill(paragraph_element, part)` appends its content runs."""
        note = OxmlElement(f"w:{self.tag}")
        note.set(qn("w:id"), str(number))
        p = OxmlElement("w:p")
        props = OxmlElement("w:pPr")
        props.append(_val("w:pStyle", f"{self.tag.capitalize()}Text"))
        p.append(props)
        ref = OxmlElement("w:r")
        ref_props = OxmlElement("w:rPr")
        ref_props.append(_val("w:rStyle", f"{self.tag.capitalize()}Reference"))
        ref.append(ref_props)
        ref.append(OxmlElement(f"w:{self.tag}Ref"))
        p.append(ref)
        p.append(tab())  # the number hangs, the text lines align, as in the PDF
        fill(p, self.part)
        note.append(p)
        self.part.element.append(note)


def _note_settings(document_part: Any, tag: str) -> None:
    """Declare the separator notes in settings.xml, as Word itself does."""
    settings = document_part.settings.element
    if settings.find(qn(f"w:{tag}Pr")) is not None:
        return
    props = OxmlElement(f"w:{tag}Pr")
    props.append(_val("w:numFmt", "decimal"))  # Word numbers endnotes i, ii, iii otherwise
    for ident in ("-1", "0"):
        ref = OxmlElement(f"w:{tag}")
        ref.set(qn("w:id"), ident)
        props.append(ref)
    # settings children have a schema order; before w:compat is a valid place for both
    anchor = settings.find(qn("w:compat"))
    if anchor is not None:
        anchor.addprevious(props)
    else:
        settings.append(props)
    _section_numbering(document_part, tag)


def _section_numbering(document_part: Any, tag: str) -> None:
    """Number the section's notes 1, 2, 3 (its own setting wins over the document's)."""
    sect = document_part.document.sections[0]._sectPr
    props = OxmlElement(f"w:{tag}Pr")
    props.append(_val("w:numFmt", "decimal"))
    refs = [
        c
        for c in sect
        if c.tag in (qn("w:headerReference"), qn("w:footerReference"), qn("w:footnotePr"))
    ]
    if refs:
        refs[-1].addnext(props)
    else:
        sect.insert(0, props)


def bookmark(p: Any, ident: int, name: str) -> None:
    """Wrap the contents of paragraph `p` in a bookmark."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    props = p.find(qn("w:pPr"))
    if props is not None:
        props.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def toc_paragraphs(entries: list[tuple[str, str, int]], tab: int) -> list[Any]:
    """Return the paragraphs of a TOC field whose result already lists `entries`.

    Each entry (title, bookmark, page) is laid out as Word lays out its own: the title, a
    dot leader to a right tab at `tab` twips and a PAGEREF field showing the page, all
    linking to its heading's bookmark. So Word and LibreOffice show the numbers on
    opening, and the field itself (TOC \\o "1-1" \\h) is rebuilt whenever fields update.
    """
    paragraphs = []
    for i, (title, anchor, page) in enumerate(entries):
        p = OxmlElement("w:p")
        props = OxmlElement("w:pPr")
        props.append(_val("w:pStyle", "TOC1"))
        tabs = OxmlElement("w:tabs")
        stop = _val("w:tab", "right")
        stop.set(qn("w:leader"), "dot")
        stop.set(qn("w:pos"), str(tab))
        tabs.append(stop)
        props.append(tabs)
        p.append(props)
        if i == 0:
            for r in field_start('TOC \\o "1-1" \\h \\z \\u'):
                p.append(r)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
        link.append(run(title))
        tab_run = OxmlElement("w:r")
        tab_run.append(OxmlElement("w:tab"))
        link.append(tab_run)
        for r in field(f"PAGEREF {anchor} \\h", str(page)):
            link.append(r)
        p.append(link)
        if i == len(entries) - 1:
            p.append(_field_char("end"))
        paragraphs.append(p)
    return paragraphs


def _field_char(kind: str) -> Any:
    r = OxmlElement("w:r")
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    r.append(mark)
    return r


def field_start(instruction: str) -> list[Any]:
    """Return the runs that open a complex field and begin its shown result."""
    instr = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    return [_field_char("begin"), instr, _field_char("separate")]


def add_custom_properties(document_part: Any, properties: dict[str, str]) -> None:
    """Add docProps/custom.xml with text properties (the memo's manifest)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns, "vt": vt})
    for pid, (name, value) in enumerate(properties.items(), start=2):  # Word starts at 2
        prop = etree.SubElement(
            root, f"{{{ns}}}property", fmtid=CUSTOM_FMTID, pid=str(pid), name=name
        )
        etree.SubElement(prop, f"{{{vt}}}lpwstr").text = value
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document_part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPS_CT, xml, package)
    package.relate_to(part, CUSTOM_PROPS_RT)


APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def set_app_properties(package: Any, values: dict[str, str]) -> None:
    """Replace docProps/app.xml (the extended properties) with `values`, in their order."""
    root = etree.Element(f"{{{APP_NS}}}Properties", nsmap={None: APP_NS})
    for name, value in values.items():
        etree.SubElement(root, f"{{{APP_NS}}}{name}").text = value
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = xml


def app_version(version: str) -> str:
    """Return a version as app.xml holds one, XX.YYYY (0.1.0 is 00.0001): Word refuses
    to open a file whose AppVersion has another form."""
    major, minor = ([int(n) for n in version.split(".")[:2]] + [0])[:2]
    return f"{major:02d}.{minor:04d}"


def text_of(elements: list[Any]) -> str:
    """Return the text `elements` show, a line a paragraph, tabs and breaks as spaces:
    what a reader reads, for the word count (field codes are not text)."""
    lines = []
    for element in elements:
        for p in element.iter(qn("w:p")):
            shown = []
            for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
                if node.tag == qn("w:t"):
                    shown.append(node.text or "")
                elif node.getparent().tag == qn("w:r"):  # not a tab stop's definition
                    shown.append(" ")
            lines.append("".join(shown))
    return "\n".join(lines)


# --- the package ---------------------------------------------------------------------------


def drop_template_leftovers(doc: Any) -> None:
    """Drop what python-docx's template holds that would mislead Word about this memo.

    Its thumbnail is a blank page; stylesWithEffects.xml is a stale copy of the styles
    (Calibri and Cambria) that Word 2010 reads instead of ours; compatibility mode 14
    would open the memo as a Word 2010 file, "[Compatibility Mode]" in the title bar.
    """
    package = doc.part.package
    for rels, kind in ((package.rels, "/thumbnail"), (doc.part.rels, "/stylesWithEffects")):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith(kind):
                rels.pop(r_id)
    for setting in doc.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


# Languages whose text Word keeps in the east-Asian or the complex-script (bidi) slot.
EAST_ASIAN = ("zh", "ja", "ko")
COMPLEX_SCRIPT = ("ar", "fa", "he", "ur", "yi", "ps")


def set_language(doc: Any, tag: str) -> None:
    """Tag the memo's text as `tag` in the style defaults, so Word spell-checks it in the
    memo's language: python-docx's template says en-US whatever the memo is in.

    Word takes a run's language from one of three slots by its script; the east-Asian and
    complex-script slots keep the template's languages unless `tag` is one of theirs."""
    defaults = _child(doc.styles.element, "w:docDefaults", first=True)
    props = _child(_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    lang = _child(props, "w:lang")  # a house template may have none of these
    lang.set(qn("w:val"), tag)
    primary = tag.split("-")[0].lower()
    if primary in EAST_ASIAN:
        lang.set(qn("w:eastAsia"), tag)
    if primary in COMPLEX_SCRIPT:
        lang.set(qn("w:bidi"), tag)


def _child(parent: Any, tag: str, first: bool = False) -> Any:
    """Return the `tag` child of `parent`, adding it (first, or last) if there is none."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        if first:
            parent.insert(0, child)
        else:
            parent.append(child)
    return child


def deterministic_zip(data: bytes) -> bytes:
    """Return the zip `data` rewritten with fixed times, so equal memos give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
