"""The pictures a PDF draws, as PDFium shows them (masks, decode arrays and colour spaces applied).

Verification of a redacted PDF reads these again with OCR: PDFium decodes them, not the
pypdf and Pillow route the redactor painted them with, so a mistake in one decoder (a mask
left beside painted pixels, an inverted decode array) cannot hide itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redactguard.errors import UnreadableDocument
from redactguard.ocr.render import pdfium_document

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["pdf_pictures", "MIN_PICTURE_SIDE"]

#: Pictures smaller than this on either side hold no legible word.
MIN_PICTURE_SIDE = 8


def pdf_pictures(data: bytes, *, password: str | None = None) -> Iterator[tuple[int, Image]]:
    """(page number from 1, picture) for every image object each page draws, inline images and
    pictures inside forms included, at about their own resolution."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found: list[tuple[int, Image]] = []
    with pdfium_document(data, password, "to read its pictures") as document:
        for index in range(len(document)):
            page = document[index]
            try:
                for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                    width, height = obj.get_px_size()
                    if min(width, height) < MIN_PICTURE_SIDE:
                        continue
                    # to_pil() shares PDFium's buffer: copy so the picture outlives it
                    found.append((index + 1, obj.get_bitmap(render=True).to_pil().convert("L").copy()))
            except pdfium.PdfiumError as exc:
                raise UnreadableDocument("corrupt", f"a picture on page {index + 1} could not be read",
                                         page=index + 1) from exc
            finally:
                page.close()
    yield from found
