"""From a brief and the store to a Memo: a memo's plan for one audience, then the memo.

This package is the one place that decides which claims a memo holds, for which
audience, in what order, with which notes and numbers (`paragraphs`, then `select`, then
`finish`, each building on the one before). The writers only format its result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..cite import pandoc as cite
from ..dates import Period, parse_period
from ..errors import BriefgenError
from ..model import Memo
from ..readers.records import Brief
from ..readers.workspace import Workspace
from . import templates
from .finish import Resolver
from .paragraphs import Draft

if TYPE_CHECKING:
    from ..build.history import History


@dataclass
class Plan:
    """A memo resolved for one audience, before its citations are formatted.

    Cheap to make (no pandoc run), so a build can tell from it whether an output's
    inputs changed before doing the expensive part.
    """

    brief_id: str
    audience_id: str
    resolver: Resolver
    draft: Draft
    today: dt.date | None
    layout: templates.Layout

    def claim_ids(self) -> list[str]:
        """Return the ids of every claim the memo shows, in order, each once."""
        return list(dict.fromkeys(i for c in self.draft.clusters for i in c.claim_ids))

    def held_ids(self) -> list[str]:
        """Return the claims the memo holds, those it lists as dropped out aside: what
        its reader has seen, for the next memo's NEW marks."""
        gone = set(self.draft.gone)
        return [i for i in self.claim_ids() if i not in gone]

    def when(self) -> tuple[dt.date, dt.date]:
        """Return the days the memo reports on: its period, else its date."""
        return memo_days(self.resolver.brief, self.resolver.period, self.today)

    def source_ids(self) -> list[str]:
        """Return the ids of every source the memo cites, in order, each once."""
        return list(dict.fromkeys(c.source_id for cl in self.draft.clusters for c in cl.cites))

    def memo(self, citeproc: cite.Citeproc | None = None) -> Memo:
        """Return the finished memo: citations formatted (by `citeproc` if given, else by a
        pandoc run of its own), header and summary made."""
        return self.resolver.finish(
            self.draft, self.layout, self.brief_id, self.audience_id, self.today, citeproc
        )


def plan_memo(
    ws: Workspace,
    brief_id: str,
    brief: Brief,
    audience_id: str,
    period: str | dict | None = None,
    today: dt.date | None = None,
    history: History | None = None,
) -> Plan:
    """Return the resolved plan of `brief` for one audience; `period` overrides the brief's;
    `history` holds the memos its reader had before."""
    audience = ws.audiences[audience_id]
    span = _period(brief, period, today)
    resolver = Resolver(ws, brief, audience, span)
    if history is not None:
        when = memo_days(brief, span, today)
        resolver.previous = history.before(brief_id, audience_id, when)
    draft = resolver.run()
    layout = resolver.lay_out(draft, brief_id, audience_id, today)
    plan = Plan(brief_id, audience_id, resolver, draft, today, layout)
    resolver.visibility.vouch(audience_id, plan.claim_ids())  # every claim has its note
    return plan


def build_memo(
    ws: Workspace,
    brief_id: str,
    brief: Brief,
    audience_id: str,
    period: str | dict | None = None,
    today: dt.date | None = None,
) -> Memo:
    """Return the memo of `brief` for one audience; `period` overrides the brief's."""
    return plan_memo(ws, brief_id, brief, audience_id, period, today).memo()


def memo_days(
    brief: Brief, period: Period | None, today: dt.date | None
) -> tuple[dt.date, dt.date]:
    """Return the days a memo reports on, by which memos of a brief are ordered: its
    period, else its date."""
    if period is not None:
        return period.start, period.end
    day = brief.date.start if brief.date else (today or dt.date.today())
    return day, day


def _period(brief: Brief, override: str | dict | None, today: dt.date | None) -> Period | None:
    value = override if override is not None else brief.period
    if value is None:
        return None
    try:
        return parse_period(value, today)
    except ValueError as exc:
        raise BriefgenError(f"period: {exc}") from None
