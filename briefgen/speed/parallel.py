"""Claim files read by several processes at once, for large stores.

Reading YAML and validating it is all Python, so one process uses one core; a store of
more than PARALLEL_FROM_BYTES of claim files is read by forked reader processes as well
(`workspace.load` hands them the function that reads one file). What they read is the
same as what this process would read: only how fast differs.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from . import fast

T = TypeVar("T")

PARALLEL_FROM_BYTES = 4 * 1024 * 1024  # below this, forking costs more than it saves


def read_in_order(paths: list[Path], read: Callable[[Path], T]) -> Iterator[tuple[Path, T]]:
    """Yield each file with what `read` makes of it, in order; large stores are read by
    several processes.

    Reading YAML and validating it is all Python, so one process uses one core. Forked
    reader processes and this one take the files one at a time from a shared queue, so
    that all finish together however fast each goes: readers send their reads back
    pickled, and this process unpickles them as they come and yields every file whose
    turn has come. A file a reader took and never sent (it died) is read here at the end.
    """
    sizes = [p.stat().st_size if p.exists() else 0 for p in paths]
    workers = min(os.cpu_count() or 1, len(paths))
    if sum(sizes) < PARALLEL_FROM_BYTES or workers < 2 or not hasattr(os, "fork") or not fast():
        yield from ((path, read(path)) for path in paths)
        return
    queue = _Queue(len(paths))
    try:
        i = queue.take()  # the first file, before any fork: this shows the lock works here
    except OSError:  # a temporary folder without POSIX record locks: read them all here
        queue.close()
        yield from ((path, read(path)) for path in paths)
        return
    try:
        children = [_fork_reader(paths, queue, read) for _ in range(workers - 1)]
        reads: dict[int, T] = {}
        given = 0  # files yielded so far
        while i is not None:
            reads[i] = read(paths[i])
            for child in children:
                child.receive(reads)
            while given in reads:
                yield paths[given], reads.pop(given)
                given += 1
            i = queue.take()
        for child in children:
            _collect(child, reads)
    finally:
        queue.close()
    for i in range(given, len(paths)):
        if i in reads:
            yield paths[i], reads.pop(i)
        else:
            yield paths[i], read(paths[i])


class _Queue:
    """The files not yet taken, by index: a counter in a file of its own, which this
    process and its readers take from under a POSIX record lock (one process at a time;
    the lock is not inherited by a fork, so each process waits for the others)."""

    def __init__(self, files: int) -> None:
        self.files = files
        self.counter = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(); never named

    def take(self) -> int | None:
        """Return the index of the next file to read, or None when all are taken."""
        import fcntl

        fd = self.counter.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            taken = int.from_bytes(os.pread(fd, 8, 0), "big")
            if taken >= self.files:
                return None
            os.pwrite(fd, (taken + 1).to_bytes(8, "big"), 0)
            return taken
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Remove the counter."""
        self.counter.close()


class _Reader:
    """A forked reader process and the file it writes its reads to, one after another:
    the file's index and the pickled read's length, then the pickled read."""

    def __init__(self, pid: int, spool: IO[bytes]) -> None:
        self.pid, self.spool = pid, spool
        self.offset = 0
        self.damaged = False

    def receive(self, into: dict[int, Any]) -> None:
        """Unpickle every read written in full so far into `into`, by file index."""
        fd = self.spool.fileno()
        while not self.damaged:
            head = os.pread(fd, 12, self.offset)
            if len(head) < 12:
                return
            index, size = int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")
            body = os.pread(fd, size, self.offset + 12)
            if len(body) < size:
                return  # still being written
            try:
                into[index] = pickle.loads(body)
            except Exception:  # noqa: BLE001 - damaged: its files are read here instead
                self.damaged = True
                return
            self.offset += 12 + size


def _fork_reader(paths: list[Path], queue: _Queue, read: Callable[[Path], Any]) -> _Reader:
    """Fork a process that reads files from `queue` and writes each file's reads, pickled,
    to a file of its own (a pipe would hold one file's reads and stop it until taken)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in _collect; never named
    pid = os.fork()
    if pid == 0:  # the child: read, send, and leave without the parent's cleanup
        code = 0
        try:
            while (i := queue.take()) is not None:
                data = pickle.dumps(read(paths[i]), protocol=5)
                spool.write(i.to_bytes(4, "big") + len(data).to_bytes(8, "big"))
                spool.write(data)
                spool.flush()
        except BaseException:  # noqa: BLE001 - the parent reads what was not sent
            code = 1
        finally:
            os._exit(code)
    return _Reader(pid, spool)


def _collect(child: _Reader, into: dict[int, Any]) -> bool:
    """Wait for a reader process, put the rest of what it sent into `into`, and return
    whether it read every file it took."""
    _, status = os.waitpid(child.pid, 0)
    try:
        child.receive(into)
        return status == 0 and not child.damaged
    finally:
        child.spool.close()
