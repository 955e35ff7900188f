"""Property: a claim appears once in a memo, explicit placements where they are placed.

Hypothesis draws briefs that place generated claims every way there is (a section's
`claims`, `claim()` in the brief's prose and in a store section's prose, selects) and
links some by `contradicts`; each workspace is built for real in DOCX, PDF and HTML, and
each claim's text, which holds a tag of its own, is counted in the files. The expected
places come from the brief alone: the first explicit placement in reading order.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import EXAMPLE, WORKSPACES, briefgen
from ..test_content import docx_text, html_text

EXAMPLES = int(os.environ.get("BRIEFGEN_PLACEMENT_EXAMPLES", "6"))
WORDS = [
    "Łódź naïve café",
    "Москва ответила",
    "جمهوری اسلامی ایران",
    "中华人民共和国",
    "서울 한국어",
]
CLAIMS = 6
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


def tag(n: int) -> str:
    """Return the word that only claim `n`'s text holds."""
    return f"qz{n}qz"


def heading(i: int) -> str:
    return f"Section qs{i}qs"


def prose(calls: list[int]) -> str:
    return "Prose here. " + " ".join(f'{{{{ claim("c{n}") }}}}' for n in calls)


ids = st.lists(st.integers(0, CLAIMS - 1), max_size=3)
section = st.fixed_dictionaries(
    {
        "claims": ids,
        "text": st.none() | ids,
        "store": st.none() | st.integers(0, 1),
        "select": st.none() | st.tuples(st.sampled_from(["a", "b"]), st.integers(1, 4)),
    }
)
brief_plan = st.fixed_dictionaries(
    {
        "sections": st.lists(section, min_size=1, max_size=3),
        "store": st.lists(ids, min_size=2, max_size=2),
        "topics": st.lists(st.sampled_from(["a", "b"]), min_size=CLAIMS, max_size=CLAIMS),
        "words": st.lists(st.sampled_from(WORDS), min_size=CLAIMS, max_size=CLAIMS),
        "contradicts": st.lists(st.tuples(st.integers(0, CLAIMS - 1), st.integers(0, CLAIMS - 1))),
        "style": st.sampled_from(["chicago-notes-bibliography", "apa"]),
    }
)


def write(root: Path, plan: dict) -> None:
    """Write the good fixture workspace with the drawn claims, store sections and brief."""
    shutil.copytree(WORKSPACES / "good", root, ignore=shutil.ignore_patterns("out"))
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    differ: dict[int, list[str]] = {}
    for a, b in plan["contradicts"]:  # a claim said to contradict itself, too
        differ.setdefault(a, []).append(f"c{b}")
    claims = [
        {
            "id": f"c{n}",
            "text": f"{plan['words'][n]} {tag(n)}.",
            "sources": [{"source": "doe-2024"}],
            "date": "2024-06-12",
            "topics": [plan["topics"][n]],
            **({"contradicts": sorted(set(differ[n]))} if n in differ else {}),
        }
        for n in range(CLAIMS)
    ]
    (root / "store" / "claims" / "grain.yaml").write_text(dump(claims), encoding="utf-8")
    stored = [
        {"id": f"s{k}", "title": f"Stored {k}", "text": prose(calls)}
        for k, calls in enumerate(plan["store"])
    ]
    (root / "store" / "sections" / "context.yaml").write_text(dump(stored), encoding="utf-8")
    settings = yaml.safe_load((root / "briefgen.yaml").read_text(encoding="utf-8"))
    settings["citation-style"] = plan.get("style", "chicago-notes-bibliography")
    (root / "briefgen.yaml").write_text(dump(settings), encoding="utf-8")
    (root / "audiences.yaml").write_text(
        dump(
            {
                "analyst": {"template": "policy-memo", "notes": "footnotes"},
                "principal": {"template": "one-page", "notes": "endnotes"},
            }
        ),
        encoding="utf-8",
    )
    sections = []
    for i, spec in enumerate(plan["sections"]):
        out: dict = {"title": heading(i)}
        if spec["store"] is not None:
            out["section"] = f"s{spec['store']}"
        if spec["text"] is not None:
            out["text"] = prose(spec["text"])
        if spec["claims"]:
            out["claims"] = [f"c{n}" for n in spec["claims"]]
        if spec["select"] is not None:
            out["select"] = {"topics": [spec["select"][0]], "limit": spec["select"][1]}
        sections.append(out)
    brief = {
        "title": "Placement",
        "date": "2024-06-14",
        "period": "2024-W24",
        "audiences": ["analyst", "principal"],
        "formats": ["docx", "pdf", "html"],
        "sections": sections,
    }
    (root / "weekly.yaml").write_text(dump(brief), encoding="utf-8")


def first_places(plan: dict) -> dict[int, int]:
    """Return, for each claim placed explicitly, the section of its first placement: in
    reading order, a section's store prose, then its own prose, then its `claims`."""
    first: dict[int, int] = {}
    for i, spec in enumerate(plan["sections"]):
        calls = plan["store"][spec["store"]] if spec["store"] is not None else []
        for n in calls + (spec["text"] or []) + spec["claims"]:
            first.setdefault(n, i)
    return first


