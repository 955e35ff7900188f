"""Remove page furniture from a captured web page or PDF: skip links, bylines, prompts,
credits, teasers, share rows, copyright lines, author boxes, and the running heads and
page numbers of a paginated text. It runs on every capture: a web page's extractor
leaves some, and a page saved as text or a PDF has nothing else to remove it.

Rules work on lines and on blocks (paragraphs separated by blank lines). A line that
matches a furniture pattern is dropped, and so is a byline of the source's author; a
block is dropped whole when it is a photo caption, a teaser card (it holds a "Read More"
line), a newsletter box, a disclaimer, or the author's bio.
Workspaces add line patterns of their own in briefgen.yaml (`furniture:`).

A text whose pages end in form feeds (as a PDF's do, and pdftotext's output) loses, on
each page, the short blocks repeated on most pages (running heads and feet, their page
numbers aside) and the page numbers at a page's top or bottom; a paragraph cut by a page
break is joined again, the form feed kept inside it so that quotes are placed by page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..readers.texts import ends_sentence, is_heading

LINE_PATTERNS = [
    r"read more\.?",
    r"(read more|read also|see also|related|more on this|recommended)\s*[:»›→|]\s*.{1,150}",
    r"read the",
    r"print issue",
    r"download( (pdf|the report))?",
    r"get the latest( .{1,120})?",
    r"how often would you like to hear from us\??",
    r"thank you! your request was successfully submitted\.?",
    r"sign up( now)?( (to|for) .{0,120})?[.…]*",
    r"subscribe( now| to .{0,80})?\.?",
    r"(your )?e-?mail( address)?",
    r"share( this( article| story| page)?)?( on \w+)?:?",
    r"(e-?mail|print|tweet|save) this( article| story| page)?",
    r"(facebook|twitter|x|linkedin|whatsapp|telegram|reddit|bluesky|threads|copy link)",
    r"skip to (main )?(content|navigation)|jump to (main )?(content|navigation)",
    r"advertisement",
    r"©.{0,120}|(\(c\)|copyright)\s*(©\s*)?\d{4}.{0,120}",  # a copyright line
    r"all rights reserved\.?",
    r"privacy( policy| notice)?|terms (of use|of service|and conditions)|cookie (policy|settings)",
    r"(updated|published|posted)( on)?:? [^.!?]{0,40}\d[^.!?]{0,30}",  # a dateline
    r"related( articles| stories)?:?",
    r"follow us( on .{1,40})?\.?",
    r"(photo|image) credit:.*",
    r"(photo|image|credit): .{1,120}",
    r"by( \w+)? \d{4}",
    r"by",
    r"columnist",
    r"contributor",
    r"editor",
    r"author",
    r"listen to this article.*",
    r"\d+ min(ute)? read",
]
# a page number alone: "7", "- 7 -", "Page 7", "7 of 12", "7 / 12", "p. 7", "vii" (a roman
# number to 99, as front matter has)
PAGE_NUMBER = re.compile(
    r"^[\s\-–—|]*(?:(?:page|p\.|pg\.?)\s*)?"
    r"(?:\d{1,4}|(?=[ivxlc])(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
    r"(?:\s*(?:/|of)\s*\d{1,4})?[\s\-–—|]*$",
    re.IGNORECASE,
)
RUNNING_WORDS = 20  # a running head or foot is at most this long
EDGE = 3  # blocks at a page's top and at its bottom where a page number may stand
BLOCK_MARKERS = [
    r"^sign up for (our|the)\b.{0,60}\bnewsletter",
    r"\bphoto credit:",
    r"\bdo not necessarily (represent|reflect)\b",
    r"\ball opinions are those of the author",
    r"^read more\.?$",
]


def compile_patterns(extra: Iterable[str] = ()) -> list[re.Pattern[str]]:
    """Return the line patterns, built-in and the workspace's own, matched whole-line."""
    return [re.compile(rf"^\s*(?:{p})\s*$", re.IGNORECASE) for p in [*LINE_PATTERNS, *extra]]


