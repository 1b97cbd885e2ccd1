"""XLSX: withheld text removed from the raw XML parts, every other part kept as it was.

An openpyxl round trip would drop what openpyxl does not model (threaded comments, text boxes,
pivot caches, custom XML), so the package is edited part by part. Each text is rebuilt as the
reader sees it, with a map from every character to its XML text node or attribute, and the
spans `Targets` withholds are cut from those nodes (the label in the first):

- cells, row by row, one text per sheet as the reader reads them: a cell whose shared string is
  cut gets its own inline copy of the string first, so other cells sharing it keep their text;
- formulas: a formula holding withheld text is removed, its cell keeping its (cleaned) cached
  value as a constant; Excel's calculation chain is then dropped, and Excel rebuilds it;
- sheet names: replaced by "Withheld N" (a sheet name cannot hold brackets);
- headers and footers, with their `&` codes kept; every other XML part (shared strings,
  comments, threaded comments and persons, defined names, data validation, charts, drawings,
  properties, pivot caches, external links, custom XML) by its text nodes and the attributes the
  reader reads; external relationship targets, pictures, embedded objects and the thumbnail as
  for DOCX (`redactors/docx.py`). Macros (`vbaProject.bin`, compressed) cannot be cleaned: a
  problem, so the copy is not kept.
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..document import Location, Problem
from ..errors import UnreadableDocument
from ..readers.base import ReadContext
from ..readers.docx import DocxPackage, parse_xml
from ..readers.xlsx import Workbook, XlsxReader
from ..readers.xlsx_parts import Package, cell_name, column_number, keeps_attr, local, vml_texts
from ..readers.xlsx_sheet import HF_CODE, HF_PARTS
from ..zips import is_folder
from .base import RedactionResult, Removal, Span, Targets
from .docx import (
    DocxRedactor,
    _content_types,
    _holds_targets,
    _redact_embedded,
    _rezip,
    _thumbnails,
    _with_types,
    _without_thumbnail,
)

__all__ = ["XlsxRedactor"]

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Elements that hold one paragraph or string: their text nodes run on without a break.
_BLOCKS = frozenset({"p", "si", "is", "text", "rich", "comment"})
_NO_TEXT = ("theme", "calcChain", "styles", "printerSettings")


@dataclass
class _Piece:
    node: Any
    attr: str | None  # an attribute name, "tail", or None for the node's text
    offset: int  # where the piece starts in that text
    start: int  # where it starts in the flow
    text: str
    owner: Any = None  # the cell a cell's piece belongs to


@dataclass
class _Flow:
    pieces: list[_Piece] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    pos: int = 0

    def add(self, text: str, node: Any = None, attr: str | None = None, offset: int = 0, owner: Any = None) -> None:
        if not text:
            return
        if node is not None:
            self.pieces.append(_Piece(node, attr, offset, self.pos, text, owner))
        self.parts.append(text)
        self.pos += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _get(piece: _Piece) -> str:
    if piece.attr == "tail":
        return piece.node.tail or ""
    return (piece.node.get(piece.attr) if piece.attr else piece.node.text) or ""


def _set(piece: _Piece, value: str) -> None:
    if piece.attr == "tail":
        piece.node.tail = value
    elif piece.attr:
        piece.node.set(piece.attr, value)
    else:
        piece.node.text = value
        if local(piece.node) == "t":
            piece.node.set(_XML_SPACE, "preserve")


def _cut(flow: _Flow, spans: list[Span], targets: Targets) -> list[tuple[Span, str]]:
    """Cut `spans` from the mapped nodes, right to left so no cut moves another's offsets."""
    text, done = flow.text, []
    for span in reversed(spans):
        touched = [p for p in flow.pieces if p.start < span.end and span.start < p.start + len(p.text)]
        for index, piece in enumerate(reversed(touched)):
            lo = max(span.start, piece.start) - piece.start + piece.offset
            hi = min(span.end, piece.start + len(piece.text)) - piece.start + piece.offset
            current = _get(piece)
            _set(piece, current[:lo] + (span.label if index == len(touched) - 1 else "") + current[hi:])
        if touched:
            done.append((span, targets.excerpt(text, span)))
    done.reverse()
    return done


