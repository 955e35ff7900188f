"""The TrueType fonts the PDF writer embeds, shipped in briefgen/fonts (SIL OFL 1.1)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

FOLDER = Path(__file__).resolve().parent.parent / "fonts"
SERIF = "NotoSerif"
SANS = "NotoSans"
FALLBACK = "DejaVuSans"  # wide coverage: right-to-left runs and what Noto Serif lacks
FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


def register() -> None:
    """Make sure the default families (Noto Serif, Noto Sans) are registered.

    Families are registered when first needed: parsing a font file takes about 16 ms, and
    most memos never need the fallback font.
    """
    _shipped(SERIF)
    _shipped(SANS)


@cache
def _shipped(family: str) -> None:
    """Register one shipped family's four faces, once per process."""
    if family == FALLBACK:
        # DejaVu Sans ships no italic: its italic names stand for the upright faces
        upright, bold = _parsed(FOLDER / "DejaVuSans.ttf"), _parsed(FOLDER / "DejaVuSans-Bold.ttf")
        _aliases(FALLBACK, {"": upright, "-Bold": bold, "-Italic": upright,
                            "-BoldItalic": bold})
        return
    _aliases(family, {suffix: _parsed(FOLDER / f"{family}-{face}.ttf")
                      for suffix, face in FACES.items()})


def ensure_fallback() -> str:
    """Register the fallback family (when a memo needs it) and return its name."""
    _shipped(FALLBACK)
    return FALLBACK


@cache
def _parsed(path: Path) -> TTFont:
    """Return a font file parsed once; its faces share it under several names."""
    return TTFont(path.stem, path)


def _aliases(name: str, faces: dict[str, TTFont]) -> None:
    """Register parsed faces under the family's names and map bold and italic to them."""
    for suffix, parsed in faces.items():
        face = TTFont.__new__(TTFont)
        face.__dict__.update(parsed.__dict__)
        face.fontName = f"{name}{suffix}"
        face.encoding = TTEncoding()  # the parsed file is shared; the subsets are not
        face.state = WeakKeyDictionary()
        pdfmetrics.registerFont(face)
    addMapping(name, 0, 0, name)
    addMapping(name, 1, 0, f"{name}-Bold")
    addMapping(name, 0, 1, f"{name}-Italic")
    addMapping(name, 1, 1, f"{name}-BoldItalic")


SHIPPED = {"Noto Serif": SERIF, "Noto Sans": SANS, "DejaVu Sans": FALLBACK}


def family(font: str) -> str:
    """Return the registered family for a shipped font name or a workspace .ttf file.

    A workspace font is one file: its bold and italic are that same face, since
    synthesising them would misrepresent the typeface.
    """
    if font in SHIPPED:
        _shipped(SHIPPED[font])
        return SHIPPED[font]
    path = Path(font)
    name = f"Workspace-{path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        parsed = _parsed(path)
        _aliases(name, {s: parsed for s in FACES})
    return name
