"""Turn located YAML data into records, reporting each mistake at its line.

A record is read by msgspec into its class of `records`, after the field rules of the
schema that msgspec cannot express (a lone value for a list, source ids for citations,
dates). msgspec stops at the first mistake and words it its own way, and it is stricter
than the schema in places (it takes no "5" for 5); so when it refuses a record, the
schema's pydantic class decides, and words every mistake (pydantic is imported then).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from ..dates import PartialDate, parse_date
from ..errors import Problems, did_you_mean, key_path
from ..speed.structs import RULES, Record, cited, listed
from .yamlio import line_at

if TYPE_CHECKING:
    from pydantic import BaseModel

R = TypeVar("R", bound=Record)
Loc = tuple[str | int, ...]

_MESSAGES = {
    "missing": "required key is missing",
    "string_type": "expected text",
    "list_type": "expected a list",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "dict_type": "expected a mapping of keys to values",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
}


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
        record = _read_by_schema(model, data, path, problems, root, loc)
        if record is None:
            return None
    _warn_unknown(record, root, loc, path, problems)
    return record


def read(model: type[R], data: Any) -> R | None:
    """Return `data` as a `model` record read by msgspec, or None if msgspec refuses it."""
    if not isinstance(data, dict):
        return None
    try:
        prepared = _prepared(model, data)
        record = msgspec.convert(prepared, model)
        _finish(record, prepared)
    except (msgspec.ValidationError, ValueError, TypeError):  # a rule refused a value
        return None
    return record


def _prepared(model: type[Record], data: dict[str, Any]) -> dict[str, Any]:
    """Return `data` with the schema's field rules applied (a copy, if any applies)."""
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
        RULES[rule](getattr(record, name))
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


def _read_by_schema(
    model: type[R], data: Any, path: Path, problems: Problems, root: Any, loc: Loc
) -> R | None:
    """Return `data` as read by the schema's pydantic class, or None after recording
    each mistake it finds."""
    from pydantic import ValidationError

    from . import schema

    try:
        checked = getattr(schema, model.__name__).model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            where = loc + tuple(err["loc"])
            # the line names the record; a list file's record index would only be noise
            key = where[1:] if where and isinstance(where[0], int) else where
            problems.add(path, line_at(root, where), key_path(key), _message(err))
        return None
    return from_schema(model, checked)


def keep_valid_keys(model: type[R], data: dict[str, Any]) -> R | None:
    """Return `data` read without the keys the schema refuses, if the rest is a record:
    one bad setting should not bury the others."""
    from pydantic import ValidationError

    from . import schema

    checker = getattr(schema, model.__name__)
    try:
        return from_schema(model, checker.model_validate(data))
    except ValidationError as exc:
        bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
    try:
        return from_schema(
            model, checker.model_validate({k: v for k, v in data.items() if k not in bad})
        )
    except ValidationError:
        return None


def from_schema(model: type[R], checked: BaseModel) -> R:
    """Return a record of `model` holding what a pydantic schema record holds."""
    from pydantic import BaseModel

    from . import records

    def value(item: Any) -> Any:
        if isinstance(item, list):
            return [value(v) for v in item]
        if isinstance(item, BaseModel):
            return from_schema(getattr(records, type(item).__name__), item)
        return item

    record = model(**{name: value(getattr(checked, name)) for name in model.__struct_fields__})
    if checked.model_extra:
        record.__dict__["extra"] = dict(checked.model_extra)
    return record


def _message(err: Any) -> str:
    """Return a reader's message for one pydantic error, with what was found."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}, got {_show(err.get('input'))}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")).startswith("^#"):
            return f"expected a colour as #RRGGBB, got {_show(err.get('input'))}"
        return (
            f"{_show(err.get('input'))} is not a valid id: use letters, digits and "
            "- _ . : (starting with a letter or digit)"
        )
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, got {_show(err.get('input'))}"
    if kind == "too_short" and "min_length" in ctx:
        return f"needs at least {ctx['min_length']} item(s)"
    base = _MESSAGES.get(kind, err["msg"][0].lower() + err["msg"][1:])
    if kind != "missing" and "input" in err:
        base += f", got {_show(err['input'])}"
    return base


def _show(value: Any) -> str:
    """Return a short description of a value found in the YAML."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…'"


def _warn_unknown(record: Record, root: Any, loc: Loc, path: Path, problems: Problems) -> None:
    """Warn about each key the schema does not know, anywhere inside `record`."""
    for key in record.extra:
        if key not in record.known_extra:
            problems.warn(
                path,
                line_at(root, loc + (key,)),
                key_path(loc + (key,)),
                f"unknown key {key!r}; it is ignored{_suggest(key, record)}",
            )
    for name, key, _ in record.NESTED:
        value = getattr(record, name)
        if isinstance(value, Record):
            _warn_unknown(value, root, loc + (key,), path, problems)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Record):
                    _warn_unknown(item, root, loc + (key, i), path, problems)


def _suggest(key: str, record: Record) -> str:
    """Return ' (did you mean …?)' for a near miss among the record's keys."""
    return did_you_mean(key, sorted(record.KEYS))
