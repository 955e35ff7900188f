"""The organisation's Word template (`reference-doc`) as the base of a DOCX memo.

As pandoc's --reference-doc does, the memo keeps the template's styles, numbering,
theme, font table and settings, its page setup (the last section's size, margins and
columns) and its headers and footers with their images (the letterhead), and none of its
body: the content is the memo's. The template's definition wins for every style both
define, matched by name as Word knows it ("heading 1", whatever the id a localised Word
gave it); the memo's own styles fill in the ones it lacks.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.parts.numbering import NumberingPart

# the parts of a template's main document that the memo is based on; the rest (its
# body's images and links, comments, notes, building blocks) is the template's content
KEPT = (RT.STYLES, RT.NUMBERING, RT.SETTINGS, RT.WEB_SETTINGS, RT.FONT_TABLE, RT.THEME)
HEADERS_FOOTERS = (RT.HEADER, RT.FOOTER)
# settings that point outside the memo: the template's own template (a path on its
# author's machine), a mail merge's data source, and notes that are no longer there
DROPPED_SETTINGS = ("w:attachedTemplate", "w:mailMerge", "w:footnotePr", "w:endnotePr")
# elements whose w:val names a style by id
STYLE_REFS = tuple(
    qn(f"w:{tag}")
    for tag in ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link", "styleLink")
) + (qn("w:numStyleLink"),)


def based_on(path: str, ours: Any, used: Iterable[str]) -> Any:
    """Return a document made from the template at `path`, its body emptied, holding the
    styles of `ours` (the document the memo's styles are defined in) named in `used`
    that the template lacks, with the styles they are based on."""
    doc = Document(path)
    _empty(doc)
    renamed = _adopt_ids(doc, ours)
    _rename_refs(doc, renamed)
    _fill_in(doc, ours, used)
    return doc


def _empty(doc: Any) -> None:
    """Remove the template's body, and the parts and settings only it needed."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sect = body.get_or_add_sectPr()
    for tag in ("w:footnotePr", "w:endnotePr"):  # the memo numbers its notes itself
        for element in sect.findall(qn(tag)):
            sect.remove(element)
    referenced = {ref.get(qn("r:id")) for ref in sect}
    rels = doc.part.rels
    for r_id, rel in list(rels.items()):
        kept = rel.reltype in KEPT or (rel.reltype in HEADERS_FOOTERS and r_id in referenced)
        if not kept:
            rels.pop(r_id)
    settings = doc.settings.element
    for tag in DROPPED_SETTINGS:
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    settings_rels = doc.part._settings_part.rels
    for r_id in list(settings_rels):  # the files those settings named
        settings_rels.pop(r_id)
    package_rels = doc.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:  # the memo writes its own
            package_rels.pop(r_id)
    props = doc.core_properties  # those the memo does not set, lest the template's show
    props.category = props.content_status = props.identifier = props.version = ""


def _names(styles: Any) -> dict[str, Any]:
    """Return the style elements of a styles part by name, as Word knows them."""
    return {s.name_val.lower(): s for s in styles.style_lst if s.name_val}


def _adopt_ids(doc: Any, ours: Any) -> dict[str, str]:
    """Give the template's styles the names and ids the memo's styles of the same name
    have (LibreOffice writes "Heading 1" where Word writes "heading 1"; the writer refers
    to notes', links' and contents' styles by id); return the renamed ids."""
    theirs = doc.styles.element
    taken = {s.styleId for s in theirs.style_lst}
    mine_by_name = _names(ours.styles.element)
    renamed: dict[str, str] = {}
    for name, style in _names(theirs).items():
        mine = mine_by_name.get(name)
        if mine is None:
            continue
        style.name_val = mine.name_val
        if mine.styleId == style.styleId or mine.styleId in taken:
            continue
        renamed[style.styleId] = mine.styleId
        style.styleId = mine.styleId
    return renamed


def _rename_refs(doc: Any, renamed: dict[str, str]) -> None:
    """Point every reference to a renamed style at its new id: in the styles, the
    numbering and the headers and footers (the body is empty)."""
    if not renamed:
        return
    parts = [doc.part._styles_part]
    parts += [rel.target_part for rel in doc.part.rels.values() if rel.reltype in HEADERS_FOOTERS]
    parts += [rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.NUMBERING]
    for part in parts:
        for element in part.element.iter(*STYLE_REFS):
            value = element.get(qn("w:val"))
            if value in renamed:
                element.set(qn("w:val"), renamed[value])


def _fill_in(doc: Any, ours: Any, used: Iterable[str]) -> None:
    """Copy the styles of `used` that the template lacks, with those they are based on,
    link to or are followed by, and a list definition for any that numbers paragraphs."""
    theirs = doc.styles.element
    have = _names(theirs)
    mine = _names(ours.styles.element)
    by_id = {s.styleId: s for s in ours.styles.element.style_lst}
    wanted = [n.lower() for n in used]
    seen: set[str] = set()
    while wanted:
        name = wanted.pop(0)
        if name in seen or name in have or name not in mine:
            continue
        seen.add(name)
        style = copy.deepcopy(mine[name])
        theirs.append(style)
        for ref in style.iter(qn("w:basedOn"), qn("w:next"), qn("w:link")):
            target = by_id.get(ref.get(qn("w:val")))
            if target is not None and target.name_val:
                wanted.append(target.name_val.lower())
        for num in style.iter(qn("w:numId")):
            num.set(qn("w:val"), _list_from(doc, ours, num.get(qn("w:val"))))


def _list_from(doc: Any, ours: Any, num_id: str) -> str:
    """Copy list `num_id` of `ours` (and its abstract definition) into the template's
    numbering, a part made for it if the template has none; return its id there."""
    mine = ours.part.numbering_part.element
    num = next(n for n in mine.num_lst if str(n.numId) == num_id)
    abstract_id = num.abstractNumId.val
    abstract = next(
        a
        for a in mine.iterchildren(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(abstract_id)
    )
    numbering = _numbering(doc).element
    abstracts = list(numbering.iterchildren(qn("w:abstractNum")))
    new_abstract = 1 + max((int(a.get(qn("w:abstractNumId"))) for a in abstracts), default=-1)
    new_num = 1 + max((int(n.numId) for n in numbering.num_lst), default=0)
    abstract = copy.deepcopy(abstract)
    abstract.set(qn("w:abstractNumId"), str(new_abstract))
    for nsid in abstract.iterchildren(qn("w:nsid")):  # Word tells lists apart by it
        abstract.remove(nsid)
    # the schema's order: picture bullets, abstract lists, lists, then Word's cleanup mark
    nums = list(numbering.num_lst)
    if abstracts:
        abstracts[-1].addnext(abstract)
    elif nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    num = copy.deepcopy(num)
    num.set(qn("w:numId"), str(new_num))
    num.abstractNumId.val = new_abstract
    (nums[-1] if nums else abstract).addnext(num)
    return str(new_num)


def _numbering(doc: Any) -> Any:
    """Return the template's numbering part, adding an empty one if it has none."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.NUMBERING:
            return rel.target_part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
    part = NumberingPart(
        PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, doc.part.package
    )
    doc.part.relate_to(part, RT.NUMBERING)
    return part


def renumber_drawings(doc: Any) -> None:
    """Number the body's pictures after the template's letterhead pictures: Word wants
    each drawing's id (`wp:docPr`) unique in the whole document, and python-docx counts
    within the body alone."""
    tag = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    parts = [r.target_part for r in doc.part.rels.values() if r.reltype in HEADERS_FOOTERS]
    used = [int(e.get("id")) for part in parts for e in part.element.iter(tag)]
    offset = max(used, default=0)
    for element in doc.element.body.iter(tag):
        element.set("id", str(int(element.get("id")) + offset))
