"""`briefgen import ANNOTATIONS.json`: highlights become draft claims.

Each highlight's page is matched to a source by its `URL` (or the source is named), its
passage checked against the source's captured text as `check` checks a quote, its note
made the claim's text and its tags the topics. The drafts go to one claim file
(store/claims/drafts.yaml unless named), all in one write, and only when every highlight
could be drafted (or the caller skips the refused): a highlight that cannot be made a
claim is reported, with the reason, and written nowhere. A highlight imported
before (its annotation's id is a claim's `x-annotation`) is left as it is, so an export
can be imported again as it grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..check.store import shown_places
from ..errors import Problem, Problems, UsageError, did_you_mean, display_path
from ..readers.workspace import Workspace
from .annotations import Highlight, highlights
from .claimfile import append_claims, claims_file, propose_id
from .claims import checked_claim, taken_ids
from .passages import find_highlight

DRAFTS = "drafts.yaml"
HEAD = (
    "# Draft claims from highlights (briefgen import): none is in a memo until a person\n"
    "# has reviewed it (its text is the highlight's note, or the quote itself) and removed\n"
    "# its `draft: true`. Move a reviewed claim to the file of its subject at will.\n"
)
KEPT_AS = "x-annotation"  # the annotation a draft was made from, so it is made once


@dataclass
class Drafted:
    """What an import of highlights did: the claims added to `path` (or, when some were
    refused and none written, the ones that were ready), the highlights drafted before,
    and the ones refused, each with its reason."""

    path: Path
    added: list[str] = field(default_factory=list)
    written: bool = False
    before: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def import_highlights(
    ws: Workspace,
    file: Path,
    data: Any,
    text: str,
    source: str | None,
    into: Path | None,
    skip_refused: bool = False,
) -> Drafted:
    """Add a draft claim for each highlight of the annotations `data` (the JSON `text`
    of `file`) to the claim file `into` (default store/claims/drafts.yaml): all of them,
    or none while one is refused, unless `skip_refused`."""
    if source is not None and source not in ws.sources:
        raise UsageError(f"--source: unknown source {source!r}{did_you_mean(source, ws.sources)}")
    done = Drafted(claims_file(ws, into, DRAFTS))
    made = {
        str(extra): ident
        for ident, extra in ((i, ws.claims[i].extra.get(KEPT_AS)) for i in ws.claims)
        if extra is not None
    }
    taken = taken_ids(ws)
    records = []
    for highlight in highlights(data, text):
        if highlight.ident is not None and highlight.ident in made:
            done.before.append(made[highlight.ident])
            continue
        record, problems = _draft(ws, highlight, source, taken, done.path)
        for problem in problems.items:
            where = highlight.name() + (f": {problem.key}" if problem.key else "")
            shown = Problem(
                display_path(file), highlight.line, where, problem.message, problem.severity
            )
            (done.refused if record is None else done.warnings).append(shown)
        if record is not None:
            records.append(record)
            taken.add(record["id"])
            if highlight.ident is not None:  # the same highlight twice in the file: once
                made[highlight.ident] = record["id"]
    if records and (skip_refused or not done.refused):
        append_claims(ws, done.path, records, HEAD)
        done.written = True
    done.added = [r["id"] for r in records]
    return done


def _draft(
    ws: Workspace, highlight: Highlight, named: str | None, taken: set[str], path: Path
) -> tuple[dict[str, Any] | None, Problems]:
    """Return a highlight as a draft claim, checked as `check` checks claims, or None and why."""
    problems = Problems()
    if not highlight.exact or not highlight.exact.strip():
        problems.add(
            "", 0, "", "no passage is highlighted (a page note or a reply): nothing to quote"
        )
        return None, problems
    source = named or _source_of(ws, highlight, problems)
    if source is None:
        return None, problems
    text = ws.texts.get(source)
    if text is None:
        problems.add(
            "",
            0,
            "",
            f"source {source!r} has no captured text to check the passage against; "
            "ingest the page first",
        )
        return None, problems
    located = find_highlight(text, highlight.exact, highlight.prefix, highlight.suffix)
    if located is None:
        problems.add(
            "",
            0,
            "",
            f"the passage is not in the captured text of {source!r}; closest passage: "
            f'"{text.closest(highlight.exact)}"',
        )
        return None, problems
    exact, found = located
    quote = " ".join(exact.split())
    if exact != highlight.exact:
        problems.warn(
            "",
            0,
            "",
            f"the highlight cuts a word: the quote is widened to whole words, {quote!r}",
        )
    cited: dict[str, Any] = {"source": source, "quote": quote}
    if len(found.places) > 1:  # the place the highlight was made, where it stands in several
        cited["locator"] = found.locator
    claim_text = highlight.note or quote
    record: dict[str, Any] = {
        "id": propose_id(claim_text, taken, f"{source}-{found.locator}".replace(". ", "-")),
        "text": claim_text,
        "sources": [cited],
    }
    if highlight.tags:
        record["topics"] = highlight.tags
    record["draft"] = True
    if highlight.ident is not None:
        record[KEPT_AS] = highlight.ident
    if not found.settled:
        problems.warn(
            "",
            0,
            "",
            f"the passage stands in {shown_places(found.places)} of {source!r} and "
            f"the text around it does not tell which: the draft cites {found.locator}",
        )
    return (record if checked_claim(ws, record, path, problems) else None), problems


def _source_of(ws: Workspace, highlight: Highlight, problems: Problems) -> str | None:
    """Return the source whose URL is the page the highlight was made on."""
    wanted = {_normal(u) for u in highlight.urls}
    matched = [ident for ident, s in ws.sources.items() if s.URL and _normal(s.URL) in wanted]
    if len(matched) == 1:
        return matched[0]
    shown = highlight.urls[0] if highlight.urls else "no address"
    if matched:
        problems.add(
            "",
            0,
            "",
            f"sources {', '.join(map(repr, matched))} all have the URL {shown}; "
            "name one with --source",
        )
    else:
        problems.add(
            "",
            0,
            "",
            f"no source has the URL {shown}: give its source that URL, or "
            "name the source with --source",
        )
    return None


_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def _normal(url: str) -> str:
    """Return `url` as pages' addresses compare: http and https, a leading www., a
    trailing slash, the fragment and tracking parameters make no difference."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.startswith(_TRACKING)
        ]
    )
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{query}" if query else "")
