"""A fast reader for the plainest YAML: block mappings and lists of one-line values.

A store's claim files are written by people and by scripts in the same few shapes:

    - id: claim-1
      text: Russia delivered drones to Iran in 2023.
      sources:
        - source: svetlova-2024
          quote: "the first batch arrived in August"
      topics: [drones, military]

with comments, blank lines and `text: >-` blocks for long text, and now and then a
one-line flow collection: `author: [{family: Kirillova, given: Kseniya}]`,
`period: {from: 2024-06-10, to: 2024-06-16}`. libyaml composes such a file node by
node, and turning its node graph into located dicts and lists takes as long again, in
Python. This module reads that subset line by line, with a handful of string
operations a line, into exactly the LDict, LList and scalars `yamlio` would build, lines
included, in about half the time; and a build whose files are all in the subset does
not load PyYAML at all.

It gives up (returns NOT_PLAIN) at the first thing outside the subset, and the file is
then read by libyaml as before: anchors, tags, flow collections over several lines or
with quotes, empty entries or keys without values, quotes with escapes or over several
lines, plain values over several lines, block scalars with indicators (>2, |+), blank or
deeper lines inside them, document markers, tabs, CRLF, duplicate keys, keys that are
not plain names, any character YAML treats specially, nesting deeper than
`yamlio.MAX_DEPTH`, and every syntax error. So it never has to report a problem:
whatever it cannot read exactly, libyaml does. Nor does it count values: without anchors
and aliases a document holds no more than its size allows.
`tests/speed/test_blockyaml.py` compares the two readers on generated documents and on
random text.
"""

from __future__ import annotations

import re
from typing import Any

from ..readers import yamlio
from ..readers.yamlio import LDict, LList, plain_scalar

NOT_PLAIN = object()  # the answer when a document is outside the subset

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
# characters that libyaml reads as line breaks, rejects, or that only appear in YAML the
# subset does not cover: any of them sends the whole file to libyaml
_AWKWARD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_NOT_TEXT = yamlio.NOT_TEXT
_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")  # how a plain value may not start
# inside [] and {}: a plain value (a "-" starts one only before a character that does
# not end it), read in place or as one whole entry of a flat list; and a key, always
# followed by a space
_FLOW_VALUE = r"(?:[^\s\[\]{},#&*!|>'\"%@`?:-]|-(?=[^\s\[\]{},#:]))[^\[\]{},#:]*"
_FLOW_PLAIN = re.compile(_FLOW_VALUE)
_FLOW_ITEM = re.compile(rf" *({_FLOW_VALUE}?) *$")
_NESTED = re.compile(r"[\[{]")
_FLOW_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): +")
_FLOW_DEPTH = 8  # deeper nesting is left to libyaml


def load_plain(text: str) -> Any:
    """Return the document in `text` as `yamlio` builds it, or NOT_PLAIN."""
    if _AWKWARD.search(text) is not None:
        return NOT_PLAIN
    reader = _Reader()
    try:
        if not reader.read(text.split("\n")):
            return NOT_PLAIN
    except _Outside:
        return NOT_PLAIN
    return reader.finish(text.endswith("\n"))


class _Outside(Exception):
    """The document leaves the subset."""


