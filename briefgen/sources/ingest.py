"""`briefgen ingest`: capture a saved text, web page or PDF as a new source's text,
furniture removed, the file's own metadata as the record's defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BriefgenError
from ..readers.files import write_atomic
from ..readers.workspace import load
from .furniture import clean
from .names import full_name
from .records import append_sources, refuse_duplicates, validated
from .saved import read_saved

# the order a new record's keys are written in, as a person would write them
ORDER = ["id", "type", "title", "author", "container-title", "publisher", "issued", "accessed"]


def ingest(root: Path, file: Path, record: dict[str, Any]) -> tuple[Path, Path, list[str]]:
    """Capture `file` as the text of a new source `record`; return the text's path, the
    sources file's, and the fields taken from the file.

    What the file says of itself (a page's title, authors, date, site, address) fills the
    fields `record` leaves out: the command line wins."""
    ws = load(root)
    ident = record["id"]
    refuse_duplicates(ws, [ident])
    saved = read_saved(file)
    given = set(record)
    # a text file is mostly a page saved or copied from a browser; CSL's "article" is a
    # preprint, which Chicago prints so
    record = _in_order({"type": "webpage", **saved.record, **record, "text": f"texts/{ident}.txt"})
    names = [full_name(a) for a in record.get("author", [])]
    text = clean(saved.text, names, record.get("container-title"), ws.settings.furniture)
    validated(record, "command line")
    text_path = ws.store / "texts" / f"{ident}.txt"
    if text_path.exists():
        raise BriefgenError(f"{text_path} exists already; choose another --id")
    text_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(text_path, text.encode("utf-8"))
    sources = append_sources(ws, [record])
    return text_path, sources, [key for key in record if key in saved.record and key not in given]


def _in_order(record: dict[str, Any]) -> dict[str, Any]:
    """Return `record` with its keys in ORDER, any others after them as they came."""
    rank = {key: n for n, key in enumerate(ORDER)}
    return dict(sorted(record.items(), key=lambda item: rank.get(item[0], len(ORDER))))
