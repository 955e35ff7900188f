"""The `briefgen` command's entry point: a build starts pandoc before anything else loads.

A memo waits longest for its notes: pandoc must start, read the CSL style and set up its
citation processor before it can answer. So `briefgen build` starts it here, before
click and the command line are imported, sooner than the command itself could; the
build takes it over (`cite.pandoc.take_early`) if its workspace has the same style and
locale, and stops it otherwise. When some build recorded today
would write nothing now (the no-op fast path of `quick`), pandoc is not started: the
coming build most likely writes nothing either. Any other command goes straight to the
command line.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def main() -> None:
    """Run the command line, after starting pandoc if the command is `build`."""
    try:
        if sys.argv[1:2] == ["build"] and os.environ.get("BRIEFGEN_PLAIN", "") in ("", "0"):
            if hasattr(signal, "SIGTERM"):  # until the command line handles it (commands._Group)
                signal.signal(signal.SIGTERM, _terminated)
            _start_pandoc(sys.argv[2:])
        from ..cli.commands import main as command_line
    except KeyboardInterrupt:  # Ctrl-C while it loads: as the command line says it
        sys.stderr.write("briefgen: interrupted\n")
        sys.exit(130)
    command_line()


_starting: list[bool] = []  # pandoc is being started
_pending: list[int] = []  # a signal that came meanwhile


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM before the command line can unwind a build: stop pandoc, remove its
    files, and leave as the command line would (once pandoc is started, if it is being
    started: it is not ours to stop until then)."""
    if _starting:
        _pending.append(signum)
        return
    from ..cite.pandoc import take_early

    take_early(None, "")  # primed for a style, so it is stopped
    sys.stderr.write("briefgen: terminated\n")
    sys.stderr.flush()
    os._exit(128 + signum)


def _start_pandoc(args: list[str]) -> None:
    """Start pandoc for the workspace the build most likely uses: that of the first
    argument naming a file or folder, else the current folder's. Only a guess: the build
    checks it, so any failure here leaves the build to start pandoc itself."""
    try:
        from ..readers.discover import find_root
        from . import quick

        start = next(
            (Path(a) for a in args if not a.startswith("-") and Path(a).exists()), Path.cwd()
        )
        root = find_root(start)
        out = quick.output_folder(root).resolve()  # as the build names it
        if "--force" not in args and quick.some_build_fresh(root, out):
            return  # most likely nothing to build, and so nothing to cite
        style, locale = quick.citation_settings(root)
        if style is not None:
            from ..cite.pandoc import start_early

            _starting.append(True)
            try:
                start_early(style, locale)
            finally:
                _starting.clear()
    except Exception:  # noqa: BLE001 - the build finds and reports whatever went wrong
        return
    finally:
        if _pending:
            _terminated(_pending[0], None)