class _Reader:
    """Lines in, containers out: a stack of open containers by column."""

    def __init__(self) -> None:
        # open containers, innermost last: (column of their keys or dashes, container)
        self.stack: list[tuple[int, LDict | LList]] = []
        self.root: Any = NOT_PLAIN
        self.pending: tuple[LDict, str, int] | None = None  # a key whose value is below it
        self.block: _Block | None = None  # a block scalar being read

    def read(self, lines: list[str]) -> bool:
        """Read every line; return False at the first one outside the subset."""
        stack = self.stack
        match_key = _KEY.match
        for number, line in enumerate(lines, 1):
            if self.block is not None:
                taken = self.block.take(line)
                if taken is False:
                    return False
                if taken:
                    continue
                self.block = None  # it ended above this line, which is read as usual
            body = line.lstrip(" ")
            if not body or body[0] == "#":
                continue  # blank, or a comment on its own line
            column = len(line) - len(body)
            if body[0] == "-" and (body == "-" or body[1] == " "):
                if not self._item(number, column, body):
                    return False
                continue
            match = match_key(body)
            if match is None:
                return False
            # most lines: the next key of the mapping being read, with its value after it
            if self.pending is None and stack:
                top_column, top = stack[-1]
                if top_column == column and type(top) is LDict:
                    key = match.group(1)
                    rest = body[match.end() :]
                    if (
                        rest
                        and rest[0] not in "#|>"
                        and key not in top.key_lines
                        and key not in _NOT_TEXT
                    ):
                        top.key_lines[key] = number
                        top[key] = self._value(rest, number)
                        continue
            if not self._entry(number, column, match, body):
                return False
        return True

    def _item(self, number: int, column: int, body: str) -> bool:
        rest = body[1:].lstrip(" ")
        if not rest or rest[0] == "-" and (rest == "-" or rest[1] == " "):
            return False  # "-" alone, or "- - x"
        seq = self._open_list(number, column)
        if seq is None:
            return False
        seq.item_lines.append(number)
        match = _KEY.match(rest)
        if match is None:
            seq.append(self._value(rest, number))
            return True
        mapping = LDict()
        mapping.line = number
        mapping.key_lines = {}
        seq.append(mapping)
        inner = len(body) - len(rest) + column
        self._open(inner, mapping)
        return self._entry(number, inner, match, rest)

    def _open_list(self, number: int, column: int) -> LList | None:
        """Return the list a "- " at `column` adds to, opening it if a key awaits it."""
        if self.pending is not None:
            mapping, key, key_column = self.pending
            if column >= key_column:  # below its key, or level with it (YAML allows both)
                self.pending = None
                return self._new_list(mapping, key, number, column)
            self.pending = None  # its value stays None: nothing was written below the key
        stack = self.stack
        while stack and stack[-1][0] > column:
            stack.pop()
        if not stack:
            if self.root is not NOT_PLAIN:
                return None
            return self._new_list(None, "", number, column)
        top_column, top = stack[-1]
        if top_column != column or type(top) is not LList:
            return None
        return top

    def _new_list(self, parent: LDict | None, key: str, number: int, column: int) -> LList:
        seq = LList()
        seq.line = number
        seq.item_lines = []
        self._attach(parent, key, seq)
        self._open(column, seq)
        return seq

    def _entry(self, number: int, column: int, match: re.Match[str], body: str) -> bool:
        key = match.group(1)
        if key in yamlio.NOT_TEXT:
            return False  # a key that YAML reads as null or a boolean
        top = self.stack[-1] if self.stack else None
        if self.pending is None and top is not None and top[0] == column and type(top[1]) is LDict:
            mapping: LDict | None = top[1]  # the next key of the mapping being read
        else:
            mapping = self._open_mapping(number, column)
        if mapping is None or key in mapping.key_lines:
            return False
        mapping.key_lines[key] = number
        rest = body[match.end() :]
        if not rest or rest[0] == "#":
            mapping[key] = None
            self.pending = (mapping, key, column)
            return True
        if rest[0] in "|>":
            header = rest.rstrip(" ")
            if header not in _BLOCK_HEADERS:
                return False
            self.block = _Block(mapping, key, column, header)
            return True
        mapping[key] = self._value(rest, number)
        return True

    def _open_mapping(self, number: int, column: int) -> LDict | None:
        """Return the mapping a key at `column` belongs to, opening it if a key awaits it."""
        if self.pending is not None:
            mapping, key, key_column = self.pending
            self.pending = None
            if column > key_column:
                child = LDict()
                child.line = number
                child.key_lines = {}
                self._attach(mapping, key, child)
                self._open(column, child)
                return child
        stack = self.stack
        while stack and (
            stack[-1][0] > column or stack[-1][0] == column and type(stack[-1][1]) is LList
        ):
            stack.pop()
        if not stack:
            if self.root is not NOT_PLAIN:
                return None
            root = LDict()
            root.line = number
            root.key_lines = {}
            self._attach(None, "", root)
            self._open(column, root)
            return root
        top_column, top = stack[-1]
        return top if top_column == column and type(top) is LDict else None

    def _open(self, column: int, container: LDict | LList) -> None:
        """Make `container` the innermost open one; deep nesting is left to libyaml,
        which reports it with its line."""
        if len(self.stack) >= yamlio.MAX_DEPTH:
            raise _Outside
        self.stack.append((column, container))

    def _attach(self, parent: LDict | None, key: str, child: LDict | LList) -> None:
        if parent is None:
            self.root = child
        else:
            parent[key] = child

    def _value(self, rest: str, number: int) -> Any:
        """Return the one-line value `rest`, or raise _Outside."""
        first = rest[0]
        if first == '"':
            end = rest.find('"', 1)
            if end < 0 or "\\" in rest[:end] or not _ends(rest, end + 1):
                raise _Outside
            return rest[1:end]
        if first == "'":
            end = rest.find("'", 1)
            if end < 0 or not _ends(rest, end + 1):
                raise _Outside
            return rest[1:end]
        if first == "[" or first == "{":
            return self._flow(rest, number)
        comment = rest.find(" #")
        value = (rest if comment < 0 else rest[:comment]).rstrip(" ")
        if (
            first in _NOT_FIRST
            and not (first == "-" and value[1:2] not in ("", " "))
            or ": " in value
            or value[-1] == ":"
        ):
            raise _Outside
        return plain_scalar(value)

    def _flow(self, rest: str, number: int) -> LList | LDict:
        """Return the flow collection that `rest` is, on one line, or raise _Outside."""
        end = rest.find("]")
        if rest[0] == "[" and end > 0 and not _NESTED.search(rest, 1, end):
            return self._flat_list(rest, end, number)  # most: topics: [drones, military]
        value, end = self._flow_node(rest, 0, number, 0)
        if not _ends(rest, end):
            raise _Outside
        return value

    def _flat_list(self, rest: str, end: int, number: int) -> LList:
        """Return the list of plain values `rest[:end + 1]` is, or raise _Outside."""
        if not _ends(rest, end + 1):
            raise _Outside
        seq = LList()
        seq.line = number
        inner = rest[1:end]
        if inner.strip(" "):
            for part in inner.split(","):
                match = _FLOW_ITEM.match(part)
                if match is None:
                    raise _Outside
                seq.append(plain_scalar(match.group(1)))
        seq.item_lines = [number] * len(seq)
        return seq

    def _flow_node(self, text: str, at: int, number: int, depth: int) -> tuple[LList | LDict, int]:
        """Read the collection opening at `text[at]`; return it and where it ends.

        Its entries are plain values and collections, each key of a mapping a plain name
        followed by ": "."""
        if depth > _FLOW_DEPTH:
            raise _Outside
        closing = "]" if text[at] == "[" else "}"
        out: LList | LDict
        if closing == "]":
            out = LList()
            out.item_lines = []
        else:
            out = LDict()
            out.key_lines = {}
        out.line = number
        at = _skip(text, at + 1)
        if text[at : at + 1] == closing:
            return out, at + 1
        while True:
            if isinstance(out, LDict):
                match = _FLOW_KEY.match(text, at)
                if match is None:
                    raise _Outside
                key = match.group(1)
                if key in out.key_lines or key in _NOT_TEXT:
                    raise _Outside
                out.key_lines[key] = number
                value, at = self._flow_value(text, match.end(), number, depth)
                out[key] = value
            else:
                value, at = self._flow_value(text, at, number, depth)
                out.append(value)
                out.item_lines.append(number)
            at = _skip(text, at)
            mark = text[at : at + 1]
            if mark == closing:
                return out, at + 1
            if mark != ",":
                raise _Outside
            at = _skip(text, at + 1)
            if text[at : at + 1] in (closing, ",", ""):
                raise _Outside  # an empty entry: libyaml decides what it means

    def _flow_value(self, text: str, at: int, number: int, depth: int) -> tuple[Any, int]:
        """Read one value inside a flow collection; return it and where it ends."""
        if text[at : at + 1] in ("[", "{"):
            return self._flow_node(text, at, number, depth + 1)
        match = _FLOW_PLAIN.match(text, at)
        if match is None:
            raise _Outside
        return plain_scalar(match.group().rstrip(" ")), match.end()

    def finish(self, last_line_ends: bool) -> Any:
        """Return the document read (`last_line_ends`: the text ends with a line break)."""
        if self.block is not None and not self.block.finish(last_line_ends):
            return NOT_PLAIN
        return self.root


