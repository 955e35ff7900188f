"""`briefgen list`: one line per source, claim or section of the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from ..dates import Period, parse_date
from ..errors import UsageError, WorkspaceError
from ..readers.workspace import load
from ..resolve.paragraphs import claim_date


def list_records(
    root: Path, kind: str, topics: list[str], since: str | None, drafts: bool = False
) -> Iterator[str]:
    """Yield a line for each record of `kind`, filtered by topics and date (and, with
    `drafts`, only the claims not yet reviewed)."""
    ws = load(root)
    if ws.problems.errors:
        raise WorkspaceError(ws.problems)
    if kind == "sources":
        for ident, source in ws.sources.items():
            date = source.issued.display() if source.issued else "n.d."
            names = ", ".join(a.family or a.literal or "" for a in source.author) or "—"
            yield f"{ident}\t{date}\t{names}\t{source.title or '(untitled)'}"
        return
    if kind == "sections":
        for ident, section in ws.sections.items():
            yield f"{ident}\t{section.title}"
        return
    try:
        after = Period(parse_date(since).start, dt.date.max, since) if since else None
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    for ident, claim in ws.claims.items():
        if drafts and not claim.draft:
            continue
        if topics and not set(topics) & set(claim.topics):
            continue
        when = claim_date(ws, claim)
        if after and (when is None or not after.overlaps(when)):
            continue
        shown = when.iso() if when else "n.d."
        text = claim.text if len(claim.text) <= 80 else claim.text[:79] + "…"
        yield f"{ident}\t{shown}\t{claim.confidence or '-'}\t{','.join(claim.topics)}\t{text}"
