"""Work units handed to an executor; the pipeline never knows which executor runs it.

`plan_units` turns documents into work units: a document, or a page range of a big PDF when
there are several workers to share it. An executor takes a picklable `Scanner` and the units
and yields one result per unit, in input order; `scan_sources` merges a document's units back
into one `DocumentResult`, identical to what a whole-document check gives. `SerialExecutor`
runs in this process; `ProcessExecutor` runs a pool of worker processes with a hard time
budget per unit (a reader that hangs in a library loop is killed, and its document fails
closed with `timeout`; a worker that dies takes its unit's document to `worker_lost`).
The Dask back-end implements the same interface.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from .document import Problem
from .findings import DocumentResult, merge_results
from .scanner import Scanner, WorkUnit
from .sources import Source

__all__ = [
    "Executor", "SerialExecutor", "ProcessExecutor", "Progress", "WorkUnit", "make_executor",
    "failed_result", "plan_units", "scan_sources",
]

#: Called as work finishes with (documents done, documents total, pages just checked).
Progress = Callable[[int, int, int], None]
#: A PDF is split into page ranges only if it is at least this big and has this many pages...
SPLIT_MIN_BYTES = 256 * 1024
SPLIT_MIN_PAGES = 60
#: ...into ranges of at least this many pages, about four per worker.
MIN_UNIT_PAGES = 25
#: A scanned PDF (most of its first pages paint images, so they are likely read by OCR at about
#: a second a page) is split from this many pages, into ranges as small as one page.
SPLIT_MIN_SCANNED_PAGES = 2
#: ...and, even with one worker, into ranges of at most this many pages (the time budget is per range).
MAX_SCANNED_UNIT_PAGES = 50
SCAN_SAMPLE_PAGES = 8
#: An image XObject's dictionary (`/Subtype /Image`): a PDF without one has no scanned pages
#: to spread (inline images in content streams are rare in scans and are read all the same).
_IMAGE_XOBJECT = re.compile(rb"/Subtype\s*/Image(?![A-Za-z0-9#])")


class Executor(Protocol):
    """Runs work units and yields one result per unit, in the order given."""

    #: How many units run at once (1: splitting documents gains nothing).
    workers: int

    def run(self, scanner: Scanner, units: Sequence[WorkUnit], progress: Callable[[WorkUnit, DocumentResult], None] | None = None) -> Iterator[DocumentResult]: ...


def failed_result(source: Source, code: str, message: str) -> DocumentResult:
    """The result for a document (or unit) whose check could not finish: never clean."""
    return DocumentResult(source.path, "", "unknown", None, problems=(Problem(code, message),))


def plan_units(
    sources: Sequence[Source], workers: int, max_pages: int | None = None, ocr: bool = True,
) -> list[WorkUnit]:
    """One unit per document; with several workers, big PDFs become page ranges.

    Only a PDF file that opens cleanly, has no earlier revisions (they are compared with every
    final page) and has at least SPLIT_MIN_PAGES pages is split; anything else is one unit,
    and the worker reports whatever is wrong with it. With `ocr`, a scanned PDF (most of its
    first pages paint images) is split from SPLIT_MIN_SCANNED_PAGES pages into small ranges, so
    that its OCR spreads over the workers.
    """
    units: list[WorkUnit] = []
    for source in sources:
        found = _split_pages(source, max_pages, ocr, workers) if workers > 1 or ocr else None
        if found is None or (workers <= 1 and not found[1]):
            units.append(WorkUnit(source))
            continue
        pages, scanned = found
        share = -(-pages // (workers * 4))
        # a scanned range also stays small enough for its OCR to fit the per-unit time budget
        size = max(1, min(share, MAX_SCANNED_UNIT_PAGES)) if scanned else max(MIN_UNIT_PAGES, share)
        ranges = [(lo, min(pages, lo + size)) for lo in range(0, pages, size)]
        units.extend(WorkUnit(source, r, i, len(ranges)) for i, r in enumerate(ranges))
    return units


def _split_pages(source: Source, max_pages: int | None, ocr: bool, workers: int) -> tuple[int, bool] | None:
    """The page count of a PDF worth splitting and whether it is scanned, else None.

    This runs in the parent before any worker starts, so it stays cheap: the count is the page
    tree's own /Count (the last range runs to the real end whatever it says, see
    `Scanner.scan_unit`), and pages are sampled for pictures only when some dictionary in the
    file is an image XObject (a stream, so never hidden in an object stream). With one worker
    a PDF is split only if it is scanned.
    """
    if source.members or source.data is not None or source.problem is not None:
        return None
    try:
        if os.path.getsize(source.fs_path) < SPLIT_MIN_BYTES:
            return None
        with open(source.fs_path, "rb") as fh:
            if not fh.read(1024).lstrip().startswith(b"%PDF"):
                return None
            fh.seek(0)
            data = fh.read()
        if data.count(b"%%EOF") > 1:
            return None
        images = ocr and _IMAGE_XOBJECT.search(data) is not None
        if workers <= 1 and not images:
            return None
        from .readers.pdf import open_pdf, page_has_images

        reader = open_pdf(data)
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        if not isinstance(count, int) or count < 1:
            return None
        if max_pages is not None and count > max_pages:
            return None
        scanned = False
        if images and count >= SPLIT_MIN_SCANNED_PAGES:
            pages = reader.pages
            sample = min(len(pages), SCAN_SAMPLE_PAGES)
            scanned = sum(page_has_images(pages[i]) for i in range(sample)) * 2 > sample
    except Exception:  # the worker that reads it whole will say what is wrong
        return None
    if count < SPLIT_MIN_PAGES and not scanned:
        return None
    return count, scanned


def scan_sources(
    executor: Executor, scanner: Scanner, sources: Sequence[Source], progress: Progress | None = None,
) -> Iterator[DocumentResult]:
    """Check documents with any executor; one merged result per document, in input order."""
    units = plan_units(sources, executor.workers, scanner.options.limits.max_pages, scanner.options.ocr != "never")
    total = len(sources)
    done = [0]

    def unit_done(unit: WorkUnit, result: DocumentResult) -> None:
        if unit.index == unit.count - 1:
            done[0] += 1
        if progress is not None:
            pages = result.pages or 0
            if unit.pages is not None:
                pages = unit.pages[1] - unit.pages[0]
            progress(done[0], total, pages)

    parts: list[DocumentResult] = []
    for unit, result in zip(units, executor.run(scanner, units, unit_done), strict=True):
        parts.append(result)
        if unit.index == unit.count - 1:
            yield merge_results(parts)
            parts = []


class SerialExecutor:
    """Checks units one after another in this process (no hard time limit)."""

    workers = 1

    def run(self, scanner: Scanner, units: Sequence[WorkUnit], progress: Callable[[WorkUnit, DocumentResult], None] | None = None) -> Iterator[DocumentResult]:
        for unit in units:
            result = scanner.scan_unit(unit)
            if progress is not None:
                progress(unit, result)
            yield result


def _worker_main(conn: Connection, scanner: Scanner) -> None:
    """Worker loop: receive (index, unit), send (index, result); None ends it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, unit = task
        try:
            result = scanner.scan_unit(unit)
        except BaseException as exc:  # never let a worker report a document as clean by dying quietly
            result = failed_result(unit.source, "corrupt", f"the check failed ({type(exc).__name__})")
        conn.send((index, result))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: tuple[int, float] | None = None  # (index, started)
    done: int = 0


