"""Find the workspace a path belongs to, without loading anything heavy."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError

SETTINGS_FILE = "briefgen.yaml"
AUDIENCES_FILE = "audiences.yaml"


def find_root(start: Path) -> Path:
    """Return the workspace holding `start`: the nearest folder upwards with briefgen.yaml."""
    # a brief's folder, not its target's: a brief that links out is refused by name
    here = start.resolve() if start.is_dir() else start.parent.resolve()
    for folder in (here, *here.parents):
        settings = folder / SETTINGS_FILE
        if settings.exists() and not settings.is_dir():  # a FIFO too: loading refuses it
            return folder
    raise UsageError(
        f"no workspace: neither {start} nor any folder above it has a "
        f"{SETTINGS_FILE} (start one with 'briefgen new DIR')"
    )
