"""From a brief and the store to a Memo: every selection, ordering and numbering rule.

This is the one place that decides which claims a memo holds, for which audience, in
what order, with which notes and numbers. The writers only format its result.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..cite import csl
from ..cite import pandoc as cite
from ..dates import PartialDate, Period, earliest_and_latest, parse_period, sort_key
from ..errors import BriefgenError
from ..model import (
    BibEntry,
    Branding,
    Header,
    Inline,
    Memo,
    Note,
    NoteRef,
    Paragraph,
    Quote,
    Section,
    Span,
    Words,
)
from ..readers.records import Audience, Brief, BriefSection, Claim, Select, Source
from ..readers.workspace import Workspace
from ..speed.structs import dump
from . import prose, templates
from .visibility import Visibility

NOTHING_TO_REPORT = "Nothing to report for this period."
CONTENTS_FROM_HEADINGS = 6  # a full memo with this many headings opens with its contents
ENDNOTES_IN_COLUMNS_FROM = 4  # a one-page memo with more endnotes sets them in two columns
CONFIDENCE_RANK = {"low": 0, "moderate": 1, "high": 2}
LOWER_FIRST_WORDS = {"The", "A", "An", "This", "That", "These", "Those", "Its", "It", "There",
                     "Some", "Many", "Most", "Both", "Each", "Every", "Several", "About",
                     "Around", "Approximately", "Nearly", "Over", "More", "Less", "Fewer"}
TYPE_NAMES = {
    "article-magazine": ("magazine article", "magazine articles"),
    "article-newspaper": ("newspaper article", "newspaper articles"),
    "article-journal": ("journal article", "journal articles"),
    "report": ("report", "reports"),
    "webpage": ("web page", "web pages"),
    "book": ("book", "books"),
    "chapter": ("book chapter", "book chapters"),
    "post-weblog": ("blog post", "blog posts"),
    "speech": ("speech", "speeches"),
    "interview": ("interview", "interviews"),
}


@dataclass
class _Cluster:
    """The sources of one note, and the claims it backs."""

    cites: list[cite.Cite]
    claim_ids: list[str]


@dataclass
class _Draft:
    """A memo under construction: sections, notes to render, what was left out."""

    sections: list[Section] = field(default_factory=list)
    clusters: list[_Cluster] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)  # claim ids in memo order
    omitted: dict[str, set[str]] = field(default_factory=dict)  # reason -> claim ids
    info: dict[int, dict[str, Any]] = field(default_factory=dict)  # id(paragraph) -> facts


def claim_date(ws: Workspace, claim: Claim) -> PartialDate | None:
    """Return when a claim's information is from: its own date, else its first source's."""
    return ws.dated(claim.date, claim.sources)


@dataclass
class Plan:
    """A memo resolved for one audience, before its citations are formatted.

    Cheap to make (no pandoc run), so a build can tell from it whether an output's
    inputs changed before doing the expensive part.
    """

    brief_id: str
    audience_id: str
    resolver: _Resolver
    draft: _Draft
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
        return self.resolver.finish(self.draft, self.layout, self.brief_id, self.audience_id,
                                    self.today, citeproc)


def plan_memo(ws: Workspace, brief_id: str, brief: Brief, audience_id: str,
              period: str | dict | None = None, today: dt.date | None = None) -> Plan:
    """Return the resolved plan of `brief` for one audience; `period` overrides the brief's."""
    audience = ws.audiences[audience_id]
    resolver = _Resolver(ws, brief, audience, _period(brief, period, today))
    draft = resolver.run()
    layout = resolver.lay_out(draft, brief_id, audience_id, today)
    plan = Plan(brief_id, audience_id, resolver, draft, today, layout)
    resolver.visibility.vouch(audience_id, plan.claim_ids())  # every claim has its note
    return plan


def build_memo(ws: Workspace, brief_id: str, brief: Brief, audience_id: str,
               period: str | dict | None = None, today: dt.date | None = None) -> Memo:
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


