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
