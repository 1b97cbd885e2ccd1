"""DOCX: withheld text removed from every XML part, the surrounding formatting kept.

Each story part (body, headers, footers, notes, comments, glossary) is turned into one text with
a map from every character back to the XML text node it came from (`w:t`, `w:delText`,
`w:instrText`, alt-text attributes). A withheld span is replaced by the label in its first node
and cut from the others, so a match split over several runs keeps each run's formatting. A
tracked deletion holding withheld text is removed outright (its text would otherwise survive in
the file); both branches of `mc:AlternateContent` (DrawingML and VML text boxes) are cleaned.
Properties, custom XML and other XML parts have their text nodes cleaned the same way; an
external relationship (hyperlink) whose target holds withheld text points nowhere afterwards.
The thumbnail, which shows the first page as a picture, is dropped. Every picture part
(inline and floating pictures alike, in any part) has withheld words painted out of its pixels
and its metadata stripped (`redactors/images.py`); a GIF, BMP or WebP is written as PNG and its
content type changed. Vector pictures (EMF, WMF, SVG) keep their text as text records, which
the raw look of verification searches. An embedded object holding
withheld text cannot be cleaned inside, so it is a problem and the output is not kept.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

from ..document import Location, Problem
from ..readers.docx import NON_TEXT_PARTS, PROPERTY_PARTS, STORY_PARTS, W, parse_xml
from ..zips import is_folder
from .base import RedactionResult, Removal, Targets

_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_TAGS = {f"{W}t", f"{W}delText", f"{W}instrText", f"{W}delInstrText"}
#: Pictures made of drawing records (their text is stored as text, not pixels).
_VECTOR_PICTURES = frozenset({"image/x-emf", "image/x-wmf", "image/emf", "image/wmf", "image/svg+xml"})
_PICTURE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}
_THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


@dataclass
class _Piece:
    """Characters [start, start+len) of the flow text come from `node` (its text or an attribute)."""

    node: Any
    attr: str | None
    start: int
    text: str


class _FlowMap:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[_Piece] = []
        self.pos = 0

    def add(self, text: str, node: Any = None, attr: str | None = None) -> None:
        if not text:
            return
        if node is not None:
            self.pieces.append(_Piece(node, attr, self.pos, text))
        self.parts.append(text)
        self.pos += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _walk(el: Any, flow: _FlowMap) -> None:
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in _TEXT_TAGS:
            flow.add(child.text or "", child)
        elif tag == f"{W}tab":
            flow.add("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            flow.add("\n")
        elif tag == f"{_WP}docPr":
            for attr in ("descr", "title"):
                if child.get(attr):
                    flow.add(" ")
                    flow.add(child.get(attr), child, attr)
                    flow.add(" ")
        elif tag == f"{W}fldSimple" and child.get(f"{W}instr"):
            flow.add(" ")
            flow.add(child.get(f"{W}instr"), child, f"{W}instr")
            flow.add(" ")
            _walk(child, flow)
        else:
            _walk(child, flow)
            if tag == f"{W}p":
                flow.add("\n")


def _apply(flow: _FlowMap, targets: Targets) -> list[tuple[Any, str]]:
    """Cut every target span out of the mapped nodes; returns (span item id, kind) per span."""
    text = flow.text
    done = []
    # Right to left: cutting a later span never moves the offsets of an earlier one in a node.
    for span in reversed(targets.find(text)):
        first = True
        deletions = []
        for piece in flow.pieces:
            lo, hi = max(span.start, piece.start), min(span.end, piece.start + len(piece.text))
            if lo >= hi:
                continue
            node = piece.node
            deleted = _enclosing_deletion(node)
            if deleted is not None:
                deletions.append(deleted)
                continue
            a, b = lo - piece.start, hi - piece.start
            current = node.get(piece.attr) if piece.attr else (node.text or "")
            new = current[:a] + (span.label if first else "") + current[b:]
            if piece.attr:
                node.set(piece.attr, new)
            else:
                node.text = new
                node.set(_XML_SPACE, "preserve")
            first = False
        for d in deletions:
            parent = d.getparent()
            if parent is not None:
                parent.remove(d)
        if not first or deletions:
            done.append((span, targets.excerpt(text, span)))
    done.reverse()
    return done


def _enclosing_deletion(node: Any) -> Any:
    el = node.getparent()
    while el is not None:
        if el.tag in (f"{W}del", f"{W}moveFrom"):
            return el
        el = el.getparent()
    return None


class DocxRedactor:
    type = "docx"

    def redact(self, data: bytes, targets: Targets) -> RedactionResult:
        from lxml import etree

        zin = zipfile.ZipFile(io.BytesIO(data))
        types = _content_types(zin)
        removals: list[Removal] = []
        problems: list[Problem] = []
        changed: dict[str, bytes] = {}
        new_types: dict[str, str] = {}
        dropped = _thumbnails(zin)
        for info in zin.infolist():
            name = info.filename
            if is_folder(info) or name in dropped:
                continue
            ctype = types.get(name, "")
            blob = zin.read(info)
            if name.endswith(".rels") or ctype in STORY_PARTS or ctype in PROPERTY_PARTS or (
                (ctype.endswith("xml") or name.endswith(".xml")) and ctype not in NON_TEXT_PARTS
            ):
                if not blob.strip():
                    continue
                root = parse_xml(blob)
                part = _part_name(name, ctype)
                found = self._clean_links(root, targets) if name.endswith(".rels") else self._clean_xml(root, targets)
                if found:
                    changed[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    removals.extend(
                        Removal(span.item.id, span.item.kind, Location(part=part, detail=posixpath.basename(name)), excerpt)
                        for span, excerpt in found
                    )
            elif ctype.startswith("image/") or name.startswith("word/media/"):
                self._picture(name, ctype, blob, targets, changed, new_types, removals, problems)
            elif name.startswith("word/embeddings/") and _holds_targets(blob, targets):
                label = posixpath.basename(name)
                inner = _redact_embedded(blob, targets)
                if inner is None:
                    problems.append(Problem(
                        "unsupported_part", f"embedded object {label} holds withheld text and cannot be cleaned inside",
                        location=Location(part="attachment", attachment=label),
                    ))
                    continue
                changed[name] = inner.data
                problems.extend(inner.problems)
                removals.extend(
                    Removal(r.item, r.kind, r.location.within(label), r.excerpt, r.action) for r in inner.removals
                )
        if dropped:
            changed.update(_without_thumbnail(zin, dropped))
        if new_types:
            changed["[Content_Types].xml"] = _with_types(changed.get("[Content_Types].xml") or zin.read("[Content_Types].xml"), new_types)
        return RedactionResult(_rezip(zin, changed, dropped), removals, problems)

    @staticmethod
    def _picture(name: str, ctype: str, blob: bytes, targets: Targets, changed: dict[str, bytes],
                 new_types: dict[str, str], removals: list[Removal], problems: list[Problem]) -> None:
        """A picture part: withheld words painted out, metadata stripped (redactors/images.py)."""
        from ..errors import UnreadableDocument
        from .images import metadata_removals, redact_picture

        if ctype in _VECTOR_PICTURES:
            return  # drawing records, not pixels: their text is in the raw look of verification
        where = Location(part="image", image=name)
        try:
            data, kind, painted = redact_picture(blob, targets, where, others_as_png=True)
        except UnreadableDocument as exc:
            problems.append(Problem(exc.code, f"picture {posixpath.basename(name)}: {exc}", location=where))
            return
        removals.extend(metadata_removals(blob, targets, where))
        removals.extend(painted.removals)
        problems.extend(painted.problems)
        changed[name] = data
        if _PICTURE_TYPES[kind] != ctype:
            new_types[name] = _PICTURE_TYPES[kind]

    @staticmethod
    def _clean_xml(root: Any, targets: Targets) -> list[tuple[Any, str]]:
        flow = _FlowMap()
        _walk(root, flow)
        found = _apply(flow, targets)
        # properties and custom XML: plain text nodes outside WordprocessingML runs
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag in _TEXT_TAGS or not (el.text and el.text.strip()):
                continue
            if el.tag.startswith(W):
                continue
            single = _FlowMap()
            single.add(el.text, el)
            found.extend(_apply(single, targets))
        return found

    @staticmethod
    def _clean_links(root: Any, targets: Targets) -> list[tuple[Any, str]]:
        from urllib.parse import unquote

        found: list[tuple[Any, str]] = []
        for rel in root.iter(f"{_REL}Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") != "External":
                continue
            spans = targets.find(unquote(target))
            if spans:
                rel.set("Target", "#withheld")
                found.extend((s, targets.excerpt(unquote(target), s)) for s in spans)
        return found


def _part_name(name: str, ctype: str) -> str:
    if name.endswith(".rels"):
        return "link"
    if ctype in PROPERTY_PARTS:
        return "metadata"
    return STORY_PARTS.get(ctype, "metadata")


def _content_types(zin: zipfile.ZipFile) -> dict[str, str]:
    root = parse_xml(zin.read("[Content_Types].xml"))
    defaults = {el.get("Extension", "").lower(): el.get("ContentType", "") for el in root.iter(f"{_CT}Default")}
    overrides = {el.get("PartName", "").lstrip("/"): el.get("ContentType", "") for el in root.iter(f"{_CT}Override")}
    out = {}
    for name in zin.namelist():
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        out[name] = overrides.get(name) or defaults.get(ext, "")
    return out


def _thumbnails(zin: zipfile.ZipFile) -> set[str]:
    try:
        root = parse_xml(zin.read("_rels/.rels"))
    except KeyError:
        return set()
    return {
        rel.get("Target", "").lstrip("/")
        for rel in root.iter(f"{_REL}Relationship")
        if rel.get("Type") == _THUMBNAIL_REL and rel.get("TargetMode") != "External"
    }


def _without_thumbnail(zin: zipfile.ZipFile, dropped: set[str]) -> dict[str, bytes]:
    from lxml import etree

    root = parse_xml(zin.read("_rels/.rels"))
    for rel in list(root.iter(f"{_REL}Relationship")):
        if rel.get("Type") == _THUMBNAIL_REL:
            root.remove(rel)
    ct = parse_xml(zin.read("[Content_Types].xml"))
    for el in list(ct.iter(f"{_CT}Override")):
        if el.get("PartName", "").lstrip("/") in dropped:
            ct.remove(el)
    return {
        "_rels/.rels": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "[Content_Types].xml": etree.tostring(ct, xml_declaration=True, encoding="UTF-8", standalone=True),
    }


def _with_types(content_types: bytes, new_types: dict[str, str]) -> bytes:
    """[Content_Types].xml with an Override giving each re-encoded picture its new type."""
    from lxml import etree

    ct = parse_xml(content_types)
    for el in list(ct.iter(f"{_CT}Override")):
        if el.get("PartName", "").lstrip("/") in new_types:
            ct.remove(el)
    for name, ctype in sorted(new_types.items()):
        etree.SubElement(ct, f"{_CT}Override", PartName=f"/{name}", ContentType=ctype)
    return etree.tostring(ct, xml_declaration=True, encoding="UTF-8", standalone=True)


def _redact_embedded(blob: bytes, targets: Targets) -> RedactionResult | None:
    """An embedded package of a format we can redact is redacted in place, recursively."""
    from ..formats import redactor
    from ..readers.sniff import sniff

    found = redactor(sniff(blob))
    return found.redact(blob, targets) if found is not None else None


def _holds_targets(blob: bytes, targets: Targets) -> bool:
    return bool(targets.find(blob.decode("latin-1"))) or bool(targets.scanner.scan_bytes(blob, "embedded").findings)


def _rezip(zin: zipfile.ZipFile, changed: dict[str, bytes], dropped: set[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in dropped:
                continue
            data = changed.get(info.filename)
            if data is None:
                data = zin.read(info)
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            zout.writestr(zi, data)
    return out.getvalue()
