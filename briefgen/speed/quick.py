"""The no-op fast path: skip loading the workspace when no file changed since the last build.

The full incremental check (load, validate, resolve, hash each memo's inputs) already
skips unchanged outputs, but importing the schema machinery and reading the store costs
more than the answer is worth when nothing changed. Like make, this compares the size
and change time of every file a memo can be made from (inputs.workspace_files, with the
files the workspace named at that build, and briefgen's own, inputs.code_files), and of
every output, with what the last build of the same command saw; only this module,
inputs, the settings reader and the standard library are imported.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .. import __version__
from ..build.inputs import code_files, workspace_files
from ..readers.records import Settings

STATE = Path(".briefgen") / "quick.json"
HISTORY = Path(".briefgen") / "memos.json"  # history.HISTORY_FILE, without importing it


def settings(root: Path) -> Settings:
    """Return briefgen.yaml as the build reads it, before the build: the defaults where
    it has a mistake, which loading the workspace then reports with its line."""
    from ..errors import Problems
    from ..readers.validate import validate
    from ..readers.yamlio import load_file

    problems = Problems()  # reported when the workspace is loaded
    path = root / "briefgen.yaml"
    data = load_file(path, problems, root)
    read = validate(Settings, data, path, problems) if isinstance(data, dict) else None
    return read or Settings()


def output_folder(root: Path, read: Settings | None = None) -> Path:
    """Return the workspace's output folder, where the last build's record is."""
    return root / (read or settings(root)).output


def citation_settings(root: Path, read: Settings | None = None) -> tuple[Path | None, str]:
    """Return the workspace's CSL style file and locale.

    Only a hint for priming pandoc ahead of the build (see engine.py): a style that
    cannot be found here is reported, with its line, when the workspace is checked.
    """
    from ..cite.pandoc import find_style
    from ..errors import BriefgenError

    read = read or settings(root)
    try:
        return find_style(read.citation_style, root), read.locale
    except BriefgenError:
        return None, read.locale


def command_key(args: dict[str, object]) -> str:
    """Return the key of a build command: its arguments, today's date and the version."""
    return json.dumps(
        {**args, "today": dt.date.today().isoformat(), "version": __version__},
        sort_keys=True,
        default=str,
    )


def _stats(root: Path, out: Path, paths: Iterable[Path]) -> dict[str, list[int]]:
    """Return the size and change time of each of `paths` (outputs aside), by its name."""
    files: dict[str, list[int]] = {}
    for path in paths:
        if out in path.parents:
            continue
        try:  # a FIFO or a link counts too: the full check refuses them
            stat = path.stat()
        except OSError:
            continue
        name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        files[name] = [stat.st_size, stat.st_mtime_ns]
    return files


def fresh_outputs(root: Path, out: Path, key: str) -> list[str] | None:
    """Return the outputs of the last identical build if nothing changed since, else None."""
    entry = _saved(out).get(key)
    if entry is None:
        return None
    return _fresh(entry, _workspace_stats(root, out), root, out)


def _workspace_stats(root: Path, out: Path) -> dict[str, list[int]]:
    """Return the stats of the workspace's files and of briefgen's."""
    return {**_stats(root, out, workspace_files(root)), **_code_stats()}


def _code_stats() -> dict[str, list[int]]:
    """Return the size and change time of each of briefgen's files, by its path."""
    files: dict[str, list[int]] = {}
    for _, path in code_files():
        try:
            stat = os.stat(path)
        except OSError:
            continue
        files[path] = [stat.st_size, stat.st_mtime_ns]
    return files


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


def _fresh(entry: object, files: dict[str, list[int]], root: Path, out: Path) -> list[str] | None:
    """Return a recorded build's outputs if it saw `files` (with the files the workspace
    named, as they are now) and its outputs are as it left them, else None."""
    if not isinstance(entry, dict):
        return None
    named = _stats(root, out, [Path(p) for p in entry.get("named", [])])
    if entry.get("files") != {**files, **named} or entry.get("history") != _history_stat(out):
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


def _history_stat(out: Path) -> list[int] | None:
    """Return the size and change time of the record of memos built (history.py): a
    memo's NEW marks and dropped claims are reckoned from the memo before it."""
    try:
        stat = (out / HISTORY).stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def record(root: Path, out: Path, key: str, outputs: list[Path], named: list[Path]) -> None:
    """Remember what this build saw, for the next identical command: the files of the
    workspace, those it `named` (inputs.named_files) and briefgen's, and the outputs."""
    from ..readers.files import write_atomic

    path = out / STATE
    saved = _saved_today(out)
    saved[key] = {
        "files": {**_stats(root, out, workspace_files(root, named)), **_code_stats()},
        "named": [str(p) for p in named],
        "outputs": {p.name: [p.stat().st_size, p.stat().st_mtime_ns] for p in outputs},
        "history": _history_stat(out),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(saved, sort_keys=True).encode())
