"""Quote matching and paragraph locators in captured texts."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from briefgen.readers import texts
from briefgen.readers.texts import CapturedText, is_heading

TEXT = """Hidden Discord in the Alliance

When the president died, Moscow called him a “very reliable partner.”

Brothers in Arms

Alabuga is ahead of schedule – it has supplied 4500 drones.

Well, perhaps.
"""


@pytest.mark.parametrize(
    "block, heading",
    [
        ("Brothers in Arms", True),
        ("# Conclusion", True),
        ("Well, perhaps.", False),
        ("A line that ends a sentence?", False),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", False),
        ("Two lines\nof content", False),
        ("北京今天宣布了新的贸易协定。", False),  # Chinese full stop
        ("本当にそうですか？", False),
        ("هل ستوقع روسيا الاتفاق؟", False),  # Arabic question mark
        ("کراچی میں ہے۔", False),  # Urdu full stop
        ("北京", True),
        ("中国与俄罗斯的贸易关系在过去两年中迅速发展并且影响了整个地区", False),  # 30 characters
    ],
)
def test_heading_rule(block: str, heading: bool) -> None:
    assert is_heading(block) is heading


@pytest.mark.parametrize(
    "quote, paragraph",
    [
        ('called him a "very reliable partner."', 1),  # straight quotes for curly
        ("ahead of schedule - it has   supplied", 2),  # hyphen for en dash, spaces
        ("ahead of schedule—it has supplied", 2),  # em dash, no spaces
        ("ahead of schedule -- it has supplied", 2),  # two hyphens for a dash
        ("Well, perhaps.", 3),
    ],
)
def test_quotes_are_found_ignoring_marks_dashes_and_spaces(quote: str, paragraph: int) -> None:
    match = CapturedText.parse(TEXT).find(quote)
    assert match is not None and match.paragraph == paragraph


@pytest.mark.parametrize(
    "quote",
    [
        "supplied 5500 drones",
        "Brothers in Arms",
        "",
        "partner. Alabuga",
        "ahead of schedule-it has supplied",  # a hyphen joins; the source has a dash
    ],
)
def test_misses(quote: str) -> None:
    assert CapturedText.parse(TEXT).find(quote) is None


def test_closest_passage_points_at_the_near_miss() -> None:
    text = CapturedText.parse(TEXT)
    assert text.closest("it has supplied 5500 drones") == "it has supplied 4500 drones."


@settings(max_examples=1000, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("ab -`'\"\t\n\u00a0\u2003\u2009\u200b\u00ad\u2013\u2014\u2019\u201c\u2028\u3000é")
        ),
        max_size=40,
    )
)
def test_folding_is_the_translation_then_one_space_for_each_run(text: str) -> None:
    """fold() skips the translation for ASCII text without a backtick and joins words
    instead of substituting a pattern: the same result as the plain definition."""
    reference = re.sub(
        r"\s+", " ", unicodedata.normalize("NFC", text).translate(texts._FOLD)
    ).strip()
    assert texts.fold(text) == reference
    dashed = re.sub(r"\s*(?:[\u2014\u2015]|--+)\s*|\s+[-\u2010-\u2013\u2212]\s+", " \u2014 ", text)
    spaced = texts.fold(dashed)
    assert texts.fold_spaced(text) == spaced


_ACCENTED = st.text(st.sampled_from(list("aeiou céñüøåÅǟ\u0301\u0308")), min_size=1, max_size=30)


@given(before=_ACCENTED, quote=_ACCENTED, after=_ACCENTED, form=st.sampled_from(["NFC", "NFD"]))
def test_a_quote_is_found_in_either_unicode_form(
    before: str, quote: str, after: str, form: str
) -> None:
    """A quote pasted decomposed (NFD, as macOS and PDF readers give it) is found in a text
    written composed, and the other way round."""
    assume(quote.strip() and unicodedata.category(quote.strip()[0]) != "Mn")
    other = "NFD" if form == "NFC" else "NFC"
    text = CapturedText.parse(unicodedata.normalize(form, f"{before} {quote} {after}."))
    assert text.find(unicodedata.normalize(other, quote)) is not None


_WORDS = st.lists(
    st.text("abcdefghij", min_size=2, max_size=6), min_size=3, max_size=10, unique=True
)


@given(words=_WORDS, data=st.data())
def test_a_quote_starts_and_ends_where_words_do(words: list[str], data: st.DataObject) -> None:
    """A run of whole words is found; the same run cut inside its first or last word is
    not, unless it stands elsewhere as whole words."""
    text = CapturedText.parse(" ".join(words) + ".")
    i = data.draw(st.integers(0, len(words) - 2))
    j = data.draw(st.integers(i + 1, len(words)))
    quote = " ".join(words[i:j])
    assert text.find_all(quote) == [1]
    for cut in (quote[1:], quote[:-1]):
        whole = f" {cut} " in f" {' '.join(words)} "
        assert bool(text.find_all(cut)) == whole, cut


@pytest.mark.parametrize(
    "quote, found",
    [
        ("新的贸易", True),  # Chinese spaces no words: a quote may start anywhere
        ("京今天", True),
        ("ドローン", True),
        ("รัฐบาลไทย", True),
        ("nnual trade", False),  # a spaced script: not inside a word
    ],
)
def test_a_quote_in_a_script_without_spaces_may_start_inside_a_run(quote: str, found: bool) -> None:
    text = CapturedText.parse(
        "北京今天宣布了新的贸易协定。ロシアのドローン工場。รัฐบาลไทยกล่าว. Annual trade fell."
    )
    assert bool(text.find_all(quote)) is found


def test_every_paragraph_a_quote_stands_in_is_found_once() -> None:
    text = CapturedText.parse(
        "Talks stalled. Talks stalled.\n\nPrices rose.\n\nTalks stalled again."
    )
    assert text.find_all("talks stalled") == []  # case counts
    assert text.find_all("Talks stalled") == [1, 3]


@given(
    left=st.text("abcdef", min_size=1, max_size=5),
    right=st.text("abcdef", min_size=1, max_size=5),
    hyphen=st.sampled_from(["-", "\u2010", "\u2011", "\u2013"]),
    spaces=st.sampled_from([" ", "  ", "\u00a0", " \n"]),
    side=st.sampled_from(["both", "left", "right"]),
)
def test_no_space_may_be_added_around_a_hyphen(
    left: str, right: str, hyphen: str, spaces: str, side: str
) -> None:
    """A word joined by a hyphen ("two-way") is not quoted by the same words with space
    put around the hyphen or into the word, however the space and hyphen are written."""
    text = CapturedText.parse(f"The {left}{hyphen}{right} trade.")
    assert text.find(f"{left}-{right}") is not None
    a, b = (spaces if side != "right" else ""), (spaces if side != "left" else "")
    assert text.find(f"{left}{a}-{b}{right}") is None
    assert text.find(f"{left[:-1]} {left[-1]}-{right}") is None if len(left) > 1 else True


def test_the_closest_passage_is_shown_as_the_source_has_it() -> None:
    """Curly quotes, dashes and composed letters stay as written in the passage shown."""
    text = CapturedText.parse("Le café a dit « très bien » – puis “rien” de plus.\n")
    shown = text.closest("Le cafe\u0301 a dit « tres bien » - puis rien")
    assert shown.startswith("Le café a dit « très bien » – puis “rien”"), shown


PAGED = (  # as pdftotext writes a report: every page ended by a form feed
    "The Report\n\nTalks stalled on Tuesday, the ministry said.\n\nPrices rose in a week in\n"
    "\fwhich nothing else moved.\n\n\fBrothers in Arms\n\nDrones were delivered early.\n\f"
)


@pytest.mark.parametrize(
    "quote, places",
    [
        ("Talks stalled on Tuesday", ["p. 1"]),
        ("Prices rose", ["p. 1"]),
        ("which nothing else moved", ["p. 2"]),
        ("a week in which nothing", ["pp. 1\u20132"]),
        ("Drones were delivered early.", ["p. 3"]),
        ("Brothers in Arms", []),  # a heading
    ],
)
def test_a_text_with_pages_places_a_quote_by_page(quote: str, places: list[str]) -> None:
    text = CapturedText.parse(PAGED)
    assert text.places(quote) == places
    assert len(text.find_all(quote)) == len(places)  # paragraphs are still counted


def test_a_text_without_pages_places_a_quote_by_paragraph() -> None:
    text = CapturedText.parse(PAGED.replace("\f", ""))
    assert text.places("which nothing else moved") == ["para. 2"]
    assert text.places("Drones were delivered early.") == ["para. 3"]
