"""Adding source records to store/sources.yaml, validated as `check` validates them.

New records are appended as text, so the file's comments, order and layout stay exactly
as the user left them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import BriefgenError, Problems, WorkspaceError, display_path
from ..readers.files import Refused, read_inside, write_atomic
from ..readers.records import Source
from ..readers.validate import validate
from ..readers.workspace import Workspace
from ..readers.yamlio import MAX_FILE_BYTES


def validated(record: dict[str, Any], where: str) -> None:
    problems = Problems()
    if validate(Source, record, Path(where), problems) is None or problems.errors:
        raise WorkspaceError(problems)


def refuse_duplicates(ws: Workspace, ids: list[str]) -> None:
    problems = Problems()
    seen: set[str] = set()
    for ident in ids:
        where = ws.where.get(("source", ident))
        if where is not None:
            problems.add(
                where.path,
                where.line_of("id"),
                "id",
                f"source {ident!r} exists already; nothing was added",
            )
        elif ident in seen:
            problems.add("import", 0, "id", f"source {ident!r} appears twice in the import")
        seen.add(ident)
    problems.raise_if_errors()


def append_sources(ws: Workspace, records: list[dict[str, Any]]) -> Path:
    """Append `records` to store/sources.yaml, leaving what is there untouched."""
    path = ws.store / "sources.yaml"
    existing = ""
    if path.exists() or path.is_symlink():
        try:  # a FIFO or a link out is refused here, as loading refuses it
            existing = read_inside(path, ws.root, MAX_FILE_BYTES).decode("utf-8")
        except (Refused, OSError, UnicodeDecodeError) as exc:
            raise BriefgenError(f"{display_path(path)}: cannot add to it: {exc}") from None
    if existing and not existing.endswith("\n"):
        existing += "\n"
    block = yaml.safe_dump(
        records, sort_keys=False, allow_unicode=True, width=88, default_flow_style=None
    )
    write_atomic(path, (existing + block).encode("utf-8"))
    return path
