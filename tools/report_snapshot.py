"""Scan the fixtures (and the corpus) and write each report as canonical JSON, to compare runs.

A refactoring that must not change behaviour (issue [15]) is checked by running this before
and after and comparing the files byte for byte: `diff -r BEFORE AFTER`. The tool version is
blanked; nothing else in a report depends on the run.

    python tools/report_snapshot.py OUT [--corpus ../shared/data/corpus] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import redactguard

REPO = Path(__file__).resolve().parents[1]
FIXTURE_SETS = ["sample-case/bundle", "files", "ocr", "layers", "markup", "redaction", "vectors"]
SAMPLE_ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
sys.path.insert(0, str(REPO / "tools"))


def write(out: Path, name: str, report: redactguard.Report) -> None:
    data = report.to_dict()
    data["tool"]["version"] = ""
    (out / f"{name}.json").write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.chdir(REPO / "fixtures")  # paths in the reports relative to fixtures/
    for name in FIXTURE_SETS:
        started = time.monotonic()
        for recipient in ("respondent", None):
            report = redactguard.scan([name], SAMPLE_ORDER, recipient, jobs=args.jobs, timeout=600)
            write(args.out, f"{name.replace('/', '-')}-{recipient or 'all'}", report)
        print(f"{name}: {time.monotonic() - started:.1f} s", flush=True)
    if args.corpus is not None:
        from corpus_run import ORDER

        os.chdir(args.corpus)
        started = time.monotonic()
        order = redactguard.parse_order(ORDER, source="corpus-order.yaml")
        files = sorted(str(p.relative_to(args.corpus)) for p in args.corpus.rglob("*") if p.is_file())
        report = redactguard.scan(files, order, "respondent", jobs=args.jobs, timeout=120)
        write(args.out, "corpus", report)
        print(f"corpus: {len(files)} files, {time.monotonic() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
