"""BRIEFGEN_PLAIN=1 turns every speed mechanism off, and changes no byte of any memo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE, WORKSPACES


def _build(source: Path, target: Path, plain: bool) -> dict[str, bytes]:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("out", ".briefgen"))
    env = {**os.environ, "BRIEFGEN_PLAIN": "1" if plain else "0"}
    for fmt in ("docx", "pdf", "html", "json"):
        done = subprocess.run(
            [sys.executable, "-m", "briefgen", "build", "--all", "--format", fmt],
            cwd=target,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return {p.name: p.read_bytes() for p in sorted((target / "out").glob("*.*")) if p.is_file()}


@pytest.mark.parametrize(
    "workspace",
    [EXAMPLE, WORKSPACES / "good", WORKSPACES / "visibility"],
    ids=["example", "good", "visibility"],
)
def test_the_plain_path_writes_the_same_bytes(tmp_path: Path, workspace: Path) -> None:
    fast = _build(workspace, tmp_path / "fast", plain=False)
    plain = _build(workspace, tmp_path / "plain", plain=True)
    assert sorted(fast) == sorted(plain) and len(fast) >= 4
    for name, data in fast.items():
        assert data == plain[name], name


def test_the_plain_path_keeps_no_cache_and_forks_no_process(tmp_path: Path) -> None:
    from .conftest import briefgen  # noqa: F401 (the suite's own runner, for the fast run)

    target = tmp_path / "ws"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("out", ".briefgen"))
    env = {**os.environ, "BRIEFGEN_PLAIN": "1"}
    code = (
        "import os, sys, runpy\n"
        "os.fork = lambda: sys.exit('a process was forked')\n"
        "sys.argv = ['briefgen', 'build', '--all']\n"
        "runpy.run_module('briefgen', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not (target / ".briefgen" / "cache").exists() or not any(
        (target / ".briefgen" / "cache").iterdir()
    )
