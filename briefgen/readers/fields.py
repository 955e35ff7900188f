"""What every record class shares: the base class, the kinds of field with their wording,
the rules a value is read by, and conversion to plain data.

A record class (`records`) is a msgspec Struct, and its fields say everything about a key:
its spelling, type, default and constraints, its docstring, and in `Meta(extra=...)` what
msgspec cannot express: the words a wrong value is reported in (`expected`) and the rule
a value is read by first (`rule`). `settle` reads the rest off the fields once, when
the classes are defined, into the tables `validate` and `speed.packed` use.
"""

from __future__ import annotations

import string
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin

import msgspec
from msgspec import Meta

from ..dates import PartialDate
from ..words import plural

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*\Z"
Id = Annotated[
    str,
    Meta(
        min_length=1,
        pattern=ID_PATTERN,
        extra={"expected": "an id: letters, digits and - _ . : (starting with a letter or digit)"},
    ),
]
Text = Annotated[str, Meta(min_length=1, extra={"expected": "text that is not empty"})]
Colour = Annotated[
    str, Meta(pattern=r"^#[0-9A-Fa-f]{6}\Z", extra={"expected": "a colour as #RRGGBB"})
]
LONE = Meta(extra={"rule": "listed"})  # a lone value stands for a list of one
CITED = Meta(extra={"rule": "cited"})  # source ids stand for citations of them
Confidence = Literal["high", "moderate", "low"]


def rebuild(cls: type[Record], values: Any, extra: dict[str, Any] | None) -> Any:
    """Return a record of `cls` from its field values in order and its unknown keys."""
    record = cls(**dict(zip(cls.__struct_fields__, values, strict=True)))
    if extra:
        record.__dict__["extra"] = extra
    return record


class Record(msgspec.Struct, dict=True):
    """A record of a workspace file. Keys no field names are kept in `extra` (each is
    warned about, unless the class lists it in `known_extra`)."""

    extra: ClassVar[dict[str, Any]] = {}  # set on a record that has unknown keys
    known_extra: ClassVar[frozenset[str]] = frozenset()  # unknown keys accepted silently
    # Controls are never guessed: an unknown key is an error in a record whose every key
    # is a control (`strict`), and so is a near miss of one of its `CONTROLS`
    strict: ClassVar[bool] = False
    CONTROLS: ClassVar[frozenset[str]] = frozenset()
    # Read off the fields by `settle`:
    KEYS: ClassVar[frozenset[str]] = frozenset()  # the fields' keys, as users write them
    LISTED: ClassVar[tuple[str, ...]] = ()  # keys where a lone value stands for a list
    CITED: ClassVar[tuple[str, ...]] = ()  # keys where source ids stand for citations
    DATED: ClassVar[tuple[str, ...]] = ()  # keys of dates, read by dates.parse_date
    CHECKED: ClassVar[tuple[tuple[str, str], ...]] = ()  # (field, rule) checked once read
    # (field, key, class) of the fields that can hold records, and the records' class
    NESTED: ClassVar[tuple[tuple[str, str, type[Record]], ...]] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return rebuild, (type(self), msgspec.structs.astuple(self), self.__dict__.get("extra"))


def settle(*classes: type[Record]) -> None:
    """Set each class's tables (KEYS, LISTED, …) from what its fields declare."""
    for cls in classes:
        fields = msgspec.structs.fields(cls)
        cls.KEYS = frozenset(f.encode_name for f in fields)
        cls.LISTED = tuple(f.encode_name for f in fields if _rule(f.type) == "listed")
        cls.CITED = tuple(f.encode_name for f in fields if _rule(f.type) == "cited")
        cls.DATED = tuple(f.encode_name for f in fields if PartialDate in _leaves(f.type))
        cls.CHECKED = tuple((f.name, rule) for f in fields if (rule := _rule(f.type)) in CHECKS)
        cls.NESTED = tuple(
            (f.name, f.encode_name, leaf)
            for f in fields
            for leaf in _leaves(f.type)
            if isinstance(leaf, type) and issubclass(leaf, Record)
        )


def _rule(tp: Any) -> str | None:
    """Return the rule a field's type declares in `Meta(extra={"rule": …})`, if any."""
    for meta in _metas(tp):
        if meta.extra and "rule" in meta.extra:
            return str(meta.extra["rule"])
    for arg in get_args(tp) if _is_union(tp) else ():
        if (rule := _rule(arg)) is not None:
            return rule
    return None


