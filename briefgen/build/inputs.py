"""A memo's inputs: the one list of what a memo is made from. `build` decides from it
whether a memo is up to date, `status` says what in it changed, `watch` looks at its
files, and the caches (the no-op check, the store index cache) are keyed by it.

A memo is made from:

- its brief;
- the store records it uses: claims, sources with their captured texts (in store/, or
  elsewhere in the workspace), sections;
- its audience's profile (audiences.yaml) and the settings (briefgen.yaml);
- the citation style: a shipped CSL style, or a .csl file of the workspace;
- its template, and the templates that one includes, imports or extends (as rendering
  it loaded them);
- the logo and the workspace's own fonts (.ttf files), as briefgen.yaml names them;
- the Word template (`reference-doc`) its DOCX is based on: its audience's, or the
  workspace's;
- briefgen's own code: its version and every file of its package (`code_digest`).

`memo_inputs` gives one memo's inputs, each with its version (a digest): the manifest
that `build` records and `status` compares. `workspace_files` gives the files of the
workspace some memo can be made from, for what looks at files before (or without)
loading the workspace: the no-op check, `watch` and the store index cache; it takes
`named_files`, the files the workspace names (the logo, fonts, style, Word templates,
captured texts outside store/), from a loaded workspace. Every file a memo is made from is one of
these, or part of briefgen's code.

Only the standard library and `discover` are imported at first, and hashlib only where
a digest is made: the no-op check, which runs before anything heavy is loaded, compares
sizes and times (of briefgen's files too: `code_files`) and needs none.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..readers.discover import AUDIENCES_FILE, SETTINGS_FILE

if TYPE_CHECKING:
    from ..readers.workspace import Workspace
    from ..resolve.memo import Plan

SETTINGS = (SETTINGS_FILE, AUDIENCES_FILE)
# the briefs and the settings; the store (records and captured texts); the templates
PATTERNS = ("*.yaml", "store/**/*", "templates/**/*")
FONT_SUFFIXES = (".ttf",)
MAX_NAMED_BYTES = 256 * 1024 * 1024  # a logo, font or style larger is not read for its version


def workspace_files(root: Path, named: Iterable[Path] = (), briefs: bool = True) -> list[Path]:
    """Return every file of the workspace at `root` that some memo can be made from:
    those of PATTERNS (without the briefs unless `briefs`: the store's checks do not read
    them), then the `named` ones (see named_files). A FIFO or a link counts too: loading
    the workspace refuses it, and says why."""
    files: list[Path] = []
    for pattern in PATTERNS:
        if pattern == "*.yaml" and not briefs:
            files += [root / name for name in SETTINGS if (root / name).exists()]
            continue
        files += sorted(p for p in root.glob(pattern) if not p.is_dir())
    seen = set(files)
    return files + [p for p in dict.fromkeys(named) if p not in seen]


def named_files(ws: Workspace) -> list[Path]:
    """Return the files the workspace names that PATTERNS cannot know: the logo, the
    workspace's fonts, the Word templates (audiences' too) and the citation style's file
    (a shipped one included), as briefgen.yaml names them, and captured texts that
    sources keep outside store/."""
    return [path for _, path, _ in _named(ws)]


def named_versions(ws: Workspace) -> dict[str, str | None]:
    """Return the version of each of named_files, by the name the workspace gives it
    (None: not a file briefgen reads)."""
    return {name: file_version(path, inside) for name, path, inside in _named(ws)}


def _named(ws: Workspace) -> list[tuple[str, Path, Path | None]]:
    """Return the name, the path and the folder it must lie inside (the workspace; for a
    shipped style, None) of each of named_files."""
    settings = ws.settings
    names = ([settings.logo] if settings.logo else []) + _font_files(ws) + _reference_docs(ws)
    named: list[tuple[str, Path, Path | None]] = [
        (name, ws.root / name, ws.root) for name in dict.fromkeys(names)
    ]
    style = _style_file(ws)
    if style is not None:
        shipped = not settings.citation_style.endswith(".csl")
        named.append((settings.citation_style, style, None if shipped else ws.root))
    home = ws.root.resolve()  # as the texts' paths are
    texts = sorted(p for p in set(ws.text_paths.values()) if not p.is_relative_to(home / "store"))
    named += [(p.relative_to(home).as_posix(), p, ws.root) for p in texts if p.is_relative_to(home)]
    return named


def _font_files(ws: Workspace) -> list[str]:
    """Return the fonts of briefgen.yaml that are files of the workspace, as it names them."""
    fonts = (ws.settings.body_font, ws.settings.heading_font)
    return list(dict.fromkeys(f for f in fonts if f.lower().endswith(FONT_SUFFIXES)))


def _reference_docs(ws: Workspace) -> list[str]:
    """Return the Word templates that briefgen.yaml and audiences.yaml name, in order."""
    named = [ws.settings.reference_doc] + [a.reference_doc for a in ws.audiences.values()]
    return list(dict.fromkeys(name for name in named if name))


def _style_file(ws: Workspace) -> Path | None:
    """Return the citation style's file, or None if there is none (`check` says so)."""
    from ..cite.pandoc import find_style
    from ..errors import BriefgenError

    try:
        return find_style(ws.settings.citation_style, ws.root)
    except BriefgenError:
        return None


