"""The same scan on a Dask cluster: same report, nothing lost when a worker dies, nothing leaked.

One loopback `LocalCluster` of two worker processes serves the module. Scanners that kill their
worker, hang or quote a document live in tests/dask_scanners.py so the workers can unpickle them.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="the Dask extra is not installed: pip install 'redactguard[dask]'")

import dask  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import redactguard  # noqa: E402
from redactguard import dask as rg_dask  # noqa: E402
from redactguard.dask import DaskExecutor  # noqa: E402
from redactguard.run import SerialExecutor, scan_sources  # noqa: E402
from redactguard.scanner import ScanOptions  # noqa: E402
from redactguard.sources import collect  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "fixtures" / "sample-case"
BUNDLE = SAMPLE / "bundle"
PATHS = [str(BUNDLE), str(REPO / "fixtures" / "files")]


def _cluster(**settings: Any) -> Any:
    with dask.config.set(settings):
        return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address=None)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with _cluster() as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def mortal() -> Iterator[Client]:
    """A cluster of its own for the tests that kill workers, so the others never wait for one.

    Two deaths of a unit's worker make it KilledWorker (the default, 3, only costs time here);
    one task at a time per worker, so a unit that kills its worker takes no queued one with it.
    """
    settings = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with _cluster(**settings) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def order() -> redactguard.Order:
    return redactguard.load_order(SAMPLE / "order.yaml")


def _by_name(results: Any) -> dict[str, Any]:
    return {r.path.rsplit("/", 1)[-1]: r for r in results}


@pytest.mark.parametrize("ship_bytes", [False, True, None], ids=["workers-read-paths", "bytes-shipped", "auto"])
def test_the_cluster_gives_the_local_report(client: Client, order: redactguard.Order, ship_bytes: bool | None) -> None:
    local = redactguard.scan(PATHS, order, "respondent", model=None, executor=SerialExecutor())
    on_dask = redactguard.scan(PATHS, order, "respondent", model=None, client=client, ship_bytes=ship_bytes, timeout=60)
    assert len(local.documents) >= 15
    assert on_dask.to_dict() == local.to_dict()  # statuses, findings, locations, order


def test_the_default_pipeline_runs_on_the_workers(client: Client, order: redactguard.Order) -> None:
    """The spaCy pipeline, warmed by the worker plugin, gives the same generic findings."""
    # the position update holds what nobody listed (a new address, school and mobile): generic findings
    sources = [str(BUNDLE / "social-work-report.docx"), str(BUNDLE / "contact-note.txt"),
               str(BUNDLE.parents[1] / "generic" / "position-update.docx")]
    local = redactguard.scan(sources, order, "court", executor=SerialExecutor())
    on_dask = redactguard.scan(sources, order, "court", executor=DaskExecutor(client, timeout=60))
    assert any(f.detector != "order" for d in local.documents for f in d.findings)
    assert on_dask.to_dict() == local.to_dict()


def test_units_and_results_arrive_in_input_order_with_progress(client: Client) -> None:
    from redactguard.scanner import Scanner

    sources = collect(PATHS)
    seen: list[tuple[int, int, int]] = []
    results = list(scan_sources(DaskExecutor(client), Scanner(options=ScanOptions(generic=False)), sources,
                                lambda done, total, pages: seen.append((done, total, pages))))
    assert [r.path for r in results] == [s.path for s in sources]
    assert len(seen) == len(sources) and seen[-1][:2] == (len(sources), len(sources))


def test_a_worker_killed_mid_run_has_its_unit_retried(mortal: Client, order: redactguard.Order, tmp_path: Path) -> None:
    from dask_scanners import DiesOnce

    scanner = DiesOnce(order, "respondent", ScanOptions(generic=False))
    scanner.target, scanner.marker = "police-letter.pdf", str(tmp_path / "died")
    sources = collect([str(BUNDLE)])
    results = list(scan_sources(DaskExecutor(mortal, timeout=60), scanner, sources))
    assert (tmp_path / "died").exists()  # a worker really died on it
    expected = redactguard.scan([BUNDLE], order, "respondent", generic=False, executor=SerialExecutor())
    assert [r.to_dict() for r in results] == [d.to_dict() for d in expected.documents]


def test_a_unit_that_kills_every_worker_is_worker_lost_never_dropped(mortal: Client, order: redactguard.Order) -> None:
    from dask_scanners import AlwaysDies

    scanner = AlwaysDies(order, "respondent", ScanOptions(generic=False))
    scanner.target = "contact-note.txt"
    sources = collect([str(BUNDLE)])
    mortal.wait_for_workers(2, timeout=60)
    results = list(scan_sources(DaskExecutor(mortal, timeout=60), scanner, sources))
    assert len(results) == len(sources)
    by_name = _by_name(results)
    lost = by_name["contact-note.txt"]
    assert lost.status == "unreadable" and [p.code for p in lost.problems] == ["worker_lost"]
    expected = _by_name(redactguard.scan([BUNDLE], order, "respondent", generic=False, executor=SerialExecutor()).documents)
    for name, result in by_name.items():  # checked as usual, or (if its worker died too) worker_lost
        assert result.to_dict() == expected[name].to_dict() or [p.code for p in result.problems] == ["worker_lost"]
    report = redactguard.Report(documents=tuple(results))
    assert report.exit_code("never") == 3


def test_a_unit_past_the_time_budget_fails_closed_and_its_worker_is_freed() -> None:
    """One worker, hung on one document: that document is `timeout`, and the others still get
    checked, which they can only be once the stuck worker process has been replaced."""
    import time

    from dask_scanners import Hangs

    scanner = Hangs(options=ScanOptions(generic=False))
    scanner.target = "contact-note.txt"  # the first document: it holds the only worker
    sources = collect([str(BUNDLE)])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as one:
        started = time.monotonic()
        results = list(scan_sources(DaskExecutor(one, timeout=2), scanner, sources))
        assert time.monotonic() - started < 60  # not the 120 s the unit would hang
    by_name = _by_name(results)
    assert [p.code for p in by_name["contact-note.txt"].problems] == ["timeout"]
    assert len(results) == len(sources)
    assert all(not r.problems for name, r in by_name.items() if name != "contact-note.txt")


def test_page_ranges_of_a_big_pdf_run_as_separate_tasks(client: Client, order: redactguard.Order, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_run import _long_pdf

    from redactguard import run

    pdf = tmp_path / "long.pdf"
    _long_pdf(pdf, 30)
    monkeypatch.setattr(run, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(run, "SPLIT_MIN_PAGES", 10)
    monkeypatch.setattr(run, "MIN_UNIT_PAGES", 5)
    executor = DaskExecutor(client, timeout=60)
    assert len(run.plan_units(collect([str(pdf)]), executor.workers)) > 1
    serial = redactguard.scan([pdf], order, "respondent", model=None, executor=SerialExecutor())
    for ship in (False, True):
        on_dask = redactguard.scan([pdf], order, "respondent", model=None, client=client, ship_bytes=ship)
        assert on_dask.to_dict() == serial.to_dict()


def test_no_order_value_reaches_task_names_logs_or_events(
    client: Client, order: redactguard.Order, protected_forms: list[str], leaks: Callable[..., list[str]],
) -> None:
    """Task keys, the task stream, the scheduler's transitions, events and every log line."""
    from dask_scanners import Quotes
    from distributed import get_task_stream

    scanner = Quotes(order, "respondent", ScanOptions(model=None))
    scanner.target = "contact-note.txt"  # its exception quotes a protected value
    with get_task_stream(client) as stream:
        results = list(scan_sources(DaskExecutor(client, ship_bytes=True, timeout=60), scanner, collect(PATHS)))
    quoted = _by_name(results)["contact-note.txt"]
    assert [p.code for p in quoted.problems] == ["corrupt"]
    assert any(d.findings for d in results)  # there were values to leak

    def on_scheduler(dask_scheduler: Any) -> str:
        return repr((
            list(dask_scheduler.task_prefixes), list(dask_scheduler.task_groups),
            list(dask_scheduler.transition_log), dict(dask_scheduler.get_events()),
            {key: repr(ts) for key, ts in dask_scheduler.tasks.items()},
        ))

    seen = {
        "task keys and names": json.dumps([(t["key"], t.get("name", "")) for t in stream.data], default=str),
        "scheduler state": client.run_on_scheduler(on_scheduler),
        "scheduler logs": repr(client.get_scheduler_logs(n=10_000)),
        "worker logs": repr(client.get_worker_logs(n=10_000)),
        "nanny logs": repr(client.get_worker_logs(n=10_000, nanny=True)),
        "result reprs": repr(results),
    }
    assert len(stream.data) >= len(results) - 1
    assert all(t["key"].startswith(("redactguard-unit-", "redactguard-scanner-")) for t in stream.data)
    for where, text in seen.items():
        assert leaks(text, protected_forms) == [], where


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_a_usage_error(run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rg_dask, "CONNECT_TIMEOUT", 1.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = run_cli("scan", BUNDLE, "--order", SAMPLE / "order.yaml", "--recipient", "respondent",
                     "--scheduler", address)
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.stderr and address in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--scheduler", "bogus"], id="not-an-address"),
        pytest.param(["--scheduler", "http://127.0.0.1:8786"], id="wrong-scheme"),
        pytest.param(["--ship-bytes"], id="ship-bytes-without-scheduler"),
    ],
)
def test_bad_scheduler_options_are_usage_errors(run_cli: Callable[..., Any], args: list[str]) -> None:
    result = run_cli("scan", BUNDLE, *args)
    assert result.exit_code == 2
    assert "error:" in result.stderr


