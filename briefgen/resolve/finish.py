"""The finished memo: the template's layout, notes renumbered in reading order, the
citations formatted, and the header, summary and banner made."""

from __future__ import annotations

import datetime as dt
import gettext
from collections import Counter
from pathlib import Path
from typing import Any

from .. import dates
from ..cite import csl
from ..cite import pandoc as cite
from ..dates import earliest_and_latest
from ..model import (
    BibEntry,
    Branding,
    Header,
    Inline,
    Memo,
    Note,
    NoteRef,
    Section,
    Span,
    Words,
)
from ..readers.fields import dump
from ..readers.records import Claim
from . import templates
from .paragraphs import Cluster, Draft, NoteLink
from .select import Selection
from .words import fill, kind_count

CONTENTS_FROM_HEADINGS = 6  # a full memo with this many headings opens with its contents
ENDNOTES_IN_COLUMNS_FROM = 4  # a one-page memo with more endnotes sets them in two columns


class Resolver(Selection):
    """A brief resolved for one audience: its sections placed, then laid out and finished."""

    def lay_out(
        self, draft: Draft, brief_id: str, audience_id: str, today: dt.date | None
    ) -> templates.Layout:
        """Apply the audience's template to the draft; renumber notes in reading order."""
        context = {
            "memo": self._template_memo(brief_id, audience_id, today),
            "audience": dump(self.audience),
            "omitted": {k: len(v) for k, v in sorted(draft.omitted.items())},
            "period": dates.format_period(self.period, self.locale) if self.period else None,
        }
        layout = templates.apply(
            self.ws, self.audience.template, draft.sections, context, draft.info
        )
        draft.sections = layout.sections
        draft.clusters = _renumber(layout.sections, draft.clusters)
        return layout

    def _template_memo(
        self, brief_id: str, audience_id: str, today: dt.date | None
    ) -> dict[str, Any]:
        head = self._header(audience_id, [], today)
        return {
            "title": head.title,
            "subject": head.subject,
            "to": head.to,
            "sender": head.sender,
            "date": head.date,
            "period": head.period,
            "organisation": head.organisation,
            "audience": head.audience,
            "brief": brief_id,
            "audience_id": audience_id,
        }

    def finish(
        self,
        draft: Draft,
        layout: templates.Layout,
        brief_id: str,
        audience_id: str,
        today: dt.date | None,
        citeproc: cite.Citeproc | None = None,
    ) -> Memo:
        """Render the laid-out memo's notes and bibliography, and return it."""
        rendered = self._render(draft, citeproc)
        notes: list[Note] = []
        sections = draft.sections
        _word_links(sections, rendered, self.words)
        if rendered.note_style:
            notes = [
                Note(i + 1, rendered.clusters[i], c.claim_ids) for i, c in enumerate(draft.clusters)
            ]
        else:
            sections = [_inline_citations(s, rendered.clusters) for s in sections]
        bibliography = (
            [BibEntry(i, spans) for i, spans in rendered.bibliography]
            if layout.bibliography
            else []
        )
        shown = dict.fromkeys(i for c in draft.clusters for i in c.claim_ids)
        rank = max([self.ws.marking_rank(self.ws.claims[i].marking) for i in shown], default=0)
        # what the memo rests on and is about: the claims it lists as dropped out aside
        gone = set(draft.gone)
        placed = [self.ws.claims[i] for i in shown if i not in gone]
        markings = self.ws.settings.markings
        header = self._header(audience_id, placed, today)
        header.fields = _fields(header, layout.fields, self.words)
        words = _words(
            self.words, bibliography_heading(self.ws.settings.citation_style, rendered, self.words)
        )
        summary = self._summary(placed) if self.audience.summary and layout.summary else []
        compact = layout.layout == "one-page"
        memo = Memo(
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
            pdf_engine=self.audience.pdf_engine or self.ws.settings.pdf_engine,
            branding=self._branding(),
            max_pages=self.audience.max_pages,
            language=self.locale,
            words=words,
            note_columns=2 if compact and len(notes) > ENDNOTES_IN_COLUMNS_FROM else 1,
            summary=summary,
            omitted={k: len(v) for k, v in sorted(draft.omitted.items())},
        )
        memo.contents = not compact and len(memo.headings()) >= CONTENTS_FROM_HEADINGS
        return memo

    def _branding(self) -> Branding:
        """Return the workspace's look, with its files as absolute paths."""
        settings = self.ws.settings

        def font(value: str) -> str:
            return str(self.ws.root / value) if value.lower().endswith(".ttf") else value

        logo = str((self.ws.root / settings.logo).resolve()) if settings.logo else None
        organisation = settings.organisation
        t = self.words
        alt = settings.logo_alt or (
            fill(t.gettext("Logo of {organisation}"), organisation=organisation)
            if organisation
            else t.gettext("Logo")
        )
        house = self.audience.reference_doc or settings.reference_doc
        return Branding(
            settings.accent_colour,
            logo,
            font(settings.body_font),
            font(settings.heading_font),
            alt,
            str((self.ws.root / house).resolve()) if house else None,
        )

    def _render(self, draft: Draft, citeproc: cite.Citeproc | None) -> cite.Rendered:
        style = cite.find_style(self.ws.settings.citation_style, self.ws.root)
        used = dict.fromkeys(c.source_id for cl in draft.clusters for c in cl.cites)
        family = csl.style_family(self.ws.settings.citation_style)
        names = self.ws.proper_nouns(self.visibility.sees_marking)
        references = [csl.csl_item(self.ws.sources[s], names, family) for s in used]
        if not draft.clusters:
            return cite.Rendered(True, [], [])
        clusters = [c.cites for c in draft.clusters]
        if citeproc is not None:
            return citeproc.render(clusters, references, style, self.locale)
        return cite.render(clusters, references, style, self.locale)

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
            date=dates.format_day(date, self.locale),
            subject=brief.subject,
            period=dates.format_period(self.period, self.locale) if self.period else None,
            iso_date=date.isoformat(),
            keywords=topics,
        )

    def _summary(self, placed: list[Claim]) -> list[str]:
        """Return the source summary statement, as intelligence products close with: each
        sentence one message of the catalogue, its counts in the language's plural forms."""
        used = list(dict.fromkeys(s.source for c in placed for s in c.sources))
        sources = [self.ws.sources[s] for s in used]
        if not sources:
            return []
        t = self.words
        kinds = Counter(s.type for s in sources)
        facts = {
            "count": len(sources),
            "kinds": ", ".join(kind_count(t, k, n) for k, n in sorted(kinds.items())),
        }
        bounds = earliest_and_latest([s.issued for s in sources if s.issued])
        if bounds is None:
            rests = t.ngettext(
                "This memo rests on {count} source ({kinds}).",
                "This memo rests on {count} sources ({kinds}).",
                len(sources),
            )
        elif bounds[0] == bounds[1]:
            facts["date"] = dates.format_partial(bounds[0], self.locale)
            rests = t.ngettext(
                "This memo rests on {count} source ({kinds}), published {date}.",
                "This memo rests on {count} sources ({kinds}), published {date}.",
                len(sources),
            )
        else:
            facts["first"] = dates.format_partial(bounds[0], self.locale)
            facts["last"] = dates.format_partial(bounds[1], self.locale)
            rests = t.ngettext(
                "This memo rests on {count} source ({kinds}), published {first} to {last}.",
                "This memo rests on {count} sources ({kinds}), published {first} to {last}.",
                len(sources),
            )
        grades = Counter(s.reliability or "" for s in sources)
        ungraded = t.gettext("ungraded")
        graded = ", ".join(f"{g or ungraded} ({n})" for g, n in sorted(grades.items(), key=_last))
        second = sum(1 for c in placed if c.origin)
        multi = sum(1 for c in placed if len({s.source for s in c.sources}) > 1)
        claims = t.ngettext(
            "Of its {count} claim, {second} and {multi}.",
            "Of its {count} claims, {second} and {multi}.",
            len(placed),
        )
        return [
            fill(rests, **facts)
            + " "
            + fill(t.gettext("Reliability grades: {grades}."), grades=graded),
            fill(
                claims,
                count=len(placed),
                second=t.ngettext(
                    "{count} is second-hand (reported by the source from another originator)",
                    "{count} are second-hand (reported by the source from another originator)",
                    second,
                ).format(count=second),
                multi=t.ngettext(
                    "{count} is backed by more than one source",
                    "{count} are backed by more than one source",
                    multi,
                ).format(count=multi),
            ),
        ]


