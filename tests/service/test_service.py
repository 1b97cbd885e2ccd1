"""`redactguard serve` as a document system meets it: a real uvicorn server on a free loopback
port, started as a command, and httpx as the client (issue [13]).

The command is `python -m redactguard` of this environment, or the executable named by
REDACTGUARD_EXE (tools/check_wheel.sh points it at the installed wheel's `redactguard`).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi

from redactguard.api import scan as library_scan

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "fixtures" / "sample-case"
BUNDLE = SAMPLE / "bundle"
ORDER = SAMPLE / "order.yaml"
FILES = REPO / "fixtures" / "files"
OCR = REPO / "fixtures" / "ocr"
TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: A file name that quotes the protected address: it must reach the report, never the log.
TELLING_NAME = "letter about 14 Cherry Tree Road.txt"


def _command() -> list[str]:
    exe = os.environ.get("REDACTGUARD_EXE")
    return [exe] if exe else [sys.executable, "-m", "redactguard"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    work: Path

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.log.read_text("utf-8", "replace")


def start_server(tmp: Path, *flags: str, token: str | None = TOKEN) -> Server:
    tmp.mkdir(parents=True, exist_ok=True)
    work = tmp / "work"
    work.mkdir(exist_ok=True)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTGUARD_") or k == "REDACTGUARD_EXE"}
    if token is not None:
        env["REDACTGUARD_TOKEN"] = token
    log = tmp / "server.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen([*_command(), "serve", "--port", str(port), "--work-dir", str(work), *flags],
                                   stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=tmp)
    server = Server(f"http://127.0.0.1:{port}", process, log, work)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.stop()
    raise AssertionError("the server did not answer /healthz within 120 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("service"), "--max-upload-mb", "2", "--jobs", "1")
    yield running
    log = running.stop()
    # the log never names a document nor quotes a value of the order, whatever was sent
    for secret in ("Cherry Tree", "07700 900461", "j.ashworth.home", "St Mary", "police-letter", "contact-note"):
        assert secret not in log, f"the server log quotes {secret!r}"
    assert "POST /v1/scan" in log and "exit 1" in log  # it does log each request


@pytest.fixture(scope="module")
def openapi(server: Server) -> dict:
    document = httpx.get(f"{server.url}/openapi.json").json()
    validate_openapi(document)
    return document


def conforms(document: dict, schema: str, body: dict) -> None:
    """`body` is valid against components/schemas/`schema` of the service's OpenAPI document."""
    jsonschema.Draft202012Validator({**document, "$ref": f"#/components/schemas/{schema}"}).validate(body)


def bundle_files(*names: str) -> list[tuple[str, tuple[str, bytes]]]:
    paths = [BUNDLE / n for n in names] if names else sorted(BUNDLE.iterdir())
    return [("files", (p.name, p.read_bytes())) for p in paths]


def post(server: Server, route: str, files: list, data: dict | None = None, **kwargs) -> httpx.Response:
    form = [("order", ("order.yaml", ORDER.read_bytes())), *files]
    return httpx.post(f"{server.url}{route}", files=form, data=data or {}, headers=kwargs.pop("headers", AUTH),
                      timeout=kwargs.pop("timeout", 120), **kwargs)


def test_health_and_schema_need_no_token(server: Server, openapi: dict) -> None:
    health = httpx.get(f"{server.url}/healthz").json()
    assert health["status"] == "ok" and health["slots"] == 2
    conforms(openapi, "Health", health)
    assert set(openapi["paths"]) == {"/healthz", "/v1/scan", "/v1/redact"}


def test_scan_blocks_the_sample_case_for_the_respondent(server: Server, openapi: dict, tmp_path: Path) -> None:
    reply = post(server, "/v1/scan", bundle_files(), {"recipient": "respondent"})
    assert reply.status_code == 200
    body = reply.json()
    conforms(openapi, "ScanResult", body)
    assert body["exit_code"] == 1 and body["outcome"] == "blocked"
    assert reply.headers["X-Redactguard-Exit-Code"] == "1"
    assert reply.headers["X-Request-Id"] in server.log.read_text()  # the log line of this request
    report = body["report"]
    # the same report the library gives for the same files, paths as the client named them
    local = tmp_path / "bundle"
    shutil.copytree(BUNDLE, local)
    os.chdir(local)
    try:
        expected = library_scan(sorted(p.name for p in local.iterdir()), ORDER, "respondent").to_dict()
    finally:
        os.chdir(REPO)
    assert [(d["path"], d["status"], len(d["findings"])) for d in report["documents"]] == \
        [(d["path"], d["status"], len(d["findings"])) for d in expected["documents"]]
    assert report["order"]["sha256"] == expected["order"]["sha256"]
    assert "Cherry Tree" not in reply.text and "07700 900461" not in reply.text


