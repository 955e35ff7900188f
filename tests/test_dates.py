"""Partial dates and periods."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.dates import parse_date, parse_period


@pytest.mark.parametrize("value, iso, shown", [
    ("2024", "2024", "2024"),
    (2024, "2024", "2024"),
    ("2024-06", "2024-06", "June 2024"),
    ("2024-06-14", "2024-06-14", "14 June 2024"),
    ({"date-parts": [[2023, 3]], "circa": True}, "2023-03", "c. March 2023"),
])
def test_dates(value, iso: str, shown: str) -> None:
    date = parse_date(value)
    assert (date.iso(), date.display()) == (iso, shown)


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13", "June 2024", True, [2024]])
def test_bad_dates(value) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


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
