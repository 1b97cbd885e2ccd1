"""Which PDF pages need OCR (readers/pdf_pictures.py): pictures the text layer does not cover."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactguard.readers import ReadContext
from redactguard.readers.pdf_pictures import PageLayout, PdfPictures

A4 = (0.0, 0.0, 595.0, 842.0)
FULL_PAGE = (0.0, 0.0, 595.0, 842.0)
OCR_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ocr"


def text_lines(top: float = 770.0, bottom: float = 72.0, left: float = 72.0, right: float = 523.0,
               step: float = 14.0) -> tuple[tuple[float, float, float, float], ...]:
    lines = []
    y = top
    while y > bottom:
        lines.append((left, y - 10, right, y))
        y -= step
    return tuple(lines)


@pytest.mark.parametrize(
    "layout, needs",
    [
        pytest.param(PageLayout(A4, (FULL_PAGE,), ()), True, id="image-only-page"),
        pytest.param(PageLayout(A4, (FULL_PAGE,), ((520.0, 21.0, 555.0, 32.0),)), True, id="scan-under-page-number"),
        pytest.param(PageLayout(A4, (FULL_PAGE,), ((200.0, 800.0, 400.0, 812.0), (520.0, 21.0, 555.0, 32.0))), True,
                     id="scan-under-header-and-page-number"),
        pytest.param(PageLayout(A4, (FULL_PAGE,), text_lines()), False, id="searchable-scan-text-over-it"),
        pytest.param(PageLayout(A4, ((72.0, 760.0, 200.0, 800.0),), text_lines(top=740.0)), False,
                     id="typed-letter-with-a-small-logo"),
        pytest.param(PageLayout(A4, ((72.0, 420.0, 523.0, 700.0),), text_lines(top=400.0)), True,
                     id="typed-page-with-a-pasted-photo"),
        pytest.param(PageLayout(A4, tuple((0.0, y, 595.0, y + 42.1) for y in range(0, 842, 42)), ()), True,
                     id="scan-in-strips"),
        pytest.param(PageLayout(A4, (), text_lines()), False, id="text-only"),
    ],
)
def test_ocr_decision(layout: PageLayout, needs: bool) -> None:
    assert layout.needs_ocr() is needs


@pytest.mark.parametrize(
    "name, needs",
    [("scanned-letter.pdf", True), ("scanned-letter-stamped.pdf", True)],
)
def test_layout_of_the_fixtures_comes_from_the_content_stream(name: str, needs: bool) -> None:
    pictures = PdfPictures((OCR_FIXTURES / name).read_bytes(), ReadContext(name=name))
    try:
        layout = pictures.layout(0)
    finally:
        pictures.close()

    assert layout is not None
    assert len(layout.images) == 1
    assert layout.images[0] == pytest.approx((0.0, 0.0, 595.276, 841.89), abs=0.01)
    assert len(layout.texts) == (1 if "stamped" in name else 0)
    assert layout.needs_ocr() is needs


def searchable_scan() -> bytes:
    """The scanned letter under an invisible text layer (render mode 3), as OCR software writes it."""
    import io
    import zipfile

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    with zipfile.ZipFile(OCR_FIXTURES / "scans.zip") as zf:
        png = zf.read("scans/health-visitor-letter.png")
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595.276, 841.89))
    page.drawImage(ImageReader(io.BytesIO(png)), 0, 0, 595.276, 841.89)
    text = page.beginText(72, 770)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 11)
    for _ in range(50):
        text.textLine("Aire Valley Community Health Service, Health Visiting Team, Riverside House")
    page.drawText(text)
    page.save()
    return out.getvalue()


def test_a_searchable_scan_is_read_by_ocr_only_under_always() -> None:
    data = searchable_scan()
    auto, always = PdfPictures(data, ReadContext(name="a")), PdfPictures(data, ReadContext(name="a", ocr="always"))
    try:
        assert not auto.wanted(0)
        assert always.wanted(0)
    finally:
        auto.close()
        always.close()


def test_an_image_drawn_through_a_scaled_form_xobject_is_placed_on_the_page() -> None:
    import io
    import zipfile

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    with zipfile.ZipFile(OCR_FIXTURES / "scans.zip") as zf:
        png = zf.read("scans/health-visitor-letter.png")
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842))
    page.beginForm("Scan")
    page.drawImage(ImageReader(io.BytesIO(png)), 0, 0, 200, 250)
    page.endForm()
    page.translate(100, 300)
    page.scale(2, 2)
    page.doForm("Scan")
    page.save()

    pictures = PdfPictures(out.getvalue(), ReadContext(name="form"))
    try:
        layout = pictures.layout(0)
    finally:
        pictures.close()

    assert layout is not None
    assert layout.images == (pytest.approx((100.0, 300.0, 500.0, 800.0)),)
    assert layout.needs_ocr()
