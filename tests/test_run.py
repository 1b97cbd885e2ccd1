"""Executors: a process pool gives the same report as a serial scan, and a time budget fails closed."""

from __future__ import annotations

from pathlib import Path

import redactguard
from redactguard.run import ProcessExecutor, SerialExecutor
from redactguard.scanner import Scanner, ScanOptions
from redactguard.sources import collect

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "fixtures" / "sample-case"


def test_two_workers_give_the_serial_report_in_the_same_order() -> None:
    order = redactguard.load_order(SAMPLE / "order.yaml")
    paths = [str(SAMPLE / "bundle"), str(REPO / "fixtures" / "files")]
    serial = redactguard.scan(paths, order, "respondent", model=None, executor=SerialExecutor())
    pooled = redactguard.scan(paths, order, "respondent", model=None, executor=ProcessExecutor(jobs=2, timeout=120))
    assert len(serial.documents) >= 15
    assert serial.to_dict() == pooled.to_dict()  # same statuses, findings, locations, order


def test_a_document_past_the_time_budget_is_unreadable_never_clean() -> None:
    scanner = Scanner(options=ScanOptions(generic=False, timeout=0.000001))
    sources = collect([str(SAMPLE / "bundle" / "police-letter.pdf")])
    (result,) = list(ProcessExecutor(jobs=1, timeout=0.000001).run(scanner, sources))
    assert result.status == "unreadable"
    assert [p.code for p in result.problems] == ["timeout"]


def test_a_worker_that_dies_loses_no_document(tmp_path: Path) -> None:
    """A worker killed mid-document: that document is worker_lost, the others are still checked."""
    import os
    import signal

    class Dying(Scanner):
        def scan_source(self, source):  # type: ignore[no-untyped-def]
            if source.path.endswith("contact-note.txt"):
                os.kill(os.getpid(), signal.SIGKILL)
            return super().scan_source(source)

    scanner = Dying(options=ScanOptions(generic=False))
    sources = collect([str(SAMPLE / "bundle")])
    results = list(ProcessExecutor(jobs=2, timeout=60).run(scanner, sources))
    assert len(results) == len(sources)
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in results}
    assert [p.code for p in by_name["contact-note.txt"].problems] == ["worker_lost"]
    assert by_name["social-work-report.docx"].problems == ()
