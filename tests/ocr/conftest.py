"""Pictures from fixtures/ocr (built by fixtures/build_ocr.py) and one OCR engine per session.

Everything runs the real Tesseract from Debian's tesseract-ocr and tesseract-ocr-eng.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from redactguard.ocr import Ocr, fold, render_pdf_page

OCR_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ocr"


def picture(name: str) -> Image.Image:
    """A picture of fixtures/ocr by a short name: "letter-pdf", "docx-inline", "tiff-2", ..."""
    if name.endswith("-pdf"):
        source = {"letter-pdf": "scanned-letter.pdf", "stamped-pdf": "scanned-letter-stamped.pdf",
                  "faint-pdf": "faint-scan.pdf"}[name]
        return render_pdf_page((OCR_FIXTURES / source).read_bytes(), 0).image
    if name.startswith("docx-"):
        member = {"docx-inline": "word/media/image1.jpg", "docx-floating": "word/media/image2.jpg"}[name]
        with zipfile.ZipFile(OCR_FIXTURES / "scanned-report.docx") as zf:
            return Image.open(io.BytesIO(zf.read(member)))
    if name == "zip-png":
        with zipfile.ZipFile(OCR_FIXTURES / "scans.zip") as zf:
            return Image.open(io.BytesIO(zf.read("scans/health-visitor-letter.png")))
    if name.startswith("tiff-"):
        tiff = Image.open(OCR_FIXTURES / "scanned-letter.tif")
        tiff.seek(int(name[-1]) - 1)
        return tiff.copy()
    if name == "photo":
        return Image.open(OCR_FIXTURES / "door-photo.jpg")
    raise KeyError(name)


def folded_text(page) -> str:  # type: ignore[no-untyped-def]
    """The page's text folded for OCR confusions, white space collapsed."""
    return " ".join(fold(page.text_map()[0]).split())


@pytest.fixture(scope="session")
def ocr() -> Ocr:
    engine = Ocr()
    engine.check()
    return engine


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return OCR_FIXTURES
