"""Matching throughput: normalise + detect + decide on a 300-page bundle's text, 20-item order.

Prints MB/s for the whole order-item path (text already extracted), so it can be set beside
extraction speed. Run: python benchmarks/bench_matching.py [--pages 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from redactguard.document import Location, Segment
from redactguard.normalise import chunk_flows
from redactguard.order import parse_order
from redactguard.scanner import Scanner, ScanOptions

ORDER = """
redactguard: 1
case: BENCH1
parties: {applicant: {}, respondent: {}, court: {}}
protected:
  - {id: a1, kind: address, value: "Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX"}
  - {id: a2, kind: address, value: "27 Willow Bank Crescent, Chapel Allerton, Leeds LS7 4QT"}
  - {id: a3, kind: address, value: "Rose Cottage, Mill Lane, Otley LS21 1AB"}
  - {id: a4, kind: address, value: "3 Station Road, Horsforth, Leeds LS18 5PA"}
  - {id: p1, kind: phone, value: "07700 900461"}
  - {id: p2, kind: phone, value: "0113 496 0123"}
  - {id: p3, kind: phone, value: "+44 7700 900987"}
  - {id: e1, kind: email, value: "j.ashworth.home@example.org"}
  - {id: e2, kind: email, value: "new.partner@example.net"}
  - {id: s1, kind: school, value: "St Mary's C of E Primary School, Horsforth"}
  - {id: s2, kind: school, value: "Park Lane Nursery, Guiseley"}
  - {id: s3, kind: school, value: "Aire Valley Medical Centre, Yeadon"}
  - {id: n1, kind: name, value: "Jane Elizabeth Ashworth"}
  - {id: n2, kind: name, value: "Thomas Greenwood"}
  - {id: pc, kind: postcode, value: "BD18 4RT"}
  - {id: pl, kind: place, value: "Saltaire"}
  - {id: v1, kind: vehicle, value: "YK21 ABC"}
  - {id: t1, kind: text, value: "Harbour House refuge"}
  - {id: r1, kind: regex, value: "ZW\\\\d{2}X\\\\d{5}"}
  - {id: t2, kind: text, value: "the blue door by the canal"}
"""

WORDS = (
    "the child was seen at home and appeared settled contact took place on the agreed day "
    "mother father social worker reported that school attendance improved over the term "
    "police were called to the property after a neighbour raised concerns about noise "
    "road street lane court drive st mary primary leeds headingley 14 2 flat report"
).split()


def bundle_text(pages: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(pages):
        lines = []
        for _ in range(45):
            lines.append(" ".join(rng.choice(WORDS) for _ in range(11)).capitalize() + ".")
        out.append("\n".join(lines))
    return out


def run(scanner: Scanner, pages: list[str]) -> int:
    segments = (Segment(t, Location(page=i + 1)) for i, t in enumerate(pages))
    found = 0
    for flow in chunk_flows(segments):
        found += len(scanner._check_flow(flow, "bench", {}))
    return found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    scanner = Scanner(parse_order(ORDER), "respondent", ScanOptions(generic=False, model=None))
    pages = bundle_text(args.pages)
    size = sum(len(p) for p in pages)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        run(scanner, pages)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"matching: {args.pages} pages, {size / 1e6:.2f} MB text, 20-item order: "
          f"median {med * 1000:.0f} ms = {size / 1e6 / med:.1f} MB/s ({args.pages / med:.0f} pages/s)")


if __name__ == "__main__":
    main()
