"""Read what analysts save: plain text, web pages, PDFs. Each reader returns the text as
blocks separated by blank lines, a PDF's pages ended by form feeds, and what the file says
of itself as source-record defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BriefgenError
from .names import parse_author


@dataclass
class Saved:
    """A saved file's text, before furniture removal, and its own metadata as CSL fields."""

    text: str
    record: dict[str, Any] = field(default_factory=dict)


def read_saved(file: Path) -> Saved:
    """Return the text and metadata of `file`, read as its suffix says."""
    return READERS.get(file.suffix.lower(), read_plain)(file)


def read_plain(file: Path) -> Saved:
    """Return a plain text file's text: UTF-8, as the store keeps texts."""
    try:
        return Saved(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefgenError(f"cannot read {file} as UTF-8 text: {exc}") from None


def read_html(file: Path) -> Saved:
    """Return a saved web page's main text, one block per paragraph, and its metadata.

    trafilatura finds the article among the page's navigation, teasers, share rows and
    footer, decodes entities and the page's own encoding, and reads the title, authors,
    date, site and address from its meta tags, OpenGraph and JSON-LD."""
    import trafilatura
    from trafilatura.settings import Document, use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")  # a short page is still an article
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise BriefgenError(f"cannot read {file}: {exc}") from None
    page = trafilatura.bare_extraction(
        content,
        include_comments=False,
        with_metadata=True,
        # the date the page states in its markup, never one guessed from its text
        date_extraction_params={"original_date": True, "extensive_search": False},
        config=config,
    )
    if not isinstance(page, Document) or not page.text or not page.text.strip():
        raise BriefgenError(f"{file}: no article text found in the page")
    blocks = [line.strip() for line in page.text.splitlines() if line.strip()]
    record: dict[str, Any] = {
        "title": page.title,
        "container-title": page.sitename,
        "URL": page.url,
        "issued": page.date,
    }
    if page.author:
        record["author"] = [parse_author(a) for a in page.author.split(";") if a.strip()]
    return Saved("\n\n".join(blocks) + "\n", {k: v for k, v in record.items() if v})


def read_pdf(file: Path) -> Saved:
    """Return a PDF's text, each page's text boxes as blocks and each page ended by a form
    feed, as pdftotext ends them, so that quotes are placed by page.

    pdfminer.six groups characters into lines and lines into text boxes by their layout;
    a box's lines are one paragraph, split where the font size changes (a heading set
    close above its first paragraph)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox
    from pdfminer.psexceptions import PSException

    pages = []
    try:
        for page in extract_pages(file, laparams=LAParams()):
            boxes = [box for box in page if isinstance(box, LTTextBox)]
            pages.append("\n\n".join(b for box in boxes for b in _paragraphs(box)))
    except (OSError, PSException) as exc:
        raise BriefgenError(f"cannot read {file} as a PDF: {exc or type(exc).__name__}") from None
    if not any(p.strip() for p in pages):
        raise BriefgenError(f"{file}: no text in the PDF (a scan? run OCR on it first)")
    return Saved("".join(f"{p}\n\f" for p in pages))


def _paragraphs(box: Any) -> list[str]:
    """Return the paragraphs of a PDF text box: its lines joined, a new paragraph where
    the font size changes by more than a point."""
    from pdfminer.layout import LTChar, LTTextLine

    out: list[list[str]] = []
    size = None
    for line in box:
        if not isinstance(line, LTTextLine) or not line.get_text().strip():
            continue
        sizes = [c.size for c in line if isinstance(c, LTChar)]
        here = max(sizes, key=sizes.count) if sizes else size
        if not out or (size is not None and here is not None and abs(here - size) > 1):
            out.append([])
        out[-1].append(line.get_text().strip())
        size = here
    return [_joined(lines) for lines in out]


def _joined(lines: list[str]) -> str:
    """Return a paragraph's lines as one: a line ending in a hyphen after a letter runs
    on without a space ("two-" "way" is "two-way"), every character kept, and so do lines
    of Chinese or Japanese."""
    from ..readers.texts import unspaced

    text = ""
    for line in lines:
        hyphen = text.endswith("-") and text[-2:-1].isalpha()
        joins = not text or hyphen or (unspaced(text[-1]) and unspaced(line[0]))
        text += ("" if joins else " ") + line
    return text


# the readers by suffix; any other file is read as plain text
READERS: dict[str, Callable[[Path], Saved]] = {
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}
