"""What the two ways of reading a PDF share (`pdf.py` with pypdf for the structure, `pdf_pdfium.py`
with PDFium alone where pypdf cannot open the file): each page's text as PDFium lays it out, in
its flows; the page read by OCR where it needs it; earlier revisions read the same way.

Both readers must see a page alike, or the same file would pass one way and fail the other; so
the page is read here once, for both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .pdf_layout import Fragment, PageText, at_edges, is_page_number, read_object_text, running_key
from .pdf_pictures import PdfPictures
from .pdf_trust import Distrust

__all__ = ["PageTexts", "digest", "earlier_revisions", "guarded", "read_pictures", "revision_texts"]


class PageTexts:
    """Each page's text from PDFium, read a page ahead, split into its body and its running
    lines: headers, footers and page numbers that repeat down the document. The body flows on
    from page to page without them, so a fact split across a page break is matched whole; the
    running lines are a flow of their own (still checked, part `body`): the rules are
    `pdf_layout.at_edges`, which the redactor follows too."""

    def __init__(self, pdfium: PdfPictures, count: int):
        self._pdfium = pdfium
        self._count = count
        self._texts: dict[int, tuple[PageText, Distrust] | None] = {}

    def _read(self, index: int) -> tuple[PageText, Distrust] | None:
        if not 0 <= index < self._count:
            return None
        if index not in self._texts:
            for old in [i for i in self._texts if i < index - 1]:
                del self._texts[old]
            self._texts[index] = self._pdfium.text(index)
        return self._texts[index]

    def page_text(self, index: int) -> PageText | None:
        """The page's whole text as PDFium lays it out, or None if it cannot read the page."""
        read = self._read(index)
        return read[0] if read is not None else None

    _get = page_text

    def chars(self, index: int) -> int:
        text = self._get(index)
        return text.chars if text is not None else 0

    def distrust(self, index: int) -> Distrust | None:
        """Why the page's text layer does not tell what it shows (falsy: it does), or None if
        PDFium cannot read the page."""
        read = self._read(index)
        return read[1] if read is not None else None

    def body(self, index: int) -> tuple[Segment | None, ...] | None:
        """(body, running lines, the content stream's order where it was not the reading
        order) of page `index`, or None if PDFium cannot read the page."""
        text = self._get(index)
        if text is None:
            return None
        keys = {running_key(other.fragments[i].text) for n in (index - 1, index + 1)
                if (other := self._get(n)) is not None for i in at_edges(other.boxes(), other.page_box)}
        running = {i for i in at_edges(text.boxes(), text.page_box)
                   if is_page_number(text.fragments[i].text) or running_key(text.fragments[i].text) in keys}
        number = index + 1
        body = [f for i, f in enumerate(text.fragments) if i not in running]
        lines = [f for i, f in enumerate(text.fragments) if i in running]
        stream = None
        if text.stream_text:
            stream = Segment(text.stream_text, Location(part="body", page=number), flow=f"stream:{number}")
        return _segment(body, number, "body"), _segment(lines, number, "running"), stream

    def pieces(self, index: int) -> Segment | None:
        """The page's text objects, each on its own line, where PDFium's text runs one into the
        next with no space (`pdf_layout.read_object_text`), as a flow of their own; None where
        none does. For a page whose content is damaged, whose positions do not keep its words
        apart. Raises where PDFium cannot read the page (call it `guarded`: a problem)."""
        from ..ocr.render import PDFIUM_LOCK

        with PDFIUM_LOCK:
            doc = self._pdfium.document()
            if doc is None:
                raise ValueError("PDFium cannot open the document")
            page = doc[index]
            try:
                text = read_object_text(page)
            finally:
                page.close()
        if not text.strip():
            return None
        return Segment(text, Location(part="body", page=index + 1), flow=f"objects:{index + 1}")


def _segment(fragments: list[Fragment], page: int, flow: str) -> Segment | None:
    """One page's lines as a segment. (Their boxes stay here: contract §4 gives `bbox` to text
    read from pictures only, so a body finding names its page, not its box.)"""
    if not fragments:
        return None
    return Segment("\n".join(f.text for f in fragments), Location(part="body", page=page), flow=flow)


def read_pictures(pdfium: PdfPictures, texts: PageTexts, index: int, ctx: ReadContext, *,
                  images: bool, names: tuple[str, ...] = ()) -> Iterator[Segment]:
    """OCR where the page needs it: its pictures (`images`: the page paints some, or may) hold
    writing its text layer does not cover, or its text layer does not tell what the page shows
    (`pdf_trust`: not language, writing drawn as shapes). `names`: its image XObjects."""
    number = index + 1
    pictures = images and pdfium.wanted(index)
    distrust = texts.distrust(index)
    if distrust:
        ctx.note(f"page {number} was read by OCR: " + "; ".join(distrust.reasons))
        regions = () if distrust.layer or pictures else distrust.outlines
        yield from pdfium.read_page(index, names, why=distrust.reasons[0], regions=regions)
    elif pictures:
        yield from pdfium.read_page(index, names)


def earlier_revisions(data: bytes, final_texts: set[str], ctx: ReadContext,
                      opens: Callable[[bytes], object] | None = None,
                      ends: list[int] | None = None) -> Iterator[Segment]:
    """Page text of each earlier revision (incremental updates) that the final one lacks, read
    as the final pages are (PDFium, by position), so an unchanged page compares equal.
    `opens`: raises where a prefix of the file is not a revision of its own (a linearised
    file's first section). `ends`: where revisions end, if known better than by every `%%EOF`."""
    if ends is None:
        ends = [m.end() for m in re.finditer(rb"%%EOF[ \t\r\n]*", data)]
    for cut in ends[:-1][-16:]:
        ctx.check_time()
        try:
            if opens is not None:
                opens(data[:cut])
            texts = revision_texts(data[:cut], ctx)
        except Exception:
            continue
        for number, text in texts:
            if text.strip() and digest(text) not in final_texts:
                yield Segment(text, Location(part="previous-revision", page=number), flow=f"rev:{cut}")


def revision_texts(data: bytes, ctx: ReadContext) -> list[tuple[int, str]]:
    """(page number, text) of every page of an earlier revision, as PDFium lays it out."""
    old = PdfPictures(data, ctx)
    try:
        count = old.page_count() or 0
        texts = []
        for index in range(count):
            read = old.text(index)
            texts.append((index + 1, read[0].text if read is not None else ""))
        return texts
    finally:
        old.close()


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def guarded(ctx: ReadContext, what: str, produce: Callable[[], Iterator[Segment]],
            page: int | None = None) -> Iterator[Segment]:
    """Run one sub-reader; a damaged structure there is a problem, not a crash."""
    try:
        yield from produce()
    except UnreadableDocument:
        raise
    except Exception as exc:
        ctx.problem("corrupt", f"the {what} could not be read ({type(exc).__name__})", page=page)

