"""Each broken workspace gives its exact `file:line: key: message`, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..conftest import briefgen, make_variant, make_workspace

CASES = {
    "yaml-syntax": [
        "case/store/claims/grain.yaml:5: quote: YAML syntax error: this line is not indented "
        "like the keys above it (did not find expected '-' indicator)",
    ],
    "wrong-type": [
        "case/audiences.yaml:5: principal.max-claims: expected a whole number of at least 0, got 'many'",
    ],
    "unknown-claim": [
        "case/weekly.yaml:10: sections[0].claims[0]: unknown claim 'talks-staled' "
        "(did you mean 'talks-stalled'?)",
    ],
    "unknown-contradicted": [
        "case/store/claims/grain.yaml:8: contradicts[1]: unknown claim 'ministry-comitted' "
        "(did you mean 'ministry-committed'?)",
        "case/store/claims/grain.yaml:8: contradicts[2]: unknown claim 'ministry-comitted' "
        "(did you mean 'ministry-committed'?)",
        "case/store/claims/grain.yaml:25: contradicts[1]: unknown claim 'ministry-comitted' "
        "(did you mean 'ministry-committed'?)",
    ],
    "unknown-source": [
        "case/store/claims/grain.yaml:12: sources[0].source: unknown source 'doe-2042' "
        "(did you mean 'doe-2024'?)",
    ],
    "unknown-section": [
        "case/weekly.yaml:13: sections[2].section: unknown section 'contexts' "
        "(did you mean 'context'?)",
    ],
    "unknown-audience": [
        "case/weekly.yaml:6: audiences[1]: unknown audience 'analysts' (did you mean 'analyst'?)",
    ],
    "duplicate-id": [
        "case/store/claims/grain.yaml:8: id: duplicate claim id 'wheat-prices' "
        "(also at case/store/claims/more.yaml:2)",
        "case/store/claims/more.yaml:2: id: duplicate claim id 'wheat-prices' "
        "(also at case/store/claims/grain.yaml:8)",
    ],
    "quote-not-found": [
        "case/store/claims/grain.yaml:13: sources[0].quote: claim 'wheat-prices': quote not "
        "found in 'doe-2024'; closest passage: \"Wheat prices rose 4% in the week to June 12,\"",
    ],
    "missing-text": [
        "case/store/sources.yaml:7: text: captured text 'texts/doe-2025.txt' not found "
        "(looked for case/store/texts/doe-2025.txt)",
    ],
    "impossible-date": ["case/weekly.yaml:4: date: 2024-02-30 is not a real date"],
    "prose-unknown-claim": [
        "case/store/sections/context.yaml:3: text: claim(): unknown claim 'wheat-price' "
        "(did you mean 'wheat-prices'?)",
    ],
    "unknown-key": [
        "case/weekly.yaml:2: subjet: unknown key 'subjet' (did you mean 'subject'?); briefgen "
        "does not guess at controls (keys of your own start with x-)",
    ],
    "misspelt-ceiling": [
        "case/audiences.yaml:6: principal.max-markng: unknown key 'max-markng' (did you mean "
        "'max-marking'?); briefgen does not guess at controls (keys of your own start with x-)",
    ],
    "misspelt-select": [
        "case/weekly.yaml:12: sections[1].select.min-confidense: unknown key 'min-confidense' "
        "(did you mean 'min-confidence'?); briefgen does not guess at controls (keys of your "
        "own start with x-)",
    ],
    "misspelt-claim-control": [
        "case/store/claims/grain.yaml:15: confidance: unknown key 'confidance' (did you mean "
        "'confidence'?); briefgen does not guess at controls (keys of your own start with x-)",
    ],
    "unknown-marking": [
        "case/store/claims/grain.yaml:16: marking: unknown marking 'SECRET'; expected one of "
        "PUBLIC, INTERNAL",
    ],
}


def _problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("case/")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_reports_the_exact_problem(tmp_path: Path, case: str) -> None:
    make_workspace(tmp_path, case)
    run = briefgen("check", "case", cwd=tmp_path)
    assert run.code == 1
    assert _problem_lines(run.err) == CASES[case]
    assert "Traceback" not in run.err


@pytest.mark.parametrize("case", sorted(CASES))
def test_build_fails_and_writes_nothing(tmp_path: Path, case: str) -> None:
    ws = make_workspace(tmp_path, case)
    run = briefgen("build", "--all", "case", cwd=tmp_path)
    assert run.code == 1
    assert _problem_lines(run.err) == CASES[case]
    assert "nothing written" in run.err
    assert not (ws / "out").exists()


def test_an_unknown_key_beside_the_controls_is_a_warning_and_the_build_goes_on(
    tmp_path: Path,
) -> None:
    """A claim's key that is near no control is a warning; an x- key is the user's own."""
    ws = make_variant(tmp_path, "own-keys")
    run = briefgen("build", "--all", "case", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.err
    assert _problem_lines(run.err) == [
        "case/store/claims/grain.yaml:16: colour: warning: unknown key 'colour'; it is ignored"
    ]
    assert (ws / "out" / "weekly.analyst.json").is_file()


def test_a_failed_build_keeps_the_previous_outputs(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    assert briefgen("build", "--all", "case", "-f", "json", cwd=tmp_path).code == 0
    before = (ws / "out" / "weekly.analyst.json").read_bytes()
    (ws / "weekly.yaml").write_text(
        (ws / "weekly.yaml").read_text().replace("talks-stalled", "nope"), encoding="utf-8"
    )
    assert briefgen("build", "--all", "case", "-f", "json", cwd=tmp_path).code == 1
    assert (ws / "out" / "weekly.analyst.json").read_bytes() == before
    assert sorted(p.name for p in (ws / "out").iterdir() if not p.name.startswith(".")) == [
        "weekly.analyst.json",
        "weekly.principal.json",
    ]
    assert [p.name for p in (ws / "out").iterdir() if p.name.startswith(".")] == [".briefgen"]


def test_no_workspace_is_a_usage_error(tmp_path: Path) -> None:
    run = briefgen("check", cwd=tmp_path)
    assert run.code == 2
    assert "no workspace" in run.err and "Traceback" not in run.err


# A key path as every message names it: names joined by dots, list positions in brackets.
KEY_PATH = r"[A-Za-z_-][\w-]*(\[\d+\]|\.[A-Za-z_-][\w-]*)*"


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_problem_names_its_place_in_one_form(tmp_path: Path, case: str) -> None:
    import re

    from briefgen.build.memos import check_workspace
    from briefgen.errors import key_path

    ws = check_workspace(make_workspace(tmp_path, case), use_cache=False).ws
    for problem in ws.problems.sorted():
        assert not problem.key or re.fullmatch(KEY_PATH, problem.key), problem
    assert key_path(("sources", 0, "quote")) == "sources[0].quote"
    assert key_path((0, "author", 1, "family")) == "[0].author[1].family"


# Mistakes of every kind a user makes in one record, each as (key, value, what `check`
# must say there); drawn in any combination into one claim
_PLANTED = {
    "confidence": ("certain", "expected one of 'high', 'moderate' or 'low'"),
    "date": ("2024-02-30", "2024-02-30 is not a real date"),
    "marking": ("SECRET", "unknown marking 'SECRET'"),
    "topcs": ("[trade]", "unknown key 'topcs' (did you mean 'topics'?)"),
    "contradicts": ("[no-such-claim]", "unknown claim 'no-such-claim'"),
    "origin": ("{who: x}", "expected text"),
}
_AT = {"contradicts": "contradicts[0]"}  # where a list's mistake is reported
_IN_SOURCES = {
    "source": ("doe-2042", "unknown source 'doe-2042'"),
    "locator": ("[para. 2]", "expected text"),
    "qoute": ("x", "unknown key 'qoute' (did you mean 'quote'?)"),
}


@settings(max_examples=8, deadline=None)
@given(
    keys=st.sets(st.sampled_from(sorted(_PLANTED)), min_size=1),
    inner=st.sets(st.sampled_from(sorted(_IN_SOURCES))),
)
def test_every_mistake_of_a_record_is_reported_in_one_run(
    tmp_path_factory: pytest.TempPathFactory, keys: set[str], inner: set[str]
) -> None:
    """A wrong type in a record no longer hides its other problems: every mistake planted
    in one claim, of whatever kinds, is reported by the first `check`, at its key."""
    root = make_workspace(tmp_path_factory.mktemp("planted"))
    claim = ["- id: planted", "  text: A planted claim.", "  sources:"]
    source = {"source": "doe-2024", **{k: _IN_SOURCES[k][0] for k in inner}}
    claim += [
        f"    - {k}: {v}" if i == 0 else f"      {k}: {v}"
        for i, (k, v) in enumerate(source.items())
    ]
    claim += [f"  {k}: {_PLANTED[k][0]}" for k in sorted(keys)]
    (root / "store" / "claims" / "planted.yaml").write_text("\n".join(claim) + "\n")
    run = briefgen("check", str(root), cwd=root.parent)
    assert run.code == 1
    lines = [line for line in run.err.splitlines() if "planted.yaml" in line]
    expected = {_AT.get(k, k): m for k, (_, m) in _PLANTED.items() if k in keys}
    expected |= {f"sources[0].{k}": m for k, (_, m) in _IN_SOURCES.items() if k in inner}
    for key, message in expected.items():
        assert any(f": {key}: " in line and message in line for line in lines), (key, lines)


def test_a_quote_found_twice_or_elsewhere_than_its_locator_is_a_warning(tmp_path: Path) -> None:
    """A quote that stands in two paragraphs is a warning naming both (the note cites the
    first); a locator that names another paragraph than the quote's is a warning too."""
    make_variant(tmp_path, "quote-twice")
    run = briefgen("check", "case", cwd=tmp_path)
    assert run.code == 0, run.err
    assert _problem_lines(run.err) == [
        "case/store/claims/grain.yaml:5: sources[0].quote: warning: claim 'talks-stalled': "
        "the quote stands in paragraphs 1 and 4 of 'doe-2024'; the note cites para. 1 "
        "(a locator settles it)",
        "case/store/claims/grain.yaml:14: sources[0].locator: warning: claim 'wheat-prices': "
        "locator 'para. 3', but the quote stands in para. 2 of 'doe-2024'",
    ]