def test_scan_for_the_court_is_clean_and_options_apply(server: Server) -> None:
    body = post(server, "/v1/scan", bundle_files(), {"recipient": "court"}).json()
    assert body["exit_code"] == 0, body["report"]["summary"]
    body = post(server, "/v1/scan", bundle_files(), {"recipient": "court", "fail_on": "review"}).json()
    assert body["exit_code"] == 1 and body["report"]["summary"]["review"] >= 1
    body = post(server, "/v1/scan", bundle_files(), {"recipient": "court", "fail_on": "review", "generic": "false"}).json()
    assert body["report"]["summary"]["review"] < post(
        server, "/v1/scan", bundle_files(), {"recipient": "court"}).json()["report"]["summary"]["review"]


def test_a_zip_bundle_is_read_member_by_member(server: Server) -> None:
    body = post(server, "/v1/scan", bundle_files("school-letters.zip"), {"recipient": "respondent"}).json()
    paths = [d["path"] for d in body["report"]["documents"]]
    assert len(paths) >= 2 and all(p.startswith("school-letters.zip!") for p in paths)
    assert body["exit_code"] == 1


def test_a_telling_file_name_is_reported_masked_and_never_logged(server: Server) -> None:
    files = [("files", (TELLING_NAME, b"Nothing to see here.\n"))]
    body = post(server, "/v1/scan", files, {"recipient": "respondent"}).json()
    assert body["exit_code"] == 1  # the name itself discloses the address
    assert "Cherry Tree" not in json.dumps(body)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": TOKEN}])
def test_a_missing_or_wrong_token_is_refused(server: Server, openapi: dict, headers: dict) -> None:
    reply = post(server, "/v1/scan", bundle_files("contact-note.txt"), {"recipient": "respondent"}, headers=headers)
    assert reply.status_code == 401 and reply.headers["WWW-Authenticate"] == "Bearer"
    conforms(openapi, "Error", reply.json())
    assert "report" not in reply.json()


def test_an_oversize_upload_is_refused_declared_or_streamed(server: Server) -> None:
    big = os.urandom(3 * 1024 * 1024)
    try:
        reply = post(server, "/v1/scan", [("files", ("big.bin", big))], {"recipient": "respondent"})
        assert reply.status_code == 413
    except httpx.WriteError:  # the server may answer and close before the body is all sent
        pass

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.bin\"\r\n\r\n"
        for _ in range(12):
            yield b"x" * (256 * 1024)
        yield b"\r\n--b--\r\n"

    headers = {**AUTH, "Content-Type": "multipart/form-data; boundary=b"}
    reply = httpx.post(f"{server.url}/v1/scan", content=chunks(), headers=headers, timeout=60)
    assert reply.status_code == 413 and "limit" in reply.json()["error"]


def test_a_bad_order_or_recipient_is_a_usage_error_that_quotes_nothing(server: Server, openapi: dict) -> None:
    bad = ORDER.read_text().replace("kind: phone", "kind: telephone")
    reply = httpx.post(f"{server.url}/v1/scan", headers=AUTH, data={"recipient": "respondent"}, files=[
        ("order", ("order.yaml", bad.encode())), *bundle_files("contact-note.txt")], timeout=60)
    assert reply.status_code == 400
    body = reply.json()
    conforms(openapi, "Error", body)
    assert body["exit_code"] == 2 and "order.yaml:" in body["error"]
    assert "07700" not in body["error"]
    reply = post(server, "/v1/scan", bundle_files("contact-note.txt"), {"recipient": "nobody"})
    assert reply.status_code == 400 and reply.json()["exit_code"] == 2
    reply = post(server, "/v1/scan", bundle_files("contact-note.txt"), {"recipient": "court", "ocr": "sometimes"})
    assert reply.status_code == 400 and "ocr" in reply.json()["error"]
    reply = post(server, "/v1/scan", [], {"recipient": "court"})
    assert reply.status_code == 400 and "no files" in reply.json()["error"]
    reply = post(server, "/v1/scan", [("files", ("../escape.txt", b"x"))], {"recipient": "court"})
    assert reply.status_code == 400
    reply = httpx.post(f"{server.url}/v1/scan", headers=AUTH, content=b"{}", timeout=30)
    assert reply.status_code == 415


