"""`briefgen import`: sources from CSL-JSON and BibTeX files, as reference managers export them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import BriefgenError, Problems
from ..readers.fields import ID_PATTERN
from ..readers.records import Source
from ..readers.validate import validate
from ..readers.workspace import load
from .names import parse_author
from .records import append_sources, refuse_duplicates


def import_file(root: Path, file: Path) -> tuple[Path, list[str]]:
    """Add every entry of a CSL-JSON or BibTeX file as a source; return the ids added."""
    ws = load(root)
    suffix = file.suffix.lower()
    if suffix == ".json":
        records = _csl_json(file)
    elif suffix == ".bib":
        records = _bibtex(file)
    else:
        raise BriefgenError(f"{file}: expected a .json (CSL-JSON) or .bib (BibTeX) file")
    problems = Problems()
    text = file.read_text(encoding="utf-8", errors="replace") if suffix == ".json" else ""
    for i, record in enumerate(records):
        found = Problems()
        validate(Source, record, file, found)
        written = record.get("x-zotero-uri", record.get("id"))
        line = _line_of_item(text, written) if text else 0
        for p in found.items:  # each names the item by its place and id, at its line
            where = f"[{i}] {record.get('id')!r}" + (f".{p.key}" if p.key else "")
            problems.add(file, line or p.line, where, p.message, p.severity)
    problems.raise_if_errors()
    ids = [r["id"] for r in records]
    refuse_duplicates(ws, ids)
    return append_sources(ws, records), ids


def _csl_json(file: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefgenError(f"cannot read {file}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BriefgenError(f"{file}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise BriefgenError(f"{file}: expected a CSL-JSON list of items")
    problems = Problems()
    for i, item in enumerate(data):
        if not isinstance(item.get("id"), (str, int)):
            problems.add(file, 0, f"[{i}].id", "every item needs an id")
    problems.raise_if_errors()
    records = [_from_csl(item) for item in data]
    seen: dict[str, int] = {}
    for record in records:  # two items made the same readable id: the second gets -2
        if "x-zotero-uri" in record:
            base = record["id"]
            seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                record["id"] = f"{base}-{seen[base]}"
    return records


def _line_of_item(text: str, ident: Any) -> int:
    """Return the line of the JSON text where the item with `ident` as its id is."""
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(ident)), text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


_ID = re.compile(ID_PATTERN)  # the id rule of the records


def readable_id(item: dict[str, Any]) -> str:
    """Return an id for a CSL-JSON item whose own is a Zotero item URI or otherwise not an
    id: its citation key where the export has one, else family name, year and the first
    word of the title ("svetlova-2024-hidden")."""
    key = item.get("citation-key") or item.get("citation-label")
    if isinstance(key, str) and _ID.match(key):
        return key
    names = item.get("author") or item.get("editor") or []
    first = names[0] if names and isinstance(names[0], dict) else {}
    who = str(first.get("family") or first.get("literal") or "source")
    year = ""
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or [[]]
        year = str(parts[0][0]) if parts and parts[0] else str(issued.get("raw", ""))[:4]
    title = next(iter(re.findall(r"\w+", str(item.get("title", "")))), "")
    words = [_slug(w) for w in (who.split()[-1:] or ["source"]) + [year, title] if w]
    return "-".join(w for w in words if w) or "source"


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _from_csl(item: dict[str, Any]) -> dict[str, Any]:
    """Return a CSL-JSON item as a store record: dates simplified where they can be, and
    a Zotero item URI for an id made a readable id (the URI kept as x-zotero-uri)."""
    out = {k: v for k, v in item.items() if v not in (None, "", [])}
    out["id"] = str(out["id"])
    if not _ID.match(out["id"]):
        out = {
            "id": readable_id(item),
            "x-zotero-uri": out["id"],
            **{k: v for k, v in out.items() if k != "id"},
        }
    for key in ("issued", "accessed"):
        value = out.get(key)
        if not (isinstance(value, dict) and set(value) == {"date-parts"}):
            continue
        parts = value["date-parts"]
        # a lone date reads more plainly as text; a range (two parts) stays date-parts
        if (
            isinstance(parts, list)
            and len(parts) == 1
            and isinstance(parts[0], list)
            and 1 <= len(parts[0]) <= 3
            and all(type(p) is int or (isinstance(p, str) and p.isdigit()) for p in parts[0])
        ):  # Zotero writes the parts as text: "2024", 6
            nums = [int(p) for p in parts[0]]
            out[key] = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(nums))
    return out


BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "misc": "document",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "unpublished": "manuscript",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}


def _bibtex(file: Path) -> list[dict[str, Any]]:
    import bibtexparser

    try:
        library = bibtexparser.parse_string(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefgenError(f"cannot read {file}: {exc}") from None
    problems = Problems()
    for block in library.failed_blocks:
        line = getattr(block, "start_line", -1) + 1
        key = getattr(block, "key", "")
        if type(block).__name__ == "DuplicateBlockKeyBlock":
            problems.add(file, line, key, f"entry key {key!r} appears more than once")
        else:
            why = getattr(block, "error", None) or "cannot parse it"
            problems.add(file, line, key, f"malformed BibTeX entry: {why}")
    keys = [e.key for e in library.entries]
    for key in {k for k in keys if keys.count(k) > 1}:
        problems.add(file, 0, key, f"entry key {key!r} appears more than once")
    problems.raise_if_errors()
    return [_from_bibtex(e) for e in library.entries]


def _from_bibtex(entry: Any) -> dict[str, Any]:
    raw = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
    fields = {k: _untex(v) for k, v in raw.items()}
    out: dict[str, Any] = {
        "id": entry.key,
        "type": BIBTEX_TYPES.get(entry.entry_type.lower(), "document"),
    }
    for bib, csl in (
        ("title", "title"),
        ("journal", "container-title"),
        ("booktitle", "container-title"),
        ("publisher", "publisher"),
        ("institution", "publisher"),
        ("address", "publisher-place"),
        ("volume", "volume"),
        ("number", "issue"),
        ("pages", "page"),
        ("doi", "DOI"),
        ("url", "URL"),
        ("edition", "edition"),
    ):
        if fields.get(bib):
            out.setdefault(csl, fields[bib].replace("--", "–") if bib == "pages" else fields[bib])
    for role in ("author", "editor"):
        if raw.get(role):
            out[role] = [_bib_name(n) for n in re.split(r"\s+and\s+", raw[role].strip())]
    if fields.get("year"):
        date = fields["year"]
        month = MONTHS.get(fields.get("month", "")[:3].lower()) or (
            int(fields["month"]) if fields.get("month", "").isdigit() else None
        )
        out["issued"] = f"{date}-{month:02d}" if month else date
    if fields.get("urldate"):
        out["accessed"] = fields["urldate"]
    return out


def _bib_name(text: str) -> dict[str, str]:
    """Return a BibTeX name as CSL: "{World Bank}" stays whole, as an organisation."""
    text = text.strip()
    if text.startswith("{") and text.endswith("}") and text.count("{") == 1:
        return {"literal": text[1:-1].strip()}
    return parse_author(_untex(text))


def _untex(text: str) -> str:
    """Return BibTeX field text without braces, as plain text."""
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()
