"""Write what derives from the record classes: docs/reference.md and schemas/*.schema.json."""

from pathlib import Path

from briefgen.readers.derive import reference_markdown, write_schemas

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    (ROOT / "docs" / "reference.md").write_text(reference_markdown(), encoding="utf-8")
    write_schemas(ROOT / "schemas")
    print("wrote docs/reference.md and schemas/")
