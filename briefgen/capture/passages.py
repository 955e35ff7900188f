"""Finding a quote in a source's captured text, and where it stands (its locator).

The quote is matched as `check` matches it (`CapturedText.spans`); where it stands in
several places, the text around a highlight (a Web Annotation's `prefix` and `suffix`)
chooses among them, as an annotation tool re-anchors a highlight.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..readers.texts import CapturedText, fold_spaced


@dataclass(frozen=True)
class Passage:
    """A quote found in a captured text: the locator of the place chosen, every place
    it stands (each once), and whether the choice is settled: it stands once, or the
    text around it tells one place from the others."""

    locator: str
    places: list[str]
    settled: bool


def find_passage(
    text: CapturedText, quote: str, prefix: str = "", suffix: str = ""
) -> Passage | None:
    """Return where `quote` stands in `text`, the place whose surroundings best match
    `prefix` (the text just before it) and `suffix` (just after); None where it stands
    nowhere."""
    spans = text.spans(quote)
    if not spans:
        return None
    places = list(dict.fromkeys(text.locator(s) for s in spans))
    if len(spans) == 1:
        return Passage(places[0], places, True)
    scores = [_context(text.folded, span, prefix, suffix) for span in spans]
    best = max(scores)
    chosen = spans[scores.index(best)]
    settled = len(places) == 1 or (best > 0 and scores.count(best) == 1)
    return Passage(text.locator(chosen), places, settled)


def find_highlight(
    text: CapturedText, exact: str, prefix: str = "", suffix: str = ""
) -> tuple[str, Passage] | None:
    """Return the quote a highlight makes, and where it stands: its `exact` text, or,
    where a selection made by hand cut a word at either end ("he Alabuga plant"), that
    text widened to the whole words from its `prefix` and `suffix`, which the page gave."""
    found = find_passage(text, exact, prefix, suffix)
    if found is not None:
        return exact, found
    head = _WORD_END.search(prefix) if exact[:1].isalnum() else None
    tail = _WORD_START.match(suffix) if exact[-1:].isalnum() else None
    if head is None and tail is None:
        return None
    before, after = head.group() if head else "", tail.group() if tail else ""
    widened = before + exact + after
    found = find_passage(text, widened, prefix[: len(prefix) - len(before)], suffix[len(after) :])
    return (widened, found) if found is not None else None


_WORD_END = re.compile(r"\w+\Z")
_WORD_START = re.compile(r"\w+")


def _context(hay: str, span: tuple[int, int], prefix: str, suffix: str) -> int:
    """Return how many characters of `prefix` end the text before `span`, and of `suffix`
    start the text after it, white space aside (paragraphs are joined in `hay`, and the
    headings a highlight's prefix may hold are not)."""
    at, end = span
    before = _bare(hay[max(0, at - 4 * len(prefix) - 16) : at])
    after = _bare(hay[end : end + 4 * len(suffix) + 16])
    want_before, want_after = _bare(fold_spaced(prefix)), _bare(fold_spaced(suffix))
    common_end = len(os.path.commonprefix([before[::-1], want_before[::-1]]))
    return common_end + len(os.path.commonprefix([after, want_after]))


def _bare(text: str) -> str:
    return "".join(text.split())
