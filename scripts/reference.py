"""Write what derives from the schema classes: docs/reference.md, schemas/*.schema.json
and briefgen/readers/records.py."""

from pathlib import Path

from briefgen.readers.derive import records_source, reference_markdown, write_schemas

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    (ROOT / "docs" / "reference.md").write_text(reference_markdown(), encoding="utf-8")
    write_schemas(ROOT / "schemas")
    (ROOT / "briefgen" / "readers" / "records.py").write_text(records_source(), encoding="utf-8")
    print("wrote docs/reference.md, schemas/ and briefgen/readers/records.py")
