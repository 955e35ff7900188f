"""Text runs in the PDF: a font per run, right-to-left order by UAX #9, a searchable layer.

reportlab breaks lines and draws text left to right, and shapes each word with HarfBuzz
(letters join, marks sit, brackets mirror in right-to-left words). What it lacks is
done here, with as little of our own as that allows:

- **Fonts.** Each run of text is set in the paragraph's font, or where that lacks a
  character in the first shipped fallback family that has it (`scripts.font_runs`).
- **Order.** The embedding level of every character comes from python-bidi, over the
  whole paragraph in logical order (a note number counts as left-to-right text). Each run
  of one level and font becomes its own fragment, preceded by a zero-width marker that
  carries its level. reportlab breaks the lines in logical order; as a line is drawn,
  its fragments are put in the visual order of rule L2 (`scripts.reorder`), and the
  words of a right-to-left fragment reversed. HarfBuzz gets each word of letters in
  logical order and returns its glyphs in visual order, brackets mirrored; fragments
  without letters are not shaped (HarfBuzz would reverse Persian digits), and those that
  stand right to left are reversed and their brackets mirrored here.
- **Shaping by font.** reportlab shapes a word's fragments with the first fragment's
  font; a word of several fonts (a Persian word glued to a note number) is shaped here
  one font at a time.
- **The text layer.** A glyph drawn for other characters than the one it is named by (a
  contextual Arabic letter, a mirrored bracket, a ligature) is drawn by a private code
  whose ToUnicode entry is the characters written; presentation forms map back to their
  letters, characters beyond U+FFFF are written as UTF-16, and each Indic word carries
  its characters as ActualText. A PDF reader's search and copy see the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from html import escape
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl_paragraph

from ... import scripts
from . import fonts as pdf_fonts
from .glyphs import drawn_for, keep_characters, to_unicode_cmap

Wrap = Callable[[str], str]
# The code points the memo's own fonts (body and heading) both hold: a character outside
# them is set in a fallback family.
BASE: ContextVar[frozenset[int]] = ContextVar("base", default=frozenset())
BIDI_CALLBACK = "_briefgen_bidi"  # the level markers' onDraw name: they draw nothing
TEXT_CALLBACK = "_briefgen_text"  # a pair of these around a word gives its ActualText
# Scripts whose glyphs HarfBuzz reorders or combines into glyphs no character maps to
# (Indic conjuncts and vowel signs drawn before their consonant): each word of them
# carries its characters as ActualText, which PDF readers search and copy.
LONGEST_SPANNED = 40  # characters: a shorter word is narrower than any column, never split
_REORDERED = re.compile("[\u0900-\u0dff\u0f00-\u109f\u1780-\u17ff\ua8e0-\ua8ff]")
_MARKED = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORDS = re.compile(r"([^\S\u00a0\u2007\u202f]+)")  # reportlab breaks at these spaces only
_SHAPED = re.compile(
    "[\u0300-\u036f\u0590-\u0dff\u0e00-\u0eff\u1000-\u109f\u1ab0-\u1aff"
    "\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufb1d-\ufdff\ufe20-\ufe2f"
    "\ufe70-\ufefc]"
)


def plain(text: str) -> bool:
    """Return whether `text` is drawn as it is: the memo's font holds it, left to right."""
    return (
        not scripts.has_rtl(text)
        and not needs_shaping(text)
        and scripts.holds(BASE.get() or scripts.coverage(scripts.SERIF), text)
    )


def needs_shaping(text: str) -> bool:
    """Return whether `text` holds a script or mark that only HarfBuzz sets right."""
    return bool(_SHAPED.search(text))


def markup(pieces: Sequence[tuple[str, Wrap]]) -> str:
    """Return reportlab markup for a paragraph's pieces of plain text, each in its wrapper.

    Right-to-left levels are taken over the whole paragraph; a piece's wrapper (italic, a
    link, a note number) gets the piece's runs as markup.
    """
    base = BASE.get() or scripts.coverage(scripts.SERIF)
    logical = "".join(text for text, _ in pieces)
    levels = scripts.levels(logical) if scripts.has_rtl(logical) else None
    out = []
    at = 0
    state = [-1]  # the level of the last marker put out
    for text, wrap in pieces:
        if text:
            out.append(
                wrap(_runs(text, levels[at : at + len(text)] if levels else None, base, state))
            )
        at += len(text)
    return "".join(out)


