"""Find the workspace a path belongs to, without loading anything heavy."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError

SETTINGS_FILE = "briefgen.yaml"
AUDIENCES_FILE = "audiences.yaml"


def find_root(start: Path) -> Path:
    """Return the workspace holding `start`: the nearest folder upwards with briefgen.yaml."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise UsageError(f"no workspace: neither {start} nor any folder above it has a "
                     f"{SETTINGS_FILE} (start one with 'briefgen new DIR')")
