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
from .pdftext import pdf_text


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
        # CSL's "article" is a preprint; a page whose OpenGraph type is "article" is a
        # news site's or journal's article, any other a web page
        "type": "article-newspaper" if page.pagetype == "article" else "webpage",
        "title": page.title,
        "container-title": page.sitename,
        "URL": page.url,
        "issued": page.date,
    }
    if page.author:
        record["author"] = [parse_author(a) for a in page.author.split(";") if a.strip()]
    return Saved("\n\n".join(blocks) + "\n", {k: v for k, v in record.items() if v})


def read_pdf(file: Path) -> Saved:
    """Return a PDF's text: its paragraphs, its pages ended by form feeds."""
    return Saved(pdf_text(file), {"type": "report"})


# the readers by suffix; any other file is read as plain text
READERS: dict[str, Callable[[Path], Saved]] = {
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}
