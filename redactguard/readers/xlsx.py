"""XLSX, XLSM, XLTX: every place a workbook can hold text, read straight from the package.

openpyxl reads cells, but skips what a recipient can still unzip: threaded comments, chart
text, drawing text boxes, pivot caches, external link caches, custom XML, query definitions.
So the package is read part by part, by content type, as the DOCX reader does (its zip limits,
safe XML parser and picture path are shared), and a part of a type no branch knows is read for
all its text if it is XML, or fails closed (`unsupported_part`) if it is not.

Locations: a cell is `body` (or `hidden-text`) with its `sheet` (1-based, in workbook order,
hidden sheets counted) and `cell`; the sheet's name is never in a location (it is document
text, read as `metadata`). Parts a sheet reaches (its comments, drawing, charts, tables) carry
that sheet. `docs/readers.md` lists every part.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .docx import PROPERTY_PARTS, DocxPackage, DocxReader
from .xlsx_parts import (
    Package,
    cell_name,
    first_cell,
    local,
    paragraphs,
    vml_texts,
    xml_texts,
)
from .xlsx_sheet import sheet_segments, string_item

__all__ = ["XlsxReader", "WORKBOOK_TYPES", "Workbook"]

_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_MS = "application/vnd.ms-excel."
WORKBOOK_TYPES = frozenset({
    _SML + "sheet.main+xml", _SML + "template.main+xml", _MS + "sheet.macroEnabled.main+xml",
    _MS + "template.macroEnabled.main+xml", _MS + "addin.macroEnabled.main+xml",
})
_SHEET_TYPES = frozenset({
    _SML + "worksheet+xml", _SML + "chartsheet+xml", _SML + "dialogsheet+xml",
    _MS + "macrosheet+xml", _MS + "intlmacrosheet+xml",
})
#: Parts with no typed text: formatting, calculation order, printer settings.
_NO_TEXT = frozenset({
    _SML + "calcChain+xml", "application/vnd.openxmlformats-officedocument.theme+xml",
    _SML + "sheetMetadata+xml", "application/vnd.openxmlformats-package.relationships+xml",
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    "application/vnd.openxmlformats-officedocument.themeOverride+xml",
})
#: XML parts read for all their text, by a word in the content type -> (part, field).
_XML_KINDS = (
    ("externalLink", "link", "external link"), ("connections", "link", "connection"),
    ("queryTable", "link", "query table"), ("revision", "tracked-change", "revision log"),
    ("userNames", "tracked-change", "revision users"), ("pivotCache", "body", "pivot cache"),
    ("pivotTable", "body", "pivot table"), ("table+xml", "body", "table"), ("slicer", "body", "slicer"),
    ("timeline", "body", "timeline"), ("chart", "body", "chart"), ("diagram", "body", "diagram"),
)


@dataclass
class Workbook:
    """The workbook part and its sheets in workbook order: (part name, 1-based number, hidden)."""

    name: str
    sheets: list[tuple[str, int, bool]]

    @classmethod
    def find(cls, pkg: Package) -> Workbook:
        main = [n for n, t in pkg.types.items() if t in WORKBOOK_TYPES]
        if not main:
            main = [n for n in pkg.types if n == "xl/workbook.xml"]
        if not main:
            raise UnreadableDocument("corrupt", "the workbook has no workbook part")
        name = sorted(main)[0]
        rels = pkg.rels(name)
        sheets = []
        for number, el in enumerate(_sheet_list(pkg.xml(name)), start=1):
            rel = rels.get(_relationship_id(el))
            if rel is None or rel.external or rel.target not in pkg.types:
                raise UnreadableDocument("corrupt", f"sheet {number} of the workbook points at no part")
            sheets.append((rel.target, number, el.get("state") in ("hidden", "veryHidden")))
        return cls(name, sheets)


class XlsxReader:
    type = "xlsx"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        pkg = Package(DocxPackage.open(data, ctx, "workbook"))
        book = Workbook.find(pkg)
        owner = pkg.owners([(name, number) for name, number, _ in book.sheets])
        strings = self._shared_strings(pkg, book)
        yield from self._workbook(pkg, book)
        for name, number, hidden in book.sheets:
            ctx.check_time()
            yield from sheet_segments(pkg.xml(name), number, hidden, strings, ctx)
        done = {book.name, *(name for name, _, _ in book.sheets), *self._string_parts(pkg, book)}
        for name in sorted(pkg.types):
            if name not in done:
                ctx.check_time()
                yield from self._part(pkg, name, owner.get(name), ctx)

    @staticmethod
    def _string_parts(pkg: Package, book: Workbook) -> list[str]:
        return [r.target for r in pkg.rels(book.name).values() if r.type.endswith("/sharedStrings") and not r.external]

    def _shared_strings(self, pkg: Package, book: Workbook) -> list[str]:
        parts = [p for p in self._string_parts(pkg, book) if p in pkg.types]
        if not parts:
            return []
        root = pkg.xml(parts[0])
        return [string_item(si) for si in root if local(si) == "si"]

    @staticmethod
    def _workbook(pkg: Package, book: Workbook) -> Iterator[Segment]:
        """Sheet names and defined names (`metadata`), and the workbook part's other text
        (a saved file path, a shared workbook's user)."""
        root = pkg.xml(book.name)
        for number, sheet in enumerate(_sheet_list(root), start=1):
            if (sheet.get("name") or "").strip():
                yield Segment(sheet.get("name"), Location(part="metadata", sheet=number, detail="sheet name"),
                              flow=f"sheet-name:{number}")
        for number, name in enumerate((e for e in root.iter() if local(e) == "definedName"), start=1):
            text = "\n".join(t for t in (name.get("name"), name.get("comment"), name.text) if t and t.strip())
            if text:
                yield Segment(text, Location(part="metadata", detail="defined name"), flow=f"defined-name:{number}")
        rest = xml_texts(root, frozenset({"sheet", "definedName"}))
        if rest:
            yield Segment("\n".join(rest), Location(part="metadata", detail="workbook"), flow="workbook")

    def _part(self, pkg: Package, name: str, sheet: int | None, ctx: ReadContext) -> Iterator[Segment]:  # noqa: C901 - one branch per kind of part
        ctype = pkg.types[name]
        docx = pkg.zip
        if name.endswith(".rels"):
            yield from pkg.links(name, Location(part="link", sheet=sheet))
        elif name == "[Content_Types].xml" or ctype in _NO_TEXT:
            return
        elif ctype in PROPERTY_PARTS:
            yield from DocxReader._properties(docx, name, PROPERTY_PARTS[ctype])
        elif ctype == _SML + "styles+xml":
            yield from self._styles(pkg, name)
        elif ctype == _SML + "comments+xml":
            yield from self._comments(pkg, name, sheet)
        elif "threadedcomments" in ctype.lower():
            yield from self._threaded(pkg, name, sheet)
        elif ctype == _MS + "person+xml":
            yield from self._persons(pkg, name)
        elif ctype == "application/vnd.openxmlformats-officedocument.drawing+xml":
            yield from self._drawing(pkg, name, sheet)
        elif "vmlDrawing" in ctype or name.endswith(".vml"):
            yield from self._vml(pkg, name, sheet)
        elif ctype.startswith("image/") or name.startswith("xl/media/"):
            yield from DocxReader._picture(docx, name, ctype, ctx)
        elif name.endswith("vbaProject.bin") or "vbaProject" in ctype:
            ctx.problem("unsupported_part", "the workbook holds macros (vbaProject.bin) that cannot be checked")
        elif (name.startswith(("xl/embeddings/", "xl/activeX/")) and not ctype.endswith("xml")) or "oleObject" in ctype:
            from .embedded import read_embedded

            yield from read_embedded(ctx, name, docx.read(name), Location(part="attachment", sheet=sheet))
        elif ctype in _SHEET_TYPES:  # a sheet the workbook does not list: still in the file
            yield from sheet_segments(pkg.xml(name), None, True, [], ctx)
        elif ctype.endswith("xml") or name.endswith(".xml"):
            yield from self._xml(pkg, name, ctype, sheet)
        elif "printerSettings" in ctype or "font" in ctype.lower() or docx.zf.getinfo(name).file_size == 0:
            return
        else:
            ctx.problem("unsupported_part", f"the workbook holds a part of an unknown type ({ctype or 'no content type'}) that cannot be checked")

    @staticmethod
    def _xml(pkg: Package, name: str, ctype: str, sheet: int | None) -> Iterator[Segment]:
        """Charts, tables, pivot caches, external links, connections, custom XML, unknown XML:
        all their text (attributes that hold typed text too)."""
        part, detail = "metadata", posixpath.basename(name)
        kinds = (("chartshapes", "textbox", "chart shapes"), *_XML_KINDS)
        for word, kind, label in kinds:
            if word.lower() in ctype.lower() or word.lower() in name.lower():
                part, detail = kind, label
                break
        texts = xml_texts(pkg.xml(name))
        if texts:
            yield Segment("\n".join(texts), Location(part=part, sheet=sheet, detail=detail), flow=f"xml:{name}")

    @staticmethod
    def _styles(pkg: Package, name: str) -> Iterator[Segment]:
        """Number formats can show literal text in every cell they format (`"Tel: "@`), and
        cell style names are typed: both read; fonts, fills and borders are not text."""
        texts = [el.get(attr) for el in pkg.xml(name).iter() for attr in ("formatCode", "name")
                 if local(el) in ("numFmt", "cellStyle", "tableStyle") and (el.get(attr) or "").strip()]
        if texts:
            yield Segment("\n".join(texts), Location(part="body", detail="number formats and styles"), flow=f"xml:{name}")

    @staticmethod
    def _comments(pkg: Package, name: str, sheet: int | None) -> Iterator[Segment]:
        root = pkg.xml(name)
        authors = [a.text or "" for a in root.iter() if local(a) == "author"]
        for number, author in enumerate(authors):
            if author.strip():
                yield Segment(author, Location(part="comment", sheet=sheet, detail="author"), flow=f"comment-author:{name}:{number}")
        for number, comment in enumerate((c for c in root.iter() if local(c) == "comment"), start=1):
            text = "".join(string_item(t) for t in comment if local(t) == "text")
            if text.strip():
                where = Location(part="comment", sheet=sheet, cell=first_cell(comment.get("ref")))
                yield Segment(text, where, flow=f"comment:{name}:{number}")

    @staticmethod
    def _threaded(pkg: Package, name: str, sheet: int | None) -> Iterator[Segment]:
        for number, comment in enumerate((c for c in pkg.xml(name).iter() if local(c) == "threadedComment"), start=1):
            texts = [t for t in xml_texts(comment) if t]
            if texts:
                where = Location(part="comment", sheet=sheet, cell=first_cell(comment.get("ref")), detail="threaded comment")
                yield Segment("\n".join(texts), where, flow=f"comment:{name}:{number}")

    @staticmethod
    def _persons(pkg: Package, name: str) -> Iterator[Segment]:
        for number, person in enumerate((p for p in pkg.xml(name).iter() if local(p) == "person"), start=1):
            texts = [person.get(a) for a in ("displayName", "userId") if (person.get(a) or "").strip()]
            if texts:
                yield Segment("\n".join(texts), Location(part="comment", detail="person"), flow=f"person:{name}:{number}")

    @staticmethod
    def _drawing(pkg: Package, name: str, sheet: int | None) -> Iterator[Segment]:
        """Shapes and text boxes (`textbox`, at the cell their anchor starts in), picture and
        chart alt text (`image`), and any other text of the part."""
        root = pkg.xml(name)
        for number, anchor in enumerate((a for a in root if local(a).endswith("Anchor")), start=1):
            cell = _anchor_cell(anchor)
            for index, body in enumerate(el for el in anchor.iter() if local(el) == "txBody"):
                text = paragraphs(body)
                if text.strip():
                    yield Segment(text, Location(part="textbox", sheet=sheet, cell=cell), flow=f"textbox:{name}:{number}:{index}")
            for pr in (el for el in anchor.iter() if local(el) == "cNvPr"):
                alt = [pr.get(a) for a in ("descr", "title") if (pr.get(a) or "").strip()]
                if alt:
                    yield Segment("\n".join(alt), Location(part="image", sheet=sheet, cell=cell, detail="alt text"),
                                  flow=f"alt:{name}:{number}:{pr.get('id')}")
        rest = [t for anchor in root if not local(anchor).endswith("Anchor") for t in xml_texts(anchor)]
        if rest:
            yield Segment("\n".join(rest), Location(part="textbox", sheet=sheet), flow=f"xml:{name}")

    @staticmethod
    def _vml(pkg: Package, name: str, sheet: int | None) -> Iterator[Segment]:
        """Legacy VML drawings: comment boxes, form controls, text boxes."""
        texts = vml_texts(pkg.zip.read(name))
        if texts:
            yield Segment("\n".join(texts), Location(part="textbox", sheet=sheet, detail="VML drawing"), flow=f"xml:{name}")


def _sheet_list(root: Any) -> list[Any]:
    """The workbook's `sheets/sheet` elements (not other elements of that name in extensions)."""
    return [e for lst in root if local(lst) == "sheets" for e in lst if local(e) == "sheet"]


def _relationship_id(el: Any) -> str:
    """`r:id`, in the transitional or the strict (purl.oclc.org) relationships namespace."""
    return next((v for k, v in el.attrib.items() if local(k) == "id" and "relationships" in k), "")


def _anchor_cell(anchor: Any) -> str | None:
    for el in anchor:
        if local(el) == "from":
            pos = {local(c): (c.text or "").strip() for c in el}
            try:
                return cell_name(int(pos.get("col", "")) + 1, int(pos.get("row", "")) + 1)
            except ValueError:
                return None
    return None
