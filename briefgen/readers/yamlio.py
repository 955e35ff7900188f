"""Strict, safe YAML loading that remembers the line of every key and item.

Documents become plain dicts, lists and scalars by the YAML 1.2 core schema, so `no`
stays the string "no" and `0123` stays text. Every mapping and list remembers its lines,
so later checks can say `file:line: key: message`. The plain documents people and
scripts write, most of a store, are read line by line by `blockyaml`; any other is
composed by libyaml (`libyaml`, which loads PyYAML when first needed) to the same result.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from ..errors import Problems
from .files import Refused, read_inside

MAX_FILE_BYTES = 64 * 1024 * 1024  # a store file larger than this is surely a mistake
SHARED_UP_TO = 24  # characters: plain scalars this short are interned (see plain_scalar)
MAX_NODES = 1_000_000  # bounds alias expansion ("billion laughs") long before memory suffers
MAX_DEPTH = 100  # levels of nesting: stores use a handful; Python's recursion stays far off

# the plain words that are not text in the YAML 1.2 core schema (and "" is null)
NOT_TEXT: dict[str, bool | None] = {
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")  # no leading zeros: "0123" stays text
_NUMBER_START = frozenset("+-.0123456789")  # how numbers can start
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?$")


class LDict(dict):
    """A mapping from YAML that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LList(list):
    """A list from YAML that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


def load_file(path: Path, problems: Problems, within: Path | None = None) -> Any:
    """Return the YAML document in `path`, or None after recording why it cannot be read.

    Only a regular file is read, and with `within` (the workspace) only one whose real
    path is inside it: a FIFO, a device or a link to one would hang the read."""
    try:
        data = read_inside(path, within, MAX_FILE_BYTES)
    except Refused as exc:
        problems.add(path, 0, "", str(exc))
        return None
    except OSError as exc:
        problems.add(path, 0, "", f"cannot read the file: {exc.strerror}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # harmless, and Windows editors add one: read on, but say so
        problems.warn(
            path,
            1,
            "",
            "file starts with a byte order mark (BOM); it was ignored "
            "(save as UTF-8 without BOM to silence this)",
        )
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(
            path,
            1,
            "",
            "file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8",
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(path, line, "", "file is not UTF-8 text; save it as UTF-8")
        return None
    if not text.strip() or all(
        line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()
    ):
        problems.warn(path, 0, "", "file is empty (nothing but blank lines or comments)")
        return None
    return load_text(text, path, problems)


def load_text(text: str, path: Path | str, problems: Problems) -> Any:
    """Return the YAML document in `text` (read from `path`), recording problems."""
    from .. import speed

    if speed.fast():
        from ..speed.blockyaml import NOT_PLAIN, load_plain

        plain = load_plain(text)  # the plainest documents, line by line, or else libyaml
        if plain is not NOT_PLAIN:
            return plain
    from .libyaml import load

    return load(text, path, problems)


def plain_scalar(value: str) -> Any:
    """Return an unquoted scalar's value: null, a boolean, a number, or text."""
    if not value:
        return None
    first = value[0]  # a number only if it starts like one; null and booleans by name
    if first in _NUMBER_START:
        if _INT.match(value):
            return int(value.replace("_", ""))
        if _FLOAT.match(value):
            return float(value.replace("_", ""))
    elif value in NOT_TEXT:
        return NOT_TEXT[value]
    # a short plain word (a topic, a confidence, a source id) recurs across a store: one
    # shared copy instead of one per claim, in memory and in the store cache
    return sys.intern(value) if len(value) <= SHARED_UP_TO else value


def line_of(container: Any, key: str | int | None = None) -> int:
    """Return the line of `key` in `container` (or of the container itself), 0 if unknown."""
    if isinstance(container, LDict):
        if key is not None and key in container.key_lines:
            return container.key_lines[str(key)]
        return container.line
    if isinstance(container, LList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return 0


def line_at(root: Any, loc: tuple[str | int, ...]) -> int:
    """Return the line of the value at path `loc` below `root`, as deep as it exists."""
    line = line_of(root)
    node = root
    for part in loc:
        if not _has(node, part):
            break
        line = line_of(node, part) or line
        node = node[part]
    return line


def _has(node: Any, part: str | int) -> bool:
    """Return whether `node[part]` exists."""
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
