"""Warnings on estimative language."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.check.likelihood import warnings

from ..conftest import briefgen


@pytest.mark.parametrize(
    "text, confidence, expected",
    [
        ("Iran will very likely deliver more drones.", "moderate", []),
        (
            "There is a realistic possibility of delay, and a roughly even chance of a deal.",
            "moderate",
            [
                "mixes likelihood scales: 'roughly even chance' (ICD 203) with 'realistic "
                "possibility' (PHIA yardstick); keep to one"
            ],
        ),
        (
            "Moscow will almost certainly deliver the jets.",
            "low",
            [
                "states a high likelihood ('almost certain') but its confidence is low; lower the "
                "likelihood or raise the confidence"
            ],
        ),
        ("Moscow will almost certainly deliver the jets.", "high", []),
        ("It is likely, though improbable in the short term.", None, []),
    ],
)
def test_estimative_language(text: str, confidence: str | None, expected: list[str]) -> None:
    assert warnings(text, confidence) == expected


def test_check_prints_the_warning_at_the_claim(good: Path) -> None:
    path = good / "store" / "claims" / "grain.yaml"
    path.write_text(
        path.read_text().replace(
            "text: The ministry says it remains committed to a deal but has set no date.",
            "text: A deal is highly likely within weeks.",
        )
    )
    run = briefgen("check", cwd=good)
    assert run.code == 0
    assert (
        "store/claims/grain.yaml:18: text: warning: claim 'ministry-committed' states a "
        "high likelihood ('highly likely') but its confidence is low"
    ) in run.err