class _Resolver:
    """Walk a brief's sections for one audience, placing claims and their notes."""

    def __init__(self, ws: Workspace, brief: Brief, audience: Audience,
                 period: Period | None) -> None:
        self.ws = ws
        self.brief = brief
        self.audience = audience
        self.period = period
        self.visibility = Visibility(ws, audience)

    # --- selection ----------------------------------------------------------------

    def run(self) -> _Draft:
        """Return the draft memo: every section with its paragraphs and note clusters."""
        draft = _Draft()
        for section in self.brief.sections:
            draft.sections.append(self._section(section, draft))
        return draft

    def _admit(self, claim_id: str, draft: _Draft, counted: bool = True) -> Claim | None:
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

    def _section(self, spec: BriefSection, draft: _Draft) -> Section:
        stored = self.ws.sections.get(spec.section) if spec.section else None
        title = spec.title or (stored.title if stored else "")
        blocks: list[Paragraph] = []
        for text in (stored.text if stored else None, spec.text):
            if text:
                blocks += self._prose(text, draft)
        picks = [c for c in spec.claims if self._admit(c, draft) is not None]
        if spec.select is not None:
            picks += self._select(spec.select, draft, picks)
        cap = self.audience.max_claims
        if cap is not None and len(picks) > cap:
            draft.omitted.setdefault("over max-claims", set()).update(picks[cap:])
            picks = picks[:cap]
        for claim_id in picks:
            blocks.append(self._claim_paragraph(claim_id, draft))
        if not blocks:
            blocks.append(Paragraph([Span(NOTHING_TO_REPORT)]))
        return Section(title, blocks)

    def _select(self, query: Select, draft: _Draft, chosen: list[str]) -> list[str]:
        """Return the claims a select picks, within the period, none placed before."""
        taken = set(draft.placed) | set(chosen)
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
        return [i for i in self.ws.claims if i in wanted] if len(wanted) * 4 > len(
            self.ws.claims) else sorted(wanted, key=self.ws.claim_order().__getitem__)

    def _matcher(self, query: Select) -> Callable[[str], bool]:
        """Return the test a claim (by id) must pass for `query` (its topics are tested
        by the caller's candidates: only claims with one of them are offered)."""
        lowest = CONFIDENCE_RANK[query.min_confidence] if query.min_confidence else None
        origin, period, facts = query.origin, self.period, self.ws.select_facts()
        within: dict[int, bool] = {}  # by id(date): a store's claims share their dates

        def matches(ident: str) -> bool:
            confidence, second_hand, date = facts[ident]
            if lowest is not None and (confidence is None
                                       or CONFIDENCE_RANK[confidence] < lowest):
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

    # --- paragraphs ---------------------------------------------------------------

    def _prose(self, text: str, draft: _Draft) -> list[Paragraph]:
        """Return prose paragraphs with claim() texts and cite() notes put in."""
        out = []
        for parts in prose.render(text):
            content: list[Inline] = []
            ranks = [0]
            for part in parts:
                if isinstance(part, str):
                    content.append(Span(part))
                    continue
                claim = self._admit(part.claim_id, draft)
                if claim is None:
                    continue
                ranks.append(self.ws.marking_rank(claim.marking))
                if part.kind == "claim":
                    content.append(Span(self._wording(claim)))
                content.append(self._note(claim, draft))
            content = _tidy(content)
            if any(isinstance(i, Span) and i.text.strip() for i in content):
                out.append(Paragraph(content, portion=self._portion(max(ranks))))
        return out

    def _claim_paragraph(self, claim_id: str, draft: _Draft) -> Paragraph:
        claim = self.ws.claims[claim_id]
        content: list[Inline] = [Span(self._wording(claim)), self._note(claim, draft)]
        para = Paragraph(content, kind="claim", claim_id=claim_id,
                         portion=self._portion(self.ws.marking_rank(claim.marking)))
        new = self._is_new(claim)
        para.new = new and self.audience.mark_new
        draft.info[id(para)] = {"confidence": claim.confidence, "topics": claim.topics,
                                "marking": claim.marking or self.ws.lowest_marking(),
                                "new": new, "origin": claim.origin}
        if self.audience.confidence and claim.confidence:
            para.confidence = f"{claim.confidence} confidence"
        if self.audience.quotes:
            para.quotes = [Quote(s.quote, self._quote_attribution(claim_id, i))
                           for i, s in enumerate(claim.sources) if s.quote]
        if self.audience.source_count:
            para.remarks.append([Span(self._sourcing(claim))])
        if self.audience.contradictions:
            para.remarks += self._contradictions(claim, draft)
        return para

    def _sourcing(self, claim: Claim) -> str:
        """Return how many independent sources back a claim, and whose claim it is."""
        ids = list(dict.fromkeys(s.source for s in claim.sources))
        count = len(ids)
        noun = "source" if count == 1 else "sources"
        if claim.origin:
            return f"Second-hand: {claim.origin}, as reported by {count} {noun}."
        groups = len({_lineage(self.ws.sources[i]) for i in ids if i in self.ws.sources})
        if count == 1:
            return "Single source."
        extra = f" ({count} in all)" if groups < count else ""
        return f"Backed by {groups} independent sources{extra}."

    def _is_new(self, claim: Claim) -> bool:
        """Return whether a claim is dated within the memo's period."""
        date = claim_date(self.ws, claim)
        return bool(self.period and date and self.period.overlaps(date))

    def _wording(self, claim: Claim) -> str:
        """Return the claim's text, attributed to its origin when it has one."""
        text = claim.text.strip()
        if not claim.origin:
            return text
        first, _, rest = text.partition(" ")
        template = self.audience.attribution
        if not template.startswith("{text}") and not self._proper_noun(first, claim):
            text = f"{first[:1].lower()}{first[1:]} {rest}"
        return template.format(origin=claim.origin, text=text)

    def _proper_noun(self, word: str, claim: Claim) -> bool:
        """Return whether a sentence's first word keeps its capital inside a sentence.

        A word counts as a name when it is an acronym or stands capitalised after a
        lower-case word somewhere in the claim or its sources' captured texts.
        """
        bare = word.strip("\"'“‘(")
        if not bare[:1].isupper() or bare in LOWER_FIRST_WORDS:
            return False
        if any(c.isupper() for c in bare[1:]) or not bare.isalpha():
            return True
        pattern = re.compile(r"[a-z0-9,;:)]\s+" + re.escape(bare) + r"\b")
        texts = [claim.text] + ["\n".join(t.paragraphs) for s in claim.sources
                                if (t := self.ws.texts.get(s.source))]
        return any(pattern.search(t) for t in texts)

    def _note(self, claim: Claim, draft: _Draft, placed: bool = True) -> NoteRef:
        """Open a note citing the claim's sources; return its marker.

        `placed` is False for a claim only mentioned in a remark: it may still be
        selected later in its own right.
        """
        cites = [cite.Cite(s.source, self._locator(claim.id, i, s.locator))
                 for i, s in enumerate(claim.sources)]
        draft.clusters.append(_Cluster(cites, [claim.id]))
        if placed:
            draft.placed.append(claim.id)
        return NoteRef(len(draft.clusters))

    def _locator(self, claim_id: str, index: int, given: str | None) -> str | None:
        return given or self.ws.locators.get((claim_id, index))

    def _quote_attribution(self, claim_id: str, index: int) -> str:
        cited = self.ws.claims[claim_id].sources[index]
        source = self.ws.sources[cited.source]
        who = _short_author(source)
        where = self._locator(claim_id, index, cited.locator)
        return f"{who}, {where}" if where else who

    def _contradictions(self, claim: Claim, draft: _Draft) -> list[list[Inline]]:
        others = list(claim.contradicts) + self.ws.contradicted_by().get(claim.id, [])
        remarks: list[list[Inline]] = []
        for other_id in dict.fromkeys(others):
            other = self._admit(other_id, draft, counted=False)
            if other is None:
                continue
            remarks.append([Span("Sources differ: "), Span(self._wording(other)),
                            self._note(other, draft, placed=False)])
        return remarks

    def _portion(self, rank: int) -> str | None:
        if not self.audience.portion_marks:
            return None
        markings = self.ws.settings.markings
        return markings[min(rank, len(markings) - 1)].portion

    # --- notes and the finished memo ------------------------------------------------

    def lay_out(self, draft: _Draft, brief_id: str, audience_id: str,
                today: dt.date | None) -> templates.Layout:
        """Apply the audience's template to the draft; renumber notes in reading order."""
        context = {"memo": self._template_memo(brief_id, audience_id, today),
                   "audience": dump(self.audience),
                   "omitted": {k: len(v) for k, v in sorted(draft.omitted.items())},
                   "period": self.period.display() if self.period else None}
        layout = templates.apply(self.ws, self.audience.template, draft.sections, context,
                                 draft.info)
        draft.sections = layout.sections
        draft.clusters = _renumber(layout.sections, draft.clusters)
        return layout

    def _template_memo(self, brief_id: str, audience_id: str,
                       today: dt.date | None) -> dict[str, Any]:
        head = self._header(audience_id, [], today)
        return {"title": head.title, "subject": head.subject, "to": head.to,
                "sender": head.sender, "date": head.date, "period": head.period,
                "organisation": head.organisation, "audience": head.audience,
                "brief": brief_id, "audience_id": audience_id}

    def finish(self, draft: _Draft, layout: templates.Layout, brief_id: str,
               audience_id: str, today: dt.date | None,
               citeproc: cite.Citeproc | None = None) -> Memo:
        """Render the laid-out memo's notes and bibliography, and return it."""
        rendered = self._render(draft, citeproc)
        notes: list[Note] = []
        sections = draft.sections
        if rendered.note_style:
            notes = [Note(i + 1, rendered.clusters[i], c.claim_ids)
                     for i, c in enumerate(draft.clusters)]
        else:
            sections = [_inline_citations(s, rendered.clusters) for s in sections]
        bibliography = [BibEntry(i, spans) for i, spans in rendered.bibliography
                        ] if layout.bibliography else []
        shown = dict.fromkeys(i for c in draft.clusters for i in c.claim_ids)
        placed = [self.ws.claims[i] for i in shown]
        rank = max([self.ws.marking_rank(c.marking) for c in placed], default=0)
        markings = self.ws.settings.markings
        header = self._header(audience_id, placed, today)
        header.fields = _fields(header, layout.fields)
        words = Words(bibliography="Bibliography" if rendered.note_style else "References")
        summary = self._summary(placed) if self.audience.summary and layout.summary else []
        compact = layout.layout == "one-page"
        headings = [s.title for s in sections if s.title]
        headings += [words.bibliography] if bibliography else []
        headings += [words.summary] if summary else []
        return Memo(
            brief_id=brief_id,
            audience_id=audience_id,
            header=header,
            sections=sections,
            notes=notes,
            bibliography=bibliography,
            banner=markings[min(rank, len(markings) - 1)].name,
            note_placement=self.audience.notes,
            layout="one-page" if compact else "policy-memo",
            page_size=self.ws.settings.page_size,
            branding=self._branding(),
            max_pages=self.audience.max_pages,
            language=self.ws.settings.locale,
            words=words,
            contents=compact is False and len(headings) >= CONTENTS_FROM_HEADINGS,
            note_columns=2 if compact and len(notes) > ENDNOTES_IN_COLUMNS_FROM else 1,
            summary=summary,
            omitted={k: len(v) for k, v in sorted(draft.omitted.items())},
        )

    def _branding(self) -> Branding:
        """Return the workspace's look, with its files as absolute paths."""
        settings = self.ws.settings

        def font(value: str) -> str:
            return str(self.ws.root / value) if value.lower().endswith(".ttf") else value

        logo = str((self.ws.root / settings.logo).resolve()) if settings.logo else None
        return Branding(settings.accent_colour, logo, font(settings.body_font),
                        font(settings.heading_font))

    def _render(self, draft: _Draft, citeproc: cite.Citeproc | None) -> cite.Rendered:
        style = cite.find_style(self.ws.settings.citation_style, self.ws.root)
        used = dict.fromkeys(c.source_id for cl in draft.clusters for c in cl.cites)
        family = csl.style_family(self.ws.settings.citation_style)
        names = self.ws.proper_nouns()
        references = [csl.csl_item(self.ws.sources[s], names, family) for s in used]
        if not draft.clusters:
            return cite.Rendered(True, [], [])
        clusters = [c.cites for c in draft.clusters]
        if citeproc is not None:
            return citeproc.render(clusters, references, style, self.ws.settings.locale)
        return cite.render(clusters, references, style, self.ws.settings.locale)

    def _header(self, audience_id: str, placed: list[Claim], today: dt.date | None) -> Header:
        brief = self.brief
        date = brief.date.start if brief.date else (today or dt.date.today())
        topics = sorted({t for c in placed for t in c.topics})
        return Header(
            title=brief.title,
            organisation=self.ws.settings.organisation,
            audience=self.audience.label or audience_id,
            to=brief.to,
            sender=brief.from_ or self.ws.settings.organisation or None,
            date=f"{date.day} {PartialDate(date.year, date.month).display()}",
            subject=brief.subject,
            period=self.period.display() if self.period else None,
            iso_date=date.isoformat(),
            keywords=topics,
        )

    def _summary(self, placed: list[Claim]) -> list[str]:
        """Return the source summary statement, as intelligence products close with."""
        used = list(dict.fromkeys(s.source for c in placed for s in c.sources))
        sources = [self.ws.sources[s] for s in used]
        if not sources:
            return []
        kinds = Counter(s.type for s in sources)
        kind_text = ", ".join(
            f"{n} {TYPE_NAMES.get(t, (t, t + 's'))[n != 1]}" for t, n in sorted(kinds.items()))
        bounds = earliest_and_latest([s.issued for s in sources if s.issued])
        published = "" if bounds is None else f", published {bounds[0].display()}" + (
            f" to {bounds[1].display()}" if bounds[1] != bounds[0] else "")
        grades = Counter(s.reliability or "ungraded" for s in sources)
        grade_text = ", ".join(f"{g} ({n})" for g, n in sorted(grades.items()))
        second = sum(1 for c in placed if c.origin)
        multi = sum(1 for c in placed if len({s.source for s in c.sources}) > 1)
        return [
            f"This memo rests on {len(sources)} source{'s' if len(sources) != 1 else ''} "
            f"({kind_text}){published}. Reliability grades: {grade_text}.",
            f"Of its {len(placed)} claims, {second} are second-hand (reported by the source "
            f"from another originator) and {multi} are backed by more than one source.",
        ]


