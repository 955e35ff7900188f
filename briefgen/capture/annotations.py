"""Highlights made in a browser, as annotation tools export them.

Two shapes are read, told apart from CSL-JSON by their content, not their file name:

- the Hypothesis API's: a list of rows, or a search result `{"rows": [...], "total": N}`;
  each row has `uri`, `text` (the note), `tags` and `target: [{source, selector: [...]}]`;
- the W3C Web Annotation Data Model's JSON-LD: one `Annotation`, a list of them, or an
  `AnnotationCollection` with its pages embedded (`first`, each page's `items` and `next`);
  the note is a `TextualBody` (its `value`; `purpose` "tagging" makes it a tag), `bodyValue`
  a plain note; the target's `selector` may be one or a list, and refined (`refinedBy`).

In both the passage is a `TextQuoteSelector`: `exact`, with `prefix` and `suffix` to tell
its place among several.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BriefgenError

# a CSL-JSON item never has a target; every annotation does
_ANNOTATION_TYPES = {"Annotation", "oa:Annotation"}
_COLLECTION_TYPES = {"AnnotationCollection", "as:OrderedCollection"}
_PAGE_TYPES = {"AnnotationPage", "as:OrderedCollectionPage"}


@dataclass
class Highlight:
    """One annotation: where it was made (`urls`: the page's address and the others the
    tool knows), the passage highlighted, the note and tags written on it."""

    index: int
    ident: str | None
    urls: list[str]
    exact: str | None
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: list[str] = field(default_factory=list)
    line: int = 0

    def name(self) -> str:
        """Return how a message names the highlight: its place in the file and its id."""
        return f"[{self.index}]" + (f" {self.ident!r}" if self.ident else "")


def read_json(file: Path) -> tuple[Any, str]:
    """Return the JSON in `file` and its text."""
    try:
        text = file.read_text(encoding="utf-8-sig")
        return json.loads(text), text
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefgenError(f"cannot read {file}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BriefgenError(f"{file}:{exc.lineno}: not valid JSON: {exc.msg}") from None


def is_annotations(data: Any) -> bool:
    """Return whether JSON `data` holds annotations rather than CSL-JSON items."""
    if isinstance(data, dict):
        kinds = _types(data)
        return (
            isinstance(data.get("rows"), list)
            or "target" in data
            or bool(kinds & (_ANNOTATION_TYPES | _COLLECTION_TYPES | _PAGE_TYPES))
        )
    return (
        isinstance(data, list)
        and bool(data)
        and all(
            isinstance(d, dict) and ("target" in d or _types(d) & _ANNOTATION_TYPES) for d in data
        )
    )


def highlights(data: Any, text: str) -> list[Highlight]:
    """Return every annotation in JSON `data` (the file's `text`, for lines), in order."""
    rows = _annotations(data)
    found = []
    for i, row in enumerate(rows):
        ident = row.get("id")
        ident = str(ident) if isinstance(ident, (str, int)) else None
        found.append(_highlight(i, ident, row, _line_of(text, ident)))
    return found


def _annotations(data: Any) -> list[dict[str, Any]]:
    """Return the annotations of any of the shapes, a collection's embedded pages read."""
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("rows"), list):
        return [d for d in data["rows"] if isinstance(d, dict)]
    kinds = _types(data)
    if kinds & _COLLECTION_TYPES:
        page = data.get("first")
        if isinstance(page, str):
            raise BriefgenError(
                f"the annotation collection's pages are not in the file (its first page is "
                f"at {page}): export the annotations themselves"
            )
        return _pages(page)
    if kinds & _PAGE_TYPES:
        return _pages(data)
    return [data]


def _pages(page: Any) -> list[dict[str, Any]]:
    """Return the items of an annotation page and of the pages embedded after it."""
    items: list[dict[str, Any]] = []
    while isinstance(page, dict):
        items += [d for d in page.get("items", []) if isinstance(d, dict)]
        page = page.get("next")
    return items


def _types(data: dict[str, Any]) -> set[str]:
    kind = data.get("type", data.get("@type"))
    return (
        {kind}
        if isinstance(kind, str)
        else {k for k in kind if isinstance(k, str)}
        if isinstance(kind, list)
        else set()
    )


def _highlight(index: int, ident: str | None, row: dict[str, Any], line: int) -> Highlight:
    """Return one annotation, Hypothesis's or the W3C's, as a highlight."""
    targets = _listed(row.get("target"))
    urls = [t for t in targets if isinstance(t, str)]
    urls += [
        t["source"] for t in targets if isinstance(t, dict) and isinstance(t.get("source"), str)
    ]
    if isinstance(row.get("uri"), str):  # Hypothesis: the page as annotated
        urls.insert(0, row["uri"])
    document = row.get("document")
    if isinstance(document, dict):  # Hypothesis: the page's other addresses (a PDF's)
        urls += [
            link["href"]
            for link in _listed(document.get("link"))
            if isinstance(link, dict) and isinstance(link.get("href"), str)
        ]
    quote = next(
        (s for t in targets if isinstance(t, dict) for s in _quote_selectors(t.get("selector"))),
        None,
    )
    note, tags = _body(row)
    return Highlight(
        index,
        ident,
        list(dict.fromkeys(urls)),
        _text(quote.get("exact")) if quote else None,
        _text(quote.get("prefix")) if quote else "",
        _text(quote.get("suffix")) if quote else "",
        note,
        tags,
        line,
    )


def _quote_selectors(selector: Any) -> list[dict[str, Any]]:
    """Return the TextQuoteSelectors among `selector` (one, a list, and those each refines)."""
    found = []
    for item in _listed(selector):
        if not isinstance(item, dict):
            continue
        if "TextQuoteSelector" in _types(item) and isinstance(item.get("exact"), str):
            found.append(item)
        found += _quote_selectors(item.get("refinedBy"))
    return found


def _body(row: dict[str, Any]) -> tuple[str, list[str]]:
    """Return an annotation's note and tags: Hypothesis's `text` and `tags`, or the W3C
    bodies (`TextualBody` values, those for "tagging" as tags) and `bodyValue`."""
    notes: list[str] = []
    tags = [t.strip() for t in _listed(row.get("tags")) if isinstance(t, str) and t.strip()]
    if isinstance(row.get("text"), str):
        notes.append(row["text"])
    if isinstance(row.get("bodyValue"), str):
        notes.append(row["bodyValue"])
    for body in _listed(row.get("body")):
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        if "tagging" in _listed(body.get("purpose")):
            tags.append(body["value"].strip())
        else:
            notes.append(body["value"])
    note = "\n\n".join(n.strip() for n in notes if n.strip())
    return note, list(dict.fromkeys(t for t in tags if t))


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _line_of(text: str, ident: str | None) -> int:
    """Return the line of the JSON text where the annotation with id `ident` is."""
    if ident is None:
        return 0
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(ident)), text)
    return text.count("\n", 0, match.start()) + 1 if match else 0
