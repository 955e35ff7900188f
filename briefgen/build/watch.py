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


class Watched:
    """The workspace's files as last seen, for `watch` and the workbench (`serve`) alike."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.named: list[Path] = []  # the files the workspace names, as of the last check
        self.seen = snapshot(root)

    def name(self, named: list[Path]) -> None:
        """Take the files a freshly checked workspace names; those not seen before are
        seen now, before they are read: a change from here on counts."""
        self.named[:] = named
        self.seen.update(_look(p for p in named if p not in self.seen))

    def changed(self) -> bool:
        """Look at the files again; return whether any changed since the last look."""
        now = snapshot(self.root, self.named)
        if now == self.seen:
            return False
        self.seen = now
        return True


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

    files = Watched(root)

    def once() -> None:
        try:
            only = [b.resolve() for b in briefs] or None
            checked = check_workspace(root, only)
            files.name(named_files(checked.ws))
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
            if files.changed():
                once()
                runs += 1
    except KeyboardInterrupt:
        say("stopped")
