"""How the PDF reader's page checks behave on ../shared/data/corpus (issue [10]).

For every page of every PDF: can PDFium read it, can pypdf, was the content stream's order not
the reading order (laid out again by position), and would the text-layer checks send it to OCR,
and why (not language, writing drawn as shapes, text with no extractable characters). Prints the
counts, the pages sent to OCR with the figures that decided it (never their text), and the time
the checks took.

    python tools/corpus_text_layers.py [--corpus ../shared/data/corpus] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "corpus"


def pypdf_pages(data: bytes) -> list[bool] | None:
    """Per page, whether pypdf builds it and extracts its text without an error; None when pypdf
    cannot open the file."""
    import pypdf

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return None
            out = []
            for i in range(len(reader.pages)):
                try:
                    reader.pages[i].extract_text()
                    out.append(True)
                except Exception:
                    out.append(False)
            return out
    except Exception:
        return None


def _kind(reason: str) -> str:
    """A reason without its figures: "it draws 3 line(s) of writing as shapes..." -> one kind."""
    if "as shapes" in reason:
        return "it draws writing as shapes"
    return reason.split(" (")[0]


def main() -> int:
    import logging

    import pypdfium2 as pdfium

    from redactguard.readers.pdf_layout import read_page_text
    from redactguard.readers.pdf_trust import judge_page

    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
    counts: collections.Counter[str] = collections.Counter()
    sent: list[dict[str, object]] = []
    seconds = {"layout": 0.0, "checks": 0.0}
    for path in files:
        data = path.read_bytes()
        by_pypdf = pypdf_pages(data)
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            counts["files PDFium cannot open"] += 1
            continue
        counts["files"] += 1
        for index in range(len(doc)):
            counts["pages"] += 1
            pypdf_ok = by_pypdf is not None and index < len(by_pypdf) and by_pypdf[index]
            try:
                page = doc[index]
            except pdfium.PdfiumError:
                counts["pages PDFium cannot load"] += 1
                continue
            try:
                started = time.perf_counter()
                text = read_page_text(page)
                seconds["layout"] += time.perf_counter() - started
                started = time.perf_counter()
                distrust = judge_page(page, text.text, text.chars, text.boxes())
                seconds["checks"] += time.perf_counter() - started
            finally:
                page.close()
            if not pypdf_ok:
                counts["pages pypdf cannot read, PDFium reads"] += 1
            if text.chars:
                counts["pages with text"] += 1
            if text.reordered:
                counts["pages laid out again by position"] += 1
            if distrust:
                counts["pages sent to OCR"] += 1
                for reason in distrust.reasons:
                    counts["  because " + _kind(reason)] += 1
                sent.append({"file": path.name, "page": index + 1, "reasons": list(distrust.reasons)})
        doc.close()
    for key, value in counts.items():
        print(f"{key:<60} {value}")
    print(f"{'seconds: layout / checks':<60} {seconds['layout']:.2f} / {seconds['checks']:.2f}")
    for item in sent:
        print(f"OCR: {item['file']} p{item['page']}: {'; '.join(item['reasons'])}")  # type: ignore[arg-type]
    if args.json:
        args.json.write_text(json.dumps({"counts": counts, "sent": sent, "seconds": seconds}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
