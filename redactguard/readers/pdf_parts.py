"""What a PDF holds outside its page text, read with pypdf: each page's annotations (contents,
rich text, authors, link targets, attached files); AcroForm field values and XFA; the outline;
the Info dictionary and XMP metadata; embedded files (read recursively as documents); and
streams and strings hung from the trailer outside the catalog (a LibreOffice hybrid PDF's
source document). The PDF redactor scrubs the same places with `pdf_text` and `filespec`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .pdf_raw import TRAILER_KEYS, strip_markup

__all__ = ["PdfParts", "filespec", "pdf_text"]


class PdfParts:
    """The parts of one document that pypdf reads (`reader`); `widget_pages` maps each form
    field's widget (and its parent) to the page it is on, as the pages' annotations are read."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.widget_pages: dict[int, int] = {}

    def map_widgets(self) -> Iterator[Segment]:
        """Page numbers of form-field widgets, from every page's annotation list (no text read)."""
        for index, page in enumerate(self.reader.pages):
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
            for ref in annots or ():
                annot = ref.get_object()
                if hasattr(annot, "get") and annot.get("/Subtype") == "/Widget":
                    for obj in (ref, annot.get("/Parent")):
                        if getattr(obj, "idnum", None) is not None:
                            self.widget_pages.setdefault(obj.idnum, index + 1)
        yield from ()

    def annotations(self, page: Any, number: int, ctx: ReadContext) -> Iterator[Segment]:
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
                        self.widget_pages.setdefault(obj.idnum, number)
                continue
            for key in ("/Contents", "/T", "/Subj", "/RC"):
                text = pdf_text(annot.get(key))
                if key == "/RC":
                    text = strip_markup(text)
                if text:
                    yield Segment(text, Location(part="annotation", page=number), flow=f"{flow}:{key}")
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if action is not None and hasattr(action, "get"):
                for key in ("/URI", "/F", "/D"):
                    target = pdf_text(action.get(key))
                    if target:
                        yield Segment(unquote(target), Location(part="link", page=number), flow=f"{flow}:link")
            if subtype == "/FileAttachment" and annot.get("/FS") is not None:
                name, payload = filespec(annot["/FS"].get_object())
                if payload is not None:
                    yield from ctx.read_attachment(name, payload, Location(part="attachment", page=number))

    def outline(self) -> Iterator[Segment]:
        def walk(items: Any, depth: int) -> Iterator[str]:
            for entry in items:
                if isinstance(entry, list):
                    if depth < 32:
                        yield from walk(entry, depth + 1)
                else:
                    title = pdf_text(entry.get("/Title"))
                    if title:
                        yield title

        for i, title in enumerate(walk(self.reader.outline, 0)):
            yield Segment(title, Location(part="outline"), flow=f"outline:{i}")

    def form(self) -> Iterator[Segment]:
        root = self.reader.trailer["/Root"].get_object()
        acro = root.get("/AcroForm")
        acro = acro.get_object() if acro is not None else None
        if not acro:
            return
        if acro.get("/XFA") is not None:
            yield from self._xfa(acro["/XFA"].get_object())
        seen: set[int] = set()
        stack = [(f, 0) for f in (acro.get("/Fields") or [])]
        n = 0
        pages = self.widget_pages
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
                texts = [pdf_text(v) for v in value] if isinstance(value, list) else [pdf_text(value)]
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
                text = strip_markup(obj.get_data().decode("utf-8", "replace"))
                if text.strip():
                    yield Segment(text, Location(part="form-field"), flow=f"xfa:{i}")

    def metadata(self) -> Iterator[Segment]:
        info = self.reader.metadata or {}
        for key, value in info.items():
            text = pdf_text(value)
            if text:
                yield Segment(text, Location(part="metadata", detail=str(key).lstrip("/")), flow=f"info:{key}")
        root = self.reader.trailer["/Root"].get_object()
        meta = root.get("/Metadata")
        if meta is not None:
            xml = meta.get_object().get_data().decode("utf-8", "replace")
            text = strip_markup(xml)
            if text.strip():
                yield Segment(text, Location(part="metadata", detail="xmp"), flow="xmp")

    def embedded(self, ctx: ReadContext) -> Iterator[Segment]:
        root = self.reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else None
        if not names or names.get("/EmbeddedFiles") is None:
            return
        for name, spec in _name_tree(names["/EmbeddedFiles"].get_object()):
            label, payload = filespec(spec)
            if payload is None:
                ctx.problem("unsupported_part", "an embedded file could not be read", location=Location(part="attachment"))
                continue
            yield from ctx.read_attachment(label or name, payload, Location(part="attachment"))

    def trailer_extras(self, ctx: ReadContext) -> Iterator[Segment]:
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
                        named = f"{label} {unquote(str(item).lstrip('/'))}"
                        continue
                    yield from walk(item, named, depth + 1)
            elif isinstance(value, (str, bytes)) and pdf_text(value).strip():
                yield label, value

        for key, value in self.reader.trailer.items():
            if key in TRAILER_KEYS:
                continue
            for label, found in walk(value, f"trailer {key}", 0):
                where = Location(part="attachment", detail=label)
                if not isinstance(found, StreamObject):
                    yield Segment(pdf_text(found), Location(part="metadata", detail=label), flow=f"trailer:{label}")
                    continue
                try:
                    payload = found.get_data()
                except Exception:
                    ctx.problem("unsupported_part", f"a stream in the {label} could not be decoded", location=where)
                    continue
                yield from ctx.read_attachment(label, payload, where)


def pdf_text(value: Any) -> str:
    """A PDF value's text: a string's, a stream's data as UTF-8, else empty."""
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


def filespec(spec: Any) -> tuple[str, bytes | None]:
    spec = spec.get_object()
    name = pdf_text(spec.get("/UF")) or pdf_text(spec.get("/F")) or "attachment"
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
            yield pdf_text(names[i]), names[i + 1]
    for kid in node.get("/Kids") or []:
        yield from _name_tree(kid.get_object(), depth + 1)
