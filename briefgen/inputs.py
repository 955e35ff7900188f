"""What an output was built from: the manifest of its inputs, and one digest of them all.

The manifest travels inside each memo (DOCX custom properties, PDF metadata) and in the
build state, so `briefgen status` can say what changed since a memo was built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .resolve import Plan
from .structs import dump_json
from .workspace import Workspace


@dataclass(frozen=True)
class Fingerprint:
    """The manifest of an output's inputs and a digest of it."""

    digest: str
    manifest: dict[str, Any]


def sha256_file(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _short(data: str | bytes) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:16]


def fingerprint(ws: Workspace, brief_path: Path, plan: Plan, period: str | None,
                today: dt.date | None) -> Fingerprint:
    """Return the fingerprint of the memo `plan` will make."""
    resolver = plan.resolver
    brief = resolver.brief
    claims = {i: _short(dump_json(ws.claims[i])) for i in plan.claim_ids()}
    sources = {i: _source_hash(ws, i) for i in plan.source_ids()}
    sections = {s.section: _short(dump_json(ws.sections[s.section]))
                for s in brief.sections if s.section and s.section in ws.sections}
    relative = brief.date is None or str(period or brief.period or "").endswith("-week")
    manifest = {
        "brief": plan.brief_id,
        "brief_sha256": sha256_file(brief_path)[:16],
        "audience": plan.audience_id,
        "audience_profile": _short(dump_json(resolver.audience)),
        "period": resolver.period.display() if resolver.period else None,
        "claims": claims,
        "sources": sources,
        "sections": sections,
        "template": template_hash(ws, resolver.audience.template),
        "settings": _short(dump_json(ws.settings)),
        "style": style_hash(ws),
        "briefgen": __version__,
        "today": (today or dt.date.today()).isoformat() if relative else None,
    }
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
    return Fingerprint(digest, manifest)


def _source_hash(ws: Workspace, ident: str) -> str:
    source = ws.sources[ident]
    path = ws.text_paths.get(ident)
    text = path.read_bytes() if path is not None and path.is_file() else b""
    return _short(dump_json(source) + b"\0" + text)


def template_hash(ws: Workspace, name: str) -> str:
    """Return a hash of the template an audience uses, wherever it comes from."""
    from .templates import template_source

    return _short(template_source(ws, name))


def style_hash(ws: Workspace) -> str:
    """Return a hash of the citation style file."""
    from .cite import find_style

    return sha256_file(find_style(ws.settings.citation_style, ws.root))[:16]