def test_a_corrupt_file_fails_closed(server: Server, openapi: dict) -> None:
    files = [("files", ("truncated.pdf", (FILES / "truncated.pdf").read_bytes())),
             ("files", ("contact-note.txt", (BUNDLE / "contact-note.txt").read_bytes()))]
    reply = post(server, "/v1/scan", files, {"recipient": "court"})
    assert reply.status_code == 200
    body = reply.json()
    conforms(openapi, "ScanResult", body)
    assert body["exit_code"] == 3 and body["outcome"] == "unreadable"
    statuses = {d["path"]: d["status"] for d in body["report"]["documents"]}
    assert statuses["truncated.pdf"] == "unreadable" and statuses["contact-note.txt"] != "unreadable"


def test_redact_returns_verified_copies_and_their_logs(server: Server, tmp_path: Path) -> None:
    reply = post(server, "/v1/redact", bundle_files("police-letter.pdf", "social-work-report.docx"),
                 {"recipient": "respondent"})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/zip" and reply.headers["X-Redactguard-Exit-Code"] == "0"
    with zipfile.ZipFile(io.BytesIO(reply.content)) as archive:
        names = set(archive.namelist())
        assert names == {"police-letter.pdf", "police-letter.pdf.redaction.json", "social-work-report.docx",
                         "social-work-report.docx.redaction.json", "redaction-report.json"}
        archive.extractall(tmp_path / "copies", members=["police-letter.pdf", "social-work-report.docx"])
        report = json.loads(archive.read("redaction-report.json"))
    assert [d["status"] for d in report["documents"]] == ["written", "written"]
    # the copies, checked again here, disclose nothing withheld from the respondent
    again = library_scan(tmp_path / "copies", ORDER, "respondent", generic=False)
    assert again.exit_code() == 0, again.summary()


def test_redact_that_cannot_finish_returns_the_report_not_copies(server: Server, openapi: dict) -> None:
    files = [("files", ("truncated.pdf", (FILES / "truncated.pdf").read_bytes())), *bundle_files("police-letter.pdf")]
    reply = post(server, "/v1/redact", files, {"recipient": "respondent"})
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    body = reply.json()
    conforms(openapi, "RedactResult", body)
    assert body["exit_code"] == 3
    assert {d["input"]: d["status"] for d in body["report"]["documents"]}["in/truncated.pdf"] == "unreadable"
    reply = post(server, "/v1/redact", bundle_files("police-letter.pdf"), {})
    assert reply.status_code == 400 and "recipient" in reply.json()["error"]


def _stalled_scan(server: Server, release: threading.Event, result: dict) -> threading.Thread:
    """A scan whose upload waits for `release` half-way: it holds a slot until then."""

    def body() -> Iterator[bytes]:
        yield (b"--b\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\nrespondent\r\n"
               b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"contact-note.txt\"\r\n\r\n")
        release.wait(60)
        yield (BUNDLE / "contact-note.txt").read_bytes() + b"\r\n--b\r\nContent-Disposition: form-data; name=\"order\"; " \
            b"filename=\"order.yaml\"\r\n\r\n" + ORDER.read_bytes() + b"\r\n--b--\r\n"

    def run() -> None:
        headers = {**AUTH, "Content-Type": "multipart/form-data; boundary=b"}
        result["reply"] = httpx.post(f"{server.url}/v1/scan", content=body(), headers=headers, timeout=120)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _busy(server: Server, count: int) -> None:
    deadline = time.monotonic() + 30
    while httpx.get(f"{server.url}/healthz").json()["busy"] != count:
        assert time.monotonic() < deadline, "the stalled requests never took their slots"
        time.sleep(0.05)


