"""The store index cache: a loaded and checked store, kept between runs.

A large store takes seconds to read, validate and check, and between two builds it has
usually not changed. The whole loaded store (records, captured texts, derived locators,
problems) is pickled under a digest of every file it was made from and of briefgen's
version; any change to any of them gives another digest, so a stale cache is never
used. The file is written atomically, so concurrent builds can share it safely.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path

from . import __version__
from .files import write_atomic
from .workspace import Workspace

FOLDER = Path(".briefgen") / "cache"  # in the workspace: out/ holds only what a build made
FORK_FROM_CLAIMS = 5_000  # smaller stores pickle in well under a second: just write


def digest(root: Path) -> str:
    """Return a digest of every file the store's checks read, and of briefgen's code."""
    h = hashlib.sha256(_code_digest().encode())
    files = [root / "briefgen.yaml", root / "audiences.yaml"]
    for folder in ("store", "templates"):
        if (root / folder).is_dir():
            files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    for path in files:
        if path.is_file():
            h.update(str(path.relative_to(root)).encode() + b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:32]


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Return a digest of briefgen's version and its modules' source: a cache pickled by
    other code (an upgrade, or a checkout being worked on) could unpickle into objects
    that only look right."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def load_cached(root: Path, key: str) -> Workspace | None:
    """Return the store cached under `key`, or None."""
    path = root / FOLDER / f"store-{key}.pickle"
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects, none of them garbage
    try:
        with open(path, "rb") as handle:  # streamed: the file's bytes are never all in memory
            ws = pickle.load(handle)
    except OSError:
        return None
    except Exception:  # noqa: BLE001 - a damaged cache is only a missed cache
        return None
    finally:
        if enabled:
            gc.enable()
    return ws if isinstance(ws, Workspace) else None


def save_soon(root: Path, key: str, ws: Workspace) -> None:
    """Save `ws` without making the user wait: from a forked process where there is fork.

    Pickling a large store takes seconds; the child writes it while the command goes on
    (the file appears atomically, so a reader sees the old cache, the new one, or none).
    """
    if not hasattr(os, "fork") or len(ws.claims) < FORK_FROM_CLAIMS:
        save(root, key, ws)
        return
    pid = os.fork()
    if pid == 0:  # the child: write, then leave without running the parent's cleanup
        try:
            os.nice(10)  # the build the user waits for comes first
            save(root, key, ws)
        finally:
            os._exit(0)


def save(root: Path, key: str, ws: Workspace) -> None:
    """Keep `ws` under `key` in the workspace's .briefgen/cache, replacing older ones."""
    folder = root / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"store-{key}.pickle", pickle.dumps(ws, protocol=5))
        for old in folder.glob("store-*.pickle"):
            if old.name != f"store-{key}.pickle":
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