def _runs(text: str, levels: list[int] | None, base: frozenset[int], state: list[int]) -> str:
    """Return the markup of one piece: its font runs, cut again where the level changes."""
    out = []
    for start, end, family in scripts.font_runs(text, base):
        cuts = [start]
        if levels:
            cuts += [i for i in range(start + 1, end) if levels[i] != levels[i - 1]]
        cuts.append(end)
        for a, b in zip(cuts, cuts[1:], strict=False):
            chunk = text[a:b]
            if levels:
                level = levels[a]
                if level != state[0]:
                    out.append(f'<onDraw name="{BIDI_CALLBACK}" label="{level}"/>')
                    state[0] = level
            chunk = "".join(c for c in chunk if c not in scripts.BIDI_CONTROLS)
            chunk = _with_actual_text(chunk) if _reordered(chunk) else escape(chunk, quote=False)
            if family:
                chunk = f'<font name="{pdf_fonts.ensure(family)}">{chunk}</font>'
            out.append(chunk)
    return "".join(out)


def _reordered(word: str) -> bool:
    """Return whether a word's glyphs may reach the text layer out of its order: Indic
    text, combining marks, and letters of two marks or more, which the fonts draw as a
    letter and its marks ("ǟ" was read back as its two marks before the "a")."""
    if word.isascii():
        return False
    return bool(_REORDERED.search(word) or _MARKED.search(word)) or any(
        len(unicodedata.normalize("NFD", c)) > 2 for c in word
    )


def _with_actual_text(chunk: str) -> str:
    """Return a chunk's markup, each word between two markers that hold its characters."""
    out = []
    for i, part in enumerate(_WORDS.split(chunk)):
        # a word that may be split over two lines gets none: a span may not cross them
        if i % 2 or not _reordered(part) or len(part) > LONGEST_SPANNED:
            out.append(escape(part, quote=False))
            continue
        # canonically composed: a reader that orders marks by its own rules keeps "ǟ" whole
        label = unicodedata.normalize("NFC", part).encode("utf-16-be").hex()
        out.append(
            f'<onDraw name="{TEXT_CALLBACK}" label="b{label}"/>{escape(part, quote=False)}'
            f'<onDraw name="{TEXT_CALLBACK}" label="e{label}"/>'
        )
    return "".join(out)


def text_callback(canvas: Any, kind: str, label: str | None) -> None:
    """Open, or close, the marked-content span that gives a word its ActualText.

    The two markers around a word carry its characters; whichever is drawn first opens
    the span (a right-to-left override draws the word's markers the other way round).
    """
    tx = canvas._curr_tx_info["tx"]
    if getattr(canvas, "_briefgen_span", False):
        tx._code.append("EMC")
        canvas._briefgen_span = False
    elif label:
        tx._code.append(f"/Span <</ActualText <FEFF{label[1:]}>>> BDC")
        canvas._briefgen_span = True


def _is_marker(frag: Any, name: str) -> bool:
    defn = getattr(frag, "cbDefn", None)
    return defn is not None and getattr(defn, "name", None) == name


def spans_on_their_lines(lines: list[Any]) -> list[Any]:
    """Return lines where each word's ActualText span opens and closes on the word's line.

    reportlab ends a line with the marker that opens the next word's span (it stands
    after a space): it is dropped there, and opened again before the word, where the
    closing marker shows the word began on an earlier line or page.
    """
    out = []
    for line in lines:
        words = list(line.words)
        while (
            words
            and _is_marker(words[-1], TEXT_CALLBACK)
            and words[-1].cbDefn.label.startswith("b")
        ):
            words.pop()
        for frag in words:
            if _is_marker(frag, TEXT_CALLBACK):
                label = frag.cbDefn.label
                if label.startswith("e"):  # its word began before this line: open it here
                    opener = frag.clone()
                    opener.cbDefn = frag.cbDefn.clone(label="b" + label[1:])
                    words.insert(0, opener)
                break
        out.append(line.clone(words=words))
    return out


def _letters(text: str) -> bool:
    """Return whether `text` holds a letter or a mark: what HarfBuzz has to shape."""
    return any(unicodedata.category(c)[0] in "LM" for c in text)


def _mirrored() -> dict[str, str]:
    from bidi.algorithm import MIRRORED

    return dict(MIRRORED)