def clean(
    text: str, authors: Iterable[str] = (), container: str | None = None, extra: Iterable[str] = ()
) -> str:
    """Return `text` without page furniture, paragraphs separated by one blank line and
    pages, where it has them, ended by form feeds as they were."""
    line_patterns = compile_patterns(extra)
    names = [n.strip().lower() for n in authors if n.strip()]
    boxes = {n for n in names} | ({container.strip().lower()} if container else set())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [_blocks(page) for page in text.split("\f")]
    if len(pages) > 1:
        pages = _without_running_furniture(pages)
    kept = [
        [b for b in (_cleaned(block, names, line_patterns, boxes) for block in page) if b]
        for page in pages
    ]
    return _paginated(kept)


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def _cleaned(
    block: str, names: list[str], patterns: list[re.Pattern[str]], boxes: set[str]
) -> str | None:
    """Return `block` without its furniture lines, or None where it is furniture whole."""
    if _is_furniture_block(block, names):
        return None
    lines = [ln.rstrip() for ln in block.split("\n")]
    lines = [
        ln for ln in lines if ln.strip() and not _is_furniture_line(ln, patterns, boxes, names)
    ]
    rest = "\n".join(lines).strip()
    return rest if rest and not _is_bio(rest, names) else None


def _without_running_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Return `pages` without the short blocks that most pages repeat (digits aside, so
    "Report title 7" and "Page 7 of 12" repeat), nor page numbers at a page's edges."""
    shapes = Counter(
        shape
        for page in pages
        for shape in {_shape(b) for b in page if len(b.split()) <= RUNNING_WORDS}
    )
    written = sum(1 for page in pages if page)
    repeated = {shape for shape, n in shapes.items() if n >= 2 and 2 * n >= written}
    out = []
    for page in pages:
        edges = {*range(min(EDGE, len(page))), *range(max(0, len(page) - EDGE), len(page))}
        out.append(
            [
                b
                for i, b in enumerate(page)
                if _shape(b) not in repeated and not (i in edges and PAGE_NUMBER.match(b))
            ]
        )
    return out


def _shape(block: str) -> str:
    """Return what a running head or foot keeps from page to page: its words, any number
    in it as #."""
    return " ".join(re.sub(r"\d+", "#", block.lower()).split())


def _paginated(pages: list[list[str]]) -> str:
    """Return the blocks of `pages` as one text: blocks separated by a blank line, each
    page but the last ended by a form feed, which stands before the next page's text."""
    if len(pages) == 1:
        return "\n\n".join(pages[0]) + "\n"
    blocks: list[str] = []
    breaks = ""  # the form feeds before the next block
    for n, page in enumerate(pages):
        for i, block in enumerate(page):
            if i == 0 and blocks and _runs_on(blocks[-1], block):
                blocks[-1] += "\n" + breaks + block
            else:
                blocks.append(breaks + block)
            breaks = ""
        breaks += "\f" if n < len(pages) - 1 else ""
    return "\n\n".join(blocks) + ("\n" + breaks if breaks else "") + "\n"


def _runs_on(before: str, after: str) -> bool:
    """Return whether a page's first block `after` continues the paragraph `before` that
    the previous page ended with: it begins in lower case, or `before` ends no sentence
    (unless `before` could be a heading, as a title page's last line is, and `after`
    begins in capitals)."""
    if after[:1].islower():
        return True
    return not ends_sentence(before) and not (is_heading(before) and after[:1].isupper())


# what may follow the author's name in a byline: nothing, or a dateline after a separator
_BYLINE = re.compile(r"^(\s*([|·•,–—-]|and\b|&)\s*.{0,80})?$")


def _is_furniture_line(
    line: str, patterns: list[re.Pattern[str]], boxes: set[str], names: list[str]
) -> bool:
    stripped = line.strip().lower().replace("’", "'")
    if stripped in {b.replace("’", "'") for b in boxes}:
        return True  # the author's name or the publication's name alone: a byline or box
    for name in names:  # "By Anna Smith | June 14, 2024 | 6 min read"
        if stripped.startswith(f"by {name}") and _BYLINE.match(stripped[len(name) + 3 :]):
            return True
    return any(p.match(line) for p in patterns)


def _is_furniture_block(block: str, names: list[str]) -> bool:
    lowered = block.strip().lower()
    return any(re.search(m, lowered, re.MULTILINE) for m in BLOCK_MARKERS)


def _is_bio(block: str, names: list[str]) -> bool:
    """Return whether a block is an author box: "<Author> is a …" or "<Author> is the …"."""
    lowered = block.lower()
    return any(lowered.startswith(f"{n} is ") for n in names)
