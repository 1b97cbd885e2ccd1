"""PDF with pypdf: every place a PDF can hold text a recipient could recover.

Page text (pypdf extracts every text operator, so text outside the crop box, drawn invisibly
(render mode 3) or painted over is read like any text); annotations (contents, rich text,
authors, link URIs, file attachments); AcroForm field values; outlines; the Info dictionary and
XMP metadata; embedded files (read recursively as documents); streams and strings hung from the
trailer outside the catalog (a LibreOffice hybrid PDF's source document); and the page text of
every earlier revision of an incrementally updated file, where it differs from the final one.
A file pypdf cannot open at all is read with PDFium alone (`pdf_pdfium`).
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext, register
from .pdf_content import damaged_syntax, unread_run
from .pdf_pages import PageTexts, digest, earlier_revisions, guarded, read_pictures
from .pdf_pictures import PdfPictures, image_metadata, image_names
from .pdf_raw import SHOWS_TEXT, TRAILER_KEYS
from .pdf_raw import strip_markup as _strip_markup  # the PDF redactor imports it from here

__all__ = ["PdfReader", "open_pdf", "page_has_images"]

# pypdf's own log lines can quote object content; keep them out of our output entirely.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)


class _LogCounter(logging.Handler):
    """Counts one kind of warning that pypdf logs and then recovers from without raising, so a
    reader can tell the recovery happened; the records are never printed."""

    def __init__(self, logger: str, phrase: str) -> None:
        super().__init__(logging.WARNING)
        self.phrase = phrase
        self.count = 0
        log = logging.getLogger(logger)
        log.setLevel(logging.WARNING)
        log.propagate = False  # counted here, never printed
        log.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if self.phrase in str(record.msg):
            self.count += 1


#: A compressed stream that breaks off: pypdf returns what it could decode and raises nothing,
#: so a page's text can end early without any error.
_BROKEN_STREAMS = _LogCounter("pypdf.filters", "while decompressing")
#: pypdf rebuilt a file's cross-reference by scanning it for objects: each reader then makes its
#: own map of the file, and may take another copy of an object defined twice, so pypdf and
#: PDFium need not read the same content for a page (`pdf_content`). Said by every rebuild
#: (pypdf 5-7).
_XREF_REBUILDS = _LogCounter("pypdf._reader", "parsing for Object Streams")

#: Before OCR, a page with pictures and fewer characters than this had no usable text layer. The
#: redactors still use it; readers decide by layout now (`pdf_pictures.PageLayout`).
MIN_TEXT_CHARS = 20
#: pypdf keeps every object it has resolved; its cache is emptied every this many pages so memory
#: stays flat however long the document is (objects still in use are simply resolved again).
PAGES_PER_CACHE = 50


def open_pdf(data: bytes, lean: bool = False) -> Any:
    """A pypdf reader, decrypted if it opens with an empty password; raises UnreadableDocument.

    `lean`: the reader keeps a light entry per page and builds each page when it is asked for
    (`_LazyPages`), so a long document's page list does not hold every parsed page at once."""
    from pypdf import PdfReader as _Pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if truncated(data):
        raise UnreadableDocument("corrupt", "the PDF has no end-of-file marker (truncated?)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # A buffered view, not the BytesIO itself: pypdf asks a BytesIO for its buffer, which
            # makes BytesIO copy the whole file; through a reader it seeks instead (no copy).
            reader = _Pypdf(io.BufferedReader(io.BytesIO(data)), strict=False)
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
    if lean:
        _lean_page_list(reader)
    return reader


def truncated(data: bytes) -> bool:
    """No end-of-file marker near the end: the file was cut short, and how much of what it
    held a viewer shows is unknown (PDFium rebuilds what is left), so it is never read."""
    return b"%%EOF" not in data[-4096:]


class _LazyPages(list[Any]):
    """pypdf's flattened page list, holding per page only its reference and what it inherits from
    the page tree (pypdf reads the list only by `len()` and `[i]`). A page is built when it is
    asked for, as pypdf builds it; the last one built is kept, so repeated look-ups of the page
    being read return the same object. A flattened page costs about 4 KB: 4 MB at 1,000 pages."""

    def __init__(self, reader: Any, entries: list[tuple[Any, Any, dict[str, Any]]]) -> None:
        super().__init__(entries)
        self._reader = reader
        self._last: tuple[int, Any] | None = None

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # negative indices, and IndexError as a list gives it
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        from pypdf import PageObject

        ref, node, inherit = list.__getitem__(self, index)
        page = PageObject(self._reader, ref)  # an indirect page copies its own entries here
        if ref is None:
            page.update(node)
        for attribute, value in inherit.items():  # inherited only where the page has no value
            if attribute not in page:
                page[attribute] = value
        self._last = (index, page)
        return page

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def forget(self) -> None:
        self._last = None


def _lean_page_list(reader: Any) -> None:
    """Make pypdf's own page-tree walk (its order, checks and limits) record `_LazyPages` entries
    instead of page objects. A pypdf without that walk (`_flatten_leaf_page`) keeps its list."""
    cls = type(reader)
    build_leaf = getattr(cls, "_flatten_leaf_page", None)
    flatten = getattr(cls, "_flatten", None)
    if build_leaf is None or flatten is None:
        return

    def leaf(*, item: Any, list_only: bool, remaining_page_entries: Any) -> Any:
        # pypdf's own checks and page-entry limit; the page it builds is dropped, built again when read
        build_leaf(reader, item=item, list_only=list_only, remaining_page_entries=remaining_page_entries)
        ref = item.indirect_reference
        if ref is not None:  # parsed again when the page is read: the walk holds no page at its end
            reader.resolved_objects.pop((ref.generation, ref.idnum), None)
        return (ref, None if ref is not None else item.node, item.inherit)

    def lean_flatten(list_only: bool = False) -> None:
        flatten(reader, list_only)
        if reader.flattened_pages is not None and not isinstance(reader.flattened_pages, _LazyPages):
            reader.flattened_pages = _LazyPages(reader, reader.flattened_pages)

    reader._flatten_leaf_page = leaf
    reader._flatten = lean_flatten


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
        rebuilds = _XREF_REBUILDS.count
        try:
            reader = open_pdf(data, lean=True)
            self._rebuilt = _XREF_REBUILDS.count > rebuilds
            try:
                pages = reader.pages
                count = len(pages)
            except Exception as exc:
                raise UnreadableDocument("corrupt", f"the PDF's page tree is damaged ({type(exc).__name__})") from None
        except UnreadableDocument as exc:
            if exc.code != "corrupt" or truncated(data):
                raise
            # pypdf cannot open it: PDFium can rebuild a damaged file, and what it shows is what
            # a viewer shows (PDFium raises `exc` again if it cannot open it either)
            from .pdf_pdfium import read_with_pdfium

            yield from read_with_pdfium(data, ctx, PdfPictures(data, ctx), exc)
            return
        if count > ctx.limits.max_pages:
            raise UnreadableDocument("limit_exceeded", f"the PDF has {count} pages, over the limit")
        if ctx.document_parts:  # a whole-document check: once per document, not per page range
            leaves = _page_tree_leaves(reader, ctx.limits.max_pages)
            if leaves is None or leaves > count:
                ctx.problem("corrupt", f"the page tree is damaged: only {count} of its pages can be read")
        _release(reader)  # the page-tree walks resolved every page's dictionary
        self._ocr = PdfPictures(data, ctx)
        shown = self._ocr.page_count()
        if shown is not None and shown > count:
            # PDFium finds pages pypdf's walk of a damaged tree does not: each is read by PDFium
            if ctx.document_parts:
                ctx.problem("corrupt", f"the page tree is damaged: PDFium shows {shown} pages, pypdf {count}")
            count = min(shown, ctx.limits.max_pages)
        if ctx.depth == 0:
            ctx.pages = count
        finals: set[str] = set()  # digests of the final page texts, for earlier revisions
        revised = data.count(b"%%EOF") > 1
        self._widget_pages: dict[int, int] = {}
        split = ctx.page_range if ctx.depth == 0 else None
        if split is not None and revised:  # earlier revisions are compared with every final page
            raise UnreadableDocument("corrupt", "an incrementally updated PDF cannot be read in page ranges")
        start, stop = split if split is not None else (0, count)
        first, last = max(0, start - 1), min(count, stop + 1) if split is not None else count
        try:
            yield from self._pages(reader, pages, first, last, start, stop, ctx, finals, revised)
        finally:
            self._ocr.close()
        if not ctx.document_parts:
            return
        if split is not None:  # form fields name the page of their widget: find them all
            yield from guarded(ctx, "form fields", lambda: self._map_widgets(reader))
        yield from guarded(ctx, "document outline", lambda: self._outline(reader))
        yield from guarded(ctx, "form fields", lambda: self._form(reader))
        yield from guarded(ctx, "metadata", lambda: self._metadata(reader))
        yield from guarded(ctx, "embedded files", lambda: self._embedded(reader, ctx))
        yield from guarded(ctx, "trailer", lambda: self._trailer_extras(reader, ctx))
        if revised:
            yield from self._revisions(data, finals, ctx)

    def _pages(
        self, reader: Any, pages: Any, first: int, last: int, start: int, stop: int, ctx: ReadContext,
        finals: set[str], revised: bool,
    ) -> Iterator[Segment]:
        self._texts = PageTexts(self._ocr, count=max(last, len(pages)))
        for index in range(first, last):
            ctx.check_time()
            if index > first and index % PAGES_PER_CACHE == 0:
                _release(reader, index)
            if not start <= index < stop:  # context: the neighbour's text, reported by its own range
                yield from self._context_page(pages, index)
                continue
            if revised:  # earlier revisions are read the same way, and compared page by page
                final = self._texts.page_text(index)
                if final is not None:
                    finals.add(digest(final.text))
            yield from self._page(pages, index, ctx)
        reader.resolved_objects.clear()  # the last pages' objects: the document-wide parts need few
        if last - first > PAGES_PER_CACHE and not isinstance(reader.flattened_pages, _LazyPages):
            reader.flattened_pages = None  # pages were released: let pypdf rebuild its page list

    def _context_page(self, pages: Any, index: int) -> Iterator[Segment]:
        """A neighbouring range's page, body text only; its problems are that range's to report."""
        body = self._texts.body(index)
        if body is not None:
            if body[0]:
                yield body[0]
            return
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = pages[index].extract_text() or ""
        except Exception:
            return
        if text:
            yield Segment(text, Location(part="body", page=index + 1))

    def _map_widgets(self, reader: Any) -> Iterator[Segment]:
        """Page numbers of form-field widgets, from every page's annotation list (no text read)."""
        for index, page in enumerate(reader.pages):
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
            for ref in annots or ():
                annot = ref.get_object()
                if hasattr(annot, "get") and annot.get("/Subtype") == "/Widget":
                    for obj in (ref, annot.get("/Parent")):
                        if getattr(obj, "idnum", None) is not None:
                            self._widget_pages.setdefault(obj.idnum, index + 1)
        yield from ()

    def _page(self, pages: Any, index: int, ctx: ReadContext) -> Iterator[Segment]:
        """One page: its text as PDFium lays it out (pypdf's where PDFium cannot read the page),
        its pictures and its annotations (pypdf)."""
        number = index + 1
        broken = _BROKEN_STREAMS.count
        body = self._texts.body(index)
        try:
            page = pages[index]
        except Exception as exc:
            if body is None:
                ctx.problem("corrupt", f"page {number} could not be read ({type(exc).__name__})", page=number)
                return
            # pypdf cannot parse the page, PDFium can: its text (checked against its ink) is read,
            # but not its annotations (pypdf's), so the page is still a problem
            ctx.problem("corrupt", f"page {number} could not be read completely ({type(exc).__name__}); "
                        "its text was read with PDFium", page=number)
            yield from (seg for seg in body if seg is not None)
            yield from self._ocr_page(None, index, ctx)
            return
        if body is None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    text = page.extract_text() or ""
            except Exception as exc:
                ctx.problem("corrupt", f"page {number} could not be read ({type(exc).__name__})", page=number)
                return
            damage = _page_damage(page, text)
            if damage is None and _BROKEN_STREAMS.count > broken:
                damage = "has a compressed stream that breaks off (read only in part)"
            if damage:
                ctx.problem("corrupt", f"page {number} {damage}", page=number)
            if text:
                yield Segment(text, Location(part="body", page=number))
        else:
            yield from (seg for seg in body if seg is not None)
            damage = _page_structure_damage(page)
            if damage:  # the page tree pypdf reads the page's annotations and pictures from
                ctx.problem("corrupt", f"page {number} {damage}", page=number)
            else:
                content, undecodable = _content(page)
                if undecodable:
                    # viewers decode such data differently (PDFium stops at the bad byte)
                    ctx.problem("corrupt", f"page {number} has a content stream that does not decode", page=number)
                elif content is None and not self._texts.chars(index):
                    # neither finds text in it, while another viewer may (poppler mends a stream
                    # whose end is damaged): nothing vouches for the page
                    ctx.problem("corrupt", f"page {number} has content neither pypdf nor PDFium can read", page=number)
                elif content is None:
                    # pypdf cannot parse the content; PDFium's text, checked against what the page
                    # draws (`pdf_trust`), is what a viewer shows
                    ctx.note(f"page {number} has content pypdf cannot parse; its text was read with PDFium")
                elif not self._texts.chars(index) and SHOWS_TEXT.search(content):
                    # the content draws text that PDFium does not find (an object it cannot
                    # reach in a damaged file, that another viewer may reconstruct and show)
                    ctx.problem("corrupt", f"page {number} draws text that could not be extracted", page=number)
                elif self._rebuilt or damaged_syntax(content):
                    # viewers recover from damaged syntax, or rebuild a damaged cross-reference,
                    # each their own way: pypdf's reading must not hold text PDFium's lacks
                    differ = self._read_differently(page, index)
                    if differ:
                        ctx.problem("corrupt", f"page {number} has damaged content that viewers read differently",
                                    page=number)
                    elif differ is None:
                        ctx.note(f"page {number} has damaged content pypdf cannot read; its text was read with PDFium")
            if _BROKEN_STREAMS.count > broken:
                # a compressed stream that breaks off: viewers decode different amounts of it
                # (PDFium stops where pypdf does, poppler goes on), so what one shows is unknown
                ctx.problem("corrupt", f"page {number} has a compressed stream that breaks off (read only in part)",
                            page=number)
        yield from guarded(ctx, f"page {number} pictures", lambda: self._ocr_page(page, index, ctx), page=number)
        yield from guarded(ctx, f"page {number} annotations", lambda: self._annotations(page, number, ctx), page=number)

    def _read_differently(self, page: Any, index: int) -> bool | None:
        """Whether pypdf's text of a damaged page has a run of letters and digits that PDFium's
        text (the one matched) lacks (`pdf_content.unread_run`); None if pypdf cannot read it
        (PDFium's text, checked against its ink, is then what is read, as where pypdf cannot
        parse the content at all)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = page.extract_text() or ""
        except Exception:
            return None
        shown = self._texts.page_text(index)
        return unread_run(text, (shown.text, shown.stream_text) if shown is not None else ())

    def _ocr_page(self, page: Any, index: int, ctx: ReadContext) -> Iterator[Segment]:
        """The page's pictures (their metadata always) and OCR where the page needs it
        (`pdf_pages.read_pictures`)."""
        images = page is None or page_has_images(page)
        if page is not None and images:
            yield from image_metadata(page, index + 1, ctx)
        names = image_names(page) if page is not None else ()
        yield from read_pictures(self._ocr, self._texts, index, ctx, images=images, names=names)

    def _annotations(self, page: Any, number: int, ctx: ReadContext) -> Iterator[Segment]:
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        if not annots:
            return
        for i, ref in enumerate(annots):
            annot = ref.get_object()
            if not hasattr(annot, "get"):
                continue
            subtype = str(annot.get("/Subtype", ""))
            flow = f"annot:{number}:{i}"
            if subtype == "/Widget":  # the field's value is read from the AcroForm tree
                for obj in (ref, annot.get("/Parent")):
                    if getattr(obj, "idnum", None) is not None:
                        self._widget_pages.setdefault(obj.idnum, number)
                continue
            for key in ("/Contents", "/T", "/Subj", "/RC"):
                text = _text(annot.get(key))
                if key == "/RC":
                    text = _strip_markup(text)
                if text:
                    yield Segment(text, Location(part="annotation", page=number), flow=f"{flow}:{key}")
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if action is not None and hasattr(action, "get"):
                for key in ("/URI", "/F", "/D"):
                    target = _text(action.get(key))
                    if target:
                        yield Segment(_unquote(target), Location(part="link", page=number), flow=f"{flow}:link")
            if subtype == "/FileAttachment" and annot.get("/FS") is not None:
                name, payload = _filespec(annot["/FS"].get_object())
                if payload is not None:
                    yield from ctx.read_attachment(name, payload, Location(part="attachment", page=number))

    def _outline(self, reader: Any) -> Iterator[Segment]:
        def walk(items: Any, depth: int) -> Iterator[str]:
            for entry in items:
                if isinstance(entry, list):
                    if depth < 32:
                        yield from walk(entry, depth + 1)
                else:
                    title = _text(entry.get("/Title"))
                    if title:
                        yield title

        for i, title in enumerate(walk(reader.outline, 0)):
            yield Segment(title, Location(part="outline"), flow=f"outline:{i}")

    def _form(self, reader: Any) -> Iterator[Segment]:
        root = reader.trailer["/Root"].get_object()
        acro = root.get("/AcroForm")
        acro = acro.get_object() if acro is not None else None
        if not acro:
            return
        if acro.get("/XFA") is not None:
            yield from self._xfa(acro["/XFA"].get_object())
        seen: set[int] = set()
        stack = [(f, 0) for f in (acro.get("/Fields") or [])]
        n = 0
        pages = getattr(self, "_widget_pages", {})
        while stack:
            ref, depth = stack.pop(0)
            page = pages.get(getattr(ref, "idnum", -1))
            field = ref.get_object()
            key = id(field)
            if key in seen or depth > 32 or not hasattr(field, "get"):
                continue
            seen.add(key)
            for attr in ("/V", "/DV", "/TU"):
                value = field.get(attr)
                value = value.get_object() if value is not None else None
                texts = [_text(v) for v in value] if isinstance(value, list) else [_text(value)]
                for text in texts:
                    if text:
                        n += 1
                        yield Segment(text, Location(part="form-field", page=page), flow=f"field:{n}")
            stack.extend((kid, depth + 1) for kid in (field.get("/Kids") or []))

    def _xfa(self, xfa: Any) -> Iterator[Segment]:
        parts = xfa if isinstance(xfa, list) else [xfa]
        for i, part in enumerate(parts):
            obj = part.get_object() if hasattr(part, "get_object") else part
            if hasattr(obj, "get_data"):
                text = _strip_markup(obj.get_data().decode("utf-8", "replace"))
                if text.strip():
                    yield Segment(text, Location(part="form-field"), flow=f"xfa:{i}")

    def _metadata(self, reader: Any) -> Iterator[Segment]:
        info = reader.metadata or {}
        for key, value in info.items():
            text = _text(value)
            if text:
                yield Segment(text, Location(part="metadata", detail=str(key).lstrip("/")), flow=f"info:{key}")
        root = reader.trailer["/Root"].get_object()
        meta = root.get("/Metadata")
        if meta is not None:
            xml = meta.get_object().get_data().decode("utf-8", "replace")
            text = _strip_markup(xml)
            if text.strip():
                yield Segment(text, Location(part="metadata", detail="xmp"), flow="xmp")

    def _embedded(self, reader: Any, ctx: ReadContext) -> Iterator[Segment]:
        root = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else None
        if not names or names.get("/EmbeddedFiles") is None:
            return
        for name, spec in _name_tree(names["/EmbeddedFiles"].get_object()):
            label, payload = _filespec(spec)
            if payload is None:
                ctx.problem("unsupported_part", "an embedded file could not be read", location=Location(part="attachment"))
                continue
            yield from ctx.read_attachment(label or name, payload, Location(part="attachment"))

    def _trailer_extras(self, reader: Any, ctx: ReadContext) -> Iterator[Segment]:
        """Streams and strings hung from the trailer outside the document's catalog.

        A viewer never shows them, but they travel with the file: LibreOffice's hybrid PDF keeps
        the whole source document (ODF, with its comments and tracked changes) in the trailer's
        `/AdditionalStreams` as [media type, stream, ...]. Every stream reachable from a key the
        standard does not give the trailer is read as an attachment (named by the media type
        before it, where there is one), and every string as metadata.
        """
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            NameObject,
            StreamObject,
        )

        seen: set[int] = set()
        count = 0

        def walk(value: Any, label: str, depth: int) -> Iterator[tuple[str, Any]]:
            nonlocal count
            if isinstance(value, IndirectObject):
                if value.idnum in seen:
                    return
                seen.add(value.idnum)
                value = value.get_object()
            count += 1
            if depth > 16 or count > 10_000:
                raise UnreadableDocument("limit_exceeded", "the trailer holds more objects than the limit")
            if isinstance(value, StreamObject):
                yield label, value
            elif isinstance(value, DictionaryObject):
                for key, item in value.items():
                    yield from walk(item, f"{label} {key}", depth + 1)
            elif isinstance(value, ArrayObject):
                named = label
                for item in value:
                    if isinstance(item, NameObject):
                        named = f"{label} {_unquote(str(item).lstrip('/'))}"
                        continue
                    yield from walk(item, named, depth + 1)
            elif isinstance(value, (str, bytes)) and _text(value).strip():
                yield label, value

        for key, value in reader.trailer.items():
            if key in TRAILER_KEYS:
                continue
            for label, found in walk(value, f"trailer {key}", 0):
                where = Location(part="attachment", detail=label)
                if not isinstance(found, StreamObject):
                    yield Segment(_text(found), Location(part="metadata", detail=label), flow=f"trailer:{label}")
                    continue
                try:
                    payload = found.get_data()
                except Exception:
                    ctx.problem("unsupported_part", f"a stream in the {label} could not be decoded", location=where)
                    continue
                yield from ctx.read_attachment(label, payload, where)

    def _revisions(self, data: bytes, final_texts: set[str], ctx: ReadContext) -> Iterator[Segment]:
        """Page text of each earlier revision that the final one lacks (`pdf_pages`)."""

        def opens(cut: bytes) -> None:  # a linearised file's first section is not a revision
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                open_pdf(cut)

        yield from earlier_revisions(data, final_texts, ctx, opens)


def _page_structure_damage(page: Any) -> str | None:
    """What pypdf finds damaged in the page tree around a page PDFium has read, or None."""
    try:
        if "/Kids" in page:
            return "is a page-tree node marked as a page (the page tree is damaged)"
        contents = page.get("/Contents")
        if contents is None and page.get("/Type") != "/Page":
            return "is not a page object (the page tree is damaged)"
    except Exception as exc:
        return f"could not be read ({type(exc).__name__})"
    return None


def _content(page: Any) -> tuple[bytes | None, bool]:
    """The page's content as pypdf decodes it, or None where it cannot (a stream that breaks
    off is counted by `_BROKEN_STREAMS` while it is decoded here); and whether that is because
    its streams parse but their data does not decode (a bad byte in ASCII85 data: PDFium stops
    there, poppler skips it)."""
    from pypdf.generic import ArrayObject, NullObject, StreamObject

    try:
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        if contents is None or isinstance(contents, NullObject):
            return b"", False
        parts = [p.get_object() for p in (list(contents) if isinstance(contents, ArrayObject) else [contents])]
        if not all(isinstance(p, StreamObject) for p in parts):
            return None, False
    except Exception:
        return None, False
    try:
        for part in parts:
            part.get_data()
    except Exception:
        return None, True
    try:
        data: bytes = page.get_contents().get_data()
        return data, False
    except Exception:
        return None, False


def _page_damage(page: Any, text: str) -> str | None:
    """Why pypdf's text for a page cannot be trusted as all of it, or None.

    pypdf recovers from damage quietly: a content stream whose dictionary does not parse becomes
    no content, a broken page-tree node becomes an empty "page", text in a font the page does
    not define is dropped, a font it cannot map gives U+FFFD. PDFium and poppler still show such
    text, so each is a problem (fail closed).
    """
    from pypdf.generic import ArrayObject, NullObject, StreamObject

    try:
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        if "/Kids" in page:
            return "is a page-tree node marked as a page (the page tree is damaged)"
        if contents is None or isinstance(contents, NullObject):
            if page.get("/Type") != "/Page":
                return "is not a page object (the page tree is damaged)"
        else:
            parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
            if not all(isinstance(p.get_object(), StreamObject) for p in parts):
                return "has content that could not be read"
            if not text.strip() and SHOWS_TEXT.search(page.get_contents().get_data()):
                return "draws text that could not be extracted"
    except Exception as exc:
        return f"has content that could not be read ({type(exc).__name__})"
    unreadable = text.count("\ufffd")
    if unreadable >= 3 and unreadable > 0.05 * len("".join(text.split())):
        return "has text in a font that could not be decoded"
    return None


def _page_tree_leaves(reader: Any, limit: int) -> int | None:
    """How many kids of the page tree are not tree nodes: pypdf drops kids of the wrong type
    (a page marked `/Catalog`), which viewers still show. None if the tree cannot be walked."""
    try:
        stack = [reader.root_object["/Pages"]]  # the catalog pypdf found, even past a bad /Root
        seen: set[int] = set()
        leaves = 0
        while stack and leaves <= limit and len(seen) <= 2 * limit:
            ref = stack.pop()
            key = getattr(ref, "idnum", None)
            if key is not None:
                if key in seen:
                    continue  # a loop in the tree: pypdf stops there too
                seen.add(key)
            node = ref.get_object()
            kids = node.get("/Kids") if hasattr(node, "get") else None
            if kids is None or node.get("/Type") == "/Page":
                leaves += 1
                if leaves % PAGES_PER_CACHE == 0:  # the walk keeps references, not parsed pages
                    reader.resolved_objects.clear()
            else:
                stack.extend(kids.get_object())
        return leaves
    except Exception:
        return None


def _release(reader: Any, upto: int = 0) -> None:
    """Drop pypdf's cached objects and the parsed pages already read (up to page index `upto`)."""
    cache = getattr(reader, "resolved_objects", None)
    if isinstance(cache, dict):
        cache.clear()
    flat = getattr(reader, "flattened_pages", None)
    if isinstance(flat, _LazyPages):
        flat.forget()
    elif isinstance(flat, list):
        for i in range(max(0, upto - PAGES_PER_CACHE), min(upto, len(flat))):
            flat[i] = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        value = value.get_object()
    except AttributeError:
        pass
    if isinstance(value, bytes):
        return value.decode("latin-1", "replace")
    if hasattr(value, "get_data"):
        return value.get_data().decode("utf-8", "replace")
    return str(value) if isinstance(value, str) else ""


def _unquote(target: str) -> str:
    from urllib.parse import unquote

    return unquote(target)


def _filespec(spec: Any) -> tuple[str, bytes | None]:
    spec = spec.get_object()
    name = _text(spec.get("/UF")) or _text(spec.get("/F")) or "attachment"
    ef = spec.get("/EF")
    ef = ef.get_object() if ef is not None else None
    if not ef:
        return name, None
    stream = ef.get("/F") or ef.get("/UF")
    if stream is None:
        return name, None
    return name, stream.get_object().get_data()


def _name_tree(node: Any, depth: int = 0) -> Iterator[tuple[str, Any]]:
    if depth > 32:
        return
    names = node.get("/Names")
    if names is not None:
        names = names.get_object()
        for i in range(0, len(names) - 1, 2):
            yield _text(names[i]), names[i + 1]
    for kid in node.get("/Kids") or []:
        yield from _name_tree(kid.get_object(), depth + 1)
