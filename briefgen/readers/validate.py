"""Turn located YAML data into records, reporting each mistake at its line.

A record is read by msgspec into its class of `records` whole, after the field rules
msgspec cannot express (a lone value for a list, source ids for citations, dates). msgspec
stops at the first mistake and words it its own way; so when it refuses a record, the
record is read again one field at a time (`by_field`), which words every mistake by its
field's declaration and takes the few values users write that msgspec refuses.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import msgspec

from ..dates import PartialDate, parse_date
from ..errors import Problems, did_you_mean, key_path
from .fields import CHECKS, Record, cited, expected, listed, show
from .yamlio import line_at

R = TypeVar("R", bound=Record)
Loc = tuple[str | int, ...]


def validate(
    model: type[R], data: Any, path: Path, problems: Problems, root: Any = None, loc: Loc = ()
) -> R | None:
    """Return `data` as a `model` record, or None after recording each problem.

    `root` is the whole located document `data` sits in, at `loc`, so that lines
    and keys can be reported from the top of the file.
    """
    root = data if root is None else root
    record = read(model, data)
    if record is None:
        record = _read_by_field(model, data, path, problems, root, loc)
        if record is None:
            return None
    _warn_unknown(record, root, loc, path, problems)
    return record


def _read_by_field(
    model: type[R], data: Any, path: Path, problems: Problems, root: Any, loc: Loc
) -> R | None:
    """Return `data` read field by field after recording every mistake in it: the record
    without its wrong keys, so that its other problems (an unknown source, a misspelt
    key) are found in the same run; None if a required key is wrong. The mistakes are
    errors, so nothing is built from it."""
    found: list[tuple[Loc, str]] = []
    record = by_field(model, data, (), found, partial=True)
    for where, message in found:
        place = loc + where
        problems.add(path, line_at(root, place), _key(place), message)
    return record


def read(model: type[R], data: Any) -> R | None:
    """Return `data` as a `model` record read by msgspec, or None if msgspec refuses it."""
    if not isinstance(data, dict):
        return None
    try:
        prepared = _prepared(model, data)
        record = msgspec.convert(prepared, model, strict=False)
        _finish(record, prepared)
    except (msgspec.ValidationError, ValueError, TypeError):  # a rule refused a value
        return None
    return record


def _prepared(model: type[Record], data: dict[str, Any]) -> dict[str, Any]:
    """Return `data` with the fields' rules applied (a copy, if any applies)."""
    out = data
    for key in model.LISTED:
        value = data.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            out = out if out is not data else dict(data)
            out[key] = listed(value)
    for key in model.CITED:
        value = data.get(key)
        if isinstance(value, str) or (
            isinstance(value, list) and any(isinstance(v, str) for v in value)
        ):
            out = out if out is not data else dict(data)
            out[key] = cited(value)
    for key in model.DATED:
        value = data.get(key)
        if value is not None and not isinstance(value, PartialDate):
            out = out if out is not data else dict(data)
            out[key] = parse_date(value)
    for _, key, inner in model.NESTED:
        if not _has_rules(inner):
            continue
        value = out.get(key)
        done: Any = value
        if isinstance(value, dict):
            done = _prepared(inner, value)
        elif isinstance(value, list):
            items = [_prepared(inner, v) if isinstance(v, dict) else v for v in value]
            if any(a is not b for a, b in zip(items, value, strict=True)):
                done = items
        if done is not value:
            out = out if out is not data else dict(data)
            out[key] = done
    return out


@cache
def _has_rules(model: type[Record]) -> bool:
    """Whether records of `model`, or records inside them, have field rules to apply."""
    return bool(
        model.LISTED
        or model.CITED
        or model.DATED
        or any(_has_rules(inner) for _, _, inner in model.NESTED)
    )


def _finish(record: Record, data: dict[str, Any]) -> None:
    """Check the rules msgspec cannot, and keep each record's unknown keys, nested ones
    too. Raises ValueError if a rule refuses a value."""
    for name, rule in record.CHECKED:
        CHECKS[rule](getattr(record, name))
    if not record.KEYS.issuperset(data):
        record.__dict__["extra"] = {k: v for k, v in data.items() if k not in record.KEYS}
    for name, key, _ in record.NESTED:
        given = data.get(key)
        if given is None:  # a default
            continue
        value = getattr(record, name)
        if isinstance(value, Record):
            _finish(value, given)
        elif isinstance(value, list):
            for item, inner in zip(value, given, strict=True):
                _finish(item, inner)


def by_field(
    model: type[R], data: Any, loc: Loc, found: list[tuple[Loc, str]], partial: bool = False
) -> R | None:
    """Return `data` as a `model` record read one field at a time, or None after adding
    each mistake, worded by its field (`fields.expected`), to `found`; if `partial`, the
    record without its wrong keys (None only if a required one is wrong).

    This reads what `read` reads, to the same record, and also takes the few values a
    user may write that msgspec refuses: a number for text, yes/no for true/false."""
    if not isinstance(data, dict):
        found.append((loc, f"expected {expected(model)}, got {show(data)}"))
        return None
    values: dict[str, Any] = {}
    before = len(found)
    whole = True  # every required key is there and right
    for info in msgspec.structs.fields(model):
        key = info.encode_name
        if key not in data:
            if info.required:
                found.append((loc + (key,), "required key is missing"))
                whole = False
            continue
        value = _field(model, key, info.type, data[key], loc + (key,), found, partial)
        if value is not _WRONG:
            values[info.name] = value
        elif info.required:
            whole = False
    if not whole or (len(found) > before and not partial):
        return None
    record = model(**values)
    if not model.KEYS.issuperset(data):
        record.__dict__["extra"] = {k: v for k, v in data.items() if k not in model.KEYS}
    return record


