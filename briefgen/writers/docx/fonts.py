"""Fonts embedded in the DOCX for the scripts the memo's own fonts lack (OOXML of our own).

python-docx has no API for embedded fonts. Each run of the document (body, header and
footer, notes) whose text needs a shipped fallback family is split by `scripts.font_runs`
and the pieces name that family; the family goes into the package as Word embeds fonts
(ECMA-376 Part 1, 17.8.1): a subset of each face, obfuscated with a key named in
`word/fontTable.xml`, and `w:embedTrueTypeFonts` in the settings.
"""

from __future__ import annotations

import hashlib
import uuid
from copy import deepcopy
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ... import scripts
from .. import font_subsets

FONT_CT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# the settings that may come before w:embedTrueTypeFonts, in the schema's order
_BEFORE = (
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
)


def embed_fallbacks(doc: Any, base: frozenset[int]) -> None:
    """Set every run's characters the memo's fonts lack in a shipped family, embedded."""
    used: dict[str, set[str]] = {}
    for part in list(doc.part.package.iter_parts()):
        element = getattr(part, "_element", None)
        if element is not None:
            for run in list(element.iter(qn("w:r"))):
                _split(run, base, used)
    if not used:
        return
    table = doc.part.part_related_by(RT.FONT_TABLE)
    element = getattr(table, "_element", None)
    own = element is None  # python-docx reads the font table as bytes, not as XML
    xml: Any = parse_xml(table.blob) if own else element
    for family in sorted(used):
        xml.append(_font_entry(table, family, used[family]))
    if own:
        from lxml import etree

        table._blob = etree.tostring(xml, xml_declaration=True, encoding="UTF-8", standalone=True)
    _embed_setting(doc.settings.element)


def _split(run: Any, base: frozenset[int], used: dict[str, set[str]]) -> None:
    """Split `run` where its text changes font, naming each piece's fallback family."""
    texts = run.findall(qn("w:t"))
    if len(texts) != 1 or not texts[0].text or scripts.holds(base, texts[0].text):
        return
    text = texts[0].text
    pieces = scripts.font_runs(text, base)
    for start, end, family in pieces:
        piece = OxmlRun(run)
        piece.text(text[start:end])
        if family is not None:
            piece.font(font_subsets.family_name(family))
            used.setdefault(family, set()).update(text[start:end])
        run.addprevious(piece.element)
    run.remove(texts[0])
    if len(run) == (run.find(qn("w:rPr")) is not None):
        run.getparent().remove(run)  # nothing left of it but its properties


class OxmlRun:
    """A copy of a run's properties, with a text of its own."""

    def __init__(self, run: Any) -> None:
        self.element = deepcopy(run)
        for child in list(self.element):
            if child.tag != qn("w:rPr"):
                self.element.remove(child)

    def text(self, text: str) -> None:
        t = parse_xml(f'<w:t xmlns:w="{W}" xml:space="preserve"/>')
        t.text = text
        self.element.append(t)

    def font(self, name: str) -> None:
        props = self.element.find(qn("w:rPr"))
        if props is None:
            props = parse_xml(f'<w:rPr xmlns:w="{W}"/>')
            self.element.insert(0, props)
        fonts = props.find(qn("w:rFonts"))
        if fonts is None:
            fonts = parse_xml(f'<w:rFonts xmlns:w="{W}"/>')
            style = props.find(qn("w:rStyle"))
            props.insert(0 if style is None else 1, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), name)


def _font_entry(table: Any, family: str, chars: set[str]) -> Any:
    """Return the fontTable entry of `family`, its faces embedded as related parts."""
    name = font_subsets.family_name(family)
    entry = parse_xml(
        f'<w:font xmlns:w="{W}" xmlns:r="{R}" w:name="{name}">'
        '<w:charset w:val="00"/><w:family w:val="auto"/>'
        '<w:pitch w:val="variable"/></w:font>'
    )
    for face in font_subsets.faces(family):
        data = font_subsets.subset(family, face, chars)
        key = uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])  # same memo, same bytes
        partname = PackURI(f"/word/fonts/{family}-{face}.odttf")
        part = Part(partname, FONT_CT, obfuscate(data, key), table.package)
        rid = table.relate_to(part, RT.FONT)
        tag = "embedRegular" if face == "Regular" else "embedBold"
        entry.append(
            parse_xml(
                f'<w:{tag} xmlns:w="{W}" xmlns:r="{R}" r:id="{rid}" '
                f'w:fontKey="{{{str(key).upper()}}}"/>'
            )
        )
    return entry


def obfuscate(data: bytes, key: uuid.UUID) -> bytes:
    """Return a font obfuscated as ECMA-376 says: its first 32 bytes XORed with the key's
    16 bytes, read from the end of the GUID's hexadecimal digits."""
    digits = key.hex
    order = bytes(int(digits[i : i + 2], 16) for i in range(30, -1, -2))
    head = bytes(b ^ order[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _embed_setting(settings: Any) -> None:
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    at = 0
    for i, child in enumerate(settings):
        if child.tag in {qn(t) for t in _BEFORE}:
            at = i + 1
    settings.insert(at, parse_xml(f'<w:embedTrueTypeFonts xmlns:w="{W}"/>'))
    settings.insert(at + 1, parse_xml(f'<w:saveSubsetFonts xmlns:w="{W}"/>'))
