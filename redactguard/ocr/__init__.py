"""Pictures as text: OCR with word boxes, PDF page rendering, OCR confusions, picture metadata,
and painting words out of pixels. A reader's helper, not a pipeline stage (docs/ocr.md).

Nothing heavy is imported here: Tesseract, PDFium and Pillow load inside the functions that
need them, so `import redactguard` stays fast and works without Tesseract installed.
"""

from __future__ import annotations

from redactguard.ocr.confidence import Readability, judge_page, judge_words
from redactguard.ocr.confusions import confusable, fold, fold_with_map
from redactguard.ocr.engine import (
    INSTALL_HINT,
    Box,
    Ocr,
    OcrFailed,
    OcrLine,
    OcrPage,
    OcrUnavailable,
    OcrWord,
)
from redactguard.ocr.metadata import (
    GpsPosition,
    MetadataLine,
    gps_position,
    read_metadata,
    strip_metadata,
)
from redactguard.ocr.pixels import paint_out, reencode
from redactguard.ocr.render import RenderedPage, render_pdf_page, render_pdf_pages

__all__ = [
    "Box", "Ocr", "OcrWord", "OcrLine", "OcrPage", "OcrUnavailable", "OcrFailed", "INSTALL_HINT",
    "Readability", "judge_page", "judge_words",
    "fold", "fold_with_map", "confusable",
    "MetadataLine", "GpsPosition", "read_metadata", "gps_position", "strip_metadata",
    "paint_out", "reencode",
    "RenderedPage", "render_pdf_page", "render_pdf_pages",
]