def _generic(root: Any, flow: _Flow) -> None:
    """Every text node, tail and reader-read attribute, in document order; text nodes of one
    paragraph or string run on, other pieces are apart. Header and footer codes are kept out."""
    block: list[Any] = [None]

    def visit(el: Any, owner: Any) -> None:
        if not isinstance(el.tag, str):
            return
        name = local(el)
        if name in _BLOCKS:
            owner = el
        for key, value in el.attrib.items():
            if keeps_attr(local(key), value):
                flow.add("\n")
                flow.add(value, el, key)
        if el.text:
            if name in HF_PARTS:
                _header_pieces(el, flow)
            else:
                if not (name == "t" and block[0] is owner and owner is not None):
                    flow.add("\n")
                flow.add(el.text, el)
                block[0] = owner if name == "t" else None
        for child in el:
            visit(child, owner)
            if child.tail and child.tail.strip():
                flow.add("\n")
                flow.add(child.tail, child, "tail")
                block[0] = None

    visit(root, None)


def _header_pieces(el: Any, flow: _Flow) -> None:
    """A header or footer's literal text between its `&` codes (which stay as they are)."""
    raw, pos = el.text or "", 0
    flow.add("\n")
    for m in HF_CODE.finditer(raw):
        flow.add(raw[pos:m.start()], el, None, pos)
        flow.add("\n" if m.group() in ("&L", "&C", "&R") else " ")
        pos = m.end()
    flow.add(raw[pos:], el, None, pos)


