"""Reading a workspace's files safely (regular files inside it, of a bounded size),
atomic file writes (a reader sees the old file or the new one, never half of one), the
lock that keeps builds of one output folder from running at once, and a full disk said
as such."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import DiskFull, disk_full, display_path


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


class Refused(Exception):
    """A file briefgen will not read: the message says why."""


def refusal(path: Path, root: Path | None) -> str | None:
    """Return why `path` is not read, or None: it leads out of `root` (its real path,
    symbolic links resolved, is outside), or it is not a regular file (a FIFO or a device
    would block the read, or never end). Raises OSError when it cannot be looked at."""
    if root is not None:
        real = path.resolve()
        if not real.is_relative_to(root.resolve()):
            return (
                f"leads out of the workspace (a symbolic link to {real}); copy the file in instead"
            )
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        return f"is not a regular file ({_kind(mode)}); briefgen reads only regular files"
    return None


def read_inside(path: Path, root: Path | None, limit: int) -> bytes:
    """Return the bytes of `path`, a regular file inside `root` (when given) of at most
    `limit` bytes; raise Refused saying why not, or OSError if it cannot be read."""
    why = refusal(path, root)
    if why is not None:
        raise Refused(why)
    # not blocking: a FIFO put in its place since it was looked at cannot hold the read
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused(
                f"is not a regular file ({_kind(info.st_mode)}); briefgen reads only regular files"
            )
        if info.st_size > limit:
            raise Refused(f"file is {info.st_size:,} bytes; the limit is {limit:,}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"file is more than {limit:,} bytes; the limit is {limit:,}")
    return data


def _kind(mode: int) -> str:
    """Return what kind of file `mode` is, in words."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a plain file"


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


def inside(folder: Path, relative: str) -> Path | None:
    """Return `folder / relative` when it stays inside `folder` (symlinks resolved)."""
    if Path(relative).is_absolute():
        return None
    path = (folder / relative).resolve()
    return path if path.is_relative_to(folder.resolve()) else None
