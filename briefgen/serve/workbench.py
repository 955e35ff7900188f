"""The workspace as the workbench last checked it, and what its pages ask of it.

The workspace is checked again whenever one of its files changes, whoever changed it
(a form of the workbench, or an editor): `poll` looks with the watcher's own look at the
files (build/watch.py), and each check gets a new `version`, which the pages and the
live-reload events carry. What is made from a check (the memos' plans, the claims each
brief uses, previews) is kept until the next one.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build.inputs import named_files
from ..build.memos import Checked, check_workspace
from ..build.watch import Watched
from ..dates import PartialDate, parse_date
from ..errors import BriefgenError, Problem, Problems, WorkspaceError
from ..readers.records import Claim
from ..resolve.memo import Plan


@dataclass
class Filters:
    """What the store page narrows its claims to; None or "" is any."""

    q: str = ""  # words of the claim's id, text, origin or quotes
    topic: str = ""
    source: str = ""
    confidence: str = ""
    marking: str = ""
    draft: str = ""  # "yes", "no" or "" for both
    since: str = ""  # a claim's date overlaps [since, until]
    until: str = ""
    unused: bool = False  # only the claims no brief uses


@dataclass
class Record:
    """Where a problem's record is: its kind and id (a claim, a source, …), if any."""

    kind: str
    ident: str


@dataclass
class Check:
    """One check of the workspace and what was made from it."""

    checked: Checked
    version: int
    plans: dict[tuple[str, str], Plan] = field(default_factory=dict)
    plan_problems: Problems = field(default_factory=Problems)
    previews: dict[tuple[str, str], str] = field(default_factory=dict)
    planned: bool = False


class Workbench:
    """The workspace at `root`, checked, and checked again after every change."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = Watched(root)
        self.lock = threading.RLock()  # one check, plan or preview at a time
        self.writing = threading.Lock()  # one write to the store at a time (writes.py)
        self._citeproc: Any = None
        self.token = ""  # the token the pages' scripts send with each write (app.py)
        self.current = self._check(1)

    # --- checking ---------------------------------------------------------------------

    def _check(self, version: int) -> Check:
        checked = check_workspace(self.root)
        self.files.name(named_files(checked.ws))
        return Check(checked, version)

    def poll(self) -> bool:
        """Check the workspace again if a file changed since the last look; return whether
        it did."""
        with self.lock:
            if not self.files.changed():
                return False
            self.current = self._check(self.current.version + 1)
            _reap()
            return True

    def close(self) -> None:
        """Stop the citation server, if one was started."""
        with self.lock:
            if self._citeproc is not None:
                self._citeproc.close()
                self._citeproc = None

    # --- memos ------------------------------------------------------------------------

    def plans(self) -> Check:
        """Return the current check with a plan of each brief for each of its audiences."""
        with self.lock:
            now = self.current
            if not now.planned:
                from ..build.memos import plan_every

                if not now.checked.ws.problems.errors:
                    jobs, problems = plan_every(now.checked)
                    now.plans = {(j.plan.brief_id, j.plan.audience_id): j.plan for j in jobs}
                    now.plan_problems = problems
                now.planned = True
            return now

    def uses(self) -> dict[str, list[tuple[str, str]]]:
        """Return, for each claim a memo shows, the briefs and audiences showing it."""
        found: dict[str, list[tuple[str, str]]] = {}
        for (brief, audience), plan in self.plans().plans.items():
            for ident in plan.claim_ids():
                found.setdefault(ident, []).append((brief, audience))
        return found

    def memos(self) -> list[tuple[str, str]]:
        """Return every brief's audiences, as the briefs name them (or the default)."""
        ws = self.current.checked.ws
        default = ws.settings.default_audience or next(iter(ws.audiences), None)
        out = []
        for path, brief in self.current.checked.briefs.items():
            names = brief.audiences or ([default] if default else [])
            out += [(path.stem, name) for name in dict.fromkeys(names)]
        return out

    def preview(self, brief: str, audience: str) -> str | None:
        """Return the memo of `brief` for `audience` as the HTML writer writes it, or None
        when the workspace has errors or no such memo (see `problems`)."""
        from ..writers.html import render

        with self.lock:
            now = self.plans()
            if (brief, audience) in now.previews:
                return now.previews[(brief, audience)]
            plan = now.plans.get((brief, audience))
            if plan is None:
                return None
            try:
                memo = plan.memo(self._citations())
            except WorkspaceError as exc:
                now.plan_problems.extend(exc.problems)
                return None
            except BriefgenError:
                self.close()  # the citation server may have stopped: a new one next time
                raise
            page = render(memo)
            now.previews[(brief, audience)] = page
            return page

    def _citations(self) -> Any:
        from ..cite.pandoc import Citeproc

        if self._citeproc is None:
            self._citeproc = Citeproc()
        return self._citeproc

    # --- problems ---------------------------------------------------------------------

    def problems(self) -> list[tuple[Problem, Record | None]]:
        """Return every problem `check` finds in the store and the briefs, and in laying
        out their memos, each with the record it is in (None: a file's own)."""
        now = self.plans()
        every = Problems()
        every.extend(now.checked.ws.problems)
        every.extend(now.plan_problems)
        problems = every.sorted()
        records = _records_by_line(now.checked, {_real(p.path) for p in problems})
        return [(p, _record_at(records, _real(p.path), p.line)) for p in problems]

    # --- the store --------------------------------------------------------------------

    def claims(self, filters: Filters) -> Iterator[Claim]:
        """Yield the claims that pass `filters`, in store order."""
        ws = self.current.checked.ws
        used = self.uses() if filters.unused else {}
        since = _date(filters.since)
        until = _date(filters.until)
        words = filters.q.casefold().split()
        topic = set(ws.topic_index().get(filters.topic, [])) if filters.topic else None
        facts = ws.select_facts()
        for ident, claim in ws.claims.items():
            if topic is not None and ident not in topic:
                continue
            if filters.unused and ident in used:
                continue
            if filters.confidence and claim.confidence != filters.confidence:
                continue
            if filters.marking and (claim.marking or ws.lowest_marking()) != filters.marking:
                continue
            if filters.draft and is_draft(claim) != (filters.draft == "yes"):
                continue
            if filters.source and all(s.source != filters.source for s in claim.sources):
                continue
            date = facts.get(ident, (None, False, None))[2]
            if (since or until) and not _overlaps(date, since, until):
                continue
            if words and not all(w in _searched(claim) for w in words):
                continue
            yield claim

    def where(self, kind: str, ident: str) -> tuple[Path, int] | None:
        """Return the file and line of a record."""
        where = self.current.checked.ws.where.get((kind, ident))
        return (where.path, where.line) if where is not None else None

    def inside(self, relative: str) -> Path | None:
        """Return the workspace's file at `relative`, or None if it is not one (it leads
        out of the workspace, or is no regular file)."""
        from ..readers.files import inside

        path = inside(self.root, relative)
        return path if path is not None and path.is_file() else None


