"""Build memos: check the workspace, resolve each brief per audience, write every format.

Nothing reaches the output folder until every file of the run is written and checked:
files are staged in a temporary folder inside it and moved into place at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .check import check_brief, check_store
from .errors import BriefgenError, Problems, UsageError, WorkspaceError
from .model import Memo
from .resolve import build_memo
from .schema import Brief
from .workspace import Workspace, load

FORMAT_SUFFIX = {"docx": ".docx", "pdf": ".pdf", "json": ".json", "html": ".html"}


@dataclass
class Output:
    """One file a build wrote."""

    path: Path
    memo: Memo
    fmt: str
    pages: int | None = None


@dataclass
class Checked:
    """A workspace with every brief checked; briefs with errors are left out."""

    ws: Workspace
    briefs: dict[Path, Brief] = field(default_factory=dict)


def check_workspace(root: Path, only: list[Path] | None = None) -> Checked:
    """Load and check the workspace and its briefs (or only `only`)."""
    ws = load(root)
    check_store(ws)
    checked = Checked(ws)
    for path in only if only is not None else ws.brief_paths():
        brief = check_brief(ws, path)
        if brief is not None:
            checked.briefs[path] = brief
    return checked


def plan(checked: Checked, audience: str | None, fmt: str | None
         ) -> list[tuple[Path, Brief, str, list[str]]]:
    """Return (brief path, brief, audience, formats) for each memo the build makes."""
    ws = checked.ws
    if audience is not None and audience not in ws.audiences:
        raise UsageError(f"unknown audience {audience!r}; the workspace has "
                         f"{', '.join(ws.audiences) or 'none'}")
    default = ws.settings.default_audience or next(iter(ws.audiences), None)
    jobs = []
    for path, brief in checked.briefs.items():
        names = [audience] if audience else (brief.audiences or ([default] if default else []))
        formats: list[str] = [fmt] if fmt else list(dict.fromkeys(brief.formats))
        for name in names:
            jobs.append((path, brief, name, formats))
    return jobs


def build(checked: Checked, audience: str | None = None, fmt: str | None = None,
          period: str | None = None, out_dir: Path | None = None,
          today: dt.date | None = None,
          report: Callable[[str], None] = lambda _: None) -> list[Output]:
    """Build every memo of the checked briefs; return the files written."""
    ws = checked.ws
    ws.problems.raise_if_errors()
    out = out_dir or ws.out
    jobs = plan(checked, audience, fmt)
    memos = [(build_memo(ws, path.stem, brief, name, period, today), formats)
             for path, brief, name, formats in jobs]
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".briefgen-", dir=out))
    try:
        outputs = _write_all(memos, staging, report)
        _check_pages(outputs, out)
        for item in outputs:
            target = out / item.path.name
            os.replace(item.path, target)
            item.path = target
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outputs


def _write_all(memos: list[tuple[Memo, list[str]]], staging: Path,
               report: Callable[[str], None]) -> list[Output]:
    from .writers import writer

    outputs = []
    for memo, formats in memos:
        for fmt in formats:
            target = staging / f"{memo.brief_id}.{memo.audience_id}{FORMAT_SUFFIX[fmt]}"
            result = writer(fmt)(memo, target)
            _fsync(target)
            outputs.append(Output(target, memo, fmt, result if isinstance(result, int) else None))
    return outputs


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _check_pages(outputs: list[Output], out: Path) -> None:
    """Fail the whole build when a PDF is longer than its audience allows."""
    problems = Problems()
    for item in outputs:
        limit = item.memo.max_pages
        if item.fmt == "pdf" and limit and item.pages and item.pages > limit:
            over = item.pages - limit
            problems.add(out / item.path.name, 0, "max-pages",
                         f"the {item.memo.audience_id} memo is {item.pages} pages, "
                         f"{over} more than max-pages {limit} allows; cut "
                         f"{_cut_hint(item.memo)}")
    if problems.items:
        raise WorkspaceError(problems)


def _cut_hint(memo: Memo) -> str:
    claims = sum(1 for s in memo.sections for b in s.blocks if b.kind == "claim")
    return (f"claims (it holds {claims} in {len(memo.sections)} sections: lower the "
            "audience's max-claims or the brief's select limits) or shorten the prose")


def describe(item: Output) -> str:
    """Return the line a build prints for one file written."""
    from .errors import display_path

    memo = item.memo
    facts = []
    if item.pages is not None:
        facts.append(f"{item.pages} page{'s' if item.pages != 1 else ''}")
    facts.append(f"{len(memo.notes)} notes")
    left = sum(memo.omitted.values())
    if left:
        why = ", ".join(f"{n} {reason}" for reason, n in memo.omitted.items())
        facts.append(f"{left} claim{'s' if left != 1 else ''} left out ({why})")
    return f"wrote {display_path(item.path)} ({'; '.join(facts)})"


def ensure_no_errors(problems: Problems) -> None:
    """Raise when `problems` holds errors."""
    if problems.errors:
        raise WorkspaceError(problems)


__all__ = ["BriefgenError", "Checked", "Output", "build", "check_workspace", "describe"]
