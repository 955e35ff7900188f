"""Estimative language: warn where a claim mixes likelihood scales or outruns its confidence.

Two yardsticks are in common use: the US ICD 203 terms and the UK PHIA probability
yardstick. Each has words the other lacks ("roughly even chance" against "realistic
possibility"); a claim using distinctive words from both reads as if two scales were
meant. A claim stating near-certainty ("almost certainly") while the desk's confidence
in it is low says two things at once.
"""

from __future__ import annotations

import re

ICD_203 = [
    "almost no chance",
    "very unlikely",
    "highly improbable",
    "improbable",
    "roughly even chance",
    "roughly even odds",
    "probable",
    "very likely",
    "highly probable",
    "nearly certain",
]
PHIA = ["remote chance", "highly unlikely", "realistic possibility", "highly likely"]
NEAR_CERTAIN = [
    "almost certain",
    "nearly certain",
    "very likely",
    "highly likely",
    "highly probable",
]


def _pattern(terms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms)
    return re.compile(rf"\b(?:{alternatives})(?:ly)?\b", re.IGNORECASE)


_PATTERNS: dict[int, re.Pattern[str]] = {}
# Each warning needs a PHIA or a near-certain term, and each of those holds one of these
# stems ("highly unlikely" holds "likel"): a text without any needs no closer look.
_STEMS = ("likel", "probab", "certain", "chance", "possib", "remote")
assert all(any(stem in term for stem in _STEMS) for term in PHIA + NEAR_CERTAIN)


def _found(terms: list[str], text: str) -> list[str]:
    """Return the terms of `terms` that occur in `text` (with -ly forms), in order."""
    pattern = _PATTERNS.get(id(terms))
    if pattern is None:
        pattern = _PATTERNS[id(terms)] = _pattern(terms)
    found = {
        " ".join(m.group(0).lower().split()).removesuffix("ly") for m in pattern.finditer(text)
    }
    return [t for t in terms if t in found or t.removesuffix("ly") in found]


def warnings(text: str, confidence: str | None) -> list[str]:
    """Return warnings about the estimative language of a claim's text."""
    out: list[str] = []
    lowered = text.lower()
    if not any(stem in lowered for stem in _STEMS):
        return out  # most claims use no estimative words: substring tests decide (a regex
        # search with IGNORECASE took a second per 100,000 claims)
    icd, phia = _found(ICD_203, text), _found(PHIA, text)
    if icd and phia:
        out.append(
            f"mixes likelihood scales: {icd[0]!r} (ICD 203) with {phia[0]!r} "
            "(PHIA yardstick); keep to one"
        )
    certain = _found(NEAR_CERTAIN, text)
    if certain and confidence == "low":
        out.append(
            f"states a high likelihood ({certain[0]!r}) but its confidence is low; "
            "lower the likelihood or raise the confidence"
        )
    return out
