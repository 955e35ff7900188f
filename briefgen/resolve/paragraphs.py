"""A memo's paragraphs: each claim's wording, its note and its remarks, and prose.

Every way a claim enters a memo passes `Paragraphs._admit`, so `Visibility` alone
decides what an audience may see; selection (`select`) and the finished memo (`finish`)
build on these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..cite import pandoc as cite
from ..dates import PartialDate, Period
from ..model import Inline, NoteRef, Paragraph, Quote, Section, Span
from ..readers.records import Audience, Brief, Claim, Source
from ..readers.workspace import Workspace
from . import attribution, prose
from .visibility import Visibility
from .words import translations


class Previous(NamedTuple):
    """The memo of the same brief its reader had before: its period as printed, and the
    claims it held."""

    period: str | None
    claims: frozenset[str]


@dataclass
class Cluster:
    """The sources of one note, and the claims it backs."""

    cites: list[cite.Cite]
    claim_ids: list[str]


@dataclass(frozen=True)
class NoteLink(NoteRef):
    """A mention of note `number` in words ("see note 4"), numbered with the notes and
    worded when the memo is finished: a "Sources differ" remark pointing to a claim the
    memo already holds."""


@dataclass
class Draft:
    """A memo under construction: sections, notes to render, what was left out."""

    sections: list[Section] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)  # claim ids in memo order
    omitted: dict[str, set[str]] = field(default_factory=dict)  # reason -> claim ids
    info: dict[int, dict[str, Any]] = field(default_factory=dict)  # id(paragraph) -> facts
    # claim id -> the note of the place the memo shows its text, first place only
    homes: dict[str, int] = field(default_factory=dict)
    # claim paragraphs whose "Sources differ" remarks wait for every placement to be known
    differ: list[tuple[Paragraph, Claim]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # claims listed as dropped since last time


def claim_date(ws: Workspace, claim: Claim) -> PartialDate | None:
    """Return when a claim's information is from: its own date, else its first source's."""
    return ws.dated(claim.date, claim.sources)


class Paragraphs:
    """The claims an audience may see, as paragraphs with their notes."""

    def __init__(
        self,
        ws: Workspace,
        brief: Brief,
        audience: Audience,
        period: Period | None,
        previous: Previous | None = None,
    ) -> None:
        self.ws = ws
        self.brief = brief
        self.audience = audience
        self.period = period
        self.previous = previous
        self.visibility = Visibility(ws, audience)
        self._names: set[str] | None = None  # the store's names, made when first needed
        self.locale = audience.locale or ws.settings.locale
        """The memo's locale: the audience's, else the workspace's."""
        self.words = translations(self.locale)

    # --- paragraphs

    def _admit(self, claim_id: str, draft: Draft, counted: bool = True) -> Claim | None:
        """Return a claim if the audience may see it, else None: every way a claim enters
        the memo asks here, so `Visibility` alone decides.

        A claim kept out is counted under its reason when `counted`; one only mentioned in
        a "Sources differ" remark is not, as the memo never meant to place it.
        """
        claim = self.ws.claims.get(claim_id)
        if claim is None:  # a dangling reference, reported by check
            return None
        reason = self.visibility.hidden(claim)
        if reason is None:
            return claim
        if counted:
            draft.omitted.setdefault(reason, set()).add(claim_id)
        return None

    def _prose(self, text: str, draft: Draft) -> list[Paragraph]:
        """Return prose paragraphs with claim() texts and cite() notes put in."""
        out = []
        for parts in prose.render(text):
            content: list[Inline] = []
            ranks = [0]
            for part in parts:
                if isinstance(part, str):
                    content.append(Span(part))
                    continue
                if part.kind == "claim" and part.claim_id in draft.homes:
                    continue  # placed once already: `check` warns of the second place
                claim = self._admit(part.claim_id, draft)
                if claim is None:
                    continue
                ranks.append(self.ws.marking_rank(claim.marking))
                if part.kind == "claim":
                    content.append(Span(self._wording(claim)))
                    content.append(self._note(claim, draft, home=True))
                else:
                    content.append(self._note(claim, draft))
            content = _tidy(content)
            if any(isinstance(i, Span) and i.text.strip() for i in content):
                out.append(Paragraph(content, portion=self._portion(max(ranks))))
        return out

    def _claim_paragraph(self, claim_id: str, draft: Draft) -> Paragraph:
        claim = self.ws.claims[claim_id]
        content: list[Inline] = [Span(self._wording(claim)), self._note(claim, draft, home=True)]
        para = Paragraph(
            content,
            kind="claim",
            claim_id=claim_id,
            portion=self._portion(self.ws.marking_rank(claim.marking)),
        )
        new = self._is_new(claim)
        para.new = new and self.audience.mark_new
        draft.info[id(para)] = {
            "confidence": claim.confidence,
            "topics": claim.topics,
            "marking": claim.marking or self.ws.lowest_marking(),
            "new": new,
            "origin": claim.origin,
        }
        if self.audience.confidence and claim.confidence:
            para.confidence = {
                "high": self.words.gettext("high confidence"),
                "moderate": self.words.gettext("moderate confidence"),
                "low": self.words.gettext("low confidence"),
            }[claim.confidence]
        if self.audience.quotes:
            para.quotes = [
                Quote(nested_quotes(s.quote), self._quote_attribution(claim_id, i))
                for i, s in enumerate(claim.sources)
                if s.quote
            ]
        if self.audience.source_count:
            para.remarks.append([Span(self._sourcing(claim))])
        if self.audience.contradictions:
            draft.differ.append((para, claim))
        return para

    def _remarks(self, draft: Draft) -> None:
        """Add the "Sources differ" remarks, once every claim is placed, so that a remark
        can point to the note of a claim the memo holds anywhere, before or after it."""
        for para, claim in draft.differ:
            remarks, others = self._contradictions(claim, draft)
            para.remarks += remarks
            # a portion is marked with the highest marking of what it shows
            rank = max([self.ws.marking_rank(o.marking) for o in others], default=0)
            if rank > self.ws.marking_rank(claim.marking):
                para.portion = self._portion(rank)
        draft.differ.clear()

    def _sourcing(self, claim: Claim) -> str:
        """Return how many independent sources back a claim, and whose claim it is."""
        ids = list(dict.fromkeys(s.source for s in claim.sources))
        count = len(ids)
        t = self.words
        if claim.origin:
            return t.ngettext(
                "Second-hand: {origin}, as reported by {count} source.",
                "Second-hand: {origin}, as reported by {count} sources.",
                count,
            ).format(origin=claim.origin, count=count)
        groups = len({_lineage(self.ws.sources[i]) for i in ids if i in self.ws.sources})
        if count == 1:
            return t.gettext("Single source.")
        extra = t.gettext(" ({count} in all)").format(count=count) if groups < count else ""
        return t.ngettext(
            "Backed by {groups} independent source{extra}.",
            "Backed by {groups} independent sources{extra}.",
            groups,
        ).format(groups=groups, extra=extra)

    def _is_new(self, claim: Claim) -> bool:
        """Return whether a claim is new to the memo's reader: not in the previous memo
        of the brief for this audience; for a first memo, dated wholly within its period
        (a claim of June 2024 is not news of one week in June)."""
        if self.previous is not None:
            return claim.id not in self.previous.claims
        date = claim_date(self.ws, claim)
        period = self.period
        return bool(period and date and period.start <= date.start and date.end <= period.end)

    def _wording(self, claim: Claim) -> str:
        """Return the claim's text, attributed to its origin when it has one."""
        text = claim.text.strip()
        if not claim.origin:
            return text
        if self._names is None:  # what the audience may see shapes its memo's casing
            self._names = self.ws.proper_nouns(self.visibility.sees_marking)
        template = self.audience.attribution or self.words.gettext("According to {origin}, {text}")
        language = self.locale.split("-")[0].lower()
        return attribution.attribute(template, claim.origin, text, self._names, language)

    def _note(self, claim: Claim, draft: Draft, placed: bool = True, home: bool = False) -> NoteRef:
        """Open a note citing the claim's sources; return its marker.

        `placed` is False for a claim only mentioned in a remark; `home` is True where
        the note follows the claim's text, the place other mentions of it point to.
        """
        cites = _one_per_source(
            [
                cite.Cite(s.source, self._locator(claim.id, i, s.locator))
                for i, s in enumerate(claim.sources)
            ]
        )
        draft.clusters.append(Cluster(cites, [claim.id]))
        if placed:
            draft.placed.append(claim.id)
        if home:
            draft.homes.setdefault(claim.id, len(draft.clusters))
        return NoteRef(len(draft.clusters))

    def _locator(self, claim_id: str, index: int, given: str | None) -> str | None:
        return given or self.ws.locators.get((claim_id, index))

    def _quote_attribution(self, claim_id: str, index: int) -> str:
        cited = self.ws.claims[claim_id].sources[index]
        source = self.ws.sources[cited.source]
        who = _short_author(source)
        where = self._locator(claim_id, index, cited.locator)
        return f"{who}, {where}" if where else who

    def _contradictions(self, claim: Claim, draft: Draft) -> tuple[list[list[Inline]], list[Claim]]:
        """Return a claim's "Sources differ" remarks, and the claims whose text they show.

        A claim the memo already shows is not repeated: the remark points to its note.
        """
        others = list(claim.contradicts) + self.ws.contradicted_by().get(claim.id, [])
        remarks: list[list[Inline]] = []
        shown: list[Claim] = []
        for other_id in dict.fromkeys(others):
            if other_id == claim.id:  # a claim does not differ from itself
                continue
            other = self._admit(other_id, draft, counted=False)
            if other is None:
                continue
            home = draft.homes.get(other_id)
            if home is not None:
                remarks.append([Span(self.words.gettext("Sources differ: ")), NoteLink(home)])
                continue
            note = self._note(other, draft, placed=False, home=True)
            remarks.append(
                [Span(self.words.gettext("Sources differ: ")), Span(self._wording(other)), note]
            )
            shown.append(other)
        return remarks, shown

    def _portion(self, rank: int) -> str | None:
        if not self.audience.portion_marks:
            return None
        markings = self.ws.settings.markings
        return markings[min(rank, len(markings) - 1)].portion


