"""Remove page furniture from a captured web page: prompts, credits, teasers, author boxes.

Rules work on lines and on blocks (paragraphs separated by blank lines). A line that
matches a furniture pattern is dropped; a block is dropped whole when it is a photo
caption, a teaser card (it holds a "Read More" line), a disclaimer, or the author's bio.
Workspaces add line patterns of their own in briefgen.yaml (`furniture:`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LINE_PATTERNS = [
    r"read more\.?",
    r"read the",
    r"print issue",
    r"download( (pdf|the report))?",
    r"get the latest( from .{1,40})?",
    r"how often would you like to hear from us\??",
    r"thank you! your request was successfully submitted\.?",
    r"sign up( now)?( to .{0,120})?\.?",
    r"subscribe( now| to .{0,80})?\.?",
    r"share( this( article| story)?)?:?",
    r"advertisement",
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
BLOCK_MARKERS = [
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
    """Return `text` without page furniture, paragraphs separated by one blank line."""
    line_patterns = compile_patterns(extra)
    names = [n.strip().lower() for n in authors if n.strip()]
    boxes = {n for n in names} | ({container.strip().lower()} if container else set())
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = []
    for block in blocks:
        if _is_furniture_block(block, names):
            continue
        lines = [ln.rstrip() for ln in block.split("\n")]
        lines = [
            ln for ln in lines if ln.strip() and not _is_furniture_line(ln, line_patterns, boxes)
        ]
        rest = "\n".join(lines).strip()
        if rest and not _is_bio(rest, names):
            kept.append(rest)
    return "\n\n".join(kept) + "\n"


def _is_furniture_line(line: str, patterns: list[re.Pattern[str]], boxes: set[str]) -> bool:
    stripped = line.strip().lower().replace("’", "'")
    if stripped in {b.replace("’", "'") for b in boxes}:
        return True  # the author's name or the publication's name alone: a byline or box
    return any(p.match(line) for p in patterns)


def _is_furniture_block(block: str, names: list[str]) -> bool:
    lowered = block.strip().lower()
    return any(re.search(m, lowered, re.MULTILINE) for m in BLOCK_MARKERS)


def _is_bio(block: str, names: list[str]) -> bool:
    """Return whether a block is an author box: "<Author> is a …" or "<Author> is the …"."""
    lowered = block.lower()
    return any(lowered.startswith(f"{n} is ") for n in names)