def is_draft(claim: Claim) -> bool:
    """Return whether a claim is a draft: captured, not yet reviewed."""
    return bool(getattr(claim, "draft", False))


def _searched(claim: Claim) -> str:
    quotes = " ".join(s.quote or "" for s in claim.sources)
    return f"{claim.id} {claim.text} {claim.origin or ''} {quotes}".casefold()


def _date(text: str) -> PartialDate | None:
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def _overlaps(
    date: PartialDate | None, since: PartialDate | None, until: PartialDate | None
) -> bool:
    if date is None:
        return False
    first = since.start if since else dt.date.min
    last = until.end if until else dt.date.max
    return date.start <= last and date.end >= first


def _real(shown: str) -> Path:
    """Return the real path of a file as a problem shows it (relative to here)."""
    return (Path.cwd() / shown).resolve()


def _records_by_line(checked: Checked, paths: set[Path]) -> dict[Path, list[tuple[int, Record]]]:
    """Return, for each of `paths`, its records by the line each starts on."""
    ws = checked.ws
    found: dict[Path, list[tuple[int, Record]]] = {}
    for (kind, ident), where in ws.where.items():
        if kind not in ("claim", "source", "section", "audience"):
            continue
        real = where.path.resolve()
        if real in paths:
            found.setdefault(real, []).append((where.line, Record(kind, ident)))
    for path in checked.briefs:
        if path.resolve() in paths:
            found.setdefault(path.resolve(), []).append((1, Record("brief", path.stem)))
    for records in found.values():
        records.sort(key=lambda r: r[0])
    return found


def _record_at(
    records: dict[Path, list[tuple[int, Record]]], path: Path, line: int
) -> Record | None:
    """Return the record of `path` that `line` falls in."""
    there = records.get(path, [])
    at = bisect_right([start for start, _ in there], line) - 1
    return there[at][1] if at >= 0 and line else None


def _reap() -> None:
    """Collect the store cache's writers that have finished (speed/cache.py forks one
    after a large store is read), so that a long-running workbench leaves no zombies."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
