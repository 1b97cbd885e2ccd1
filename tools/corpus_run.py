"""Scan every file of ../shared/data/corpus with an order whose values do not occur there.

Every file must end `clean` or `unreadable` with a problem code: no crash, no hang, no finding.
Prints the counts by status and problem code, overall and by file extension, and exits 1 on
any breach. Every file is scanned, whatever its extension (MANIFEST.tsv excepted).

    python tools/corpus_run.py [--corpus ../shared/data/corpus] [--jobs 2] [--timeout 60]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

import redactguard

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "corpus"

ORDER = """
redactguard: 1
case: CORPUS1
parties: {applicant: {}, respondent: {}, court: {}}
protected:
  - {id: addr, kind: address, value: "Flat 9, 71 Quillfeather Crescent, Snodsbury, Leeds LS29 9ZZ"}
  - {id: phone, kind: phone, value: "07700 900777"}
  - {id: mail, kind: email, value: "zq.corpus.probe@example.invalid"}
  - {id: school, kind: school, value: "Zephyrine Quell Primary Academy, Snodsbury"}
"""


def run(corpus: Path, jobs: int, timeout: float) -> dict[str, object]:
    order = redactguard.parse_order(ORDER, source="corpus-order.yaml")
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "MANIFEST.tsv")
    started = time.monotonic()
    report = redactguard.scan([str(p) for p in files], order, "respondent", generic=False, model=None, jobs=jobs, timeout=timeout)
    elapsed = time.monotonic() - started
    statuses = collections.Counter(d.status for d in report.documents)
    problems = collections.Counter(p.code for d in report.documents for p in d.problems)
    breaches = [d.path for d in report.documents if d.status not in ("clean", "unreadable")]
    untagged = [d.path for d in report.documents if d.status == "unreadable" and not d.problems]
    by_format: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for d in report.documents:
        ext = Path(d.path).suffix.lower().lstrip(".") or "(none)"
        by_format[ext][d.status] += 1
        for code in sorted({p.code for p in d.problems}):
            by_format[ext][code] += 1
    return {
        "files": len(files),
        "seconds": round(elapsed, 1),
        "status": dict(statuses),
        "problems": dict(problems),
        "by_format": {ext: dict(sorted(c.items())) for ext, c in sorted(by_format.items())},
        "breaches": breaches,
        "unreadable_without_code": untagged,
        "timeouts": [d.path for d in report.documents if any(p.code == "timeout" for p in d.problems)],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}; nothing to do")
        return 0
    result = run(args.corpus, args.jobs, args.timeout)
    print(json.dumps(result, indent=2))
    return 1 if result["breaches"] or result["unreadable_without_code"] else 0


if __name__ == "__main__":
    sys.exit(main())
