"""One request's work, run in a process of its own with a hard time limit.

The service never checks a document in its own process. Each request's scan or redaction runs
in a child process started from multiprocessing's fork server (a clean single-threaded process
that imported the libraries once), and that child runs the same code as the CLI: `api.scan`
with a `ProcessExecutor` (workers, a time budget per document) or `redaction.redact`. The
request thread waits for the child; when the request's time limit passes, the child's whole
process group (its workers, a running `tesseract`) is killed and every document fails closed
with `timeout`. A child that dies any other way fails its documents with `worker_lost`. The
child writes its answer as JSON into the request's folder; nothing it read travels any other
way.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["Job", "JobOutcome", "PRELOAD", "run_job", "start_fork_server", "stop_all"]

#: What the fork server imports once, so that each request's process starts with them.
PRELOAD = ["redactguard.api", "redactguard.redaction", "redactguard.detectors.generic",
           "redactguard.detectors.recognizers", "spacy", "pypdf", "docx"]
RESULT = "result.json"
#: The request processes now running, so that a stopping service stops them too.
_RUNNING: set[Any] = set()


@dataclass(frozen=True)
class Job:
    """A request's work: `kind` scan or redact, in `folder` (inputs under `in/`)."""

    kind: str
    folder: str
    files: tuple[str, ...]
    order: bytes | None
    order_name: str
    recipient: str | None
    fail_on: str = "block"
    generic: bool = True
    model: str | None = "default"
    ocr: str = "auto"
    timeout: float | None = 300.0
    jobs: int | None = None
    label: str = "[WITHHELD]"


@dataclass
class JobOutcome:
    """The child's answer: an exit code (contract §3) and the report or the error message."""

    exit_code: int
    report: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def start_fork_server() -> None:
    """Start the fork server now, importing PRELOAD, so the first request does not wait for it."""
    context = _context()
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(PRELOAD)
        from multiprocessing import forkserver

        forkserver.ensure_running()


def run_job(job: Job, limit: float) -> JobOutcome:
    """Run `job` in a child process; at most `limit` seconds, then everything fails closed."""
    process = _context().Process(target=_child, args=(job,), daemon=False)
    process.start()
    _RUNNING.add(process)
    try:
        process.join(limit)
        if process.is_alive():
            _kill_group(process)
            return _failed(job, "timeout", f"the request ran past its time limit of {limit:g} s")
        _kill_group(process)  # workers a dying child left behind
    finally:
        _RUNNING.discard(process)
    result = Path(job.folder) / RESULT
    if process.exitcode != 0 or not result.is_file():
        return _failed(job, "worker_lost", "the process checking the documents was lost")
    data = json.loads(result.read_text("utf-8"))
    return JobOutcome(data["exit_code"], data.get("report"), data.get("error"))


def stop_all() -> None:
    """Kill every request process still running (the service is stopping)."""
    for process in list(_RUNNING):
        _kill_group(process)


def _kill_group(process: Any) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:  # not yet (or no longer) a group of its own
        if process.is_alive():
            process.kill()
    process.join(5)


def _failed(job: Job, code: str, message: str) -> JobOutcome:
    """The fail-closed answer for a job that did not finish: every document unreadable."""
    if job.kind == "redact":
        from ..document import Problem
        from ..redaction import RedactedDocument, RedactionReport

        documents = [RedactedDocument(f"in/{name}", None, "unreadable", problems=[Problem(code, message)])
                     for name in job.files]
        return JobOutcome(3, RedactionReport(documents, recipient=job.recipient or "").to_dict())
    from ..findings import DocumentResult, Report
    from ..run import failed_result
    from ..sources import Source

    results: list[DocumentResult] = [failed_result(Source(name, name), code, message) for name in job.files]
    return JobOutcome(3, Report(documents=tuple(results), recipient=job.recipient).to_dict())


def _child(job: Job) -> None:
    """The child: its own process group, the request's folder as working folder, the CLI's code."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from ..diagnostics import quiet_log

    quiet_log()  # a library's warnings (pypdf's can quote a document) never reach the service's log
    from ..atomic import write_atomic

    folder = Path(job.folder)
    outcome = _do(job, folder)
    write_atomic(folder / RESULT, json.dumps(outcome.to_dict()).encode("utf-8"))


def _do(job: Job, folder: Path) -> JobOutcome:
    from ..errors import RedactguardError
    from ..order import parse_order

    try:
        order = parse_order(job.order, source=job.order_name) if job.order is not None else None
        if order is not None:  # its values are masked in any log line, as in the CLI
            from ..diagnostics import protect_order

            protect_order(order)
        if job.kind == "scan":
            from ..api import scan
            from ..run import make_executor

            os.chdir(folder / "in")  # the report names documents as the client did
            report = scan(list(job.files), order, job.recipient, generic=job.generic, model=job.model,
                          ocr=job.ocr, timeout=job.timeout, executor=make_executor(job.jobs, job.timeout))
            return JobOutcome(report.exit_code(job.fail_on), report.to_dict())
        from ..redaction import redact

        if order is None:
            return JobOutcome(2, error="redaction needs the order")
        if not job.recipient:
            return JobOutcome(2, error="redaction needs the recipient")
        os.chdir(folder)
        redacted = redact([f"in/{name}" for name in job.files], order, job.recipient, output_dir="out",
                          label=job.label)
        return JobOutcome(redacted.exit_code(), redacted.to_dict())
    except RedactguardError as exc:  # messages name files, lines and fields, never a value
        return JobOutcome(exc.exit_code, error=str(exc))
    except Exception as exc:  # never the message: it could quote document text
        return JobOutcome(3, error=f"internal error ({type(exc).__name__}); the documents were not fully checked")
