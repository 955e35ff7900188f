"""The workspace as the workbench last checked it, and what its pages ask of it.

The workspace is checked again whenever one of its files changes, whoever changed it
(a form of the workbench, or an editor): `poll` looks with the watcher's own look at the
files (build/watch.py), and each check gets a new `version`, which the pages and the
live-reload events carry. What is made from a check (the memos' plans, the claims each
brief uses, previews) is kept until the next one.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
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

RETIRE_AFTER = 2.0  # seconds a replaced check is kept before it is freed


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
        self._load: Any = None  # how the store is loaded (below)
        self.token = ""  # the token the pages' scripts send with each write (app.py)
        from .. import speed

        if speed.fast():  # each unchanged claim file's reads kept in memory
            from ..speed.kept import KeptReads

            self._load = KeptReads().load
        else:
            from ..check.store import load_checked

            self._load = load_checked
        self.current = self._check(1)
        self._retired: tuple[float, Check] | None = None

    # --- checking ---------------------------------------------------------------------

    def _check(self, version: int) -> Check:
        checked = check_workspace(self.root, load=self._load)
        self.files.name(named_files(checked.ws))
        return Check(checked, version)

    def poll(self) -> bool:
        """Check the workspace again if a file changed since the last look; return whether
        it did."""
        if self._retired and time.monotonic() - self._retired[0] > RETIRE_AFTER:
            self._retired = None  # the check before last, freed while nobody waits
        with self.lock:
            if not self.files.changed():
                return False
            # the last check is freed a while later, not now: taking a large store apart
            # takes a while, and the pages are waiting for the new one
            self._retired = (time.monotonic(), self.current)
            self.current = self._check(self.current.version + 1)
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
            now = self.current
            if (brief, audience) in now.previews:
                return now.previews[(brief, audience)]
            plan = self._plan(now, brief, audience)
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

    def _plan(self, now: Check, brief: str, audience: str) -> Plan | None:
        """Return the plan of one memo (planned alone: a preview waits for no other)."""
        if now.planned or (brief, audience) in now.plans:
            return now.plans.get((brief, audience))
        ws = now.checked.ws
        path = next((p for p in now.checked.briefs if p.stem == brief), None)
        if path is None or ws.problems.errors or (brief, audience) not in self.memos():
            return None
        from ..build.history import History
        from ..resolve.memo import plan_memo

        try:
            plan = plan_memo(ws, brief, now.checked.briefs[path], audience, history=History(ws.out))
        except WorkspaceError as exc:
            now.plan_problems.extend(exc.problems)
            return None
        now.plans[(brief, audience)] = plan
        return plan

    def _citations(self) -> Any:
        """Return the citation server, primed with the workspace's style (and, unless
        BRIEFGEN_PLAIN=1, with the answers it gave kept: speed/kept.py)."""
        from .. import speed
        from ..cite.pandoc import Citeproc, find_style

        if self._citeproc is None:
            ws = self.current.checked.ws
            try:
                style = find_style(ws.settings.citation_style, ws.root)
            except BriefgenError:
                style = None  # check says why; the memo's own request says it again
            server: Any = Citeproc(style, ws.settings.locale)
            if speed.fast():
                from ..speed.kept import KeptCitations

                server = KeptCitations(server)
            self._citeproc = server
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
    return claim.draft


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
