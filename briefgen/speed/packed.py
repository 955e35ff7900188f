"""Records packed as plain tuples, and a mapping that unpacks each record when it is used.

A large store holds 100,000 claims, and a cold run takes them from reader processes,
which hand their reads back pickled (the store cache keeps them as data: stored.py).
Records unpickle through a Python function each (`readers.fields.Record.__reduce__`),
where plain tuples unpickle in C, several times faster. So they are pickled packed
(`pack`), and `Records` unpacks a claim only when it is first used: a memo uses a few
thousand of them.

A packed record is `(class, values, extra)`: the values in the order of the class's
fields, each record among them packed in turn, and its unknown keys (or None). Only
fields that can hold records are looked at, and in them a tuple is always a packed
record: no field of the schema holds a tuple of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

from msgspec.structs import astuple

from ..readers.fields import Record, rebuild

R = TypeVar("R", bound=Record)
Packed = tuple[Any, ...]


@cache
def _layout(cls: type[Record]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Return the names of a class's fields, and the places of those that can hold
    records."""
    names = cls.__struct_fields__
    nested = {name for name, _, _ in cls.NESTED}
    return names, tuple(i for i, name in enumerate(names) if name in nested)


def pack(record: Record) -> Packed:
    """Return `record` as plain tuples, lists and values (see the module's docstring).

    Its lists are the record's own, not copies: a packed record is for pickling."""
    cls = type(record)
    values = astuple(record)
    nested = _layout(cls)[1]
    if nested:
        inner = list(values)
        for i in nested:
            value = inner[i]
            if isinstance(value, Record):
                inner[i] = pack(value)
            elif isinstance(value, list):
                inner[i] = [pack(v) if isinstance(v, Record) else v for v in value]
        values = tuple(inner)
    return (cls, values, record.__dict__.get("extra"))


def unpack(packed: Packed) -> Any:
    """Return the record `packed` holds, equal to the one packed."""
    cls, values, extra = packed
    nested = _layout(cls)[1]
    if nested:
        values = list(values)
        for i in nested:
            value = values[i]
            if type(value) is tuple:
                values[i] = unpack(value)
            elif type(value) is list:
                values[i] = [unpack(v) if type(v) is tuple else v for v in value]
    return rebuild(cls, values, extra)


def value_of(item: Record | Packed, name: str) -> Any:
    """Return the field `name` of a record, packed or not (its first level only)."""
    if type(item) is not tuple:
        return getattr(item, name)
    names, _ = _layout(item[0])
    return item[1][names.index(name)]


class Records(Mapping[str, R], Generic[R]):
    """Records by id, each kept packed until it is first asked for (then unpacked once).

    A mapping like a dict, in the order records were put in; it pickles every record
    packed. Iterating over the ids unpacks nothing.
    """

    __slots__ = ("_items",)

    def __init__(self, items: dict[str, R | Packed] | None = None) -> None:
        self._items: dict[str, R | Packed] = items if items is not None else {}

    def __getitem__(self, ident: str) -> R:
        item = self._items[ident]
        if type(item) is tuple:
            item = self._items[ident] = unpack(item)
        return item  # type: ignore[return-value]

    def __setitem__(self, ident: str, record: R | Packed) -> None:
        self._items[ident] = record

    def __contains__(self, ident: object) -> bool:
        return ident in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def columns(self, *names: str) -> Iterator[tuple[str, Any]]:
        """Yield each record's id and its fields `names` (one value for one name, else a
        tuple, as `operator.itemgetter` gives), unpacking no record. A field that holds
        records gives them packed if the record is: read them with `value_of`."""
        by_attribute = attrgetter(*names)
        by_place: dict[type[Record], Any] = {}
        for ident, item in self._items.items():
            if type(item) is tuple:
                get = by_place.get(item[0])
                if get is None:
                    places = _layout(item[0])[0]
                    get = by_place[item[0]] = itemgetter(*(places.index(n) for n in names))
                yield ident, get(item[1])
            else:
                yield ident, by_attribute(item)

    def __repr__(self) -> str:
        return f"Records({len(self._items)} records)"

    def __reduce__(self) -> tuple[Any, ...]:
        return Records, (
            {
                ident: item if type(item) is tuple else pack(item)  # type: ignore[arg-type]
                for ident, item in self._items.items()
            },
        )
