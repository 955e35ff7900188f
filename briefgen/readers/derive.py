"""Files derived from the schema classes: the JSON Schemas editors use, the key
reference of the docs, and the runtime record classes (`records`).

Each is committed, and a test holds it equal to what this module derives now:
`python scripts/reference.py` writes them all again after the schema changes.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from annotated_types import Ge, MaxLen, MinLen
from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from ..dates import PartialDate
from ..speed import structs
from .schema import KINDS, Record, Source

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
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"briefgen {kind} file",
        **out,
    }
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
        target.write_text(
            json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
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
    lines = [
        "# Workspace file reference",
        "",
        "Generated from the schema classes in `briefgen/readers/schema.py` "
        "(`python scripts/reference.py`); the same text feeds the JSON Schemas in "
        "`schemas/`, so editors show it on hover.",
        "",
    ]
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
        lines += [
            "Any other CSL-JSON variable ("
            + ", ".join(sorted(Source.known_extra)[:8])
            + ", …) is passed to the citation processor as it is.",
            "",
        ]
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
    names = {
        "string": "text",
        "integer": "whole number",
        "boolean": "true/false",
        "object": "mapping",
        "number": "number",
    }
    return names.get(kind, "any") if isinstance(kind, str) else "any"


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop or prop["default"] is None:
        return "—"
    return f"`{json.dumps(prop['default'], ensure_ascii=False)}`"


def _models() -> dict[str, type[Record]]:
    from . import schema

    return {
        name: obj
        for name, obj in vars(schema).items()
        if isinstance(obj, type) and issubclass(obj, Record)
    }


_MODELS = _models()


# --- the runtime record classes ---------------------------------------------------------

RECORDS_HEADER = '''"""The record classes briefgen reads workspace files into: msgspec Structs
with the fields of the pydantic classes in `schema`, which stay the definition (see
`structs`).

Generated by `python scripts/reference.py` (`derive.records_source`); do not edit.
"""

from typing import Annotated, Any, Literal

from msgspec import Meta, field

from ..dates import PartialDate
from ..speed.structs import Record
'''


def records_source() -> str:
    """Return the source of `briefgen/readers/records.py`, one Struct for each schema class."""
    parts = [RECORDS_HEADER]
    for name, model in _MODELS.items():
        if model is not Record:
            parts.append(_struct_source(name, model))
    kinds = ", ".join(f'"{kind}": {model.__name__}' for kind, model in KINDS.items())
    parts.append(f"\nKINDS: dict[str, type[Record]] = {{{kinds}}}\n")
    return "\n".join(parts)


def _struct_source(name: str, model: type[BaseModel]) -> str:
    fields = list(model.model_fields.items())
    doc = (model.__doc__ or "").strip()
    lines = ["", f"class {name}(Record, kw_only=True):", f'    """{doc}"""', ""]
    rules: dict[str, list[str]] = {"LISTED": [], "CITED": [], "DATED": [], "CHECKED": []}
    nested = []
    for field_name, info in fields:
        key = info.alias or field_name
        annotation = _annotation(info.annotation, _constraints(info.metadata))
        for item in info.metadata:
            if isinstance(item, BeforeValidator):
                assert item.func in (structs.listed, structs.cited), item.func
                rules["LISTED" if item.func is structs.listed else "CITED"].append(repr(key))
            elif isinstance(item, AfterValidator):
                assert item.func is structs.RULES[item.func.__name__], item.func
                rules["CHECKED"].append(f"({field_name!r}, {item.func.__name__!r})")
        if "PartialDate" in annotation:
            rules["DATED"].append(repr(key))
        held = _held_model(info.annotation)
        if held is not None:
            nested.append(f"({field_name!r}, {key!r}, {held.__name__})")
        lines.append(f"    {field_name}: {annotation}{_default_source(info, key != field_name)}")
    keys = sorted(info.alias or n for n, info in fields)
    listed = ", ".join(map(repr, keys))
    lines += ["", f"    KEYS = frozenset({{{listed}}})"]  # typed in structs.Record
    for rule, items in rules.items():
        if items:
            lines.append(f"    {rule} = {_tuple(items)}")
    if nested:
        lines.append(f"    NESTED = {_tuple(nested)}")
    if model.known_extra:  # type: ignore[attr-defined]
        names = sorted(model.known_extra)  # type: ignore[attr-defined]
        body = "".join(f"        {n!r},\n" for n in names)
        lines.append(f"    known_extra = frozenset({{\n{body}    }})")
    return "\n".join(lines) + "\n"


def _tuple(items: Any) -> str:
    items = list(items)
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    """Return msgspec Meta arguments for the constraints among pydantic metadata."""
    out: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, MinLen):
            out["min_length"] = item.min_length
        elif isinstance(item, MaxLen):
            out["max_length"] = item.max_length
        elif isinstance(item, Ge):
            out["ge"] = item.ge
        elif isinstance(item, FieldInfo):
            out.update(_constraints(item.metadata))
        elif getattr(item, "pattern", None) is not None:
            # pydantic's (Rust) `$` ends the text; Python's also matches before a last \n
            pattern = item.pattern
            out["pattern"] = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
    return out


def _annotation(annotation: Any, constraints: dict[str, Any]) -> str:
    """Return the msgspec annotation, as source, of a pydantic one."""
    text = _type(annotation)
    if constraints:
        meta = ", ".join(f"{k}={v!r}" for k, v in constraints.items())
        return f"Annotated[{text}, Meta({meta})]"
    return text


def _type(annotation: Any) -> str:
    origin = get_origin(annotation)
    if annotation is type(None):
        return "None"
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        if base is PartialDate:  # read by structs.dec_hook, as parse_date reads it
            return "PartialDate"
        return _annotation(base, _constraints(metadata))
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type(arg) for arg in get_args(annotation))
    if origin is Literal:
        return f"Literal[{', '.join(repr(a) for a in get_args(annotation))}]"
    if origin is list:
        return f"list[{_type(get_args(annotation)[0])}]"
    if annotation is Any:
        return "Any"
    if annotation in (str, int, bool):
        return annotation.__name__
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    raise TypeError(f"no msgspec annotation for {annotation!r}")


def _held_model(annotation: Any) -> type[BaseModel] | None:
    """Return the schema class a field's values can be records of, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        held = _held_model(arg)
        if held is not None:
            return held
    return None


def _default_source(info: FieldInfo, renamed: bool) -> str:
    """Return ` = <default>` for a field, or "" for a required one."""
    args = [f"name={info.alias!r}"] if renamed else []
    if info.default_factory is list:
        args.append("default_factory=list")
    elif info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        args.append(f"default_factory=lambda: {_value(value)}")
    elif not info.is_required():
        if not args:
            return f" = {info.default!r}"
        args.append(f"default={info.default!r}")
    elif not args:
        return ""
    return f" = field({', '.join(args)})"


def _value(value: Any) -> str:
    """Return a default value as source, records made with the record classes."""
    if isinstance(value, BaseModel):
        names = type(value).model_fields
        inside = ", ".join(f"{n}={_value(getattr(value, n))}" for n in names)
        return f"{type(value).__name__}({inside})"
    if isinstance(value, list):
        return f"[{', '.join(_value(v) for v in value)}]"
    return repr(value)
