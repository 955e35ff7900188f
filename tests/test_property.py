"""Property: any generated store and brief either builds or fails with briefgen's own error.

Run long with: BRIEFGEN_EXAMPLES=10000 pytest tests/test_property.py -p no:cacheprovider
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build.memos import build, check_workspace, trial_build
from briefgen.errors import BriefgenError, WorkspaceError
from briefgen.speed.engine import Engine

from .conftest import WORKSPACES

EXAMPLES = int(os.environ.get("BRIEFGEN_EXAMPLES", "60"))
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
IDS = st.sampled_from(["a", "b", "no", "0123", "talks-stalled", "wheat-prices", "x y", ""])
SCALAR = st.one_of(
    TEXT,
    st.integers(-5, 3000),
    st.booleans(),
    st.none(),
    IDS,
    st.sampled_from(["2024-06", "2024-02-30", "2024-W24", "high", "PUBLIC"]),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "text",
                    "source",
                    "quote",
                    "topics",
                    "sources",
                    "claims",
                    "select",
                    "title",
                    "marking",
                    "confidence",
                    "date",
                    "limit",
                    "section",
                    "period",
                    "from",
                    "to",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
CLAIM = st.fixed_dictionaries(
    {"id": IDS, "text": TEXT},
    optional={
        "sources": st.lists(
            st.fixed_dictionaries(
                {"source": st.sampled_from(["doe-2024", "nope"])},
                optional={"quote": TEXT, "locator": TEXT},
            ),
            max_size=2,
        ),
        "topics": st.lists(st.sampled_from(["trade", "x"]), max_size=2),
        "confidence": st.sampled_from(["high", "moderate", "low", "sure"]),
        "marking": st.sampled_from(["PUBLIC", "INTERNAL", "SECRET"]),
        "date": SCALAR,
        "origin": TEXT,
        "contradicts": st.lists(IDS, max_size=2),
        "draft": st.one_of(st.booleans(), SCALAR),
        "extra": VALUE,
    },
)
SECTION = st.fixed_dictionaries(
    {},
    optional={
        "title": TEXT,
        "text": TEXT,
        "claims": st.lists(IDS, max_size=3),
        "select": st.fixed_dictionaries(
            {},
            optional={
                "topics": st.lists(TEXT, max_size=2),
                "limit": st.integers(-1, 5),
                "sort": st.sampled_from(["date", "x"]),
            },
        ),
        "section": st.sampled_from(["context", "nope"]),
    },
)
BRIEF = st.fixed_dictionaries(
    {"title": TEXT},
    optional={
        "period": SCALAR,
        "date": SCALAR,
        "audiences": st.lists(st.sampled_from(["analyst", "principal", "nobody"]), max_size=2),
        "sections": st.lists(SECTION, max_size=3),
        "formats": st.just(["json"]),
    },
)


# The short run in `make test` is derandomised, so CI is repeatable; the long run explores.
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    claims=st.one_of(st.lists(CLAIM, max_size=4), VALUE),
    brief=st.one_of(BRIEF, VALUE),
    raw=st.one_of(st.none(), st.binary(max_size=40)),
)
def test_generated_workspaces_build_or_fail_cleanly(claims, brief, raw) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(WORKSPACES / "good", ws)
        (ws / "store" / "claims" / "gen.yaml").write_text(
            yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8"
        )
        (ws / "weekly.yaml").write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
        if raw is not None:
            (ws / "store" / "claims" / "raw.yaml").write_bytes(raw)
        try:
            checked = check_workspace(ws)
            build(checked, fmt="json", jobs=1)
        except BriefgenError:
            pass  # a clear error of briefgen's own: the property holds


# Laying a memo out costs a pandoc request and two writers (about 0.5 s an example, check
# and build): fewer examples, and as many more in the long run.
LAYOUT_EXAMPLES = max(6, EXAMPLES // 10)
PROSE = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs"), max_codepoint=0x6FF),
    min_size=1,
    max_size=240,
).filter(str.strip)  # Latin, Greek, Cyrillic,
# Hebrew, Arabic: left to right and back
AUDIENCES = st.fixed_dictionaries(
    {
        "principal": st.fixed_dictionaries(
            {
                "template": st.sampled_from(["one-page", "policy-memo"]),
                "notes": st.sampled_from(["footnotes", "endnotes"]),
                "max-pages": st.integers(1, 3),
            },
            optional={"max-claims": st.integers(1, 40), "quotes": st.booleans()},
        ),
        "analyst": st.fixed_dictionaries(
            {"notes": st.sampled_from(["footnotes", "endnotes"])},
            optional={
                "max-pages": st.integers(1, 3),
                "summary": st.booleans(),
                "confidence": st.booleans(),
            },
        ),
    }
)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    """Writer processes shared by the examples (each build starts its own pandoc)."""
    with Engine(2, ["docx", "pdf"]) as writers:
        yield writers


@settings(
    max_examples=LAYOUT_EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    texts=st.lists(PROSE, min_size=1, max_size=4),
    count=st.integers(0, 50),
    audiences=AUDIENCES,
    formats=st.sampled_from([["docx", "pdf"], ["pdf", "html"]]),
)
def test_check_passes_exactly_when_the_build_succeeds(
    engine: Engine, texts: list[str], count: int, audiences: dict, formats: list[str]
) -> None:
    """`check` lays every memo out as the build does: it fails where the build fails (a PDF
    over max-pages, a character no font shows, a writer's failure), with the same errors,
    and passes where the build succeeds."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(WORKSPACES / "good", ws)
        claims = [
            {
                "id": f"gen-{i}",
                "text": texts[i % len(texts)],
                "sources": ["doe-2024"],
                "topics": ["gen"],
            }
            for i in range(count)
        ]
        (ws / "store" / "claims" / "gen.yaml").write_text(
            yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8"
        )
        (ws / "audiences.yaml").write_text(yaml.safe_dump(audiences), encoding="utf-8")
        brief = (ws / "weekly.yaml").read_text(encoding="utf-8")
        (ws / "weekly.yaml").write_text(
            f"{brief}  - title: Generated\n    select: {{topics: [gen]}}\nformats: {formats}\n",
            encoding="utf-8",
        )
        checked = check_workspace(ws)
        trial_build(checked, engine)
        found = sorted(str(p) for p in checked.ws.problems.errors)
        assert not (ws / "out").exists()
        try:
            build(check_workspace(ws), engine=engine)
            failed: list[str] | None = []
        except WorkspaceError as exc:
            failed = sorted(str(p) for p in exc.problems.errors)
        except BriefgenError:
            failed = None  # a writer's failure: check names it at its brief and audience
        if failed is None:
            assert found
        else:
            assert found == failed
