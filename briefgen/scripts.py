"""Writing systems: which shipped font shows each character, and right-to-left order.

Used by `check` (a character no font can show is an error naming its field), by the PDF
writer, which picks a font per run of text and orders right-to-left runs by the Unicode
Bidirectional Algorithm, and by the DOCX writer, which marks those runs for Word.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
SERIF = "NotoSerif"
SANS = "NotoSans"
# Where a character the paragraph's own font lacks is looked for, in this order: the
# script fonts first (Arabic before Hebrew, Chinese and Japanese before Korean, which
# would otherwise set Chinese characters in its Korean forms), DejaVu Sans for the
# symbols and letters they lack, Symbola for emoji.
FALLBACKS = (
    "NotoNaskhArabic",
    "NotoSansHebrew",
    "NotoSansDevanagari",
    "NotoSerifThai",
    "DroidSansFallback",
    "NanumGothic",
    "DejaVuSans",
    "Symbola",
)
FAMILIES = (SERIF, SANS, *FALLBACKS)

# Characters XML 1.0 cannot hold (C0 controls, lone surrogates, U+FFFE, U+FFFF), the C1
# controls, and the other noncharacters: they would break the DOCX and the PDF's markup,
# or mean nothing to a reader.
_BMP_INVALID = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def invalid(text: str) -> str | None:
    """Return the first character of `text` a document cannot hold, or None.

    The noncharacters above the BMP (U+1FFFE, U+1FFFF ... U+10FFFF) are looked for only in
    text that has such characters at all: in one character class with the rest, they make
    every search ten times slower, and `check` searches every text of the store.
    """
    bad = _BMP_INVALID.search(text)
    if bad:
        return bad.group()
    if text.isascii() or max(text) <= "\uffff":
        return None
    return next((c for c in text if ord(c) > 0xFFFF and ord(c) & 0xFFFE == 0xFFFE), None)


# Default-ignorable characters: they change how text is shaped or ordered, or where a
# line may break, but have no glyph of their own, so no font needs to hold them.
IGNORABLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d"
    "\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
    "\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08"
    "\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff\uffa0\n\t"
)
# Marks that order text but draw nothing: the PDF writer leaves them out of what it draws.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

COVERAGE = FONTS / "coverage.json"  # made by scripts/coverage.py; a test keeps it current


@lru_cache(maxsize=1)
def _ranges() -> dict[str, list[list[int]]]:
    """Return the code point ranges of each shipped family's regular face.

    Read from coverage.json, written from the shipped fonts ahead: reading the fonts'
    character maps with fontTools takes a tenth of a second, in every check of a store
    that is not pure ASCII.
    """
    try:
        ranges = json.loads(COVERAGE.read_text(encoding="utf-8"))
        return {family: ranges[family] for family in FAMILIES}
    except (OSError, ValueError, KeyError):
        return {family: coverage_ranges(font_coverage(font_file(family))) for family in FAMILIES}


@lru_cache(maxsize=1)
def _any_font() -> frozenset[int]:
    return frozenset().union(*(coverage(family) for family in FAMILIES))


def font_file(family: str, face: str = "Regular") -> Path:
    """Return the file of a shipped family's face."""
    return FONTS / f"{family}-{face}.ttf"


def font_coverage(path: Path) -> frozenset[int]:
    """Return the code points a font file maps to glyphs."""
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        return frozenset(font.getBestCmap())


@cache
def coverage(family: str) -> frozenset[int]:
    """Return the code points of a shipped family."""
    return _expand(_ranges()[family])


