"""`make bench` (f): a 12-page scanned bundle, `redactguard scan` against the `tesseract` command.

    python benchmarks/bench_ocr_scan.py [--pages 12] [--repeat 2] [--jobs N] [--turned K]

The bundle is made with the fixture helpers of fixtures/build_ocr.py: 12 different A4 scans
(the health visitor's letter with its own reference and bundle page number on each page, its
own skew and speckle), one greyscale JPEG per page, with a stamped page number as real text
over each scan, as bundling software does. Every page holds the applicant's address. With
--turned K (default 4), a second bundle has every K-th page upside down, as offices feed them:
redactguard reads those the right way up (orientation detection, issue [12]) and the figure says
what that costs; the command reads them as they lie.

Measured, best of --repeat runs, in pages per second:
  redactguard      `redactguard scan bundle.pdf --order ... --no-generic --no-progress --format
                   json` (--jobs: default, all cores); also checks that the address is found
                   on every page
  tesseract        the same pages rendered at 300 dpi (pypdfium2, greyscale PNG on disk, not
                   timed), then `tesseract page.png out tsv`, one process per core at a time,
                   each with one OpenMP thread (OMP_THREAD_LIMIT=1, the fastest way to run
                   the command on this machine: docs/ocr.md)

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


def build_bundle(path: Path, pages: int, turned: int = 0) -> None:
    """`pages` letters; with `turned`, every `turned`-th page lies upside down."""
    from build_ocr import LETTER, Scan, image_pdf, jpeg, scanned_page

    scans = []
    for number in range(1, pages + 1):
        lines = [line.replace("HV/2025/0412", f"HV/2025/{412 + number:04d}") for line in LETTER]
        lines.append(f"Bundle page {number} of {pages}")
        page = scanned_page(lines, Scan(seed=1000 + number, skew_degrees=0.3 + 0.1 * (number % 5)))
        if turned and number % turned == 0:
            page = page.rotate(180)
        scans.append(jpeg(page))
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


def run_tesseract(pngs: list[Path], folder: Path, psm: int = 3) -> float:
    """The command on every page, one process per core at a time, one OpenMP thread each;
    `psm` 3 reads a page as it lies, 1 runs OSD first on every page."""
    from concurrent.futures import ThreadPoolExecutor

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(png: Path) -> None:
        subprocess.run(["tesseract", str(png), str(folder / png.stem), "--tessdata-dir", TESSDATA, "-l", "eng",
                        "--dpi", "300", "--psm", str(psm), "tsv"], capture_output=True, check=True, env=env)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(one, pngs))
    return time.perf_counter() - start


def measure(folder: Path, pages: int, turned: int, repeat: int, jobs: int | None) -> tuple[float, float, float, dict, list[int]]:
    pdf = folder / f"scanned-bundle-{turned}.pdf"
    build_bundle(pdf, pages, turned)
    ours, report = min((run_redactguard(pdf, jobs) for _ in range(repeat)), key=lambda r: r[0])
    document = report["documents"][0]
    found = sorted({f["location"]["page"] for f in document["findings"]
                    if f["item"] == "applicant-address" and f["location"]["part"] == "image"})
    pngs = render_pages(pdf, folder)
    theirs = min(run_tesseract(pngs, folder) for _ in range(repeat))
    with_osd = min(run_tesseract(pngs, folder, psm=1) for _ in range(repeat))
    return ours, theirs, with_osd, document, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=None, help="redactguard --jobs (default: all cores)")
    parser.add_argument("--turned", type=int, default=4, help="every K-th page upside down in the second bundle (0: none)")
    args = parser.parse_args()
    pages, ok = args.pages, True
    print(f"(f) scanned bundle: {pages} pages, {os.cpu_count()} cores, redactguard --jobs {args.jobs or 'default'}, "
          f"tesseract {os.cpu_count()} processes of 1 thread")
    for turned in (0, args.turned) if args.turned else (0,):
        with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
            ours, theirs, with_osd, document, found = measure(Path(tmp), pages, turned, args.repeat, args.jobs)
        label = "upright pages" if not turned else f"every {turned}th page upside down"
        print(f"  {label}:")
        print(f"    redactguard scan --no-generic   {ours:6.2f} s   {pages / ours:5.2f} pages/s   status {document['status']}")
        print(f"    tesseract command               {theirs:6.2f} s   {pages / theirs:5.2f} pages/s   (rendering not timed)")
        print(f"    tesseract command --psm 1 (OSD) {with_osd:6.2f} s   {pages / with_osd:5.2f} pages/s   (OSD on every page)")
        print(f"    ratio (command time / ours): {theirs / ours:.2f}; address found on {len(found)}/{pages} pages"
              f"{'' if len(found) == pages else ' (MISSING: ' + str(sorted(set(range(1, pages + 1)) - set(found))) + ')'}")
        print(f"    problems: {[p['code'] for p in document['problems']] or 'none'}")
        ok = ok and len(found) == pages
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
