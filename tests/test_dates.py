"""Partial dates and periods; dates of any precision together in every rule that
compares them.

Run long with: BRIEFGEN_EXAMPLES=2000 pytest tests/test_dates.py -p no:cacheprovider
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date, format_interval, format_skeleton
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build.memos import build, check_workspace
from briefgen.dates import (
    PartialDate,
    earliest_and_latest,
    format_partial,
    parse_date,
    parse_period,
    sort_key,
)

from .conftest import make_variant


@pytest.mark.parametrize(
    "value, iso, shown",
    [
        ("2024", "2024", "2024"),
        (2024, "2024", "2024"),
        ("2024-06", "2024-06", "June 2024"),
        ("2024-06-14", "2024-06-14", "14 June 2024"),
        ({"date-parts": [[2023, 3]], "circa": True}, "2023-03", "c. March 2023"),
    ],
)
def test_dates(value, iso: str, shown: str) -> None:
    date = parse_date(value)
    assert (date.iso(), date.display()) == (iso, shown)


@pytest.mark.parametrize(
    "value, message",
    [
        ("2024-02-30", "2024-02-30 is not a real date"),
        ("2024-13", "month 13 does not exist"),
        ("June 2024", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got 'June 2024'"),
        (True, "expected a date: YYYY, YYYY-MM or YYYY-MM-DD"),
        ([2024], "expected a date: YYYY, YYYY-MM, YYYY-MM-DD or {date-parts: [[Y, M, D]]}"),
        (
            {"date-parts": [[2024, 6], [2024, 5, 31]]},
            "the date range ends (2024-05-31) before it starts (2024-06)",
        ),
        (
            {"date-parts": [[2023], [2024], [2025]]},
            "date-parts must look like [[2023, 3]], "
            "[[2023, 3, 8]] or, for a range, [[2023, 3], [2023, 5]]",
        ),
        ({"date-parts": [[2024], [2024, 2, 30]]}, "2024-02-30 is not a real date"),
    ],
)
def test_bad_dates(value, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "value, iso, shown",
    [
        ({"date-parts": [[2023, 3], [2023, 5]]}, "2023-03/2023-05", "March–May 2023"),
        (
            {"date-parts": [[2024, 6, 10], [2024, 6, 16]]},
            "2024-06-10/2024-06-16",
            "10–16 June 2024",
        ),
        (
            {"date-parts": [[2024, 6, 28], [2024, 7, 3]], "circa": True},
            "2024-06-28/2024-07-03",
            "c. 28 June – 3 July 2024",
        ),
        ({"date-parts": [[2023], [2024]]}, "2023/2024", "2023–2024"),
        ({"date-parts": [[2023, 6], [2024]]}, "2023-06/2024", "June 2023 – 2024"),
        ({"date-parts": [[2023, 6], [2023, 6]]}, "2023-06", "June 2023"),  # not a range
    ],
)
def test_date_ranges(value, iso: str, shown: str) -> None:
    date = parse_date(value)
    assert (date.iso(), date.display(), date.csl()["date-parts"]) == (
        iso,
        shown,
        value["date-parts"][: 1 if date.until is None else 2],
    )


def test_iso_week_and_relative_weeks() -> None:
    week = parse_period("2024-W24")
    assert (week.start, week.end) == (dt.date(2024, 6, 10), dt.date(2024, 6, 16))
    today = dt.date(2026, 11, 24)
    assert parse_period("this-week", today).label == "2026-W48"
    assert parse_period("last-week", today).label == "2026-W47"
    span = parse_period({"from": "2024-06-01", "to": "2024-06-14"})
    assert span.display() == "1–14 June 2024"


def test_month_precision_claims_overlap_a_week_within_the_month() -> None:
    week = parse_period("2024-W24")
    assert week.overlaps(parse_date("2024-06"))
    assert not week.overlaps(parse_date("2024-04"))


# --- dates of any precision together -------------------------------------------------
#
# Every rule that compares dates (a select's sort, the period test, NEW, the source
# summary's date range) must take dates of any precision and form side by side. The
# strategies draw the YAML values a user may write, with the days each one means worked
# out here, independently of briefgen.dates.

EXAMPLES = int(os.environ.get("BRIEFGEN_EXAMPLES", "60"))
# a window of some fifteen months: years, months, days and ranges tie and overlap often
DAYS = st.dates(dt.date(2023, 11, 1), dt.date(2025, 2, 28))


def _parts(day: dt.date, precision: int) -> list[int]:
    return [day.year, day.month, day.day][:precision]


def _first_day(parts: list[int]) -> dt.date:
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _last_day(parts: list[int]) -> dt.date:
    if len(parts) == 3:
        return dt.date(*parts)
    month = parts[1] if len(parts) == 2 else 12
    return dt.date(parts[0], month, calendar.monthrange(parts[0], month)[1])


@st.composite
def written_dates(draw: st.DrawFn) -> tuple[Any, dt.date, dt.date]:
    """Return a date as a user writes it in YAML, with its first and last day."""
    day = draw(DAYS)
    parts = _parts(day, draw(st.integers(1, 3)))
    form = draw(
        st.sampled_from(
            ["text", "unpadded", "number", "csl", "circa", "raw", "range", "circa range"]
        )
    )
    first, last = _first_day(parts), _last_day(parts)
    if form == "text":
        value: Any = "-".join(f"{p:02d}" for p in parts)
    elif form == "unpadded":
        value = "-".join(str(p) for p in parts)
    elif form == "number":
        value = parts[0]
        first, last = _first_day(parts[:1]), _last_day(parts[:1])
    elif form in ("csl", "circa"):
        value = {"date-parts": [parts], **({"circa": True} if form == "circa" else {})}
    elif form == "raw":
        value = {"raw": "-".join(f"{p:02d}" for p in parts)}
    else:
        other = _parts(draw(DAYS.filter(lambda d: d >= day)), draw(st.integers(1, 3)))
        value = {"date-parts": [parts, other], **({"circa": True} if form == "circa range" else {})}
        last = _last_day(other)  # from the first day of its start to the last of its end
    return value, first, last


PERIODS = st.one_of(
    DAYS.map(lambda d: "{}-W{:02d}".format(*d.isocalendar()[:2])),
    DAYS.map(lambda d: f"{d.year}-{d.month:02d}"),
    st.lists(DAYS, min_size=2, max_size=2)
    .map(sorted)
    .map(lambda ds: {"from": ds[0].isoformat(), "to": ds[1].isoformat()}),
)


def _days(first: dt.date, last: dt.date) -> set[int]:
    return set(range(first.toordinal(), last.toordinal() + 1))


@settings(max_examples=EXAMPLES * 5, deadline=None, derandomize=EXAMPLES <= 100)
@given(written=st.lists(written_dates(), min_size=1, max_size=8), period_value=PERIODS)
def test_dates_of_any_precision_compare_in_calendar_order(written, period_value) -> None:
    """Dates of every precision and form read as the days they mean; their one order is
    total and puts a date that ends before another starts first; undated ones sort last,
    either way; the period test is overlap of days; the summary's bounds are the earliest
    start and the latest end."""
    dates = [parse_date(value) for value, _, _ in written]
    for date, (value, first, last) in zip(dates, written, strict=True):
        assert (date.start, date.end) == (first, last), value
        assert parse_date(date.csl()) == date  # as the citation processor gets it
    ordered = sorted(dates)
    assert (min(dates), max(dates)) == (ordered[0], ordered[-1])
    for a in dates:
        assert sort_key(a) < sort_key(None) and sort_key(a, True) < sort_key(None, True)
        for b in dates:
            assert [a < b, a == b, b < a].count(True) == 1, (a, b)
            assert (a == b) == (a.key == b.key)
            if a.end < b.start:
                assert a < b and sort_key(a) < sort_key(b)
                assert sort_key(b, newest_first=True) < sort_key(a, newest_first=True)
    period = parse_period(period_value)
    for date in dates:
        assert period.overlaps(date) == bool(
            _days(date.start, date.end) & _days(period.start, period.end)
        )
    bounds = earliest_and_latest(dates)
    assert bounds is not None and bounds[0] in dates and bounds[1] in dates
    assert bounds[0].start == min(d.start for d in dates)
    assert bounds[1].end == max(d.end for d in dates)
    assert earliest_and_latest([]) is None


def _yaml(value: Any) -> str:
    """Return a value as a user writes it: 2024-06-12 unquoted, CSL dates in flow style."""
    return json.dumps(value) if isinstance(value, dict) else str(value)


def _dated_workspace(
    root: Path,
    sources: list[Any],
    claims: list[tuple[Any, list[int], bool]],
    sort: str,
    period: Any,
) -> Path:
    """Return the good workspace with the analyst's summary and NEW marks on (the variant
    new-and-summary), its source doe-2024 and new sources s1… dated `sources` (None:
    undated), and claims g0… (date, indexes of their sources, listed): a listed claim is
    placed by its section's `claims`, the others by a select sorted by `sort`."""
    ws = make_variant(root, "new-and-summary", name="ws")
    store = ws / "store" / "sources.yaml"
    text = store.read_text(encoding="utf-8").replace(
        "  issued: 2024-06-12\n", f"  issued: {_yaml(sources[0])}\n" if sources[0] else ""
    )
    store.write_text(
        text
        + "".join(
            f"- id: s{n}\n  type: report\n  title: Report {n}\n"
            + (f"  issued: {_yaml(issued)}\n" if issued is not None else "")
            for n, issued in enumerate(sources)
            if n
        ),
        encoding="utf-8",
    )
    (ws / "store" / "claims" / "gen.yaml").write_text(
        "".join(
            f"- id: g{n}\n  text: Claim {n} on the grain corridor.\n  sources: "
            f"[{', '.join(_source_id(i) for i in cited)}]\n  topics: [gen]\n"
            + (f"  date: {_yaml(date)}\n" if date is not None else "")
            for n, (date, cited, _) in enumerate(claims)
        ),
        encoding="utf-8",
    )
    listed = ", ".join(f"g{n}" for n, (_, _, shown) in enumerate(claims) if shown)
    brief = ws / "weekly.yaml"
    text = brief.read_text(encoding="utf-8").replace(
        "period: 2024-W24\n", f"period: {_yaml(period)}\n" if period else ""
    )
    brief.write_text(
        text + f"  - title: Listed\n    claims: [{listed}]\n"
        f"  - title: Selected\n    select: {{topics: [gen], sort: {sort}}}\n",
        encoding="utf-8",
    )
    return ws


