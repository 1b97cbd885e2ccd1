"""Every place other than the page text that a reader looks: annotations, links, form fields
and their appearances, XFA, outlines, the Info dictionary, XMP, JavaScript, attachments, any
other string in the object graph, and earlier revisions.

Text there is replaced by the span's label where it is a plain string, and the whole part is
dropped where it cannot be edited safely (rich text, appearance streams, XMP, XFA, attached
files), so that nothing the page redaction removed survives elsewhere in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from ...document import Location
from ...readers.pdf import open_pdf
from ...readers.pdf_parts import filespec, pdf_text
from ...readers.pdf_raw import strip_markup
from ..base import Removal, Span
from .content import _Interpreter
from .edit import _replaced, _set_stream_data
from .job import _JobBase
from .text import _matches, _TextBuilder


class _Parts(_JobBase):
    """The other-parts steps of a redaction, one public method per part."""

    def _replace_strings(self, obj: Any, keys: tuple[str, ...], location: Location, convert: Callable[[str], str] = str) -> bool:
        """Replace withheld text in string values of `obj`; True if anything changed."""
        from pypdf.generic import ArrayObject, NameObject, TextStringObject

        changed = False
        for key in keys:
            value = obj.get(key)
            value = value.get_object() if value is not None else None
            if value is None or isinstance(value, NameObject):
                continue
            values = list(value) if isinstance(value, ArrayObject) else [value]
            new_values = []
            for item in values:
                text = convert(pdf_text(item))
                spans = self.targets.find(text) if text else []
                if spans:
                    changed = True
                    where = replace(location, detail=location.detail or key.lstrip("/"))
                    self._record(text, spans, where)
                    new_values.append(TextStringObject(_replaced(text, spans)))
                else:
                    new_values.append(item)
            if changed and new_values != values:
                obj[NameObject(key)] = ArrayObject(new_values) if isinstance(value, ArrayObject) else new_values[0]
        return changed

    def annotations(self) -> None:
        from pypdf.generic import ArrayObject, NameObject

        for number, page in enumerate(self.writer.pages, start=1):
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
            if not annots:
                continue
            keep, dropped = ArrayObject(), False
            for ref in annots:
                annot = ref.get_object()
                if not hasattr(annot, "get"):
                    keep.append(ref)
                    continue
                subtype = annot.get("/Subtype")
                if subtype == "/FileAttachment" and annot.get("/FS") is not None:
                    if self._attachment_withheld(annot["/FS"].get_object(), Location(part="attachment", page=number)):
                        dropped = True
                        continue
                part = "form-field" if subtype == "/Widget" else "annotation"
                if annot.get("/AP") is not None and self._appearance_withheld(annot, Location(part=part, page=number, detail="appearance")):
                    del annot["/AP"]
                    if subtype == "/Widget":
                        self._need_appearances()
                if subtype != "/Widget" and self._annotation_text(annot, number):
                    annot.pop("/AP", None)  # it may draw the old text; viewers rebuild it
                keep.append(ref)
            if dropped:
                page[NameObject("/Annots")] = keep

    def _annotation_text(self, annot: Any, number: int) -> bool:
        where = Location(part="annotation", page=number)
        changed = self._replace_strings(annot, ("/Contents", "/T", "/Subj"), where)
        rich = annot.get("/RC")
        if rich is not None:
            text = strip_markup(pdf_text(rich))
            spans = self.targets.find(text)
            if spans:
                # Rich text is markup; viewers fall back to /Contents, which is clean now.
                del annot["/RC"]
                self._record(text, spans, replace(where, detail="RC"), "removed")
                changed = True
        action = annot.get("/A")
        action = action.get_object() if action is not None else None
        if action is not None and hasattr(action, "get"):
            self._replace_strings(action, ("/URI", "/F", "/D"), Location(part="link", page=number), convert=unquote)
        return changed

    def _appearance_withheld(self, annot: Any, location: Location) -> bool:
        streams: list[Any] = []
        ap = annot["/AP"].get_object()
        for key in ("/N", "/R", "/D"):
            value = ap.get(key) if hasattr(ap, "get") else None
            value = value.get_object() if value is not None else None
            if value is None:
                continue
            if hasattr(value, "get_data"):
                streams.append(value)
            elif hasattr(value, "values"):
                streams += [v.get_object() for v in value.values() if hasattr(v.get_object(), "get_data")]
        for stream in streams:
            builder = _TextBuilder()
            interp = _Interpreter(builder, self.fonts)
            try:
                resources = stream.get("/Resources")
                interp.run_form(stream, resources.get_object() if resources is not None else None, location.page or 0)
            except Exception:
                return True  # an appearance we cannot read is dropped: viewers rebuild it
            for text, span, _first, _last in _matches(builder, self.targets):
                self._record(text, [span], location, "removed")
                return True
        return False

    def _need_appearances(self) -> None:
        from pypdf.generic import BooleanObject, NameObject

        acro = self.writer.root_object.get("/AcroForm")
        if acro is not None:
            acro.get_object()[NameObject("/NeedAppearances")] = BooleanObject(True)

    def form_fields(self) -> None:
        root = self.writer.root_object
        acro = root.get("/AcroForm")
        acro = acro.get_object() if acro is not None else None
        if not acro:
            return
        if acro.get("/XFA") is not None and self._xfa_withheld(acro["/XFA"].get_object()):
            del acro["/XFA"]
        pages = self._widget_pages()
        seen: set[int] = set()
        stack = [(f, 0) for f in (acro.get("/Fields") or [])]
        while stack:
            ref, depth = stack.pop(0)
            field_dict = ref.get_object()
            if id(field_dict) in seen or depth > 32 or not hasattr(field_dict, "get"):
                continue
            seen.add(id(field_dict))
            where = Location(part="form-field", page=pages.get(getattr(ref, "idnum", -1)))
            if self._replace_strings(field_dict, ("/V", "/DV", "/TU"), where):
                # An appearance stream would still show the old value; viewers rebuild it from /V.
                field_dict.pop("/AP", None)
                for kid in field_dict.get("/Kids") or []:
                    kid.get_object().pop("/AP", None)
                self._need_appearances()
            stack.extend((kid, depth + 1) for kid in (field_dict.get("/Kids") or []))

    def _widget_pages(self) -> dict[int, int]:
        pages: dict[int, int] = {}
        for number, page in enumerate(self.writer.pages, start=1):
            annots = page.get("/Annots")
            for ref in (annots.get_object() if annots is not None else None) or []:
                if getattr(ref, "idnum", None) is not None:
                    pages.setdefault(ref.idnum, number)
                    parent = ref.get_object().get("/Parent")
                    if getattr(parent, "idnum", None) is not None:
                        pages.setdefault(parent.idnum, number)
        return pages

    def _xfa_withheld(self, xfa: Any) -> bool:
        parts = xfa if isinstance(xfa, list) else [xfa]
        for part in parts:
            obj = part.get_object() if hasattr(part, "get_object") else part
            if hasattr(obj, "get_data"):
                text = strip_markup(obj.get_data().decode("utf-8", "replace"))
                spans = self.targets.find(text)
                if spans:
                    # The XFA form is dropped whole; the AcroForm fields stay, cleaned.
                    self._record(text, spans, Location(part="form-field", detail="XFA"), "removed")
                    return True
        return False

    def outline(self) -> None:
        outlines = self.writer.root_object.get("/Outlines")
        outlines = outlines.get_object() if outlines is not None else None
        if not outlines or not hasattr(outlines, "get"):
            return
        seen: set[int] = set()
        stack = [outlines.get("/First")]
        while stack:
            ref = stack.pop()
            item = ref.get_object() if ref is not None else None
            if item is None or id(item) in seen or not hasattr(item, "get") or len(seen) > 100_000:
                continue
            seen.add(id(item))
            self._replace_strings(item, ("/Title",), Location(part="outline"))
            stack += [item.get("/Next"), item.get("/First")]

    def info(self) -> None:
        info = self.writer.metadata or {}
        for key, value in list(info.items()):
            text = pdf_text(value)
            spans = self.targets.find(text) if text else []
            if spans:
                self._record(text, spans, Location(part="metadata", detail=str(key).lstrip("/")))
                self.writer.add_metadata({key: _replaced(text, spans)})

    def embedded_files(self) -> None:
        from pypdf.generic import NameObject

        root = self.writer.root_object
        names = root.get("/Names")
        names = names.get_object() if names is not None else None
        if not names or names.get("/EmbeddedFiles") is None:
            return
        tree = names["/EmbeddedFiles"].get_object()
        if self._prune_files(tree, 0) == 0:
            del names["/EmbeddedFiles"]
        for holder in [root, *self.writer.pages]:
            files = holder.get("/AF")
            files = files.get_object() if files is not None else None
            if files is not None and hasattr(files, "__iter__"):
                holder[NameObject("/AF")] = type(files)(f for f in files if id(f.get_object()) not in self.dropped_files)

    def _prune_files(self, node: Any, depth: int) -> int:
        """Drop withheld files from a name-tree node; returns how many entries are left."""
        from pypdf.generic import ArrayObject, NameObject

        left = 0
        entries = node.get("/Names")
        if entries is not None:
            entries = entries.get_object()
            keep = ArrayObject()
            for i in range(0, len(entries) - 1, 2):
                spec = entries[i + 1].get_object()
                if not self._attachment_withheld(spec, Location(part="attachment")):
                    keep += [entries[i], entries[i + 1]]
            node[NameObject("/Names")] = keep
            left += len(keep) // 2
        if depth < 32:
            for kid in node.get("/Kids") or []:
                left += self._prune_files(kid.get_object(), depth + 1)
        return left

    def _attachment_withheld(self, spec: Any, location: Location) -> bool:
        """True (and recorded) if an attached file holds withheld text: it is removed whole."""
        if id(spec) in self.dropped_files:
            return True
        name, payload = filespec(spec)
        spans = self.targets.find(name)
        shown = _replaced(name, spans) if spans else name
        where = replace(location, attachment=shown)
        if payload is None:
            self.problem(location.page, "an attached file cannot be read, so it cannot be checked", where)
            return False
        result = self.targets.scanner.scan_bytes(payload, shown)
        hits = [f for f in result.findings if f.severity == "block" and f.item is not None]
        if not hits:
            if result.problems:
                self.problem(location.page, "an attached file could not be fully checked", where)
            return False
        seen: set[str] = set()
        for finding in hits:
            if finding.item not in seen:
                seen.add(finding.item)
                self.removals.append(Removal(finding.item, finding.kind, where, finding.excerpt, "removed"))
        self.dropped_files.add(id(spec))
        return True

    def strays(self) -> None:
        """Private application data, thumbnails, XMP and any other string that names a target."""
        root = self.writer.root_object
        for key in ("/PieceInfo", "/Perms"):
            root.pop(key, None)
        for page in self.writer.pages:
            page.pop("/Thumb", None)
        items: list[tuple[Any, Any, str]] = []
        for container, key, value in _strings(root):
            if key == "/Metadata":
                self._xmp(container, value)
            elif key == "/JS" and hasattr(value, "get_data"):
                self._script(value)
            else:
                items.append((container, key, pdf_text(value)))
        self._replace_many(items)

    def _script(self, stream: Any) -> None:
        """A JavaScript stream that names a target gets the label instead (it is program text)."""
        try:
            text = pdf_text(stream)
        except Exception:
            return
        spans = self.targets.find(text)
        if spans:
            self._record(text, spans, Location(part="metadata", detail="JavaScript"))
            _set_stream_data(stream, _replaced(text, spans).encode("utf-8"))

    def _xmp(self, container: Any, stream: Any) -> None:
        try:
            text = strip_markup(stream.get_data().decode("utf-8", "replace"))
        except Exception:
            text = ""
        spans = self.targets.find(text)
        if spans:
            # XMP is XML that other tools rewrite; a stream that names a target goes whole.
            del container["/Metadata"]
            self._record(text, spans, Location(part="metadata", detail="xmp"), "removed")

    def _replace_many(self, items: list[tuple[Any, Any, str]]) -> None:
        from pypdf.generic import TextStringObject

        starts, pos = [], 0
        for _container, _key, text in items:
            starts.append(pos)
            pos += len(text) + 2
        joined = "\n\n".join(text for _c, _k, text in items)
        hits: dict[int, list[Span]] = {}
        for span in self.targets.find(joined):
            first = _position(starts, span.start)
            last = _position(starts, max(span.start, span.end - 1))
            for i in range(first, last + 1):
                lo = max(span.start, starts[i]) - starts[i]
                hi = min(span.end, starts[i] + len(items[i][2])) - starts[i]
                if hi > lo:
                    hits.setdefault(i, []).append(Span(lo, hi, span.item, span.label))
        for i, spans in hits.items():
            container, key, text = items[i]
            self._record(text, spans, Location(part="metadata", detail=str(key).lstrip("/")))
            container[key] = TextStringObject(_replaced(text, spans))

    def revisions(self, data: bytes) -> None:
        """Record what earlier revisions held: the new file, written whole, leaves them behind."""
        seen: set[tuple[str, int, str]] = set()
        ends = [m.end() for m in re.finditer(rb"%%EOF[ \t\r\n]*", data)]
        for cut in ends[:-1][-16:]:
            try:
                old = open_pdf(data[:cut])
                texts = [page.extract_text() or "" for page in old.pages]
            except Exception:
                continue  # a linearised file's first section is not a revision of its own
            for number, text in enumerate(texts, start=1):
                for span in self.targets.find(text):
                    excerpt = self.targets.excerpt(text, span)
                    if (span.item.id, number, excerpt) not in seen:
                        seen.add((span.item.id, number, excerpt))
                        location = Location(part="previous-revision", page=number)
                        self.removals.append(Removal(span.item.id, span.item.kind, location, excerpt, "removed"))


def _position(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return max(0, bisect_right(starts, offset) - 1)


#: Keys whose string values are not text a reader shows: signatures, encryption, identifiers.
_SKIP_KEYS = frozenset({"/ID", "/Contents", "/ByteRange", "/O", "/U", "/OE", "/UE", "/Perms", "/Cert"})


def _strings(root: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(container, key, value) for every string, XMP and JavaScript stream reachable from `root`."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        TextStringObject,
    )

    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            obj.pop("/PieceInfo", None)
            signature = "/ByteRange" in obj
            for key, value in list(obj.items()):
                if key in ("/Metadata", "/JS"):
                    stream = value.get_object()
                    if hasattr(stream, "get_data"):
                        yield obj, key, stream
                        continue
                if isinstance(value, (TextStringObject, ByteStringObject)):
                    if not (signature or key in _SKIP_KEYS and not isinstance(value, TextStringObject)):
                        yield obj, key, value
                elif key != "/Parent":
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            for i, value in enumerate(obj):
                if isinstance(value, (TextStringObject, ByteStringObject)):
                    yield obj, i, value
                else:
                    stack.append(value)
