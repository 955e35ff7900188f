"""The TrueType fonts the PDF writer embeds, shipped in briefgen/fonts (see its README)."""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from ... import __version__, scripts
from ...readers.files import write_atomic

FOLDER = scripts.FONTS
SERIF = scripts.SERIF
SANS = scripts.SANS
FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


def register() -> None:
    """Make sure the default families (Noto Serif, Noto Sans) are registered.

    Families are registered when first needed: most memos never need the fallback font.
    """
    _shipped(SERIF)
    _shipped(SANS)


@cache
def _shipped(family: str) -> None:
    """Register one shipped family's faces, once per process.

    A fallback family ships an upright face, most a bold one too: its italic names stand
    for them, since a slanted Arabic or Chinese face would misrepresent the script.
    """
    faces = {}
    for suffix, face in FACES.items():
        path = FOLDER / f"{family}-{face}.ttf"
        if not path.exists():
            path = FOLDER / f"{family}-{'Bold' if 'Bold' in face else 'Regular'}.ttf"
        if not path.exists():
            path = FOLDER / f"{family}-Regular.ttf"
        faces[suffix] = _parsed(path)
    _aliases(family, faces)


def ensure(family: str) -> str:
    """Register a shipped family (when a memo needs it) and return its name."""
    _shipped(family)
    return family


def coverage(font_name: str) -> frozenset[int]:
    """Return the code points a registered family's regular face holds."""
    if font_name in scripts.FAMILIES:
        return scripts.coverage(font_name)
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


@cache
def _parsed(path: Path) -> TTFont:
    """Return a font file parsed once; its faces share it under several names.

    reportlab reads a font's character map and widths in Python, slowly for the large
    fonts; what it reads is kept in the user's cache folder, keyed by the file's size and
    change time and by the reportlab and briefgen versions, and read back at once.
    """
    cached = _cache_file(path)
    font = _load_cached(cached, path)
    if font is None:
        font = TTFont(path.stem, path)
        _save_cached(cached, font)
    return font


def _cache_file(path: Path) -> Path | None:
    from ... import speed

    if not speed.fast():
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256(
        f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|"
        f"{reportlab.Version}|{__version__}".encode()
    ).hexdigest()[:24]
    return Path(base) / "briefgen" / "fonts" / f"{path.stem}-{key}.pickle"


def _load_cached(cached: Path | None, path: Path) -> TTFont | None:
    """Return the font kept in `cached`, or None if there is none or it is unusable."""
    if cached is None:
        return None
    try:
        with open(cached, "rb") as handle:
            font_state, face_state = pickle.load(handle)
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(face_state)
        face._ttf_data = path.read_bytes()  # subsets and shaping read the file itself
        scale = 1000 / face.unitsPerEm
        face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * scale)
        font = TTFont.__new__(TTFont)
        font.__dict__.update(font_state)
        font.face = face
        font.encoding = TTEncoding()
        font.state = WeakKeyDictionary()
        return font
    except Exception:  # noqa: BLE001 - a damaged or foreign cache file only costs time
        return None


def _save_cached(cached: Path | None, font: TTFont) -> None:
    if cached is None:
        return
    skip = {"face", "encoding", "state"}
    font_state = {k: v for k, v in font.__dict__.items() if k not in skip}
    face_state = {
        k: v for k, v in font.face.__dict__.items() if k not in ("_ttf_data", "_pdfScale")
    }
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, pickle.dumps((font_state, face_state), protocol=5))
        for old in cached.parent.glob(f"{font.face.filename.stem}-*.pickle"):
            if old != cached and len(old.stem) == len(cached.stem):
                old.unlink(missing_ok=True)  # the same font under an older key
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # no cache folder: fonts are parsed each time


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


SHIPPED = {"Noto Serif": SERIF, "Noto Sans": SANS, "DejaVu Sans": "DejaVuSans"}


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
