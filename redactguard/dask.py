"""The same scan on a Dask cluster: `DaskExecutor` runs work units as Dask tasks.

It is the second back-end of `run.Executor` (the local process pool is the first), so the
pipeline, the merge of page ranges and the report are exactly those of a local scan. Each
worker loads the models once (a worker plugin) and receives the scanner, with its compiled
order, once (scattered to every worker). Documents are read by path where the workers share
storage with the client, or their bytes are sent (`ship_bytes`). The client keeps a bounded
window of units in flight, yields results in input order as they arrive, and fails closed:

- a worker that dies mid-unit has the unit re-run by Dask on another worker
  (`distributed.scheduler.allowed-failures`); a unit that still cannot finish (KilledWorker,
  lost data after our own resubmissions, a lost connection) is `worker_lost`;
- a unit that runs past `timeout` on its worker is `timeout`: its task is cancelled and the
  worker process ended (its nanny starts a new one), since a Python thread cannot be stopped.

Nothing Dask shows or logs carries document text or order values: task keys are
`redactguard-unit-<token>-<n>-<attempt>`, the plugin holds only scan options, every failure inside a task
becomes a problem (exception type only) before it can reach a log, and the reprs of units,
sources and results name paths and counts only. This module imports `distributed`, so it is
imported only when a Dask scan is asked for (`pip install 'redactguard[dask]'`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from typing import Any

import dask.config
from distributed import Client, Future, LocalCluster, wait
from distributed.client import FuturesCancelledError
from distributed.diagnostics.plugin import WorkerPlugin

from .errors import RedactguardError, UnreadableDocument, UsageError
from .findings import DocumentResult
from .run import failed_result
from .scanner import Scanner, ScanOptions, WorkUnit

__all__ = ["DaskExecutor", "WarmModels", "open_client", "dask_executor", "CONNECT_TIMEOUT"]

log = logging.getLogger(__name__)

#: Seconds to reach a remote scheduler before the scan is a usage error (exit 2).
CONNECT_TIMEOUT = 10.0
#: Seconds to wait for a first worker on a scheduler that has none yet.
WORKERS_TIMEOUT = 60.0
#: Units in flight per worker thread: enough that no worker waits for the client, few enough
#: that shipped bytes and the scheduler's task table stay small on a 100,000-document batch.
IN_FLIGHT_PER_THREAD = 4
#: How often a unit whose data Dask lost (every copy of the scanner or its bytes died with
#: workers) is submitted again before it is `worker_lost`.
RESUBMITS = 2
#: Seconds between checks of how long running units have been running.
POLL = 0.5
#: How many files the client asks the workers about to decide whether they share its storage.
PROBE_FILES = 20

_LOST = "the Dask worker checking the document was lost"

#: Settings of `--scheduler local`, for its scheduler, nannies and workers (each worker's nanny
#: copies the client's config). Dask's statistical profiler samples every thread of a worker
#: every 10 ms, holding the GIL: on the Python-bound scan that made each unit about a sixth
#: slower, for a profile nobody looks at (the local cluster has no dashboard). Each process's
#: event loop also wakes every 20 ms to time itself (the tick, only for "event loop was
#: unresponsive" warnings) and samples CPU and memory every 0.5 s (the system monitor, for the
#: dashboard), and each nanny and worker checks the worker's memory every 0.1 s: idle, that is
#: an eighth of a core across client and two workers, 2 % with these values. The memory limit
#: is still enforced, within 0.5 s. A deployed cluster sets these in its own config
#: (docs/scale.md).
LOCAL_WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "500ms",
}

#: In each worker process: key -> monotonic start of the units running now (see `_running`).
_RUNNING: dict[str, float] = {}


def check_unit(scanner: Scanner, unit: WorkUnit, data: bytes | None, key: str) -> DocumentResult:
    """The Dask task: check one unit; never raises, so no exception text reaches a log."""
    _RUNNING[key] = time.monotonic()
    try:
        if data is not None:
            unit = replace(unit, source=replace(unit.source, data=data))
        return scanner.scan_unit(unit)
    except BaseException as exc:  # a library's message could quote the document
        return failed_result(unit.source, "corrupt", f"the check failed ({type(exc).__name__})")
    finally:
        _RUNNING.pop(key, None)


def _hold(scanner: Scanner) -> Scanner:
    """The task whose result is the run's scanner on the cluster (see `_Batch._scanner`)."""
    return scanner


def _running(prefix: str) -> dict[str, float]:
    """Run on each worker: seconds each of this run's units has been running there."""
    now = time.monotonic()
    return {key: now - start for key, start in list(_RUNNING.items()) if key.startswith(prefix)}


