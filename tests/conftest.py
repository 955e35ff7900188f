"""Shared fixtures: fixture workspaces copied to a temporary folder, and the CLI."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
WORKSPACES = HERE / "workspaces"
VARIANTS = WORKSPACES / "variants"  # overlays on the good workspace, one configuration each
REPO = HERE.parent
EXAMPLE = REPO / "briefs"
ARTICLES = HERE / "articles"  # copies of ../shared/articles, so a clone anywhere tests


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep briefgen's per-user cache (parsed fonts) in a folder of the test session's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture(scope="session", autouse=True)
def _own_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Give the builds the tests run a temporary folder of their own, to look into."""
    os.environ["TMPDIR"] = str(tmp_path_factory.mktemp("tmp"))


def temp_folder() -> Path:
    """Return the temporary folder the tests' builds use."""
    return Path(os.environ["TMPDIR"])


@dataclass
class Run:
    """The outcome of one `briefgen` command."""

    code: int
    out: str
    err: str


def briefgen(*args: str, cwd: Path) -> Run:
    """Run the real `briefgen` entry point in `cwd`, as a user would."""
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def make_workspace(tmp_path: Path, case: str | None = None, base: Path | None = None) -> Path:
    """Copy the good fixture workspace (or `base`) to tmp_path/case, overlaid by an error case."""
    return _overlaid(tmp_path / "case", base, WORKSPACES / "errors" / case if case else None)


def make_variant(tmp_path: Path, case: str, base: Path | None = None, name: str = "case") -> Path:
    """Copy the good fixture workspace (or `base`) to tmp_path/name, overlaid by
    tests/workspaces/variants/<case>: whole files that set up one configuration (another
    citation style, template, audience option), so that a test reads its setup as files."""
    return _overlaid(tmp_path / name, base, VARIANTS / case)


def _overlaid(target: Path, base: Path | None, overlay: Path | None) -> Path:
    shutil.copytree(base or WORKSPACES / "good", target, ignore=shutil.ignore_patterns("out"))
    if overlay:
        assert overlay.is_dir(), overlay
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A copy of the small, valid fixture workspace."""
    return make_workspace(tmp_path)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the shipped example workspace once, into a temporary copy; return its out/."""
    copy = tmp_path_factory.mktemp("example") / "briefs"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("out"))
    run = briefgen("build", "--all", str(copy), cwd=copy.parent)
    assert run.code == 0, run.err
    return copy / "out"


@pytest.fixture
def no_local_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hypothesis mixes into what it draws the constants of every local module loaded
    (all the test modules, when pytest has collected them), so even a derandomized run
    draws differently in a full run than alone. Tests that count what a strategy draws
    use this, so that their counts are the strategy's own."""
    from hypothesis.internal.conjecture import providers

    if hasattr(providers, "_get_local_constants"):
        monkeypatch.setattr(providers, "_get_local_constants", providers.Constants)
        providers.CONSTANTS_CACHE.cache.clear()


def babel_days(first: dt.date, last: dt.date, locale: str) -> str:
    """Return Babel's interval of two days with the month named in full, as UTS #35 adjusts
    the nearest skeleton's pattern to the widths asked for (Babel gives yMMMd's)."""
    from babel import Locale
    from babel.dates import format_date, format_interval

    where = Locale.parse(locale.replace("-", "_"))
    text = format_interval(first, last, "yMMMMd", locale=where)
    for day in (first, last):
        short, full = format_date(day, "MMM", locale=where), format_date(day, "MMMM", locale=where)
        text = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", full, text)
    return text