def test_the_cli_on_a_running_scheduler_matches_the_local_run(client: Client, run_cli: Callable[..., Any], tmp_path: Path) -> None:
    common = ["scan", *PATHS, "--order", SAMPLE / "order.yaml", "--recipient", "respondent", "--format", "json", "--model", "none"]
    local = run_cli(*common, "--jobs", "2", "--no-progress", generic=True)
    remote = run_cli(*common, "--scheduler", client.scheduler.address, "--ship-bytes", generic=True)
    assert local.exit_code == remote.exit_code == 1
    assert json.loads(remote.stdout) == json.loads(local.stdout)


def test_scheduler_local_starts_a_cluster_of_jobs_workers(run_cli: Callable[..., Any]) -> None:
    args = ["scan", BUNDLE, "--order", SAMPLE / "order.yaml", "--recipient", "respondent", "--format", "json"]
    local = run_cli(*args, "--jobs", "2")
    on_dask = run_cli(*args, "--scheduler", "local", "--jobs", "2")
    assert local.exit_code == on_dask.exit_code == 1
    assert json.loads(on_dask.stdout) == json.loads(local.stdout)


def test_a_local_cluster_gives_the_serial_report_with_its_own_settings(order: redactguard.Order) -> None:
    """`--scheduler local`: a cluster of `jobs` workers that gives the serial report and runs
    without the profiler and with the slower ticks (`LOCAL_WORKER_CONFIG`)."""
    from redactguard.scanner import Scanner

    scanner = Scanner(order, "respondent", ScanOptions(model=None))
    serial = list(scan_sources(SerialExecutor(), scanner, collect(PATHS)))
    with rg_dask.dask_executor("local", jobs=2, timeout=120) as executor:
        assert executor.workers == 2
        assert executor.ship_bytes is False  # it shares this machine's files
        results = list(scan_sources(executor, scanner, collect(PATHS)))
        settings = executor.client.run(_settings, list(rg_dask.LOCAL_WORKER_CONFIG))
    assert results == serial
    assert len(settings) == 2
    assert all(got == rg_dask.LOCAL_WORKER_CONFIG for got in settings.values())


def _settings(keys: list[str]) -> dict[str, Any]:
    import dask

    return {key: dask.config.get(key) for key in keys}
