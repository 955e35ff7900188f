"""Which claims a memo's sections hold: the brief's own, then what each select picks.

A claim appears once in a memo. Explicit placements (a section's `claims`, `claim()` in
prose) anywhere in the brief win, the first in reading order; a select's matches within
the period fill in only claims placed nowhere else, sorted as it asks, up to the
audience's max-claims. Every claim is admitted by `Paragraphs._admit`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from ..dates import sort_key
from ..model import Inline, Paragraph, Section, Span
from ..readers.records import Brief, BriefSection, Select
from ..readers.workspace import Workspace
from . import prose
from .paragraphs import Draft, Paragraphs
from .words import fill

CONFIDENCE_RANK = {"low": 0, "moderate": 1, "high": 2}


class Selection(Paragraphs):
    """Walk a brief's sections for one audience, placing claims and their notes."""

    def run(self) -> Draft:
        """Return the draft memo: every section with its paragraphs and note clusters."""
        draft = Draft()
        self.explicit = {p.claim_id for p in explicit_placements(self.ws, self.brief)}
        for section in self.brief.sections:
            draft.sections.append(self._section(section, draft))
        self._remarks(draft)
        if self.audience.changes and self.previous is not None:
            draft.sections.append(self._dropped(draft))
        return draft

    def _dropped(self, draft: Draft) -> Section:
        """Return the section listing the claims of the previous memo that this one no
        longer holds, each with its note, as its reader saw it; those the store no longer
        holds, or this audience may no longer see, are only counted."""
        assert self.previous is not None
        t = self.words
        title = t.gettext("No longer in this memo")
        held = {i for c in draft.clusters for i in c.claim_ids}
        left = sorted(self.previous.claims - held, key=self._store_order)
        period = self.previous.period
        if not left:
            every = (
                t.gettext("Every claim of the previous memo, for {period}, is in this one.")
                if period
                else t.gettext("Every claim of the previous memo is in this one.")
            )
            return Section(title, [Paragraph([Span(fill(every, period=period))])])
        blocks = []
        unknown = 0
        for ident in left:
            claim = self._admit(ident, draft, counted=False)
            if claim is None:
                unknown += 1
                continue
            draft.gone.append(ident)
            content: list[Inline] = [
                Span(self._wording(claim)),
                self._note(claim, draft, home=True),
            ]
            portion = self._portion(self.ws.marking_rank(claim.marking))
            blocks.append(Paragraph(content, kind="claim", claim_id=ident, portion=portion))
        # the sentence names no count: one claim or more, not the language's plural forms
        one = len(blocks) == 1
        if period:
            intro = (
                t.gettext(
                    "This claim was in the previous memo, for {period}, and is not in this one:"
                )
                if one
                else t.gettext(
                    "These claims were in the previous memo, for {period}, and are not in this one:"
                )
            )
        else:
            intro = (
                t.gettext("This claim was in the previous memo and is not in this one:")
                if one
                else t.gettext("These claims were in the previous memo and are not in this one:")
            )
        blocks.insert(0, Paragraph([Span(fill(intro, period=period))]))
        if unknown:
            further = t.ngettext(
                "{count} further claim of the previous memo can no longer be shown: "
                "withdrawn from the store, or not for this audience.",
                "{count} further claims of the previous memo can no longer be shown: "
                "withdrawn from the store, or not for this audience.",
                unknown,
            )
            blocks.append(Paragraph([Span(fill(further, count=unknown))]))
        return Section(title, blocks)

    def _store_order(self, ident: str) -> tuple[int, str]:
        """Return where a claim stands in the store (one it no longer holds goes last)."""
        order = self.ws.claim_order()
        return (order.get(ident, len(order)), ident)

    def _section(self, spec: BriefSection, draft: Draft) -> Section:
        stored = self.ws.sections.get(spec.section) if spec.section else None
        title = spec.title or (stored.title if stored else "")
        blocks: list[Paragraph] = []
        for text in (stored.text if stored else None, spec.text):
            if text:
                blocks += self._prose(text, draft)
        picks = []
        for ident in dict.fromkeys(spec.claims):  # a claim placed twice: `check` warns
            if ident not in draft.homes and self._admit(ident, draft) is not None:
                picks.append(ident)
        if spec.select is not None:
            picks += self._select(spec.select, draft, picks)
        cap = self.audience.max_claims
        if cap is not None and len(picks) > cap:
            draft.omitted.setdefault("over max-claims", set()).update(picks[cap:])
            picks = picks[:cap]
        for claim_id in picks:
            blocks.append(self._claim_paragraph(claim_id, draft))
        if not blocks:
            blocks.append(
                Paragraph([Span(self.words.gettext("Nothing to report for this period."))])
            )
        return Section(title, blocks)

    def _select(self, query: Select, draft: Draft, chosen: list[str]) -> list[str]:
        """Return the claims a select picks, within the period, none placed explicitly
        anywhere in the brief or cited before."""
        taken = set(draft.placed) | set(chosen) | self.explicit
        matches = self._matcher(query)
        found = [i for i in self._candidates(query) if i not in taken and matches(i)]
        picked: list[str] = []
        for ident in self._sorted(found, query.sort, query.limit):
            if query.limit and len(picked) >= query.limit:
                break
            if self._admit(ident, draft) is not None:  # counts what it may not see
                picked.append(ident)
        return picked

    def _candidates(self, query: Select) -> list[str]:
        """Return the claims that may match: those with one of its topics, in store order."""
        if not query.topics:
            return list(self.ws.claims)
        index = self.ws.topic_index()
        if len(query.topics) == 1:  # its claims, in store order (a claim may list it twice)
            return list(dict.fromkeys(index.get(query.topics[0], ())))
        wanted = {i for topic in query.topics for i in index.get(topic, ())}
        return (
            [i for i in self.ws.claims if i in wanted]
            if len(wanted) * 4 > len(self.ws.claims)
            else sorted(wanted, key=self.ws.claim_order().__getitem__)
        )

    def _matcher(self, query: Select) -> Callable[[str], bool]:
        """Return the test a claim (by id) must pass for `query` (its topics are tested
        by the caller's candidates: only claims with one of them are offered)."""
        lowest = CONFIDENCE_RANK[query.min_confidence] if query.min_confidence else None
        origin, period, facts = query.origin, self.period, self.ws.select_facts()
        within: dict[int, bool] = {}  # by id(date): a store's claims share their dates

        def matches(ident: str) -> bool:
            confidence, second_hand, date = facts[ident]
            if lowest is not None and (confidence is None or CONFIDENCE_RANK[confidence] < lowest):
                return False
            if origin is not None and second_hand != origin:
                return False
            if period is None:
                return True
            known = within.get(id(date))
            if known is None:
                known = within[id(date)] = date is not None and period.overlaps(date)
            return known

        return matches

    def _sorted(self, ids: list[str], order: str, limit: int | None = None) -> Iterator[str]:
        """Yield `ids` in the select's order; with a limit, sort only what is needed."""
        facts = self.ws.select_facts()
        if order == "store":
            yield from ids
            return
        key: Callable[[str], Any]
        if order == "id":
            key = str
        elif order == "confidence":

            def key(i: str) -> Any:
                return -CONFIDENCE_RANK.get(facts[i][0] or "", -1)
        else:
            late = order == "-date"
            by_date: dict[int, Any] = {}  # by id(date): a store's claims share their dates

            def key(i: str) -> Any:
                date = facts[i][2]
                known = by_date.get(id(date))
                if known is None:  # equal dates stay in store order, either way
                    known = by_date[id(date)] = sort_key(date, newest_first=late)
                return known

        if not limit or limit * 8 >= len(ids):
            yield from sorted(ids, key=key)
            return
        # heapq.nsmallest(n) equals sorted()[:n]: widen until the select has its limit
        done, wanted = 0, limit * 2
        while done < len(ids):
            head = heapq.nsmallest(wanted, ids, key=key)
            yield from head[done:]
            done, wanted = len(head), wanted * 4


class Placement(NamedTuple):
    """An explicit placement of a claim in a brief: in section `section`, at `key` inside
    it (("claims", j); ("text",): claim() in the brief's prose; ("section",): claim() in
    the prose of the store section it names)."""

    claim_id: str
    section: int
    key: tuple[str | int, ...]


def explicit_placements(ws: Workspace, brief: Brief) -> Iterator[Placement]:
    """Yield each explicit placement of a claim in `brief`, in reading order."""
    for i, spec in enumerate(brief.sections):
        stored = ws.sections.get(spec.section) if spec.section else None
        for key, text in (("section", stored.text if stored else None), ("text", spec.text)):
            for ident in _claim_calls(text):
                yield Placement(ident, i, (key,))
        for j, ident in enumerate(spec.claims):
            yield Placement(ident, i, ("claims", j))


def _claim_calls(text: str | None) -> list[str]:
    """Return the claims that prose places with claim(), in order (none if it is broken:
    `check` reports that)."""
    if not text:
        return []
    try:
        paragraphs = prose.render(text)
    except prose.ProseError:
        return []
    return [
        p.claim_id
        for parts in paragraphs
        for p in parts
        if isinstance(p, prose.Call) and p.kind == "claim"
    ]