_MIRRORED = _mirrored()


# --- the paragraph: levels on fragments, visual order as each line is drawn ---------------


def mark_levels(frags: list[Any]) -> None:
    """Give each fragment the level of the marker before it (kept through splits)."""
    level = None
    for frag in frags:
        defn = getattr(frag, "cbDefn", None)
        if defn is not None and getattr(defn, "name", None) == BIDI_CALLBACK:
            level = int(defn.label)
        if level is not None:
            frag.bidi_level = level


def visual_line(line: Any) -> Any:
    """Return a line of fragments in visual order (UAX #9 rule L2)."""
    words = line.words
    levels = [getattr(f, "bidi_level", 0) for f in words]
    if not any(level % 2 for level in levels) and max(levels, default=0) == 0:
        return line
    order = scripts.reorder(levels)
    visual = []
    for i in order:
        frag = words[i]
        if levels[i] % 2 and getattr(frag, "text", ""):
            parts = _split_words(frag.text)
            if len(parts) > 1:
                frag = frag.clone(text=_joined(parts[::-1]))
        visual.append(frag)
    return line.clone(words=visual)


def _split_words(text: Any) -> list[Any]:
    """Return words and the spaces between them, as slices (a shaped string keeps its data)."""
    parts, at = [], 0
    for match in _WORDS.finditer(text):
        parts += [text[at : match.start()], text[match.start() : match.end()]]
        at = match.end()
    parts.append(text[at:])
    return [part for part in parts if part]


def _joined(parts: list[Any]) -> Any:
    """Join the pieces of a (possibly shaped) string, keeping reportlab's shaping data."""
    out = parts[0]
    for part in parts[1:]:
        out = (
            out + part
            if isinstance(out, ttfonts.ShapedStr) or not isinstance(part, ttfonts.ShapedStr)
            else part.__radd__(out)
        )
    return out


def paragraph(markup: str, style: ParagraphStyle, **kwargs: Any) -> Paragraph:
    """Return a paragraph, shaped by HarfBuzz when its text holds a script that needs it."""
    if needs_shaping(markup) or BIDI_CALLBACK in markup:
        style = ParagraphStyle(f"{style.name}-shaped", style, shaping=1)
    return TextParagraph(markup, style, **kwargs)


class TextParagraph(Paragraph):
    """A paragraph whose right-to-left runs are drawn in visual order, line by line, and
    that breaks its lines once per width.

    KeepTogether, the page frame and the footnote check each ask a paragraph for its
    size, at the same width, before it is placed: reportlab broke the lines again each
    time, a third of the PDF writer's time. The lines depend on the width alone (the
    height available is only compared with the result), so the last result is kept for
    as long as the lines it made are (a split that finds no room drops them).
    """

    _wrapped: tuple[float, Any, tuple[float, float]] | None = None
    _bidi = False
    _spans = False

    def _setup(self, *args: Any, **kwargs: Any) -> None:
        super()._setup(*args, **kwargs)
        mark_levels(self.frags)
        self._bidi = any(hasattr(f, "bidi_level") for f in self.frags)
        self._spans = any(_is_marker(f, TEXT_CALLBACK) for f in self.frags)

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab's name
        """Draw the paragraph, each line's right-to-left runs in visual order."""
        lines = getattr(self, "blPara", None)
        if not (self._bidi or self._spans) or lines is None or lines.kind != 1:
            return super().drawPara(debug)
        drawn = spans_on_their_lines(lines.lines) if self._spans else lines.lines
        self.blPara = lines.clone(lines=[visual_line(line) for line in drawn])
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        known = self._wrapped
        if known is None or known[0] != availWidth or known[1] is not self.__dict__.get("blPara"):
            size = super().wrap(availWidth, availHeight)
            known = self._wrapped = (availWidth, self.__dict__.get("blPara"), size)
        return known[2]


def bidi_callback(canvas: Any, kind: str, label: str | None) -> None:
    """Draw nothing: a level marker only carries its level."""


# --- reportlab: shaping by font (the characters each glyph stands for: glyphs.py) -------

_reportlab_shape = rl_paragraph.shapeFragWord


