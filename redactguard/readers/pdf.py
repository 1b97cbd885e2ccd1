"""PDF: every place a PDF can hold text a recipient could recover.

pypdf reads the structure; each page's text is PDFium's (`pdf_pages`), checked against what pypdf
reads of the page where the file is damaged (below); pictures are read by OCR where the page
needs it (`pdf_pictures`); everything outside the page text (annotations, forms, outline,
metadata, attachments, the trailer) is `pdf_parts`; and the page text of every earlier revision
of an incrementally updated file, where it differs from the final one. A file pypdf cannot open
at all is read with PDFium alone (`pdf_pdfium`).

pypdf recovers from damage quietly, so damage is found from what it raises and what it refuses
when asked to be strict: a compressed stream that breaks off (`_Recovery`), a structure it had
to repair to open the file (`_repaired`), content or a page tree it cannot parse.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .pdf_content import damaged_syntax, unread_run
from .pdf_pages import PageTexts, digest, earlier_revisions, guarded, read_pictures
from .pdf_parts import PdfParts
from .pdf_pictures import PdfPictures, image_metadata, image_names
from .pdf_raw import SHOWS_TEXT
from .pypdf_compat import forget_objects, lean_page_list

__all__ = ["PdfReader", "open_pdf", "page_has_images"]

T = TypeVar("T")

#: pypdf keeps every object it has resolved; its cache is emptied every this many pages so memory
#: stays flat however long the document is (objects still in use are simply resolved again).
PAGES_PER_CACHE = 50


def open_pdf(data: bytes, lean: bool = False) -> Any:
    """A pypdf reader, decrypted if it opens with an empty password; raises UnreadableDocument.

    `lean`: the reader keeps a light entry per page and builds each page when it is asked for
    (`pypdf_compat.lean_page_list`), so a long document's page list does not hold every parsed
    page at once."""
    from pypdf import PdfReader as _Pypdf
    from pypdf.errors import PdfReadError

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
        try:
            ok = int(reader.decrypt(""))
        except Exception:  # a wrong password, a missing crypto backend, a damaged /Encrypt dictionary
            ok = 0
        if not ok:
            raise UnreadableDocument("encrypted", "the PDF is encrypted with a password")
    if lean:
        lean_page_list(reader)
    return reader


def _repaired(data: bytes) -> bool:
    """Whether pypdf had to repair the file's structure to open it, as it refuses to in strict
    mode: above all a cross-reference rebuilt by scanning the file for objects. Each reader then
    makes its own map of the file, and may take another copy of an object defined twice, so
    pypdf and PDFium need not read the same content for a page (`pdf_content`)."""
    from pypdf import PdfReader as _Pypdf

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _Pypdf(io.BufferedReader(io.BytesIO(data)), strict=True)
    except Exception:
        return True
    return False


class _Recovery:
    """Whether pypdf recovered from a compressed stream that breaks off in what it read for a
    page: it decodes such data as far as it goes and raises nothing, so the page's text can end
    early without an error. Each read (`recovery(read)`) is tried first with that recovery off
    (pypdf's `zlib_maximum_recovery_input_length` 0, for this context only: other threads are
    untouched), where the damage raises, and only then as usual."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, read: Callable[[], T]) -> T:
        from pypdf import apply_configuration

        try:
            with apply_configuration(zlib_maximum_recovery_input_length=0):
                return read()
        except Exception:
            pass
        value = read()  # where this fails too the damage is another, raised as before
        self.seen = True
        return value


def truncated(data: bytes) -> bool:
    """No end-of-file marker near the end: the file was cut short, and how much of what it
    held a viewer shows is unknown (PDFium rebuilds what is left), so it is never read."""
    return b"%%EOF" not in data[-4096:]


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


