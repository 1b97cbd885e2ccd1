"""`make bench` (f): a 12-page scanned bundle, `redactguard scan` against the `tesseract` command.

    python benchmarks/bench_ocr_scan.py [--pages 12] [--repeat 2] [--jobs N]

The bundle is made with the fixture helpers of fixtures/build_ocr.py: 12 different A4 scans
(the health visitor's letter with its own reference and bundle page number on each page, its
own skew and speckle), one greyscale JPEG per page, with a stamped page number as real text
over each scan, as bundling software does. Every page holds the applicant's address.

Measured, best of --repeat runs, in pages per second:
  redactguard      `redactguard scan bundle.pdf --order ... --no-generic --no-progress --format
                   json` (--jobs: default, all cores); also checks that the address is found
                   on every page
  tesseract        the same pages rendered at 300 dpi (pypdfium2, greyscale PNG on disk, not
                   timed), then `tesseract page.png out tsv` page by page (OMP_THREAD_LIMIT=1,
                   the fastest way to run the command on this machine: docs/ocr.md)

Figures go in the closing note and docs/ocr.md, never into tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "fixtures"))
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"


def build_bundle(path: Path, pages: int) -> None:
    from build_ocr import LETTER, Scan, image_pdf, jpeg, scanned_page

    scans = []
    for number in range(1, pages + 1):
        lines = [line.replace("HV/2025/0412", f"HV/2025/{412 + number:04d}") for line in LETTER]
        lines.append(f"Bundle page {number} of {pages}")
        scans.append(jpeg(scanned_page(lines, Scan(seed=1000 + number, skew_degrees=0.3 + 0.1 * (number % 5)))))
    # one stamp for all pages keeps the hand-written PDF simple; it is real text over every scan
    path.write_bytes(image_pdf(scans, stamp="Bundle C", title="Scanned bundle", seed="bench-ocr"))


def run_redactguard(pdf: Path, jobs: int | None) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "redactguard", "scan", str(pdf), "--order", str(ORDER), "--no-generic",
           "--no-progress", "--format", "json"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"redactguard exited with {done.returncode}")
    return seconds, json.loads(done.stdout)


def render_pages(pdf: Path, folder: Path) -> list[Path]:
    from redactguard.ocr.render import render_pdf_pages

    data = pdf.read_bytes()
    import pypdfium2 as pdfium

    count = len(pdfium.PdfDocument(data))
    out = []
    for page in render_pdf_pages(data, range(count)):
        target = folder / f"page-{page.index + 1:03d}.png"
        page.image.save(target, dpi=(300, 300), compress_level=1)
        out.append(target)
    return out


def run_tesseract(pngs: list[Path], folder: Path) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    for png in pngs:
        subprocess.run(["tesseract", str(png), str(folder / png.stem), "--tessdata-dir", TESSDATA, "-l", "eng",
                        "--dpi", "300", "tsv"], capture_output=True, check=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=None, help="redactguard --jobs (default: all cores)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        folder = Path(tmp)
        pdf = folder / "scanned-bundle.pdf"
        build_bundle(pdf, args.pages)
        ours, report = min((run_redactguard(pdf, args.jobs) for _ in range(args.repeat)), key=lambda r: r[0])
        document = report["documents"][0]
        found = sorted({f["location"]["page"] for f in document["findings"]
                        if f["item"] == "applicant-address" and f["location"]["part"] == "image"})
        pngs = render_pages(pdf, folder)
        theirs = min(run_tesseract(pngs, folder) for _ in range(args.repeat))
    pages = args.pages
    print(f"(f) scanned bundle: {pages} pages, {os.cpu_count()} cores, redactguard --jobs {args.jobs or 'default'}")
    print(f"  redactguard scan --no-generic   {ours:6.2f} s   {pages / ours:5.2f} pages/s   status {document['status']}")
    print(f"  tesseract command, page by page {theirs:6.2f} s   {pages / theirs:5.2f} pages/s   (rendering not timed)")
    print(f"  speed-up: {theirs / ours:.2f}x; address found on {len(found)}/{pages} pages"
          f"{'' if len(found) == pages else ' (MISSING: ' + str(sorted(set(range(1, pages + 1)) - set(found))) + ')'}")
    print(f"  problems: {[p['code'] for p in document['problems']] or 'none'}")
    return 0 if len(found) == pages else 1


if __name__ == "__main__":
    sys.exit(main())
