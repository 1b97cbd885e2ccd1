"""Shared machinery of the fuzz suite: profiles, seeds, oracles and the one outcome check.

Profiles (chosen with the environment variable REDACTGUARD_FUZZ, default `ci`):

- `ci`: a bounded, derandomised run (the same examples every time, so CI never flakes) that
  takes about a minute and a half on a 2-core machine (zip members carry a fixed date and qpdf
  writes deterministic ids, so the mutants are the same bytes on every run too);
- `fuzz`: the longer campaign behind `make fuzz`: many more examples, random seeds, and
  hypothesis' example database so a failure found once is replayed first next time.

Every example goes through `check_outcome`, which holds the rules of issue 7: no exception
escapes; every problem code is a known one; no problem message or excerpt holds a protected
value; the check ends inside its time budget; and a document is `clean` only if an independent
reader of the same bytes (PDFium, poppler, a lenient unzip) cannot see a protected value in it.
The last rule is what turns "a mutation destroyed the page holding the address" into a test: if
any other reader still shows the address, redactguard must not have said clean.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import redactguard
from redactguard.document import PROBLEM_CODES
from redactguard.findings import DocumentResult, Report
from redactguard.scanner import Scanner, ScanOptions

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
ORDER_YAML = FIXTURES / "sample-case" / "order.yaml"

#: Seconds one mutated document may take (its own time budget, enforced by the scanner) and the
#: watchdog past which the test calls it a hang (the scanner failed to stop itself).
DOC_TIMEOUT = 10.0
HANG_AFTER = 30.0

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci", max_examples=80, deadline=None, derandomize=True, database=None,
    suppress_health_check=_HEALTH, print_blob=True,
)
settings.register_profile(
    "fuzz", max_examples=800, deadline=None, suppress_health_check=_HEALTH, print_blob=True,
)
PROFILE = os.environ.get("REDACTGUARD_FUZZ", "ci")


def scaled(examples: int) -> settings:
    """The profile's settings with `examples` examples in the ci profile (scaled up in the others)."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(5, base.max_examples * examples // 80))


#: What an independent reader must never see in a document that redactguard calls clean:
#: spellings of the sample order's items that redactguard blocks (lower case, single spaces).
SECRETS = (
    "14 cherry tree road",
    "14 cherry tree rd",
    "07700 900461",
    "07700900461",
    "j.ashworth.home@example.org",
    "ls6 3ex",
    "st mary's c of e primary school",
)


def visible_secrets(text: str) -> list[str]:
    flat = " ".join(text.split()).casefold()
    return [s for s in SECRETS if s in flat]


@pytest.fixture(scope="session")
def order() -> redactguard.Order:
    return redactguard.load_order(ORDER_YAML)


@pytest.fixture(scope="session")
def scanner(order: redactguard.Order) -> Scanner:
    """Order items only (the generic model is not what is under test), with a time budget."""
    return Scanner(order, "respondent", ScanOptions(generic=False, model=None, timeout=DOC_TIMEOUT))


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block runs past `seconds`."""

    def fire(signum: int, frame: object) -> None:
        raise HangError(f"the check did not stop within {seconds:g} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class HangError(AssertionError):
    """The scanner ran past its own time budget by far: its deadline checks were not reached."""


@dataclass
class Tally:
    """Counts per target, printed at the end of the session (examples run, outcomes seen)."""

    runs: dict[str, dict[str, int]]

    def add(self, target: str, outcome: str) -> None:
        counts = self.runs.setdefault(target, {})
        counts[outcome] = counts.get(outcome, 0) + 1


TALLY = Tally({})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLY.runs:
        return
    terminalreporter.section(f"fuzz examples (profile {PROFILE})")
    for target, counts in sorted(TALLY.runs.items()):
        total = sum(counts.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        terminalreporter.write_line(f"{target}: {total} examples ({detail})")


def check_result(result: DocumentResult, oracle_text: str, target: str, *, tally: bool = True) -> None:
    """The rules every outcome keeps (see the module docstring)."""
    assert result.status in ("blocked", "review", "clean", "unreadable")
    for problem in result.problems:
        assert problem.code in PROBLEM_CODES, problem.code
        assert problem.message
        assert visible_secrets(problem.message) == [], "a problem message quotes a protected value"
    for finding in result.findings:
        assert visible_secrets(finding.excerpt) == [], "an excerpt shows a protected value"
    if result.status == "clean":
        seen = visible_secrets(oracle_text)
        assert seen == [], (
            f"clean, but an independent reader sees {len(seen)} protected value(s) in the document"
        )
    if tally:
        outcome = result.status if not result.problems else "unreadable:" + ",".join(sorted({p.code for p in result.problems}))
        TALLY.add(target, outcome)


def scan_mutant(scanner: Scanner, data: bytes, name: str) -> DocumentResult:
    """Scan bytes in this process under a watchdog; the scanner's own deadline must stop it."""
    started = time.monotonic()
    with watchdog(HANG_AFTER):
        result = scanner.scan_bytes(data, name)
    elapsed = time.monotonic() - started
    assert elapsed < HANG_AFTER
    if any(p.code == "timeout" for p in result.problems):
        # fail-closed, but a few-KB file should never need the budget: that is a slow path to fix
        pytest.fail(f"a {len(data)}-byte mutant ran past the {DOC_TIMEOUT:g} s budget ({elapsed:.1f} s)")
    return result


