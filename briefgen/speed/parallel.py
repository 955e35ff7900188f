"""Claim files read by several processes at once, for large stores; the pools of forked
processes that reading and writing memos share.

Reading YAML and validating it is all Python, so one process uses one core; a store of
more than PARALLEL_FROM_BYTES of claim files is read by a pool of forked processes as
well (`workspace.load` hands them the function that reads one file). What they read is
the same as what this process would read: only how fast differs.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import fast

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")

PARALLEL_FROM_BYTES = 4 * 1024 * 1024  # below this, forking costs more than it saves


def forked_pool(
    workers: int, initializer: Callable[..., None], *args: Any
) -> ProcessPoolExecutor | None:
    """Return a ProcessPoolExecutor of `workers` forked processes, each set up by
    `initializer(*args)`, or None where there is no fork (the caller then works here).

    Forked, not spawned: a worker starts with every module this process has loaded, and
    `args` reach it as they are, without pickling. A worker leaves Ctrl-C and SIGTERM to
    this process, which unwinds the build and stops the pool, and it leaves by itself
    if this process dies (killed, out of memory), as nothing would tell it otherwise.
    """
    if not hasattr(os, "fork"):
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        workers,
        multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, args),
    )


def _start_worker(parent: int, initializer: Callable[..., None], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()
    initializer(*args)


def _leave_with(parent: int) -> None:
    """End this worker once the process that started it is gone (it has a new parent)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's processes now, whatever they are doing, and wait for them to go
    (what ProcessPoolExecutor.kill_workers does from Python 3.14 on)."""
    for process in list(pool._processes.values()):
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def read_in_order(paths: list[Path], read: Callable[[Path], T]) -> Iterator[tuple[Path, T]]:
    """Yield each file with what `read` makes of it, in order; large stores are read by
    several processes.

    A pool of reader processes takes the files from the front, a few at a time, and this
    process reads the next one itself whenever none of theirs is back, so that all
    finish together however fast each goes; their reads come back pickled, and every
    file whose turn has come is yielded at once. A file a reader did not send back (it
    died, or its read could not be sent) is read here.
    """
    sizes = [p.stat().st_size if p.exists() else 0 for p in paths]
    workers = min(os.cpu_count() or 1, len(paths)) - 1  # and this process
    pool = None
    if sum(sizes) >= PARALLEL_FROM_BYTES and workers >= 1 and fast():
        pool = forked_pool(workers, _set_reader, read)
    if pool is None:
        yield from ((path, read(path)) for path in paths)
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    reads: dict[int, T] = {}
    sent: dict[Future[T], int] = {}
    taken = given = 0  # files taken (by the pool or here), files yielded
    try:
        while given < len(paths):
            while taken < len(paths) and len(sent) < 2 * workers:
                try:
                    sent[pool.submit(_read_there, paths[taken])] = taken
                except BrokenProcessPool:  # a reader died: this process reads the rest
                    break
                taken += 1
            for future in [f for f in sent if f.done()]:
                i = sent.pop(future)
                reads[i] = read(paths[i]) if future.exception() else future.result()
            while given in reads:
                yield paths[given], reads.pop(given)
                given += 1
            if taken < len(paths):
                reads[taken] = read(paths[taken])
                taken += 1
            elif sent:
                wait(sent, return_when=FIRST_COMPLETED)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_read: Callable[[Path], Any] | None = None  # in a reader process: the function that reads


def _set_reader(read: Callable[[Path], Any]) -> None:
    global _read
    _read = read


def _read_there(path: Path) -> Any:
    assert _read is not None
    return _read(path)
