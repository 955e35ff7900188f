"""Resolution rules, read back from the JSON dump of the memo model."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.build.memos import check_workspace
from briefgen.model import NoteRef, plain_text
from briefgen.resolve.memo import build_memo
from briefgen.resolve.paragraphs import nested_quotes

from ..conftest import babel_days, briefgen, make_variant, make_workspace


def _memo(ws: Path, audience: str, period: str | None = None):
    checked = check_workspace(ws)
    assert not checked.ws.problems.errors, checked.ws.problems.errors
    brief = checked.briefs[ws / "weekly.yaml"]
    return build_memo(checked.ws, "weekly", brief, audience, period)


def _texts(memo) -> list[str]:
    return [plain_text(b.content) for s in memo.sections for b in s.blocks]


def test_analyst_memo_places_claims_in_order_with_sequential_notes(good: Path) -> None:
    memo = _memo(good, "analyst")
    assert [s.title for s in memo.sections] == ["Bottom line", "Trade", "Context"]
    assert _texts(memo) == [
        "Talks are stuck.",
        "Talks on the grain corridor stalled on 11 June 2024.[1]",
        # wheat-prices matches the select too, but the Context section places it by claim()
        "The ministry says it remains committed to a deal but has set no date.[2]",
        "The corridor matters for prices. According to exchange data, wheat prices rose 4% "
        "in the week to 12 June.[3]",
    ]
    refs = [
        i.number
        for s in memo.sections
        for b in s.blocks
        for i in b.content
        if isinstance(i, NoteRef)
    ]
    assert refs == [n.number for n in memo.notes] == [1, 2, 3]


def test_first_note_is_full_and_later_ones_short(good: Path) -> None:
    memo = _memo(good, "analyst")
    notes = [plain_text(n.content) for n in memo.notes]
    assert notes[0] == (
        "Jane Doe, “Grain Talks Stall Again,” Daily Example, June 12, 2024, para. 1."
    )
    assert notes[1] == "Doe, “Grain Talks Stall Again,” para. 3."
    assert [plain_text(b.content) for b in memo.bibliography] == [
        "Doe, Jane. “Grain Talks Stall Again.” Daily Example, June 12, 2024."
    ]


def test_select_skips_claims_already_placed(good: Path) -> None:
    memo = _memo(good, "analyst")
    trade = [b.claim_id for b in memo.sections[1].blocks]
    assert "talks-stalled" not in trade
    # wheat-prices matches too, but the Context section places it by claim(), later on
    assert trade == ["ministry-committed"]


def test_select_keeps_only_claims_within_the_period(good: Path) -> None:
    memo = _memo(good, "analyst", period="2024-W30")
    assert [b.claim_id for b in memo.sections[1].blocks] == [None]  # nothing to report
    assert _texts(memo)[2] == "Nothing to report for this period."
    week = babel_days(dt.date(2024, 7, 22), dt.date(2024, 7, 28), "en-US")
    assert memo.header.period == f"{week} (2024-W30)"


def test_principal_filters_marking_and_caps_claims(good: Path) -> None:
    memo = _memo(good, "principal")
    ids = [b.claim_id for s in memo.sections for b in s.blocks if b.claim_id]
    assert ids == ["talks-stalled", "ministry-committed"]
    assert memo.omitted == {"above max-marking": 1}
    assert memo.banner == "PUBLIC"
    dump = json.dumps(memo.to_dict())
    assert "wheat" not in dump.lower()  # nowhere: text, notes, bibliography, keywords


def test_analyst_sees_quotes_confidence_and_portion_marks(good: Path) -> None:
    memo = _memo(good, "analyst")
    claim = memo.sections[1].blocks[0]
    assert claim.portion == "P" and claim.confidence == "low confidence"
    assert [(q.text, q.attribution) for q in claim.quotes] == [
        ("it ‘remains committed’ to a deal - but gave no date", "Doe, para. 3")
    ]
    assert memo.sections[2].blocks[0].portion == "I"  # the prose placing wheat-prices
    assert memo.banner == "INTERNAL"
    assert memo.note_placement == "footnotes"


def test_explicit_locator_wins_over_the_derived_one(tmp_path: Path) -> None:
    memo = _memo(make_variant(tmp_path, "explicit-locator"), "analyst")
    assert plain_text(memo.notes[0].content).endswith("June 12, 2024, 4.")


@pytest.mark.parametrize(
    "case, first",
    [
        (
            "author-date-style",  # apa
            "Talks on the grain corridor stalled on 11 June 2024 (Doe, 2024, para. 1).",
        ),
    ],
)
def test_author_date_styles_cite_in_the_text(tmp_path: Path, case: str, first: str) -> None:
    memo = _memo(make_variant(tmp_path, case), "analyst")
    assert memo.notes == []
    assert _texts(memo)[1] == first


def test_lone_values_stand_for_lists_and_sources_for_their_ids(tmp_path: Path) -> None:
    memo = _memo(make_variant(tmp_path, "lone-values"), "analyst")
    ids = [b.claim_id for b in memo.sections[1].blocks]
    assert "ministry-committed" in ids and "bare" in ids


def test_a_text_path_may_also_be_given_from_the_workspace_root(tmp_path: Path) -> None:
    memo = _memo(make_variant(tmp_path, "text-path-from-root"), "analyst")
    assert plain_text(memo.notes[0].content).endswith("para. 1.")


def test_author_date_styles_title_the_list_references(good: Path, tmp_path: Path) -> None:
    apa = make_variant(tmp_path, "author-date-style", name="apa")
    assert _memo(apa, "analyst").words.bibliography == "References"
    assert _memo(good, "analyst").words.bibliography == "Bibliography"


def test_an_audience_words_second_hand_claims_its_own_way(tmp_path: Path) -> None:
    memo = _memo(make_variant(tmp_path, "own-attribution"), "analyst")
    assert (
        _texts(memo)[3] == "The corridor matters for prices. Wheat prices rose 4% in the week "
        "to 12 June (as reported by exchange data).[3]"
    )


@pytest.mark.parametrize(
    "template, message",
    [
        ("{who} said {text}", "unknown placeholder {who}; use {origin} and {text}"),
        ("According to {origin}", "the template must hold {text}, the claim itself"),
    ],
)
def test_a_broken_attribution_template_is_a_clear_error(
    good: Path, template: str, message: str
) -> None:
    from ..conftest import briefgen

    path = good / "audiences.yaml"
    path.write_text(path.read_text() + f'  attribution: "{template}"\n')
    run = briefgen("check", cwd=good)
    assert run.code == 1
    assert f"audiences.yaml:15: analyst.attribution: {message}" in run.err


def test_a_select_with_a_limit_orders_as_a_full_sort_would(good: Path) -> None:
    """A limited select sorts only the head of a large candidate list; ties (same date,
    same confidence) must still come in store order, newest first for -date."""
    import datetime as dt

    from briefgen.resolve.finish import Resolver
    from briefgen.resolve.paragraphs import claim_date

    extra = "".join(
        f"- id: extra-{n:03d}\n  text: Claim {n} on the grain corridor.\n"
        f"  sources:\n    - source: doe-2024\n"
        + (f"  date: 2024-06-{1 + n % 7:02d}\n" if n % 5 else "")
        + f"  topics: [trade]\n  confidence: {('high', 'moderate', 'low')[n % 3]}\n"
        for n in range(120)
    )
    path = good / "store" / "claims" / "extra.yaml"
    path.write_text(extra, encoding="utf-8")
    checked = check_workspace(good)
    ws = checked.ws
    brief = checked.briefs[good / "weekly.yaml"]
    resolver = Resolver(ws, brief, ws.audiences["analyst"], None)
    ids = list(ws.claims)

    def when(i: str) -> tuple:
        date = claim_date(ws, ws.claims[i])
        return (date.start, date.end) if date else (dt.date.max, dt.date.max)

    rank = {"high": 2, "moderate": 1, "low": 0}
    reference = {
        "date": sorted(ids, key=when),
        "-date": sorted(ids, key=when, reverse=True),
        "id": sorted(ids),
        "confidence": sorted(ids, key=lambda i: -rank.get(ws.claims[i].confidence or "", -1)),
    }
    for order, expected in reference.items():
        assert list(resolver._sorted(ids, order)) == expected, order
        for limit in (1, 3, 7):
            assert list(resolver._sorted(ids, order, limit)) == expected, (order, limit)


def test_a_claim_that_lists_a_topic_twice_is_selected_once(tmp_path: Path) -> None:
    trade = [
        b.claim_id
        for b in _memo(make_variant(tmp_path, "topic-twice"), "analyst").sections[1].blocks
    ]
    assert trade.count("twice") == 1


def test_the_model_decides_the_contents_the_columns_and_the_language(tmp_path: Path) -> None:
    memo = _memo(make_variant(tmp_path, "british-english"), "analyst")
    assert memo.language == "en-GB"
    headings = (
        [s.title for s in memo.sections if s.title]
        + ["Bibliography"] * bool(memo.bibliography)
        + ["Source summary"] * bool(memo.summary)
    )
    assert memo.contents == (memo.layout == "policy-memo" and len(headings) >= 6)
    many = make_variant(tmp_path, "many-headings", name="many")  # six parts more, in en-GB
    assert _memo(many, "analyst").contents is True  # a policy memo of many headings
    assert _memo(many, "principal").contents is False  # a one-page memo never
    principal = _memo(many, "principal")
    assert principal.note_columns == (2 if len(principal.notes) > 4 else 1)


def test_a_source_quoted_twice_is_cited_once_in_the_note(tmp_path: Path) -> None:
    """Two quotes of one source give one citation with both places, in order, not the
    source twice in one note."""
    ws = make_variant(tmp_path, "quoted-twice")
    run = briefgen("build", "--all", "case", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.err
    memo = json.loads((ws / "out" / "weekly.analyst.json").read_text(encoding="utf-8"))
    for claim, shown in (("twice-apart", "paras. 1, 2"), ("twice-same", "para. 2")):
        note = next(n for n in memo["notes"] if n["claim_ids"] == [claim])
        text = "".join(span["text"] for span in note["content"])
        assert text.count("Grain Talks Stall Again") == 1, text
        assert text.endswith(f"{shown}."), text


@pytest.mark.parametrize(
    "variant, heading",
    [(None, "Bibliography"), ("author-date-style", "References"), ("mla-style", "Works Cited")],
)
def test_the_list_of_sources_is_headed_as_its_style_guide_says(
    tmp_path: Path, variant: str | None, heading: str
) -> None:
    """Chicago's notes end in a Bibliography, APA's in References, MLA's in Works Cited:
    in the model and in the HTML the reader sees."""
    ws = make_variant(tmp_path, variant) if variant else make_workspace(tmp_path)
    run = briefgen("build", "--all", "case", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.err
    memo = json.loads((ws / "out" / "weekly.analyst.json").read_text(encoding="utf-8"))
    assert memo["words"]["bibliography"] == heading
    run = briefgen("build", "--all", "case", "--format", "html", cwd=tmp_path)
    assert run.code == 0, run.err
    assert f">{heading}</h2>" in (ws / "out" / "weekly.analyst.html").read_text(encoding="utf-8")


@given(
    inner=st.text("abc ,.", min_size=1, max_size=12).filter(lambda t: t and t == t.strip()),
    marks=st.sampled_from(['""', "“”"]),
    before=st.sampled_from(["", "it ", "(", "the word "]),
)
def test_quotation_marks_inside_a_printed_quote_are_single(
    inner: str, marks: str, before: str
) -> None:
    """A quote prints in double marks, so its own marks, straight or curly, turn single,
    opening and closing in their places, and its words stay as they are."""
    quote = f"{before}{marks[0]}{inner}{marks[1]} to a deal"
    shown = nested_quotes(quote)
    assert shown == f"{before}\u2018{inner}\u2019 to a deal"


def test_the_example_memo_prints_a_quote_inside_a_quote_in_single_marks(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    run = briefgen("build", "--all", "case", "--format", "html", cwd=tmp_path)
    assert run.code == 0, run.err
    page = (ws / "out" / "weekly.analyst.html").read_text(encoding="utf-8")
    assert "it ‘remains committed’ to a deal" in page
    assert "“remains committed”" not in page and "&quot;remains" not in page


@pytest.mark.parametrize("typed", ['<span class="nocase">of</span>', '" & "x', '5" screen', '"'])
def test_straight_marks_that_are_no_quotation_stay_as_typed(typed: str) -> None:
    """Only a quotation's marks turn single: a markup attribute, a lone mark or inches
    stay as the user typed them (found by the entities property in CI)."""
    assert nested_quotes(typed) == typed
