"""Warnings on estimative language: per claim, and across the claims of one memo.

The property draws claim texts from the term lists of briefgen/check/likelihood.py (so
it follows the lists as they grow): terms of each scale, certainty terms, and hedges
stacked or apart, between neutral words; each workspace goes through `briefgen check`.

Run long with: BRIEFGEN_LIKELIHOOD_EXAMPLES=200 pytest tests/check/test_likelihood.py
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from briefgen.check import likelihood
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


@pytest.mark.parametrize(
    "text, confidence, expected",
    [
        (
            "Moscow will certainly deliver the jets, beyond doubt.",
            "low",
            [
                "states a high likelihood ('certainly') but its confidence is low; lower the "
                "likelihood or raise the confidence"
            ],
        ),
        (
            "Moscow may possibly perhaps deliver the jets.",
            "high",
            [
                "stacks hedges ('may possibly perhaps'); one word should state the likelihood "
                "meant: keep one"
            ],
        ),
        ("Moscow may deliver the jets; perhaps in May.", "high", []),
        ("In May possibly the jets arrive.", None, []),
    ],
)
def test_certainty_and_stacked_hedges(
    text: str, confidence: str | None, expected: list[str]
) -> None:
    assert warnings(text, confidence) == expected


# --- the rules through `briefgen check`, on texts made from the term lists

FILLER = ["the", "fleet", "sails", "north", "in", "winter", "ports", "stay", "open"]


@dataclass
class Drawn:
    """A claim's text as drawn: its pieces, which terms they hold, and its confidence."""

    text: str
    terms: list[str]  # the likelihood terms put in
    stacked: str | None  # the stacked hedge put in, as written
    confidence: str | None


def _holds(term: str, terms: list[str]) -> bool:
    """Return whether `term` holds one of `terms` as whole words."""
    return any(re.search(rf"\b{re.escape(t)}\b", term) for t in terms)


@st.composite
def drawn_claims(draw: st.DrawFn) -> Drawn:
    filler = st.lists(st.sampled_from(FILLER), min_size=3, max_size=4).map(" ".join)
    pieces: list[str] = []
    terms: list[str] = []
    for words in (likelihood.ICD_203, likelihood.PHIA, likelihood.NEAR_CERTAIN):
        if draw(st.booleans()):
            terms.append(draw(st.sampled_from(words)))
            pieces.append(terms[-1])
    hedging = draw(st.sampled_from(["none", "stacked", "apart"]))
    stacked = None
    if hedging != "none":
        hedges = [draw(st.sampled_from(likelihood.HEDGES)) for _ in range(draw(st.integers(1, 2)))]
        hedges.append(draw(st.sampled_from(likelihood.ADVERB_HEDGES)))
        hedges = draw(st.permutations(hedges))
        gap = (
            st.sampled_from(["", ",", " not"])
            if hedging == "stacked"
            else filler.map(" {} ".format)
        )
        text = hedges[0]
        for hedge in hedges[1:]:
            text += draw(gap).rstrip() + " " + hedge if hedging == "stacked" else draw(gap) + hedge
        pieces.append(" ".join(text.split()))
        stacked = pieces[-1] if hedging == "stacked" else None
    pieces = draw(st.permutations(pieces))
    text = "The fleet " + " ".join(f"{p} {draw(filler)}" for p in pieces) + "."
    return Drawn(text, terms, stacked, draw(st.sampled_from(["high", "moderate", "low", None])))


def _write(root: Path, claims: list[Drawn]) -> None:
    (root / "store" / "claims").mkdir(parents=True)
    (root / "briefgen.yaml").write_text("organisation: Test Desk\n")
    (root / "audiences.yaml").write_text("analyst:\n  label: Analysts\n")
    ids = [f"c{i}" for i in range(len(claims))]
    (root / "weekly.yaml").write_text(
        yaml.safe_dump(
            {
                "title": "Weekly",
                "date": "2024-06-14",
                "audiences": ["analyst"],
                "formats": ["docx"],
                "sections": [{"title": "Claims", "claims": ids}],
            },
            sort_keys=False,
        )
    )
    (root / "store" / "sources.yaml").write_text(
        "- id: src\n  type: report\n  title: Shipping\n  issued: 2024-06\n"
    )
    records = [
        {"id": i, "text": c.text, "sources": ["src"]}
        | ({"confidence": c.confidence} if c.confidence else {})
        for i, c in zip(ids, claims, strict=True)
    ]
    (root / "store" / "claims" / "c.yaml").write_text(yaml.safe_dump(records, sort_keys=False))


def _lines(path: Path, key: str) -> dict[str, int]:
    """Return, per record id, the line of `key`, as YAML's parser gives it."""
    out = {}
    for item in yaml.compose(path.read_text()).value:
        keys = {k.value: v for k, v in item.value}
        out[keys["id"].value] = keys[key].start_mark.line + 1
    return out


@settings(
    max_examples=int(os.environ.get("BRIEFGEN_LIKELIHOOD_EXAMPLES", "8")),
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # each example is a real `check`: not shrunk
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(drawn_claims(), min_size=2, max_size=6))
def test_check_warns_on_estimative_language_as_the_rules_say(claims: list[Drawn]) -> None:
    """Per claim: two scales in it, certainty with low confidence, a stacked hedge; per
    memo: one claim on each scale. Each warning stands exactly where the rule says, at the
    claim's `text` line or the brief's `audiences` line, and nowhere else."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        _write(root, claims)
        run = briefgen("check", cwd=root)
        assert run.code == 0, run.err
        lines = _lines(root / "store" / "claims" / "c.yaml", "text")
        icd, phia = set(), set()
        for i, claim in enumerate(claims):
            at = f"store/claims/c.yaml:{lines[f'c{i}']}: text: warning: claim 'c{i}' "
            uses_icd = any(_holds(t, likelihood.ICD_203) for t in claim.terms)
            uses_phia = any(_holds(t, likelihood.PHIA) for t in claim.terms)
            certain = any(_holds(t, likelihood.NEAR_CERTAIN) for t in claim.terms)
            icd |= {f"c{i}"} if uses_icd else set()
            phia |= {f"c{i}"} if uses_phia else set()
            assert (f"{at}mixes likelihood scales" in run.err) == (uses_icd and uses_phia)
            low = claim.confidence == "low"
            assert (f"{at}states a high likelihood" in run.err) == (certain and low), run.err
            if claim.stacked:
                assert f"{at}stacks hedges ({claim.stacked!r})" in run.err, run.err
            else:
                assert f"{at}stacks hedges" not in run.err, run.err
        brief = yaml.compose((root / "weekly.yaml").read_text())
        line = dict((k.value, v) for k, v in brief.value)["audiences"].value[0].start_mark.line
        memo = f"weekly.yaml:{line + 1}: audiences[0]: warning: the analyst memo mixes likelihood "
        found = [row for row in run.err.splitlines() if row.startswith(memo)]
        if icd and phia and not (len(icd) == 1 and icd == phia):
            assert len(found) == 1, run.err
            icd_part, _, phia_part = found[0].partition("; PHIA yardstick in ")
            assert set(re.findall(r"'(c\d+)'", icd_part)) == icd
            assert set(re.findall(r"'(c\d+)'", phia_part)) == phia
        else:
            assert not found, run.err
