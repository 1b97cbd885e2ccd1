"""Pictures as text: OCR with word boxes, PDF page rendering, OCR confusions, picture metadata,
and painting words out of pixels. A reader's helper, not a pipeline stage (docs/ocr.md).

Nothing heavy is imported here: Tesseract, PDFium and Pillow load inside the functions that
need them, so `import redactguard` stays fast and works without Tesseract installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> the submodule that defines it; each is imported on first use (PEP 562), so
#: that `import redactguard` and `redactguard --help` pay nothing for OCR.
_WHERE = {
    **dict.fromkeys(("Readability", "judge_page", "judge_words"), "confidence"),
    **dict.fromkeys(("confusable", "fold", "fold_with_map"), "confusions"),
    **dict.fromkeys(("INSTALL_HINT", "Ocr", "OcrFailed", "OcrUnavailable"), "engine"),
    **dict.fromkeys(("Box", "OcrLine", "OcrPage", "OcrWord"), "page"),
    **dict.fromkeys(("GpsPosition", "MetadataLine", "gps_position", "read_metadata", "strip_metadata"), "metadata"),
    **dict.fromkeys(("paint_out", "reencode"), "pixels"),
    **dict.fromkeys(("RenderedPage", "render_pdf_page", "render_pdf_pages"), "render"),
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from redactguard.ocr.confidence import Readability, judge_page, judge_words
    from redactguard.ocr.confusions import confusable, fold, fold_with_map
    from redactguard.ocr.engine import INSTALL_HINT, Ocr, OcrFailed, OcrUnavailable
    from redactguard.ocr.metadata import (
        GpsPosition,
        MetadataLine,
        gps_position,
        read_metadata,
        strip_metadata,
    )
    from redactguard.ocr.page import Box, OcrLine, OcrPage, OcrWord
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
