"""OpenDocument text (ODT, OTT): withheld text removed from every XML part, formatting kept.

Each XML part (content, styles with its headers and footers, meta, settings, embedded objects'
subdocuments, any other XML) is walked by the reader's own walk (`readers/opendocument_walk`),
so the flows are the ones the scanner matched: a note's or a comment's text is its own flow, a
sheet's cells are one. Every character maps back to the text node or attribute it came from; a
withheld span is replaced by the label in its first node and cut from the others, so a match
split over `text:span`s keeps each span's formatting. A tracked change whose record holds
withheld text (a deletion's text, an author's name) is removed with its marks in the body,
which accepts it: deleted text stays deleted and inserted text stays in the body, where it is
cleaned like any other. A link whose target holds withheld text points to `#withheld`; a
binary setting whose printable text holds it is emptied. Parts that carry XML comments are
rewritten without them (nobody reads them, but they travel with the file).

The package thumbnail shows page one as it was: it is dropped, with its manifest entry (ODF
makes it optional; LibreOffice draws a new one on the next save). Pictures have withheld words
painted out and their metadata stripped, as for DOCX (a GIF, BMP or WebP is written as PNG and
its manifest media type changed). An embedded binary object holding withheld text cannot be
cleaned inside: a problem, and the output is not kept. `mimetype` stays the first member,
stored uncompressed, as ODF requires.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any

from ..document import Location, Problem
from ..readers.opendocument import MACRO_FOLDERS, is_xml, odf_members, parse_part
from ..readers.opendocument_schema import Run, StyleIndex, ns
from ..readers.opendocument_walk import walk_part
from ..zips import is_folder
from .base import RedactionResult, Removal, Targets

__all__ = ["OdtRedactor"]

_MANIFEST = "META-INF/manifest.xml"
_THUMBNAIL_FOLDER = "Thumbnails/"
_HREF = ns("xlink:href")
_REGION = ns("text:changed-region")
_MARKS = (ns("text:change"), ns("text:change-start"), ns("text:change-end"))
_WITHHELD_LINK = "#withheld"


class OdtRedactor:
    type = "odt"

    def redact(self, data: bytes, targets: Targets) -> RedactionResult:
        zin = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zin.infolist() if not is_folder(i)]
        names = [i.filename for i in infos]
        members = odf_members(names)
        media = _media_types(zin, names)
        dropped = {n for n in names if n.startswith(_THUMBNAIL_FOLDER)}
        roots = _XmlParts(zin, names)
        changed: dict[str, bytes] = {}
        new_types: dict[str, str] = {}
        removals: list[Removal] = []
        problems: list[Problem] = []
        for info in infos:
            name = info.filename
            if name in dropped or name in ("mimetype", _MANIFEST) or name.startswith(MACRO_FOLDERS):
                continue  # macros: the reader fails closed on them, so verification refuses the output
            blob = zin.read(info)
            if is_xml(blob[:4096]):
                root = roots.get(name)
                folder = posixpath.dirname(name)
                runs, _ = walk_part(root, styles=StyleIndex([*roots.styles(folder), root]), members=members,
                                     detail=folder or None, echoes=True)
                done = _apply(runs, targets)
                if done or b"<!--" in blob:
                    changed[name] = _serialised(root)
                removals.extend(done)
            elif _is_picture(blob):
                from .docx import DocxRedactor

                DocxRedactor._picture(name, media.get(name, ""), blob, targets, changed, new_types, removals, problems)
            else:
                self._embedded(name, blob, targets, changed, removals, problems)
        if _MANIFEST in names:
            changed[_MANIFEST] = _manifest(zin, dropped, new_types)
        return RedactionResult(_rezip(zin, changed, dropped), removals, problems)

    @staticmethod
    def _embedded(name: str, blob: bytes, targets: Targets, changed: dict[str, bytes],
                  removals: list[Removal], problems: list[Problem]) -> None:
        """A binary object (OLE, a document): redacted inside where its format can be, else a problem."""
        from .docx import _holds_targets, _redact_embedded

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
        removals.extend(Removal(r.item, r.kind, r.location.within(label), r.excerpt, r.action) for r in inner.removals)


class _XmlParts:
    """Each XML part parsed once: a styles.xml is both cleaned and consulted for hidden styles."""

    def __init__(self, zin: zipfile.ZipFile, names: list[str]):
        self.zin = zin
        self.names = set(names)
        self.roots: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self.roots:
            self.roots[name] = parse_part(self.zin.read(name))
        return self.roots[name]

    def styles(self, folder: str) -> list[Any]:
        name = posixpath.join(folder, "styles.xml") if folder else "styles.xml"
        return [self.get(name)] if name in self.names else []


def _apply(runs: list[Run], targets: Targets) -> list[Removal]:
    """Cut every withheld span out of the sources of each flow's runs."""
    flows: dict[str, list[Run]] = {}
    for run in runs:
        flows.setdefault(run.flow, []).append(run)
    done: list[Removal] = []
    for group in flows.values():
        pieces: list[tuple[int, Any, Run]] = []
        pos = 0
        for run in group:
            for piece in run.pieces:
                pieces.append((pos, piece, run))
                pos += len(piece.text)
            pos += 1  # the line between segments of a flow (normalise.FlowText)
        text = "\n".join(run.text for run in group)
        found = []
        for span in reversed(targets.find(text)):  # right to left: earlier offsets in a node stay valid
            where = _cut(span, pieces)
            if where is not None:
                found.append(Removal(span.item.id, span.item.kind, where, targets.excerpt(text, span)))
        done.extend(reversed(found))
    return done