def _metas(tp: Any) -> list[Meta]:
    return (
        [m for m in get_args(tp)[1:] if isinstance(m, Meta)] if get_origin(tp) is Annotated else []
    )


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (typing.Union, types.UnionType)


def _leaves(tp: Any) -> list[Any]:
    """Return the plain types a field's type is made of: list[X] | None gives [X, None]."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _leaves(get_args(tp)[0])
    if origin is list or _is_union(tp):
        return [leaf for arg in get_args(tp) for leaf in _leaves(arg)]
    return [tp]


# --- rules ----------------------------------------------------------------------------


def listed(value: Any) -> Any:
    """Accept a lone value where a list is expected: `topics: military`."""
    return [value] if isinstance(value, (str, int)) and not isinstance(value, bool) else value


def cited(value: Any) -> Any:
    """Accept a source given by its id alone: `sources: [svetlova-jst-2024]`."""
    if isinstance(value, list):
        return [{"source": v} if isinstance(v, str) else v for v in value]
    if isinstance(value, str):
        return [{"source": value}]
    return value


def attribution(value: str | None) -> str | None:
    """Check an attribution template: it may use {origin} and must use {text} (None: the
    locale's own)."""
    if value is None:
        return value
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    except ValueError as exc:
        raise ValueError(f"broken template: {exc} (write braces as {{{{ and }}}})") from None
    unknown = fields - {"origin", "text"}
    if unknown:
        raise ValueError(
            f"unknown placeholder {{{sorted(unknown)[0]}}}; use {{origin}} and {{text}}"
        )
    if "text" not in fields:
        raise ValueError("the template must hold {text}, the claim itself")
    return value


CHECKS: dict[str, Callable[[Any], Any]] = {"attribution": attribution}
ATTRIBUTION = Meta(extra={"rule": "attribution"})


# --- wording --------------------------------------------------------------------------


def expected(tp: Any) -> str:
    """Return what a field of type `tp` takes, in a reader's words: a field's own
    `expected` where it declares one."""
    origin = get_origin(tp)
    if origin is Annotated:
        base = get_args(tp)[0]
        metas = _metas(tp)
        for meta in metas:
            if meta.extra and "expected" in meta.extra:
                return str(meta.extra["expected"])
        text = expected(base)
        for meta in metas:
            if meta.min_length and get_origin(base) is list:
                text = f"a list of at least {plural(meta.min_length, 'item')}"
            if meta.ge is not None:
                text += f" of at least {meta.ge}"
            if meta.max_length is not None and base is str:
                text = f"text of at most {plural(meta.max_length, 'character')}"
        return text
    if _is_union(tp):
        parts = [expected(arg) for arg in get_args(tp) if arg is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is Literal:
        words = [repr(v) for v in get_args(tp)]
        return "one of " + (
            ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
        )
    if origin is list:
        return "a list"
    if isinstance(tp, type) and issubclass(tp, Record):
        return "a mapping of keys to values"
    return _PLAIN.get(tp, "a value")


_PLAIN: dict[Any, str] = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    PartialDate: "a date",
    Any: "a value",
}


def show(value: Any) -> str:
    """Return a short description of a value found in the YAML."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…'"


# --- plain data -----------------------------------------------------------------------


def dump(record: Record, exclude_none: bool = False) -> dict[str, Any]:
    """Return a record as plain data under its keys, unknown keys included; a date as
    {year, month, day, circa}."""
    data = msgspec.to_builtins(record)
    _add_extra(record, data)
    return _without_none(data) if exclude_none else data


def dump_json(record: Record) -> bytes:
    """Return `dump(record)` as compact JSON."""
    return msgspec.json.encode(dump(record))


def _add_extra(record: Record, data: dict[str, Any]) -> None:
    data.update(record.extra)
    for name, key, _ in record.NESTED:
        value = getattr(record, name)
        if isinstance(value, Record):
            _add_extra(value, data[key])
        elif isinstance(value, list):
            for item, out in zip(value, data[key], strict=True):
                if isinstance(item, Record):
                    _add_extra(item, out)


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value
