"""Estimative language: warn where a claim mixes likelihood scales, outruns its
confidence or stacks hedges, and where a memo's claims mix scales between them.

Two yardsticks are in common use: the US ICD 203 terms and the UK PHIA probability
yardstick. Each has words the other lacks ("roughly even chance" against "realistic
possibility"); a claim, or a memo, using distinctive words from both reads as if two
scales were meant. A claim stating certainty or near-certainty ("almost certainly",
"beyond doubt") while the desk's confidence in it is low says two things at once, and
so does one stacking hedges ("may possibly", "could perhaps"): one word should state the
likelihood meant.
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
    "certainly",
    "certain to",
    "beyond doubt",
    "beyond any doubt",
    "without doubt",
    "without a doubt",
    "no doubt",
    "undoubtedly",
    "definitely",
    "unquestionably",
    "inevitably",
]
# Words that each hedge a statement: two of them side by side (or one word apart, in one
# sentence), one an adverb, are a stacked hedge ("may possibly", "could, perhaps,").
# "May" with its capital is the month, not a hedge.
MODAL_HEDGES = ["may", "might", "could"]
ADVERB_HEDGES = [
    "perhaps",
    "possibly",
    "maybe",
    "conceivably",
    "potentially",
    "presumably",
    "probably",
    "seemingly",
]
HEDGES = MODAL_HEDGES + ADVERB_HEDGES


def _pattern(terms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms)
    return re.compile(rf"\b(?:{alternatives})(?:ly)?\b", re.IGNORECASE)


_PATTERNS: dict[int, re.Pattern[str]] = {}
# Each warning needs a PHIA or a near-certain term, and each of those holds one of these
# stems ("highly unlikely" holds "likel"): a text without any needs no closer look.
_STEMS = (
    "likel",
    "probab",
    "certain",
    "chance",
    "possib",
    "remote",
    "doubt",
    "definite",
    "unquestionab",
    "inevitab",
)
# and each stacked hedge holds an adverb, which holds one of these, or "possib" or "probab"
_HEDGE_STEMS = ("perhaps", "maybe", "conceiv", "potential", "presum", "seeming")
_ANY_STEM = _STEMS + _HEDGE_STEMS
assert all(any(stem in term for stem in _STEMS) for term in PHIA + NEAR_CERTAIN)
assert all(any(stem in term for stem in _ANY_STEM) for term in ADVERB_HEDGES)


def _found(terms: list[str], text: str) -> list[str]:
    """Return the terms of `terms` that occur in `text` (with -ly forms), in order."""
    pattern = _PATTERNS.get(id(terms))
    if pattern is None:
        pattern = _PATTERNS[id(terms)] = _pattern(terms)
    found = {
        " ".join(m.group(0).lower().split()).removesuffix("ly") for m in pattern.finditer(text)
    }
    return [t for t in terms if t in found or t.removesuffix("ly") in found]


_HEDGE = re.compile(rf"\b(?!May\b)(?i:{'|'.join(HEDGES)})\b")
_BETWEEN_HEDGES = re.compile(r"^[^\w.;:!?]*(?:\w+[^\w.;:!?]*)?$")  # at most a word, no stop


def warnings(text: str, confidence: str | None) -> list[str]:
    """Return warnings about the estimative language of a claim's text."""
    out: list[str] = []
    lowered = text.lower()
    if not any(stem in lowered for stem in _ANY_STEM):
        return out  # most claims use no estimative words: substring tests decide (a regex
        # search with IGNORECASE took a second per 100,000 claims)
    stacked = _stacked_hedge(text)
    if stacked:
        out.append(
            f"stacks hedges ({stacked!r}); one word should state the likelihood meant: keep one"
        )
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


def _stacked_hedge(text: str) -> str | None:
    """Return the first run of hedges in `text` standing at most a word apart, in one
    sentence, one of them an adverb; or None."""
    runs: list[list[re.Match[str]]] = []
    for match in _HEDGE.finditer(text):
        if runs and _BETWEEN_HEDGES.match(text[runs[-1][-1].end() : match.start()]):
            runs[-1].append(match)
        else:
            runs.append([match])
    for run in runs:
        if len(run) > 1 and any(m.group(0).lower() in ADVERB_HEDGES for m in run):
            return text[run[0].start() : run[-1].end()]
    return None


def scales(text: str) -> tuple[list[str], list[str]]:
    """Return the ICD 203 terms and the PHIA terms that `text` uses."""
    return _found(ICD_203, text), _found(PHIA, text)


def memo_warning(texts: dict[str, str]) -> str | None:
    """Return a warning when the claims of one memo (`texts`, by claim id) use both
    scales, one claim ICD 203's and another PHIA's; None otherwise (one claim using both
    has a warning of its own)."""
    icd: dict[str, str] = {}
    phia: dict[str, str] = {}
    for ident, text in texts.items():
        found_icd, found_phia = scales(text)
        if found_icd:
            icd[ident] = found_icd[0]
        if found_phia:
            phia[ident] = found_phia[0]
    if not icd or not phia or (len(icd) == 1 and icd.keys() == phia.keys()):
        return None

    def listed(found: dict[str, str]) -> str:
        return ", ".join(f"{ident!r} ({term!r})" for ident, term in found.items())

    return (
        f"mixes likelihood scales across its claims: ICD 203 in {listed(icd)}; "
        f"PHIA yardstick in {listed(phia)}; keep to one"
    )