def _cut(span: Any, pieces: list[tuple[int, Any, Run]]) -> Location | None:
    """Remove one span from the pieces it covers; the location of the first, or None if no
    source held any of it."""
    first: Location | None = None
    labelled = False
    regions: list[Any] = []
    for start, piece, run in pieces:
        lo, hi = max(span.start, start), min(span.end, start + len(piece.text))
        if lo >= hi or piece.source is None:
            continue
        first = first or run.place.location()
        node, slot = piece.source
        region = _changed_region(node)
        if region is not None:
            regions.append(region)
            continue
        if piece.whole:  # decoded or reworded text: the whole source goes
            _set(node, slot, _WITHHELD_LINK if slot == _HREF else "")
            continue
        current = _get(node, slot)
        a, b = lo - start, hi - start
        _set(node, slot, current[:a] + ("" if labelled else span.label) + current[b:])
        labelled = True
    for region in regions:
        _remove_change(region)
    return first


def _get(node: Any, slot: str) -> str:
    if slot == "text":
        return node.text or ""
    if slot == "tail":
        return node.tail or ""
    return node.get(slot) or ""


def _set(node: Any, slot: str, value: str) -> None:
    if slot == "text":
        node.text = value
    elif slot == "tail":
        node.tail = value
    else:
        node.set(slot, value)


def _changed_region(node: Any) -> Any:
    el = node
    while el is not None:
        if el.tag == _REGION:
            return el
        el = el.getparent()
    return None


def _remove_change(region: Any) -> None:
    """A change record and its marks in the text: the change accepted."""
    parent = region.getparent()
    if parent is None:
        return  # already removed for another span
    change = region.get(ns("text:id"))
    root = region.getroottree().getroot()
    parent.remove(region)
    for mark in list(root.iter(*_MARKS)):
        if mark.get(ns("text:change-id")) == change and mark.getparent() is not None:
            _drop_keeping_tail(mark)


def _drop_keeping_tail(el: Any) -> None:
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _serialised(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _is_picture(blob: bytes) -> bool:
    from ..readers.sniff import sniff

    return sniff(blob[:4096]) == "image"


def _media_types(zin: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    if _MANIFEST not in names:
        return {}
    root = parse_part(zin.read(_MANIFEST))
    return {el.get(ns("manifest:full-path")) or "": el.get(ns("manifest:media-type")) or ""
            for el in root.iter(ns("manifest:file-entry"))}


def _manifest(zin: zipfile.ZipFile, dropped: set[str], new_types: dict[str, str]) -> bytes:
    """The manifest without the dropped members, with each re-encoded picture's new type."""
    from lxml import etree

    root = parse_part(zin.read(_MANIFEST))
    for entry in list(root.iter(ns("manifest:file-entry"))):
        path = entry.get(ns("manifest:full-path")) or ""
        if path in dropped or path.rstrip("/") + "/" == _THUMBNAIL_FOLDER:
            root.remove(entry)
        elif path in new_types:
            entry.set(ns("manifest:media-type"), new_types[path])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _rezip(zin: zipfile.ZipFile, changed: dict[str, bytes], dropped: set[str]) -> bytes:
    """The package again: `mimetype` first and stored (ODF), the rest deflated."""
    out = io.BytesIO()
    infos = sorted(zin.infolist(), key=lambda i: i.filename != "mimetype")
    with zipfile.ZipFile(out, "w") as zout:
        for info in infos:
            name = info.filename
            if name in dropped:
                continue
            data = changed.get(name)
            zout.writestr(_copy_info(info), zin.read(info) if data is None else data)
    return out.getvalue()


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
    zi.external_attr = info.external_attr
    return zi
