"""The no-op fast path: skip loading the workspace when no file changed since the last build.

The full incremental check (load, validate, resolve, hash each memo's inputs) already
skips unchanged outputs, but importing the schema machinery and reading the store costs
more than the answer is worth when nothing changed. Like make, this compares the size
and change time of every file of the workspace, and of every output, with what the last
build of the same command saw; only this module and the standard library are imported.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from . import __version__

STATE = Path(".briefgen") / "quick.json"
PATTERNS = ("*.yaml", "store/**/*", "templates/**/*")


def _setting(root: Path, key: str) -> str | None:
    """Return a top-level scalar of briefgen.yaml as written, read without the schema."""
    import re

    from .files import Refused, read_inside

    try:
        data = read_inside(root / "briefgen.yaml", root, 1024 * 1024)
    except (OSError, Refused):  # loading the workspace says what is wrong with it
        return None
    text = data.decode("utf-8", errors="replace")
    match = re.search(rf"^{key}:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(#.*)?$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


def output_folder(root: Path) -> Path:
    """Return the workspace's output folder without loading the schema."""
    return root / (_setting(root, "output") or "out")


def citation_settings(root: Path) -> tuple[Path | None, str]:
    """Return the workspace's CSL style file and locale, read without the schema.

    Only a hint for priming pandoc ahead of the build (see engine.py): a style that
    cannot be found here is reported, with its line, when the workspace is checked.
    """
    from .cite import DEFAULT_LOCALE, DEFAULT_STYLE, find_style
    from .errors import BriefgenError

    locale = _setting(root, "locale") or DEFAULT_LOCALE
    try:
        return find_style(_setting(root, "citation-style") or DEFAULT_STYLE, root), locale
    except BriefgenError:
        return None, locale


def command_key(args: dict[str, object]) -> str:
    """Return the key of a build command: its arguments, today's date and the version."""
    return json.dumps({**args, "today": dt.date.today().isoformat(), "version": __version__},
                      sort_keys=True, default=str)


def _stats(root: Path, out: Path) -> dict[str, list[int]]:
    files: dict[str, list[int]] = {}
    for pattern in PATTERNS:
        for path in root.glob(pattern):
            if path.is_dir() or out in path.parents:
                continue
            try:  # a FIFO or a link counts too: the full check refuses them
                stat = path.stat()
            except OSError:
                continue
            files[str(path.relative_to(root))] = [stat.st_size, stat.st_mtime_ns]
    return files


_seen: dict[tuple[Path, Path], dict[str, list[int]]] = {}  # some_build_fresh's, for reuse


def fresh_outputs(root: Path, out: Path, key: str) -> list[str] | None:
    """Return the outputs of the last identical build if nothing changed since, else None."""
    entry = _saved(out).get(key)
    files = _seen.pop((root, out), None)
    if entry is None:
        return None
    return _fresh(entry, files if files is not None else _stats(root, out), out)


def some_build_fresh(root: Path, out: Path) -> bool:
    """Whether some build recorded today would write nothing now: then the coming build
    most likely writes nothing either (see launch.py)."""
    saved = _saved_today(out)
    if not saved:
        return False
    files = _seen[root, out] = _stats(root, out)
    return any(_fresh(entry, files, out) is not None for entry in saved.values())


def _saved(out: Path) -> dict[str, object]:
    try:
        saved = json.loads((out / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def _saved_today(out: Path) -> dict[str, object]:
    """Return the builds recorded today (a command's key holds its date)."""
    today = dt.date.today().isoformat()
    return {k: v for k, v in _saved(out).items() if json.loads(k).get("today") == today}


def _fresh(entry: object, files: dict[str, list[int]], out: Path) -> list[str] | None:
    """Return a recorded build's outputs if it saw `files` and its outputs are as it left
    them, else None."""
    if not isinstance(entry, dict) or entry.get("files") != files:
        return None
    outputs = entry.get("outputs", {})
    for name, (size, mtime) in outputs.items():
        try:
            stat = os.stat(out / name)
        except OSError:
            return None
        if [stat.st_size, stat.st_mtime_ns] != [size, mtime]:
            return None
    return sorted(outputs)


def record(root: Path, out: Path, key: str, outputs: list[Path]) -> None:
    """Remember what this build saw, for the next identical command."""
    from .files import write_atomic

    path = out / STATE
    saved = _saved_today(out)
    saved[key] = {"files": _stats(root, out),
                  "outputs": {p.name: [p.stat().st_size, p.stat().st_mtime_ns]
                              for p in outputs}}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(saved, sort_keys=True).encode())
