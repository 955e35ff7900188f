"""`briefgen build` starts pandoc before its command line loads (speed/launch.py): the build
takes that pandoc over when it was primed for its style, and nothing is left behind when
the build does not take it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from briefgen.cite import pandoc as cite
from briefgen.speed import launch

from ..conftest import briefgen, make_workspace

CHICAGO = "chicago-notes-bibliography"


def _cite_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(f"{cite.FOLDER_PREFIX}*"))


def _pandocs(marker: bytes = b"") -> list[str]:
    """Return the process ids of citation servers running now; with `marker`, only those
    whose environment holds it (those of this test's builds, not another build's on the
    same machine)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"citeproc.lua" in (proc / "cmdline").read_bytes() and (
                not marker or marker in (proc / "environ").read_bytes()
            ):
                found.append(proc.name)
        except OSError:
            continue  # it has just ended, or is not ours to read
    return found


def test_the_build_takes_over_pandoc_primed_for_its_style() -> None:
    style = cite.find_style(CHICAGO)
    cite.start_early(style, "en-US")
    early = cite._early[0]
    assert cite.take_early(style, "en-US") is early
    assert cite.take_early(style, "en-US") is None  # taken once
    early.close()


def test_pandoc_primed_for_another_style_is_stopped() -> None:
    cite.start_early(cite.find_style(CHICAGO), "en-US")
    early = cite._early[0]
    assert cite.take_early(cite.find_style("apa"), "en-US") is None
    assert early._proc.poll() is not None  # stopped, and its files removed
    assert not Path(early._folder.name).exists()


def test_pandoc_is_started_only_for_a_build_that_may_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a build, the same store needs no pandoc; with --force, or after an edit, or
    for a folder that is no workspace, the guess is left to the build."""
    ws = make_workspace(tmp_path)
    assert briefgen("build", "-f", "json", cwd=ws).code == 0
    monkeypatch.chdir(ws)
    started: list[tuple[Path, str]] = []
    monkeypatch.setattr(cite, "start_early", lambda style, locale: started.append((style, locale)))
    launch._start_pandoc(["-f", "json"])
    assert started == []
    launch._start_pandoc(["--force"])
    assert started == [(cite.find_style(CHICAGO), "en-US")]
    (ws / "weekly.yaml").write_text((ws / "weekly.yaml").read_text() + "\n", encoding="utf-8")
    launch._start_pandoc(["weekly.yaml"])
    assert len(started) == 2
    monkeypatch.chdir(tmp_path)
    launch._start_pandoc([])
    assert len(started) == 2


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_a_build_that_does_not_take_pandoc_leaves_nothing_behind(tmp_path: Path) -> None:
    """`build --help`, a failing build and a build that writes stop the pandoc started for
    them before they end (it would otherwise go on priming), and remove its folder."""
    ws = make_workspace(tmp_path)
    own = tmp_path / "tmp"  # this test's builds' temporary folder: theirs alone
    own.mkdir()
    env = {**os.environ, "TMPDIR": str(own)}
    for args in (
        ["build", "--help"],
        ["build", "--force", "--period", "no-such"],
        ["build", "--force", "-f", "json"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "briefgen", *args],
            cwd=ws,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert not _pandocs(f"TMPDIR={own}".encode()), args
        assert done.returncode in (0, 1, 2) and "Traceback" not in done.stderr, done.stderr
    assert not list(own.glob(f"{cite.FOLDER_PREFIX}*"))


def test_ctrl_c_while_the_command_loads_is_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(args: list[str]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(launch, "_start_pandoc", interrupted)
    monkeypatch.setattr(sys, "argv", ["briefgen", "build"])
    try:
        launch.main()
    except SystemExit as leaving:
        assert leaving.code == 130
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C went through to Python, which prints a traceback")
    else:
        pytest.fail("the command went on after Ctrl-C")
    assert capsys.readouterr().err == "briefgen: interrupted\n"