def _skip(text: str, at: int) -> int:
    """Return the place of the first character at or after `at` that is not a space."""
    while text[at : at + 1] == " ":
        at += 1
    return at


def _ends(rest: str, at: int) -> bool:
    """Return whether nothing but spaces, or a comment after a space, follows `at`."""
    tail = rest[at:]
    stripped = tail.lstrip(" ")
    return not stripped or stripped[0] == "#" and stripped is not tail


_BLOCK_HEADERS = {">": (" ", "\n"), ">-": (" ", ""), "|": ("\n", "\n"), "|-": ("\n", "")}


class _Block:
    """A block scalar (| or >, clipped or stripped) whose lines are all alike: indented
    the same, none blank or ending in a space inside it. Those are joined by a space (>)
    or a line break (|); anything else is left to libyaml."""

    def __init__(self, mapping: LDict, key: str, column: int, header: str) -> None:
        self.mapping, self.key, self.column = mapping, key, column
        self.join, self.end = _BLOCK_HEADERS[header]
        self.indent = 0  # of its lines, from the first
        self.lines: list[str] = []
        self.blank = False

    def take(self, line: str) -> bool | None:
        """Return True if `line` belongs to the scalar, False if it is outside the
        subset, None if the scalar ended above it."""
        body = line.lstrip(" ")
        if not body:
            if not self.lines or len(line) > self.indent:
                return False  # a blank line before the first, or spaces that are content
            self.blank = True  # inside (outside the subset) or after the end
            return True
        column = len(line) - len(body)
        if not self.lines:
            if column <= self.column:
                return False  # an empty scalar
            self.indent = column
        if column < self.indent:
            self.mapping[self.key] = self.join.join(self.lines) + self.end
            return None
        if self.blank or column > self.indent or line[-1] == " ":
            return False
        self.lines.append(line[column:])
        return True

    def finish(self, last_line_ends: bool) -> bool:
        """End the scalar at the end of the text; return False if outside the subset."""
        if not self.lines or self.end and not last_line_ends:
            return False
        self.mapping[self.key] = self.join.join(self.lines) + self.end
        return True