class XlsxRedactor:
    type = "xlsx"

    def redact(self, data: bytes, targets: Targets) -> RedactionResult:
        from lxml import etree

        zin = zipfile.ZipFile(io.BytesIO(data))
        pkg = Package(DocxPackage.open(data, ReadContext(name="redact")))
        book = Workbook.find(pkg)
        types = _content_types(zin)
        sheets = {name: number for name, number, _ in book.sheets}
        strings_part = next((p for p in XlsxReader._string_parts(pkg, book) if p in pkg.types), None)
        strings = parse_xml(zin.read(strings_part)) if strings_part else None
        shared = [si for si in strings if local(si) == "si"] if strings is not None else []
        self.removals: list[Removal] = []
        self.converted = False  # a cell was given its own copy of a shared string
        problems: list[Problem] = []
        changed: dict[str, bytes] = {}
        new_types: dict[str, str] = {}
        renames = _renames(parse_xml(zin.read(book.name)), targets)
        thumbnails = _thumbnails(zin)
        formulas_removed = False
        for info in zin.infolist():
            name, ctype = info.filename, types.get(info.filename, "")
            if is_folder(info) or name in thumbnails or name == strings_part:
                continue
            blob = zin.read(info)
            if name in sheets:
                root = _renamed(parse_xml(blob), renames)
                found, removed = self._sheet(root, sheets[name], shared, targets)
                formulas_removed |= removed
            elif name.endswith(".rels"):
                root = parse_xml(blob)
                found = bool(self._record(DocxRedactor._clean_links(root, targets), Location(part="link")))
            elif ctype.startswith("image/") or name.startswith("xl/media/"):
                DocxRedactor._picture(name, ctype, blob, targets, changed, new_types, self.removals, problems)
                continue
            elif name.endswith("vbaProject.bin") or "vbaProject" in ctype:
                # compressed macro source: it cannot be searched or cleaned, so the copy is not kept
                problems.append(Problem("unsupported_part", "the workbook holds macros (vbaProject.bin) that cannot be cleaned",
                                        location=Location(part="attachment", attachment=posixpath.basename(name))))
                continue
            elif name.startswith(("xl/embeddings/", "xl/activeX/")) and not name.endswith(".xml"):
                self._embedded(name, blob, targets, changed, problems)
                continue
            elif "vmlDrawing" in ctype or name.endswith(".vml"):
                found, root = self._vml(name, blob, targets, problems)
            elif (ctype.endswith("xml") or name.endswith(".xml")) and not any(w in ctype or w in name for w in _NO_TEXT):
                if not blob.strip():
                    continue
                root = _renamed(parse_xml(blob), renames)
                found = self._part(root, name, book.name, targets) or bool(renames)
            elif "styles" in ctype and blob.strip():
                root = parse_xml(blob)
                found = self._part(root, name, book.name, targets)
            else:
                continue
            if found and root is not None:
                changed[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if strings is not None and strings_part is not None:
            flow = _Flow()
            _generic(strings, flow)
            if self._record(_cut(flow, targets.find(flow.text), targets), Location(part="body", detail="shared strings")) or self.converted:
                changed[strings_part] = etree.tostring(strings, xml_declaration=True, encoding="UTF-8", standalone=True)
        if thumbnails:
            changed.update(_without_thumbnail(zin, thumbnails))
        dropped = thumbnails | (_calc_chain(zin, types, changed) if formulas_removed else set())
        if new_types:
            changed["[Content_Types].xml"] = _with_types(changed.get("[Content_Types].xml") or zin.read("[Content_Types].xml"), new_types)
        return RedactionResult(_rezip(zin, changed, dropped), self.removals, problems)

    def _record(self, found: list[tuple[Span, str]], where: Location) -> bool:
        self.removals.extend(Removal(span.item.id, span.item.kind, where, excerpt) for span, excerpt in found)
        return bool(found)

    def _sheet(self, root: Any, number: int, shared: list[Any], targets: Targets) -> tuple[bool, bool]:
        """Cells (one text, as the reader reads them), formulas, then the rest of the part."""
        data = next((el for el in root if local(el) == "sheetData"), None)
        found = False
        removed = False
        if data is not None:
            flow = self._cells(data, shared, inline_only=False)
            spans = targets.find(flow.text)
            if spans:
                for piece in flow.pieces:  # cells a span touches get their own inline string
                    if any(piece.start < s.end and s.start < piece.start + len(piece.text) for s in spans):
                        _inline(piece.owner, shared)
                        self.converted = True
                flow = self._cells(data, shared, inline_only=True)
                for span, excerpt in _cut(flow, spans, targets):
                    cell = next(p.owner for p in flow.pieces if p.start + len(p.text) > span.start)
                    where = Location(part="body", sheet=number, cell=cell.get("r"))
                    self.removals.append(Removal(span.item.id, span.item.kind, where, excerpt))
                    found = True
            removed = self._formulas(data, number, targets)
        rest = _Flow()
        for el in root:
            if local(el) != "sheetData":
                _generic(el, rest)
        if self._record(_cut(rest, targets.find(rest.text), targets), Location(part="body", sheet=number, detail="sheet settings")):
            found = True
        return found or removed, removed

    @staticmethod
    def _cells(data: Any, shared: list[Any], inline_only: bool) -> _Flow:
        flow = _Flow()
        row_no = 0
        for row in (r for r in data if local(r) == "row"):
            row_no = int(row.get("r") or row_no + 1)
            col_no = 0
            for cell in (c for c in row if local(c) == "c"):
                ref = cell.get("r") or ""
                letters = "".join(ch for ch in ref if ch.isalpha())
                col_no = column_number(letters) if letters else col_no + 1
                if not ref:
                    cell.set("r", cell_name(col_no, row_no))
                nodes = _string_nodes(cell, shared)
                if not nodes:
                    continue
                flow.add("\n")
                for node in nodes:
                    flow.add(node.text or "", node, owner=cell)
        return flow

    def _formulas(self, data: Any, number: int, targets: Targets) -> bool:
        """A formula whose text holds withheld text is removed (its cell keeps its cleaned
        cached value as a constant); a shared formula's master is cut in place instead."""
        removed = False
        for cell in (c for row in data for c in row if local(c) == "c"):
            f = next((el for el in cell if local(el) == "f"), None)
            if f is None or not (f.text or "").strip():
                continue
            flow = _Flow()
            flow.add(f.text, f)
            spans = targets.find(flow.text)
            if not spans:
                continue
            where = Location(part="body", sheet=number, cell=cell.get("r"), detail="formula")
            if f.get("t") == "shared":
                self._record(_cut(flow, spans, targets), where)
                continue
            self._record([(s, targets.excerpt(flow.text, s)) for s in spans], where)
            cell.remove(f)
            if cell.get("t") == "str":
                _inline(cell, [])
            removed = True
        return removed

    def _part(self, root: Any, name: str, workbook: str, targets: Targets) -> bool:
        found = False
        if name == workbook:
            for number, sheet in enumerate((s for lst in root if local(lst) == "sheets" for s in lst if local(s) == "sheet"), start=1):
                label = sheet.get("name") or ""
                spans = targets.find(label)
                if spans:
                    sheet.set("name", f"Withheld {number}")
                    found |= self._record([(s, targets.excerpt(label, s)) for s in spans],
                                          Location(part="metadata", sheet=number, detail="sheet name"))
        flow = _Flow()
        _generic(root, flow)
        part = "comment" if "comment" in name.lower() else "metadata"
        return self._record(_cut(flow, targets.find(flow.text), targets), Location(part=part, detail=posixpath.basename(name))) or found

    def _vml(self, name: str, blob: bytes, targets: Targets, problems: list[Problem]) -> tuple[bool, Any]:
        try:
            root = parse_xml(blob)
        except UnreadableDocument as exc:  # HTML-ish VML: kept only if it holds nothing withheld
            if exc.code != "corrupt":
                raise
            if targets.find("\n".join(vml_texts(blob))):
                problems.append(Problem("unsupported_part", f"the VML drawing {posixpath.basename(name)} holds withheld text and cannot be cleaned",
                                        location=Location(part="textbox")))
            return False, None
        flow = _Flow()
        _generic(root, flow)
        return self._record(_cut(flow, targets.find(flow.text), targets), Location(part="textbox", detail=posixpath.basename(name))), root

    def _embedded(self, name: str, blob: bytes, targets: Targets, changed: dict[str, bytes], problems: list[Problem]) -> None:
        if not _holds_targets(blob, targets):
            return
        label = posixpath.basename(name)
        inner = _redact_embedded(blob, targets)
        if inner is None:
            problems.append(Problem("unsupported_part", f"embedded object {label} holds withheld text and cannot be cleaned inside",
                                    location=Location(part="attachment", attachment=label)))
            return
        changed[name] = inner.data
        problems.extend(inner.problems)
        self.removals.extend(Removal(r.item, r.kind, r.location.within(label), r.excerpt, r.action) for r in inner.removals)


def _string_nodes(cell: Any, shared: list[Any]) -> list[Any]:
    """The XML nodes holding a cell's shown text: its inline string's `t`s, its shared string's
    (read only: `_inline` copies them first), or its value."""
    kind = cell.get("t") or "n"
    value = next((el for el in cell if local(el) == "v"), None)
    inline = next((el for el in cell if local(el) == "is"), None)
    if inline is not None:
        return [t for t in inline.iter() if local(t) == "t"]
    if kind == "s" and value is not None and (value.text or "").strip().isdigit():
        index = int(value.text)
        return [t for t in shared[index].iter() if local(t) == "t"] if index < len(shared) else []
    return [value] if value is not None and value.text else []


def _inline(cell: Any, shared: list[Any]) -> None:
    """Give a cell its own inline string holding its text (a shared string's copy, or its value)."""
    if cell is None or cell.get("t") == "inlineStr":
        return
    ns = cell.tag[: -len(local(cell))]
    value = next((el for el in cell if local(el) == "v"), None)
    if cell.get("t") == "s" and value is not None:
        item = copy.deepcopy(shared[int(value.text)])
        item.tag = ns + "is"
    else:
        item = cell.makeelement(ns + "is", {})
        t = item.makeelement(ns + "t", {})
        t.text = value.text if value is not None else ""
        item.append(t)
    if value is not None:
        cell.remove(value)
    for f in [el for el in cell if local(el) == "f"]:
        cell.remove(f)
    cell.set("t", "inlineStr")
    cell.append(item)


def _renames(workbook: Any, targets: Targets) -> dict[str, str]:
    """Sheet names holding withheld text -> "Withheld N" (brackets are not allowed in one)."""
    found = {}
    for number, sheet in enumerate((s for lst in workbook if local(lst) == "sheets" for s in lst if local(s) == "sheet"), start=1):
        if targets.find(sheet.get("name") or ""):
            found[sheet.get("name")] = f"Withheld {number}"
    return found


def _renamed(root: Any, renames: dict[str, str]) -> Any:
    """Formulas (cells, defined names, chart series) that name a renamed sheet follow it."""
    if not renames:
        return root
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.text or "!" not in el.text:
            continue
        for old, new in renames.items():
            quoted = "'" + old.replace("'", "''") + "'!"
            el.text = el.text.replace(quoted, f"'{new}'!").replace(old + "!", f"'{new}'!")
    return root


def _calc_chain_names(types: dict[str, str]) -> set[str]:
    return {n for n, t in types.items() if t.endswith("calcChain+xml")}


def _calc_chain(zin: zipfile.ZipFile, types: dict[str, str], changed: dict[str, bytes]) -> set[str]:
    """Drop the calculation chain (it lists removed formulas; Excel rebuilds it) and its
    relationship and content type."""
    from lxml import etree

    names = _calc_chain_names(types)
    if not names:
        return set()
    ct = parse_xml(changed.get("[Content_Types].xml") or zin.read("[Content_Types].xml"))
    for el in list(ct):
        if el.get("PartName", "").lstrip("/") in names:
            ct.remove(el)
    changed["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8", standalone=True)
    for rels in (n for n in zin.namelist() if n.endswith(".rels")):
        root = parse_xml(changed.get(rels) or zin.read(rels))
        drop = [r for r in root if (r.get("Type") or "").endswith("/calcChain")]
        for r in drop:
            root.remove(r)
        if drop:
            changed[rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return names
