"""Golden memo models: each fixture workspace below, built with `--format json` for every
brief and audience, must give the model kept in tests/golden/<workspace>.<brief>.<audience>.json.

The JSON is compared as data, not as text, and a failure names the first paths that
differ (`sections[1].blocks[0].content[0].text: '…' != '…'`), so a changed rule shows as
the claim, note or field it moved. When a memo is meant to change, regenerate the golden
files and read their diff before committing:

    BRIEFGEN_REGOLD=1 pytest tests/test_golden.py

Only the manifest's facts about briefgen itself are normalised (`normalised`): they
change with every edit to the package, not with the memo.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import WORKSPACES, briefgen, make_variant

GOLDEN = Path(__file__).parent / "golden"
REGOLD = os.environ.get("BRIEFGEN_REGOLD") == "1"

# name: (a whole fixture workspace, or None and the variant laid over the good one)
CASES: dict[str, tuple[Path | None, str | None]] = {
    "good": (WORKSPACES / "good", None),  # endnotes and footnotes, max-marking, prose
    "visibility": (WORKSPACES / "visibility", None),  # every way a claim enters, three markings
    "sorted-select": (WORKSPACES / "sorted-select", None),  # sort, limit, min-confidence, NEW
    "right-to-left": (WORKSPACES / "right-to-left", None),  # Persian and Hebrew sources
    "author-date-style": (None, "author-date-style"),  # apa: citations in the text
    "briefing-template": (None, "briefing-template"),  # a workspace's own template
}

# What the manifest says of briefgen itself: its version, and a digest of its package's
# files. Both change with any edit to the code, whatever the memo; `status` and `build`
# have their own tests for them (tests/build/test_inputs.py).
NORMALISED = {"briefgen": "<version>", "code": "<code digest>"}


def normalised(memo: dict[str, Any]) -> dict[str, Any]:
    """Return `memo` with the manifest's facts about briefgen replaced by placeholders.
    Nothing else of a memo varies between machines or runs: the fixtures' briefs give
    their date and a fixed period (so the manifest's `today` stays null), and the model
    holds no paths."""
    manifest = memo.get("manifest") or {}
    assert manifest.get("today") is None, "a golden brief needs a date and a fixed period"
    for key, placeholder in NORMALISED.items():
        if key in manifest:
            manifest[key] = placeholder
    return memo


def differences(want: Any, got: Any, path: str = "") -> list[str]:
    """Return the paths at which `got` differs from `want`, each with both values."""
    if isinstance(want, dict) and isinstance(got, dict):
        found = []
        for key in list(want) + [k for k in got if k not in want]:
            here = f"{path}.{key}" if path else str(key)
            if key not in got:
                found.append(f"{here}: missing (golden: {want[key]!r})")
            elif key not in want:
                found.append(f"{here}: not in golden (built: {got[key]!r})")
            else:
                found += differences(want[key], got[key], here)
        return found
    if isinstance(want, list) and isinstance(got, list):
        found = []
        for index, (a, b) in enumerate(zip(want, got, strict=False)):
            found += differences(a, b, f"{path}[{index}]")
        if len(want) != len(got):
            found.append(f"{path}: {len(got)} items, golden has {len(want)}")
        return found
    if want != got or type(want) is not type(got):
        return [f"{path}: {got!r} != golden {want!r}"]
    return []


def _built(tmp_path: Path, name: str) -> dict[str, dict[str, Any]]:
    """Build every brief of case `name` for every audience as JSON; return the memos by
    golden file name."""
    whole, variant = CASES[name]
    if variant:
        ws = make_variant(tmp_path, variant)
    else:
        assert whole is not None
        ws = tmp_path / "case"
        shutil.copytree(whole, ws, ignore=shutil.ignore_patterns("out", ".briefgen"))
    run = briefgen("build", "--all", "--format", "json", cwd=ws)
    assert run.code == 0, run.err
    return {
        f"{name}.{path.name}": normalised(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted((ws / "out").glob("*.json"))
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_memo_models_are_as_kept(tmp_path: Path, name: str) -> None:
    built = _built(tmp_path, name)
    assert built, f"{name} built no memo"
    kept = {path.name: path for path in GOLDEN.glob(f"{name}.*.json")}
    if REGOLD:
        GOLDEN.mkdir(exist_ok=True)
        for stale in set(kept) - set(built):
            kept[stale].unlink()
        for file, memo in built.items():
            text = json.dumps(memo, indent=2, ensure_ascii=False) + "\n"
            (GOLDEN / file).write_text(text, encoding="utf-8")
        return
    assert sorted(kept) == sorted(built), (
        "the memos built differ from the golden files kept; "
        "regenerate with BRIEFGEN_REGOLD=1 pytest tests/test_golden.py"
    )
    for file, memo in built.items():
        want = json.loads(kept[file].read_text(encoding="utf-8"))
        found = differences(want, memo)
        assert not found, (
            f"{file} differs from its golden file at:\n  "
            + "\n  ".join(found[:12])
            + ("\n  …" if len(found) > 12 else "")
            + (
                "\nif the change is meant, regenerate: BRIEFGEN_REGOLD=1 pytest tests/test_golden.py"
            )
        )


def test_differences_name_the_paths_that_differ() -> None:
    want = {"notes": [{"number": 1, "text": "a"}], "banner": "PUBLIC"}
    got = {"notes": [{"number": 1, "text": "b"}, {"number": 2}], "layout": "one-page"}
    assert differences(want, got) == [
        "notes[0].text: 'b' != golden 'a'",
        "notes: 2 items, golden has 1",
        "banner: missing (golden: 'PUBLIC')",
        "layout: not in golden (built: 'one-page')",
    ]
    assert differences(want, want) == []
    assert differences({"n": 1}, {"n": 1.0}) == ["n: 1.0 != golden 1"]
