"""Generic review noise on ../shared/data/corpus (issue [16]): how many generic findings a
reviewer faces when the order lists nothing the corpus holds, per 10 readable pages, by kind.

Every file is scanned with generic detection and the default model on, with the order of
`corpus_run.py` (its values occur nowhere in the corpus), so every finding is generic. A
readable page is a page of a document that was fully read (a document without pages, such as
a workbook or an e-mail, counts as one). Findings are what a reviewer reads (one per value per
document since issue [16]); mentions are what they stand for (`Finding.count`), by which the
contact details and identifiers that must be kept are counted per file. Prints JSON; `--every N` takes every Nth file (a
sample), `--out FILE` also writes it there.

    python tools/generic_noise.py [--corpus ../shared/data/corpus] [--every 1] [--jobs 2]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

import redactguard

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_run import DEFAULT_CORPUS, ORDER  # noqa: E402

#: What must never be lost to noise reduction: contact details and UK identifiers.
KEPT_KINDS = ("postcode", "phone", "email", "nhs-number", "ni-number", "passport", "driving-licence", "vehicle")


def measure(corpus: Path, every: int = 1, jobs: int = 2, timeout: float = 120.0) -> dict[str, object]:
    order = redactguard.parse_order(ORDER, source="corpus-order.yaml")
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "MANIFEST.tsv")[::every]
    started = time.monotonic()
    report = redactguard.scan([str(p) for p in files], order, "respondent", jobs=jobs, timeout=timeout)
    readable = [d for d in report.documents if d.status != "unreadable"]
    pages = sum(d.pages or 1 for d in readable)
    # findings a reviewer reads (one per value per document since issue [16]) and the mentions
    # they stand for (`Finding.count`: what the kept kinds are counted by, before and after)
    kinds = collections.Counter(str(f.kind) for d in report.documents for f in d.findings if f.item is None)
    mentions: collections.Counter[str] = collections.Counter()
    per_file: dict[str, dict[str, int]] = {}
    for d in report.documents:
        counts: collections.Counter[str] = collections.Counter()
        for f in d.findings:
            if f.item is None:
                mentions[str(f.kind)] += getattr(f, "count", 1)
                if str(f.kind) in KEPT_KINDS:
                    counts[str(f.kind)] += getattr(f, "count", 1)
        per_file[d.path] = dict(counts)
    total = sum(kinds.values())
    return {
        "files": len(files),
        "readable_documents": len(readable),
        "readable_pages": pages,
        "seconds": round(time.monotonic() - started, 1),
        "findings": total,
        "per_10_pages": round(10 * total / max(pages, 1), 2),
        "by_kind": dict(kinds.most_common()),
        "by_kind_per_10_pages": {k: round(10 * v / max(pages, 1), 3) for k, v in kinds.most_common()},
        "mentions_by_kind": dict(mentions.most_common()),
        "kept_kinds_by_file": {path: counts for path, counts in per_file.items() if counts},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}; nothing to do")
        return 0
    result = measure(args.corpus, args.every, args.jobs)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "kept_kinds_by_file"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
