"""Whole-workspace checks: references between records, quotes, paths and prose."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .. import scripts
from ..cite import csl
from ..dates import parse_period
from ..errors import Problems, did_you_mean, display_path, key_path
from ..model import DOCX_COMMENTS, DOCX_PROPERTY_CHARS
from ..readers.files import Refused, inside, read_inside
from ..readers.records import Brief, Claim
from ..readers.texts import CapturedText
from ..readers.workspace import Checks, ListRead, ReadCache, Where, Workspace, load, load_brief
from ..readers.yamlio import MAX_FILE_BYTES
from ..resolve import attribution, prose
from ..resolve.select import explicit_placements
from ..resolve.templates import known_templates
from . import likelihood
from .settings import check_locale, check_settings_files


def load_checked(root: Path, reads: ReadCache | None = None) -> Workspace:
    """Load the workspace and check its store; problems go to `ws.problems`.

    Sources are checked (and their captured texts read) before the claims, so that each
    claim is checked as it is read: a large store's claims are read and checked in one
    process per core, or come with their checks' results from `reads`.
    """
    ws = load(root, Checks(_check_sources, check_claim), reads)
    _check_store(ws)
    return ws


def _check_sources(ws: Workspace) -> None:
    for ident, source in ws.sources.items():
        _check_source(ws, ident, source.text, ws.where[("source", ident)])


def _check_store(ws: Workspace) -> None:
    """Check what needs the whole store: claims' links, sections, audiences, branding."""
    for other, claimants in ws.contradicted_by().items():  # one entry per claim named
        if ws.exists("claim", other):
            continue
        for ident in dict.fromkeys(claimants):
            where = ws.where[("claim", ident)]
            for j, named in enumerate(ws.claims[ident].contradicts):
                if named == other:
                    ws.problems.add(
                        where.path,
                        where.line_of("contradicts", j),
                        f"contradicts[{j}]",
                        f"unknown claim {other!r}{did_you_mean(other, ws.claims)}",
                    )
    for ident, section in ws.sections.items():
        where = ws.where[("section", ident)]
        check_chars(ws, section.title, where, ("title",), f"section {ident!r}")
        check_chars(ws, section.text, where, ("text",), f"section {ident!r}")
        check_prose(ws, section.text, where, ("text",))
    _check_audiences(ws)
    check_settings_files(ws)
    ws.proper_nouns()  # computed now, so the store cache keeps them
    ws.topic_index()
    ws.select_facts()


def _check_source(ws: Workspace, ident: str, text: str | None, where: Where) -> None:
    source = ws.sources[ident]
    check_strings(ws, source, where, (), f"source {ident!r}", skip={"id", "text"})
    if not source.title:
        ws.problems.warn(
            where.path,
            where.line,
            "title",
            f"source {ident!r} has no title; notes will show it without one",
        )
    if source.issued is None:
        ws.problems.warn(
            where.path, where.line, "issued", f"source {ident!r} has no date; notes will show n.d."
        )
    if text is None:
        return
    path = inside(ws.store, text)
    if path is not None and not path.exists():  # also accept a path from the workspace root
        from_root = inside(ws.root, text)
        path = from_root if from_root is not None and from_root.exists() else path
    if path is None:
        ws.problems.add(
            where.path,
            where.line_of("text"),
            "text",
            f"{text!r} leaves the store folder; give a path inside store/",
        )
        return
    if not path.exists():
        ws.problems.add(
            where.path,
            where.line_of("text"),
            "text",
            f"captured text {text!r} not found (looked for {display_path(path)})",
        )
        return
    try:
        data = read_inside(path, ws.root, MAX_FILE_BYTES)
        ws.texts[ident] = CapturedText.parse(data.decode("utf-8"))
    except Refused as exc:
        ws.problems.add(where.path, where.line_of("text"), "text", f"captured text {text!r} {exc}")
        return
    except OSError as exc:
        ws.problems.add(
            where.path,
            where.line_of("text"),
            "text",
            f"captured text {text!r} cannot be read: {exc.strerror}",
        )
        return
    except UnicodeDecodeError:
        ws.problems.add(
            where.path, where.line_of("text"), "text", f"captured text {text!r} is not UTF-8"
        )
        return
    ws.text_paths[ident] = path


