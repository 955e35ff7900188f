"""`briefgen import`: sources from CSL-JSON and BibTeX files, as reference managers export them.

BibTeX and BibLaTeX are read by pandoc's BibLaTeX reader, which knows TeX: every item then
takes the CSL-JSON path.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import BriefgenError, Problems, WorkspaceError
from ..readers.fields import ID_PATTERN, dump
from ..readers.records import Source
from ..readers.validate import validate
from ..readers.workspace import Workspace, load
from ..words import noun, plural
from .records import write_sources

Existing = Literal["refuse", "update", "skip"]


@dataclass
class Imported:
    """What an import did to store/sources.yaml: the ids added, updated and left as they were."""

    path: Path
    added: list[str]
    updated: list[str]
    unchanged: list[str]


def import_file(root: Path, file: Path, existing: Existing = "refuse") -> Imported:
    """Add every entry of a CSL-JSON or BibTeX file as a source. A source whose id exists
    already is refused (`refuse`: nothing is written), takes the fields the entry holds,
    keeping the others (`update`), or is left as it is (`skip`)."""
    ws = load(root)
    records = _read(file)
    _same_items(ws, records, file)
    ids = [r["id"] for r in records]
    problems = Problems()
    for ident, count in Counter(ids).items():
        if count > 1:
            problems.add(file, 0, "id", f"source {ident!r} appears {count} times in the import")
    problems.raise_if_errors()
    there = [i for i in ids if ("source", i) in ws.where]
    if there and existing == "refuse":
        _refuse_existing(ws, file, there)
    new = [r for r in records if r["id"] not in there]
    changes = {}
    if existing == "update":
        for record in records:
            if record["id"] in there:
                changed = _changed_fields(ws.sources.get(record["id"]), record, file)
                if changed:
                    changes[record["id"]] = changed
    path = write_sources(ws, changes, new)
    added = [r["id"] for r in new]
    return Imported(path, added, list(changes), [i for i in there if i not in changes])


def _read(file: Path) -> list[dict[str, Any]]:
    """Return the entries of a CSL-JSON or BibTeX file as valid store records."""
    suffix = file.suffix.lower()
    if suffix == ".json":
        items, lines = _csl_json(file)
        kept_as = "x-zotero-uri"  # an item URI for an id is kept under this name
    elif suffix == ".bib":
        items, lines = _bibtex(file)
        kept_as = "citation-key"
    else:
        raise BriefgenError(f"{file}: expected a .json (CSL-JSON) or .bib (BibTeX) file")
    records = _records(items, kept_as)
    problems = Problems()
    for i, (record, line) in enumerate(zip(records, lines, strict=True)):
        found = Problems()
        validate(Source, record, file, found)
        if suffix == ".bib":
            _tex_left(record, file, found)
        for p in found.items:  # each names the item by its place and id, at its line
            where = f"[{i}] {record.get('id')!r}" + (f".{p.key}" if p.key else "")
            problems.add(file, line or p.line, where, p.message, p.severity)
    problems.raise_if_errors()
    return records


def _same_items(ws: Workspace, records: list[dict[str, Any]], file: Path) -> None:
    """Give an item the id of the source made from it before (the same `x-zotero-uri`),
    though its readable id may differ now (a title edited in Zotero); refuse an item whose
    readable id is that of a source made from another item."""
    made = {
        str(s.extra["x-zotero-uri"]): ident
        for ident, s in ws.sources.items()
        if "x-zotero-uri" in s.extra
    }
    problems = Problems()
    for record in records:
        uri = record.get("x-zotero-uri")
        if uri is None:
            continue
        if uri in made:
            record["id"] = made[uri]
            continue
        stored = ws.sources.get(record["id"])
        other = stored.extra.get("x-zotero-uri") if stored else None
        if other is not None:
            where = ws.where[("source", record["id"])]
            problems.add(
                where.path,
                where.line_of("id"),
                "id",
                f"source {record['id']!r} was made from the item {other}; the item {uri} "
                f"of {file} would take its id: give one of them a citation key",
            )
    problems.raise_if_errors()


def _refuse_existing(ws: Workspace, file: Path, there: list[str]) -> None:
    problems = Problems()
    for ident in there:
        where = ws.where[("source", ident)]
        problems.add(
            where.path,
            where.line_of("id"),
            "id",
            f"source {ident!r} exists already; nothing was added",
        )
    n = len(there)
    problems.warn(
        file,
        0,
        "",
        f"{plural(n, 'source')} of this file {noun(n, 'exists', 'exist')} already: import "
        f"again with --update to update {noun(n, 'it', 'them')}, or with "
        "--skip-existing to add only the new ones",
    )
    raise WorkspaceError(problems)


def _changed_fields(source: Source | None, record: dict[str, Any], file: Path) -> dict[str, Any]:
    """Return the fields of `record` whose value differs from the stored `source`'s
    (None: a record the store could not read), compared as the store reads them
    (2024-06 is {date-parts: [[2024, 6]]})."""
    imported = validate(Source, record, file, Problems())
    if source is None or imported is None:
        return dict(record)
    old, new = dump(source, exclude_none=True), dump(imported, exclude_none=True)
    return {k: v for k, v in record.items() if new.get(k) != old.get(k)}


def _csl_json(file: Path) -> tuple[list[dict[str, Any]], list[int]]:
    """Return the items of a CSL-JSON file, with the line of each."""
    try:
        text = file.read_text(encoding="utf-8")
        data = json.loads(text)
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
    return data, [_line_of_item(text, item["id"]) for item in data]


def _records(items: list[dict[str, Any]], kept_as: str) -> list[dict[str, Any]]:
    """Return CSL-JSON items as store records, ids that are not ids made readable."""
    records = [_from_csl(item, kept_as) for item in items]
    seen: dict[str, int] = {}
    for record in records:  # two items made the same readable id: the second gets -2
        if kept_as in record:
            base = record["id"]
            seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                record["id"] = f"{base}-{seen[base]}"
    return records


def _line_of_item(text: str, ident: Any) -> int:
    """Return the line of the JSON text where the item with `ident` as its id is."""
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(ident)), text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


_TEX = re.compile(r"\\[A-Za-z]+")


def _tex_left(value: Any, file: Path, problems: Problems, key: str = "") -> None:
    """Report TeX commands pandoc left as written, not knowing them: `Au\\ssenpolitik` is
    the command \\ssenpolitik to TeX, where `Au{\\ss}enpolitik` is the word."""
    if isinstance(value, dict):
        for k, v in value.items():
            _tex_left(v, file, problems, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _tex_left(v, file, problems, f"{key}[{i}]")
    elif isinstance(value, str) and key != "URL" and (command := _TEX.search(value)):
        problems.add(
            file,
            0,
            key,
            f"TeX command {command.group(0)} is not one pandoc reads: write the character "
            "itself, or brace the command (Au{\\ss}enpolitik)",
        )


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
    words = [_slug(w) for w in (who, year, title) if w]  # "van-der-berg-2024-shadow"
    return "-".join(w for w in words if w) or "source"


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# CSL-JSON's rich text, which Zotero writes in titles (the CSL-JSON schema's whole list)
_RICH = re.compile(
    r'<span class="nocase">(.*?)</span>|</?(?:i|b|sup|sub)>'
    r'|<span style="font-variant:\s*small-caps;?">|</span>'
)
_TITLES = ("title", "title-short", "container-title", "collection-title")


def _plain_titles(item: dict[str, Any]) -> None:
    """Make an item's titles plain text, as the store holds them, keeping as `keep-case`
    the words whose capitals the export protects: Zotero's `<span class="nocase">` and,
    from a .bib, the braced words pandoc's reader found (plain.lua)."""
    found = str(item.pop("keep-case", "")).split("\x1f")
    for key in _TITLES:
        if isinstance(item.get(key), str):
            found += [m.group(1) for m in _RICH.finditer(item[key]) if m.group(1)]
            item[key] = _RICH.sub(lambda m: m.group(1) or "", item[key])
    words = dict.fromkeys(
        w for phrase in found for w in re.findall(r"\w[\w'’.-]*\w|\w", phrase) if len(w) > 1
    )
    if words:
        item["keep-case"] = list(words)


