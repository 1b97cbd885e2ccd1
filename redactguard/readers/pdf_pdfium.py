"""A PDF pypdf cannot open, read with PDFium alone (issue [10], "a second reader for damaged pages").

pypdf gives up on a file whose cross-reference table, trailer or page tree is damaged; PDFium,
the engine that renders the page, rebuilds such a file from its objects and shows it, and that
is what a recipient opening it in a browser or viewer sees. Failing closed on those files blocked
documents a person can read, so they are read here with the parts the pypdf path gives: page
text by position with the same flows and checks (`pdf_pages`); annotations, links, attached
files, form fields, outline, Info, XFA, embedded files and earlier revisions through PDFium's
interface; XMP, scripts and every other string from the file's bytes (`pdf_raw`), which
PDFium's interface does not reach. What neither vouches for is a problem.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import unquote

import pypdfium2 as pdfium  # imported at the top: this module is imported only once pypdf fails
import pypdfium2.raw as raw

from ..document import Location, Segment
from ..errors import UnreadableDocument
from ..ocr.render import PDFIUM_LOCK
from .base import ReadContext
from .pdf_pages import PageTexts, digest, earlier_revisions, guarded, read_pictures
from .pdf_pictures import PdfPictures
from .pdf_raw import RawPdf, payload_key, strip_markup, text_key
from .pictures import picture_metadata

__all__ = ["read_with_pdfium"]

INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate")
ANNOTATION_KEYS = ("Contents", "T", "Subj", "RC")
FIELD_KEYS = (b"V", b"DV", b"TU")  # the widget's own entries, as the pypdf path reads a field's
#: Bookmarks deeper or more numerous than this are a damaged or hostile outline.
MAX_OUTLINE_DEPTH, MAX_OUTLINE = 32, 10_000


@dataclass(frozen=True)
class _Found:
    """A segment's text, or (part `attachment`) a file's name and data, found under the lock."""

    part: str
    flow: str
    text: str
    detail: str | None = None
    payload: bytes | None = None


def read_with_pdfium(data: bytes, ctx: ReadContext, pictures: PdfPictures, failure: UnreadableDocument) -> Iterator[Segment]:
    """Read a PDF pypdf could not open (`failure`, raised again if PDFium cannot open it either).
    `pictures` must be unused: PDFium wants the form environment before any page is loaded."""
    reading = _Reading(data, ctx, pictures)
    with PDFIUM_LOCK:
        count = reading.open()
    if count is None:
        raise failure
    try:
        why = str(failure).rpartition("(")[2].rstrip(")")
        why = f"a damaged page tree, {why}" if "page tree" in str(failure) else why
        ctx.note(f"the PDF was read with PDFium alone: pypdf could not parse it ({why})")
        yield from reading.read(count)
    finally:
        reading.close()


class _Reading:
    """One document read through PDFium: its pages, then its document-wide parts."""

    def __init__(self, data: bytes, ctx: ReadContext, pictures: PdfPictures):
        self.data, self.ctx, self.pictures = data, ctx, pictures
        self.doc: Any = None
        self.form: Any = None
        self._form_info = raw.FPDF_FORMFILLINFO(version=2)  # PDFium keeps a pointer to it
        self.said: set[str] = set()  # texts PDFium's interface gave: not read again from the bytes
        self.payloads: set[str] = set()  # the attached files read
        self.fields: set[str] = set()
        self.field_texts = 0

    def open(self) -> int | None:
        """The page count, or None if PDFium cannot open the file (hold the lock)."""
        self.doc = self.pictures.document()
        if self.doc is None:
            return None
        self.form = raw.FPDFDOC_InitFormFillEnvironment(self.doc.raw, self._form_info) or None
        return len(self.doc)

    def close(self) -> None:
        if self.form is not None:
            with PDFIUM_LOCK:
                raw.FPDFDOC_ExitFormFillEnvironment(self.form)
            self.form = None
        self.pictures.close()

    def read(self, count: int) -> Iterator[Segment]:
        ctx = self.ctx
        if count > ctx.limits.max_pages:
            raise UnreadableDocument("limit_exceeded", f"the PDF has {count} pages, over the limit")
        if ctx.depth == 0:
            ctx.pages = count
        found = RawPdf.read(self.data, ctx.limits.max_part_bytes)
        revised = found.revisions > 1
        split = ctx.page_range if ctx.depth == 0 else None
        if split is not None and revised:  # earlier revisions are compared with every final page
            raise UnreadableDocument("corrupt", "an incrementally updated PDF cannot be read in page ranges")
        start, stop = split if split is not None else (0, count)
        texts = PageTexts(self.pictures, count)
        finals: set[str] = set()
        blank: list[int] = []
        for index in range(max(0, start - 1), min(count, stop + 1)):
            ctx.check_time()
            if start <= index < stop:
                yield from self._page(texts, index, finals, blank)
            elif (body := texts.body(index)) is not None and body[0] is not None:
                yield body[0]  # context for a match across the range's edge: that range reports it
        if not ctx.document_parts:
            return
        for what, collect in (("document outline", self._outline), ("metadata", self._metadata),
                              ("form fields", self._xfa), ("embedded files", self._embedded)):
            yield from guarded(ctx, what, partial(self._hand_out, collect))
        found.check_pages(ctx, count, blank if split is None else [])
        yield from guarded(ctx, "streams and strings", lambda: found.segments(ctx, self.said, self.payloads))
        if revised:
            yield from earlier_revisions(self.data, finals, ctx, ends=found.ends)

    def _page(self, texts: PageTexts, index: int, finals: set[str], blank: list[int]) -> Iterator[Segment]:
        """The page's text (as the pypdf path reads it), its pictures' metadata, OCR where the
        page needs it, and its annotations."""
        number = index + 1
        text, body = texts.page_text(index), texts.body(index)
        if text is None or body is None:
            self.ctx.problem("corrupt", f"page {number} could not be read by PDFium either", page=number)
            return
        finals.add(digest(text.text))
        yield from (segment for segment in body if segment is not None)
        # a file pypdf cannot open is damaged: its positions may not keep the words apart
        yield from guarded(self.ctx, f"page {number} text objects",
                           partial(_one, texts.pieces, index), page=number)
        read = False
        for segment in guarded(self.ctx, f"page {number} pictures", partial(self._pictures, texts, index), page=number):
            read = read or segment.location.part == "image"
            yield segment
        if not text.chars and not read:
            blank.append(number)
        yield from guarded(self.ctx, f"page {number} annotations",
                           partial(self._hand_out, partial(self._annotations, index), number), page=number)

    def _pictures(self, texts: PageTexts, index: int) -> Iterator[Segment]:
        """The EXIF/XMP of its JPEG images (a scanner's or camera's, kept in a JPEG embedded as
        it is), and OCR where the page needs it."""
        with PDFIUM_LOCK:
            drawn, jpegs = self._images(index)
        for jpeg in jpegs:
            yield from picture_metadata(self.ctx, jpeg, location=Location(part="image-metadata", page=index + 1),
                                        flow=f"image-metadata:{index + 1}", what=f"page {index + 1} image")
        yield from read_pictures(self.pictures, texts, index, self.ctx, images=drawn)

    def _hand_out(self, collect: Callable[[], list[_Found]], page: int | None = None) -> Iterator[Segment]:
        """What `collect` finds under the lock, as segments, and attached files read (after the
        lock is released: an attached PDF takes it too)."""
        with PDFIUM_LOCK:
            found = collect()
        for item in found:
            self.said.add(text_key(item.text))
            if item.part != "attachment":
                yield Segment(item.text, Location(part=item.part, page=page, detail=item.detail), flow=item.flow)
            elif item.payload is None:
                self.ctx.problem("unsupported_part", "an embedded file could not be read",
                                 location=Location(part="attachment", page=page))
            else:
                self.payloads.add(payload_key(item.payload))
                yield from self.ctx.read_attachment(item.text, item.payload, Location(part="attachment", page=page))

    def _images(self, index: int) -> tuple[bool, list[bytes]]:
        """Whether the page draws an image, and its JPEG images as stored."""
        page = self.doc[index]
        try:
            drawn, jpegs = False, []
            for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=8):
                drawn = True
                if obj.get_filters() == ["DCTDecode"]:
                    jpegs.append(bytes(obj.get_data(decode_simple=False)))
            return drawn, jpegs
        finally:
            page.close()

    def _annotations(self, index: int) -> list[_Found]:
        page, found = self.doc[index], list[_Found]()
        try:
            for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annot = raw.FPDFPage_GetAnnot(page.raw, i)
                if not annot:
                    self.ctx.problem("corrupt", f"page {index + 1}: an annotation could not be read", page=index + 1)
                    continue
                try:
                    found.extend(self._annotation(annot, f"annot:{index + 1}:{i}"))
                finally:
                    raw.FPDFPage_CloseAnnot(annot)
            return found
        finally:
            page.close()

    def _annotation(self, annot: Any, flow: str) -> Iterator[_Found]:
        """Contents, author, subject and rich text; a link's target; an attached file."""
        subtype = raw.FPDFAnnot_GetSubtype(annot)
        if subtype == raw.FPDF_ANNOT_WIDGET:
            yield from self._widget(annot)
            return
        for key in ANNOTATION_KEYS:
            if text := _wide(raw.FPDFAnnot_GetStringValue, annot, key.encode()):
                yield _Found("annotation", f"{flow}:/{key}", strip_markup(text) if key == "RC" else text)
        action = raw.FPDFLink_GetAction(link) if (link := raw.FPDFAnnot_GetLink(annot)) else None
        if action:
            if raw.FPDFAction_GetType(action) == raw.PDFACTION_URI:
                target = _bytes(raw.FPDFAction_GetURIPath, self.doc.raw, action).decode("latin-1")
            else:
                target = _bytes(raw.FPDFAction_GetFilePath, action).decode("utf-8", "replace")
            if target:
                self.said.add(text_key(target))  # as stored, before percent-decoding
                yield _Found("link", f"{flow}:link", unquote(target))
        if subtype == raw.FPDF_ANNOT_FILEATTACHMENT and (handle := raw.FPDFAnnot_GetFileAttachment(annot)):
            yield _attachment(pdfium.PdfAttachment(handle, self.doc))

    def _widget(self, annot: Any) -> Iterator[_Found]:
        """The field's value, default and tooltip, once per field (a field may have many widgets)."""
        name = _wide(raw.FPDFAnnot_GetFormFieldName, self.form, annot) if self.form else ""
        if name and name in self.fields:
            return
        self.fields.add(name)
        values = [_wide(raw.FPDFAnnot_GetFormFieldValue, self.form, annot) if self.form else ""]
        values += [_wide(raw.FPDFAnnot_GetStringValue, annot, key) for key in FIELD_KEYS]
        for text in dict.fromkeys(v for v in values if v):
            self.field_texts += 1
            yield _Found("form-field", f"field:{self.field_texts}", text)

    def _outline(self) -> list[_Found]:
        found: list[_Found] = []
        seen: set[int] = set()
        stack = [(raw.FPDFBookmark_GetFirstChild(self.doc.raw, None), 0)]
        while stack and len(found) < MAX_OUTLINE:
            mark, depth = stack.pop()
            if not mark or ctypes.addressof(mark.contents) in seen:
                continue  # the end of a list, or a loop in a damaged outline
            seen.add(ctypes.addressof(mark.contents))
            stack.append((raw.FPDFBookmark_GetNextSibling(self.doc.raw, mark), depth))
            if depth < MAX_OUTLINE_DEPTH:  # children before the next sibling: the outline's order
                stack.append((raw.FPDFBookmark_GetFirstChild(self.doc.raw, mark), depth + 1))
            if title := _wide(raw.FPDFBookmark_GetTitle, mark):
                found.append(_Found("outline", f"outline:{len(found)}", title))
        return found

    def _metadata(self) -> list[_Found]:
        """The Info dictionary's standard entries (others, and XMP, come from the bytes)."""
        return [_Found("metadata", f"info:/{key}", text, detail=key) for key in INFO_KEYS
                if (text := _wide(raw.FPDF_GetMetaText, self.doc.raw, key.encode()))]

    def _xfa(self) -> list[_Found]:
        found: list[_Found] = []
        for i in range(max(0, raw.FPDF_GetXFAPacketCount(self.doc.raw))):
            size = ctypes.c_ulong()
            raw.FPDF_GetXFAPacketContent(self.doc.raw, i, None, 0, ctypes.byref(size))
            buffer = ctypes.create_string_buffer(max(size.value, 1))
            if not raw.FPDF_GetXFAPacketContent(self.doc.raw, i, buffer, size.value, ctypes.byref(size)):
                raise ValueError("an XFA packet could not be read")
            if (text := strip_markup(buffer.raw[:size.value].decode("utf-8", "replace"))).strip():
                found.append(_Found("form-field", f"xfa:{i}", text))
        return found

    def _embedded(self) -> list[_Found]:
        return [_attachment(self.doc.get_attachment(i)) for i in range(self.doc.count_attachments())]


def _one(produce: Callable[[int], Segment | None], index: int) -> Iterator[Segment]:
    if (segment := produce(index)) is not None:
        yield segment


def _attachment(attachment: Any) -> _Found:
    try:
        name = attachment.get_name() or "attachment"
    except pdfium.PdfiumError:  # a file specification without a name
        name = "attachment"
    try:
        return _Found("attachment", "attachment", name, payload=bytes(attachment.get_data()))
    except pdfium.PdfiumError:  # no data PDFium can give: a problem (`_hand_out`)
        return _Found("attachment", "attachment", name)


def _wide(function: Callable[..., int], *args: Any) -> str:
    """A string from a PDFium getter that fills (buffer, size) with UTF-16LE and returns the size."""
    size = int(function(*args, None, 0))
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    function(*args, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[:size].decode("utf-16-le", "replace").rstrip("\x00")


def _bytes(function: Callable[..., int], *args: Any) -> bytes:
    size = int(function(*args, None, 0))
    buffer = ctypes.create_string_buffer(max(size, 1))
    function(*args, buffer, size)
    return buffer.raw[:size].rstrip(b"\x00")