def check_chars(
    ws: Workspace,
    text: str | None,
    where: Where,
    key: tuple[str | int, ...],
    owner: str,
    problems: Problems | None = None,
) -> None:
    """Report characters a document cannot hold, or no shipped font can show."""
    if not text:
        return
    problems = problems if problems is not None else ws.problems
    bad = scripts.invalid(text)
    if bad:
        problems.add(
            where.path,
            where.line_of(*key),
            key_path(key),
            f"{owner} holds {scripts.describe(bad)}, a control character "
            "or noncharacter a document cannot hold; remove it",
        )
        return
    unseen = scripts.missing(text)
    if unseen:
        shown = ", ".join(scripts.describe(c) for c in unseen)
        problems.add(
            where.path,
            where.line_of(*key),
            key_path(key),
            f"{owner} holds {shown}, which no font briefgen ships can show",
        )


def check_strings(
    ws: Workspace,
    record: object,
    where: Where,
    key: tuple[str | int, ...],
    owner: str,
    skip: frozenset[str] | set[str] = frozenset(),
    problems: Problems | None = None,
) -> None:
    """Check every text of a record, its lists and nested records included."""
    if isinstance(record, str):
        check_chars(ws, record, where, key, owner, problems)
    elif isinstance(record, list | tuple):
        for i, item in enumerate(record):
            check_strings(ws, item, where, (*key, i), owner, problems=problems)
    elif isinstance(record, dict):
        for name, item in record.items():
            if isinstance(name, str):
                check_strings(ws, item, where, (*key, name), owner, problems=problems)
    else:
        fields = getattr(record, "__struct_fields__", None)
        names = getattr(record, "__struct_encode_fields__", fields)
        for field, name in zip(fields or (), names or (), strict=False):
            if field not in skip:
                check_strings(
                    ws, getattr(record, field), where, (*key, name), owner, problems=problems
                )


# The most characters a claim's text, a quote or a paragraph of prose may hold: each is
# one paragraph of the PDF, and reportlab's line breaking takes time growing faster than
# a paragraph's length (it takes each word off the front of a list of them all): a
# 100,000-character paragraph takes seconds, 1,000,000 minutes
MAX_PARAGRAPH_CHARS = 100_000


def _check_length(
    text: str | None, where: Where, key: tuple[str | int, ...], owner: str, problems: Problems
) -> None:
    """Report a text too long to be one paragraph of a memo."""
    if text and len(text) > MAX_PARAGRAPH_CHARS:
        problems.add(
            where.path,
            where.line_of(*key),
            key_path(key),
            f"{owner} is {len(text):,} characters; a paragraph may hold at most "
            f"{MAX_PARAGRAPH_CHARS:,} (the limit): split it into several",
        )


_PLACE = re.compile(
    r"^\s*(?:(?P<para>para(?:graph)?|¶)|(?P<page>p|pp|page|pages))\.?\s*(?P<n>\d+)\s*$",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d+)(?:\u2013(\d+))?$")


def _place_of(locator: str) -> tuple[str, int] | None:
    """Return the kind ("para" or "page") and number a locator names ("para. 9", "¶ 9",
    "p. 4"), or None for another kind."""
    match = _PLACE.match(locator)
    if not match:
        return None
    return ("para" if match["para"] else "page"), int(match["n"])


def _elsewhere(place: tuple[str, int], found: list[str]) -> bool:
    """Return whether the paragraph or page `place` names is none of the places found of
    its kind ("p. 4" says nothing against paragraphs, nor "para. 4" against pages)."""
    kind, number = place
    ranges = [
        (int(m[1]), int(m[2] or m[1]))
        for f in found
        if f.startswith("para.") == (kind == "para") and (m := _RANGE.search(f))
    ]
    return bool(ranges) and not any(first <= number <= last for first, last in ranges)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def shown_places(found: list[str], long: bool = True) -> str:
    """Return where a quote stands, as a message says it: "paragraphs 1 and 4" (or, not
    `long`, "para. 1 and 4"), "p. 2 and pp. 4–5"."""
    if all(f.startswith("para. ") for f in found):
        numbers = _listed([f.removeprefix("para. ") for f in found])
        return f"paragraphs {numbers}" if long and len(found) > 1 else f"para. {numbers}"
    return _listed(found)


