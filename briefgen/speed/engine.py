"""The helper processes of a build: writer processes and a pandoc citation server.

`briefgen build` starts them first thing, before it reads the store: pandoc first, as
a memo's notes are what it waits for longest (pandoc reads the workspace's CSL style and
formats a dummy memo), then the writer processes, which import their
writer (reportlab and the fonts, or python-docx), all while this process loads and
checks the workspace. The build then formats each memo's citations
through the one pandoc process (see cite.Citeproc), finishes the memo here and hands
each format to an idle writer process, preferring one that has its writer loaded.

Each writer process is a ProcessPoolExecutor of one forked process (speed.parallel),
so that a memo's format can go to the process that has its writer loaded.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import speed
from ..writers import FORMATS
from . import parallel

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from ..cite.pandoc import Citeproc
    from ..errors import BriefgenError
    from ..model import Layout, Memo

# The writers loaded ahead, one per writer process (reportlab and the fonts take longest
# to load): both ahead, a memo's DOCX is written at once with its PDF, instead of after
# python-docx loads.
LOAD_AHEAD = tuple(f.name for f in FORMATS.values() if f.heavy)
# Helpers run at a lower priority than the build itself: they only need to be ready when
# the build needs them, and the build, which loads the store meanwhile, is what the
# user waits for (measured: docs/performance.md).
HELPER_NICENESS = 5


@dataclass
class Unit:
    """One file to write: a finished memo in one format, to a path in the staging folder."""

    memo: Memo
    fmt: str
    target: Path
    tag: Any = None  # the caller's, returned with the result
    layout: Layout | None = None  # for a format measured by another: that format's layout


@dataclass
class Done:
    """A unit written: its page count (PDF), how full its last page is, and its layout."""

    unit: Unit
    pages: int | None
    last_page_lines: int
    layout: Layout | None = None


class _Layouts:
    """The layouts of one write's memos, for the formats laid out to another's measure.

    A DOCX takes its page numbers from its memo's PDF: while the PDF of the same memo is
    still to be written, the DOCX waits (the caller yields each memo's PDF first), then
    gets the PDF's layout. A DOCX whose PDF is not built, or failed, lays itself out.
    """

    def __init__(self) -> None:
        self._waiting: dict[int, int] = {}  # id(memo) -> its measuring units not yet done
        # id(memo) -> (memo, layout): the memo is held, so that no other memo takes its id
        self._done: dict[int, tuple[Memo, Layout]] = {}

    def queued(self, unit: Unit) -> None:
        if _measures(unit.fmt):
            self._waiting[id(unit.memo)] = self._waiting.get(id(unit.memo), 0) + 1

    def ready(self, unit: Unit) -> bool:
        return FORMATS[unit.fmt].measured_by is None or not self._waiting.get(id(unit.memo))

    def finished(self, unit: Unit, layout: Layout | None) -> None:
        if not _measures(unit.fmt):
            return
        # only a measuring unit counts down, and its memo's count goes when it is done:
        # a DOCX or HTML counting too took it below zero, and a later memo given the same
        # id() then waited for ever
        key = id(unit.memo)
        if key in self._waiting:  # (units written in this process are not queued)
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
        if layout is not None:
            self._done[key] = (unit.memo, layout)

    def give(self, unit: Unit) -> None:
        """Hand `unit` the layout of its memo's measuring format, if it takes one."""
        measured, memo = FORMATS[unit.fmt].measured_by, unit.memo
        known = self._done.get(id(memo))
        if measured is not None and known is not None and known[0] is memo:
            unit.layout = known[1]


def _measures(fmt: str) -> bool:
    """Return whether another format is laid out to the measure of `fmt`."""
    return any(f.measured_by == fmt for f in FORMATS.values())


def measuring_first(formats: list[str]) -> list[str]:
    """Return `formats` in the order their units are written: the measuring ones first."""
    return sorted(formats, key=lambda fmt: not _measures(fmt))


@dataclass
class _Writer:
    pool: ProcessPoolExecutor
    warm: set[str] = field(default_factory=set)
    unit: Unit | None = None
    result: Future[tuple[int | None, int, Layout | None]] | None = None


class Engine:
    """Writer processes and a citation server, shared by the memos of one build."""

    def __init__(
        self, workers: int, formats: list[str], style: Path | None = None, locale: str = "en-US"
    ) -> None:
        self._workers: list[_Writer] = []
        self._citeproc: Citeproc | None = None
        self._stopping: list[Citeproc] = []  # servers told to stop, reaped in close()
        self._locale = locale
        try:
            if style is not None:  # pandoc first; the writers close their copies of its pipes
                self._start_citeproc(style, locale)
            if workers > 1 and speed.fast():
                self._start_writers(workers, formats)
        except BaseException:  # Ctrl-C while they start: stop what did
            self.close()
            raise

    # --- citations -----------------------------------------------------------------------

    @property
    def citeproc(self) -> Citeproc:
        """Return the citation server, starting it (unprimed) if the build had no style."""
        if self._citeproc is None:
            self._start_citeproc(None, self._locale)
        assert self._citeproc is not None
        return self._citeproc

    def citations_done(self) -> None:
        """Let the citation server stop: every memo's citations are formatted."""
        if self._citeproc is not None:
            self._citeproc.finish()
            self._stopping.append(self._citeproc)
            self._citeproc = None

    def _start_citeproc(self, style: Path | None, locale: str) -> None:
        from ..cite.pandoc import Citeproc

        self._citeproc = Citeproc(style, locale, HELPER_NICENESS)

    # --- writing -------------------------------------------------------------------------

    def _start_writers(self, count: int, formats: list[str]) -> None:
        """Start `count` writer processes; one loads each writer of `formats` ahead."""
        ahead = [f for f in LOAD_AHEAD if f in formats]
        for i in range(count):
            pool = parallel.forked_pool(1, _start_writer, self._citeproc)
            if pool is None:  # no fork here: every memo is written in this process
                return
            warm = ahead[i : i + 1]
            pool.submit(_prepare, warm)  # this starts the process
            self._workers.append(_Writer(pool, set(warm)))

    def write(
        self,
        units: Iterator[Unit],
        done: Callable[[Done], None] | None = None,
        failed: Callable[[Unit, BriefgenError], None] | None = None,
    ) -> list[Done]:
        """Write every unit, in the writer processes if there are any; return the results.

        `units` is consumed lazily: the next memo is finished (and its citations
        formatted) while the writer processes are busy with the ones before it. A unit
        that fails with briefgen's own error raises it, or, given `failed`, is handed to
        it and the other units are written all the same.
        """
        from ..errors import BriefgenError

        results: list[Done] = []
        layouts = _Layouts()

        def record(result: Done | BriefgenError, unit: Unit) -> None:
            layouts.finished(unit, result.layout if isinstance(result, Done) else None)
            if isinstance(result, BriefgenError):
                if failed is None:
                    raise result
                failed(unit, result)
                return
            results.append(result)
            if done:
                done(result)

        if not self._workers:
            for unit in units:  # in order: a memo's PDF before its DOCX
                layouts.give(unit)
                try:
                    result: Done | BriefgenError = write_unit(unit)
                except BriefgenError as exc:
                    result = exc
                record(result, unit)
            return results
        try:
            self._hand_out(units, record, layouts)
        except Exception:
            self._settle()
            raise
        return results

    def _hand_out(
        self,
        units: Iterator[Unit],
        record: Callable[[Done | BriefgenError, Unit], None],
        layouts: _Layouts,
    ) -> None:
        """Give each unit to an idle writer process, and record each result as it comes."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        queue: deque[Unit] = deque()
        source: Iterator[Unit] | None = units
        while True:
            idle = [w for w in self._workers if w.unit is None]
            # keep one unit ready for every writer process, then hand them out
            while source is not None and len(queue) < len(self._workers):
                ready = next(source, None)
                if ready is None:
                    source = None
                else:
                    queue.append(ready)
                    layouts.queued(ready)
            # each unit that may be written now, in order, to an idle process that has
            # its writer loaded if there is one
            for unit in [u for u in queue if layouts.ready(u)]:
                if not idle:
                    break
                worker = next((w for w in idle if unit.fmt in w.warm), idle[0])
                idle.remove(worker)
                queue.remove(unit)
                layouts.give(unit)
                worker.unit = unit
                worker.warm.add(unit.fmt)
                try:
                    worker.result = worker.pool.submit(_write_there, unit)
                except BrokenProcessPool:  # it has gone: say so as when it goes while writing
                    raise _stopped(unit) from None
            busy = {w.result: w for w in self._workers if w.result is not None}
            if not busy:
                if source is None and not queue:
                    return
                continue
            for result in wait(busy, return_when=FIRST_COMPLETED).done:
                record(*self._receive(busy[result]))

    def _settle(self) -> None:
        """Wait for the units still being written when a write failed, and drop them, so
        that the next write of this engine gets only results of its own."""
        for worker in self._workers:
            if worker.result is not None:
                with contextlib.suppress(Exception):
                    worker.result.result()
                worker.unit = worker.result = None

    def _receive(self, worker: _Writer) -> tuple[Done | BriefgenError, Unit]:
        """Return a writer process's result, or its error if it is briefgen's own (raise
        any other), with its unit."""
        from concurrent.futures.process import BrokenProcessPool

        from ..errors import BriefgenError

        unit, result = worker.unit, worker.result
        worker.unit = worker.result = None
        assert unit is not None and result is not None
        try:
            pages, lines, layout = result.result()
        except BrokenProcessPool:
            raise _stopped(unit) from None
        except BriefgenError as exc:
            return exc, unit
        return Done(unit, pages, lines, layout), unit

    def close(self) -> None:
        """Stop the writer processes and the citation server.

        Every unit is written (or the build failed) by now, so a writer process still
        loading its writer, or told to stop, holds nothing worth waiting for.
        """
        for worker in self._workers:
            parallel.stop(worker.pool)
        self._workers = []
        self.citations_done()
        for citeproc in self._stopping:
            citeproc.close()
        self._stopping = []

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stopped(unit: Unit) -> Exception:
    """Return the error of a writer process that went away while it had `unit`."""
    from ..errors import BriefgenError

    return BriefgenError(
        f"the process writing {unit.target.name} stopped (out of memory?); nothing was written"
    )


def write_unit(unit: Unit) -> Done:
    """Write one unit in this process."""
    from ..errors import BriefgenError, disk_full
    from ..readers.files import writing
    from ..writers import writer

    write = writer(unit.fmt)
    options = {"layout": unit.layout} if FORMATS[unit.fmt].measured_by else {}
    with writing(unit.target.name):
        try:
            result = write(unit.memo, unit.target, **options)
        except Exception as exc:  # noqa: BLE001 - a writer's failure is reported, not dumped
            if disk_full(exc):
                raise
            raise BriefgenError(
                f"could not write {unit.target.name}: {type(exc).__name__}: "
                f"{exc} (please report this as a briefgen bug)"
            ) from None
        with open(unit.target, "rb") as handle:
            os.fsync(handle.fileno())
    pages = int(result) if isinstance(result, int) else None
    return Done(unit, pages, getattr(result, "last_page_lines", 0), getattr(result, "layout", None))


def _start_writer(citeproc: Citeproc | None) -> None:
    """Set up a writer process: lower its priority, and close its copies of pandoc's
    pipes, so that pandoc sees the end of its input when the build is done with it."""
    if citeproc is not None:
        citeproc.forget()
    os.nice(HELPER_NICENESS)


def _prepare(warm: list[str]) -> None:
    """In a writer process: load the writers in `warm` ahead of the first memo."""
    from ..writers import prepare

    # Loading reportlab and the fonts makes a great many objects, none of them garbage:
    # with the cyclic collector paused it takes a quarter less time, and frozen after,
    # they are not scanned again at every collection while memos are written.
    gc.disable()
    for fmt in warm:
        with contextlib.suppress(Exception):  # if it fails, the first memo says how
            prepare(fmt)
    gc.freeze()
    gc.enable()


def _write_there(unit: Unit) -> tuple[int | None, int, Layout | None]:
    """In a writer process: write one unit; return its page count, last page's lines and
    layout."""
    done = write_unit(unit)
    return done.pages, done.last_page_lines, done.layout
