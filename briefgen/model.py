"""The memo model: everything a writer formats, and nothing a writer decides.

`resolve.memo.build_memo` makes one `Memo` per brief and audience. It has already applied
every rule (which claims, in what order, which notes and their numbers, what the
bibliography holds), so the DOCX, PDF and JSON writers only lay it out and cannot
disagree with each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Word (and python-docx) hold at most this many characters in a core document property
# (title, subject, author, keywords, comments): the DOCX writer shortens longer ones and
# `check` warns about them
DOCX_PROPERTY_CHARS = 255
DOCX_COMMENTS = "Built by briefgen for {}"  # the comments property, the audience's label in it


@dataclass(frozen=True)
class Span:
    """A run of text with its formatting; `url` makes it a hyperlink."""

    text: str
    italic: bool = False
    bold: bool = False
    url: str | None = None


@dataclass(frozen=True)
class NoteRef:
    """The superscript marker of note `number` in running text."""

    number: int


Inline = Span | NoteRef


@dataclass
class Quote:
    """A verbatim quote printed under a claim, with where it was read."""

    text: str
    attribution: str  # e.g. "Svetlova, para. 9"


@dataclass
class Paragraph:
    """A paragraph of running text: desk prose, or one claim with its note.

    Claims (`kind == "claim"`) are laid out as list items; prose as body text.
    """

    content: list[Inline]
    kind: Literal["prose", "claim"] = "prose"
    claim_id: str | None = None
    portion: str | None = None  # portion mark without brackets, e.g. "P"
    confidence: str | None = None  # e.g. "moderate confidence", when the audience shows it
    quotes: list[Quote] = field(default_factory=list)
    remarks: list[list[Inline]] = field(default_factory=list)  # e.g. "Sources differ: …"
    new: bool = False  # dated within the memo's period, shown where the audience asks


@dataclass
class Section:
    """A titled part of the memo."""

    title: str
    blocks: list[Paragraph]


@dataclass
class Note:
    """A numbered note; `content` is the formatted citation of the claim's sources."""

    number: int
    content: list[Span]
    claim_ids: list[str]


@dataclass
class BibEntry:
    """One bibliography entry, already formatted and in the style's order."""

    source_id: str
    content: list[Span]


@dataclass
class Header:
    """The memo's heading block (TO/FROM/DATE/SUBJECT) and its title."""

    title: str
    organisation: str
    audience: str  # the audience's label, e.g. "Analysts"
    to: str | None
    sender: str | None  # the brief's `from`
    date: str  # display form, e.g. "14 June 2024"
    subject: str | None
    period: str | None  # display form, e.g. "10–16 June 2024 (2024-W24)"
    iso_date: str = ""  # the memo date as YYYY-MM-DD, for document properties
    fields: list[tuple[str, str]] = field(default_factory=list)  # heading rows, in order
    keywords: list[str] = field(default_factory=list)  # the topics of its claims


@dataclass
class Branding:
    """The workspace's look: accent colour, logo, fonts (names or TrueType files), and
    the audience's Word template."""

    accent: str = "#1f3a5f"
    logo: str | None = None  # absolute path of a PNG, JPEG or SVG file
    body_font: str = "Noto Serif"  # a shipped family, or the path of a .ttf file
    heading_font: str = "Noto Sans"
    logo_alt: str = "Logo"  # the logo's alt text
    reference_doc: str | None = None  # absolute path of the .docx the DOCX is based on


@dataclass(frozen=True)
class Words:
    """The words a memo prints of its own, the user's text aside: every writer prints
    these, so that no format spells them its own way."""

    notes: str = "Notes"
    note: str = "Note {number}"  # what a note marker's link is to, for a screen reader
    bibliography: str = "Bibliography"  # "References" for author-date styles
    summary: str = "Source summary"
    contents: str = "Contents"
    new: str = "NEW"
    page: str = "Page {page} of {pages}"  # the running footer
    mark: str = "({})"  # a portion mark or a confidence, e.g. "(P)", "(high confidence)"
    quoted: str = "“{}”"  # a quote in its marks
    quote: str = "{quoted} — {attribution}"  # the line under a claim with its quote

    def quote_line(self, quote: Quote) -> str:
        """Return the line that prints a quote under its claim."""
        return self.quote.format(
            quoted=self.quoted.format(quote.text), attribution=quote.attribution
        )

    def page_parts(self) -> tuple[str, str, str]:
        """Return the footer's words before, between and after the page and the count."""
        return _around(self.page, "{page}", "{pages}")

    def quote_parts(self) -> tuple[str, str, str]:
        """Return the quote line's words before, between and after quote and source."""
        return _around(self.quote, "{quoted}", "{attribution}")


