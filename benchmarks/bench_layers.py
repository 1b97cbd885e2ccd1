"""(h) What the text-layer checks cost on the 300-page bundle (issue [10]).

The checks (`redactguard.readers.pdf_trust.judge_page`: is the text layer language, does the page
draw writing as shapes) run on every page. Measured in process, page by page, on the same
bundle as `bench_scan.py`'s (b), with PDFium's page and text already loaded (what the reader
has in hand when it runs them); the total is set beside (b), a whole `scan --no-generic` of the
bundle, timed as a separate process. Also prints how many pages of the bundle the reader reads
by OCR (the target is none) and what laying pages out by position cost.

    python benchmarks/bench_layers.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scan import PY, RG, prepare, timed  # noqa: E402


def checks_seconds(pdf: Path) -> dict[str, float]:
    """Seconds spent on the whole bundle in: loading pages, reading text by position, the checks."""
    import pypdfium2 as pdfium

    from redactguard.readers.pdf_layout import read_page_text
    from redactguard.readers.pdf_trust import judge_page

    doc = pdfium.PdfDocument(pdf.read_bytes())
    spent = {"load": 0.0, "text": 0.0, "checks": 0.0}
    for index in range(len(doc)):
        t0 = time.perf_counter()
        page = doc[index]
        t1 = time.perf_counter()
        text = read_page_text(page)
        t2 = time.perf_counter()
        judge_page(page, text.text, text.chars, text.boxes())
        t3 = time.perf_counter()
        page.close()
        spent["load"] += t1 - t0
        spent["text"] += t2 - t1
        spent["checks"] += t3 - t2
    doc.close()
    return spent


def ocr_pages(pdf: Path) -> tuple[int, list[str]]:
    from redactguard.readers import ReadContext, read_document

    ctx = ReadContext(name=pdf.name)
    for _ in read_document(pdf.read_bytes(), ctx, "pdf"):
        pass
    return ctx.ocr_pictures, ctx.notes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = prepare(quick=True)
    pdf = files["p300"]
    scan = [*RG, "scan", "--order", str(files["order"]), "--recipient", "respondent", "--no-progress", "--jobs", "1",
            "--format", "json", "--output", os.devnull, str(pdf), "--no-generic"]
    b, _ = timed(scan, args.repeat, ok=(0, 1))
    runs = [checks_seconds(pdf) for _ in range(args.repeat)]
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    pictures, notes = ocr_pages(pdf)
    result = {
        "pages": 300,
        "b_no_generic_s": round(b, 3),
        "in_process_s": {key: round(value, 3) for key, value in median.items()},
        "h_checks_share_of_b": round(median["checks"] / b, 3),
        "pages_read_by_ocr": pictures,
        "notes": notes,
        "python": PY,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
