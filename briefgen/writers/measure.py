"""The measure the paged formats share: each text role's size and spacing, and the page's.

The PDF writer sets these in reportlab, the DOCX writer as Word styles (exact line
spacing, paragraph spacing, indents), so that Word and LibreOffice break the DOCX's
pages where the PDF's break and an audience's max-pages holds for both. Sizes are in
points, the page's margins in millimetres.
"""

from __future__ import annotations

from dataclasses import dataclass

MARGIN = 20.0  # left and right
TOP = MARGIN + 4
BOTTOM = MARGIN + 2
FOOTNOTE_RULE = (9.0, 5.0)  # the space above and below the short rule over the footnotes
NOTE_GAP = 10.0  # between the columns of the endnotes
HEADER_RULE = 9.0  # the height of the rule under the heading block


@dataclass(frozen=True)
class Look:
    """Sizes of one layout: the policy memo, or the compact one-page memo."""

    body: float
    leading: float
    space: float
    heading: float
    title: float
    note: float  # footnotes
    endnote: float


LOOKS = {
    "policy-memo": Look(
        body=10.5, leading=14.2, space=5, heading=12.5, title=19, note=8.4, endnote=9
    ),
    "one-page": Look(
        body=9.5, leading=11.9, space=2.4, heading=10.6, title=15, note=7.4, endnote=7.4
    ),
}


@dataclass(frozen=True)
class Role:
    """How one kind of paragraph is set: size, leading, space before and after, indents."""

    size: float
    leading: float
    before: float = 0.0
    after: float = 0.0
    indent: float = 0.0  # the left edge of the text
    first: float = 0.0  # the first line's offset from `indent` (negative: it hangs)


def roles(look: Look) -> dict[str, Role]:
    """Return each paragraph role of a layout."""
    small = look.note
    body = Role(look.body, look.leading, after=look.space)
    return {
        "body": body,
        "org": Role(small + 0.6, look.leading, after=2),
        "title": Role(look.title, look.title * 1.2, after=look.space * 1.5),
        "label": Role(small + 0.6, look.leading * 0.95 - (look.body - small - 0.6)),
        "field": Role(look.body, look.leading * 0.95),
        "heading": Role(
            look.heading, look.heading * 1.3, before=look.space * 2.2, after=look.space
        ),
        "claim": Role(look.body, look.leading, after=look.space * 0.6, indent=12),
        "quote": Role(small + 0.8, (small + 0.8) * 1.3, after=2, indent=24),
        "remark": Role(small + 0.2, (small + 0.2) * 1.3, after=2, indent=24),
        "note": Role(small, small * 1.28, after=1.2, indent=small * 2.1, first=-small * 2.1),
        "endnote": Role(
            look.endnote,
            look.endnote * 1.28,
            after=1.2,
            indent=look.endnote * 2.1,
            first=-look.endnote * 2.1,
        ),
        "contents": Role(look.body, look.leading, after=look.space * 0.4),
        "bib": Role(small + 0.6, (small + 0.6) * 1.3, after=2, indent=18, first=-18),
    }
