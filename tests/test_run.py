"""Executors: a process pool gives the same report as a serial scan, and a time budget fails closed."""

from __future__ import annotations

from pathlib import Path

import redactguard
from redactguard.run import ProcessExecutor, SerialExecutor, scan_sources
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
    (result,) = list(scan_sources(ProcessExecutor(jobs=1, timeout=0.000001), scanner, sources))
    assert result.status == "unreadable"
    assert [p.code for p in result.problems] == ["timeout"]


def test_a_worker_that_dies_loses_no_document(tmp_path: Path) -> None:
    """A worker killed mid-document: that document is worker_lost, the others are still checked."""
    import os
    import signal

    class Dying(Scanner):
        def scan_unit(self, unit):  # type: ignore[no-untyped-def]
            if unit.source.path.endswith("contact-note.txt"):
                os.kill(os.getpid(), signal.SIGKILL)
            return super().scan_unit(unit)

    scanner = Dying(options=ScanOptions(generic=False))
    sources = collect([str(SAMPLE / "bundle")])
    results = list(scan_sources(ProcessExecutor(jobs=2, timeout=60), scanner, sources))
    assert len(results) == len(sources)
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in results}
    assert [p.code for p in by_name["contact-note.txt"].problems] == ["worker_lost"]
    assert by_name["social-work-report.docx"].problems == ()


def _long_pdf(path: Path, pages: int) -> None:
    """A real multi-page PDF (reportlab) with order items in every kind of place, one of them
    running across a page break, and a form field far from the first page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setAuthor("Jane Elizabeth Ashworth")
    for n in range(1, pages + 1):
        c.bookmarkPage(f"p{n}")
        if n == 3:
            c.addOutlineEntry("Letter to 14 Cherry Tree Road", "p3")
        text = c.beginText(56, 800)
        text.setFont("Helvetica", 10)
        if n == 11:  # the address goes on from the last line of page 10
            text.textLine("Tree Road, Headingley, Leeds LS6 3EX with the children.")
        for line in range(40):
            text.textLine(f"Page {n} line {line}: contact took place at the family centre as agreed.")
        if n == 10:
            text.textLine("The mother told the officer that she now lives at Flat 2, 14 Cherry")
        if n == 17:
            text.textLine("Her new mobile is 07700 900461.")
        c.drawText(text)
        if n == 12:
            c.textAnnotation("Call her on 07700 900461", Rect=(400, 700, 450, 750))
        if n == 20:
            c.acroForm.textfield(name="email", value="j.ashworth.home@example.org", x=56, y=100, width=250, height=20)
        c.showPage()
    c.save()


def test_a_big_pdf_in_page_ranges_gives_the_whole_document_report(tmp_path: Path, monkeypatch) -> None:
    """Split across workers in page ranges, a PDF's report equals the one-piece check: a match
    across a range boundary is found once, form fields keep their page, document parts once."""
    from redactguard import run

    pdf = tmp_path / "long.pdf"
    _long_pdf(pdf, 30)
    monkeypatch.setattr(run, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(run, "SPLIT_MIN_PAGES", 10)
    monkeypatch.setattr(run, "MIN_UNIT_PAGES", 5)
    units = run.plan_units(collect([str(pdf)]), workers=2)
    assert [u.pages for u in units] == [(0, 5), (5, 10), (10, 15), (15, 20), (20, 25), (25, 30)]
    assert run.plan_units(collect([str(pdf)]), workers=1)[0].pages is None

    order = redactguard.load_order(SAMPLE / "order.yaml")
    serial = redactguard.scan([pdf], order, "respondent", model=None, executor=SerialExecutor())
    pooled = redactguard.scan([pdf], order, "respondent", model=None, executor=ProcessExecutor(jobs=2, timeout=120))
    assert serial.to_dict() == pooled.to_dict()
    (doc,) = pooled.documents
    where = sorted((f.item, f.location.part, f.location.page) for f in doc.findings if f.item)
    assert ("applicant-address", "body", 10) in where  # once, on the page where it starts
    assert [w for w in where if w[1] == "body" and w[0] == "applicant-address"] == [("applicant-address", "body", 10)]
    assert ("applicant-phone", "annotation", 12) in where
    assert ("applicant-phone", "body", 17) in where
    assert ("applicant-email", "form-field", 20) in where
    assert doc.pages == 30 and doc.status == "blocked"


def test_page_ranges_planned_from_a_lying_page_count_still_check_every_page(tmp_path: Path, monkeypatch) -> None:
    """The plan takes the page tree's own /Count (cheap, and a document can lie in it); the last
    range runs to the real end, so the pages past a too-small /Count are still checked."""
    from redactguard import run

    pdf = tmp_path / "long.pdf"
    _long_pdf(pdf, 30)
    data = pdf.read_bytes()
    assert data.count(b"/Count 30") == 1
    pdf.write_bytes(data.replace(b"/Count 30", b"/Count 12"))
    monkeypatch.setattr(run, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(run, "SPLIT_MIN_PAGES", 10)
    monkeypatch.setattr(run, "MIN_UNIT_PAGES", 5)
    units = run.plan_units(collect([str(pdf)]), workers=2)
    assert [u.pages for u in units] == [(0, 5), (5, 10), (10, 12)]

    order = redactguard.load_order(SAMPLE / "order.yaml")
    serial = redactguard.scan([pdf], order, "respondent", model=None, executor=SerialExecutor())
    pooled = redactguard.scan([pdf], order, "respondent", model=None, executor=ProcessExecutor(jobs=2, timeout=120))
    assert serial.to_dict() == pooled.to_dict()
    (doc,) = pooled.documents
    where = {(f.item, f.location.part, f.location.page) for f in doc.findings if f.item}
    assert {("applicant-phone", "body", 17), ("applicant-email", "form-field", 20)} <= where
    assert doc.status != "clean"


def test_a_lost_page_range_makes_its_document_unreadable(tmp_path: Path, monkeypatch) -> None:
    import os
    import signal

    from redactguard import run

    pdf = tmp_path / "long.pdf"
    _long_pdf(pdf, 30)
    monkeypatch.setattr(run, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(run, "SPLIT_MIN_PAGES", 10)
    monkeypatch.setattr(run, "MIN_UNIT_PAGES", 5)

    class DiesOnOneRange(Scanner):
        def scan_unit(self, unit):  # type: ignore[no-untyped-def]
            if unit.pages == (15, 20):
                os.kill(os.getpid(), signal.SIGKILL)
            return super().scan_unit(unit)

    scanner = DiesOnOneRange(options=ScanOptions(generic=False))
    (doc,) = list(scan_sources(ProcessExecutor(jobs=2, timeout=60), scanner, collect([str(pdf)])))
    assert doc.status == "unreadable"
    assert [p.code for p in doc.problems] == ["worker_lost"]


def test_workers_fork_from_a_frozen_heap_and_the_caller_gets_its_collector_back(tmp_path: Path) -> None:
    """The loaded models are kept out of the workers' garbage collections (their pages stay
    shared and a full collection does not walk them); the calling process is left as it was."""
    import gc
    import os

    class Notes(Scanner):
        def scan_unit(self, unit):  # type: ignore[no-untyped-def]
            (tmp_path / f"{os.getpid()}-{unit.source.path.rsplit('/', 1)[-1]}").write_text(str(gc.get_freeze_count()))
            return super().scan_unit(unit)

    scanner = Notes(options=ScanOptions(model=None))
    sources = collect([str(SAMPLE / "bundle")])
    assert gc.get_freeze_count() == 0
    results = list(scan_sources(ProcessExecutor(jobs=2, timeout=60), scanner, sources))
    assert len(results) == len(sources)
    notes = list(tmp_path.iterdir())
    assert len(notes) == len(sources)
    assert all(int(note.read_text()) > 10_000 for note in notes)  # the libraries and patterns, at least
    assert gc.get_freeze_count() == 0



_WARMED = """
import sys
import redactguard
from redactguard.run import ProcessExecutor
paths = sys.argv[1:]
report = redactguard.scan(paths, None, generic=False, model=None, executor=ProcessExecutor(jobs=2, timeout=300))
print(" ".join(d.status for d in report.documents))
print(" ".join(name for name in ("redactguard.readers.pdf", "redactguard.readers.rtf", "redactguard.readers.msg")
               if name in sys.modules))
