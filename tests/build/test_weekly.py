"""The weekly cycle: new workspaces, periods, status, watch, parallel builds."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from ..conftest import briefgen, make_variant


def test_new_workspace_builds_at_once(tmp_path: Path) -> None:
    run = briefgen("new", "desk", cwd=tmp_path)
    assert run.code == 0, run.err
    run = briefgen("build", "--all", "desk", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "4 written" in run.out
    assert {p.name for p in (tmp_path / "desk" / "out").glob("weekly.*")} == {
        "weekly.principal.docx",
        "weekly.principal.pdf",
        "weekly.analyst.docx",
        "weekly.analyst.pdf",
    }
    assert briefgen("check", "desk", cwd=tmp_path).code == 0
    again = briefgen("new", "desk", cwd=tmp_path)
    assert again.code == 2 and "exists and is not an empty folder" in again.err


def test_period_override_changes_what_select_keeps(good: Path) -> None:
    run = briefgen("build", "--all", "-f", "json", "--period", "2024-W30", cwd=good)
    assert run.code == 0, run.err
    text = (good / "out" / "weekly.analyst.json").read_text(encoding="utf-8")
    assert "Nothing to report for this period." in text
    assert "22–28 July 2024 (2024-W30)" in text
    bad = briefgen("build", "--all", "--period", "2024-W60", cwd=good)
    assert bad.code == 1 and "2024-W60 is not an ISO week of 2024" in bad.err


def test_status_says_what_changed_since_the_build(good: Path) -> None:
    assert briefgen("build", "--all", "-f", "json", cwd=good).code == 0
    run = briefgen("status", cwd=good)
    assert run.out.splitlines() == [
        "weekly.analyst.json: up to date",
        "weekly.principal.json: up to date",
    ]
    claims = good / "store" / "claims" / "grain.yaml"
    claims.write_text(claims.read_text().replace("stalled on 11 June", "stalled on 12 June"))
    run = briefgen("status", cwd=good)
    assert run.out.splitlines() == [
        "weekly.analyst.json: claim edited: talks-stalled",
        "weekly.principal.json: claim edited: talks-stalled",
    ]


def test_new_claims_are_marked_for_audiences_that_ask(tmp_path: Path) -> None:
    good = make_variant(tmp_path, "new-and-summary")  # the analysts' mark-new: true
    assert briefgen("build", "--all", "-f", "json", cwd=good).code == 0
    import json

    memo = json.loads((good / "out" / "weekly.analyst.json").read_text())
    flags = {
        b["claim_id"]: b["new"] for s in memo["sections"] for b in s["blocks"] if b["claim_id"]
    }
    assert flags == {"talks-stalled": True, "ministry-committed": True}
    principal = json.loads((good / "out" / "weekly.principal.json").read_text())
    assert not any(b["new"] for s in principal["sections"] for b in s["blocks"])


def test_parallel_and_serial_builds_give_the_same_bytes(good: Path, tmp_path: Path) -> None:
    assert (
        briefgen("build", "--all", "--jobs", "1", "--out", str(tmp_path / "a"), cwd=good).code == 0
    )
    assert (
        briefgen("build", "--all", "--jobs", "2", "--out", str(tmp_path / "b"), cwd=good).code == 0
    )
    for path in (tmp_path / "a").glob("weekly.*"):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_watch_rebuilds_after_a_change(good: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "briefgen",
            "watch",
            "-f",
            "json",
            "--interval",
            "0.2",
            "--exit-after",
            "2",
        ],
        cwd=good,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 60
        while not (good / "out" / "weekly.analyst.json").exists() and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        claims = good / "store" / "claims" / "grain.yaml"
        claims.write_text(claims.read_text().replace("stalled on 11 June", "stalled on 12 June"))
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    builds = [line for line in out.splitlines() if "written" in line and "up to date" in line]
    assert len(builds) == 2
    assert "2 written" in builds[0] and "2 written" in builds[1]
    assert "12 June" in (good / "out" / "weekly.analyst.json").read_text()


def test_no_op_fast_path_still_notices_changes(good: Path) -> None:
    assert briefgen("build", "--all", "-f", "json", cwd=good).code == 0
    again = briefgen("build", "--all", "-f", "json", cwd=good)
    assert again.out.splitlines()[-1] == "0 written, 2 up to date"
    memo = good / "out" / "weekly.analyst.json"
    memo.write_text("tampered", encoding="utf-8")  # an edited output is kept (test_edits)
    run = briefgen("build", "--all", "-f", "json", cwd=good)
    assert run.code == 1 and "edited since briefgen built it" in run.err
    memo.unlink()  # a deleted one is written again
    run = briefgen("build", "--all", "-f", "json", cwd=good)
    assert run.out.splitlines()[-1] == "1 written, 1 up to date"
    assert memo.read_text(encoding="utf-8").startswith("{")
    text = good / "store" / "texts" / "doe-2024.txt"
    text.write_text(text.read_text().replace("rose 4%", "rose 5%"), encoding="utf-8")
    run = briefgen("build", "--all", "-f", "json", cwd=good)
    assert run.code == 1 and "quote not found" in run.err


def test_an_audience_named_twice_is_built_once(tmp_path: Path) -> None:
    """Found by the property test: the second copy used to fail on a missing staged file."""
    run = briefgen("build", "--all", "-f", "json", cwd=make_variant(tmp_path, "audience-twice"))
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "1 written, 0 up to date"


def test_a_date_made_circa_rebuilds_the_memos_that_cite_it(good: Path) -> None:
    """A source's date that becomes circa reads differently in its notes, so the memos
    citing it are out of date (the fingerprints once held a date as its text alone)."""
    assert briefgen("build", "--all", "-f", "json", cwd=good).code == 0
    memo = good / "out" / "weekly.analyst.json"
    before = memo.read_text(encoding="utf-8")
    sources = good / "store" / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "issued: 2024-06-12", "issued: {date-parts: [[2024, 6, 12]], circa: true}", 1
        ),
        encoding="utf-8",
    )
    run = briefgen("build", "--all", "-f", "json", cwd=good)
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "2 written, 0 up to date"
    assert memo.read_text(encoding="utf-8") != before