class ProcessExecutor:
    """A pool of worker processes; each document gets at most `timeout` seconds.

    Workers are forked where the platform allows (the scanner, its compiled order and loaded
    models are shared copy-on-write), else spawned with the pickled scanner. A worker is
    replaced after `max_tasks` documents to keep memory flat over long batches. Where they are
    forked, the models load once, in this process, before the workers start.
    """

    def __init__(self, jobs: int | None = None, timeout: float | None = None, max_tasks: int = 200):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.workers = self.jobs
        self.timeout = timeout
        self.max_tasks = max_tasks
        methods = mp.get_all_start_methods()
        self._mp: Any = mp.get_context("fork" if "fork" in methods else "spawn")

    def _start(self, scanner: Scanner) -> _Worker:
        parent, child = self._mp.Pipe()
        proc = self._mp.Process(target=_worker_main, args=(child, scanner), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    @staticmethod
    def _stop(worker: _Worker, kill: bool = False) -> None:
        try:
            if not kill:
                worker.conn.send(None)
        except (OSError, ValueError):
            pass
        if kill:
            worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.conn.close()

    def run(self, scanner: Scanner, units: Sequence[WorkUnit], progress: Callable[[WorkUnit, DocumentResult], None] | None = None) -> Iterator[DocumentResult]:
        total = len(units)
        if total == 0:
            return
        frozen = False
        if self._mp.get_start_method() == "fork":
            # forked workers inherit the loaded models instead of each loading them (and, when
            # there are several, the libraries too: only the PDF reader's when the work is page
            # ranges of PDFs, which saves the parent a tenth of a second before any work starts)
            kinds = {"pdf"} if all(unit.pages is not None for unit in units) else None
            scanner.warm(libraries=min(self.jobs, total) > 1, kinds=kinds)
            frozen = _freeze_heap()
        try:
            yield from self._run(scanner, units, progress)
        finally:
            if frozen:
                gc.unfreeze()

    def _run(self, scanner: Scanner, units: Sequence[WorkUnit],
             progress: Callable[[WorkUnit, DocumentResult], None] | None) -> Iterator[DocumentResult]:
        total = len(units)
        pending = deque(range(total))
        results: dict[int, DocumentResult] = {}
        workers = [self._start(scanner) for _ in range(min(self.jobs, total))]
        next_out = 0
        try:
            while next_out < total:
                for w in workers:
                    if w.task is None and pending:
                        index = pending.popleft()
                        w.conn.send((index, units[index]))
                        w.task = (index, time.monotonic())
                busy = [w for w in workers if w.task is not None]
                ready = wait([w.conn for w in busy], timeout=self._wait_time(busy)) if busy else []
                for i, w in enumerate(list(workers)):
                    if w.task is None:
                        continue
                    index = w.task[0]
                    result = None
                    gone = True  # the parent gives up on this worker: it is killed and replaced
                    if w.conn in ready:
                        try:
                            got_index, result = w.conn.recv()
                            assert got_index == index
                            gone = False
                        except (EOFError, OSError):
                            result = failed_result(units[index].source, "worker_lost", "the worker process checking the document was lost")
                    elif self.timeout is not None and time.monotonic() - w.task[1] > self.timeout:
                        result = failed_result(units[index].source, "timeout", f"the document ran past the time budget of {self.timeout:g} s")
                    elif not w.process.is_alive():
                        result = failed_result(units[index].source, "worker_lost", "the worker process checking the document was lost")
                    if result is None:
                        continue
                    results[index] = result
                    w.task = None
                    w.done += 1
                    if gone or w.done >= self.max_tasks:
                        self._stop(w, kill=gone)
                        workers[i] = self._start(scanner) if (pending or any(x.task for x in workers)) else w
                    if progress is not None:
                        progress(units[index], result)
                while next_out in results:
                    yield results.pop(next_out)
                    next_out += 1
        finally:
            for w in workers:
                if w.process.is_alive():
                    self._stop(w, kill=w.task is not None)

    def _wait_time(self, busy: list[_Worker]) -> float:
        if self.timeout is None:
            return 1.0
        now = time.monotonic()
        left = min(self.timeout - (now - w.task[1]) for w in busy if w.task is not None)
        return max(0.01, min(1.0, left))


def _freeze_heap() -> bool:
    """Move every object now alive (libraries, loaded models) out of the garbage collector's
    sight before forking: a worker's full collection then neither walks them (a tenth of a second
    each time with spaCy loaded) nor writes to their pages, which stay shared with this process
    (the `gc.freeze` recipe of the Python docs). False if they were frozen already."""
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


def make_executor(jobs: int | None, timeout: float | None) -> Executor:
    """Serial for one job without a time budget; otherwise a process pool."""
    if (jobs or os.cpu_count() or 1) <= 1 and timeout is None:
        return SerialExecutor()
    return ProcessExecutor(jobs, timeout)
