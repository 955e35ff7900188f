"""Files derived from the record classes: the JSON Schemas editors use and the key
reference of the docs, both with the docstring written under each field.

Each is committed, and a test holds it equal to what this module derives now:
`python scripts/reference.py` writes them all again after a record class changes.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from pathlib import Path
from typing import Any

import msgspec

from . import records
from .fields import ID_PATTERN, Record
from .records import KINDS, Source

DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"},
        {"type": "integer"},
        {
            "type": "object",
            "properties": {
                "date-parts": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 2,
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 3,
                        "items": {"type": "integer"},
                    },
                },
                "circa": {"type": "boolean"},
            },
            "additionalProperties": False,
        },
    ],
    "description": "YYYY, YYYY-MM or YYYY-MM-DD, or a CSL date {date-parts: [[2023, 3]], "
    "circa: true}, or a range {date-parts: [[2023, 3], [2023, 5]]}",
}

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
    defs = _components()
    body = defs.pop(model.__name__)
    if kind in ("sources", "claims", "sections"):
        out: dict[str, Any] = {"type": "array", "items": {"$ref": f"#/$defs/{model.__name__}"}}
        defs[model.__name__] = body
    elif kind == "audiences":
        out = {"type": "object", "additionalProperties": {"$ref": "#/$defs/Audience"}}
        defs["Audience"] = body
    else:
        out = body
    used = _referenced(out, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"briefgen {kind} file",
        **out,
        **({"$defs": {name: defs[name] for name in sorted(used)}} if used else {}),
    }


def _components() -> dict[str, Any]:
    """Return the schema of every record class by name, each key with its docstring."""
    classes = [c for c in vars(records).values() if isinstance(c, type) and issubclass(c, Record)]
    classes = [c for c in classes if c is not Record]
    _, defs = msgspec.json.schema_components(classes, ref_template="#/$defs/{name}")
    # a date is read from text or CSL's date-parts (dates.parse_date), not from its fields
    del defs["PartialDate"]
    defs = json.loads(json.dumps(defs).replace('"#/$defs/PartialDate"', '"#/$defs/Date"'))
    defs["Date"] = DATE_SCHEMA
    for cls in classes:
        body = defs[cls.__name__]
        body.pop("title", None)
        body["additionalProperties"] = False  # so editors flag misspelt keys
        docs = _attribute_docstrings(cls)
        for info in msgspec.structs.fields(cls):
            prop = body["properties"][info.encode_name]
            if info.encode_name in cls.LISTED:  # a lone value stands for a list
                lone = prop.get("items", {})
                prop = body["properties"][info.encode_name] = {
                    "anyOf": [{k: v for k, v in prop.items() if k != "default"}, lone],
                    **({"default": prop["default"]} if "default" in prop else {}),
                }
            if info.encode_name in cls.CITED:  # a source may be given by its id alone
                prop["items"] = {"anyOf": [prop["items"], _id_schema()]}
            if info.name in docs:
                prop["description"] = docs[info.name]
        if cls is Source:  # CSL variables beyond the declared ones are welcome
            body["properties"].update({v: {} for v in sorted(Source.known_extra)})
    return _ecma(defs)


def _id_schema() -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "pattern": ID_PATTERN}


def _ecma(node: Any) -> Any:
    """Return a schema with its patterns as JSON Schema's regular expressions read them:
    Python's `\\Z` (the very end) is `$` there."""
    if isinstance(node, dict):
        return {
            k: (v[:-2] + "$" if k == "pattern" and v.endswith("\\Z") else _ecma(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_ecma(v) for v in node]
    return node


def _referenced(node: Any, defs: dict[str, Any], seen: set[str] | None = None) -> set[str]:
    """Return the names of the definitions `node` refers to, directly or not."""
    seen = set() if seen is None else seen
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and ref[8:] not in seen:
            seen.add(ref[8:])
            _referenced(defs[ref[8:]], defs, seen)
        for value in node.values():
            _referenced(value, defs, seen)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, defs, seen)
    return seen


def _attribute_docstrings(klass: type) -> dict[str, str]:
    """Return the string written under each annotated attribute of a class's body."""
    body = ast.parse(textwrap.dedent(inspect.getsource(klass))).body[0]
    assert isinstance(body, ast.ClassDef)
    docs = {}
    for node, after in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


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
        "Generated from the record classes in `briefgen/readers/records.py` "
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
    defs = _components()
    schema = defs[model.__name__]
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
        sub = getattr(records, name)
        lines += [f"### {name}", "", (sub.__doc__ or "").strip(), ""]
        lines += _model_table(sub, seen)
    return lines


def _kind(prop: dict[str, Any], defs: dict[str, Any], nested: list[str]) -> str:
    """Return a reader's name for the type of a JSON Schema property."""
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        if name == "Date":
            return "date"
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
