"""YAML documents outside `blockyaml`'s subset: libyaml composes the node graph (no
Python objects are ever constructed from tags), and this module turns the nodes into
located dicts, lists and scalars exactly as `blockyaml` does for the plainest documents.

It is imported only when a document needs it, so a build of plain files never loads
PyYAML, whose import every run would otherwise pay.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml

from ..errors import Problems
from . import yamlio
from .yamlio import LDict, LList, plain_scalar

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
    "tag:briefgen:plain",
}
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN = "tag:briefgen:plain"  # an untagged plain scalar: _scalar gives it its type
_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
_COLLECTION_TAGS: dict[type, str] = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


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


LOADER = _Loader


class TooLarge(Exception):
    """The document's aliases expand to more values than `yamlio.MAX_NODES`."""


class TooDeep(Exception):
    """The document nests deeper than `yamlio.MAX_DEPTH`, at `line`."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


# the key a line of a block mapping starts with, to name it beside a syntax error there
_LINE_KEY = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s|$)")


def load(text: str, path: Path | str, problems: Problems) -> Any:
    """Return the YAML document in `text` (read from `path`), recording problems."""
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        lines = text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        explained = _explain(exc.problem or "", source_line)
        key = _LINE_KEY.match(source_line)
        problems.add(path, line, key.group(1) if key else "", f"YAML syntax error: {explained}")
        return None
    except yaml.YAMLError as exc:
        problems.add(path, 0, "", f"YAML error: {exc}")
        return None
    if node is None:
        return None
    builder = Builder(path, problems)
    try:
        return builder.build(node)
    except TooDeep as exc:
        problems.add(path, exc.line, "", _too_deep())
        return None
    except TooLarge:
        problems.add(
            path,
            node.start_mark.line + 1,
            "",
            f"document expands to more than {yamlio.MAX_NODES:,} values (aliases nested too deep?)",
        )
        return None


def _too_deep() -> str:
    return f"nested more than {yamlio.MAX_DEPTH} levels deep (the limit); write the values flatter"


_EXPLAIN = [
    ("expected <block end>", "this line is not indented like the keys above it"),
    ("did not find expected '-' indicator", "this line is not indented like the keys above it"),
    (
        "found character that cannot start any token",
        "a character that cannot start a value here (a tab? YAML is indented with spaces only)",
    ),
    ("mapping values are not allowed", "a ':' where none may stand; quote text holding ': '"),
    ("could not find expected ':'", "a key without a ':' after it, or a quote left open"),
    ("found character '\\t'", "a tab; YAML is indented with spaces only"),
    ("found undefined alias", "an alias (*name) with no anchor (&name) before it"),
    ("found unexpected end of stream", "the file ends inside a quote or bracket"),
    ("did not find expected key", "this line is not indented like the keys above it"),
    ("did not find expected node content", "a value is missing here"),
    (
        "exceeded maximum nesting depth",
        f"nested more than {yamlio.MAX_DEPTH} levels deep (the limit); write the values flatter",
    ),
]


def _explain(problem: str, source_line: str) -> str:
    """Return PyYAML's problem in plain words, keeping its own words after them."""
    if "\t" in source_line and "\t" not in problem:
        return f"a tab; YAML is indented with spaces only ({problem})"
    for pattern, plain in _EXPLAIN:
        if problem.startswith(pattern):
            return f"{plain} ({problem})"
    return problem or "invalid YAML"


class Builder:
    """Turn a composed node graph into LDict, LList and scalars.

    An alias is the node of its anchor met again, so a few lines of aliases to aliases
    can stand for billions of values ("billion laughs"). Only what aliases expand to is
    counted against `yamlio.MAX_NODES`; a document without them has as many values as
    its size allows. Nodes are built in document order, each starting where or after
    the one before it started, so a node starting before the furthest start reached is
    one an alias brings back: that needs no record of the nodes built.
    """

    def __init__(self, path: Path | str, problems: Problems) -> None:
        self.path = path
        self.problems = problems
        self.expanded = 0  # values built again for aliases
        self.furthest = -1  # the furthest start of a node built
        self.depth = 0  # of collections open

    def build(self, node: yaml.Node) -> Any:
        """Return the value of `node`."""
        start = node.start_mark.index
        if start < self.furthest:
            self.expanded += 1
            if self.expanded > yamlio.MAX_NODES:
                raise TooLarge
        else:
            self.furthest = start
        if node.tag not in _STANDARD_TAGS:
            self.problems.add(
                self.path,
                node.start_mark.line + 1,
                "",
                f"tag {node.tag!r} is not allowed; write plain values",
            )
            return None
        kind = type(node)
        if kind is _SCALAR:  # checked by type, not isinstance: this runs for every value
            return _scalar(cast(yaml.ScalarNode, node))
        self.depth += 1
        if self.depth > yamlio.MAX_DEPTH:
            raise TooDeep(node.start_mark.line + 1)
        try:
            if kind is _MAPPING:
                return self._mapping(cast(yaml.MappingNode, node))
            assert kind is _SEQUENCE
            out = LList([self.build(item) for item in node.value])
            out.line = node.start_mark.line + 1
            out.item_lines = [item.start_mark.line + 1 for item in node.value]
            return out
        finally:
            self.depth -= 1

    def _mapping(self, node: yaml.MappingNode) -> LDict:
        out = LDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.problems.add(
                    self.path,
                    key_node.start_mark.line + 1,
                    "<<",
                    "merge keys are not supported; write the keys out",
                )
                continue
            key = self.build(key_node)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in out.key_lines:
                self.problems.add(
                    self.path, line, key, f"duplicate key (first at line {out.key_lines[key]})"
                )
                continue
            out.key_lines[key] = line
            out[key] = self.build(value_node)
        return out


def _scalar(node: yaml.ScalarNode) -> Any:
    """Return a scalar by the YAML 1.2 core schema; quoted scalars are always text."""
    if node.style in ("'", '"', "|", ">") or node.tag == _STR:
        return node.value
    return plain_scalar(node.value)