def _last(item: tuple[str, int]) -> tuple[bool, str]:
    """Sort the grades A to F, then the sources without one."""
    return (not item[0], item[0])


def _renumber(sections: list[Section], clusters: list[Cluster]) -> list[Cluster]:
    """Number notes in reading order of the laid-out memo; drop notes no longer placed.

    A mention of a note in words (`NoteLink`) takes its note's new number; a remark that
    mentions a note the layout left out goes with it."""
    ordered: list[Cluster] = []
    numbers: dict[int, int] = {}  # a note's number in the draft -> in the memo

    def walk(content: list[Inline]) -> list[Inline]:
        out: list[Inline] = []
        for item in content:
            if isinstance(item, NoteRef) and not isinstance(item, NoteLink):
                ordered.append(clusters[item.number - 1])
                numbers[item.number] = len(ordered)
                out.append(NoteRef(len(ordered)))
            else:
                out.append(item)
        return out

    for section in sections:
        for para in section.blocks:
            para.content = walk(para.content)
            para.remarks = [walk(r) for r in para.remarks]
    for section in sections:
        for para in section.blocks:
            para.remarks = [
                [NoteLink(numbers[i.number]) if isinstance(i, NoteLink) else i for i in r]
                for r in para.remarks
                if all(i.number in numbers for i in r if isinstance(i, NoteLink))
            ]
    return ordered


