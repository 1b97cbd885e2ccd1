"""Metafiles drawn by LibreOffice: for writing their records do not give as characters
(lettering converted to outlines, text drawn by glyph number) and for StarView pictures (SVM),
whose records are LibreOffice's own.

LibreOffice draws the picture into a PDF (`convert.soffice_convert`: a private profile, no
network, the document's time budget). An EMF/WMF drawing is rendered by PDFium at 300 dpi,
cropped to the ink, and read by OCR (`read_rendered`); an SVM's PDF is read by the PDF reader,
since LibreOffice writes the picture's text as text (`read_drawn`). Without LibreOffice, or when
it fails, the picture is `unsupported_part` (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..document import Location, Segment
from ..vocabulary import OcrMode
from .base import ReadContext
from .convert import SofficeMissing, soffice_convert
from .metafile_records import inflate, metafile_kind

__all__ = ["read_rendered", "read_drawn"]

_MARGIN_PX = 20


def read_rendered(ctx: ReadContext, data: bytes, *, location: Location, flow: str, what: str, reason: str) -> Iterator[Segment]:
    """OCR of the metafile as LibreOffice draws it; `reason` says why (never document text)."""
    from .pictures import ocr_picture, picture_not_read

    if ctx.ocr == OcrMode.NEVER or ctx.ocr_missing:
        picture_not_read(ctx, location=location, what=what)
        return
    try:
        pdf = _to_pdf(ctx, data)
    except SofficeMissing:
        pdf, reason = None, f"{reason}, and LibreOffice is not installed to render it for OCR"
    else:
        reason = f"{reason}, and LibreOffice could not render it" if pdf is None else reason
    if pdf is None:
        ctx.problem("unsupported_part", f"{what} cannot be read: {reason}", location=location)
        return
    from PIL import ImageOps

    from ..ocr import render_pdf_page

    picture = render_pdf_page(pdf, 0).image
    ink = ImageOps.invert(picture.convert("L")).getbbox()
    if ink is None:  # LibreOffice drew nothing: nothing a person sees either
        return
    left, top, right, bottom = ink
    picture = picture.crop((max(left - _MARGIN_PX, 0), max(top - _MARGIN_PX, 0),
                            min(right + _MARGIN_PX, picture.width), min(bottom + _MARGIN_PX, picture.height)))
    ctx.note(f"{what} was rendered with LibreOffice and read by OCR: {reason}")
    yield from ocr_picture(ctx, picture, location=location, flow=flow, what=what)


#: Parts of the PDF LibreOffice draws a picture into that LibreOffice writes, not the picture.
_LIBREOFFICE_OWN = frozenset({"metadata", "outline"})


def read_drawn(ctx: ReadContext, data: bytes, *, location: Location, flow: str, what: str) -> Iterator[Segment]:
    """A StarView metafile (SVM: LibreOffice's own vector format, e.g. the picture it keeps of
    every chart and formula object) drawn by LibreOffice into a PDF, whose text layer holds the
    picture's text as LibreOffice draws it, read by the PDF reader (its pictures by OCR, as any
    PDF's). Its text and problems are the picture's (`location`); without LibreOffice it fails
    closed (`unsupported_part`)."""
    from .base import read_document

    try:
        pdf = _to_pdf(ctx, data)
    except SofficeMissing:
        ctx.problem("unsupported_part", f"{what} is a StarView drawing, which LibreOffice is not installed to read",
                    location=location)
        return
    if pdf is None:
        ctx.problem("unsupported_part", f"{what} is a StarView drawing that LibreOffice could not draw", location=location)
        return
    inner = ReadContext(name=f"{ctx.name} > {what}", limits=ctx.limits, depth=ctx.depth + 1, ocr=ctx.ocr,
                        ocr_engine=ctx.ocr_engine, expanded=ctx.expanded, deadline=ctx.deadline, ocr_missing=ctx.ocr_missing)
    for seg in read_document(pdf, inner, "pdf"):
        if seg.location.part in _LIBREOFFICE_OWN:  # the PDF's producer, dates, outline: LibreOffice's
            continue
        yield replace(seg, location=location, flow=f"{flow}:{seg.flow}", words=())  # boxes are the PDF's: dropped
    ctx.expanded, ctx.ocr_missing = inner.expanded, ctx.ocr_missing or inner.ocr_missing
    for problem in inner.problems:
        ctx.problem(problem.code, f"{what}: {problem.message}", location=location)


def _to_pdf(ctx: ReadContext, data: bytes) -> bytes | None:
    """The picture drawn by LibreOffice into a one-page PDF (`convert.soffice_convert`: isolated,
    within the document's time budget); None where LibreOffice drew nothing."""

    if metafile_kind(data[:64]) == "gzip":
        data = inflate(data, ctx.limits.max_part_bytes)
    return soffice_convert(data, _suffix(data), "pdf", ctx)


def _suffix(data: bytes) -> str:
    if data.startswith(b"VCLMTF"):
        return "svm"
    return "emf" if metafile_kind(data[:64]) == "emf" else "wmf"
