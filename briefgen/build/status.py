"""`briefgen status`: for each built memo, what changed in its inputs since it was built."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import WorkspaceError
from ..words import plural
from ..writers import FORMATS
from .memos import Checked, edited_since_built, load_state, output_name, plan_jobs

# what each input of inputs.memo_inputs is called when it changed (the records aside)
LABELS = {
    "brief_sha256": "the brief",
    "audience_profile": "the audience's profile",
    "template": "the template",
    "settings": "briefgen.yaml",
    "style": "the citation style",
    "logo": "the logo",
    "fonts": "the workspace's fonts",
    "reference_doc": "the reference-doc",
    "briefgen": "briefgen's version",
    "code": "briefgen's code",
    "period": "the period",
    "today": "today's date",
    "previous": "the previous memo",
}


def status_lines(checked: Checked) -> Iterator[str]:
    """Yield a line per recorded output: up to date, or what changed since it was built."""
    ws = checked.ws
    state = load_state(ws.out)
    if not state:
        yield f"no memos built yet in {ws.settings.output}/"
        return
    current: dict[str, dict[str, Any]] = {}
    try:
        for job in plan_jobs(checked, None, None):
            for fmt in FORMATS:
                current[output_name(job.plan, fmt)] = job.fingerprint.manifest
    except WorkspaceError as exc:
        yield f"cannot compare: the workspace has {plural(len(exc.problems.errors), 'error')}"
        return
    for name, entry in sorted(state.items()):
        now = current.get(name)
        if now is None:
            yield f"{name}: its brief or audience no longer exists"
            continue
        path = ws.out / name
        changes = list(_changes(entry.get("manifest", {}), now))
        if not path.is_file():
            changes.insert(0, "missing (deleted or moved since built)")
        elif edited_since_built(path, entry):
            changes.insert(0, "edited since built (a build stops before overwriting it)")
        yield f"{name}: " + ("up to date" if not changes else "; ".join(changes))


def _changes(then: dict[str, Any], now: dict[str, Any]) -> Iterator[str]:
    """Yield what differs between the manifest an output was built from and today's."""
    for kind in ("claims", "sources", "sections"):
        old, new = then.get(kind, {}), now.get(kind, {})
        noun = kind[:-1]
        edited = sorted(k for k in old.keys() & new.keys() if old[k] != new[k])
        added = sorted(new.keys() - old.keys())
        gone = sorted(old.keys() - new.keys())
        if edited:
            yield f"{noun} edited: {', '.join(edited)}"
        if added:
            yield f"{noun} now included: {', '.join(added)}"
        if gone:
            yield f"{noun} no longer included: {', '.join(gone)}"
    for key, label in LABELS.items():
        if then.get(key) != now.get(key):
            yield f"{label} changed"
