"""Pages whose text layer does not tell what they show: withheld writing removed by position.

The reader checks every page's text layer (`readers.pdf_trust`): a font whose codes do not say
which letters it draws (a permuted or missing ToUnicode map, a private encoding) gives text that
is not language, and writing drawn as vector outlines gives no text at all. Such a page is read
by OCR, and so it is redacted by what OCR reads: the page is rendered as the reader renders it,
read with the scanner's own OCR engine, and `Targets.find_read` names the withheld words. Then,
inside each withheld line's box (PDF points):

- every glyph whose box has its centre there is cut from its string, whatever its code says;
- every subpath of a filled or stroked path that lies there (a letter drawn as an outline) is
  taken out of the content (a path left with no subpath loses its painting operator too;
  a path that also clips is never edited);
- an opaque box with the label is painted over the place.

What the text layer still says elsewhere on the page is left as it is. Verification renders the
output again and reads the redacted regions and these pages with another OCR route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...document import Location
from ...errors import UnreadableDocument
from ...ocr.confidence import unsure_spans
from ..base import Removal, Span
from ..images import ocr_for
from .content import _Interpreter
from .geometry import Box, _bbox
from .job import _JobBase, _Paint
from .reading import glyph_centre
from .text import _Run, _TextBuilder

if TYPE_CHECKING:
    from ...ocr import OcrPage, RenderedPage

#: A withheld line's OCR box is grown by these shares of its height, across and along the line,
#: before glyphs and outlines are taken from it (OCR boxes hug the ink; a glyph's centre then
#: sits inside, the next line's and the next word's do not)...
GROW_ACROSS = 0.4
GROW_ALONG = 0.15
#: ...and painted with this margin (a share of its height, at least `MIN_MARGIN` points).
PAINT_MARGIN = 0.2
MIN_MARGIN = 1.0
#: An OCR line at least this much under the boxes the text step painted is that step's match,
#: read again: its glyphs go, but it is not recorded or painted twice.
COVERED = 0.5
#: A subpath is writing inside a withheld box when its bounds fit the grown box widened by
#: this share of the box's height on every side (a table rule or a frame does not).
SUBPATH_SLACK = 0.5


class _UntrustedPages(_JobBase):
    """The pages the reader reads by OCR for what their text layer does not say."""

    def untrusted_pages(self) -> set[int]:
        """Numbers of the pages whose text layer the reader distrusts (`readers.pdf_trust`)."""
        return set(distrusted_pages(self.source))

    def by_position(self, builder: _TextBuilder, interp: _Interpreter, pages: set[int],
                    removed: dict[int, set[tuple[int, int, int]]], dropped: dict[int, set[int]],
                    paints: dict[int, list[_Paint]]) -> None:
        """Remove the glyphs and outlines of every withheld span OCR reads on `pages`."""
        ocr = ocr_for(self.targets)
        for number in sorted(pages):
            try:
                rendered, read = _read_page(self.source, number, ocr)
            except UnreadableDocument as exc:
                self.problem(number, "the page could not be read by OCR to find what it shows", code=exc.code)
                continue
            unit = interp.page_units.get(number)
            if unit is None:
                self.problem(number, "the page's content cannot be edited")
                continue
            text, words = read.text_map()
            runs = [run for run in builder.runs if run.page == number and run.drawn]
            for span in self.targets.find_read(text, unsure_spans(words)):
                boxes = [rendered.to_pdf_box(box) for box in _line_boxes(span, words)]
                if not boxes:
                    continue
                known = list(self.boxes.get(number, []))  # what the text step already boxed
                found = 0
                for box in boxes:
                    found += self._cut_glyphs(runs, _grown(box, GROW_ALONG, GROW_ACROSS), removed)
                    found += self._cut_outlines(interp, number, _grown(box, GROW_ALONG, GROW_ACROSS), dropped)
                if all(_covered(box, known) for box in boxes):
                    continue  # the text layer told the truth here: the text step removed and boxed it
                for box in boxes:
                    margin = max(MIN_MARGIN, PAINT_MARGIN * min(box[2] - box[0], box[3] - box[1]))
                    paint = _grown(box, 0.0, 0.0, margin)
                    paints.setdefault(unit, []).append(_Paint(paint, span.label, True))
                    self.boxes.setdefault(number, []).append(paint)
                where = Location(part="image", page=number, bbox=_bbox([p for b in boxes for p in ((b[0], b[1]), (b[2], b[3]))]))
                if not found and number not in interp.images:
                    # neither a glyph, an outline nor a picture (which `pictures` paints) draws it:
                    # a clipping path, a pattern... what cannot be removed fails closed
                    self.problem(number, "withheld writing is drawn in a way that cannot be removed", where)
                action = "replaced" if found else "painted"
                self.removals.append(Removal(span.item.id, span.item.kind, where, self.targets.excerpt(text, span), action))

    def _cut_glyphs(self, runs: list[_Run], box: Box, removed: dict[int, set[tuple[int, int, int]]]) -> int:
        """Remove the glyphs whose centre is in `box`; how many there are."""
        found = 0
        for run in runs:
            for i in range(len(run.texts)):
                x, y = glyph_centre(run, i)
                if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                    removed.setdefault(run.unit, set()).add((run.op, run.elem, run.starts[i]))
                    found += 1
        return found

    def _cut_outlines(self, interp: _Interpreter, page: int, box: Box, dropped: dict[int, set[int]]) -> int:
        """Take out the subpaths that lie in `box`; how many there are."""
        slack = SUBPATH_SLACK * min(box[2] - box[0], box[3] - box[1])
        room = (box[0] - slack, box[1] - slack, box[2] + slack, box[3] + slack)
        taken = 0
        for index, unit in enumerate(interp.units):
            for path in unit.paths:
                if path.page != page or path.clips:
                    continue
                gone = dropped.setdefault(index, set())
                for sub in path.subpaths:
                    x, y = (sub.box[0] + sub.box[2]) / 2, (sub.box[1] + sub.box[3]) / 2
                    if box[0] <= x <= box[2] and box[1] <= y <= box[3] and _within(sub.box, room):
                        taken += 1
                        gone.update(sub.ops)
                if path.subpaths and all(gone.issuperset(sub.ops) for sub in path.subpaths):
                    gone.add(path.paint)
        return taken


def distrusted_pages(data: bytes) -> list[int]:
    """Numbers of the pages whose text layer the reader distrusts (PDFium's reading of each
    page judged by `readers.pdf_trust`): the pages it reads by OCR for what they show."""
    import pypdfium2 as pdfium

    from ...ocr.render import PDFIUM_LOCK
    from ...readers.pdf_layout import read_page_text
    from ...readers.pdf_trust import judge_page

    found: list[int] = []
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except (pdfium.PdfiumError, ValueError):
            return []  # the reader then reads pypdf's text layer, and so does the redactor
        try:
            for index in range(len(document)):
                try:
                    page = document[index]
                except (pdfium.PdfiumError, IndexError, ValueError):
                    continue
                try:
                    text = read_page_text(page)
                    if judge_page(page, text.text, text.chars, text.boxes()):
                        found.append(index + 1)
                except (pdfium.PdfiumError, ValueError):
                    continue
                finally:
                    page.close()
        finally:
            document.close()
    return found


def _read_page(data: bytes, number: int, ocr: Any) -> tuple[RenderedPage, OcrPage]:
    """The page rendered as the reader renders it for OCR, and what OCR reads there."""
    from ...ocr import render_pdf_page

    rendered = render_pdf_page(data, number - 1)
    return rendered, ocr.read(rendered.image, dpi=round(rendered.dpi))


def _line_boxes(span: Span, words: list[tuple[int, int, Any]]) -> list[tuple[int, int, int, int]]:
    """The pixel box of the words a span touches, one per OCR line (whole words only)."""
    lines: dict[tuple[int, int, int], list[tuple[int, int, int, int]]] = {}
    for start, end, word in words:
        if start < span.end and span.start < end:
            lines.setdefault(word.line_key, []).append(word.bbox)
    out = []
    for boxes in lines.values():
        x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
        out.append((min(x0s), min(y0s), max(x1s), max(y1s)))
    return out


def _grown(box: Box, along: float, across: float, fixed: float = 0.0) -> Box:
    """`box` grown by shares of its line height along and across its line (a line drawn up
    or down the page is taller than wide), plus `fixed` points all round."""
    width, height = box[2] - box[0], box[3] - box[1]
    line = min(width, height)
    if width < height:
        along, across = across, along
    dx, dy = along * line + fixed, across * line + fixed
    return (box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy)


def _covered(box: Box, known: list[Box]) -> bool:
    """Whether at least half of `box` lies under boxes already painted."""
    area = max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)
    under = sum(max(min(box[2], k[2]) - max(box[0], k[0]), 0.0) * max(min(box[3], k[3]) - max(box[1], k[1]), 0.0)
                for k in known)
    return area > 0 and under >= COVERED * area


def _within(inner: Box, outer: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]