def shape_by_font(word: Any, *args: Any, **kwargs: Any) -> Any:
    """Shape a word's fragments one font at a time (reportlab takes the first's for all).

    Fragments without letters are not shaped: HarfBuzz would reverse Persian digits and
    swap them for Arabic-Indic glyphs. Those that stand right to left (brackets and
    punctuation between right-to-left words) are reversed and mirrored here.
    """
    if isinstance(word, ttfonts.ShapedFragWord) or len(word) < 2:
        return word
    groups: list[list[Any]] = []
    for item in word[1:]:
        frag = item[0]
        if (
            hasattr(frag, "cbDefn")
            or not groups
            or hasattr(groups[-1][-1][0], "cbDefn")
            or groups[-1][-1][0].fontName != frag.fontName
        ):
            groups.append([item])
        else:
            groups[-1].append(item)
    shaped_before = any(isinstance(s, ttfonts.ShapedStr) for _, s in word[1:])
    if len(groups) == 1 and not shaped_before and _letters("".join(s for _, s in word[1:])):
        return keep_characters(word, _reportlab_shape(word, *args, **_features(kwargs)))
    width = 0.0
    items: list[Any] = []
    changed = False
    for group in groups:
        if hasattr(group[0][0], "cbDefn"):
            items += group
            continue
        if any(isinstance(s, ttfonts.ShapedStr) for _, s in group):
            # the rest of a paragraph split over two pages: shaped already
            items += group
            width += sum(_width(f, s) for f, s in group)
            changed = True
            continue
        if not _letters("".join(s for _, s in group)):
            if getattr(group[0][0], "bidi_level", 0) % 2:
                group = _reversed_neutrals(group)
                changed = True
            items += group
            width += sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in group)
            continue
        part = [sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in group), *group]
        shaped = keep_characters(part, _reportlab_shape(part, *args, **_features(kwargs)))
        changed = changed or shaped is not part
        width += shaped[0]
        items += shaped[1:]
    if not changed:
        return word
    return word.__class__([width, *items])


# The OpenType features text is shaped with: those on by default in every reader, as
# Word, LibreOffice and browsers set the DOCX and HTML. reportlab also turns on
# discretionary ligatures, which are for a user to ask for: Noto Sans Hebrew's join yod
# and vav, and "קיו" was drawn "קוי".
FEATURES = {"kern": True, "liga": True}


def _features(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return reportlab's shaping arguments with the default features, unless given."""
    return {"features": FEATURES, **kwargs}


_reportlab_words = rl_paragraph._getFragWords


def words_led_by_text(frags: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """Return reportlab's words of a paragraph, each that a marker leads led by text."""
    return [_led_by_text(word) for word in _reportlab_words(frags, *args, **kwargs)]


def _led_by_text(word: Any) -> Any:
    """Return `word` with an empty text fragment before a marker that leads it.

    reportlab takes a word whose first fragment is a callback (our level and ActualText
    markers) for an image or a link anchor, and never splits it: a URL too long for the
    line then runs off the page. The empty fragment, of the first text's font, draws
    nothing and lets the word be split as any other. Words are led as reportlab makes
    them, before any shaping: a paragraph HarfBuzz does not shape has markers too.
    """
    if len(word) < 2 or not hasattr(word[1][0], "cbDefn"):
        return word
    text = next((f for f, _ in word[1:] if not hasattr(f, "cbDefn")), None)
    if text is None:
        return word
    lead = text.clone()
    lead.text = ""
    return word.__class__([word[0], (lead, ""), *word[1:]])


def _width(frag: Any, text: Any) -> float:
    """Return how wide a fragment's text is, shaped or not."""
    data = getattr(text, "__shapeData__", None)
    if data is not None:
        return sum(d.x_advance for d in data) * frag.fontSize / 1000
    return pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)


def _reversed_neutrals(group: list[Any]) -> list[Any]:
    """Return right-to-left neutrals in visual order: reversed, each bracket mirrored.

    The mirrored bracket is drawn by a private code whose text is the bracket written.
    """
    out = []
    for frag, text, *rest in reversed(group):
        face = pdfmetrics.getFont(frag.fontName).face
        chars = [
            drawn_for(face, _MIRRORED[c], c, True) if c in _MIRRORED else c for c in reversed(text)
        ]
        out.append((frag, "".join(chars), *rest))
    return out


def install() -> None:
    """Put the font-by-font shaper and the ToUnicode map in reportlab's place."""
    rl_paragraph.shapeFragWord = shape_by_font
    rl_paragraph._getFragWords = words_led_by_text
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
