"""What the record classes of `records` share: a base class, the field rules both schemas
apply, and conversion to and from plain data.

`schema` defines every workspace file with pydantic, which words each mistake and
publishes the JSON Schemas; but importing pydantic and building those classes is a large
part of each run's CPU (docs/performance.md). So records are read into msgspec Structs
generated from the schema (`records`, by `derive.records_source`), and pydantic is loaded
only to word the mistakes of a record that msgspec refuses (see `validate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import msgspec


def rebuild(cls: type[Record], values: Any, extra: dict[str, Any] | None) -> Any:
    """Return a record of `cls` from its field values in order and its unknown keys."""
    record = cls(**dict(zip(cls.__struct_fields__, values, strict=True)))
    if extra:
        record.__dict__["extra"] = extra
    return record


class Record(msgspec.Struct, dict=True):
    """A record of a workspace file. Keys the schema does not name are kept in `extra`
    (each is warned about, unless the class lists it in `known_extra`)."""

    extra: ClassVar[dict[str, Any]] = {}  # set on a record that has unknown keys
    known_extra: ClassVar[frozenset[str]] = frozenset()  # unknown keys accepted silently
    KEYS: ClassVar[frozenset[str]] = frozenset()  # the fields' keys, as users write them
    LISTED: ClassVar[tuple[str, ...]] = ()  # keys where a lone value stands for a list
    CITED: ClassVar[tuple[str, ...]] = ()  # keys where source ids stand for citations
    DATED: ClassVar[tuple[str, ...]] = ()  # keys of dates, read by dates.parse_date
    CHECKED: ClassVar[tuple[tuple[str, str], ...]] = ()  # (field, rule) checked once read
    # (field, key, class) of the fields that can hold records, and the records' class
    NESTED: ClassVar[tuple[tuple[str, str, type[Record]], ...]] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return rebuild, (type(self), msgspec.structs.astuple(self), self.__dict__.get("extra"))


# --- field rules, shared with `schema` ------------------------------------------------


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


def attribution(value: str) -> str:
    """Check an attribution template: it may use {origin} and must use {text}."""
    import string

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


RULES: dict[str, Callable[[Any], Any]] = {"attribution": attribution}


# --- plain data ------------------------------------------------------------------------


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
