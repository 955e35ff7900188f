"""Captured source texts: content paragraphs, quote matching and locators.

A captured text is plain UTF-8, blocks separated by blank lines. A block is a heading,
not a content paragraph, when it is one short line (at most 12 words) that does not end
a sentence, or when it starts with "#". Only content paragraphs are counted by "para. N".

A text with form feeds has pages, as pdftotext writes them and `ingest` writes a PDF's
text: each form feed ends a page, between blocks or inside one (a paragraph that runs
over a page break). A quote in such a text is placed by page, "p. N" (or "pp. N–M"
where it runs over a break), as its readers cite it; in any other, by paragraph.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

# Characters that differ between a web page and what an analyst types, folded to one form.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u200b": "",
        "\u00ad": "",
    }
)
# a dash between words: an em dash or bar however spaced, or any hyphen or dash with space
# on both sides (a hyphen-minus so typed stands for a dash)
_DASH = re.compile(r"\s*(?:[\u2014\u2015]|--+)\s*|\s+[-\u2010\u2011\u2012\u2013\u2212]\s+")
# a sentence ends in a full stop, question or exclamation mark of any script: Latin,
# Chinese and Japanese (。！？), Arabic and Persian (؟), Urdu (۔), Devanagari (।)
_SENTENCE_END = re.compile(r"[.!?…:;。！？؟۔।]['\"\u2019\u201d)\]」』）]*$")
# scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar, and
# their punctuation): any letter of theirs may start or end a quote, and white space
# between two of their characters (a line or page break in a PDF) is no text
_UNSPACED_CHARS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3001-\u30ff\u3400-\u9fff\uf900-\ufaff"
    "\uff00-\uffef\U00020000-\U0003134f"
)
_UNSPACED = re.compile(f"[{_UNSPACED_CHARS}]")
_UNSPACED_GAP = re.compile(f"(?<=[{_UNSPACED_CHARS}]) (?=[{_UNSPACED_CHARS}])")
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
T = TypeVar("T")


def fold(text: str) -> str:
    """Return `text` with quote marks, dashes and whitespace folded for comparison, in
    canonical composition (NFC): a quote pasted decomposed, as macOS and PDF readers give
    "café", is the same text; a line break inside Chinese or Japanese is no space."""
    if text.isascii() and "`" not in text:  # only others can hold a character _FOLD maps
        return " ".join(text.split())  # runs of white space as one space, none at the ends
    text = " ".join(unicodedata.normalize("NFC", text).translate(_FOLD).split())
    return _UNSPACED_GAP.sub("", text) if _UNSPACED.search(text) else text


def fold_spaced(text: str) -> str:
    """Fold `text` with one form for each dash: a dash between words ("a — b", "a—b",
    "a – b", and "a - b" as typed) is " - ", and a hyphen or a dash that joins ("two-way",
    "1990–2000") is "-". So no space may be added around a hyphen or inside a word:
    "two - way" is not a quote of "two-way"."""
    folded = fold(text)  # every dash and hyphen is "-" here: most texts have none
    return fold(_DASH.sub(" \u2014 ", text)) if "-" in folded else folded


def _inside_word(text: str, at: int, edge: str, step: int = -1) -> bool:
    """Return whether a quote's first (or, with step 1, last) character `edge`, at `at`
    in `text`, continues a word there: a letter or digit next to another, in a script
    that spaces its words."""
    beside = at + step
    if not (edge.isalnum() and 0 <= beside < len(text) and text[beside].isalnum()):
        return False
    return not (_UNSPACED.match(edge) or _UNSPACED.match(text[beside]))


def unspaced(char: str) -> bool:
    """Return whether `char` is of a script that puts no spaces between words."""
    return bool(_UNSPACED.match(char))


def _form_feeds(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if char == "\f"]


def _once(items: Iterable[T]) -> list[T]:
    """Return `items` in order, each once."""
    return list(dict.fromkeys(items))


def ends_sentence(text: str) -> bool:
    """Return whether `text` ends a sentence, in any script."""
    return bool(_SENTENCE_END.search(text.rstrip()))


def is_heading(block: str) -> bool:
    """Return whether a block is a heading rather than a content paragraph."""
    text = block.strip()
    if text.startswith("#"):
        return True
    if "\n" in text:
        return False
    return _words(text) <= 12 and not _SENTENCE_END.search(text)


def _words(text: str) -> int:
    """Return how many words `text` holds; in Chinese or Japanese, which do not space
    them, a word is taken to be two characters long."""
    unspaced = len(_UNSPACED.findall(text)) if not text.isascii() else 0
    return len(text.split()) + unspaced // 2


@dataclass
class Match:
    """Where a quote was found: its content paragraph number (1-based)."""

    paragraph: int


@dataclass
class CapturedText:
    """A source's captured text, folded once for fast, repeated quote look-ups."""

    paragraphs: list[str]  # content paragraphs, as written
    folded: str = ""
    starts: list[int] = field(default_factory=list)  # offset of each paragraph in `folded`
    pages: list[int] | None = None  # where in `folded` each page after the first starts

    @classmethod
    def parse(cls, text: str) -> CapturedText:
        """Return the captured text of `text`, headings and blank lines set aside."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        blocks = _BLOCK_SPLIT.split(text)
        if sum(1 for b in blocks if b.strip()) == 1 and "\n" in text.strip():
            blocks = text.split("\n")  # no blank lines: one paragraph per line
        captured = cls([], pages=[] if "\f" in text else None)
        parts = []
        offset = 0
        breaks = 0  # form feeds passed since the last content paragraph
        for block in blocks:
            para = block.strip()
            breaks += block[: len(block) - len(block.lstrip())].count("\f")
            if not para or is_heading(para):
                breaks += para.count("\f") + block[len(block.rstrip()) :].count("\f")
                continue
            folded = fold_spaced(para)
            if captured.pages is not None:
                captured.pages += [offset] * breaks
                for at in _form_feeds(para):  # a page break inside the paragraph
                    # where the page's first character is: the prefix that ends with it,
                    # folded, but that character
                    first = at + len(para[at:]) - len(para[at:].lstrip())
                    captured.pages.append(offset + len(fold_spaced(para[: first + 1])) - 1)
                breaks = block[len(block.rstrip()) :].count("\f")
            captured.paragraphs.append(para)
            captured.starts.append(offset)
            parts.append(folded)
            offset += len(folded) + 1
        captured.folded = "\n".join(parts)
        return captured

    def find(self, quote: str) -> Match | None:
        """Return where `quote` first occurs, ignoring whitespace, quote-mark and dash
        differences; see `find_all`."""
        found = self.find_all(quote)
        return Match(found[0]) if found else None

    def find_all(self, quote: str) -> list[int]:
        """Return the content paragraphs (1-based, each once) where `quote` occurs as
        written, ignoring whitespace, quote-mark and dash differences, and starting and
        ending where words do: "nnual trade" is not a quote of "annual trade"."""
        return _once(bisect_right(self.starts, at) for at, _ in self.spans(quote))

    def places(self, quote: str) -> list[str]:
        """Return the locator of each place `quote` occurs (each once, first first): "p. N"
        or "pp. N–M" in a text with pages, "para. N" in any other."""
        if self.pages is None:
            return [f"para. {n}" for n in self.find_all(quote)]
        return _once(self.locator(span) for span in self.spans(quote))

    def locator(self, span: tuple[int, int]) -> str:
        """Return the locator of a passage at `span` in `folded`, as `places` gives it."""
        at, end = span
        if self.pages is None:
            return f"para. {bisect_right(self.starts, at)}"
        first, last = (1 + bisect_right(self.pages, i) for i in (at, end - 1))
        return f"p. {first}" if first == last else f"pp. {first}\u2013{last}"

    def spans(self, quote: str) -> list[tuple[int, int]]:
        """Return the start and end, in `folded`, of every occurrence of `quote` that
        starts and ends where words do."""
        needle = fold_spaced(quote)
        spans: list[tuple[int, int]] = []
        if not needle:
            return spans
        hay = self.folded
        at = hay.find(needle)
        while at >= 0:
            end = at + len(needle)
            if not (_inside_word(hay, at, needle[0]) or _inside_word(hay, end - 1, needle[-1], 1)):
                spans.append((at, end))
            at = hay.find(needle, at + 1)
        return spans

    def closest(self, quote: str) -> str:
        """Return the passage most like `quote`, as the source has it (its white space
        aside), to show next to a failed quote check."""
        needle = fold_spaced(quote)
        words = needle.split()
        best, best_ratio = "", 0.0
        for para in self.paragraphs:
            tokens = para.split()
            hay: list[str] = []
            owner: list[int] = []  # the token of the paragraph each folded word is from
            for t, token in enumerate(tokens):
                parts = fold_spaced(token).split() or [""]
                hay += parts
                owner += [t] * len(parts)
            width = min(len(words), len(hay))
            matcher = difflib.SequenceMatcher(autojunk=False)
            matcher.set_seq2(needle)
            for i in range(0, max(1, len(hay) - width + 1)):
                window = " ".join(hay[i : i + width])
                matcher.set_seq1(window)
                if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                    continue
                ratio = matcher.ratio()
                if ratio > best_ratio:
                    last = owner[min(i + width, len(owner)) - 1]
                    best, best_ratio = " ".join(tokens[owner[i] : last + 1]), ratio
        return best
