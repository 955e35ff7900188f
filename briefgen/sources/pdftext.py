"""A PDF's text by page and paragraph, for `ingest`.

pdfminer.six finds the lines of each page (characters set close together, in reading
order, columns apart). Its text boxes are not paragraphs: a report set with generous
leading comes out one line per box. So the lines are grouped again, by what sets a
paragraph apart in print: a change of font size (a heading), more space above a line
than between the lines of the page's paragraphs, a line that is not below the last (a
new column, the page's foot), or a short line ending a sentence (the last line of a
paragraph set without space after it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BriefgenError
from ..readers.texts import ends_sentence, unspaced


@dataclass
class Line:
    """A line of a page, where it stands: PDF units, y growing upwards."""

    text: str
    top: float
    bottom: float
    left: float
    right: float
    size: float  # the font size most of its characters have


def pdf_text(file: Path) -> str:
    """Return a PDF's text, one block per paragraph and each page ended by a form feed,
    as pdftotext ends them, so that quotes are placed by page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.psexceptions import PSException

    pages = []
    try:
        for page in extract_pages(file, laparams=LAParams()):
            pages.append("\n\n".join(_joined(p) for p in paragraphs(_lines(page))))
    except (OSError, PSException) as exc:
        raise BriefgenError(f"cannot read {file} as a PDF: {exc or type(exc).__name__}") from None
    if not any(p.strip() for p in pages):
        raise BriefgenError(f"{file}: no text in the PDF (a scan? run OCR on it first)")
    return "".join(f"{p}\n\f" for p in pages)


def _lines(page: Any) -> list[Line]:
    """Return the text lines of a pdfminer page, in its reading order."""
    from pdfminer.layout import LTChar, LTTextBox, LTTextLine

    out = []
    for box in page:
        if not isinstance(box, LTTextBox):
            continue  # figures' labels, drawn text: not the report's prose
        for line in box:
            text = line.get_text().strip() if isinstance(line, LTTextLine) else ""
            if text:
                sizes = [round(c.size, 1) for c in line if isinstance(c, LTChar)] or [0.0]
                size = max(sizes, key=sizes.count)
                out.append(Line(text, line.y1, line.y0, line.x0, line.x1, size))
    return out


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Return `lines` grouped into paragraphs (see the module's docstring)."""
    gaps = [
        above.bottom - below.top
        for above, below in zip(lines, lines[1:], strict=False)
        if abs(above.size - below.size) <= 1 and 0 <= above.bottom - below.top < 3 * above.size
    ]
    leading = min(gaps, default=0.0)  # the space between a paragraph's lines: the least
    left = min((line.left for line in lines), default=0.0)
    right = max((line.right for line in lines), default=0.0)
    out: list[list[Line]] = []
    for line in lines:
        if out and _continues(out[-1][-1], line, leading, left, right):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _continues(above: Line, line: Line, leading: float, left: float, right: float) -> bool:
    """Return whether `line` goes on with the paragraph whose last line is `above`."""
    gap = above.bottom - line.top
    if abs(above.size - line.size) > 1 or abs(gap - leading) > 0.3 * line.size + 0.5:
        return False
    if not ends_sentence(above.text):
        return True
    # a sentence ends the line above: the paragraph's end if this line's first word would
    # clearly have fitted after it (widths guessed from the line's mean character width)
    room = above.left - left if _right_to_left(above.text) else right - above.right
    width = (above.right - above.left) / len(above.text)
    first = line.text.split()[0] if not unspaced(line.text[0]) else line.text[0]
    return room < max(2 * above.size, 1.5 * (len(first) + 1) * width)


def _right_to_left(text: str) -> bool:
    """Return whether `text` is set from the right: its first letter is Arabic or Hebrew."""
    first = next((c for c in text if c.isalpha()), "")
    return "\u0590" <= first <= "\u08ff" or "\ufb1d" <= first <= "\ufefc"


def _joined(lines: list[Line]) -> str:
    """Return a paragraph's lines as one: a line ending in a hyphen after a letter runs
    on without a space ("two-" "way" is "two-way"), every character kept, and so do lines
    of Chinese or Japanese."""
    text = ""
    for line in (ln.text for ln in lines):
        hyphen = text.endswith("-") and text[-2:-1].isalpha()
        joins = not text or hyphen or (unspaced(text[-1]) and unspaced(line[0]))
        text += ("" if joins else " ") + line
    return text
