"""Finding a highlight's passage in a captured text: the paragraph it was made in, chosen
by the text around it where the passage stands in several, in every script."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.capture.passages import find_highlight, find_passage
from briefgen.readers.texts import CapturedText

from .scripts_text import SCRIPTS, sentence, words


@st.composite
def repeated(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, str]], int]:
    """Draw a text whose paragraphs each hold one passage, between words of their own,
    and the paragraph (0-based) a highlight was made in."""
    script = draw(st.sampled_from(SCRIPTS))
    other = draw(st.sampled_from([s for s in SCRIPTS if s != script]))
    passage = " ".join(draw(words(script, 2, 5)))
    count = draw(st.integers(1, 4))
    around = draw(
        st.lists(
            # words of one length: the last (first) words differing, no context ends
            # (starts) as another does
            st.tuples(words(other, 1, 4, length=3), words(other, 1, 4, length=3)),
            min_size=count,
            max_size=count,
            unique_by=lambda pair: (pair[0][-1], pair[1][0]),
        )
    )
    contexts = [(" ".join(before), " ".join(after)) for before, after in around]
    chosen = draw(st.integers(0, count - 1))
    heading = " ".join(draw(words("latin", 1, 3)))  # a short line: a heading, not counted
    paragraphs = [f"{before} {passage} {after}." for before, after in contexts]
    text = "\n\n".join([heading, *paragraphs])
    return text, passage, contexts, chosen


@settings(max_examples=150, deadline=None)
@given(repeated())
def test_prefix_and_suffix_choose_the_paragraph(case: tuple[str, str, list, int]) -> None:
    text, passage, contexts, chosen = case
    captured = CapturedText.parse(text)
    before, after = contexts[chosen]
    found = find_passage(captured, passage, before + " ", " " + after)
    assert found is not None
    assert found.places == [f"para. {n}" for n in range(1, len(contexts) + 1)]
    assert found.locator == f"para. {chosen + 1}"
    assert found.settled


@settings(max_examples=80, deadline=None)
@given(repeated())
def test_without_context_the_first_place_is_unsettled(case: tuple[str, str, list, int]) -> None:
    text, passage, contexts, _ = case
    found = find_passage(CapturedText.parse(text), passage)
    assert found is not None
    assert found.locator == "para. 1"
    assert found.settled == (len(contexts) == 1)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(SCRIPTS).flatmap(lambda s: st.lists(sentence(s), min_size=2, max_size=5)))
def test_a_passage_found_where_check_finds_it_or_nowhere(paragraphs: list[str]) -> None:
    """A quote check finds is found in the same paragraphs; a changed one nowhere."""
    captured = CapturedText.parse("\n\n".join(paragraphs))
    last = paragraphs[-1]
    found = find_passage(captured, last)
    assert found is not None
    assert found.locator == captured.places(last)[0]
    assert find_passage(captured, last + " " + paragraphs[0]) is None


def test_a_passage_over_a_page_break_is_cited_by_pages() -> None:
    text = "First page opens the report.\f\n\nSecond page holds the passage. It runs\fon here."
    found = find_passage(CapturedText.parse(text), "holds the passage. It runs on")
    assert found is not None and found.locator == "pp. 2\u20133"


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([s for s in SCRIPTS if s != "cjk"]).flatmap(lambda s: words(s, 3, 9, length=4)),
    st.data(),
)
def test_a_highlight_cutting_words_is_widened_to_them(
    found_words: list[str], data: st.DataObject
) -> None:
    """A selection that starts or ends inside a word takes the whole word, from the text
    the highlight keeps around it (in scripts that space their words)."""
    paragraph = " ".join(found_words) + "."
    first = data.draw(st.integers(0, len(found_words) - 2))
    last = data.draw(st.integers(first + 1, len(found_words) - 1))
    whole = " ".join(found_words[first : last + 1])
    at = paragraph.index(whole)
    cut_start, cut_end = data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))
    exact = whole[cut_start : len(whole) - cut_end]
    prefix, suffix = paragraph[: at + cut_start], paragraph[at + len(whole) - cut_end :]
    located = find_highlight(CapturedText.parse(paragraph), exact, prefix, suffix)
    assert located is not None
    assert located[0] == whole and located[1].locator == "para. 1"
