"""Adding source records to store/sources.yaml, validated as `check` validates them.

New records are appended as text, and records updated in place, so the file's comments,
order and layout stay exactly as the user left them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import BriefgenError, Problems, WorkspaceError, display_path
from ..readers.files import Refused, read_inside, write_atomic
from ..readers.records import Source
from ..readers.validate import validate
from ..readers.workspace import Workspace
from ..readers.yamlio import MAX_FILE_BYTES, line_of, load_text


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
    return write_sources(ws, {}, records)


def write_sources(
    ws: Workspace, changes: dict[str, dict[str, Any]], records: list[dict[str, Any]]
) -> Path:
    """Set the fields in `changes` (by source id) in store/sources.yaml, where the
    records stand, and append `records`; every other line stays as it was, comments too.
    The new file is checked as `check` reads it before it replaces the old one."""
    path = ws.store / "sources.yaml"
    existing = ""
    if path.exists() or path.is_symlink():
        try:  # a FIFO or a link out is refused here, as loading refuses it
            existing = read_inside(path, ws.root, MAX_FILE_BYTES).decode("utf-8")
        except (Refused, OSError, UnicodeDecodeError) as exc:
            raise BriefgenError(f"{display_path(path)}: cannot add to it: {exc}") from None
    rt, doc = _round_trip(existing if changes else "")  # a large store is read only to change it
    if changes:
        existing = _changed_in_place(existing, rt, doc, changes)
    if existing and not existing.endswith("\n"):
        existing += "\n"
    text = existing + (_dumped(rt, [_block(r) for r in records]) if records else "")
    _readable(text, path, set(changes) | {r["id"] for r in records})
    write_atomic(path, text.encode("utf-8"))
    return path


def _round_trip(text: str) -> tuple[Any, Any]:
    """Return ruamel.yaml set to write as `text` is indented, and `text` read round trip."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    doc, indent, offset = load_yaml_guess_indent(text)
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096  # long lines stay as they are, unfolded
    rt.indent(mapping=indent or 2, sequence=indent or 2, offset=offset or 0)
    return rt, doc


def _dumped(rt: Any, data: Any) -> str:
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _changed_in_place(text: str, rt: Any, doc: Any, changes: dict[str, dict[str, Any]]) -> str:
    """Return the YAML list of records `text` (read round trip as `doc`) with the fields
    in `changes` set.

    ruamel.yaml writes the whole list again, comments and layout kept; of what it writes
    only the changed records are taken, in place of their own lines, so the rest of the
    file stays byte for byte as it was.
    """
    from ruamel.yaml import YAML

    changed = set()
    for i, record in enumerate(doc):
        for key, value in changes.get(str(record.get("id")), {}).items():
            record.fa.set_block_style()  # a record on one line gets a line per key
            record[key] = _flow_inside(value)
            changed.add(i)
    whole = _dumped(rt, doc)
    old, new = text.splitlines(keepends=True), whole.splitlines(keepends=True)
    old_at, new_at = _starts(doc, len(old)), _starts(rt.load(whole), len(new))
    lines = old[: old_at[0]]
    for i in range(len(doc)):
        region = old[old_at[i] : old_at[i + 1]]
        lines += _tail_last(new[new_at[i] : new_at[i + 1]], region) if i in changed else region
    spliced = "".join(lines)
    safe = YAML(typ="safe", pure=True)
    # a layout the lines cannot be cut from (records in flow style, several on a line)
    return spliced if safe.load(spliced) == safe.load(whole) else whole


def _tail_last(new: list[str], old: list[str]) -> list[str]:
    """Return a record's new lines with the comment and blank lines that ended its old
    ones at the end again: they head what follows, and ruamel.yaml puts fields added to
    the record after them."""
    tail = len(old)
    while tail and (not old[tail - 1].strip() or old[tail - 1].lstrip().startswith("#")):
        tail -= 1
    after = old[tail:]
    for at in range(len(new) - len(after), -1, -1):
        if after and new[at : at + len(after)] == after:
            return new[:at] + new[at + len(after) :] + after
    return new


def _starts(doc: Any, end: int) -> list[int]:
    """Return the line each record of a round-trip list starts on, and `end`."""
    return [doc.lc.item(i)[0] for i in range(len(doc))] + [end]


_FLOW_INDICATORS = frozenset(",:?[]{}#")


def _block(record: dict[str, Any]) -> Any:
    """Return a record for ruamel.yaml: a key on each line, its values `_flow_inside`."""
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap((k, _flow_inside(v)) for k, v in record.items())


def _flow_inside(value: Any) -> Any:
    """Return `value` for ruamel.yaml: a list or mapping of plain values on one line
    ({family: Doe, given: Jane}), as people write them in the store."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, dict):
        node: Any = CommentedMap((k, _flow_inside(v)) for k, v in value.items())
        inside = list(node.values())
    elif isinstance(value, list):
        node = CommentedSeq(_flow_inside(v) for v in value)
        inside = list(node)
    else:
        return value
    if not any(isinstance(v, (dict, list)) for v in inside):
        node.fa.set_flow_style()
        for k, v in node.items() if isinstance(node, dict) else enumerate(node):
            # ruamel writes "a?b" plain in a flow mapping, as YAML 1.2 allows; YAML 1.1
            # readers (PyYAML) end a plain text at any of these there
            if isinstance(v, str) and any(c in v for c in _FLOW_INDICATORS):
                node[k] = SingleQuotedScalarString(v)
    return node


def _readable(text: str, path: Path, written: set[str]) -> None:
    """Raise unless `text` reads as YAML and the `written` sources in it are valid and
    there once each (a mistake elsewhere in the file is `check`'s to report)."""
    problems = Problems()
    data = load_text(text, path, problems)
    problems.raise_if_errors()
    seen: set[Any] = set()
    for i, record in enumerate(data if isinstance(data, list) else []):
        ident = record.get("id") if isinstance(record, dict) else None
        if ident not in written:
            continue
        validate(Source, record, path, problems, data, (i,))
        if ident in seen:
            problems.add(path, line_of(record, "id"), "id", f"source {ident!r} is there twice")
        seen.add(ident)
    problems.raise_if_errors()