@dataclass(frozen=True)
class Layout:
    """Where the PDF's layout puts a memo: its page count, and the page of each heading
    `Memo.headings` lists. The DOCX takes its contents' page numbers and its page count
    from it, so the two files agree."""

    pages: int
    heading_pages: tuple[int, ...] = ()


@dataclass
class Memo:
    """A memo for one audience, ready to be written in any format."""

    brief_id: str
    audience_id: str
    header: Header
    sections: list[Section]
    notes: list[Note]
    bibliography: list[BibEntry]
    banner: str  # the highest marking the memo holds, e.g. "PUBLIC"
    note_placement: Literal["footnotes", "endnotes"] = "endnotes"
    layout: Literal["policy-memo", "one-page"] = "policy-memo"
    page_size: Literal["A4", "letter"] = "A4"
    pdf_engine: Literal["reportlab", "typst"] = "reportlab"  # what writes the PDF
    max_pages: int | None = None
    language: str = "en-US"  # a BCP 47 tag, from the workspace's locale
    words: Words = field(default_factory=Words)
    contents: bool = False  # whether the memo opens with a table of contents
    note_columns: int = 1  # the columns endnotes are set in, where a format has columns
    summary: list[str] = field(default_factory=list)  # source summary statement lines
    omitted: dict[str, int] = field(default_factory=dict)  # reason -> count left out
    manifest: dict[str, Any] = field(default_factory=dict)  # provenance, see build.manifest
    branding: Branding = field(default_factory=Branding)

    @property
    def endnotes(self) -> bool:
        """Whether the memo has notes set together under their heading."""
        return bool(self.notes) and self.note_placement == "endnotes"

    def headings(self) -> list[str]:
        """Return the memo's level-1 headings, in order: what its contents list."""
        titles = [s.title for s in self.sections if s.title]
        titles += [self.words.notes] if self.endnotes else []
        titles += [self.words.bibliography] if self.bibliography else []
        titles += [self.words.summary] if self.summary else []
        return titles

    def to_dict(self) -> dict[str, Any]:
        """Return the memo as plain data, with each inline tagged by its kind."""
        data = _tag(asdict(self), self)
        assert isinstance(data, dict)
        return data


def _around(template: str, first: str, second: str) -> tuple[str, str, str]:
    """Return the words of `template` before `first`, between the two, and after `second`."""
    before, rest = template.split(first, 1)
    between, after = rest.split(second, 1)
    return before, between, after


def _tag(data: object, obj: object) -> object:
    """Add `"type"` to inline dicts so a JSON reader can tell spans from note refs."""
    if isinstance(obj, (Span, NoteRef)):
        assert isinstance(data, dict)
        return {"type": type(obj).__name__, **data}
    if isinstance(obj, list):
        assert isinstance(data, list)
        return [_tag(d, o) for d, o in zip(data, obj, strict=True)]
    if hasattr(obj, "__dataclass_fields__"):
        assert isinstance(data, dict)
        return {k: _tag(data[k], getattr(obj, k)) for k in data}
    return data


def header_rows(header: Header) -> list[tuple[str, str]]:
    """Return the heading block's rows: the template's choice, else all that are set."""
    if header.fields:
        return header.fields
    rows = [
        ("TO", header.to),
        ("FROM", header.sender),
        ("DATE", header.date),
        ("SUBJECT", header.subject),
        ("PERIOD", header.period),
        ("FOR", header.audience),
    ]
    return [(label, value) for label, value in rows if value]


def plain_text(content: list[Inline]) -> str:
    """Return the text of `content`, note markers as bracketed numbers."""
    return "".join(i.text if isinstance(i, Span) else f"[{i.number}]" for i in content)