def _quiet_shutdown() -> None:
    """Run on each local worker as its cluster closes: a heartbeat that races the scheduler's
    shutdown would log a traceback on the user's terminal."""
    for name in ("distributed.worker", "distributed.nanny", "distributed.core", "distributed.comm"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _sees(files: list[tuple[str, int]]) -> bool:
    """Run on each worker: True if it sees every file, with the size the client sees."""
    try:
        return all(os.path.getsize(path) == size for path, size in files)
    except OSError:
        return False


class WarmModels(WorkerPlugin):
    """Loads the scan's models once per worker, before its first unit (and on joining later).

    Holds scan options only, never the order: plugins are kept by the scheduler and shown to
    every worker that joins.
    """

    def __init__(self, options: ScanOptions):
        self.options = options
        digest = hashlib.sha256(repr((options.generic, options.model, options.ocr)).encode()).hexdigest()
        self.name = f"redactguard-warm-{digest[:12]}"

    def setup(self, worker: Any) -> None:
        import logging

        # pypdf's warnings can quote a document: a worker whose logging nobody configured would
        # print them on stderr (Python's last resort); a NullHandler on pypdf's own logger stops
        # that, and still lets records reach whatever handlers the cluster's owner has set up.
        logging.getLogger("pypdf").addHandler(logging.NullHandler())
        Scanner(None, None, self.options).warm()


@dataclass
class _Flight:
    index: int
    key: str
    attempt: int


class DaskExecutor:
    """Runs work units on a Dask cluster; one result per unit, in input order.

    `ship_bytes`: None decides per run (bytes are sent when a worker cannot see the client's
    files); True always sends them; False has workers read the paths. `timeout` is the time
    budget per unit on its worker. `retries` re-runs a task that raised (a worker that could
    not load it); a worker's death is retried by the scheduler's own `allowed-failures`.
    """

    def __init__(self, client: Client, *, ship_bytes: bool | None = None, timeout: float | None = None, retries: int = 1):
        self.client = client
        self.ship_bytes = ship_bytes
        self.timeout = timeout
        self.retries = retries
        self.workers = max(1, sum(client.nthreads().values()))

    def run(self, scanner: Scanner, units: Sequence[WorkUnit], progress: Callable[[WorkUnit, DocumentResult], None] | None = None) -> Iterator[DocumentResult]:
        if not units:
            return
        self._warm(scanner.options)
        ship = self.ship_bytes if self.ship_bytes is not None else not self.workers_see(units)
        batch = _Batch(self, scanner, units, ship, progress)
        try:
            yield from batch.results()
        finally:
            batch.close()

    def _warm(self, options: ScanOptions) -> None:
        try:
            self.client.register_plugin(WarmModels(options))
        except RedactguardError as exc:
            raise UsageError(f"a Dask worker cannot load the scan's models: {exc}") from None
        except Exception as exc:
            raise UsageError(f"a Dask worker cannot load the scan's models ({type(exc).__name__}); "
                             "install redactguard (and the model) on every worker") from None

    def workers_see(self, units: Sequence[WorkUnit]) -> bool:
        """True if every worker sees a sample of the documents' files as the client does."""
        sample: dict[str, tuple[str, int]] = {}
        for unit in units:
            source = unit.source
            if source.problem is not None or source.data is not None:
                continue
            folder = os.path.dirname(os.path.abspath(source.fs_path))
            if folder not in sample and len(sample) < PROBE_FILES:
                try:
                    sample[folder] = (os.path.abspath(source.fs_path), os.path.getsize(source.fs_path))
                except OSError:
                    continue
        if not sample:
            return True
        answers = self.client.run(_sees, list(sample.values()), on_error="return")
        return bool(answers) and all(answer is True for answer in answers.values())


class _Batch:
    """One run's bookkeeping: a window of futures in flight, results buffered into order."""

    def __init__(self, owner: DaskExecutor, scanner: Scanner, units: Sequence[WorkUnit], ship: bool,
                 progress: Callable[[WorkUnit, DocumentResult], None] | None):
        self.client = owner.client
        self.owner = owner
        self.scanner = scanner
        self.units = units
        self.ship = ship
        self.progress = progress
        self.token = secrets.token_hex(4)
        self.prefix = "redactguard-unit-"
        self.window = max(2, IN_FLIGHT_PER_THREAD * owner.workers)
        self.pending: deque[int] = deque(range(len(units)))
        self.flying: dict[Future, _Flight] = {}
        self.submitted: dict[str, float] = {}
        self.attempts: dict[int, int] = {}
        self.done: dict[int, DocumentResult] = {}
        self.shipped: dict[int, Future] = {}  # first unit of a document -> its bytes on the cluster
        self.last_poll = 0.0
        self.scanner_future: Future | None = None

    # ------------------------------------------------------------------ the loop
    def results(self) -> Iterator[DocumentResult]:
        next_out = 0
        while next_out < len(self.units):
            try:
                self._fill()
                self._collect()
                self._check_time()
            except (OSError, TimeoutError):  # the scheduler is gone: nothing more can be checked
                self._lose_everything("the connection to the Dask scheduler was lost")
            while next_out in self.done:
                yield self.done.pop(next_out)
                next_out += 1

    def close(self) -> None:
        try:
            if self.flying:
                self.client.cancel(list(self.flying))
        except Exception:  # closing down: a failure here must not hide the scan's outcome
            log.debug("could not cancel the remaining Dask tasks", exc_info=False)
        self.flying.clear()
        self.shipped.clear()
        self.scanner_future = None

    def _record(self, index: int, result: DocumentResult) -> None:
        self.done[index] = result
        unit = self.units[index]
        if unit.index == unit.count - 1:
            self.shipped.pop(index - unit.index, None)
        if self.progress is not None:
            self.progress(unit, result)

    def _lose_everything(self, message: str) -> None:
        waiting = [f.index for f in self.flying.values()] + list(self.pending)
        self.flying.clear()
        self.pending.clear()
        for index in sorted(waiting):
            self._record(index, failed_result(self.units[index].source, "worker_lost", message))

    # ------------------------------------------------------------------ submitting
    def _fill(self) -> None:
        while self.pending and len(self.flying) < self.window:
            index = self.pending.popleft()
            unit = self.units[index]
            if unit.source.problem is not None:  # nothing to send: the problem is the result
                self._record(index, self.scanner.scan_unit(unit))
                continue
            data: Any = None
            if self.ship:
                data = self._bytes_for(index)
                if data is None:  # unreadable here: the scanner says why, exactly as a worker would
                    self._record(index, self.scanner.scan_unit(unit))
                    continue
            else:
                unit = replace(unit, source=replace(unit.source, fs_path=os.path.abspath(unit.source.fs_path)))
            attempt = self.attempts.get(index, 0)
            key = f"{self.prefix}{self.token}-{index}-{attempt}"
            future = self.client.submit(
                check_unit, self._scanner(), unit, data, key, key=key, pure=False, retries=self.owner.retries,
            )
            self.flying[future] = _Flight(index, key, attempt)
            self.submitted[key] = time.monotonic()

    def _scanner(self) -> Future:
        """The scanner on the cluster, as the result of one task that holds it.

        Not `scatter`: scattered data has no lineage, and once its last copy dies with a worker
        (the active memory manager trims broadcast copies back to one) every unit waiting on it
        is cancelled. A task's result is recomputed instead, and copied once to each worker
        that runs a unit.
        """
        if self.scanner_future is None or self.scanner_future.status in ("cancelled", "lost", "error"):
            key = f"redactguard-scanner-{self.token}-{secrets.token_hex(2)}"
            self.scanner_future = self.client.submit(_hold, self.scanner, key=key, pure=False)
        return self.scanner_future

    def _bytes_for(self, index: int) -> Future | None:
        """A document's bytes, read here and scattered once for all its units; None if unreadable."""
        unit = self.units[index]
        first = index - unit.index
        held = self.shipped.get(first)
        if held is not None and held.status == "finished":
            return held
        try:
            data = unit.source.read_bytes(self.scanner._limits())
        except (UnreadableDocument, OSError):
            return None
        held = self.client.scatter(data, hash=False)
        self.shipped[first] = held
        return held

    # ------------------------------------------------------------------ collecting
    def _collect(self) -> None:
        if not self.flying:
            return
        done = {f for f in self.flying if f.status in ("cancelled", "lost")}
        if not done:
            try:
                done, _ = wait(list(self.flying), timeout=POLL, return_when="FIRST_COMPLETED")
            except TimeoutError:
                return
            except FuturesCancelledError:  # cancelled while waiting: handled below, by status
                done = {f for f in self.flying if f.status != "pending"}
        finished = [f for f in done if f.status == "finished"]
        values = self._gather(finished)
        for future in done:
            flight = self.flying.pop(future, None)
            if flight is None:
                continue
            self.submitted.pop(flight.key, None)
            if future in values:
                self._record(flight.index, values[future])
            elif future.status == "error":
                self._record(flight.index, self._failure(flight.index, future))
            else:  # cancelled or lost: Dask lost data it cannot recompute (the scattered copies)
                self._resubmit(flight)

    def _gather(self, finished: list[Future]) -> dict[Future, DocumentResult]:
        if not finished:
            return {}
        try:
            return dict(zip(finished, self.client.gather(finished), strict=True))
        except Exception:  # one of them went missing meanwhile: take the others one by one
            out = {}
            for future in finished:
                try:
                    out[future] = future.result(timeout=CONNECT_TIMEOUT)
                except Exception:
                    continue
            return out

    def _failure(self, index: int, future: Future) -> DocumentResult:
        from distributed.scheduler import KilledWorker

        exc = future.exception()
        if isinstance(exc, KilledWorker):
            message = f"{_LOST} (it died on every worker the unit was retried on)"
        else:
            message = f"{_LOST} (the worker could not run the check: {type(exc).__name__})"
        return failed_result(self.units[index].source, "worker_lost", message)

    def _resubmit(self, flight: _Flight) -> None:
        if flight.attempt >= RESUBMITS:
            self._record(flight.index, failed_result(self.units[flight.index].source, "worker_lost", _LOST))
            return
        self.attempts[flight.index] = flight.attempt + 1
        self.pending.appendleft(flight.index)

    # ------------------------------------------------------------------ the time budget
    def _check_time(self) -> None:
        timeout = self.owner.timeout
        if timeout is None or not self.flying:
            return
        now = time.monotonic()
        suspects = {key for key, t in self.submitted.items() if now - t > timeout}
        if not suspects or now - self.last_poll < POLL:
            return  # nothing in flight can have run that long yet
        self.last_poll = now
        # Only the workers holding a suspect are asked how long it has been running there.
        where = [w for w, keys in self.client.processing().items() if suspects.intersection(keys)]
        if not where:
            return
        by_key = {flight.key: future for future, flight in self.flying.items()}
        late: dict[str, list[Future]] = {}
        answers = self.client.run(_running, f"{self.prefix}{self.token}-", workers=where, on_error="return")
        for worker, running in answers.items():
            if isinstance(running, dict):
                late[worker] = [by_key[k] for k, seconds in running.items() if seconds > timeout and k in by_key]
        late = {worker: futures for worker, futures in late.items() if futures}
        if not late:
            return
        message = f"the document ran past the time budget of {timeout:g} s"
        for futures in late.values():
            for future in futures:
                flight = self.flying.pop(future)
                self.submitted.pop(flight.key, None)
                self._record(flight.index, failed_result(self.units[flight.index].source, "timeout", message))
        self.client.cancel([f for futures in late.values() for f in futures])
        # A thread stuck in a library loop cannot be stopped, and a graceful restart would wait
        # for it: its worker process ends at once, and its nanny starts a fresh one.
        self.client.run(_end_process, workers=list(late), wait=False, on_error="ignore")


async def _end_process() -> None:
    """Run on a worker whose unit ran past its budget: end the process now (a coroutine, so
    `client.run` need not wait for an answer that cannot come)."""
    os._exit(70)


# ---------------------------------------------------------------------- connecting
_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/]+:\d+$")


