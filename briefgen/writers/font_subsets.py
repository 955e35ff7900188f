"""The shipped fallback fonts a memo needs, cut down to its characters, for DOCX and HTML.

A DOCX or HTML file names its fonts and leaves them to the reader's machine, which may have
no font for Persian, Chinese or Thai at all. So the fallback families a memo's text needs
(`scripts.font_runs`) travel with it: each subset to the characters the memo uses (with
fontTools, its OpenType layout kept so that Word, LibreOffice and browsers shape it).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from functools import cache, lru_cache

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
            table.setName(name, record.nameID, record.platformID, record.platEncID,
                          record.langID)
        elif record.nameID in (3, 4):
            table.setName(full, record.nameID, record.platformID, record.platEncID,
                          record.langID)
        elif record.nameID == 6:
            table.setName(postscript, 6, record.platformID, record.platEncID, record.langID)


# Families whose text needs no shaping: their layout tables, the slowest part of a large
# font to read, are left out of the subset.
UNSHAPED = frozenset({"DroidSansFallback", "NanumGothic", "Symbola", "DejaVuSans"})


def subset(family: str, face: str, chars: Iterable[str]) -> bytes:
    """Return a TrueType font of `family`'s `face` holding only `chars` (and what they need)."""
    return _subset(family, face, frozenset(chars) | {" "})


@lru_cache(maxsize=32)
def _subset(family: str, face: str, chars: frozenset[str]) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # tables it drops, by name
    options = ft_subset.Options()
    shaped = family not in UNSHAPED
    options.layout_features = ["*"] if shaped else []  # the reader shapes the text
    options.drop_tables += ["DSIG", "FFTM"] + ([] if shaped else ["GSUB", "GPOS", "GDEF"])
    options.hinting = False
    options.glyph_names = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    with TTFont(scripts.font_file(family, face), lazy=True, recalcTimestamp=False) as font:
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(c) for c in chars))
        subsetter.subset(font)
        _rename(font, family_name(family), face)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()
