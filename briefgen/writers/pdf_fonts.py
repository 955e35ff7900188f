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
    # DejaVu Sans ships no italic: its italic names stand for the upright faces
    _family(FALLBACK, {"": FOLDER / "DejaVuSans.ttf", "-Bold": FOLDER / "DejaVuSans-Bold.ttf",
                       "-Italic": FOLDER / "DejaVuSans.ttf",
                       "-BoldItalic": FOLDER / "DejaVuSans-Bold.ttf"})


SHIPPED = {"Noto Serif": SERIF, "Noto Sans": SANS, "DejaVu Sans": FALLBACK}


def _family(name: str, files: dict[str, Path]) -> None:
    """Register a family's four faces and map bold and italic to them."""
    for suffix, path in files.items():
        pdfmetrics.registerFont(TTFont(f"{name}{suffix}", path))
    addMapping(name, 0, 0, name)
    addMapping(name, 1, 0, f"{name}-Bold")
    addMapping(name, 0, 1, f"{name}-Italic")
    addMapping(name, 1, 1, f"{name}-BoldItalic")


def family(font: str) -> str:
    """Return the registered family for a shipped font name or a workspace .ttf file.

    A workspace font is one file: its bold and italic are that same face, since
    synthesising them would misrepresent the typeface.
    """
    register()
    if font in SHIPPED:
        return SHIPPED[font]
    path = Path(font)
    name = f"Workspace-{path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        _family(name, {s: path for s in FACES})
    return name
