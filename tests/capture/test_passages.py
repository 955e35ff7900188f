"""Finding a highlight's passage in a captured text: the paragraph it was made in, chosen
by the text around it where the passage stands in several, in every script."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.capture.passages import find_passage
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
