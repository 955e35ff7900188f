"""Memo templates: built-in ones ship in the package; a workspace's templates/ overrides them."""

from __future__ import annotations

from pathlib import Path

from .workspace import Workspace

BUILT_IN = Path(__file__).parent / "templates"
SUFFIX = ".j2"


def template_path(ws: Workspace, name: str) -> Path | None:
    """Return the file of template `name`: the workspace's own, else the built-in one."""
    for folder in (ws.root / "templates", BUILT_IN):
        path = folder / f"{name}{SUFFIX}"
        if path.is_file():
            return path
    return None


def template_source(ws: Workspace, name: str) -> str:
    """Return the text of template `name` (its name alone for a layout without a file)."""
    path = template_path(ws, name)
    return path.read_text(encoding="utf-8") if path else name
