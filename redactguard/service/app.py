"""The HTTP service (`redactguard serve`): the CLI's scan and redact for document systems.

Starlette on uvicorn. Each request: authenticate (bearer token), take one of `max_requests`
slots or answer 503, stream the upload into a private folder (`uploads.py`), run the work in a
process of its own (`jobs.py`, the CLI's executors inside it) while the event loop serves other
requests, answer, and remove the folder before the answer leaves (a zip of redacted copies is
streamed from a file that is already unlinked). Log lines carry a request id, counts, sizes,
the exit code and the time taken: never a file name, a field's value or an exception message.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import secrets
import shutil
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .._version import __version__
from ..errors import UsageError
from .jobs import Job, JobOutcome, run_job, start_fork_server, stop_all
from .openapi import OUTCOMES, REDACT_MEANINGS, openapi_document
from .uploads import Upload, UploadRejected, receive_upload

__all__ = ["ServiceSettings", "create_app", "serve"]

_log = logging.getLogger("redactguard.service")
EXIT_HEADER = "X-Redactguard-Exit-Code"
_CHOICES = {"fail_on": ("block", "review", "never"), "ocr": ("auto", "always", "never"),
            "generic": ("true", "false")}


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs; `redactguard serve`'s flags (docs/deploy.md, "The service")."""

    host: str = "127.0.0.1"
    port: int = 8080
    #: Bearer token every /v1 request must carry; None only with `insecure_local` on loopback.
    token: str | None = None
    insecure_local: bool = False
    max_upload_bytes: int = 256 * 1024 * 1024
    #: Seconds for a whole request (upload and work); past it every document fails closed.
    request_timeout: float = 900.0
    #: Seconds per document, as `scan --timeout`.
    timeout: float = 300.0
    #: Worker processes per request (None: all cores).
    jobs: int | None = None
    #: Requests worked on at once; more get 503 with Retry-After.
    max_requests: int = 2
    model: str | None = "default"
    ocr: str = "auto"
    #: Where each request's private folder is made (default: the system's temporary folder).
    work_dir: str | None = None

    def check(self) -> None:
        """Refuse settings that would expose documents: no token off loopback, nonsense limits."""
        loopback = _is_loopback(self.host)
        if self.insecure_local and not loopback:
            raise UsageError("--insecure-local is only allowed with --host 127.0.0.1 (or ::1)")
        if not self.token and not self.insecure_local:
            raise UsageError("the service needs a bearer token: set REDACTGUARD_TOKEN or give --token-file "
                             "(or, on 127.0.0.1 only, --insecure-local)")
        if self.token is not None and len(self.token) < 16:
            raise UsageError("the bearer token must be at least 16 characters")
        if self.max_upload_bytes < 1 or self.request_timeout <= 0 or self.max_requests < 1:
            raise UsageError("the upload limit, request time limit and slots must be positive")
        if self.work_dir is not None and not os.path.isdir(self.work_dir):
            raise UsageError(f"--work-dir: {self.work_dir} is not a folder")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Service:
    def __init__(self, settings: ServiceSettings):
        self.settings = settings
        self.limiter = anyio.CapacityLimiter(settings.max_requests)
        self.threads = anyio.CapacityLimiter(settings.max_requests)

    def authorised(self, request: Request) -> bool:
        token = self.settings.token
        if not token:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())

    async def handle(self, request: Request, kind: str) -> Response:
        if not self.authorised(request):
            return _error(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
        try:
            self.limiter.acquire_nowait()
        except anyio.WouldBlock:
            return _error(503, "every slot is busy; retry later", headers={"Retry-After": "5"})
        request_id = secrets.token_hex(4)
        started = time.monotonic()
        folder = Path(tempfile.mkdtemp(prefix="redactguard-request-", dir=self.settings.work_dir))
        upload: Upload | None = None
        response: Response
        try:
            response, upload = await self._work(request, kind, folder, started)
        except Exception as exc:  # never the message or a traceback: either could quote a document
            _log.error("%s %s: internal error (%s)", request_id, kind, type(exc).__name__)
            response = _error(500, f"internal error ({type(exc).__name__}); the documents were not fully checked",
                              exit_code=3)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self.limiter.release()
        response.headers["X-Request-Id"] = request_id  # the id of this request's log line
        _log.info("%s %s: %d file(s), %d bytes, status %d, exit %s, %.2f s", request_id, kind,
                  len(upload.files) if upload else 0, upload.size if upload else 0, response.status_code,
                  response.headers.get(EXIT_HEADER, "-"), time.monotonic() - started)
        return response

    async def _work(self, request: Request, kind: str, folder: Path, started: float) -> tuple[Response, Upload | None]:
        settings = self.settings
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > settings.max_upload_bytes:
            return _error(413, f"the upload is over the limit of {settings.max_upload_bytes // (1024 * 1024)} MiB"), None
        try:
            with anyio.fail_after(settings.request_timeout):
                upload = await receive_upload(request.headers.get("content-type", ""), request.stream(), folder,
                                              settings.max_upload_bytes)
            job = self._job(kind, upload)
        except TimeoutError:
            return _error(408, "the upload did not arrive within the request's time limit"), None
        except ClientDisconnect:  # nobody is left to answer; the log line says so
            return _error(499, "the client went away during the upload"), None
        except UploadRejected as exc:
            return _error(exc.status, str(exc), exit_code=2 if exc.status == 400 else None), None
        left = settings.request_timeout - (time.monotonic() - started)
        outcome = await anyio.to_thread.run_sync(run_job, job, max(left, 0.1), limiter=self.threads)
        if outcome.report is None:  # a usage error (bad order or recipient) or an internal one
            status = 400 if outcome.exit_code == 2 else 500
            return _error(status, outcome.error or "the request failed", exit_code=outcome.exit_code), upload
        if kind == "redact" and outcome.exit_code == 0:
            archive = await anyio.to_thread.run_sync(_zip_outputs, folder, outcome, limiter=self.threads)
            return _zip_response(archive), upload
        meanings = REDACT_MEANINGS if kind == "redact" else {}
        name, meaning = OUTCOMES[outcome.exit_code]
        body = {"exit_code": outcome.exit_code, "outcome": name,
                "meaning": meanings.get(outcome.exit_code, meaning), "report": outcome.report}
        return JSONResponse(body, headers={EXIT_HEADER: str(outcome.exit_code)}), upload

    def _job(self, kind: str, upload: Upload) -> Job:
        fields = upload.fields
        for name, choices in _CHOICES.items():
            if name in fields and fields[name] not in choices:
                raise UploadRejected(400, f"{name} must be one of {', '.join(choices)}")
        if kind == "redact" and ("fail_on" in fields or "ocr" in fields or "generic" in fields):
            raise UploadRejected(400, "redact takes the order, the recipient, the files and a label")
        if kind == "scan" and "label" in fields:
            raise UploadRejected(400, "scan does not take a label")
        if not upload.files:
            raise UploadRejected(400, "no files: send one or more documents (or zip bundles) as `files`")
        recipient = fields.get("recipient") or None
        if kind == "redact" and (upload.order is None or recipient is None):
            raise UploadRejected(400, "redact needs the order and the recipient")
        settings = self.settings
        return Job(
            kind=kind, folder=str(upload.folder), files=tuple(upload.files), order=upload.order,
            order_name=upload.order_name, recipient=recipient, fail_on=fields.get("fail_on", "block"),
            generic=fields.get("generic", "true") == "true", model=settings.model,
            ocr=fields.get("ocr", settings.ocr), timeout=settings.timeout, jobs=settings.jobs,
            label=fields.get("label", "[WITHHELD]"),
        )


def _zip_outputs(folder: Path, outcome: JobOutcome) -> IO[bytes]:
    """The verified copies and their logs (as written under out/), and the report, zipped into
    an already unlinked file: the request's folder can go before the answer is sent."""
    import json

    path = folder / "response.zip"
    out = folder / "out"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(out.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(out).as_posix())
        archive.writestr("redaction-report.json", json.dumps(outcome.report, indent=2) + "\n")
    handle = open(path, "rb")  # noqa: SIM115 (closed by the response's iterator)
    path.unlink()
    return handle


def _zip_response(handle: IO[bytes]) -> Response:
    def chunks() -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(1024 * 1024):
                yield chunk

    return StreamingResponse(chunks(), media_type="application/zip", headers={
        EXIT_HEADER: "0", "Content-Disposition": 'attachment; filename="redacted.zip"'})


def _error(status: int, message: str, *, exit_code: int | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    all_headers = dict(headers or {})
    if exit_code is not None:
        name, meaning = OUTCOMES[exit_code]
        body.update(exit_code=exit_code, outcome=name, meaning=meaning)
        all_headers[EXIT_HEADER] = str(exit_code)
    return JSONResponse(body, status_code=status, headers=all_headers)


def create_app(settings: ServiceSettings) -> Starlette:
    """The ASGI application for `settings` (checked first)."""
    settings.check()
    service = _Service(settings)

    async def scan(request: Request) -> Response:
        return await service.handle(request, "scan")

    async def redact(request: Request) -> Response:
        return await service.handle(request, "redact")

    async def healthz(request: Request) -> Response:
        busy = settings.max_requests - int(service.limiter.available_tokens)
        return JSONResponse({"status": "ok", "version": __version__, "busy": busy, "slots": settings.max_requests})

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(__version__))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(start_fork_server)
        try:
            yield
        finally:
            stop_all()

    return Starlette(routes=[
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/scan", scan, methods=["POST"]),
        Route("/v1/redact", redact, methods=["POST"]),
    ], lifespan=lifespan)


def serve(settings: ServiceSettings) -> None:
    """Run the service until interrupted (uvicorn, logs on stderr)."""
    import copy

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    app = create_app(settings)
    logs = copy.deepcopy(LOGGING_CONFIG)  # uvicorn's own, with our request lines beside its own
    logs["loggers"]["redactguard"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=logs, server_header=False,
                proxy_headers=False, timeout_graceful_shutdown=10)
