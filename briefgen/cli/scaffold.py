"""`briefgen new DIR`: a small workspace that builds at once, to start from."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..readers.derive import write_schemas

FILES = {
    ".gitignore": "out/\n.briefgen/\n",
    "briefgen.yaml": """\
# yaml-language-server: $schema=schemas/briefgen.schema.json
organisation: Your Desk, Your Organisation
citation-style: chicago-notes-bibliography   # any CSL style name; apa works too
default-audience: analyst
page-size: A4                                # or letter
markings:                                    # lowest first
  - {name: PUBLIC, portion: P}
  - {name: INTERNAL, portion: I}
# reference-doc: templates/house.docx        # your Word template: styles, page, letterhead
""",
    "audiences.yaml": """\
# yaml-language-server: $schema=schemas/audiences.schema.json
principal:
  label: Principals
  template: one-page
  notes: endnotes
  max-claims: 2
  max-marking: PUBLIC
  max-pages: 1
analyst:
  label: Analysts
  template: policy-memo
  notes: footnotes
  quotes: true
  confidence: true
  portion-marks: true
  source-count: true
  mark-new: true
  summary: true
""",
    "weekly.yaml": """\
# yaml-language-server: $schema=schemas/brief.schema.json
title: Weekly Update
subject: What changed this week
to: Head of Desk
audiences: [principal, analyst]
sections:
  - title: Bottom line
    text: One sentence a busy reader can act on.
    claims: [example-claim]
  - title: Details
    select: {topics: [example], limit: 5, sort: -date}
  - section: background
""",
    "store/sources.yaml": """\
# yaml-language-server: $schema=../schemas/sources.schema.json
# Sources, in CSL-JSON fields. `briefgen ingest FILE --id ID …` adds one with its text.
- id: example-source
  type: webpage
  title: An Example Page
  author: [{family: Example, given: Erin}]
  container-title: Example News
  issued: 2024-01-15
  text: texts/example-source.txt
  reliability: C
""",
    "store/texts/example-source.txt": """\
An Example Page

This is the captured text of the example source. Quotes in claims must occur in it.

A second paragraph says that the example figure rose by ten per cent last week.
""",
    "store/claims/example.yaml": """\
# yaml-language-server: $schema=../../schemas/claims.schema.json
- id: example-claim
  text: The example figure rose by 10% last week.
  sources:
    - source: example-source
      quote: "the example figure rose by ten per cent last week"
  topics: [example]
  confidence: moderate
- id: example-background
  text: The example source keeps a captured text for quote checks.
  sources:
    - source: example-source
      quote: "Quotes in claims must occur in it."
  topics: [example]
  confidence: high
""",
    "store/sections/background.yaml": """\
# yaml-language-server: $schema=../../schemas/sections.schema.json
- id: background
  title: Background
  text: |
    Reusable prose can place a claim, {{ claim("example-background") }} or only cite one.
""",
}


def new_workspace(folder: Path) -> list[Path]:
    """Create a workspace in `folder` (which must be empty or absent); return its files."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} exists and is not an empty folder")
    written = []
    for name, text in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    written += write_schemas(folder / "schemas")
    return written
