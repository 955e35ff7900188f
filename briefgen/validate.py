"""Turn located YAML data into schema records, reporting each mistake at its line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problems
from .schema import KINDS, Record, Source, nested_fields
from .yamlio import line_at

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


def validate(model: type[R], data: Any, path: Path, problems: Problems,
             root: Any = None, loc: Loc = ()) -> R | None:
    """Return `data` as a `model` record, or None after recording each problem.

    `root` is the whole located document `data` sits in, at `loc`, so that lines
    and keys can be reported from the top of the file.
    """
    root = data if root is None else root
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            where = loc + tuple(err["loc"])
            # the line names the record; a list file's record index would only be noise
            key = where[1:] if where and isinstance(where[0], int) else where
            problems.add(path, line_at(root, where), format_key(key), _message(err))
        return None
    _warn_unknown(record, root, loc, path, problems)
    return record


def format_key(loc: Loc) -> str:
    """Return a path like `sections[2].claims[0]` for a location tuple."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
        return (f"{_show(err.get('input'))} is not a valid id: use letters, digits and "
                "- _ . : (starting with a letter or digit)")
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


def _warn_unknown(record: BaseModel, root: Any, loc: Loc, path: Path,
                  problems: Problems) -> None:
    """Warn about each key the schema does not know, anywhere inside `record`."""
    known_extra: frozenset[str] = getattr(record, "known_extra", frozenset())
    for key in record.model_extra or {}:
        if key not in known_extra:
            problems.warn(path, line_at(root, loc + (key,)), format_key(loc + (key,)),
                          f"unknown key {key!r}; it is ignored{_suggest(key, record)}")
    for name, key in nested_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, BaseModel):
            _warn_unknown(value, root, loc + (key,), path, problems)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _warn_unknown(item, root, loc + (key, i), path, problems)


def _suggest(key: str, record: BaseModel) -> str:
    """Return ' (did you mean …?)' for a near miss among the record's keys."""
    import difflib

    names = [f.alias or n for n, f in type(record).model_fields.items()]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- JSON Schema for editors ---------------------------------------------------------

SCHEMA_FILES = {
    "briefgen": "briefgen.schema.json",
    "audiences": "audiences.schema.json",
    "sources": "sources.schema.json",
    "claims": "claims.schema.json",
    "sections": "sections.schema.json",
    "brief": "brief.schema.json",
}


def json_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of one kind of workspace file."""
    model = KINDS[kind]
    body = model.model_json_schema(by_alias=True, mode="validation")
    _close_objects(body)
    if model is Source:  # CSL variables beyond the declared ones are welcome
        body.setdefault("properties", {}).update({v: {} for v in sorted(Source.known_extra)})
    defs = body.pop("$defs", {})
    if kind in ("sources", "claims", "sections"):
        out = {"type": "array", "items": {"$ref": f"#/$defs/{model.__name__}"}}
        defs[model.__name__] = body
    elif kind == "audiences":
        out = {"type": "object", "additionalProperties": {"$ref": "#/$defs/Audience"}}
        defs["Audience"] = body
    else:
        out = body
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "title": f"briefgen {kind} file", **out}
    if defs:
        out["$defs"] = defs
    return out


def _close_objects(node: Any) -> None:
    """Set additionalProperties to false on every object, so editors flag typos."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
            if node.get("additionalProperties") is True:
                node["additionalProperties"] = False
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def write_schemas(folder: Path) -> list[Path]:
    """Write every kind's JSON Schema into `folder`; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in SCHEMA_FILES.items():
        target = folder / name
        target.write_text(json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        written.append(target)
    return written


# --- the key reference for the docs ----------------------------------------------------

KIND_TITLES = {
    "briefgen": "briefgen.yaml: workspace settings",
    "audiences": "audiences.yaml: one profile per audience id",
    "sources": "store/sources.yaml: a list of sources",
    "claims": "store/claims/*.yaml: lists of claims",
    "sections": "store/sections/*.yaml: lists of reusable sections",
    "brief": "<brief>.yaml: a brief",
}


def reference_markdown() -> str:
    """Return the Markdown reference of every key of every workspace file."""
    lines = ["# Workspace file reference", "",
             "Generated from the schema classes in `briefgen/schema.py` "
             "(`python scripts/reference.py`); the same text feeds the JSON Schemas in "
             "`schemas/`, so editors show it on hover.", ""]
    seen: set[str] = set()
    for kind, model in KINDS.items():
        lines += [f"## {KIND_TITLES[kind]}", "", (model.__doc__ or "").strip(), ""]
        lines += _model_table(model, seen)
    return "\n".join(lines).rstrip() + "\n"


def _model_table(model: type[Record], seen: set[str]) -> list[str]:
    """Return a table of a model's keys, then tables of the models nested in it."""
    schema = model.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    nested: list[str] = []
    for key, prop in schema["properties"].items():
        kind = _kind(prop, defs, nested)
        default = "required" if key in schema.get("required", []) else _default(prop)
        meaning = " ".join(prop.get("description", "").split())
        lines.append(f"| `{key}` | {kind} | {default} | {meaning} |")
    lines.append("")
    if model is Source:
        lines += ["Any other CSL-JSON variable (" + ", ".join(sorted(Source.known_extra)[:8])
                  + ", …) is passed to the citation processor as it is.", ""]
    for name in nested:
        if name in seen:
            continue
        seen.add(name)
        sub = _MODELS[name]
        lines += [f"### {name}", "", (sub.__doc__ or "").strip(), ""]
        lines += _model_table(sub, seen)
    return lines


def _kind(prop: dict[str, Any], defs: dict[str, Any], nested: list[str]) -> str:
    """Return a reader's name for the type of a JSON Schema property."""
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        nested.append(name)
        return name
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "anyOf" in prop:
        kinds = [_kind(p, defs, nested) for p in prop["anyOf"] if p.get("type") != "null"]
        if "date-parts" in json.dumps(prop):
            return "date"
        return " or ".join(dict.fromkeys(kinds)) or "any"
    kind = prop.get("type")
    if kind == "array":
        return "list of " + _kind(prop.get("items", {}), defs, nested)
    names = {"string": "text", "integer": "whole number", "boolean": "true/false",
             "object": "mapping", "number": "number"}
    return names.get(kind, "any") if isinstance(kind, str) else "any"


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop or prop["default"] is None:
        return "—"
    return f"`{json.dumps(prop['default'], ensure_ascii=False)}`"


def _models() -> dict[str, type[Record]]:
    from . import schema

    return {name: obj for name, obj in vars(schema).items()
            if isinstance(obj, type) and issubclass(obj, Record)}


_MODELS = _models()
