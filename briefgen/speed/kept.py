"""What the workbench (`serve`) keeps in memory from one check of the workspace to the
next, as it checks again after every change:

- each claim file's reads (`KeptReads`), as the store cache keeps them on disk for a
  command (speed/cache.py), under the same keys: after an edit to one claim file only
  that file is read and checked again, and the others' reads are not even decoded;
- the citations pandoc formatted (`KeptCitations`): a memo previewed again after an edit
  that changed no citation (a claim reworded, a section's prose) takes its notes and
  bibliography from the last time. They depend only on what is sent (the clusters, the
  sources' items, the style and the locale), so the same request gives the same answer.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..readers.workspace import ListRead, Workspace

KEPT = 32  # requests remembered: a few memos, each for a few audiences


class KeptCitations:
    """A citation server (cite.pandoc.Citeproc) in front of which answers are kept."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self._kept: OrderedDict[str, Any] = OrderedDict()

    def render(
        self, clusters: list[Any], references: list[dict[str, Any]], style: Path, locale: str
    ) -> Any:
        """Return what the server renders for these, as it rendered them last time."""
        key = repr((clusters, references, str(style), style.stat().st_mtime_ns, locale))
        if key not in self._kept:
            self._kept[key] = self.server.render(clusters, references, style, locale)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        self._kept.move_to_end(key)
        return copy.deepcopy(self._kept[key])  # the memo's finishing may change its copy

    def close(self) -> None:
        """Stop the server."""
        self.server.close()


class KeptReads:
    """The reads of each claim file, by the store cache's key for it (its content and
    everything its claims' checks look at), from the checks before (a workspace.ReadCache)."""

    def __init__(self) -> None:
        self._kept: dict[str, ListRead] = {}
        self._keys: dict[Path, str] = {}

    def load(self, root: Path) -> Workspace:
        """Return the workspace at `root` loaded and checked, each claim file unchanged
        since the last load taken from then."""
        from ..check.store import load_checked
        from .cache import digest

        self._keys = digest(root).claim_files
        ws = load_checked(root, self)
        wanted = set(self._keys.values())
        self._kept = {k: v for k, v in self._kept.items() if k in wanted}
        return ws

    def get(self, path: Path) -> ListRead | None:
        """Return what reading `path`, as it is now, gave last time."""
        key = self._keys.get(path)
        return self._kept.get(key) if key is not None else None

    def keep(self, path: Path, read: ListRead) -> None:
        """Remember what reading `path` gave now."""
        key = self._keys.get(path)
        if key is not None:
            self._kept[key] = read