def texts(out: Path, audience: str) -> dict[str, str]:
    """Return the text of each format of one memo."""
    pdf = subprocess.run(
        ["pdftotext", str(out / f"weekly.{audience}.pdf"), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    return {
        "docx": docx_text(out / f"weekly.{audience}.docx"),
        "pdf": pdf,
        "html": html_text(out / f"weekly.{audience}.html"),
    }


def check_memo(text: str, plan: dict, where: str) -> None:
    text = " ".join(text.split())
    starts = [text.find(heading(i)) for i in range(len(plan["sections"]))]
    assert all(s >= 0 for s in starts), where
    for n in range(CLAIMS):
        count = len(re.findall(tag(n), text))
        assert count <= 1, f"{where}: c{n} shown {count} times"
    for n, i in first_places(plan).items():
        assert text.count(tag(n)) == 1, f"{where}: c{n}, placed explicitly, is not shown"
        pos = text.find(tag(n))
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        assert starts[i] < pos < end, f"{where}: c{n} is not in section {i}, where it is placed"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=brief_plan)
def test_each_claim_appears_once_and_explicit_ones_where_placed(
    tmp_path_factory: pytest.TempPathFactory, plan: dict
) -> None:
    root = tmp_path_factory.mktemp("placement") / "ws"
    write(root, plan)
    run = briefgen("build", "--all", cwd=root)
    assert run.code == 0, run.err
    for audience in ("analyst", "principal"):
        for fmt, text in texts(root / "out", audience).items():
            check_memo(text, plan, f"{audience} {fmt}")
    json_run = briefgen("build", "--all", "-f", "json", cwd=root)
    assert json_run.code == 0, json_run.err
    memo = json.loads((root / "out" / "weekly.analyst.json").read_text(encoding="utf-8"))
    remarks = [
        "".join(i.get("text", "") for i in r)
        for s in memo["sections"]
        for b in s["blocks"]
        for r in b["remarks"]
    ]
    numbers = {n["number"] for n in memo["notes"]}
    for remark in remarks:  # a remark on a claim the memo holds points to where it is
        if plan["style"] == "apa":
            assert not re.search(r"see note \d", remark), remark
        elif m := re.fullmatch(r"Sources differ: see note (\d+)", remark):
            assert int(m.group(1)) in numbers, remark
        assert not re.match(r"Sources differ: see (above|below)", remark) or (
            plan["style"] == "apa" and remark.endswith(")")
        ), remark


def test_a_claim_placed_twice_is_a_warning_naming_both_places(tmp_path: Path) -> None:
    plan = {
        "sections": [
            {"claims": [0], "text": None, "store": None, "select": None},
            {"claims": [1], "text": [0], "store": 0, "select": None},
        ],
        "store": [[1], []],
        "topics": ["a"] * CLAIMS,
        "words": WORDS + WORDS[:1],
        "contradicts": [],
    }
    root = tmp_path / "ws"
    write(root, plan)
    run = briefgen("check", cwd=root)
    assert run.code == 0, run.err
    lines = [line for line in run.out.splitlines() + run.err.splitlines() if "placed twice" in line]
    brief = yaml.compose((root / "weekly.yaml").read_text(encoding="utf-8"))
    stored = yaml.compose((root / "store/sections/context.yaml").read_text(encoding="utf-8"))

    def at(node: yaml.Node, *keys: str | int) -> int:
        """Return the line of the value at `keys`, as PyYAML reads it."""
        for key in keys:
            if isinstance(key, int):
                node = node.value[key]
            else:
                node = next(v for k, v in node.value if k.value == key)
        return node.start_mark.line + 1

    c0 = f"weekly.yaml:{at(brief, 'sections', 0, 'claims', 0)}: sections[0].claims[0]"
    c0_again = f"weekly.yaml:{at(brief, 'sections', 1, 'text')}: sections[1].text"
    c1 = (
        f"weekly.yaml:{at(brief, 'sections', 1, 'section')}: sections[1].section (claim() in "
        f"store/sections/context.yaml:{at(stored, 0, 'text')}: text)"
    )
    c1_again = f"weekly.yaml:{at(brief, 'sections', 1, 'claims', 0)}: sections[1].claims[0]"
    assert lines == [
        f"{c0_again}: warning: claim 'c0' is placed twice: at {c0} and at {c0_again}; "
        "the memo shows it once, at the first",
        f"{c1_again}: warning: claim 'c1' is placed twice: at {c1} and at {c1_again}; "
        "the memo shows it once, at the first",
    ]


@pytest.mark.parametrize("period", ["2023-03", None])
def test_the_example_holds_each_claim_once(tmp_path: Path, period: str | None) -> None:
    root = tmp_path / "briefs"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("out", ".briefgen"))
    run = briefgen(
        "build", "--all", "-f", "json", *(["--period", period] if period else []), cwd=root
    )
    assert run.code == 0, run.err
    for memo_path in (root / "out").glob("*.json"):
        assert_once(json.loads(memo_path.read_text(encoding="utf-8")), memo_path.name)


def test_a_new_workspace_s_first_memo_holds_each_claim_once(tmp_path: Path) -> None:
    assert briefgen("new", "desk", cwd=tmp_path).code == 0
    run = briefgen("build", "--all", "-f", "json", cwd=tmp_path / "desk")
    assert run.code == 0, run.err
    memos = list((tmp_path / "desk" / "out").glob("*.json"))
    assert memos
    for memo_path in memos:
        assert_once(json.loads(memo_path.read_text(encoding="utf-8")), memo_path.name)


def assert_once(memo: dict, name: str) -> None:
    """Assert each claim's note stands once in the memo model (no claim is cited by cite()
    in these workspaces, so a claim's notes are the places its text is shown)."""
    cited = [i for n in memo["notes"] for i in n["claim_ids"]]
    assert len(cited) == len(set(cited)), f"{name}: {sorted(cited)}"
