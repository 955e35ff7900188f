"""Writing systems: which characters the shipped fonts can show, and right-to-left runs.

Used by `check` (a character no font can show is an error naming its claim) and by the
PDF writer, which sets right-to-left runs itself: reportlab shapes each word with
HarfBuzz (letters join, brackets mirror) but lays words out left to right, so within a
right-to-left run the words are given to it in visual order.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
PRIMARY = "NotoSerif-Regular.ttf"
FALLBACK = "DejaVuSans.ttf"

RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_INSIDE = rf"[{RTL_LETTERS}{DIGITS}\s(),.:;«»\[\]\u060c\u061b\u061f%/\-\u2013\u200c]"
RTL_RUN = re.compile(rf"[(\[«]?[{RTL_LETTERS}](?:{_INSIDE}*[{RTL_LETTERS}{DIGITS})\]»])?")
_EASTERN_DIGITS = re.compile(r"^[\u0660-\u0669\u06f0-\u06f9/.,\u066b\u066c]+$")
# Characters XML 1.0 cannot hold: they would break the DOCX and the PDF's markup.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
IGNORABLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\n", "\t"}


COVERAGE = FONTS / "coverage.json"  # made by scripts/coverage.py; a test keeps it current


@lru_cache(maxsize=1)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    """Return the code points of the primary and the fallback font.

    Read from coverage.json, written from the shipped fonts ahead: reading the fonts'
    character maps with fontTools takes 60 ms, in every check of a store that is not
    pure ASCII.
    """
    try:
        ranges = json.loads(COVERAGE.read_text(encoding="utf-8"))
        return _expand(ranges[PRIMARY]), _expand(ranges[FALLBACK])
    except (OSError, ValueError, KeyError):
        return font_coverage(FONTS / PRIMARY), font_coverage(FONTS / FALLBACK)


def font_coverage(path: Path) -> frozenset[int]:
    """Return the code points a font file maps to glyphs."""
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        return frozenset(font.getBestCmap())


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


def needs_fallback(char: str) -> bool:
    """Return whether `char` must be set in the fallback font."""
    primary, _ = _coverage()
    return ord(char) not in primary


def missing(text: str) -> list[str]:
    """Return the characters of `text` that no shipped font can show, each once."""
    if text.isascii():
        return []  # both fonts hold all of ASCII's printable characters
    primary, fallback = _coverage()
    found = []
    for char in dict.fromkeys(text):
        code = ord(char)
        if char in IGNORABLE or code in primary or code in fallback:
            continue
        found.append(char)
    return found


def describe(char: str) -> str:
    """Return "U+1F600 (GRINNING FACE)" for a character."""
    name = unicodedata.name(char, "unnamed")
    return f"U+{ord(char):04X} ({name})"


def visual_runs(text: str) -> list[tuple[str, str, bool]]:
    """Split `text` into (visual, logical, is_rtl), right-to-left runs in visual word order.

    Words of a run are reversed (HarfBuzz shapes each word right to left itself); runs of
    Arabic-Indic digits are reversed too, because HarfBuzz takes them for right-to-left
    text while they read left to right.
    """
    out: list[tuple[str, str, bool]] = []
    pos = 0
    for match in RTL_RUN.finditer(text):
        if match.start() > pos:
            out.append((text[pos:match.start()], text[pos:match.start()], False))
        tokens = re.findall(r"\S+|\s+", match.group(0))
        visual = [t[::-1] if _EASTERN_DIGITS.match(t) else t for t in reversed(tokens)]
        out.append(("".join(visual), match.group(0), True))
        pos = match.end()
    if pos < len(text):
        out.append((text[pos:], text[pos:], False))
    return out