_versions: dict[tuple[str, int, int, int], str] = {}  # by path, inode, size and time


def file_version(path: Path, root: Path | None) -> str | None:
    """Return a digest of a file's bytes (16 hex digits), or None where it is not a file
    briefgen reads (missing, a FIFO, or leading out of `root`: the checks say which).

    Each file is read once a process while its size and time stay the same: every memo
    of a build is made from the same fonts and style.
    """
    from ..readers.files import Refused, read_inside

    try:
        info = path.stat()
        key = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
        if key not in _versions:
            _versions[key] = _short(read_inside(path, root, MAX_NAMED_BYTES))
        return _versions[key]
    except (OSError, Refused):
        return None


def sha256_file(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _short(data: str | bytes) -> str:
    import hashlib

    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:16]


@lru_cache(maxsize=1)
def code_files() -> tuple[tuple[str, str], ...]:
    """Return the name (inside the package) and path of every file of briefgen's package,
    wherever it is installed, in order, leaving out compiled bytecode, which is made from
    the rest."""
    return tuple(_package_files(str(Path(__file__).resolve().parent.parent), ""))


def _package_files(folder: str, prefix: str) -> Iterable[tuple[str, str]]:
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _package_files(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield f"{prefix}{entry.name}", entry.path


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Return a digest of briefgen's version and of its code_files, by content, so the
    same code installed elsewhere has the same digest: the code, the built-in templates,
    the citation filter; the shipped fonts by name and size only, since reading them
    would cost a build more than the rest of this, and coverage.json, made from them, is
    read whole."""
    import hashlib

    digest = hashlib.sha256(__version__.encode() + b"\0")
    for name, path in code_files():
        if name.endswith(FONT_SUFFIXES):
            digest.update(f"{name}\0{os.stat(path).st_size}\0".encode())
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:32]


# --- one memo's inputs -------------------------------------------------------------------


class Fingerprint(NamedTuple):  # not a dataclass: making one slows the no-op check
    """The manifest of an output's inputs and a digest of it."""

    digest: str
    manifest: dict[str, Any]


def fingerprint(
    ws: Workspace, brief_path: Path, plan: Plan, period: str | None, today: dt.date | None
) -> Fingerprint:
    """Return the fingerprint of the memo `plan` will make."""
    import hashlib

    manifest = memo_inputs(ws, brief_path, plan, period, today)
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
    return Fingerprint(digest, manifest)


def memo_inputs(
    ws: Workspace, brief_path: Path, plan: Plan, period: str | None, today: dt.date | None
) -> dict[str, Any]:
    """Return every input of the memo `plan` will make, each with its version: the
    manifest recorded with the memo, and put in it."""
    from ..readers.fields import dump_json

    resolver = plan.resolver
    brief = resolver.brief
    settings = ws.settings
    named = named_versions(ws)
    relative = brief.date is None or str(period or brief.period or "").endswith("-week")
    return {
        "brief": plan.brief_id,
        "brief_sha256": sha256_file(brief_path)[:16],
        "audience": plan.audience_id,
        "audience_profile": _short(dump_json(resolver.audience)),
        "period": resolver.period.display() if resolver.period else None,
        "claims": {i: _short(dump_json(ws.claims[i])) for i in plan.claim_ids()},
        "sources": {i: _source_version(ws, i) for i in plan.source_ids()},
        "sections": {
            s.section: _short(dump_json(ws.sections[s.section]))
            for s in brief.sections
            if s.section and s.section in ws.sections
        },
        "template": template_version(plan),
        "settings": _short(dump_json(settings)),
        "style": named.get(settings.citation_style),
        "logo": named[settings.logo] if settings.logo else None,
        "fonts": {name: named[name] for name in _font_files(ws)},
        "reference_doc": named[house] if (house := _reference_doc(ws, plan)) else None,
        "briefgen": __version__,
        "code": code_digest()[:16],
        "today": (today or dt.date.today()).isoformat() if relative else None,
        "previous": _previous_version(plan),
    }


def _reference_doc(ws: Workspace, plan: Plan) -> str | None:
    """Return the Word template the memo's DOCX is based on, as the workspace names it."""
    return plan.resolver.audience.reference_doc or ws.settings.reference_doc


def _previous_version(plan: Plan) -> str | None:
    """Return a digest of the memo its reader had before (what NEW marks and the dropped
    claims are reckoned from), or None for a first memo."""
    previous = plan.resolver.previous
    if previous is None:
        return None
    return _short(json.dumps([previous.period, sorted(previous.claims)]))


def _source_version(ws: Workspace, ident: str) -> str:
    from ..readers.fields import dump_json

    source = ws.sources[ident]
    path = ws.text_paths.get(ident)
    text = path.read_bytes() if path is not None and path.is_file() else b""
    return _short(dump_json(source) + b"\0" + text)


def template_version(plan: Plan) -> str:
    """Return a digest of the templates the memo was laid out with: its audience's, and
    every one that included, imported or extended, as the build loaded them."""
    loaded = plan.layout.templates
    return _short(
        b"".join(f"{name}\0{text}\0".encode() for name, text in loaded.items())
        if loaded
        else plan.resolver.audience.template
    )