def _tidy(content: list[Inline]) -> list[Inline]:
    """Drop the space a left-out claim leaves before punctuation or at the edges."""
    out: list[Inline] = []
    for item in content:
        if isinstance(item, Span) and out and isinstance(out[-1], Span):
            out[-1] = Span(out[-1].text + item.text)
        elif isinstance(item, NoteRef) and out and isinstance(out[-1], Span):
            out[-1] = Span(out[-1].text.rstrip())  # a note marker hugs the word before it
            out.append(item)
        else:
            out.append(item)
    if out and isinstance(out[0], Span):
        out[0] = Span(out[0].text.lstrip())
    return [i for i in out if not (isinstance(i, Span) and not i.text)]


def _lineage(source: Source) -> str:
    """Return what makes sources dependent on each other: the same outlet or the same author."""
    outlet = (source.container_title or source.publisher or "").strip().lower()
    if outlet:
        return outlet
    return _short_author(source).lower()


def _short_author(source: Source) -> str:
    """Return the first author's family name (or organisation, or container title)."""
    if source.author:
        first = source.author[0]
        return first.family or first.literal or first.given or source.id
    return source.container_title or source.title or source.id


_LOCATOR = re.compile(r"^\s*([^\W\d]+\.?)\s*(\S.*?)\s*$")  # "para. 3": label, value