def _source_id(index: int) -> str:
    return f"s{index}" if index else "doe-2024"


def _yaml(value: Any) -> str:
    """Return a value as a user writes it: 2024-06-12 unquoted, CSL dates in flow style."""
    return json.dumps(value) if isinstance(value, dict) else str(value)


MAYBE_DATES = st.one_of(st.none(), written_dates())


@settings(
    max_examples=max(8, EXAMPLES // 3),
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=st.data(),
    sources=st.lists(MAYBE_DATES, min_size=1, max_size=5),
    sort=st.sampled_from(["date", "-date"]),
    period=st.one_of(st.none(), st.none(), PERIODS, st.just("2024-W24")),
)
def test_a_memo_of_dates_of_any_precision_builds_and_states_its_date_range(
    data, sources, sort, period
) -> None:
    """A whole build over sources and claims dated in every form never fails; a select's
    claims come in calendar order, undated ones last; NEW marks exactly the claims whose
    days lie wholly within the period (it is a first memo); the source summary names the
    earliest and latest dates."""
    claims = data.draw(
        st.lists(
            st.tuples(
                MAYBE_DATES,
                st.lists(st.integers(0, len(sources) - 1), min_size=1, max_size=2, unique=True),
                st.booleans(),
            ),
            min_size=1,
            max_size=8,
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        ws = _dated_workspace(
            Path(tmp),
            [v and v[0] for v in sources],
            [(d and d[0], c, s) for d, c, s in claims],
            sort,
            period,
        )
        build(check_workspace(ws), audience="analyst", fmt="json", jobs=1)
        memo = json.loads((ws / "out" / "weekly.analyst.json").read_text(encoding="utf-8"))
    issued = [parse_date(v[0]) if v else None for v in sources]
    good = ["talks-stalled", "wheat-prices", "ministry-committed"]  # they cite doe-2024
    cites = {f"g{n}": c for n, (_, c, _) in enumerate(claims)} | dict.fromkeys(good, [0])

    def claim_days(date: Any, cited: list[int]) -> set[int]:
        if date:
            return _days(date[1], date[2])
        first = issued[cited[0]]  # an undated claim has its first source's date
        return _days(first.start, first.end) if first else set()

    days = {f"g{n}": claim_days(d, c) for n, (d, c, _) in enumerate(claims)}
    days |= dict.fromkeys(good, claim_days(None, [0]))
    period_days = _days(*_period_days(period)) if period else set()
    blocks = {
        s["title"]: [b for b in s["blocks"] if b["kind"] == "claim"] for s in memo["sections"]
    }
    for block in (b for section in blocks.values() for b in section):
        dated = days[block["claim_id"]]
        assert block["new"] == bool(dated and dated <= period_days), block["claim_id"]
    for title, order in (("Trade", "date"), ("Selected", sort)):
        chosen = [days[b["claim_id"]] for b in blocks[title]]
        for a, b in itertools.combinations(chosen, 2):  # a comes before b
            assert a or not b, "undated claims come last"
            if a and b:
                earlier, later = (a, b) if order == "date" else (b, a)
                assert not max(later) < min(earlier), f"sort: {order} put {b} after {a}"
    placed = {i for note in memo["notes"] for i in note["claim_ids"]}
    cited = {i for claim in placed for i in cites[claim]}
    _assert_date_range(memo["summary"], [d for i, d in enumerate(issued) if i in cited and d])


def _period_days(period: Any) -> tuple[dt.date, dt.date]:
    parsed = parse_period(period)
    return parsed.start, parsed.end


def _assert_date_range(summary: list[str], dates: list[PartialDate]) -> None:
    """The summary says `published X` or `published X to Y`: X a date of a cited source
    that starts first, Y one that ends last (X alone when one date spans them all)."""
    assert summary, "the analyst's summary is on"
    said = re.search(r", published (.+?)(?: to (.+?))?\. Reliability", summary[0])
    if not dates:
        assert said is None, summary[0]
        return
    assert said is not None, summary[0]
    first, last = said.group(1), said.group(2) or said.group(1)
    shown = {d: format_partial(d, "en-US") for d in dates}  # the workspace's locale
    assert first in {shown[d] for d in dates if d.start == min(x.start for x in dates)}
    assert last in {shown[d] for d in dates if d.end == max(x.end for x in dates)}


def _us(form: str, year: int, month: int = 1, day: int = 1, until: Any = None) -> str:
    """Return a date as Babel writes it in en-US: a long date, a skeleton, an interval."""
    day_ = dt.date(year, month, day)
    if until:
        return format_interval(day_, dt.date(*until, 1), form, locale="en_US")
    if form == "long":
        return format_date(day_, "long", locale="en_US")
    return format_skeleton(form, day_, locale="en_US")


@pytest.mark.parametrize(
    "issued, said",
    [
        (["2024-06", "2024-06-12"], f"published {_us('yMMMM', 2024, 6)}."),
        (["2024-06-12", "2024-06"], f"published {_us('yMMMM', 2024, 6)}."),
        (
            ["2024-05", "2024-06-12"],
            f"published {_us('yMMMM', 2024, 5)} to {_us('long', 2024, 6, 12)}.",
        ),
        (
            ["2024-06-12", 2023, {"date-parts": [[2024, 7], [2024, 8]], "circa": True}],
            f"published {_us('y', 2023)} to c. {_us('yMMMM', 2024, 7, until=(2024, 8))}.",
        ),
    ],
)
def test_the_source_summary_takes_dates_of_any_precision(tmp_path: Path, issued, said) -> None:
    """Sources dated 2024-06 and 2024-06-12 once made the summary fail with a traceback
    (a month and a day could not be compared)."""
    ws = _dated_workspace(
        tmp_path, issued, [(None, [i], True) for i in range(len(issued))], "date", None
    )
    build(check_workspace(ws), audience="analyst", fmt="json", jobs=1)
    memo = json.loads((ws / "out" / "weekly.analyst.json").read_text(encoding="utf-8"))
    assert said in memo["summary"][0]


@given(
    parts=st.lists(
        st.lists(st.integers(1, 28), min_size=1, max_size=3).map(lambda p: [2000 + p[0], *p[1:]]),
        min_size=1,
        max_size=2,
    ),
    as_text=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_date_parts_written_as_text_read_as_the_numbers(
    parts: list[list[int]], as_text: list[bool]
) -> None:
    """Zotero and Better CSL JSON write date parts as text ("2024", "06"): each reads as
    the number it is, a range included."""
    flags = iter(as_text)
    texts = [[f"{n:02d}" if next(flags) else n for n in p] for p in parts]
    try:
        expected = parse_date({"date-parts": parts})
    except ValueError:
        with pytest.raises(ValueError):
            parse_date({"date-parts": texts})
        return
    assert parse_date({"date-parts": texts}) == expected
