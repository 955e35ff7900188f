"""The characters each drawn glyph stands for, and the ToUnicode map that gives them back.

reportlab names a glyph by the first character its font maps to it, and builds a PDF
font's ToUnicode map from those names: a Persian digit that shares its glyph with an
Arabic-Indic one, a mirrored bracket or a contextual form would reach the text layer as
the other character. Here a glyph drawn for another character gets a private code of
its own whose ToUnicode entry is the character written.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts


def keep_characters(part: Any, shaped: Any) -> Any:
    """Give back each glyph of a shaped word the characters it was drawn for.

    reportlab names a glyph by the first character the font maps to it: a Persian six
    (U+06F6) that shares its glyph with the Arabic-Indic six would reach the text layer as
    the other digit, a bracket HarfBuzz mirrored as the other bracket, a contextual form
    as a presentation form. A glyph that stands for one character, drawn for another, gets
    a private code of its own whose ToUnicode entry is the character written.
    """
    if shaped is part:
        return shaped
    text = "".join(s for f, s in part[1:] if not hasattr(f, "cbDefn"))
    items = [
        item
        for item in shaped[1:]
        if not hasattr(item[0], "cbDefn") and getattr(item[1], "__shapeData__", None)
    ]
    clusters = [
        info.cluster
        for item in items
        for info in item[1].__shapeData__
        if 0 <= info.cluster < len(text)
    ]
    starts = sorted(set(clusters))
    glyphs_of = {c: clusters.count(c) for c in starts}
    out = [shaped[0]]
    for item in shaped[1:]:
        if not any(item is kept for kept in items):
            out.append(item)
            continue
        frag, data = item[0], item[1].__shapeData__
        face = pdfmetrics.getFont(frag.fontName).face
        chars = list(item[1])
        for i, info in enumerate(data):
            if not 0 <= info.cluster < len(text):
                continue
            at = starts.index(info.cluster)
            written = text[info.cluster : starts[at + 1] if at + 1 < len(starts) else len(text)]
            if written != chars[i]:
                chars[i] = drawn_for(face, chars[i], written, glyphs_of[info.cluster] == 1)
        out.append((frag, ttfonts.ShapedStr("".join(chars), shapeData=data), *item[2:]))
    return shaped.__class__(out)


def drawn_for(face: Any, char: str, written: str, alone: bool) -> str:
    """Return the code to draw `char`'s glyph by, standing for the `written` characters."""
    to_glyph = face.charToGlyph
    glyph = to_glyph.get(ord(char))
    if len(written) == 1 and to_glyph.get(ord(written)) == glyph:
        return written  # one glyph for both characters
    if written in ("\u200c", "\u200d") and char == " ":
        # HarfBuzz sets a joiner as a blank glyph: the joiner stays in the text layer, so
        # that the word stays one word
        if ord(written) not in to_glyph:
            to_glyph[ord(written)] = glyph
            face.charWidths[ord(written)] = 0
        return written
    private = _PRIVATE.setdefault(face.name.decode("latin-1"), {})
    if 0xE000 <= ord(char) < 0xF000:  # reportlab's code for a glyph no character maps to
        private.setdefault(ord(char), written)
        return char
    if not alone or glyph is None:
        return char
    codes = _CODES.setdefault(face.name, {})
    code = codes.get((glyph, written))
    if code is None:
        code = 0xF000 + len(codes)
        while code in to_glyph:
            code += 1
        if code > 0xF8FF:
            return char
        to_glyph[code] = glyph
        face.charWidths[code] = face.charWidths.get(ord(char), 0)
        codes[(glyph, written)] = code
        private[code] = written
    return chr(code)


# The private codes given to glyphs drawn for other characters, by font and (glyph, text).
_CODES: dict[bytes, dict[tuple[int, str], int]] = {}
# The characters each glyph stands for that HarfBuzz chose and no character maps to (a
# lam-alef ligature), by font: reportlab numbers such glyphs from U+E000 up, font by font.
_PRIVATE: dict[str, dict[int, str]] = {}


def _unicode_of(code: int, private: dict[int, str]) -> str:
    """Return the characters a subset's code stands for: a presentation form's own letters,
    a ligature's characters."""
    if code in private:
        return private[code]
    char = chr(code)
    decomposition = unicodedata.decomposition(char)
    if (
        decomposition.startswith(("<initial>", "<medial>", "<final>", "<isolated>", "<compat>"))
        and (0xFB00 <= code <= 0xFEFF)
        and unicodedata.category(char)[0] == "L"
    ):  # not the Rial sign, U+FDFC
        return unicodedata.normalize("NFKC", char)
    return char


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """Return a font subset's ToUnicode CMap, as reportlab's, mapped to the text written.

    reportlab keeps the first subset's codes below 32 free, naming them U+0000: those are
    left out, since a glyph mapped to U+0000 has no text (PDF/UA and PDF/A forbid it). The
    entries go in blocks of at most 100, as the CMap format allows.
    """
    private = _PRIVATE.get(fontname.split("+", 1)[-1], {})

    def utf16(text: str) -> str:
        return text.encode("utf-16-be").hex().upper()

    entries = [f"<{i:02X}> <{utf16(_unicode_of(v, private))}>" for i, v in enumerate(subset) if v]
    blocks = []
    for at in range(0, len(entries), 100):
        chunk = entries[at : at + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )
