"""Which PDF pages need OCR, and reading them (contract §3 "Pictures are text too").

A page needs OCR when its pictures cover a real part of the page that its text layer does not:
an image-only page, or a scan under a stamped page number, index header or reference stamp.
PDFium gives every image's placement on the page (through the content stream's CTMs and any
form XObjects) and every text object's box. Both are laid on a grid of `CELL` points; text
reaches `TEXT_REACH` points around its box (the gaps between lines of a searchable scan are
covered). Under `--ocr auto` a page is read when the image cells the text does not reach are at
least `MIN_UNCOVERED_PAGE` of the page and `MIN_UNCOVERED_IMAGE` of the images' own area;
`always` reads every page that paints an image; `never` makes each page that needs OCR the
problem `no_text_layer`. The page is rendered at 300 dpi, and word boxes come back in PDF points.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from ..vocabulary import OcrMode
from .base import ReadContext
from .pdf_raw import strip_markup
from .pictures import ocr_picture, picture_metadata, picture_not_read
from .pypdf_compat import raw_data

if TYPE_CHECKING:
    from .pdf_layout import PageText
    from .pdf_trust import Distrust

__all__ = ["PageLayout", "PdfPictures", "CELL", "TEXT_REACH", "MIN_UNCOVERED_PAGE", "MIN_UNCOVERED_IMAGE"]

CELL = 12.0  # points (1/6 inch)
TEXT_REACH = 30.0  # points around a text object that count as covered by it
MIN_UNCOVERED_PAGE = 0.05
MIN_UNCOVERED_IMAGE = 0.5

_TEXT, _IMAGE, _FORM = 1, 3, 5
Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageLayout:
    """Where a page paints images and text, in PDF points (left, bottom, right, top)."""

    page_box: Rect
    images: tuple[Rect, ...]
    texts: tuple[Rect, ...]

    def uncovered(self) -> tuple[float, float]:
        """(share of the page, share of the images' area) painted by images and not reached by text."""
        left, bottom, right, top = self.page_box
        cols = max(1, math.ceil((right - left) / CELL))
        rows = max(1, math.ceil((top - bottom) / CELL))
        if cols * rows > 250_000:  # a hostile MediaBox: fall back to a coarser grid
            return (1.0, 1.0) if self.images else (0.0, 0.0)

        def cells(rect: Rect, grow: float = 0.0) -> set[int]:
            x0 = max(0, int((rect[0] - grow - left) // CELL))
            x1 = min(cols, math.ceil((rect[2] + grow - left) / CELL))
            y0 = max(0, int((rect[1] - grow - bottom) // CELL))
            y1 = min(rows, math.ceil((rect[3] + grow - bottom) / CELL))
            return {y * cols + x for y in range(y0, y1) for x in range(x0, x1)}

        image_cells: set[int] = set()
        for rect in self.images:
            image_cells |= cells(rect)
        if not image_cells:
            return (0.0, 0.0)
        text_cells: set[int] = set()
        for rect in self.texts:
            text_cells |= cells(rect, TEXT_REACH)
        bare = len(image_cells - text_cells)
        return bare / (cols * rows), bare / len(image_cells)

    def needs_ocr(self) -> bool:
        page_share, image_share = self.uncovered()
        return page_share >= MIN_UNCOVERED_PAGE and image_share >= MIN_UNCOVERED_IMAGE


class PdfPictures:
    """PDFium's view of one PDF, opened on first need: page layout and reading pages by OCR."""

    def __init__(self, data: bytes, ctx: ReadContext):
        self.data = data
        self.ctx = ctx
        self._doc: Any = None
        self._failed = False

    def close(self) -> None:
        if self._doc is not None:
            from ..ocr.render import PDFIUM_LOCK

            with PDFIUM_LOCK:
                self._doc.close()
            self._doc = None

    def _page(self, index: int) -> Any:
        """PDFium's page `index` (hold the lock), or None where PDFium cannot open it."""
        import pypdfium2 as pdfium

        try:
            if self._doc is None:
                if self._failed:
                    return None
                self._doc = pdfium.PdfDocument(self.data)
            return self._doc[index]
        except (pdfium.PdfiumError, IndexError, ValueError):
            self._failed = self._doc is None
            return None

    def document(self) -> Any:
        """PDFium's document, opened on first need (hold the lock), or None if PDFium cannot
        open the file."""
        import pypdfium2 as pdfium

        try:
            if self._doc is None and not self._failed:
                self._doc = pdfium.PdfDocument(self.data)
        except (pdfium.PdfiumError, ValueError):
            self._failed = True
        return self._doc

    def page_count(self) -> int | None:
        """How many pages PDFium shows, or None if it cannot open the file."""
        from ..ocr.render import PDFIUM_LOCK

        with PDFIUM_LOCK:
            doc = self.document()
            return len(doc) if doc is not None else None

    def text(self, index: int) -> tuple[PageText, Distrust] | None:
        """The page's text in reading order and whether it tells what the page shows
        (`pdf_trust`), or None if PDFium cannot read the page."""
        import pypdfium2 as pdfium

        from ..ocr.render import PDFIUM_LOCK
        from .pdf_layout import read_page_text
        from .pdf_trust import judge_page

        with PDFIUM_LOCK:
            page = self._page(index)
            if page is None:
                return None
            try:
                text = read_page_text(page)
                return text, judge_page(page, text.text, text.chars, text.boxes())
            except (pdfium.PdfiumError, ValueError):
                return None
            finally:
                page.close()

    def layout(self, index: int) -> PageLayout | None:
        """The page's layout, or None if PDFium cannot tell (the caller then reads it by OCR)."""
        import pypdfium2 as pdfium

        from ..ocr.render import PDFIUM_LOCK

        with PDFIUM_LOCK:
            page = self._page(index)
            if page is None:
                return None
            try:
                return _layout(page)
            except (pdfium.PdfiumError, ValueError):
                return None
            finally:
                page.close()

    def wanted(self, index: int) -> bool:
        """Whether the page must be read by OCR under `auto`/`never` (a page known to paint images)."""
        if self.ctx.ocr == OcrMode.ALWAYS:
            return True
        layout = self.layout(index)
        return layout is None or layout.needs_ocr()

    def read_page(self, index: int, image_names: tuple[str, ...], *, why: str = "",
                  regions: tuple[Rect, ...] = ()) -> Iterator[Segment]:
        """The page's writing by OCR: `image` segments with boxes in PDF points (with `regions`,
        only the lines that reach into one of them). `why`: a page read for what its text layer
        does not say (`pdf_trust`), named in problems."""
        number = index + 1
        location = Location(part="image", page=number, image="+".join(image_names) or None)
        what = f"page {number}" + (f" ({why})" if why else "")
        if self.ctx.ocr == OcrMode.NEVER or self.ctx.ocr_missing:
            picture_not_read(self.ctx, location=location, what=what)
            return
        from ..ocr import render_pdf_page

        try:
            rendered = render_pdf_page(self.data, index)
        except UnreadableDocument as exc:
            self.ctx.problem(exc.code, f"page {number} could not be rendered for OCR", page=number)
            return
        for segment in ocr_picture(self.ctx, rendered.image, location=location, flow="image", what=what,
                                   to_box=rendered.to_pdf_box, dpi=round(rendered.dpi)):
            box = segment.location.bbox
            if not regions or (box is not None and any(_meets(box, region) for region in regions)):
                yield segment


def _layout(page: Any) -> PageLayout:
    import pypdfium2 as pdfium

    left, bottom, right, top = page.get_cropbox()
    images: list[Rect] = []
    texts: list[Rect] = []
    matrices: dict[int, Any] = {}  # level -> matrix of the form XObject open at that level
    for obj in page.get_objects(filter=None, max_depth=8):
        level = obj.level
        if obj.type == _FORM:
            matrices[level] = obj.get_matrix()
            continue
        if obj.type not in (_IMAGE, _TEXT):
            continue
        try:
            rect = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        for depth in range(level - 1, -1, -1):  # nested in forms: form space -> page space
            matrix = matrices.get(depth)
            if matrix is not None:
                rect = _transform(matrix, rect)
        (images if obj.type == _IMAGE else texts).append(_clip(rect, (left, bottom, right, top)))
    return PageLayout((left, bottom, right, top), tuple(r for r in images if r[2] > r[0] and r[3] > r[1]),
                      tuple(texts))


def _meets(a: Rect, b: Rect) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _transform(matrix: Any, rect: Rect) -> Rect:
    corners = [matrix.on_point(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _clip(rect: Rect, box: Rect) -> Rect:
    return (max(rect[0], box[0]), max(rect[1], box[1]), min(rect[2], box[2]), min(rect[3], box[3]))


def _xobjects(page: Any) -> list[tuple[Any, Any]]:
    """(name, reference) of each XObject the page's resources hold; raises where they are damaged."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if resources else None
    return list((xobjects.get_object() if xobjects is not None else {}).items())


def image_names(page: Any) -> tuple[str, ...]:
    """Names of the image XObjects the page's resources hold (for `location.image`)."""
    try:
        return tuple(str(name).lstrip("/") for name, ref in _xobjects(page) if ref.get_object().get("/Subtype") == "/Image")
    except Exception:  # damaged resources: the page is still read, just not named
        return ()


def image_metadata(page: Any, number: int, ctx: ReadContext) -> Iterator[Segment]:
    """EXIF/XMP carried by the page's JPEG images and the images' own /Metadata streams."""
    try:
        items = _xobjects(page)
    except Exception:
        return
    for name, ref in items:
        obj = ref.get_object()
        if obj.get("/Subtype") != "/Image":
            continue
        label = str(name).lstrip("/")
        where = Location(part="image-metadata", page=number, image=label)
        flow = f"image-metadata:{number}:{label}"
        meta = obj.get("/Metadata")
        if meta is not None:
            xml = meta.get_object().get_data().decode("utf-8", "replace")
            text = " ".join(strip_markup(xml).split())
            if text:
                yield Segment(text, Location(part="image-metadata", page=number, image=label, detail="xmp"), flow=flow)
        filters = obj.get("/Filter")
        filters = filters if isinstance(filters, list) else [filters]
        raw = raw_data(obj)  # still encoded: for DCTDecode, the JPEG file itself
        if filters == ["/DCTDecode"] and raw:
            # a JPEG keeps its APP1 EXIF/XMP segments when a scanner or converter embeds it as is
            yield from picture_metadata(ctx, raw, location=where, flow=flow, what=f"page {number} image {label}")
