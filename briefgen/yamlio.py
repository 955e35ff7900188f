"""Strict, safe YAML loading that remembers the line of every key and item.

PyYAML composes the node graph (no Python objects are ever constructed from tags);
this module then turns nodes into plain dicts, lists and scalars by the YAML 1.2 core
schema, so `no` stays the string "no" and `0123` stays text. Every mapping and list
remembers its lines, so later checks can say `file:line: key: message`. The plainest
documents, most of a large store, are read by `blockyaml` instead, to the same result.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, cast

import yaml

from .errors import Problems

MAX_FILE_BYTES = 64 * 1024 * 1024  # a store file larger than this is surely a mistake
SHARED_UP_TO = 24  # characters: plain scalars this short are interned (see _scalar)
MAX_NODES = 1_000_000  # bounds alias expansion ("billion laughs") long before memory suffers

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge",
    "tag:briefgen:plain",
}
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN = "tag:briefgen:plain"  # an untagged plain scalar: _scalar gives it its type
_COLLECTION_TAGS: dict[type, str] = {yaml.SequenceNode: "tag:yaml.org,2002:seq",
                                    yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer (about ten times PyYAML's), without implicit tag resolution.

    PyYAML matches every plain scalar against its YAML 1.1 patterns, in Python, a
    quarter of the composing time; _scalar decides the type of plain scalars anyway.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return _COLLECTION_TAGS[kind]
        if not implicit[0]:
            return _STR  # quoted
        return _MERGE if value == "<<" else _PLAIN


_LOADER = _Loader
# the plain words that are not text in the YAML 1.2 core schema (and "" is null)
NOT_TEXT: dict[str, bool | None] = {
    "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")  # no leading zeros: "0123" stays text
_NUMBER_START = frozenset("+-.0123456789")  # how numbers can start
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?$")


_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


class LDict(dict):
    """A mapping from YAML that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LList(list):
    """A list from YAML that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _TooLarge(Exception):
    """The document expands to more nodes than `MAX_NODES`."""


def load_file(path: Path, problems: Problems) -> Any:
    """Return the YAML document in `path`, or None after recording why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(path, 0, "", f"cannot read the file: {exc.strerror}")
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.add(path, 0, "", f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # harmless, and Windows editors add one: read on, but say so
        problems.warn(path, 1, "", "file starts with a byte order mark (BOM); it was ignored "
                      "(save as UTF-8 without BOM to silence this)")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(path, 1, "", "file is UTF-16 (it starts with a UTF-16 byte order mark); "
                     "save it as UTF-8")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(path, line, "", "file is not UTF-8 text; save it as UTF-8")
        return None
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip()
                               for line in text.splitlines()):
        problems.warn(path, 0, "", "file is empty (nothing but blank lines or comments)")
        return None
    return load_text(text, path, problems)


def load_text(text: str, path: Path | str, problems: Problems) -> Any:
    """Return the YAML document in `text` (read from `path`), recording problems."""
    from .blockyaml import NOT_PLAIN, load_plain

    plain = load_plain(text)  # the plainest documents, line by line, or else libyaml
    if plain is not NOT_PLAIN:
        return plain
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except RecursionError:
        problems.add(path, 0, "", "document is nested too deeply")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        lines = text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        explained = _explain(exc.problem or "", source_line)
        problems.add(path, line, "", f"YAML syntax error: {explained}")
        return None
    except yaml.YAMLError as exc:
        problems.add(path, 0, "", f"YAML error: {exc}")
        return None
    if node is None:
        return None
    builder = _Builder(path, problems)
    try:
        return builder.build(node)
    except RecursionError:
        problems.add(path, node.start_mark.line + 1, "", "document is nested too deeply")
        return None
    except _TooLarge:
        problems.add(path, node.start_mark.line + 1, "",
                     f"document expands to more than {MAX_NODES:,} values "
                     "(aliases nested too deep?)")
        return None


_EXPLAIN = [
    ("expected <block end>", "this line is not indented like the keys above it"),
    ("did not find expected '-' indicator", "this line is not indented like the keys above it"),
    ("found character that cannot start any token", "a character that cannot start a value "
     "here (a tab? YAML is indented with spaces only)"),
    ("mapping values are not allowed", "a ':' where none may stand; quote text holding ': '"),
    ("could not find expected ':'", "a key without a ':' after it, or a quote left open"),
    ("found character '\\t'", "a tab; YAML is indented with spaces only"),
    ("found undefined alias", "an alias (*name) with no anchor (&name) before it"),
    ("found unexpected end of stream", "the file ends inside a quote or bracket"),
    ("did not find expected key", "this line is not indented like the keys above it"),
    ("did not find expected node content", "a value is missing here"),
]


def _explain(problem: str, source_line: str) -> str:
    """Return PyYAML's problem in plain words, keeping its own words after them."""
    if "\t" in source_line and "\t" not in problem:
        return f"a tab; YAML is indented with spaces only ({problem})"
    for pattern, plain in _EXPLAIN:
        if problem.startswith(pattern):
            return f"{plain} ({problem})"
    return problem or "invalid YAML"


class _Builder:
    """Turn a composed node graph into LDict, LList and scalars."""

    def __init__(self, path: Path | str, problems: Problems) -> None:
        self.path = path
        self.problems = problems
        self.count = 0

    def build(self, node: yaml.Node) -> Any:
        """Return the value of `node`."""
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if node.tag not in _STANDARD_TAGS:
            self.problems.add(self.path, node.start_mark.line + 1, "",
                              f"tag {node.tag!r} is not allowed; write plain values")
            return None
        kind = type(node)
        if kind is _SCALAR:  # checked by type, not isinstance: this runs for every value
            return _scalar(cast(yaml.ScalarNode, node))
        if kind is _MAPPING:
            return self._mapping(cast(yaml.MappingNode, node))
        assert kind is _SEQUENCE
        out = LList([self.build(item) for item in node.value])
        out.line = node.start_mark.line + 1
        out.item_lines = [item.start_mark.line + 1 for item in node.value]
        return out

    def _mapping(self, node: yaml.MappingNode) -> LDict:
        out = LDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.problems.add(self.path, key_node.start_mark.line + 1, "<<",
                                  "merge keys are not supported; write the keys out")
                continue
            key = self.build(key_node)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in out.key_lines:
                self.problems.add(self.path, line, key,
                                  f"duplicate key (first at line {out.key_lines[key]})")
                continue
            out.key_lines[key] = line
            out[key] = self.build(value_node)
        return out


def _scalar(node: yaml.ScalarNode) -> Any:
    """Return a scalar by the YAML 1.2 core schema; quoted scalars are always text."""
    if node.style in ("'", '"', "|", ">") or node.tag == _STR:
        return node.value
    return plain_scalar(node.value)


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
