"""The store index cache: a loaded and checked store, kept between runs.

A large store takes seconds to read, validate and check, and between two builds it has
usually not changed. The whole loaded store (records, captured texts, derived locators,
problems) is kept as data (stored.py: MessagePack of known types, never a pickle) under
a digest of every file it was made from (inputs.py, the briefs aside) and of
briefgen's code, beside the versions of the files the workspace names (the logo and
fonts, which are checked too, the style, captured texts kept outside store/); any
change to any of them gives another digest, or leaves the kept store unused, so a stale
cache is never used.
When a claim file was edited, the others' reads come from a cache of their own, one
entry a file (ClaimFileReads), so only the edited file is read and checked again. Files
are written atomically, so concurrent builds can share them safely.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..build.inputs import code_digest, named_versions, workspace_files
from ..readers.files import Refused, read_inside, write_atomic
from ..readers.workspace import ListRead, Workspace, no_gc
from ..readers.yamlio import MAX_FILE_BYTES
from . import stored

FOLDER = Path(".briefgen") / "cache"  # in the workspace: out/ holds only what a build made
FORK_FROM_CLAIMS = 5_000  # smaller stores encode in well under a second: just write
# claim files this large in all (about 2,000 claims) take longer to read than their kept
# reads to load; below it, keeping them would only add writes to every edit's build
PER_FILE_FROM_BYTES = 1024 * 1024


@dataclass
class Digest:
    """What a store is made of: `key` names the whole loaded store; `claim_files` names
    each claim file's reads, by its path, its content and everything else the checks of
    its claims look at (settings, sources, captured texts: any change to those changes
    every claim file's key)."""

    key: str
    claim_files: dict[Path, str]
    claim_bytes: int = 0  # the claim files' size


def digest(root: Path) -> Digest:
    """Return the digests of every file the store's checks read (but those the workspace
    names: see load_cached), of the workspace's folder, and of briefgen's code."""
    files = [p for p in workspace_files(root, briefs=False) if p.is_file()]
    claims = root / "store" / "claims"
    # the folder too: the records hold their files' paths, which a copied or moved
    # workspace must not report (nor read captured texts from)
    start = f"{code_digest()}\0{root.resolve()}\0".encode()
    whole = hashlib.sha256(start)
    context = hashlib.sha256(start)
    contents: dict[Path, bytes] = {}
    size = 0
    for path, (length, sha) in zip(files, _file_hashes(root, files), strict=True):
        if sha is None:
            continue
        line = str(path.relative_to(root)).encode() + b"\0" + sha
        whole.update(line)
        if path.parent == claims and path.suffix == ".yaml":
            contents[path] = line
            size += length
        else:
            context.update(line)
    shared = context.digest()
    return Digest(
        whole.hexdigest()[:32],
        {path: hashlib.sha256(shared + line).hexdigest()[:32] for path, line in contents.items()},
        size,
    )


def _file_hashes(root: Path, paths: list[Path]) -> list[tuple[int, bytes | None]]:
    """Return each file's size and SHA-256 (None if it is not a file briefgen reads: the
    store's checks refuse it), read and hashed by two threads: both let go of the GIL, so
    a large store takes half the time."""
    out: list[tuple[int, bytes | None]] = [(0, None)] * len(paths)

    def hash_every_other(start: int) -> None:
        for i in range(start, len(paths), 2):
            with contextlib.suppress(OSError, Refused):
                data = read_inside(paths[i], root, MAX_FILE_BYTES)
                out[i] = (len(data), hashlib.sha256(data).digest())

    if len(paths) < 16:
        hash_every_other(0)
        hash_every_other(1)
        return out
    helper = threading.Thread(target=hash_every_other, args=(1,))
    helper.start()
    hash_every_other(0)
    helper.join()
    return out


def checked_store(root: Path) -> Workspace:
    """Return the loaded and checked store: from the cache if nothing it was made from
    has changed, else read (each unchanged claim file's reads from the cache) and saved
    for next time in the background."""
    from .. import speed
    from ..check.store import load_checked

    if not speed.fast():
        return load_checked(root, None)
    made_of = digest(root)
    ws = load_cached(root, made_of.key)
    if ws is not None:
        return ws
    reads = (
        ClaimFileReads(root, made_of.claim_files)
        if made_of.claim_bytes >= PER_FILE_FROM_BYTES
        else None
    )
    ws = load_checked(root, reads)
    # a broken store is read again until it is fixed (its files' reads are kept)
    save_soon(root, made_of.key, None if ws.problems.errors else ws, reads)
    return ws


def load_cached(root: Path, key: str) -> Workspace | None:
    """Return the store cached under `key`, or None; None too if a file the workspace
    names (which the key cannot know before the workspace is read) is not as it was."""
    data = _unsealed(root / FOLDER / f"store-{key}.{SUFFIX}")
    if data is None:
        return None
    # Decoding makes millions of objects, none of them garbage, and they stay for the
    # command's life: frozen before the cyclic collector is back, or its next collection
    # would scan them all.
    with no_gc():
        try:
            named, ws = stored.decode_store(data)
        except Exception:  # noqa: BLE001 - whatever a damaged entry raises: a miss
            return None
        finally:
            gc.freeze()
    return ws if named == named_versions(ws) else None


def _unsealed(path: Path) -> memoryview | None:
    """Return what the cache file `path` holds, or None: a missing, damaged or unsealed
    entry is only a missed one.

    Entries are data, so a planted one cannot run code; but a workspace travels on shared
    drives and in zip files, and a planted entry under the name the next run looks for
    could still show claims its files do not hold. So an entry is read only if it carries
    the seal of this user's key, which lives outside every workspace (`_seal_key`).
    """
    key = _seal_key()
    if key is None:
        return None
    try:
        data = memoryview(Path(path).read_bytes())
    except OSError:
        return None
    start = len(SEAL) + SEAL_BYTES
    if data[: len(SEAL)] != SEAL:
        return None
    mac = hashlib.blake2b(data[start:], key=key, digest_size=SEAL_BYTES).digest()
    return data[start:] if hmac.compare_digest(mac, data[len(SEAL) : start]) else None


SEAL = b"briefgen cache 2\n"  # 1 sealed pickles
SUFFIX = "msgpack"
SEAL_BYTES = 32


def _sealed(data: bytes) -> bytes | None:
    """Return a cache entry's bytes with this user's seal, or None without a key."""
    key = _seal_key()
    if key is None:
        return None
    return SEAL + hashlib.blake2b(data, key=key, digest_size=SEAL_BYTES).digest() + data


def _seal_key() -> bytes | None:
    """Return this user's secret for sealing cache entries, made on first use and kept in
    the user's cache folder, outside every workspace; None if it cannot be kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "briefgen" / "cache-key"
    with contextlib.suppress(OSError):
        key = path.read_bytes()
        if len(key) == 32:
            return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, os.urandom(32), mode=0o600)
        return path.read_bytes()  # the key that won, if another process made one too
    except OSError:
        return None


class ClaimFileReads:
    """Each claim file's reads (its records and what the claim checks found), kept one
    file an entry under the file's key: after an edit to one claim file, only that file
    is read and checked again, and the others come from here (see workspace.ReadCache)."""

    def __init__(self, root: Path, keys: dict[Path, str]) -> None:
        self.folder = root / FOLDER / "claim-files"
        self.keys = keys
        self.fresh: dict[Path, ListRead] = {}  # read this time: saved by save_soon

    def get(self, path: Path) -> ListRead | None:
        """Return the reads kept for `path` as it is now, or None."""
        key = self.keys.get(path)
        if key is None:
            return None
        data = _unsealed(self.folder / f"{key}.{SUFFIX}")
        if data is None:
            return None
        try:
            return stored.decode_read(data)
        except Exception:  # noqa: BLE001 - whatever a damaged entry raises: a miss
            return None

    def keep(self, path: Path, read: ListRead) -> None:
        """Remember what reading `path` gave, to be saved with the store."""
        if path in self.keys:
            self.fresh[path] = read

    def save(self) -> None:
        """Write the fresh reads and remove the entries of files as they no longer are."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for path, read in self.fresh.items():
                sealed = _sealed(stored.encode_read(read))
                if sealed is not None:
                    name = f"{self.keys[path]}.{SUFFIX}"
                    write_atomic(self.folder / name, sealed, durable=False)
            current = {f"{key}.{SUFFIX}" for key in self.keys.values()}
            for old in [*self.folder.glob("*.pickle"), *self.folder.glob(f"*.{SUFFIX}")]:
                if old.name not in current:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time


def save_soon(
    root: Path, key: str, ws: Workspace | None, reads: ClaimFileReads | None = None
) -> None:
    """Save `ws` (unless None: a store with errors is read again until it is fixed) and
    the claim files' fresh `reads`, without making the user wait: from a forked process
    where there is fork.

    Encoding a large store takes a second; the child writes it while the command goes on
    (each file appears atomically, so a reader sees the old cache, the new one, or none).
    """
    claims = len(ws.claims) if ws is not None else 0
    if reads is not None:
        claims += sum(len(r.records) for r in reads.fresh.values())
    if not hasattr(os, "fork") or claims < FORK_FROM_CLAIMS:
        _save(root, key, ws, reads)
        return
    pid = os.fork()
    if pid == 0:  # the child: write, then leave without running the parent's cleanup
        try:
            os.nice(10)  # the build the user waits for comes first
            _save(root, key, ws, reads)
        finally:
            os._exit(0)
    _KEPT[:] = [reads]


# The reads the writer saves are not freed here once it is forked: freeing them would
# write to every page they sit on, now shared with the writer, and so copy each one
# Commands end with os._exit, which frees nothing.
_KEPT: list[ClaimFileReads | None] = []


def _save(root: Path, key: str, ws: Workspace | None, reads: ClaimFileReads | None) -> None:
    _clear_leftovers(root / FOLDER)
    if reads is not None:
        reads.save()
    if ws is not None:
        save(root, key, ws)


LEFTOVER_AFTER_S = 3600  # a cache writer takes seconds; a temporary file this old is dead


def _clear_leftovers(folder: Path) -> None:
    """Remove the temporary files of cache writers that were killed (a large store's are
    tens of MB); recent ones may belong to a writer still at work, and stay."""
    now = time.time()
    for tmp in [*folder.glob(".*.tmp"), *folder.glob("claim-files/.*.tmp")]:
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > LEFTOVER_AFTER_S:
                tmp.unlink()


def save(root: Path, key: str, ws: Workspace) -> None:
    """Keep `ws` under `key` in the workspace's .briefgen/cache, replacing older ones."""
    folder = root / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sealed = _sealed(stored.encode_store(ws, named_versions(ws)))
        if sealed is None:
            return
        name = f"store-{key}.{SUFFIX}"
        write_atomic(folder / name, sealed, durable=False)
        for old in [*folder.glob("store-*.pickle"), *folder.glob(f"store-*.{SUFFIX}")]:
            if old.name != name:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
