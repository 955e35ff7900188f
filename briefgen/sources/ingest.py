"""`briefgen ingest`: capture a saved text as a new source's text, furniture removed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BriefgenError
from ..readers.files import write_atomic
from ..readers.workspace import load
from .furniture import clean
from .names import full_name
from .records import append_sources, refuse_duplicates, validated


def ingest(root: Path, file: Path, record: dict[str, Any]) -> tuple[Path, Path]:
    """Capture `file` as the text of a new source `record`; return (text path, sources path)."""
    ws = load(root)
    ident = record["id"]
    refuse_duplicates(ws, [ident])
    try:
        raw = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefgenError(f"cannot read {file} as UTF-8 text: {exc}") from None
    names = [full_name(a) for a in record.get("author", [])]
    text = clean(raw, names, record.get("container-title"), ws.settings.furniture)
    record = {**record, "text": f"texts/{ident}.txt"}
    validated(record, "command line")
    text_path = ws.store / "texts" / f"{ident}.txt"
    if text_path.exists():
        raise BriefgenError(f"{text_path} exists already; choose another --id")
    text_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(text_path, text.encode("utf-8"))
    sources = append_sources(ws, [record])
    return text_path, sources
