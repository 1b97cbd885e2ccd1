"""PDF with pypdf: page text, and (from issue [3/7]) every other place a PDF can hold text."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext, register

__all__ = ["PdfReader", "open_pdf", "page_has_images"]

# pypdf's own log lines can quote object content; keep them out of our output entirely.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)

#: A page with pictures and fewer visible characters than this has no usable text layer.
MIN_TEXT_CHARS = 20


def open_pdf(data: bytes) -> Any:
    """A pypdf reader, decrypted if it opens with an empty password; raises UnreadableDocument."""
    from pypdf import PdfReader as _Pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if b"%%EOF" not in data[-4096:]:
        raise UnreadableDocument("corrupt", "the PDF has no end-of-file marker (truncated?)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = _Pypdf(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise UnreadableDocument("corrupt", f"the PDF cannot be parsed ({type(exc).__name__})") from None
    if reader.is_encrypted:
        ok: int = 0
        try:
            ok = int(reader.decrypt(""))
        except (NotImplementedError, FileNotDecryptedError, PdfReadError, ValueError, KeyError):
            ok = 0
        except Exception:  # e.g. a missing crypto backend or a damaged /Encrypt dictionary
            ok = 0
        if not ok:
            raise UnreadableDocument("encrypted", "the PDF is encrypted with a password")
    return reader


def page_has_images(page: Any, depth: int = 0) -> bool:
    """True if the page (or a form it draws) paints a raster image."""
    try:
        resources = page.get("/Resources") if depth == 0 else page
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return False
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for ref in xobjects.values():
            obj = ref.get_object()
            subtype = obj.get("/Subtype")
            if subtype == "/Image":
                return True
            if subtype == "/Form" and depth < 4 and page_has_images(obj.get("/Resources"), depth + 1):
                return True
        if depth == 0:
            contents = page.get_contents()
            if contents is not None and b"BI" in contents.get_data():
                return b"ID" in contents.get_data()
    except Exception:  # damaged resources: treat as possibly holding an image (fail closed)
        return True
    return False


@register("pdf")
class PdfReader:
    type = "pdf"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        reader = open_pdf(data)
        try:
            pages = reader.pages
            count = len(pages)
        except Exception as exc:
            raise UnreadableDocument("corrupt", f"the PDF's page tree is damaged ({type(exc).__name__})") from None
        if count > ctx.limits.max_pages:
            raise UnreadableDocument("limit_exceeded", f"the PDF has {count} pages, over the limit")
        if ctx.depth == 0:
            ctx.pages = count
        for index in range(count):
            ctx.check_time()
            yield from self._page(pages, index, ctx)

    def _page(self, pages: Any, index: int, ctx: ReadContext) -> Iterator[Segment]:
        number = index + 1
        try:
            page = pages[index]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = page.extract_text() or ""
        except Exception as exc:
            ctx.problem("corrupt", f"page {number} could not be read ({type(exc).__name__})", page=number)
            return
        if len(text.strip()) < MIN_TEXT_CHARS and page_has_images(page):
            ctx.problem("no_text_layer", f"page {number} has no text layer", page=number)
        if text:
            yield Segment(text, Location(part="body", page=number))