def _word_links(
    sections: list[Section], rendered: cite.Rendered, t: gettext.NullTranslations
) -> None:
    """Word each mention of a note: "see note 4", or, in a style without notes, where the
    claim stands and its citation ("see above (Doe, 2024)")."""
    seen = 0  # notes read so far
    for section in sections:
        for para in section.blocks:
            for content in [para.content, *para.remarks]:
                worded: list[Inline] = []
                for item in content:
                    if isinstance(item, NoteLink):
                        worded += _see(item.number, seen, rendered, t)
                        continue
                    if isinstance(item, NoteRef):
                        seen = max(seen, item.number)
                    worded.append(item)
                content[:] = worded


def _see(
    number: int, seen: int, rendered: cite.Rendered, t: gettext.NullTranslations
) -> list[Inline]:
    if rendered.note_style:
        return [Span(t.gettext("see note {number}").format(number=number))]
    where = t.gettext("see above") if number <= seen else t.gettext("see below")
    return [Span(f"{where} "), *rendered.clusters[number - 1]]


def _fields(
    header: Header, labels: list[str], t: gettext.NullTranslations
) -> list[tuple[str, str]]:
    """Return the heading block's (label, value) rows the template asked for, if set,
    each label in the memo's language."""
    values = {
        "TO": (t.gettext("TO"), header.to),
        "FROM": (t.gettext("FROM"), header.sender),
        "DATE": (t.gettext("DATE"), header.date),
        "SUBJECT": (t.gettext("SUBJECT"), header.subject),
        "PERIOD": (t.gettext("PERIOD"), header.period),
        "FOR": (t.gettext("FOR"), header.audience),
    }
    rows = []
    for label in labels:
        shown, value = values.get(label, (label, None))
        if value:
            rows.append((shown, value))
    return rows


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


def _words(t: gettext.NullTranslations, bibliography: str) -> Words:
    """Return the memo's own words in its language."""
    return Words(
        notes=t.gettext("Notes"),
        note=t.gettext("Note {number}"),
        bibliography=bibliography,
        summary=t.gettext("Source summary"),
        contents=t.gettext("Contents"),
        new=t.gettext("NEW"),
        page=t.gettext("Page {page} of {pages}"),
        quoted=t.gettext("“{}”"),
    )


def bibliography_heading(style: str, rendered: cite.Rendered, t: gettext.NullTranslations) -> str:
    """Return what a style's guide heads its list of sources: Works Cited for MLA,
    Bibliography for notes, and for author-date and numeric styles (APA, Harvard,
    Vancouver) the locale's word for references ("Referenzen" in de-DE). CSL has no
    term for a bibliography or works cited, so those two are in English."""
    name = Path(style).stem.lower()
    if name.startswith(("modern-language-association", "mla")):
        return t.gettext("Works Cited")
    return t.gettext("Bibliography") if rendered.note_style else rendered.references
