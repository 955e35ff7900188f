"""Import reportlab's paragraph module without compiling a pattern it seldom uses.

At import, `reportlab.platypus.paragraph` compiles `uri_pat`, a case-insensitive URI
pattern whose letter classes run to U+FFFF: case-folding them is a large part of the
PDF writer's start, in every build (docs/performance.md has the figures). The pattern
is matched only when a hyphenated paragraph breaks a long URI, so here it is compiled
when first used instead.
"""

from __future__ import annotations

import re
import sys
from typing import Any

MODULE = "reportlab.platypus.paragraph"


class LazyPattern:
    """A regular expression that is compiled when it is first used."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


def _slow(pattern: object, flags: int) -> bool:
    """Whether a pattern is slow to compile: case-insensitive, with classes to U+FFFF."""
    return bool(flags & re.IGNORECASE) and isinstance(pattern, str) and "\uffff" in pattern


def import_paragraph() -> None:
    """Import reportlab's paragraph module, leaving its slow patterns uncompiled."""
    if MODULE in sys.modules:
        return
    real = re.compile

    def compile_(pattern: Any, flags: int = 0) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__")
        if caller == MODULE and _slow(pattern, flags):
            return LazyPattern(pattern, flags)
        return real(pattern, flags)

    re.compile = compile_  # type: ignore[assignment]
    try:
        __import__(MODULE)
    finally:
        re.compile = real