def check_claim(ws: Workspace, claim: Claim, where: Where, read: ListRead) -> None:
    """Check one claim on its own: characters, sources, quotes, wording, marking; and
    file it in the store's indexes.

    Runs as the claim is read, maybe in a reader process: it looks only at the settings
    and the sources, and writes only to `read` (problems, locators, names found, the
    indexes' entries).
    """
    problems, locators = read.problems, read.locators
    read.file(claim, ws.dated(claim.date, claim.sources))
    names = read.names.setdefault(claim.marking, set())
    names.update(csl.names_in(claim.text))
    names.update(csl.names_in(claim.origin or ""))
    ident = claim.id
    check_chars(ws, claim.text, where, ("text",), f"claim {ident!r}", problems)
    check_chars(ws, claim.origin, where, ("origin",), f"claim {ident!r}", problems)
    for i, cited in enumerate(claim.sources):
        check_chars(ws, cited.quote, where, ("sources", i, "quote"), f"claim {ident!r}", problems)
        check_chars(
            ws, cited.locator, where, ("sources", i, "locator"), f"claim {ident!r}", problems
        )
    _check_length(claim.text, where, ("text",), f"claim {ident!r}: its text", problems)
    for i, cited in enumerate(claim.sources):
        _check_length(
            cited.quote, where, ("sources", i, "quote"), f"claim {ident!r}: the quote", problems
        )
    for i, cited in enumerate(claim.sources):
        key = f"sources[{i}]"
        if cited.source not in ws.sources:
            if ws.exists("source", cited.source):
                continue
            problems.add(
                where.path,
                where.line_of("sources", i, "source"),
                f"{key}.source",
                f"unknown source {cited.source!r}{did_you_mean(cited.source, ws.sources)}",
            )
            continue
        if cited.quote is None:
            continue
        text = ws.texts.get(cited.source)
        if text is None:
            if ws.sources[cited.source].text is None:
                problems.warn(
                    where.path,
                    where.line_of("sources", i, "quote"),
                    f"{key}.quote",
                    f"source {cited.source!r} has no captured text, so the quote cannot be checked",
                )
            continue
        found = text.places(cited.quote)
        if not found:
            problems.add(
                where.path,
                where.line_of("sources", i, "quote"),
                f"{key}.quote",
                f"claim {ident!r}: quote not found in {cited.source!r}; closest "
                f'passage: "{text.closest(cited.quote)}"',
            )
        elif cited.locator is None:
            locators[(ident, i)] = sys.intern(found[0])
            if len(found) > 1:
                problems.warn(  # lines are found only for a problem: it reads the file again
                    where.path,
                    where.line_of("sources", i, "quote"),
                    f"{key}.quote",
                    f"claim {ident!r}: the quote stands in {shown_places(found)} of "
                    f"{cited.source!r}; the note cites {found[0]} (a locator settles it)",
                )
        elif (said := _place_of(cited.locator)) is not None and _elsewhere(said, found):
            problems.warn(
                where.path,
                where.line_of("sources", i, "locator"),
                f"{key}.locator",
                f"claim {ident!r}: locator {cited.locator!r}, but the quote stands in "
                f"{shown_places(found, long=False)} of {cited.source!r}",
            )
    named = attribution.names_origin(claim.text, claim.origin) if claim.origin else None
    if named:
        problems.warn(
            where.path,
            where.line_of("text"),
            "text",
            f"claim {ident!r}: its text already names who asserted it ({named!r}), so "
            f"memos print it as written, without attributing it to {claim.origin!r} again",
        )
    for message in likelihood.warnings(claim.text, claim.confidence):
        problems.warn(where.path, where.line_of("text"), "text", f"claim {ident!r} {message}")
    if claim.marking is not None and claim.marking not in _marking_names(ws):
        problems.add(
            where.path,
            where.line_of("marking"),
            "marking",
            f"unknown marking {claim.marking!r}; expected one of {', '.join(_marking_names(ws))}",
        )


