"""`claim add` on a copy of the example workspace: the claim written passes `check` and is
placed by `build`; the claim file's comments stay byte for byte; a bad value is named
by file and key, and nothing is written."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.readers.texts import CapturedText

from ..conftest import EXAMPLE, briefgen
from .scripts_text import SCRIPTS, sentence

SOURCE = "svetlova-jst-2024"
PARAGRAPHS = CapturedText.parse(
    (EXAMPLE / "store" / "texts" / f"{SOURCE}.txt").read_text(encoding="utf-8")
).paragraphs
MARKINGS = [m["name"] for m in yaml.safe_load((EXAMPLE / "briefgen.yaml").read_text())["markings"]]


def _copy(tmp_path: Path) -> Path:
    ws = tmp_path / "briefs"
    shutil.copytree(EXAMPLE, ws, ignore=shutil.ignore_patterns("out", ".briefgen"))
    return ws


def _placing(ws: Path, ident: str) -> None:
    """Write a brief that places the claim `ident` for the analyst."""
    brief = {
        "title": "Captured",
        "audiences": ["analyst"],
        "formats": ["docx"],
        "sections": [{"title": "Placed", "claims": [ident]}],
    }
    (ws / "captured.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")


def _claim_ids(memo: Path) -> list[str]:
    return re.findall(r'"claim_id": "([^"]+)"', json.dumps(json.loads(memo.read_text())))


@st.composite
def quotes(draw: st.DrawFn) -> tuple[str, int]:
    """Draw a run of words from a paragraph of the real article, and its paragraph."""
    index = draw(st.integers(0, len(PARAGRAPHS) - 1))
    tokens = PARAGRAPHS[index].split()
    start = draw(st.integers(0, max(0, len(tokens) - 4)))
    end = draw(st.integers(min(start + 4, len(tokens)), min(start + 14, len(tokens))))
    return " ".join(tokens[start:end]), index


def _first_paragraph(quote: str) -> int:
    """Return the paragraph (1-based) the quote first stands in, whole words only."""
    pattern = re.compile(r"(?<!\w)" + re.escape(quote) + r"(?!\w)")
    return next(i for i, p in enumerate(PARAGRAPHS, 1) if pattern.search(" ".join(p.split())))


@settings(
    max_examples=int(os.environ.get("BRIEFGEN_CAPTURE_EXAMPLES", "4")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    quote=quotes(),
    text=st.sampled_from(SCRIPTS).flatmap(sentence),
    topics=st.lists(st.sampled_from(["military", "drones", "énergie", "экономика"]), max_size=2),
    confidence=st.sampled_from(["high", "moderate", "low"]),
    marking=st.sampled_from(MARKINGS),
    date=st.sampled_from(["2024", "2024-06", "2024-06-11"]),
)
def test_added_claim_passes_check_and_is_placed(
    tmp_path_factory: pytest.TempPathFactory,
    quote: tuple[str, int],
    text: str,
    topics: list[str],
    confidence: str,
    marking: str,
    date: str,
) -> None:
    ws = _copy(tmp_path_factory.mktemp("add"))
    claims = ws / "store" / "claims" / "military.yaml"
    before = claims.read_bytes()
    passage = quote[0]
    args = ["--source", SOURCE, "--quote", passage, "--text", text, "--confidence", confidence]
    args += ["--marking", marking, "--date", date, "--file", "store/claims/military.yaml"]
    args += ["--topics", ",".join(topics)]
    run = briefgen("claim", "add", *args, cwd=ws)
    assert run.code == 0, run.err
    after = claims.read_bytes()
    assert after.startswith(before)  # comments, order and layout as they were
    added = yaml.safe_load(after)[-1]
    assert added["text"] == text and added["sources"][0]["quote"] == passage
    assert added.get("topics", []) == topics
    assert (added["confidence"], added["marking"], str(added["date"])) == (
        confidence,
        marking,
        date,
    )
    assert f"({SOURCE}, para. {_first_paragraph(passage)})" in run.out
    _placing(ws, added["id"])
    check = briefgen("check", cwd=ws)
    assert check.code == 0, check.err
    built = briefgen("build", "captured.yaml", "--format", "json", cwd=ws)
    assert built.code == 0, built.err
    assert _claim_ids(ws / "out" / "captured.analyst.json") == [added["id"]]


QUOTE = "has already supplied approximately 4500 of the promised 6000 drones"
MARKING_NAMES = ", ".join(MARKINGS)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--marking", "SECRET"],
            f"store/claims/new.yaml: marking: unknown marking 'SECRET'; expected one of "
            f"{MARKING_NAMES}",
        ),
        (
            ["--confidence", "sure"],
            "store/claims/new.yaml: confidence: expected one of 'high', 'moderate' or 'low', "
            "got 'sure'",
        ),
        (["--date", "2024-13"], "store/claims/new.yaml: date: month 13 does not exist"),
        (
            ["--source", "svetlova-jst-2025"],
            "store/claims/new.yaml: sources[0].source: unknown source 'svetlova-jst-2025' "
            f"(did you mean '{SOURCE}'?)",
        ),
        (
            ["--quote", "has already supplied 4500 drones"],
            "store/claims/new.yaml: sources[0].quote: claim 'iran-supplied-4500-drones': "
            f"quote not found in '{SOURCE}'; closest passage: "
            '"has already supplied approximately 4500"',
        ),
        (
            ["--origin", "a\u0007b"],
            "store/claims/new.yaml: origin: claim 'iran-supplied-4500-drones' holds U+0007 "
            "(unnamed), a control character or noncharacter a document cannot hold; remove it",
        ),
    ],
)
def test_a_bad_value_is_named_and_nothing_is_written(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    ws = _copy(tmp_path)
    claims = ws / "store" / "claims"
    before = {p.name: p.read_bytes() for p in claims.iterdir()}
    given_args = {"--source": SOURCE, "--quote": QUOTE, "--text": "Iran supplied 4500 drones."}
    given_args.update(zip(args[::2], args[1::2], strict=True))
    run = briefgen("claim", "add", *[x for kv in given_args.items() for x in kv], cwd=ws)
    assert run.code == 1
    assert run.err.splitlines() == [expected, "briefgen: 1 error; nothing written"]
    assert {p.name: p.read_bytes() for p in claims.iterdir()} == before


def test_every_bad_value_is_named_at_once(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    args = ["--source", SOURCE, "--quote", QUOTE, "--text", "x", "--marking", "SECRET"]
    run = briefgen("claim", "add", *args, "--confidence", "sure", "--date", "2024-13", cwd=ws)
    assert run.code == 1
    assert [line.split(": ")[1] for line in run.err.splitlines()[:-1]] == [
        "confidence",
        "date",
        "marking",
    ]
    assert not (ws / "store" / "claims" / "new.yaml").exists()


def test_a_file_outside_the_claims_folder_is_refused(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    run = briefgen(
        "claim",
        "add",
        "--source",
        SOURCE,
        "--quote",
        QUOTE,
        "--text",
        "x",
        "--file",
        "x.yaml",
        cwd=ws,
    )
    assert run.code == 2
    assert "claims are read from the .yaml files in store/claims" in run.err


def test_a_quote_in_several_paragraphs_gets_the_first_as_locator(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    places = [i for i, p in enumerate(PARAGRAPHS, 1) if re.search(r"\bRaisi\b", p)]
    run = briefgen("claim", "add", "--source", SOURCE, "--quote", "Raisi", "--text", "R.", cwd=ws)
    assert run.code == 0, run.err
    added = yaml.safe_load((ws / "store" / "claims" / "new.yaml").read_text())[-1]
    assert added["sources"][0]["locator"] == f"para. {places[0]}"
    assert briefgen("check", cwd=ws).code == 0


def test_without_text_and_no_terminal_text_is_required(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    run = briefgen("claim", "add", "--source", SOURCE, "--quote", QUOTE, cwd=ws)
    assert run.code == 2
    assert run.err.strip() == "briefgen: error: --text is required (no terminal to open $EDITOR on)"
    assert not (ws / "store" / "claims" / "new.yaml").exists()


def test_without_text_on_a_terminal_the_editor_writes_it(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    editor = tmp_path / "editor.sh"
    typed = "Иран поставил около 4500 дронов к концу апреля 2024 года."
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n# a comment\\n" "{typed}" > "$1"\n')
    editor.chmod(0o755)
    main, child = pty.openpty()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "briefgen",
                "claim",
                "add",
                "--source",
                SOURCE,
                "--quote",
                QUOTE,
            ],
            cwd=ws,
            stdin=child,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "EDITOR": str(editor), "VISUAL": str(editor)},
            check=False,
        )
    finally:
        os.close(main)
        os.close(child)
    assert done.returncode == 0, done.stderr
    added = yaml.safe_load((ws / "store" / "claims" / "new.yaml").read_text())[-1]
    assert added["text"] == typed


def test_a_source_without_captured_text_is_refused(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    with (ws / "store" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write("\n- id: untexted-2024\n  type: webpage\n  title: No text\n  issued: 2024\n")
    run = briefgen(
        "claim", "add", "--source", "untexted-2024", "--quote", "q", "--text", "T.", cwd=ws
    )
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        "store/claims/new.yaml: sources[0].quote: source 'untexted-2024' has no captured text "
        "to find the quote in; ingest the source's text first"
    )
    assert not (ws / "store" / "claims" / "new.yaml").exists()
