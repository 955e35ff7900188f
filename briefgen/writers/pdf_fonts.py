"""The TrueType fonts the PDF writer embeds, shipped in briefgen/fonts (SIL OFL 1.1)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FOLDER = Path(__file__).resolve().parent.parent / "fonts"
SERIF = "NotoSerif"
SANS = "NotoSans"
FALLBACK = "DejaVuSans"  # wide coverage: right-to-left runs and what Noto Serif lacks
FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


@lru_cache(maxsize=1)
def register() -> None:
    """Register the serif, sans and Arabic families once per process."""
    for family in (SERIF, SANS):
        for suffix, face in FACES.items():
            pdfmetrics.registerFont(TTFont(f"{family}{suffix}", FOLDER / f"{family}-{face}.ttf"))
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, f"{family}-Bold")
        addMapping(family, 0, 1, f"{family}-Italic")
        addMapping(family, 1, 1, f"{family}-BoldItalic")
    pdfmetrics.registerFont(TTFont(FALLBACK, FOLDER / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(f"{FALLBACK}-Bold", FOLDER / "DejaVuSans-Bold.ttf"))
    addMapping(FALLBACK, 0, 0, FALLBACK)
    addMapping(FALLBACK, 1, 0, f"{FALLBACK}-Bold")
    addMapping(FALLBACK, 0, 1, FALLBACK)  # no italic face: upright is the honest fallback
    addMapping(FALLBACK, 1, 1, f"{FALLBACK}-Bold")
