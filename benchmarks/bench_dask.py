"""Benchmark (g): the same scan on a local Dask cluster against the local process pool.

40 generated documents (15-page text PDFs, seeded), scanned as whole processes with the default
pipeline: `--jobs 2` against `--scheduler local --jobs 2` (two Dask worker processes), medians
of several runs; the ratio should stay within 1.25. Also measured, for docs/scale.md: pages/s
of one worker on text pages, and the scheduler's round-trip cost per task (empty tasks on the
same two workers).

    python benchmarks/bench_dask.py [--repeat 3] [--docs 40]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_matching import ORDER  # noqa: E402
from bench_scan import OUT, PY, RG, make_pdf, timed  # noqa: E402

PAGES_PER_DOC = 15


def prepare(docs: int) -> tuple[Path, Path]:
    OUT.mkdir(exist_ok=True)
    order = OUT / "order.yaml"
    order.write_text(ORDER, encoding="utf-8")
    folder = OUT / f"folder{docs}"
    if not folder.exists():
        folder.mkdir()
        for i in range(docs):
            make_pdf(folder / f"doc-{i:02d}.pdf", PAGES_PER_DOC, seed=200 + i)
    return order, folder


def task_overhead(n: int = 2000) -> float:
    """Milliseconds of scheduler and client work per task, from n empty tasks on 2 workers."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        client.gather(client.map(abs, range(100)))  # warm up
        t0 = time.perf_counter()
        client.gather(client.map(abs, range(n), pure=False))
        return (time.perf_counter() - t0) / n * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--docs", type=int, default=40)
    args = ap.parse_args()
    order, folder = prepare(args.docs)
    scan = [*RG, "scan", str(folder), "--order", str(order), "--recipient", "respondent",
            "--no-progress", "--format", "json", "--output", os.devnull]
    one, _ = timed([*scan, "--jobs", "1"], args.repeat, ok=(0, 1))
    # One run of each first, not counted (as hyperfine's --warmup): the first local cluster of a
    # session was the slowest run in most benches here (pairs of 1.41 to 1.67 against 1.1 to 1.35).
    timed([*scan, "--jobs", "2"], 1, ok=(0, 1))
    timed([*scan, "--jobs", "2", "--scheduler", "local"], 1, ok=(0, 1))
    # Interleaved, so that both see the same load on a shared machine.
    pairs = [(timed([*scan, "--jobs", "2"], 1, ok=(0, 1))[0],
              timed([*scan, "--jobs", "2", "--scheduler", "local"], 1, ok=(0, 1))[0]) for _ in range(args.repeat)]
    local = statistics.median(p[0] for p in pairs)
    dask = statistics.median(p[1] for p in pairs)
    pages = args.docs * PAGES_PER_DOC
    start, _ = timed([PY, "-c", "import redactguard.dask"], args.repeat)
    results = {
        "documents": args.docs,
        "pages": pages,
        "jobs1_s": round(one, 2),
        "jobs2_s": round(local, 2),
        "scheduler_local_2_workers_s": round(dask, 2),
        "ratio_dask_over_jobs2": round(dask / local, 2),
        "target": "<= 1.25",
        "pages_per_s_one_process_whole_run": round(pages / one, 1),
        "import_redactguard_dask_s": round(start, 2),
        "ratio_median_of_pairs": round(statistics.median(d / j for j, d in pairs), 2),
        "ratio_per_pair": [round(d / j, 2) for j, d in pairs],
        "load_average_1min": round(os.getloadavg()[0], 2),
        "task_overhead_ms": round(statistics.median(task_overhead() for _ in range(3)), 2),
    }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