def _one_per_source(cites: list[cite.Cite]) -> list[cite.Cite]:
    """Return one citation per source, in the order first cited, its locators merged:
    two quotes of one source give "para. 3, 5" (which the style prints "paras. 3, 5"),
    not the source twice in one note."""
    merged: dict[str, list[str]] = {}
    for c in cites:
        places = merged.setdefault(c.source_id, [])
        if c.locator and c.locator not in places:
            places.append(c.locator)
    out = []
    for source, places in merged.items():
        labels = {m.group(1) if (m := _LOCATOR.match(p)) else None for p in places}
        if len(places) > 1 and len(labels) == 1 and None not in labels:
            values = [m.group(2) for p in places if (m := _LOCATOR.match(p))]
            if all(v.isdigit() for v in values):
                values.sort(key=int)
            locator: str | None = f"{labels.pop()} {', '.join(values)}"
        else:
            locator = "; ".join(places) or None
        out.append(cite.Cite(source, locator))
    return out


# a quotation in straight marks: the opening one where a word may start, the closing one
# where a word may end ('class="nocase"' is no quotation)
_STRAIGHT = re.compile(r'(?:(?<=^)|(?<=[\s(\[{\u2014-]))"([^"\n]+)"(?=$|[\s.,;:!?)\]}\u2014-])')


def nested_quotes(text: str) -> str:
    """Return a quote's own quotations in single marks, since the memo prints the quote
    in double marks (“… ‘remains committed’ …”), as CMOS and APA have it: curly double
    marks always, straight ones where they stand as a quotation's."""
    if '"' not in text and "\u201c" not in text and "\u201d" not in text:
        return text
    text = text.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    return _STRAIGHT.sub("\u2018\\1\u2019", text)