FAILURES = REPO / ".fuzz-failures"


def check_mutant(scanner: Scanner, data: bytes, name: str, oracle: Callable[[bytes], str], target: str) -> DocumentResult:
    """Scan one mutant and check its outcome; a failing mutant is kept in .fuzz-failures/."""
    try:
        result = scan_mutant(scanner, data, name)
        check_result(result, oracle(data), target)
    except BaseException:
        print(f"failing mutant kept as {_keep(data, target, name, 'fail')}")
        raise
    if result.status == "clean" and os.environ.get("REDACTGUARD_FUZZ_KEEP_CLEAN"):
        _keep(data, target, name, "clean")  # to review by hand what passed as clean
    return result


def _keep(data: bytes, target: str, name: str, why: str) -> Path:
    import hashlib

    FAILURES.mkdir(exist_ok=True)
    kept = FAILURES / f"{why}-{target.replace(' ', '-')}-{hashlib.sha256(data).hexdigest()[:12]}{Path(name).suffix}"
    kept.write_bytes(data)
    return kept


def check_report(report: Report, oracle_text: str, target: str) -> None:
    """A multi-document outcome: the exit code is 0 only if nothing is visible to other readers."""
    for doc in report.documents:
        check_result(doc, "", target, tally=False)
    if report.exit_code() == 0 and all(d.status == "clean" for d in report.documents):
        assert visible_secrets(oracle_text) == [], "every member clean, but an unzip shows a protected value"
    TALLY.add(target, f"exit {report.exit_code()}")


# --------------------------------------------------------------------------- independent readers


def pdf_oracle_text(data: bytes) -> str:
    """Everything PDFium and poppler can extract (page text, annotations they draw).

    Not the raw bytes: a splice can leave `(14 Cherry Tree Road) Tj` loose in a damaged file where
    no PDF reader draws it; such text is out of scope (docs/security.md, "What is not promised")."""
    return _pdfium_text(data) + "\n" + _poppler_text(data)


def _pdfium_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:
        return ""
    out = []
    try:
        for i in range(min(len(pdf), 50)):
            try:
                page = pdf[i]
                out.append(page.get_textpage().get_text_range())
            except Exception:
                continue
    finally:
        pdf.close()
    return "\n".join(out)


def _poppler_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    try:
        done = subprocess.run(
            ["pdftotext", "-q", "-l", "50", "-", "-"], input=data, capture_output=True, timeout=20,
        )
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.decode("utf-8", "replace")


def zip_oracle_text(data: bytes, depth: int = 0) -> str:
    """The text of every member a lenient unzip can get at (zips in zips too), tags stripped."""
    out = [_tags_stripped(data)]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:
        return out[0]
    for info in infos[:200]:
        if info.file_size > 20_000_000:
            continue
        try:
            member = zf.read(info)
        except Exception:
            continue
        if member.startswith(b"PK") and depth < 3:
            out.append(zip_oracle_text(member, depth + 1))
        elif b"%PDF" in member[:1024]:
            out.append(pdf_oracle_text(member))
        else:
            out.append(_tags_stripped(member))
    return "\n".join(out)


def _tags_stripped(data: bytes) -> str:
    """Text between XML tags, with the run boundaries Word splits words at closed up."""
    text = data.decode("utf-8", "replace")
    text = re.sub(r"</w:t>.*?<w:t(?: [^>]*)?>", "", text, flags=re.S)  # runs in one paragraph
    return re.sub(r"<[^>]*>", " ", text)


@functools.cache
def qpdf_variant(path: Path, kind: str) -> bytes | None:
    """The PDF rewritten by qpdf (`qdf`: uncompressed and readable; `objstm`: object streams and
    a cross-reference stream), or None without qpdf."""
    if shutil.which("qpdf") is None:
        return None
    args = {
        "qdf": ["--qdf", "--object-streams=disable", "--deterministic-id"],
        "objstm": ["--object-streams=generate", "--compress-streams=y", "--deterministic-id"],
    }[kind]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.pdf"
        done = subprocess.run(["qpdf", *args, str(path), str(out)], capture_output=True)
        if done.returncode not in (0, 3):  # 3: warnings
            return None
        return out.read_bytes()