_WRONG = object()  # a value that was reported


def _field(
    model: type[Record],
    key: str,
    tp: Any,
    value: Any,
    loc: Loc,
    found: list[tuple[Loc, str]],
    partial: bool,
) -> Any:
    """Return one field's value read by its type and rules, or _WRONG once reported."""
    try:
        if key in model.LISTED:
            value = listed(value)
        if key in model.CITED:
            value = cited(value)
        if key in model.DATED and value is not None and not isinstance(value, PartialDate):
            value = parse_date(value)
    except ValueError as exc:
        found.append((loc, str(exc)))
        return _WRONG
    value = _value(tp, value, loc, found, partial)
    if value is not _WRONG:
        for name, rule in model.CHECKED:
            if model.__struct_encode_fields__[model.__struct_fields__.index(name)] == key:
                try:
                    CHECKS[rule](value)
                except ValueError as exc:
                    found.append((loc, str(exc)))
                    return _WRONG
    return value


def _value(tp: Any, value: Any, loc: Loc, found: list[tuple[Loc, str]], partial: bool) -> Any:
    """Return `value` read as type `tp`, or _WRONG after reporting where it is wrong:
    inside a list, the item; inside a record, its fields."""
    plain, optional = _unwrapped(tp)
    if value is None and optional:
        return None
    if isinstance(plain, type) and issubclass(plain, Record):
        record = by_field(plain, value, loc, found, partial)
        return _WRONG if record is None else record
    value = _lax(plain, value)
    if get_origin(plain) is list and isinstance(value, list):
        (item_type,) = get_args(plain)
        if _holds_records(item_type) or not _converts(value, tp):
            # item by item: each record's own rules and unknown keys, each mistake's place
            value = [_value(item_type, v, loc + (i,), found, partial) for i, v in enumerate(value)]
            if any(v is _WRONG for v in value):
                return _WRONG
    try:
        return msgspec.convert(value, tp, strict=False)
    except msgspec.ValidationError:
        found.append((loc, f"expected {expected(tp)}, got {show(value)}"))
        return _WRONG


def _holds_records(tp: Any) -> bool:
    plain, _ = _unwrapped(tp)
    return isinstance(plain, type) and issubclass(plain, Record)


def _converts(value: Any, tp: Any) -> bool:
    try:
        msgspec.convert(value, tp, strict=False)
    except msgspec.ValidationError:
        return False
    return True


def _unwrapped(tp: Any) -> tuple[Any, bool]:
    """Return a type without its constraints and None, and whether None is allowed:
    `Annotated[list[X], …] | None` gives (list[X], True)."""
    optional = False
    if get_origin(tp) in (Union, UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        optional = len(args) < len(get_args(tp))
        tp = args[0] if len(args) == 1 else tp
    if get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp, optional


def _lax(tp: Any, value: Any) -> Any:
    """Return `value` as a user means it where msgspec would refuse it: a number written
    for text is that text, yes/no and on/off are true and false."""
    if tp is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if tp is bool and isinstance(value, str) and value.lower() in _TRUTH:
        return _TRUTH[value.lower()]
    if get_origin(tp) is list and isinstance(value, list):
        (item_type,) = get_args(tp)
        plain, _ = _unwrapped(item_type)
        return [_lax(plain, v) for v in value]
    return value


_TRUTH = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False}


def _key(place: Loc) -> str:
    """Return a place in a file as messages name it: the line names the record, so a list
    file's record index would only be noise."""
    return key_path(place[1:] if place and isinstance(place[0], int) else place)


def _warn_unknown(record: Record, root: Any, loc: Loc, path: Path, problems: Problems) -> None:
    """Report each key no field names, anywhere inside `record`: an error where it may
    be a misspelt control (see `Record.strict`), a warning elsewhere; keys starting with
    `x-` are the user's own and pass."""
    for key in record.extra:
        if key in record.known_extra or key.startswith("x-"):
            continue
        line, place = line_at(root, loc + (key,)), _key(loc + (key,))
        near = did_you_mean(key, sorted(record.KEYS))
        near_control = did_you_mean(key, sorted(record.CONTROLS))
        if record.strict or near_control:
            problems.add(
                path,
                line,
                place,
                f"unknown key {key!r}{near_control or near}; briefgen does not guess at "
                "controls (keys of your own start with x-)",
            )
        else:
            problems.warn(path, line, place, f"unknown key {key!r}; it is ignored{near}")
    for name, key, _ in record.NESTED:
        value = getattr(record, name)
        if isinstance(value, Record):
            _warn_unknown(value, root, loc + (key,), path, problems)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Record):
                    _warn_unknown(item, root, loc + (key, i), path, problems)
