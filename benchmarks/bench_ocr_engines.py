"""Which OCR binding and which PDF renderer: pages per second on scanned letter pages.

    python benchmarks/bench_ocr_engines.py [--pages 6] [--repeat 2]

OCR (word boxes and confidences, Tesseract limited to one thread with OMP_THREAD_LIMIT=1),
on the 300-dpi pages of fixtures/ocr (the scanned letter and the two TIFF frames):
  tesserocr        libtesseract in process (the wheel's own library, Debian's eng data)
  pytesseract      image_to_data(): writes a temporary PNG, runs the tesseract command
  subprocess-tsv   the tesseract command, PNG on stdin, TSV on stdout (redactguard's fallback)
  command-file     `tesseract page.png out tsv` on a file already on disk (the baseline of
                   `make bench` (f)); also run with OpenMP threads unlimited, for reference

Rendering a 12-page scanned PDF and a text PDF at 300 dpi, greyscale:
  pypdfium2        in process, from bytes
  pdftoppm         poppler's command, `-r 300 -gray`, from a temporary file

Figures go into docs/ocr.md, never into tests.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"

from PIL import Image  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
OCR_FIXTURES = REPO / "fixtures" / "ocr"
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"


def letter_pages(count: int) -> list[Image.Image]:
    from redactguard.ocr.render import render_pdf_page

    pdf = (OCR_FIXTURES / "scanned-letter.pdf").read_bytes()
    base = [render_pdf_page(pdf, 0).image]
    with Image.open(OCR_FIXTURES / "scanned-letter.tif") as tif:
        for frame in range(tif.n_frames):
            tif.seek(frame)
            base.append(tif.convert("L"))
    return [base[i % len(base)] for i in range(count)]


def timed(run: Callable[[], object], repeat: int) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best.append(time.perf_counter() - start)
    return min(best)


def bench_ocr(pages: list[Image.Image], repeat: int) -> list[tuple[str, float, int]]:
    import pytesseract

    from redactguard.ocr.engine import Ocr

    results = []
    tesserocr_engine = Ocr(engine="tesserocr", tessdata=TESSDATA)
    command_engine = Ocr(engine="tesseract", tessdata=TESSDATA)
    tesserocr_engine.check()
    command_engine.check()

    def words_of(read: Callable[[Image.Image], int]) -> Callable[[], int]:
        return lambda: sum(read(p) for p in pages)

    results.append(("tesserocr", timed(words_of(lambda p: len(tesserocr_engine.read(p).words)), repeat)))
    config = f"--psm 3 --dpi 300 --tessdata-dir {TESSDATA}"
    results.append(("pytesseract", timed(words_of(
        lambda p: len(pytesseract.image_to_data(p, lang="eng", config=config).splitlines())), repeat)))
    results.append(("subprocess-tsv", timed(words_of(lambda p: len(command_engine.read(p).words)), repeat)))

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for index, page in enumerate(pages):
            path = Path(tmp) / f"page{index}.png"
            page.save(path, dpi=(300, 300))
            files.append(path)

        def command(env: dict[str, str]) -> Callable[[], None]:
            def run() -> None:
                for path in files:
                    subprocess.run(["tesseract", str(path), str(path.with_suffix("")), "tsv"],
                                   env=env, check=True, capture_output=True)
            return run

        one = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        many = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
        results.append(("command-file", timed(command(one), repeat)))
        results.append(("command-file, OpenMP threads unlimited", timed(command(many), repeat)))
    return [(name, seconds, len(pages)) for name, seconds in results]


def bench_render(repeat: int) -> list[tuple[str, str, float, int]]:
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    from redactguard.ocr.render import render_pdf_page

    writer = PdfWriter()
    page = PdfReader(OCR_FIXTURES / "scanned-letter.pdf").pages[0]
    for _ in range(12):
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    documents = {
        "12-page scan": buffer.getvalue(),
        "police letter (text)": (REPO / "fixtures/sample-case/bundle/police-letter.pdf").read_bytes(),
    }
    results = []
    for label, data in documents.items():
        count = len(pdfium.PdfDocument(data))
        results.append((label, "pypdfium2", timed(
            lambda d=data, n=count: [render_pdf_page(d, i) for i in range(n)], repeat), count))
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "in.pdf"
            source.write_bytes(data)

            def poppler(src: Path = source, out: str = tmp) -> None:
                subprocess.run(["pdftoppm", "-r", "300", "-gray", str(src), f"{out}/p"], check=True)
                for ppm in sorted(Path(out).glob("p*.pgm")):
                    with Image.open(ppm) as im:
                        im.load()

            results.append((label, "pdftoppm", timed(poppler, repeat), count))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    print(f"OCR, {args.pages} pages at 300 dpi (2480x3508), OMP_THREAD_LIMIT=1, best of {args.repeat}")
    rows = bench_ocr(letter_pages(args.pages), args.repeat)
    base = rows[0][1]
    for name, seconds, count in rows:
        print(f"  {name:<40} {count / seconds:6.2f} pages/s  ({seconds / count:.2f} s/page, "
              f"{seconds / base:.2f}x tesserocr's time)")
    print(f"Rendering at 300 dpi, greyscale, best of {args.repeat}")
    for label, name, seconds, count in bench_render(args.repeat):
        print(f"  {label:<22} {name:<10} {count / seconds:6.2f} pages/s  ({count} pages)")
    print(f"(cpu cores: {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
