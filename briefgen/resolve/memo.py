"""From a brief and the store to a Memo: a memo's plan for one audience, then the memo.

This package is the one place that decides which claims a memo holds, for which
audience, in what order, with which notes and numbers (`paragraphs`, then `select`, then
`finish`, each building on the one before). The writers only format its result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..cite import pandoc as cite
from ..dates import Period, parse_period
from ..errors import BriefgenError
from ..model import Memo
from ..readers.records import Brief
from ..readers.workspace import Workspace
from . import templates
from .finish import Resolver
from .paragraphs import Draft


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
) -> Plan:
    """Return the resolved plan of `brief` for one audience; `period` overrides the brief's."""
    audience = ws.audiences[audience_id]
    resolver = Resolver(ws, brief, audience, _period(brief, period, today))
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


def _period(brief: Brief, override: str | dict | None, today: dt.date | None) -> Period | None:
    value = override if override is not None else brief.period
    if value is None:
        return None
    try:
        return parse_period(value, today)
    except ValueError as exc:
        raise BriefgenError(f"period: {exc}") from None