def _from_csl(item: dict[str, Any], kept_as: str) -> dict[str, Any]:
    """Return a CSL-JSON item as a store record: dates simplified where they can be, and
    an id that is not an id (a Zotero item URI) made a readable id, kept as `kept_as`."""
    out = {k: v for k, v in item.items() if v not in (None, "", [])}
    out["id"] = str(out["id"])
    _plain_titles(out)
    if not _ID.match(out["id"]):
        out = {
            "id": readable_id(item),
            kept_as: out["id"],
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


PLAIN = Path(__file__).with_name("plain.lua")
# pandoc's BibLaTeX reader also takes BibTeX's own fields (year, month, journal, address),
# as Better BibTeX writes them; its BibTeX mode reads no more of them
BIBLATEX = ("--from", "biblatex", "--to", "csljson", "--lua-filter", str(PLAIN))
_ENTRY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^\s,{}()=\"#%'~]+)\s*,")
_NOT_ENTRIES = {"string", "comment", "preamble"}
_PANDOC_ERROR = re.compile(r"\(line (\d+), column (\d+)\):\n(.*)", re.DOTALL)


def _bibtex(file: Path) -> tuple[list[dict[str, Any]], list[int]]:
    """Return the entries of a BibTeX or BibLaTeX file as CSL-JSON items, read by pandoc,
    with the line of each: TeX accents and commands decoded, names split, `langid` as a
    language tag, `date` and `urldate` as dates, types and fields as CSL names them."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefgenError(f"cannot read {file} as UTF-8 text: {exc}") from None
    entries = [
        (m.group(2), m.start())
        for m in _ENTRY.finditer(text)
        if m.group(1).lower() not in _NOT_ENTRIES
    ]
    problems = Problems()
    first: dict[str, int] = {}
    for key, at in entries:  # pandoc keeps both; a store cannot
        line = _line_column(text, at)[0]
        if key in first:
            problems.add(
                file,
                line,
                key,
                f"entry key {key!r} appears more than once (first at line {first[key]})",
            )
        first.setdefault(key, line)
    problems.raise_if_errors()
    places = [(key, _line_column(text, at)) for key, at in entries]
    text = _language_as_langid(text, [at for _, at in entries])  # lines and columns kept
    items = [_in_store_order(item) for item in _pandoc(file, text, places)]
    for item in items:  # pandoc gives @misc no CSL type
        item["type"] = item.get("type") or "document"
        title, short = str(item.get("title", "")), item.get("title-short")
        if short == title.split(":")[0].strip():  # derived by pandoc, as csl.py derives it
            del item["title-short"]
    return items, [first.get(str(item.get("id")), 0) for item in items]


_LANGUAGE = re.compile(r"[,\s]language\s*=\s*[{\"]\s*([A-Za-z-]+)\s*[}\"]", re.IGNORECASE)
_LANGID = re.compile(r"[,\s]langid\s*=", re.IGNORECASE)


def _language_as_langid(text: str, starts: list[int]) -> str:
    """Return `text` with an entry's `language` given to pandoc as its `langid` where it
    has none: pandoc reads only `langid`, and takes an entry without one for English,
    whose titles it puts into sentence case ("Die zukunft"). BibTeX exports (Zotero's)
    write `language`. The field is put on the entry's first line, so lines stay."""
    pieces, done = [], 0
    for start, stop in zip(starts, [*starts[1:], len(text)], strict=True):
        entry = text[start:stop]
        found = _LANGUAGE.search(entry)
        head = _ENTRY.match(entry)
        if found and head and not _LANGID.search(entry):
            pieces += [text[done : start + head.end()], f" langid = {{{found.group(1)}}},"]
            done = start + head.end()
    return "".join([*pieces, text[done:]])


def _in_store_order(item: dict[str, Any]) -> dict[str, Any]:
    """Return an item's fields in the order `Source` declares them (id, type, title, …),
    other fields after: pandoc writes them in alphabetical order."""
    import msgspec

    order = {f.encode_name: i for i, f in enumerate(msgspec.structs.fields(Source))}
    return dict(sorted(item.items(), key=lambda kv: order.get(kv[0], len(order))))


def _line_column(text: str, at: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, at) + 1
    return text.count("\n", 0, at) + 1, at - line_start + 1


def _pandoc(
    file: Path, text: str, entries: list[tuple[str, tuple[int, int]]]
) -> list[dict[str, Any]]:
    """Return what pandoc's BibLaTeX reader makes of `text`; its syntax errors as
    problems at their line, named by the entry they are in (`entries`: each key with
    the line and column it starts at)."""
    import subprocess

    import pypandoc

    try:
        done = subprocess.run(
            [pypandoc.get_pandoc_path(), *BIBLATEX],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BriefgenError(f"{file}: pandoc could not read it: {exc}") from None
    if done.returncode == 0:
        items = json.loads(done.stdout)
        return items if isinstance(items, list) else []
    message = done.stderr.decode("utf-8", errors="replace")
    found = _PANDOC_ERROR.search(message)
    if not found:
        raise BriefgenError(f"{file}: pandoc could not read it: {message.strip()}")
    line, column = int(found.group(1)), int(found.group(2))
    line = min(line, text.count("\n") + 1)  # pandoc counts a line past the end
    key = next((k for k, start in reversed(entries) if start < (line, column)), "")
    why = [w for w in found.group(3).splitlines() if w.startswith(("unexpected", "expecting"))]
    problems = Problems()
    problems.add(
        file,
        line,
        key,
        f"malformed BibTeX entry: {'; '.join(why) or 'cannot read it'} (column {column})",
    )
    raise WorkspaceError(problems)
