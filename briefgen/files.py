"""Atomic file writes (a reader sees the old file or the new one, never half of one),
the lock that keeps builds of one output folder from running at once, and a full disk
said as such."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import DiskFull, disk_full, display_path


@contextlib.contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Turn a full disk met inside the block into `DiskFull` naming `path` (a str is
    shown as it is, a Path as the user would type it)."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, DiskFull) or not disk_full(exc):
            raise
        shown = path if isinstance(path, str) else display_path(path)
        raise DiskFull(f"no space left on device while writing {shown}") from None


def write_atomic(path: Path, data: bytes, mode: int = 0o644, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    `durable`: on disk before the rename (fsync). A cache need not be: after a power
    cut it may be empty or torn, and is then ignored like any damaged cache.
    """
    with writing(path):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, mode & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing), waiting for other holders.

    The operating system releases the lock when the holder exits, even when it is
    killed, so a crashed build never leaves a stale lock behind.
    """
    with open(path, "a+b") as handle:
        if sys.platform == "win32":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after 10 s: keep waiting
                    continue
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