@contextmanager
def open_client(scheduler: str, jobs: int | None = None) -> Iterator[Client]:
    """A client for `local` (a loopback cluster of `jobs` worker processes) or a scheduler address.

    An address that cannot be reached within CONNECT_TIMEOUT is a UsageError (exit 2).
    """
    if scheduler == "local":
        workers = max(1, jobs or os.cpu_count() or 1)
        # One thread per process: the scan is Python-bound, and a stuck unit's restart then
        # takes no other unit with it. Loopback only, no dashboard.
        # The settings stay for the cluster's life: its nannies start (and restart) workers later.
        with dask.config.set(LOCAL_WORKER_CONFIG):
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            with cluster, Client(cluster) as client:
                try:
                    client.wait_for_workers(workers, timeout=WORKERS_TIMEOUT)
                except TimeoutError:
                    raise UsageError(f"the local Dask cluster's workers did not start within {WORKERS_TIMEOUT:g} s") from None
                try:
                    yield client
                finally:
                    with suppress(Exception):  # the cluster is going away: its own shutdown races are not news
                        client.run(_quiet_shutdown)
        return
    if not _ADDRESS.match(scheduler):
        raise UsageError(f"--scheduler: expected tcp://HOST:PORT (or tls://HOST:PORT) or local, not {scheduler!r}")
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise UsageError(
            f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_TIMEOUT:g} s "
            f"({type(exc).__name__}); check the address and that `dask scheduler` is running there"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            raise UsageError(f"the Dask scheduler at {scheduler} has had no worker for {WORKERS_TIMEOUT:g} s") from None
        yield client


@contextmanager
def dask_executor(scheduler: str, *, jobs: int | None = None, timeout: float | None = None,
                  ship_bytes: bool | None = None) -> Iterator[DaskExecutor]:
    """A DaskExecutor on `open_client(scheduler, jobs)`, closed afterwards.

    A local cluster shares this machine's files, so it reads paths unless told otherwise.
    """
    if scheduler == "local" and ship_bytes is None:
        ship_bytes = False
    with open_client(scheduler, jobs) as client:
        yield DaskExecutor(client, ship_bytes=ship_bytes, timeout=timeout)