def coverage_ranges(codes: frozenset[int]) -> list[list[int]]:
    """Return code points as sorted [first, last] ranges."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def _expand(ranges: list[list[int]]) -> frozenset[int]:
    return frozenset(c for first, last in ranges for c in range(first, last + 1))


def missing(text: str) -> list[str]:
    """Return the characters of `text` that no shipped font can show, each once."""
    if text.isascii():
        return []  # every shipped text face holds all of ASCII's printable characters
    shown = _any_font()
    return [
        char for char in dict.fromkeys(text) if char not in IGNORABLE and ord(char) not in shown
    ]


def _follows(char: str) -> bool:
    """Return whether `char` is set in the font of the character before it.

    Marks, joiners, spaces, punctuation and digits belong to the run they stand in, so
    that a run of one script is shaped in one font: "(تهران)" keeps its brackets, and a
    Persian word its zero-width non-joiner.
    """
    return unicodedata.category(char)[0] in "MZPNC" or char in IGNORABLE


@lru_cache(maxsize=8)
def _outside(base: frozenset[int]) -> re.Pattern[str]:
    """Return a pattern matching any character `base` lacks (ignorables aside)."""
    held = coverage_ranges(base | frozenset(map(ord, IGNORABLE)))
    return re.compile(
        "[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in held) + "]"
    )


def holds(base: frozenset[int], text: str) -> bool:
    """Return whether the font of `base` holds every character of `text`."""
    return text.isascii() or not _outside(base).search(text)


def font_runs(text: str, base: frozenset[int]) -> list[tuple[int, int, str | None]]:
    """Split `text` into (start, end, family) runs; family None is the paragraph's own.

    `base` holds the code points of the paragraph's own font. A character it lacks is set
    in the first fallback family that has it; marks, spaces, punctuation and digits stay
    in the font of the run they follow, where that font has them.
    """
    if holds(base, text):
        return [(0, len(text), None)] if text else []
    runs: list[tuple[int, int, str | None]] = []
    current: str | None = None
    start = 0
    for i, char in enumerate(text):
        code = ord(char)
        if (
            i
            and _follows(char)
            and (char in IGNORABLE or code in (base if current is None else coverage(current)))
        ):
            continue
        family = None if code in base or char in IGNORABLE else _fallback_for(code)
        if family != current:
            if i > start:
                runs.append((start, i, current))
            start, current = i, family
    if len(text) > start:
        runs.append((start, len(text), current))
    return runs


@lru_cache(maxsize=4096)
def _fallback_for(code: int) -> str | None:
    for family in (*FALLBACKS, SERIF, SANS):
        if code in coverage(family):
            return family
    return None


# --- right-to-left text: the Unicode Bidirectional Algorithm (UAX #9) ---------------------

# A character of a right-to-left class (R, AL, AN) or an explicit right-to-left mark:
# text without one is laid out left to right and needs no levels.
_RTL = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefc"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def has_rtl(text: str) -> bool:
    """Return whether `text` holds anything the bidirectional algorithm sets right to left."""
    return bool(_RTL.search(text))


def levels(text: str) -> list[int]:
    """Return the embedding level of each character of `text`, in a left-to-right paragraph.

    The levels are python-bidi's (the Rust unicode-bidi crate, UAX #9 with isolates),
    which it returns per UTF-8 byte; odd levels are right to left.
    """
    if not has_rtl(text):
        return [0] * len(text)
    from bidi import get_display

    info = get_display(text.replace("\n", " "), base_dir="L", debug=True)
    per_byte = [int(n) for n in _LEVEL.findall(info[info.index("levels:") :])]
    out, at = [], 0
    for char in text:
        out.append(per_byte[at])
        at += len(char.encode("utf-8"))
    return out


def reorder(items: list[int]) -> list[int]:
    """Return the indexes of items at the given levels in visual order (UAX #9 rule L2).

    From the highest level down to the lowest odd one, every run of items at that level
    or higher is reversed.
    """
    order = list(range(len(items)))
    if not items:
        return order
    top = max(items)
    odd = [level for level in items if level % 2]
    low = min(odd) if odd else top + 1
    for level in range(top, low - 1, -1):
        i = 0
        while i < len(order):
            if items[order[i]] >= level:
                j = i
                while j < len(order) and items[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def describe(char: str) -> str:
    """Return "U+1F600 (GRINNING FACE)" for a character."""
    name = unicodedata.name(char, "unnamed")
    return f"U+{ord(char):04X} ({name})"


def direction_runs(text: str) -> list[tuple[str, bool]]:
    """Split `text` into (text, right_to_left) runs, by the levels of `levels`."""
    if not has_rtl(text):
        return [(text, False)]
    runs: list[tuple[str, bool]] = []
    for char, level in zip(text, levels(text), strict=True):
        rtl = bool(level % 2)
        if runs and runs[-1][1] == rtl:
            runs[-1] = (runs[-1][0] + char, rtl)
        else:
            runs.append((char, rtl))
    return runs


# Scripts written without spaces between words. Each character of the East Asian ones
# (Han, kana, bopomofo) is a word, as Word counts them; the South-East Asian ones (Thai,
# Lao, Myanmar, Khmer) need a dictionary to find their words, which we do not ship, so a
# run of them between spaces (a phrase, as they are spaced) is one word.
_EAST_ASIAN_WORD = (
    "\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f"
)
_EAST_ASIAN_SPLIT = re.compile(f"([{_EAST_ASIAN_WORD}])")
_HAS_WORD = re.compile(r"[^\W_]")  # a letter or a digit


def count_words(text: str) -> int:
    """Return how many words `text` holds, counted as a word processor counts them.

    A word is a run of characters between spaces that holds a letter or digit (a dash
    alone is none); each Chinese character and kana is a word of its own.
    """
    count = 0
    for piece in text.split():
        for i, part in enumerate(_EAST_ASIAN_SPLIT.split(piece)):
            count += 1 if i % 2 else bool(_HAS_WORD.search(part))  # odd: a character
    return count