def _marking_names(ws: Workspace) -> list[str]:
    return [m.name for m in ws.settings.markings]


def _check_property(
    ws: Workspace,
    text: str | None,
    where: Where,
    key: str,
    shown: str,
    name: str,
    wrapper: str = "{}",
) -> None:
    """Warn where `text` (at `key` in a record, `shown` as the problem's key) is too long
    for the DOCX core property `name`, once put in `wrapper`."""
    if text and len(wrapper.format(text)) > DOCX_PROPERTY_CHARS:
        ws.problems.warn(
            where.path,
            where.line_of(key),
            shown,
            f"{len(text):,} characters are more than a DOCX document's {name} "
            f"property holds ({DOCX_PROPERTY_CHARS} characters in all): it is "
            "shortened there, and shown whole in the memo",
        )


def _check_audiences(ws: Workspace) -> None:
    settings = ws.where[("settings", "")]
    _check_property(
        ws, ws.settings.organisation, settings, "organisation", "organisation", "author"
    )
    for name, audience in ws.audiences.items():
        where = ws.where.get(("audience", name), Where(ws.root / "audiences.yaml", None))
        path = where.path
        check_chars(ws, audience.label, where, ("label",), f"audience {name!r}")
        if audience.locale is not None:
            check_locale(ws, audience.locale, where, f"{name}.locale")
        _check_property(
            ws, audience.label, where, "label", f"{name}.label", "comments", DOCX_COMMENTS
        )
        if audience.max_marking and audience.max_marking not in _marking_names(ws):
            ws.problems.add(
                path,
                where.line_of("max-marking"),
                f"{name}.max-marking",
                f"unknown marking {audience.max_marking!r}; expected one of "
                f"{', '.join(_marking_names(ws))}",
            )
        known = known_templates(ws)
        if audience.template not in known:
            ws.problems.add(
                path,
                where.line_of("template"),
                f"{name}.template",
                f"unknown template {audience.template!r}; known: "
                f"{', '.join(known)}{did_you_mean(audience.template, known)}",
            )
    check_chars(ws, ws.settings.organisation, settings, ("organisation",), "the settings")
    for i, marking in enumerate(ws.settings.markings):
        check_strings(ws, marking, settings, ("markings", i), "the settings")
    default = ws.settings.default_audience
    if default and not ws.exists("audience", default):
        ws.problems.add(
            settings.path,
            settings.line_of("default-audience"),
            "default-audience",
            f"unknown audience {default!r}{did_you_mean(default, ws.audiences)}",
        )


def check_prose(
    ws: Workspace, text: str | None, where: Where, key: tuple[str | int, ...]
) -> list[prose.Call]:
    """Check the prose at `key` in a record: it renders and names known claims."""
    if not text:
        return []
    key_name = key_path(key)
    try:
        paragraphs = prose.render(text)
    except prose.ProseError as exc:
        line = where.line_of(*key) + (exc.line if "\n" in text else 0)
        ws.problems.add(where.path, line, key_name, str(exc))
        return []
    for parts in paragraphs:  # the claims' texts put in are checked with the claims
        _check_length(
            "".join(p for p in parts if isinstance(p, str)),
            where,
            key,
            "a paragraph of this prose",
            ws.problems,
        )
    calls = [p for parts in paragraphs for p in parts if isinstance(p, prose.Call)]
    for call in calls:
        if not ws.exists("claim", call.claim_id):
            ws.problems.add(
                where.path,
                where.line_of(*key),
                key_name,
                f"{call.kind}(): unknown claim {call.claim_id!r}"
                f"{did_you_mean(call.claim_id, ws.claims)}",
            )
        elif (draft := _draft(ws, call.claim_id)) is not None:
            ws.problems.add(where.path, where.line_of(*key), key_name, f"{call.kind}(): {draft}")
    return calls