"""


def test_before_forking_for_page_ranges_of_a_pdf_only_the_pdf_reader_is_loaded(tmp_path: Path) -> None:
    """A scanned PDF split into page ranges: the parent loads the PDF reader for its workers and
    not every other reader (a tenth of a second before any work starts, `make bench` (f)); a batch
    of several documents still loads every reader once, shared by the forked workers."""
    import subprocess
    import sys

    from pypdf import PdfWriter

    scans = REPO / "fixtures" / "ocr"
    bundle = tmp_path / "scanned-bundle.pdf"
    writer = PdfWriter()
    for name in ("scanned-letter.pdf", "scanned-letter-stamped.pdf", "scanned-letter.pdf"):
        writer.append(scans / name)
    writer.write(bundle)
    from redactguard import run

    units = run.plan_units(collect([str(bundle)]), workers=2)
    assert len(units) == 3 and all(unit.pages is not None for unit in units)  # a scanned PDF in ranges

    def loaded(*paths: Path) -> tuple[str, set[str]]:
        done = subprocess.run([sys.executable, "-c", _WARMED, *map(str, paths)], capture_output=True,
                              text=True, check=True, cwd=tmp_path)
        statuses, modules = done.stdout.splitlines()
        return statuses, set(modules.split())

    statuses, modules = loaded(bundle)
    assert statuses == "clean" and modules == {"redactguard.readers.pdf"}
    statuses, modules = loaded(bundle, SAMPLE / "bundle" / "contact-note.txt")
    assert statuses == "clean clean"
    assert modules == {"redactguard.readers.pdf", "redactguard.readers.rtf", "redactguard.readers.msg"}
