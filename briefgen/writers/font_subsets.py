"""The shipped fonts a memo needs, cut down to its characters, for DOCX and HTML.

A DOCX or HTML file names its fonts and leaves them to the reader's machine, which may have
no font for Persian, Chinese or Thai at all. So the fallback families a memo's text needs
(`scripts.font_runs`) travel with it: each subset to the characters the memo uses (with
HarfBuzz, its OpenType layout kept so that Word, LibreOffice and browsers shape it).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from .. import scripts


def needed(texts: Iterable[str], base: frozenset[int]) -> dict[str, set[str]]:
    """Return the fallback families `texts` need, each with the characters it sets."""
    used: dict[str, set[str]] = {}
    for text in texts:
        for start, end, family in scripts.font_runs(text, base):
            if family is not None:
                used.setdefault(family, set()).update(text[start:end])
    return used


@cache
def family_name(family: str) -> str:
    """Return the name an embedded subset of `family` goes by ("briefgen Noto Naskh Arabic").

    A name of its own: a reader that lacks the memo's font (Noto Serif) would otherwise
    stand in for it the embedded font of the closest name, which holds no Latin letters.
    """
    from fontTools.ttLib import TTFont

    with TTFont(scripts.font_file(family), lazy=True) as font:
        return f"briefgen {font['name'].getBestFamilyName()}"


def faces(family: str) -> list[str]:
    """Return the faces a shipped family has: Regular, and Bold where it ships one."""
    return [face for face in ("Regular", "Bold") if scripts.font_file(family, face).exists()]


def _rename(font: object, name: str, face: str) -> None:
    """Give a subset the family name it is embedded under, in every name it carries."""
    table = font["name"]  # type: ignore[index]
    full = name if face == "Regular" else f"{name} {face}"
    postscript = full.replace(" ", "-")
    for record in list(table.names):
        if record.nameID in (1, 16):
            table.setName(name, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 4):
            table.setName(full, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            table.setName(postscript, 6, record.platformID, record.platEncID, record.langID)


# Families whose text needs no shaping: their layout tables are left out of the subset.
UNSHAPED = frozenset({"DroidSansFallback", "NanumGothic", "Symbola", "DejaVuSans"})
LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF")


def subset(family: str, face: str, chars: Iterable[str]) -> bytes:
    """Return a TrueType font of `family`'s `face` holding only `chars` (and what they need)."""
    return _subset(family, face, frozenset(chars) | {" "})


def subset_file(path: Path, chars: Iterable[str]) -> bytes:
    """Return the font file `path` holding only `chars`, under its own names: a memo's
    own font, embedded as the font its styles name."""
    return _cut(path, frozenset(chars) | {" "}, True)


@lru_cache(maxsize=32)
def _subset(family: str, face: str, chars: frozenset[str]) -> bytes:
    """Cut the font, then rename the small result with fontTools."""
    from fontTools.ttLib import TTFont

    result = _cut(scripts.font_file(family, face), chars, family not in UNSHAPED)
    with TTFont(io.BytesIO(result), recalcTimestamp=False) as font:
        _rename(font, family_name(family), face)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


@lru_cache(maxsize=32)
def _cut(path: Path, chars: frozenset[str], shaped: bool) -> bytes:
    """Return the font file `path` cut down to `chars`, its layout tables kept if `shaped`.

    HarfBuzz's subsetter (uharfbuzz, which reportlab's shaping already needs) keeps the
    OpenType layout a reader shapes with, and takes milliseconds where fontTools'
    subsetter takes a second on a CJK font."""
    import uharfbuzz as hb

    cut = hb.SubsetInput()
    cut.unicode_set.update(ord(c) for c in chars)
    cut.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    for everything in (cut.name_id_set, cut.layout_feature_tag_set):
        everything.clear()  # from HarfBuzz's default choice ...
        everything.invert()  # ... to all: the licence's names, every feature a reader uses
    for tag in ("DSIG", "FFTM") + (() if shaped else LAYOUT_TABLES):
        cut.drop_table_tag_set.add(_tag(tag))
    result = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), cut)
    if result is None:
        raise ValueError(f"HarfBuzz cannot subset {path.name}")
    return bytes(result.blob.data)


def _tag(name: str) -> int:
    """Return an OpenType table tag as the number HarfBuzz's sets hold."""
    return int.from_bytes(name.encode("ascii"), "big")