def _draft(ws: Workspace, ident: str) -> str | None:
    """Return why the claim `ident` may not be placed, if it is a draft, else None."""
    if ident not in ws.claims or not ws.claims[ident].draft:
        return None
    stored = ws.where[("claim", ident)]
    return (
        f"claim {ident!r} is a draft (draft: true at {display_path(stored.path)}:"
        f"{stored.line_of('draft')}), not yet reviewed: review it and remove the flag, "
        "or place another claim"
    )


def drafts(ws: Workspace) -> list[str]:
    """Return the ids of the store's draft claims, in store order."""
    return [ident for ident, draft in ws.claims.columns("draft") if draft]


def check_brief(ws: Workspace, path: Path) -> Brief | None:
    """Load and check one brief; return it when it has no errors of its own."""
    before = len(ws.problems.errors)
    brief, where = load_brief(ws, path)
    if brief is None:
        return None
    for j, name in enumerate(brief.audiences):
        if not ws.exists("audience", name):
            ws.problems.add(
                path,
                where.line_of("audiences", j),
                f"audiences[{j}]",
                f"unknown audience {name!r}{did_you_mean(name, ws.audiences)}",
            )
    if brief.period is not None:
        try:
            parse_period(brief.period)
        except ValueError as exc:
            ws.problems.add(path, where.line_of("period"), "period", str(exc))
    for key in ("title", "subject", "to", "from_"):
        check_chars(ws, getattr(brief, key), where, (key.rstrip("_"),), "the brief")
    for key in ("title", "subject"):
        _check_property(ws, getattr(brief, key), where, key, key, key)
    for i, section in enumerate(brief.sections):
        check_chars(ws, section.title, where, ("sections", i, "title"), "the brief")
        check_chars(ws, section.text, where, ("sections", i, "text"), "the brief")
        _check_brief_section(ws, where, i, section)
    _check_placed_once(ws, brief, where)
    return brief if len(ws.problems.errors) == before else None


def _check_placed_once(ws: Workspace, brief: Brief, where: Where) -> None:
    """Warn where a brief places a claim explicitly a second time, naming both places:
    the memo shows a claim once, at its first place."""
    first: dict[str, str] = {}
    for placed in explicit_placements(ws, brief):
        if not ws.exists("claim", placed.claim_id):
            continue  # an error of its own
        keys = ("sections", placed.section) + placed.key
        line = where.line_of(*keys)
        here = f"{display_path(where.path)}:{line}: {key_path(keys)}"
        if placed.key == ("section",):  # claim() in the prose of a store section
            stored = ws.where[("section", brief.sections[placed.section].section or "")]
            here += f" (claim() in {display_path(stored.path)}:{stored.line_of('text')}: text)"
        if placed.claim_id not in first:
            first[placed.claim_id] = here
            continue
        ws.problems.warn(
            where.path,
            line,
            key_path(keys),
            f"claim {placed.claim_id!r} is placed twice: at {first[placed.claim_id]} and at "
            f"{here}; the memo shows it once, at the first",
        )


def _check_brief_section(ws: Workspace, where: Where, i: int, section) -> None:
    key = f"sections[{i}]"
    if section.section is None and section.title is None:
        ws.problems.add(
            where.path,
            where.line_of("sections", i),
            key,
            "a section needs a title, or `section:` naming a store section",
        )
    if section.section is not None and not ws.exists("section", section.section):
        ws.problems.add(
            where.path,
            where.line_of("sections", i, "section"),
            f"{key}.section",
            f"unknown section {section.section!r}{did_you_mean(section.section, ws.sections)}",
        )
    for j, ident in enumerate(section.claims):
        if not ws.exists("claim", ident):
            ws.problems.add(
                where.path,
                where.line_of("sections", i, "claims", j),
                f"{key}.claims[{j}]",
                f"unknown claim {ident!r}{did_you_mean(ident, ws.claims)}",
            )
        elif (draft := _draft(ws, ident)) is not None:
            ws.problems.add(
                where.path, where.line_of("sections", i, "claims", j), f"{key}.claims[{j}]", draft
            )
    check_prose(ws, section.text, where, ("sections", i, "text"))
