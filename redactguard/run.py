"""Work units handed to an executor; the pipeline never knows which executor runs it.

An executor takes a picklable `Scanner` and a list of `Source`s and yields one
`DocumentResult` per source, in input order. `SerialExecutor` runs in this process;
`ProcessExecutor` runs a pool of worker processes with a hard time budget per document (a
reader that hangs in a library loop is killed, and its document fails closed with `timeout`;
a worker that dies takes its document to `worker_lost`). The Dask back-end implements the same
interface.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from .document import Problem
from .findings import DocumentResult
from .scanner import Scanner
from .sources import Source

__all__ = ["Executor", "SerialExecutor", "ProcessExecutor", "Progress", "make_executor", "failed_result"]

#: Called after each document with (documents done, documents total, pages in that document).
Progress = Callable[[int, int, int], None]


class Executor(Protocol):
    def run(self, scanner: Scanner, sources: Sequence[Source], progress: Progress | None = None) -> Iterator[DocumentResult]: ...


def failed_result(source: Source, code: str, message: str) -> DocumentResult:
    """The result for a document whose check could not finish: never clean."""
    return DocumentResult(source.path, "", "unknown", None, problems=(Problem(code, message),))


class SerialExecutor:
    """Checks documents one after another in this process (no hard time limit)."""

    def run(self, scanner: Scanner, sources: Sequence[Source], progress: Progress | None = None) -> Iterator[DocumentResult]:
        total = len(sources)
        for done, source in enumerate(sources, 1):
            result = scanner.scan_source(source)
            if progress is not None:
                progress(done, total, result.pages or 0)
            yield result


def _worker_main(conn: Connection, scanner: Scanner) -> None:
    """Worker loop: receive (index, source), send (index, result); None ends the loop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, source = task
        try:
            result = scanner.scan_source(source)
        except BaseException as exc:  # never let a worker report a document as clean by dying quietly
            result = failed_result(source, "corrupt", f"the check failed ({type(exc).__name__})")
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
    replaced after `max_tasks` documents to keep memory flat over long batches.
    """

    def __init__(self, jobs: int | None = None, timeout: float | None = None, max_tasks: int = 200):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
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

    def run(self, scanner: Scanner, sources: Sequence[Source], progress: Progress | None = None) -> Iterator[DocumentResult]:
        total = len(sources)
        if total == 0:
            return
        if self._mp.get_start_method() == "fork":
            scanner.warm()  # forked workers inherit the loaded models instead of each loading them
        pending = deque(enumerate(sources))
        results: dict[int, DocumentResult] = {}
        workers = [self._start(scanner) for _ in range(min(self.jobs, total))]
        next_out, finished = 0, 0
        try:
            while next_out < total:
                for w in workers:
                    if w.task is None and pending:
                        index, source = pending.popleft()
                        w.conn.send((index, source))
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
                            result = failed_result(sources[index], "worker_lost", "the worker process checking the document was lost")
                    elif self.timeout is not None and time.monotonic() - w.task[1] > self.timeout:
                        result = failed_result(sources[index], "timeout", f"the document ran past the time budget of {self.timeout:g} s")
                    elif not w.process.is_alive():
                        result = failed_result(sources[index], "worker_lost", "the worker process checking the document was lost")
                    if result is None:
                        continue
                    results[index] = result
                    finished += 1
                    w.task = None
                    w.done += 1
                    if gone or w.done >= self.max_tasks:
                        self._stop(w, kill=gone)
                        workers[i] = self._start(scanner) if (pending or any(x.task for x in workers)) else w
                    if progress is not None:
                        progress(finished, total, result.pages or 0)
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


def make_executor(jobs: int | None, timeout: float | None) -> Executor:
    """Serial for one job without a time budget; otherwise a process pool."""
    if (jobs or os.cpu_count() or 1) <= 1 and timeout is None:
        return SerialExecutor()
    return ProcessExecutor(jobs, timeout)
