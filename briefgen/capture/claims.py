"""`briefgen claim add`: one claim from a quote, checked as `check` checks it, then written.

Every value is checked before anything is written: the record as the store reads it
(`validate`), then as `check` checks a claim (`check_claim`: its source, the quote in
the captured text, the marking, the characters), so what `claim add` writes `check`
passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..check.store import check_claim
from ..errors import Problems, WorkspaceError
from ..readers.records import Claim
from ..readers.validate import validate
from ..readers.workspace import ListRead, Where, Workspace
from .claimfile import append_claims, claims_file, propose_id
from .passages import find_passage

DEFAULT_FILE = "new.yaml"


@dataclass
class Added:
    """What `claim add` wrote: the claim's id, the file, where the quote stands (its
    locator, and every place if several), and the warnings `check` would give."""

    ident: str
    path: Path
    locator: str
    places: list[str]
    warnings: Problems


def add_claim(
    ws: Workspace, record: dict[str, Any], into: Path | None, ident: str | None = None
) -> Added:
    """Add the claim `record` (without its id) to the claim file `into` (default
    store/claims/new.yaml): the quote of its one source found, the claim checked."""
    path = claims_file(ws, into, DEFAULT_FILE)
    cited = record["sources"][0]
    problems = Problems()
    text = ws.texts.get(cited["source"])
    if cited["source"] in ws.sources and text is None:
        problems.add(
            path,
            0,
            "sources[0].quote",
            f"source {cited['source']!r} has no captured text to find the quote in; "
            "ingest the source's text first",
        )
        raise WorkspaceError(problems)
    found = find_passage(text, cited["quote"]) if text is not None else None
    if found is not None and len(found.places) > 1:
        cited["locator"] = found.locator  # settles it: check would warn of the others
    taken = taken_ids(ws)
    if ident is None:
        fallback = cited["source"] + (f"-{found.locator}".replace(". ", "-") if found else "")
        ident = propose_id(record["text"], taken, fallback)
    elif ident in taken:
        where = ws.where.get(("claim", ident))
        shown = f" (at {where.path.name}:{where.line_of('id')})" if where else ""
        problems.add(path, 0, "id", f"claim {ident!r} exists already{shown}; choose another --id")
    record = {"id": ident, **record}
    if not checked_claim(ws, record, path, problems):
        raise WorkspaceError(problems)
    append_claims(ws, path, [record])
    locator = found.locator if found else ""
    return Added(ident, path, locator, found.places if found else [], problems)


def checked_claim(ws: Workspace, record: dict[str, Any], path: Path, problems: Problems) -> bool:
    """Check a new claim `record` as the store reads and `check` checks claims; return
    whether it has no errors (they and the warnings go to `problems`)."""
    claim = validate(Claim, record, path, problems)
    if claim is not None:  # with its wrong values left out: the others are checked too
        read = ListRead()
        check_claim(ws, claim, Where(path, record), read)
        problems.extend(read.problems)
    return claim is not None and not problems.errors


def taken_ids(ws: Workspace) -> set[str]:
    """Return the ids a new claim may not take: the store's, broken records' too."""
    return set(ws.claims) | ws.broken.get("claim", set())
