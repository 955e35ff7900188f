"""The user's edits are never lost: an output changed since briefgen wrote it is reported
by `status`, never overwritten by `build`, and kept beside the new file by `--force`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import briefgen, make_workspace

FORMATS = ["docx", "pdf", "html", "json"]


def _built(tmp_path: Path, fmt: str) -> tuple[Path, Path]:
    ws = make_workspace(tmp_path)
    run = briefgen("build", "--all", "case", "--format", fmt, cwd=tmp_path)
    assert run.code == 0, run.err
    return ws, ws / "out" / f"weekly.analyst.{fmt}"


def _change(path: Path, how: str) -> None:
    if how == "appended":  # Word saving it again, a byte more or less
        path.write_bytes(path.read_bytes() + b"\n")
    elif how == "replaced":  # another file copied over it
        path.write_bytes(b"a colleague's own memo")
    else:
        path.unlink()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("how", ["appended", "replaced", "deleted"])
def test_status_reports_an_output_changed_or_gone(tmp_path: Path, fmt: str, how: str) -> None:
    ws, out = _built(tmp_path, fmt)
    _change(out, how)
    run = briefgen("status", "case", cwd=tmp_path)
    assert run.code == 0, run.err
    line = next(x for x in run.out.splitlines() if x.startswith(out.name))
    expected = "missing" if how == "deleted" else "edited since built"
    assert expected in line, run.out
    assert all("up to date" in x for x in run.out.splitlines() if x != line and "analyst" in x)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("forced", [False, True])
def test_build_never_overwrites_an_edited_output(tmp_path: Path, fmt: str, forced: bool) -> None:
    """Whether an input changed or --force asks for it, an edited file is not
    overwritten: the build names it and stops, or with --force keeps it beside the new."""
    ws, out = _built(tmp_path, fmt)
    _change(out, "appended")
    edited = out.read_bytes()
    claims = ws / "store" / "claims" / "grain.yaml"
    claims.write_text(claims.read_text().replace("stalled on 11 June", "stalled on 12 June"))
    run = briefgen(
        "build", "--all", "case", "--format", fmt, *(["--force"] if forced else []), cwd=tmp_path
    )
    kept = sorted(out.parent.glob(f"weekly.analyst.edited-*.{fmt}"))
    if not forced:
        assert run.code == 1
        assert f"case/out/{out.name}: edited since briefgen built it; not overwritten" in run.err
        assert out.read_bytes() == edited and not kept
        assert "Traceback" not in run.err
        return
    assert run.code == 0, run.err
    assert [k.read_bytes() for k in kept] == [edited]
    assert out.read_bytes() != edited
    assert f"the edited file kept as case/out/{kept[0].name}" in run.out
    status = briefgen("status", "case", cwd=tmp_path)
    assert f"{out.name}: up to date" in status.out
