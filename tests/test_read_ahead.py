"""Reading ahead while the models load, and a fork server that loads them once.

A unit read in one process and checked in another must give exactly the result of a check that
reads as it goes, whatever was read ahead and wherever the reader was stopped.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import redactguard
from redactguard import forkserver
from redactguard.run import ProcessExecutor, SerialExecutor, plan_units, scan_sources
from redactguard.scanner import Scanner, ScanOptions, WorkUnit
from redactguard.sources import collect

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SAMPLE = FIXTURES / "sample-case"
PATHS = [str(SAMPLE / "bundle"), str(FIXTURES / "files"), str(FIXTURES / "vectors"), str(FIXTURES / "redaction"),
         str(FIXTURES / "ocr" / "scanned-letter.pdf")]


def _scanner(**options: object) -> Scanner:
    order = redactguard.load_order(FIXTURES / "vectors" / "order.yaml")
    return Scanner(order, None, ScanOptions(model=None, **options))  # type: ignore[arg-type]


def test_a_unit_read_ahead_and_pickled_gives_the_result_of_reading_as_it_goes() -> None:
    """Every fixture (PDF parts, DOCX parts, email, zip, OCR word boxes, broken files)."""
    scanner = _scanner()
    sources = collect(PATHS)
    assert len(sources) >= 60
    checked = 0
    for source in sources:
        unit = WorkUnit(source)
        direct = scanner.scan_unit(unit)
        read = scanner.read_unit(unit)
        if read is None:  # the file itself cannot be read: only the direct check says why
            assert direct.status == "unreadable"
            continue
        again = scanner.scan_unit(unit, pickle.loads(pickle.dumps(read)))
        assert again == direct, source.path
        checked += 1
    assert checked >= 55


def test_page_ranges_read_ahead_give_the_same_results() -> None:
    scanner = _scanner()
    (source,) = collect([str(FIXTURES / "files" / "simple-2page.pdf")])
    for unit in (WorkUnit(source, (0, 1), 0, 2), WorkUnit(source, (1, 2), 1, 2)):
        read = scanner.read_unit(unit)
        assert read is not None
        assert scanner.scan_unit(unit, pickle.loads(pickle.dumps(read))) == scanner.scan_unit(unit)


def test_time_spent_reading_ahead_counts_against_the_budget() -> None:
    scanner = _scanner(timeout=30.0)
    (source,) = collect([str(SAMPLE / "bundle" / "police-letter.pdf")])
    unit = WorkUnit(source)
    read = scanner.read_unit(unit)
    assert read is not None
    assert scanner.scan_unit(unit, read).problems == ()
    read.seconds = 31.0  # it took longer to read than the whole budget
    late = scanner.scan_unit(unit, read)
    assert [p.code for p in late.problems] == ["timeout"]
    assert late.status != "clean"


def test_a_read_unit_never_shows_document_text() -> None:
    scanner = _scanner()
    (source,) = collect([str(SAMPLE / "bundle" / "contact-note.txt")])
    read = scanner.read_unit(WorkUnit(source))
    assert read is not None and read.segments
    assert read.segments[0].text[:12] not in repr(read)


class SlowModel:
    """A detector whose model takes `seconds` to load (as a real one does) and finds nothing."""

    name = "slow-model"

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.loaded = False

    def load(self) -> None:
        if not self.loaded:
            time.sleep(self.seconds)
            self.loaded = True

    def detect(self, flow: object) -> list:
        return []


@pytest.mark.parametrize("load_seconds", [3.0, 0.2])
def test_a_pool_that_reads_ahead_gives_the_serial_report(load_seconds: float) -> None:
    """A long load leaves time to read units ahead; a short one stops the reader part-way (what it
    had not finished is read again by a worker). Either way: the serial report, in order."""
    scanner = _scanner(ocr="never")
    scanner.detectors.append(SlowModel(load_seconds))
    sources = collect(PATHS)
    serial = list(scan_sources(SerialExecutor(), scanner, sources))
    pool = ProcessExecutor(jobs=2, timeout=120)
    pooled = list(scan_sources(pool, scanner, sources))
    assert pooled == serial
    assert 0 <= pool.units_read_ahead <= len(plan_units(sources, 2))
    if load_seconds >= 3.0:
        assert pool.units_read_ahead >= 1
    without = ProcessExecutor(jobs=2, timeout=120, read_ahead=False)
    assert list(scan_sources(without, scanner, sources)) == serial
    assert without.units_read_ahead == 0


def test_one_worker_does_not_read_ahead() -> None:
    scanner = _scanner(ocr="never")
    scanner.detectors.append(SlowModel(1.0))
    pool = ProcessExecutor(jobs=1, timeout=120)
    list(scan_sources(pool, scanner, collect([str(SAMPLE / "bundle")])))
    assert pool.units_read_ahead == 0


class StartsTesseract(Scanner):
    """A reader stuck in a child process (as in `tesseract` on a big picture); it notes the pid."""

    marker = ""

    def read_unit(self, unit):  # type: ignore[no-untyped-def]
        child = subprocess.Popen(["sleep", "120"])
        Path(self.marker).write_text(str(child.pid))
        time.sleep(120)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or not forkserver.available(), reason="needs fork and /proc")
def test_the_reader_yields_the_cpu_and_stopping_it_stops_what_it_started(tmp_path: Path) -> None:
    import multiprocessing

    from redactguard.run import ReadAhead

    scanner = StartsTesseract(options=ScanOptions(generic=False))
    scanner.marker = str(tmp_path / "child.pid")
    reader = ReadAhead(multiprocessing.get_context("fork"), scanner, [WorkUnit(s) for s in collect([str(SAMPLE / "bundle")])])
    deadline = time.monotonic() + 60
    while not Path(scanner.marker).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(Path(scanner.marker).read_text())
    assert _running(pid)
    # the reader (and what it starts) yields the CPU to the model load everything waits for
    assert os.getpriority(os.PRIO_PROCESS, reader.process.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
    assert os.getpriority(os.PRIO_PROCESS, pid) == os.getpriority(os.PRIO_PROCESS, reader.process.pid)
    assert reader.stop() == {}
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid)


_FORKSERVER_CHILD = textwrap.dedent("""
    import multiprocessing as mp, os, sys
    from redactguard import forkserver
    from redactguard.scanner import ScanOptions

    def child(q):
        import gc
        from redactguard.detectors import generic
        frozen = " frozen" if gc.get_freeze_count() > 10_000 else ""
        q.put(str(sorted(k for k in generic._PROCESS_CACHE)) + frozen)

    if __name__ == "__main__":
        warm = {"none": None, "patterns": ScanOptions(model=None), "broken": ScanOptions(model=sys.argv[2])}[sys.argv[1]]
        assert forkserver.start(warm=warm)
        assert forkserver.WARM_ENV not in os.environ  # only the server saw it
        ctx = mp.get_context("forkserver")
        q = ctx.Queue()
        p = ctx.Process(target=child, args=(q,))
        p.start()
        print(q.get(timeout=120))
        p.join()
""")


@pytest.mark.skipif(not forkserver.available(), reason="no fork server on this platform")
@pytest.mark.parametrize(("warm", "expected"), [("none", "[]"), ("patterns", "['patterns'] frozen"), ("broken", "[]")])
def test_the_fork_server_loads_the_models_its_workers_inherit(tmp_path: Path, warm: str, expected: str) -> None:
    """Started with scan options, the server loads their models once and the processes it forks
    have them, outside their garbage collections; a model that fails to load there does not stop
    the server (its workers load and report it themselves)."""
    script = tmp_path / "child.py"
    script.write_text(_FORKSERVER_CHILD)
    proc = subprocess.run([sys.executable, str(script), warm, str(tmp_path / "no-such-model")],
                          capture_output=True, text=True, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == expected
