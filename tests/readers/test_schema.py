"""The published JSON Schemas are current, and accept what briefgen accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from briefgen.readers.derive import SCHEMA_FILES, json_schema

from ..conftest import REPO, WORKSPACES

SCHEMAS = REPO / "schemas"


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_committed_schema_is_current(kind: str) -> None:
    committed = json.loads((SCHEMAS / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    assert committed == json_schema(kind), "run: briefgen schema --out schemas"


def _files(root: Path) -> list[tuple[str, Path]]:
    out = [
        ("briefgen", root / "briefgen.yaml"),
        ("audiences", root / "audiences.yaml"),
        ("sources", root / "store" / "sources.yaml"),
    ]
    out += [("claims", p) for p in sorted((root / "store" / "claims").glob("*.yaml"))]
    out += [("sections", p) for p in sorted((root / "store" / "sections").glob("*.yaml"))]
    out += [
        ("brief", p)
        for p in sorted(root.glob("*.yaml"))
        if p.name not in ("briefgen.yaml", "audiences.yaml")
    ]
    return out


@pytest.mark.parametrize("root", [WORKSPACES / "good", REPO / "briefs"], ids=["good", "example"])
def test_workspace_files_validate_against_the_schemas(root: Path) -> None:
    if not root.exists():
        pytest.fail(f"{root} is missing")
    for kind, path in _files(root):
        data = _typed(yaml.safe_load(path.read_text(encoding="utf-8")))
        jsonschema.validate(data, json_schema(kind))


def _typed(value):
    """Return YAML data as JSON would hold it: dates as text, like briefgen reads them."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_schema_rejects_an_unknown_key() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "x", "subjet": "y"}, json_schema("brief"))


def test_reference_doc_is_current() -> None:
    from briefgen.readers.derive import reference_markdown

    committed = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "run: python scripts/reference.py"
