"""Adding claims to a claim file (store/claims/NAME.yaml), and proposing their ids.

New claims are appended as text, so the file's comments, order and layout stay byte
for byte as the user left them; the whole new file is read back as `check` reads it
before it replaces the old one, in one atomic rename.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ..errors import BriefgenError, Problems, UsageError, display_path
from ..readers.fields import dump
from ..readers.files import Refused, read_inside, write_atomic
from ..readers.records import Claim
from ..readers.validate import validate
from ..readers.workspace import Workspace
from ..readers.yamlio import MAX_FILE_BYTES, load_text

# the order a new claim's keys are written in, as the store's claims are
ORDER = ["id", "text", "origin", "sources", "date", "topics", "confidence", "marking"]
_FREE_TEXT = {"text", "origin", "quote", "locator"}
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]*\Z")
# words an id is better without
_SMALL = frozenset(
    [
        "that",
        "this",
        "with",
        "have",
        "from",
        "were",
        "which",
        "been",
        "their",
        "they",
        "into",
        "than",
        "there",
    ]
)


def claims_file(ws: Workspace, given: Path | None, default: str) -> Path:
    """Return the claim file a command writes to: `given` (from the current folder or
    the workspace's top), or store/claims/`default`. It must be a .yaml file directly in
    store/claims/, where the store reads claims."""
    folder = (ws.store / "claims").resolve()
    if given is None:
        return folder / default
    for path in (given.absolute(), ws.root / given):
        if path.parent.resolve() == folder:
            if path.suffix != ".yaml":
                raise UsageError(f"--file {given}: a claim file's name ends in .yaml")
            return folder / path.name
    raise UsageError(
        f"--file {given}: claims are read from the .yaml files in {display_path(folder)}; "
        "give one there"
    )


def propose_id(text: str, taken: set[str] | frozenset[str], fallback: str) -> str:
    """Return a readable id for a claim from its words, in ASCII whatever their script
    ("alabuga-plant-delivered-about"), unique among `taken`; `fallback` where the text
    has no letter or digit."""
    from anyascii import anyascii

    words = re.findall(r"[a-z0-9]+", anyascii(text).lower())
    chosen = [w for w in words if len(w) > 3 and w not in _SMALL][:4]
    base = "-".join(w[:16] for w in chosen or words[:4]) or fallback
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def append_claims(ws: Workspace, path: Path, records: list[dict[str, Any]], head: str = "") -> None:
    """Append `records` to the claim file `path` (made, starting with the comment `head`,
    if it does not exist), leaving what is there untouched."""
    existing = ""
    if path.exists() or path.is_symlink():
        try:  # a FIFO or a link out is refused here, as loading refuses it
            existing = read_inside(path, ws.root, MAX_FILE_BYTES).decode("utf-8")
        except (Refused, OSError, UnicodeDecodeError) as exc:
            raise BriefgenError(f"{display_path(path)}: cannot add to it: {exc}") from None
    else:
        existing = head
    if existing and not existing.endswith("\n"):
        existing += "\n"
    gap = "\n" if existing.strip() else ""
    text = existing + gap + "\n".join(_dumped(existing, r) for r in records)
    _read_back(text, path, records)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))


def _dumped(existing: str, record: dict[str, Any]) -> str:
    """Return one claim as YAML, an item of the file's list, its lists indented as the
    file's are."""
    from ruamel.yaml import YAML

    rt = YAML()
    rt.width = 4096  # long lines stay whole, as people paste quotes
    sequence, offset = _indents(existing)
    rt.indent(mapping=2, sequence=sequence, offset=offset)
    out = io.StringIO()
    rt.dump(_node(_in_order(record)), out)
    first, *rest = out.getvalue().splitlines(keepends=True)
    return "- " + first + "".join("  " + line if line.strip() else line for line in rest)


# a key holding a list, and the list's first item: how far in the dash is
_NESTED = re.compile(r"^( +)[\w-]+:[ \t]*\n( +)- ", re.MULTILINE)


def _indents(existing: str) -> tuple[int, int]:
    """Return how a claim's lists are indented in `existing` (as ruamel.yaml counts: the
    item's content from its key, and the dash from its key), or as the store's are."""
    found = _NESTED.search(existing)
    if found:
        offset = len(found.group(2)) - len(found.group(1))
        if offset >= 0:
            return offset + 2, offset
    return 4, 2


def _in_order(record: dict[str, Any]) -> dict[str, Any]:
    rank = {key: n for n, key in enumerate(ORDER)}
    return dict(sorted(record.items(), key=lambda item: rank.get(item[0], len(ORDER))))


def _node(value: Any, key: str = "") -> Any:
    """Return `value` for ruamel.yaml: mappings a key a line, a list of plain values on
    one line ([military, drones]), free text in double quotes (as the store writes
    quotes), and any other text quoted unless it reads back as the same text."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(value, dict):
        return CommentedMap((k, _node(v, k)) for k, v in value.items())
    if isinstance(value, list):
        seq = CommentedSeq(_node(v, key) for v in value)
        if not any(isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str):
        if key in _FREE_TEXT:
            return DoubleQuotedScalarString(value)
        if not _PLAIN.match(value) or value.lower() in {"true", "false", "yes", "no", "null"}:
            return SingleQuotedScalarString(value)
    return value


def _read_back(text: str, path: Path, records: list[dict[str, Any]]) -> None:
    """Raise unless `text` reads as YAML and holds each of `records`, as the store reads
    them, at the file's end (a mistake elsewhere in the file is `check`'s to report)."""
    problems = Problems()
    data = load_text(text, path, problems)
    problems.raise_if_errors()
    if not isinstance(data, list) or len(data) < len(records):
        raise BriefgenError(f"{display_path(path)}: expected a list of claims (- id: …)")
    for record, read in zip(records, data[len(data) - len(records) :], strict=True):
        wanted = validate(Claim, record, path, problems)
        again = validate(Claim, read, path, problems)
        problems.raise_if_errors()
        assert wanted is not None and again is not None
        if dump(wanted) != dump(again):  # briefgen's own mistake in writing, never the user's
            raise RuntimeError(f"internal error: claim {record['id']!r} would not read back")
