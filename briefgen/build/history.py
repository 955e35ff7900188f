"""The memos a reader has had: for each brief and audience, the claims each built memo held.

A build records every memo it makes in `out/.briefgen/memos.json`, by the days it
reports on (its period, else its date), so the next memo of the same brief for the same
audience knows what its reader has already seen: what is NEW, and what dropped out.
The previous memo is the recorded one that starts latest before this one starts (for
equal starts, that ends first); building a period again replaces its record.

The file outlives briefgen's version, unlike the build record beside it: a reader has
seen what they have seen, whatever built it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..readers.files import write_atomic
from ..resolve.paragraphs import Previous

HISTORY_FILE = Path(".briefgen") / "memos.json"
KEPT = 200  # memos kept per brief and audience: years of weekly memos


class History:
    """The recorded memos of one output folder."""

    def __init__(self, out: Path) -> None:
        self.path = out / HISTORY_FILE
        self.memos: dict[str, list[dict[str, Any]]] = _load(self.path)

    def before(
        self, brief_id: str, audience_id: str, when: tuple[dt.date, dt.date]
    ) -> Previous | None:
        """Return the memo of the brief for the audience recorded before `when`, if any."""
        key = (when[0].isoformat(), when[1].isoformat())
        earlier = [m for m in self.memos.get(f"{brief_id}.{audience_id}", []) if _when(m) < key]
        if not earlier:
            return None
        last = max(earlier, key=_when)
        return Previous(last.get("period"), frozenset(last["claims"]))

    def add(
        self,
        brief_id: str,
        audience_id: str,
        when: tuple[dt.date, dt.date],
        period: str | None,
        claims: list[str],
    ) -> None:
        """Record a memo built, replacing any recorded for the same days."""
        entry = {
            "from": when[0].isoformat(),
            "to": when[1].isoformat(),
            "period": period,
            "claims": claims,
        }
        kept = [
            m for m in self.memos.get(f"{brief_id}.{audience_id}", []) if _when(m) != _when(entry)
        ]
        self.memos[f"{brief_id}.{audience_id}"] = sorted(kept + [entry], key=_when)[-KEPT:]

    def save(self) -> None:
        """Write the record (atomically: a killed build leaves the one before)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"memos": dict(sorted(self.memos.items()))}
        write_atomic(self.path, json.dumps(data, indent=1, ensure_ascii=False).encode())


def _when(entry: dict[str, Any]) -> tuple[str, str]:
    return entry["from"], entry["to"]


def _load(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Return the recorded memos; a missing or damaged file records none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    memos = data.get("memos") if isinstance(data, dict) else None
    if not isinstance(memos, dict):
        return {}
    return {
        key: [m for m in entries if _valid(m)]
        for key, entries in memos.items()
        if isinstance(entries, list)
    }


def _valid(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("from"), str)
        and isinstance(entry.get("to"), str)
        and isinstance(entry.get("claims"), list)
        and all(isinstance(c, str) for c in entry["claims"])
        and isinstance(entry.get("period"), (str, type(None)))
    )