class PdfReader:
    type = "pdf"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        try:
            reader = open_pdf(data, lean=True)
            self._repaired = _repaired(data)
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
        forget_objects(reader)  # the page-tree walks resolved every page's dictionary
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
        self._parts = parts = PdfParts(reader)
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
            yield from guarded(ctx, "form fields", parts.map_widgets)
        yield from guarded(ctx, "document outline", parts.outline)
        yield from guarded(ctx, "form fields", parts.form)
        yield from guarded(ctx, "metadata", parts.metadata)
        yield from guarded(ctx, "embedded files", lambda: parts.embedded(ctx))
        yield from guarded(ctx, "trailer", lambda: parts.trailer_extras(ctx))
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
                forget_objects(reader)
            if not start <= index < stop:  # context: the neighbour's text, reported by its own range
                yield from self._context_page(pages, index)
                continue
            if revised:  # earlier revisions are read the same way, and compared page by page
                final = self._texts.page_text(index)
                if final is not None:
                    finals.add(digest(final.text))
            yield from self._page(pages, index, ctx)
        forget_objects(reader)  # the last pages' objects: the document-wide parts need few

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

    def _page(self, pages: Any, index: int, ctx: ReadContext) -> Iterator[Segment]:
        """One page: its text as PDFium lays it out (pypdf's where PDFium cannot read the page),
        its pictures and its annotations (pypdf)."""
        number = index + 1
        recovery = _Recovery()  # a compressed stream that breaks off, in what pypdf reads here
        body = self._texts.body(index)
        try:
            page = recovery(lambda: pages[index])
        except Exception as exc:
            if body is None:
                ctx.problem("corrupt", f"page {number} could not be read ({type(exc).__name__})", page=number)
                return
            # pypdf cannot parse the page, PDFium can: its text (checked against its ink) is read,
            # but not its annotations (pypdf's), so the page is still a problem
            ctx.problem("corrupt", f"page {number} could not be read completely ({type(exc).__name__}); "
                        "its text was read with PDFium", page=number)
            yield from (seg for seg in body if seg is not None)
            yield from self._pieces(index, ctx)
            yield from self._ocr_page(None, index, ctx)
            return
        if body is None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    text = recovery(lambda: page.extract_text() or "")
            except Exception as exc:
                ctx.problem("corrupt", f"page {number} could not be read ({type(exc).__name__})", page=number)
                return
            damage = _page_damage(page, text)
            if damage is None and recovery.seen:
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
                content, undecodable = _content(page, recovery)
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
                    yield from self._pieces(index, ctx)
                elif not self._texts.chars(index) and SHOWS_TEXT.search(content):
                    # the content draws text that PDFium does not find (an object it cannot
                    # reach in a damaged file, that another viewer may reconstruct and show)
                    ctx.problem("corrupt", f"page {number} draws text that could not be extracted", page=number)
                elif self._repaired or damaged_syntax(content):
                    # viewers recover from damaged syntax, or rebuild a damaged cross-reference,
                    # each their own way: pypdf's reading must not hold text PDFium's lacks;
                    # and the positions may no longer keep PDFium's words apart (`_pieces`)
                    yield from self._pieces(index, ctx)
                    differ = self._read_differently(page, index, recovery)
                    if differ:
                        ctx.problem("corrupt", f"page {number} has damaged content that viewers read differently",
                                    page=number)
                    elif differ is None:
                        ctx.note(f"page {number} has damaged content pypdf cannot read; its text was read with PDFium")
            if recovery.seen:
                # a compressed stream that breaks off: viewers decode different amounts of it
                # (PDFium stops where pypdf does, poppler goes on), so what one shows is unknown
                ctx.problem("corrupt", f"page {number} has a compressed stream that breaks off (read only in part)",
                            page=number)
        yield from guarded(ctx, f"page {number} pictures", lambda: self._ocr_page(page, index, ctx), page=number)
        yield from guarded(ctx, f"page {number} annotations", lambda: self._parts.annotations(page, number, ctx), page=number)

    def _pieces(self, index: int, ctx: ReadContext) -> Iterator[Segment]:
        """A damaged page's text objects, each on its own line, where PDFium's text runs one
        into the next (`PageTexts.pieces`): damaged positioning (a lost `cm`, a number that does
        not parse) can draw every piece right after the last, and "Road" + "Headingley" is then
        one word no order item matches, while a person still reads the address."""
        def read() -> Iterator[Segment]:
            if (segment := self._texts.pieces(index)) is not None:
                yield segment

        yield from guarded(ctx, f"page {index + 1} text objects", read, page=index + 1)

    def _read_differently(self, page: Any, index: int, recovery: _Recovery) -> bool | None:
        """Whether pypdf's text of a damaged page has a run of letters and digits that PDFium's
        text (the one matched) lacks (`pdf_content.unread_run`); None if pypdf cannot read it
        (PDFium's text, checked against its ink, is then what is read, as where pypdf cannot
        parse the content at all)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = recovery(lambda: page.extract_text() or "")
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


def _content(page: Any, recovery: _Recovery) -> tuple[bytes | None, bool]:
    """The page's content as pypdf decodes it, or None where it cannot (a stream that breaks
    off is seen by `recovery` while it is decoded here); and whether that is because
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
            recovery(part.get_data)
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
                    forget_objects(reader)
            else:
                stack.extend(kids.get_object())
        return leaves
    except Exception:
        return None
