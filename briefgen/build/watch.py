"""`briefgen watch`: poll the files memos are made from and rebuild incrementally when one
changes.

Polling (not OS file events) keeps it dependency-free and works on network drives and
in containers alike; a workspace has few files, so a look each second costs little. The
files are those of inputs.workspace_files, with those the workspace names (the logo,
fonts, style, captured texts kept outside store/) as of the last check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import BriefgenError, WorkspaceError
from ..words import noun, plural
from .inputs import named_files, workspace_files


def snapshot(root: Path, named: Iterable[Path] = ()) -> dict[Path, tuple[int, int]]:
    """Return the size and change time of every watched file (see inputs.workspace_files)."""
    return _look(workspace_files(root, named))


def _look(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    files: dict[Path, tuple[int, int]] = {}
    for path in paths:
        if path.is_file():
            stat = path.stat()
            files[path] = (stat.st_size, stat.st_mtime_ns)
    return files


def watch(
    root: Path,
    briefs: list[Path],
    audience: str | None,
    fmt: str | None,
    interval: float,
    exit_after: int,
    say: Callable[[str], None],
) -> None:
    """Build now, then again after every change, until interrupted."""
    from .memos import build, check_workspace, describe

    named: list[Path] = []  # the files the workspace names, as of the last check
    seen = snapshot(root, named)

    def once() -> None:
        try:
            only = [b.resolve() for b in briefs] or None
            checked = check_workspace(root, only)
            named[:] = named_files(checked.ws)
            # first seen now, before the build reads them: a change from here on counts
            seen.update(_look(p for p in named if p not in seen))
            outputs = build(checked, audience, fmt)
            written = [o for o in outputs if not o.skipped]
            for item in written:
                say(describe(item))
            say(
                f"{time.strftime('%H:%M:%S')} {len(written)} written, "
                f"{len(outputs) - len(written)} up to date; watching {root}"
            )
        except WorkspaceError as exc:
            for problem in exc.problems.sorted():
                say(str(problem))
            count = len(exc.problems.errors)
            fix = f"{plural(count, 'error')}; fix {noun(count, 'it', 'them')} and save"
            say(f"{time.strftime('%H:%M:%S')} {fix}")
        except BriefgenError as exc:
            say(f"error: {exc}")

    once()
    runs = 1
    try:
        while not exit_after or runs < exit_after:
            time.sleep(interval)
            now = snapshot(root, named)
            if now != seen:
                seen = now
                once()
                runs += 1
    except KeyboardInterrupt:
        say("stopped")