def _renumber(sections: list[Section], clusters: list[_Cluster]) -> list[_Cluster]:
    """Number notes in reading order of the laid-out memo; drop notes no longer placed."""
    ordered: list[_Cluster] = []

    def walk(content: list[Inline]) -> list[Inline]:
        out: list[Inline] = []
        for item in content:
            if isinstance(item, NoteRef):
                ordered.append(clusters[item.number - 1])
                out.append(NoteRef(len(ordered)))
            else:
                out.append(item)
        return out

    for section in sections:
        for para in section.blocks:
            para.content = walk(para.content)
            para.remarks = [walk(r) for r in para.remarks]
    return ordered


def _fields(header: Header, labels: list[str]) -> list[tuple[str, str]]:
    """Return the heading block's (label, value) rows the template asked for, if set."""
    values = {"TO": header.to, "FROM": header.sender, "DATE": header.date,
              "SUBJECT": header.subject, "PERIOD": header.period, "FOR": header.audience}
    return [(label, value) for label in labels if (value := values.get(label))]


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


def _inline_citations(section: Section, clusters: list[list[Span]]) -> Section:
    """Replace note markers by in-text citations, for author-date styles."""
    for para in section.blocks:
        para.content = _replace_refs(para.content, clusters)
        para.remarks = [_replace_refs(r, clusters) for r in para.remarks]
    return section


def _replace_refs(content: list[Inline], clusters: list[list[Span]]) -> list[Inline]:
    out: list[Inline] = []
    for item in content:
        if isinstance(item, NoteRef):
            citation = clusters[item.number - 1]
            last = out[-1] if out else None
            if isinstance(last, Span) and last.text.rstrip().endswith("."):
                out[-1] = Span(last.text.rstrip()[:-1], last.italic, last.bold, last.url)
                out += [Span(" "), *citation, Span(".")]
            else:
                out += [Span(" "), *citation]
        else:
            out.append(item)
    return out


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
