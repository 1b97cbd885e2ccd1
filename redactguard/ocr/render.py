"""PDF pages to pictures for OCR (pypdfium2, in process, from bytes), and pixels back to points.

Rendering at 300 dpi is what Tesseract is trained for. A page larger than `MAX_PIXELS` at that
resolution (an A0 plan, a hostile MediaBox) is rendered at a lower one instead of exhausting
memory; the scale actually used is kept, so word boxes still map back exactly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redactguard.errors import UnreadableDocument

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["RenderedPage", "render_pdf_page", "render_pdf_pages", "OCR_DPI", "MAX_PIXELS", "PDFIUM_LOCK"]

OCR_DPI = 300
#: About an A2 sheet at 300 dpi; larger pages are rendered at a lower resolution.
MAX_PIXELS = 36_000_000
POINTS_PER_INCH = 72.0

# PDFium is not thread-safe (pypdfium2's documentation); processes are, threads take turns.
_PDFIUM = threading.Lock()
#: Hold this around any other PDFium call in the process (e.g. a reader measuring page layout).
PDFIUM_LOCK = _PDFIUM


@dataclass(frozen=True)
class RenderedPage:
    """One page as a greyscale picture, with what is needed to map its pixels to PDF points.

    crop_box is the page's CropBox (left, bottom, right, top) in default user space and
    rotation its /Rotate (0, 90, 180, 270), as PDFium applied them when rendering.
    """

    image: Image
    index: int  # 0-based page index
    scale: float  # pixels per PDF point
    crop_box: tuple[float, float, float, float]
    rotation: int

    @property
    def dpi(self) -> float:
        return self.scale * POINTS_PER_INCH

    def to_pdf_box(self, bbox: Sequence[float]) -> tuple[float, float, float, float]:
        """A pixel box (x0, y0, x1, y1; origin top left) as a PDF box in default user space
        (x0, y0, x1, y1; origin bottom left), undoing the page's rotation and crop box."""
        corners = [self._to_point(x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    def _to_point(self, x: float, y: float) -> tuple[float, float]:
        left, bottom, right, top = self.crop_box
        width, height = right - left, top - bottom
        dx, dy = x / self.scale, y / self.scale
        # (u, v): distance from the unrotated page's top-left corner, in points. PDFium turns
        # the page clockwise by /Rotate; undo that turn.
        if self.rotation == 90:
            u, v = dy, height - dx
        elif self.rotation == 180:
            u, v = width - dx, height - dy
        elif self.rotation == 270:
            u, v = width - dy, dx
        else:
            u, v = dx, dy
        return (left + u, top - v)


def render_pdf_page(data: bytes, index: int, *, dpi: int = OCR_DPI, password: str | None = None) -> RenderedPage:
    """Render page `index` (0-based) of the PDF in `data` as a greyscale picture."""
    return next(render_pdf_pages(data, [index], dpi=dpi, password=password))


def render_pdf_pages(data: bytes, indexes: Sequence[int], *, dpi: int = OCR_DPI,
                     password: str | None = None) -> Iterator[RenderedPage]:
    """Render the given pages (0-based) of one PDF, opening it once."""
    with pdfium_document(data, password, "for rendering") as document:
        pages = [_render(document, index, dpi) for index in indexes]
    yield from pages


@contextmanager
def pdfium_document(data: bytes, password: str | None, purpose: str) -> Iterator[Any]:
    """The PDF opened in PDFium, holding the process-wide PDFium lock until it is closed again
    (PDFium is not thread-safe); a PDF it cannot open is `corrupt` ("could not be opened <purpose>")."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data, password=password)
        except pdfium.PdfiumError as exc:
            raise UnreadableDocument("corrupt", f"the PDF could not be opened {purpose}") from exc
        try:
            yield document
        finally:
            document.close()


def _render(document: object, index: int, dpi: int) -> RenderedPage:
    import pypdfium2 as pdfium

    try:
        page = document[index]  # type: ignore[index]
    except (IndexError, pdfium.PdfiumError) as exc:
        raise UnreadableDocument("corrupt", f"page {index + 1} could not be rendered", page=index + 1) from exc
    try:
        left, bottom, right, top = page.get_cropbox()
        rotation = page.get_rotation() % 360
        scale = dpi / POINTS_PER_INCH
        area = abs(right - left) * abs(top - bottom) * scale * scale
        if area > MAX_PIXELS:
            scale *= (MAX_PIXELS / area) ** 0.5
        # Straight into an 8-bit grey bitmap, without PDFium's FPDF_GRAYSCALE flag: the same
        # pixels (433 corpus pages: 373 identical, none more than 8 levels apart), about four
        # times faster on a scanned A4 page at 300 dpi (26 ms against 100 ms; docs/ocr.md).
        bitmap = page.render(scale=scale, rotation=0, may_draw_forms=True,
                             force_bitmap_format=pdfium.raw.FPDFBitmap_Gray)
        # to_pil() shares the bitmap's buffer; copy (once) so the picture outlives the PDF.
        shared = bitmap.to_pil()
        image = shared.copy() if shared.mode == "L" else shared.convert("L")
        bitmap.close()
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument("corrupt", f"page {index + 1} could not be rendered", page=index + 1) from exc
    finally:
        page.close()
    return RenderedPage(image=image, index=index, scale=scale,
                        crop_box=(left, bottom, right, top), rotation=rotation)
