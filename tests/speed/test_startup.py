"""`briefgen build` starts pandoc and its writer processes before it loads the workspace:
whatever becomes of the build (help, an error, Ctrl-C while they start, a build that
writes), none of them is left behind, nor pandoc's temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cite import pandoc as cite
from briefgen.cli import commands
from briefgen.speed import parallel

from ..conftest import make_workspace


def _pandocs(marker: bytes) -> list[str]:
    """Return the process ids of citation servers running now whose environment holds
    `marker` (those of this test's builds, not another build's on the same machine)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"citeproc.lua" in (proc / "cmdline").read_bytes() and (
                marker in (proc / "environ").read_bytes()
            ):
                found.append(proc.name)
        except OSError:
            continue  # it has just ended, or is not ours to read
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_a_build_leaves_no_pandoc_behind(tmp_path: Path) -> None:
    """`build --help`, a failing build and a build that writes stop the pandoc they
    started before they end (it would otherwise go on priming), and remove its folder."""
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


def test_ctrl_c_while_the_helpers_start_is_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C after pandoc has started, while the writer processes start: the build
    says it was interrupted, exits 130, and pandoc is stopped and its folder removed."""
    ws = make_workspace(tmp_path)
    monkeypatch.chdir(ws)
    started: list[cite.Citeproc] = []
    real = cite.Citeproc.__init__

    def citeproc(self: cite.Citeproc, *args: object) -> None:
        real(self, *args)  # type: ignore[arg-type]
        started.append(self)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cite.Citeproc, "__init__", citeproc)
    monkeypatch.setattr(parallel, "forked_pool", interrupted)
    try:
        commands.main(["build", "--force", "--jobs", "2"], prog_name="briefgen")
    except SystemExit as leaving:
        assert leaving.code == 130
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C went through to Python, which prints a traceback")
    else:
        pytest.fail("the command went on after Ctrl-C")
    assert capsys.readouterr().err == "briefgen: interrupted\n"
    assert len(started) == 1
    assert started[0]._proc.poll() is not None  # stopped, and its files removed
    assert not Path(started[0]._folder.name).exists()
