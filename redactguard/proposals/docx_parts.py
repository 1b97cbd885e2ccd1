"""The parts of a DOCX package that proposals read and write, kept apart from what they do.

A package is a zip of XML parts tied together by relationships and content types; proposals
add parts (comments, a header) and change others, and re-zip the whole with every other member
as it was.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any

from ..readers.docx import STORY_PARTS, W, parse_xml
from ..redactors.docx import _content_types
from ..zips import is_folder

__all__ = ["Package", "R", "WML", "REL_NS"]

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


class Package:
    """A DOCX opened for editing: parts parsed on demand, changed ones written back on `save`."""

    def __init__(self, data: bytes) -> None:
        self.zin = zipfile.ZipFile(io.BytesIO(data))
        self.types = _content_types(self.zin)
        self.xml: dict[str, Any] = {}
        self.added: dict[str, str] = {}  # new part -> its content type

    def part(self, name: str) -> Any:
        if name not in self.xml:
            self.xml[name] = parse_xml(self.zin.read(name))
        return self.xml[name]

    def stories(self, *, comments: bool = False) -> list[tuple[str, str]]:
        """(part name, location part) of every story part, the main document first."""
        found = [(n, STORY_PARTS[t]) for n, t in self.types.items() if t in STORY_PARTS and (comments or STORY_PARTS[t] != "comment")]
        return sorted(found, key=lambda p: (p[1] != "body", p[0]))

    @property
    def main(self) -> str:
        return next(n for n, t in self.types.items() if t == WML + "document.main+xml")

    def related(self, source: str, kind: str) -> list[tuple[str, str]]:
        """(relationship id, part name) of `source`'s relationships of type `kind` ("header")."""
        rels = self._rels(source)
        base = posixpath.dirname(source)
        return [(r.get("Id"), posixpath.normpath(posixpath.join(base, r.get("Target", ""))))
                for r in rels.iter(f"{{{REL_NS}}}Relationship")
                if r.get("Type") == REL_TYPES + kind and r.get("TargetMode") != "External"]

    def target(self, source: str, rel_id: str) -> str | None:
        base = posixpath.dirname(source)
        for r in self._rels(source).iter(f"{{{REL_NS}}}Relationship"):
            if r.get("Id") == rel_id and r.get("TargetMode") != "External":
                return posixpath.normpath(posixpath.join(base, r.get("Target", "")))
        return None

    def add_part(self, source: str, name: str, kind: str, content_type: str, root: Any) -> str:
        """Add part `name` related to `source` as `kind`; its relationship id."""
        from lxml import etree

        rels = self._rels(source)
        taken = {r.get("Id") for r in rels.iter(f"{{{REL_NS}}}Relationship")}
        rel_id = next(f"rIdRg{n}" for n in range(1, len(taken) + 2) if f"rIdRg{n}" not in taken)
        etree.SubElement(rels, f"{{{REL_NS}}}Relationship", Id=rel_id, Type=REL_TYPES + kind,
                         Target=posixpath.relpath(name, posixpath.dirname(source)))
        self.xml[name] = root
        self.added[name] = content_type
        self.types[name] = content_type
        return rel_id

    def free_name(self, stem: str) -> str:
        names = set(self.zin.namelist()) | set(self.added)
        return next(f"word/{stem}{n or ''}.xml" for n in range(len(names) + 1) if f"word/{stem}{n or ''}.xml" not in names)

    def _rels(self, source: str) -> Any:
        from lxml import etree

        name = posixpath.join(posixpath.dirname(source), "_rels", posixpath.basename(source) + ".rels")
        if name not in self.xml:
            try:
                self.xml[name] = parse_xml(self.zin.read(name))
            except KeyError:
                self.xml[name] = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
                self.added[name] = ""
        return self.xml[name]

    def text(self, el: Any) -> str:
        return "".join(t.text or "" for t in el.iter(f"{W}t"))

    def save(self) -> bytes:
        from lxml import etree

        if any(ctype for ctype in self.added.values()):
            ct = parse_xml(self.zin.read("[Content_Types].xml"))
            for name, ctype in sorted(self.added.items()):
                if ctype:
                    etree.SubElement(ct, f"{{{CT_NS}}}Override", PartName=f"/{name}", ContentType=ctype)
            self.xml["[Content_Types].xml"] = ct
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in self.zin.infolist():
                if is_folder(info):
                    continue
                zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zi.compress_type, zi.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
                zout.writestr(zi, self._bytes(info.filename) if info.filename in self.xml else self.zin.read(info))
            for name in sorted(self.added):
                zout.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), self._bytes(name))
        return out.getvalue()

    def _bytes(self, name: str) -> bytes:
        from lxml import etree

        return bytes(etree.tostring(self.xml[name], xml_declaration=True, encoding="UTF-8", standalone=True))
