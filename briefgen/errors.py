"""Problems a user can cause, collected with their place and printed without a traceback."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]
Key = tuple[str | int, ...]  # a place in a record: ("sections", 2, "claims", 0)
CLOSE_ENOUGH = 0.6  # how alike a name must be to a known one to be suggested


def key_path(key: Key) -> str:
    """Return a place in a record as every message names it: `sections[2].claims[0]`."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def did_you_mean(name: str, known: Iterable[str], count: int = 1) -> str:
    """Return " (did you mean 'x'?)" with the known names nearest `name`, or ""."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=count, cutoff=CLOSE_ENOUGH)
    return f" (did you mean {', '.join(map(repr, close))}?)" if close else ""


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, placed at a file, a line and a key."""

    path: str  # as shown to the user: relative to the current folder where possible
    line: int  # 1-based; 0 when the problem concerns the whole file
    key: str  # e.g. "sections[2].claims[0]"; "" when none applies
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        key = f" {self.key}:" if self.key else ""
        tag = "warning: " if self.severity == "warning" else ""
        return f"{place}:{key} {tag}{self.message}"


@dataclass
class Problems:
    """A collector of problems, so one run reports every mistake at once."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self, path: Path | str, line: int, key: str, message: str, severity: Severity = "error"
    ) -> None:
        """Record a problem at `path:line` under `key`."""
        self.items.append(Problem(display_path(path), line, key, message, severity))

    def warn(self, path: Path | str, line: int, key: str, message: str) -> None:
        """Record a warning at `path:line` under `key`."""
        self.add(path, line, key, message, "warning")

    def extend(self, other: Problems) -> None:
        """Take over every problem of `other`."""
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        """Return the errors, without the warnings."""
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Return the warnings."""
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Return the problems in file and line order, each once."""
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.key, p.message))

    def raise_if_errors(self) -> None:
        """Raise `WorkspaceError` when any error was recorded."""
        if self.errors:
            raise WorkspaceError(self)


class BriefgenError(Exception):
    """An error the user can fix; printed as a message, never as a traceback."""

    exit_code = 1


class WorkspaceError(BriefgenError):
    """The workspace has one or more errors; each is in `problems`."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems.sorted()))

    def __reduce__(self) -> tuple[type, tuple[Problems]]:
        return (type(self), (self.problems,))  # so a worker process can send it back


class DiskFull(BriefgenError, OSError):
    """The disk (or the user's quota) filled up while a file was written.

    An OSError as well, so that writers of optional files (the store cache) that give up
    on any OSError give up on this one too; every other caller reports it as briefgen's.
    """


def disk_full(error: BaseException) -> bool:
    """Whether `error` says the disk or the user's quota is full."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


class UsageError(BriefgenError):
    """The command line asks for something that does not exist."""

    exit_code = 2


def display_path(path: Path | str) -> str:
    """Return `path` relative to the current folder when it lies below it, by the names
    the user knows: a file in a folder that is a symbolic link by the link's name."""
    p = Path(path)
    here = Path.cwd()
    for candidate, base in (
        (Path(os.path.abspath(p)), Path(os.path.abspath(here))),
        (p.parent.resolve() / p.name, here.resolve()),
    ):
        try:
            return str(candidate.relative_to(base))
        except (ValueError, OSError):
            continue
    return str(p)