def test_two_requests_run_at_once_and_a_third_waits_its_turn(server: Server) -> None:
    release = threading.Event()
    first: dict = {}
    thread = _stalled_scan(server, release, first)
    try:
        _busy(server, 1)
        # while the first request is still in flight, another one is answered in full
        second = post(server, "/v1/scan", bundle_files("police-letter.pdf"), {"recipient": "respondent"})
        assert second.status_code == 200 and second.json()["exit_code"] == 1
        assert thread.is_alive() and "reply" not in first
        # with both slots taken, a third request is told to come back
        other_release = threading.Event()
        other: dict = {}
        other_thread = _stalled_scan(server, other_release, other)
        try:
            _busy(server, 2)
            third = post(server, "/v1/scan", bundle_files("contact-note.txt"), {"recipient": "respondent"})
            assert third.status_code == 503 and int(third.headers["Retry-After"]) > 0
        finally:
            other_release.set()
            other_thread.join(120)
    finally:
        release.set()
        thread.join(120)
    for got in (first, other):
        assert got["reply"].status_code == 200 and got["reply"].json()["exit_code"] == 1


def test_concurrent_scans_give_the_reports_of_sequential_ones(server: Server) -> None:
    sequential = [post(server, "/v1/scan", bundle_files(), {"recipient": r}).json() for r in ("respondent", "court")]
    replies: dict[str, dict] = {}

    def run(recipient: str) -> None:
        replies[recipient] = post(server, "/v1/scan", bundle_files(), {"recipient": recipient}).json()

    threads = [threading.Thread(target=run, args=(r,)) for r in ("respondent", "court")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    def shape(body: dict) -> list:
        return [(d["path"], d["status"], [(f["item"], f["severity"]) for f in d["findings"]])
                for d in body["report"]["documents"]]

    assert shape(replies["respondent"]) == shape(sequential[0]) and shape(replies["court"]) == shape(sequential[1])
    assert replies["respondent"]["exit_code"] == 1 and replies["court"]["exit_code"] == 0


def test_request_folders_are_removed_after_each_request(server: Server) -> None:
    post(server, "/v1/scan", bundle_files("contact-note.txt"), {"recipient": "respondent"})
    post(server, "/v1/redact", bundle_files("police-letter.pdf"), {"recipient": "respondent"})
    assert list(server.work.iterdir()) == []


def test_a_request_past_its_time_limit_fails_closed(tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("needs Tesseract (tesseract-ocr) for a slow OCR request")
    slow = start_server(tmp_path, "--request-timeout", "1", "--jobs", "1")
    try:
        files = [("files", (f"scan-{i}.pdf", (OCR / "scanned-letter.pdf").read_bytes())) for i in range(4)]
        reply = post(slow, "/v1/scan", files, {"recipient": "respondent", "ocr": "always"})
        body = reply.json()
        assert reply.status_code == 200 and body["exit_code"] == 3
        assert {p["code"] for d in body["report"]["documents"] for p in d["problems"]} == {"timeout"}
        assert httpx.get(f"{slow.url}/healthz").json()["busy"] == 0
        assert list(slow.work.iterdir()) == []
        # an upload that does not arrive in time is cut off, and its slot and folder freed
        release = threading.Event()
        stalled: dict = {}
        thread = _stalled_scan(slow, release, stalled)
        try:
            _busy(slow, 1)
            _busy(slow, 0)  # the server gave up on it while the client still holds the rest
        finally:
            release.set()
        thread.join(30)
        assert stalled["reply"].status_code == 408
        assert httpx.get(f"{slow.url}/healthz").json()["busy"] == 0
        assert list(slow.work.iterdir()) == []
    finally:
        slow.stop()


@pytest.mark.parametrize("flags, token", [
    (["--host", "0.0.0.0", "--insecure-local"], None),  # no token off loopback, whatever the flag
    (["--host", "0.0.0.0"], None),
    ([], None),  # loopback still needs a token without --insecure-local
    ([], "short"),
])
def test_the_service_will_not_start_unprotected(tmp_path: Path, flags: list[str], token: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTGUARD_")}
    if token:
        env["REDACTGUARD_TOKEN"] = token
    done = subprocess.run([*_command(), "serve", "--port", str(_free_port()), *flags], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "token" in done.stderr or "insecure-local" in done.stderr


def test_insecure_local_serves_loopback_without_a_token(tmp_path: Path) -> None:
    local = start_server(tmp_path, "--insecure-local", token=None)
    try:
        reply = post(local, "/v1/scan", bundle_files("contact-note.txt"), {"recipient": "respondent"}, headers={})
        assert reply.status_code == 200 and reply.json()["exit_code"] == 1
    finally:
        local.stop()
