"""The one switch for every mechanism that exists only for speed.

`BRIEFGEN_PLAIN=1` in the environment turns them all off, for a plain path to compare
against and to debug on: YAML read by libyaml alone (not the line reader of
`blockyaml`), claim files read by this process alone (no reader processes, so no packed
claims), no store cache and no per-file reads kept, no no-op check before loading (every
build decides from its inputs), memos written in this process (no writer processes),
font metrics parsed afresh, and the workbench (`serve`) keeping nothing between its
checks of the workspace (speed/kept.py). One pandoc server still formats a build's citations: it
is how citations are formatted, not a shortcut.
The memos are byte for byte the same either way; the test suite runs both ways.
"""

from __future__ import annotations

import os


def fast() -> bool:
    """Return whether the speed mechanisms are on (unless BRIEFGEN_PLAIN=1)."""
    return os.environ.get("BRIEFGEN_PLAIN", "") in ("", "0")
