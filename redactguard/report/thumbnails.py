"""Pictures of flagged pages for the HTML report: the page's layout, never its words.

A thumbnail must not let anyone read a protected value or any personal data, including text
found without a box. So every page is made illegible as a whole, not only where findings are:
rendered small (`WIDTH` pixels wide), thickened, blurred and reduced to `LEVELS` grey levels,
which leaves lines and paragraphs as grey bands; and each finding's place is painted solid black
before the blur (so no pixel near it is made from its ink) and again after (so the box is
crisp). tests/report/test_html_thumbnails.py reads the thumbnails with Tesseract, enlarged,
and finds no word.

Boxes come from the finding's location (PDF points on a PDF page, pixels in a picture) or,
for a text-layer finding on a PDF page, from its masked excerpt (`excerpt_boxes`). A place
that cannot be boxed is counted so the report can say so; the blur still covers it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..document import Location
from ..errors import UnreadableDocument
from .excerpt_boxes import PageLetters, by_position, excerpt_boxes

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..ocr.render import RenderedPage

__all__ = ["Mark", "Thumbnail", "thumbnails", "WIDTH", "LEVELS", "BLUR_RADIUS"]

Box = tuple[float, float, float, float]

#: Width of a thumbnail in pixels: a page's layout, at about 22 dpi for A4.
WIDTH = 180
#: A thumbnail is rendered this many times larger, painted, then shrunk (a cleaner picture).
_OVERSAMPLE = 2
#: Gaussian blur radius in thumbnail pixels: about a line of body text.
BLUR_RADIUS = 2.0
#: Grey levels kept after the blur.
LEVELS = 4
#: Margin around a box on a PDF page, in points; in a picture, this fraction of its width.
_PAD_POINTS = 2.0
_PAD_FRACTION = 0.006
#: A tall picture (a scroll of a web page, a receipt) is cut to this many widths high.
_MAX_ASPECT = 4


@dataclass(frozen=True)
class Mark:
    """A place of a finding on a page: the finding's number in its document, where, and its
    masked excerpt when this is the place the excerpt was taken from."""

    finding: int
    location: Location
    excerpt: str | None = None


@dataclass(frozen=True)
class Thumbnail:
    """One page as a small illegible PNG, with each finding's boxes as fractions of it
    (left, top, width, height), and the findings with a place on the page that has no box."""

    png: bytes
    width: int
    height: int
    boxes: tuple[tuple[int, Box], ...]
    unplaced: tuple[int, ...]


def thumbnails(data: bytes, doc_type: str, marks: Mapping[int | None, Sequence[Mark]]) -> dict[int | None, Thumbnail]:
    """A thumbnail for each page of `marks` (1-based; None for a picture of one frame) that
    can be drawn; a page that cannot (a PDF that will not render, a picture that will not
    decode) is left out."""
    from PIL import Image as PILImage

    from ..ocr import OcrFailed

    out: dict[int | None, Thumbnail] = {}
    for page, page_marks in marks.items():
        try:
            if doc_type == "pdf" and page is not None:
                out[page] = _pdf_page(data, page, page_marks)
            elif doc_type == "image":
                out[page] = _picture_page(data, page, page_marks)
        except (UnreadableDocument, OcrFailed, RuntimeError, OSError, ValueError, EOFError,
                PILImage.DecompressionBombError):
            continue  # no picture of this page; its findings are still listed
    return out


def _pdf_page(data: bytes, page: int, marks: Sequence[Mark]) -> Thumbnail:
    from ..ocr.render import render_pdf_page

    boxes, unplaced, width_points = _pdf_boxes(data, page - 1, marks)
    dpi = max(1, round(WIDTH * _OVERSAMPLE * 72 / max(width_points, 1.0)))
    rendered = render_pdf_page(data, page - 1, dpi=dpi)
    pad = _PAD_POINTS * rendered.scale
    pixel_boxes = [(k, _padded(_to_pixels(rendered, box), pad)) for k, box in boxes]
    return _thumbnail(rendered.image, pixel_boxes, unplaced)


def _pdf_boxes(data: bytes, index: int, marks: Sequence[Mark]) -> tuple[list[tuple[int, Box]], list[int], float]:
    """Each mark's boxes in PDF points, the marks that could not be boxed, and the page's
    width as shown (its crop box turned by /Rotate)."""
    from ..ocr.render import pdfium_document

    boxes: list[tuple[int, Box]] = []
    unplaced: list[int] = []
    with pdfium_document(data, None, "for a thumbnail") as document:
        pdf_page = document[index]
        try:
            left, bottom, right, top = pdf_page.get_cropbox()
            turned = pdf_page.get_rotation() % 180 == 90
            letters = _page_letters(pdf_page) if any(m.location.bbox is None for m in marks) else []
        finally:
            pdf_page.close()
    for mark in marks:
        found = [mark.location.bbox] if mark.location.bbox is not None else (
            excerpt_boxes(letters, mark.excerpt) if mark.excerpt else [])
        boxes.extend((mark.finding, box) for box in found)
        if not found:
            unplaced.append(mark.finding)
    return boxes, unplaced, abs(top - bottom) if turned else abs(right - left)


def _page_letters(pdf_page: Any) -> list[PageLetters]:
    """The page's letters in PDFium's reading order and by position."""
    import pypdfium2.raw as pdfium_c

    textpage = pdf_page.get_textpage()
    try:
        chars: list[tuple[str, Box | None]] = []
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            char = chr(code) if 0 < code < 0x110000 else ""
            chars.append((char, tuple(textpage.get_charbox(i)) if char.strip() else None))
        return [PageLetters(chars), PageLetters(by_position(chars))]
    finally:
        textpage.close()


def _picture_page(data: bytes, page: int | None, marks: Sequence[Mark]) -> Thumbnail:
    from ..ocr.metadata import open_picture

    picture = open_picture(data)
    picture.seek((page or 1) - 1)
    grey = picture.convert("L")
    pad = _PAD_FRACTION * grey.width
    boxes = [(m.finding, _padded(m.location.bbox, pad)) for m in marks if m.location.bbox is not None]
    return _thumbnail(grey, boxes, [m.finding for m in marks if m.location.bbox is None])


def _thumbnail(image: Image, boxes: list[tuple[int, Box]], unplaced: list[int]) -> Thumbnail:
    """Paint, shrink, thicken, blur, posterise, paint again; boxes as fractions of the picture.

    Thickening (a minimum filter) runs the letters of a line into one band before the blur,
    so the bands keep the page's layout while no letter keeps its shape."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFilter, ImageOps

    image = image.convert("L")
    _paint(image, (box for _, box in boxes))
    height = max(1, round(image.height * WIDTH / image.width))
    small = image.resize((WIDTH, height), PILImage.Resampling.LANCZOS)
    small = small.crop((0, 0, WIDTH, min(height, WIDTH * _MAX_ASPECT)))
    small = small.filter(ImageFilter.MinFilter(3)).filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    small = ImageOps.autocontrast(small)
    step = 256 // LEVELS
    small = small.point(lambda v: min(255, (v // step) * 255 // (LEVELS - 1)))
    fx, fy = WIDTH / image.width, height / image.height
    fractions: list[tuple[int, Box]] = []
    unplaced = list(unplaced)
    draw = ImageDraw.Draw(small)
    for k, (x0, y0, x1, y1) in boxes:
        draw.rectangle((x0 * fx, y0 * fy, x1 * fx, y1 * fy), fill=0)
        top, bottom = y0 * fy / small.height, y1 * fy / small.height
        if top < 1:
            fractions.append((k, (x0 * fx / WIDTH, top, (x1 - x0) * fx / WIDTH, min(bottom, 1.0) - top)))
        else:  # below the part of a tall picture that is shown
            unplaced.append(k)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return Thumbnail(png=buffer.getvalue(), width=small.width, height=small.height,
                     boxes=tuple(fractions), unplaced=tuple(dict.fromkeys(unplaced)))


def _paint(image: Image, boxes: Iterable[Box]) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for box in boxes:
        draw.rectangle(box, fill=0)


def _padded(box: Box, pad: float) -> Box:
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def _to_pixels(page: RenderedPage, box: Box) -> Box:
    """A PDF box in default user space (origin bottom left) as a pixel box of the rendered page
    (origin top left): `RenderedPage.to_pdf_box` the other way."""
    corners = [_point_to_pixel(page, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _point_to_pixel(page: RenderedPage, x: float, y: float) -> tuple[float, float]:
    left, bottom, right, top = page.crop_box
    width, height = right - left, top - bottom
    u, v = x - left, top - y  # from the unrotated page's top-left corner, in points
    if page.rotation == 90:
        dx, dy = height - v, u
    elif page.rotation == 180:
        dx, dy = width - u, height - v
    elif page.rotation == 270:
        dx, dy = v, width - u
    else:
        dx, dy = u, v
    return (dx * page.scale, dy * page.scale)
