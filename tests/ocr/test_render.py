"""PDF pages rendered at 300 dpi, and pixel boxes mapped back to PDF points."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from redactguard.errors import UnreadableDocument
from redactguard.ocr import render_pdf_page, render_pdf_pages


def test_scanned_page_renders_at_300_dpi(fixtures_dir: Path) -> None:
    page = render_pdf_page((fixtures_dir / "scanned-letter.pdf").read_bytes(), 0)
    assert page.image.mode == "L"
    assert abs(page.image.width - 2480) <= 1 and abs(page.image.height - 3508) <= 1
    assert page.dpi == pytest.approx(300)
    assert page.to_pdf_box((0, 0, page.image.width, page.image.height)) == pytest.approx(
        (0, 0, 595.276, 841.89), abs=0.5)


def test_several_pages_render_from_one_opening(fixtures_dir: Path) -> None:
    writer = PdfWriter(clone_from=fixtures_dir / "scanned-letter.pdf")
    writer.add_page(PdfReader(fixtures_dir / "faint-scan.pdf").pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    pages = list(render_pdf_pages(buffer.getvalue(), [1, 0]))
    assert [p.index for p in pages] == [1, 0]


def rotated_pdf(fixtures_dir: Path, rotation: int, crop: tuple[float, float, float, float]) -> bytes:
    writer = PdfWriter(clone_from=fixtures_dir / "scanned-letter-stamped.pdf")
    page = writer.pages[0]
    page.cropbox.lower_left = crop[:2]
    page.cropbox.upper_right = crop[2:]
    page.rotate(rotation)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_pixel_boxes_map_to_points_as_pdfium_maps_them(fixtures_dir: Path, rotation: int) -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    data = rotated_pdf(fixtures_dir, rotation, (20, 30, 500, 800))
    rendered = render_pdf_page(data, 0, dpi=72)
    document = pdfium.PdfDocument(data)
    pdf_page = document[0]  # keep a reference: the raw handle dies with it
    width, height = rendered.image.size
    for device in [(10, 20), (width - 5, 7), (33, height - 40)]:
        x, y = ctypes.c_double(), ctypes.c_double()
        pdfium_c.FPDF_DeviceToPage(pdf_page.raw, 0, 0, width, height, 0, *device,
                                   ctypes.byref(x), ctypes.byref(y))
        box = rendered.to_pdf_box((*device, *device))
        assert box[0] == pytest.approx(x.value, abs=1.01) and box[1] == pytest.approx(y.value, abs=1.01)


def test_a_broken_pdf_is_unreadable() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        render_pdf_page(b"%PDF-1.4\nnot really", 0)
    assert caught.value.code == "corrupt"


def test_colour_renders_the_grey_pdfiums_grayscale_mode_gives(tmp_path: Path) -> None:
    """Pages are rendered straight into a grey bitmap (without PDFium's FPDF_GRAYSCALE flag, four
    times slower on a scan): coloured writing, fills and pictures come out as that flag's grey,
    within rounding, so pale coloured text is as legible to OCR as before."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.colors import Color
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    photo = Image.new("RGB", (120, 80))
    photo.putdata([(x * 2, y * 3, (x + y) % 256) for y in range(80) for x in range(120)])
    path = tmp_path / "colour.pdf"
    page = canvas.Canvas(str(path), pagesize=(300, 300))
    for i, rgb in enumerate([(1, 0, 0), (0, 0.6, 0), (0, 0, 1), (1, 0.85, 0), (0.5, 0.5, 0.5)]):
        page.setFillColor(Color(*rgb))
        page.setFont("Helvetica", 14)
        page.drawString(10, 280 - 20 * i, "14 Cherry Tree Road, LS6 3EX")
        page.rect(200, 280 - 20 * i, 60, 12, stroke=0, fill=1)
    page.setFillColor(Color(0.2, 0.4, 0.9, alpha=0.5))
    page.rect(20, 20, 150, 60, stroke=0, fill=1)
    page.drawImage(ImageReader(photo), 160, 20, 120, 80)
    page.save()

    ours = np.asarray(render_pdf_page(path.read_bytes(), 0, dpi=150).image, dtype=int)
    document = pdfium.PdfDocument(path.read_bytes())
    flagged = document[0].render(scale=150 / 72, grayscale=True).to_pil()
    theirs = np.asarray(flagged, dtype=int)
    assert ours.shape == theirs.shape
    assert ours.std() > 20  # the page has writing and colours on it
    assert np.abs(ours - theirs).max() <= 8
