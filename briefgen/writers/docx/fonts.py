"""Fonts embedded in the DOCX: the memo's own fonts, and shipped ones for the scripts they
lack (OOXML of our own).

python-docx has no API for embedded fonts. Each run of the document (body, header and
footer, notes) whose text needs a shipped fallback family is split by `scripts.font_runs`
and the pieces name that family. The memo's own fonts (body and heading) travel too, so
that a machine without them lays the memo out as designed, to the PDF's measure: each
face a run is set in (regular, bold, italic, bold italic, from the styles and the run's
own properties). Every font goes into the package as Word embeds fonts (ECMA-376 Part 1,
17.8.1): a subset of each face, obfuscated with a key named in `word/fontTable.xml`, and
`w:embedTrueTypeFonts` in the settings.
"""

from __future__ import annotations

import hashlib
import uuid
from copy import deepcopy
from pathlib import Path
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


FACES = ("Regular", "Bold", "Italic", "BoldItalic")
EMBED_TAGS = {face: f"embed{face}" for face in FACES}


def embed(doc: Any, base: frozenset[int], own: dict[str, dict[str, Path]]) -> None:
    """Set every run's characters the memo's fonts lack in a shipped family, and embed
    those families and the memo's own fonts (`own`: each Word name with its faces' files,
    `own_faces`), each face cut down to the characters set in it."""
    used: dict[str, set[str]] = {}
    parts = [p for p in doc.part.package.iter_parts() if getattr(p, "_element", None) is not None]
    for part in parts:
        for run in list(part._element.iter(qn("w:r"))):
            _split(run, base, used)
    faces = _UsedFaces(doc.styles.element, set(own))
    for part in parts:
        faces.read(part._element)
    table = doc.part.part_related_by(RT.FONT_TABLE)
    element = getattr(table, "_element", None)
    as_bytes = element is None  # python-docx reads the font table as bytes, not as XML
    xml: Any = parse_xml(table.blob) if as_bytes else element
    for family in sorted(used):
        chars = {face: used[family] for face in font_subsets.faces(family)}
        xml.append(_font_entry(table, font_subsets.family_name(family), family, chars))
    for name in sorted(faces.chars):
        entry = _font_entry(table, name, None, faces.chars[name], own[name])
        for old in xml.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                xml.remove(old)
        xml.append(entry)
    if as_bytes:
        from lxml import etree

        table._blob = etree.tostring(xml, xml_declaration=True, encoding="UTF-8", standalone=True)
    if used or faces.chars:
        _embed_setting(doc.settings.element)


class _UsedFaces:
    """The characters set in each face of the memo's own fonts, read from the runs.

    A run's font, bold and italic come from its paragraph's style, its character style
    (each with the styles it is based on) and its own properties, in that order."""

    def __init__(self, styles: Any, names: set[str]) -> None:
        self.names = names
        self.chars: dict[str, dict[str, set[str]]] = {}
        self.styles = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.default = _look(defaults, {})
        self.paragraph_default = next(
            (
                s.get(qn("w:styleId"))
                for s in self.styles.values()
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1"
            ),
            None,
        )

    def read(self, root: Any) -> None:
        for p in root.iter(qn("w:p")):
            style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            look = self._style(style.get(qn("w:val")) if style is not None else None)
            for r in p.iter(qn("w:r")):
                text = "".join(t.text or "" for t in r.iter(qn("w:t")))
                if text:
                    self._add(r, look, text)

    def _add(self, r: Any, look: dict[str, Any], text: str) -> None:
        props = r.find(qn("w:rPr"))
        if props is not None:
            char = props.find(qn("w:rStyle"))
            if char is not None:
                look = {**look, **self._chain(char.get(qn("w:val")))}
            look = _look(props, look)
        name = look.get("font")
        if name in self.names:
            face = ("Bold" if look.get("b") else "") + ("Italic" if look.get("i") else "")
            faces = self.chars.setdefault(name, {})
            faces.setdefault(face or "Regular", set()).update(text)

    def _style(self, style_id: str | None) -> dict[str, Any]:
        return {**self.default, **self._chain(style_id or self.paragraph_default)}

    def _chain(self, style_id: str | None) -> dict[str, Any]:
        style = self.styles.get(style_id)
        if style is None:
            return {}
        based = style.find(qn("w:basedOn"))
        look = self._chain(based.get(qn("w:val"))) if based is not None else {}
        return _look(style.find(qn("w:rPr")), look)


def _look(props: Any, look: dict[str, Any]) -> dict[str, Any]:
    """Return `look` with the font, bold and italic that run properties `props` set."""
    if props is None:
        return look
    look = dict(look)
    fonts = props.find(qn("w:rFonts"))
    if fonts is not None and fonts.get(qn("w:ascii")):
        look["font"] = fonts.get(qn("w:ascii"))
    for key in ("b", "i"):
        toggle = props.find(qn(f"w:{key}"))
        if toggle is not None:
            look[key] = toggle.get(qn("w:val"), "1") not in ("0", "false")
    return look


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


def _font_entry(
    table: Any,
    name: str,
    family: str | None,
    chars: dict[str, set[str]],
    files: dict[str, Path] | None = None,
) -> Any:
    """Return the fontTable entry of font `name`, the faces in `chars` embedded as related
    parts: subsets of a shipped fallback `family`, or of the memo's own font, each face
    from its file in `files`, under its own name."""
    entry = parse_xml(
        f'<w:font xmlns:w="{W}" xmlns:r="{R}" w:name="{name}">'
        '<w:charset w:val="00"/><w:family w:val="auto"/>'
        '<w:pitch w:val="variable"/></w:font>'
    )
    stem = family or name.replace(" ", "")
    for face in (f for f in FACES if f in chars):
        if family is not None:
            data = font_subsets.subset(family, face, chars[face])
        else:
            assert files is not None
            data = font_subsets.subset_file(files[face], chars[face])
        key = uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])  # same memo, same bytes
        partname = PackURI(f"/word/fonts/{stem}-{face}.odttf")
        part = Part(partname, FONT_CT, obfuscate(data, key), table.package)
        rid = table.relate_to(part, RT.FONT)
        entry.append(
            parse_xml(
                f'<w:{EMBED_TAGS[face]} xmlns:w="{W}" xmlns:r="{R}" r:id="{rid}" '
                f'w:fontKey="{{{str(key).upper()}}}"/>'
            )
        )
    return entry


def own_faces(font: str) -> dict[str, Path]:
    """Return the file of each face of a memo's own font: a shipped family's faces, a face
    it lacks stood for as the PDF has it, or a workspace .ttf, one file for every face."""
    family = font.replace(" ", "")
    if family not in scripts.FAMILIES:
        return dict.fromkeys(FACES, Path(font))
    faces = {}
    for face in FACES:
        for stand_in in (face, "Bold" if "Bold" in face else "Regular", "Regular"):
            path = scripts.font_file(family, stand_in)
            if path.exists():
                faces[face] = path
                break
    return faces


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
