"""PPTX, PPTM, POTX, PPSX: every place a presentation can hold text, read from the raw parts.

Every part is read by its content type, with the DOCX reader's zip limits, safe XML parser and
picture path. Slides are numbered in presentation order (`ppt/presentation.xml` `sldIdLst`),
and a part a slide reaches (its notes, comments, charts, diagrams, embedded objects) carries
that slide's `page`. A slide's shapes and table cells are one flow, so a value typed across two
text boxes is matched whole; its footer, date and slide-number placeholders are `footer` /
`header`. A hidden slide (`show="0"`) is `hidden-text`. Layouts and masters are shared by
slides, so they carry no page: their footers are `header`/`footer`, their other text `textbox`
(`field` "slide layout", "slide master"...). Audio and video cannot be checked
(`unsupported_part`), nor can macros.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .docx import PROPERTY_PARTS, DocxPackage, DocxReader
from .xlsx_parts import Package, local, paragraphs, vml_texts, xml_texts

__all__ = ["PptxReader"]

_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_MS = "application/vnd.ms-powerpoint."
_MAIN = frozenset({
    _PML + "presentation.main+xml", _PML + "slideshow.main+xml", _PML + "template.main+xml",
    _MS + "presentation.macroEnabled.main+xml", _MS + "slideshow.macroEnabled.main+xml",
    _MS + "template.macroEnabled.main+xml", _MS + "addin.macroEnabled.main+xml",
})
#: Shared parts (by the content type's word) -> the `field` their text is reported with.
_SHARED = {"slideLayout": "slide layout", "slideMaster": "slide master", "notesMaster": "notes master",
           "handoutMaster": "handout master"}
_NO_TEXT = frozenset({
    "application/vnd.openxmlformats-officedocument.theme+xml", _PML + "tableStyles+xml", _PML + "viewProps+xml",
    "application/vnd.openxmlformats-package.relationships+xml",
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    "application/vnd.openxmlformats-officedocument.themeOverride+xml",
})
_FOOTERS = {"hdr": "header", "ftr": "footer", "dt": "footer", "sldNum": "footer"}
_SHARED_RELS = ("/slideLayout", "/slideMaster", "/notesMaster", "/handoutMaster", "/theme")


class PptxReader:
    type = "pptx"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        pkg = Package(DocxPackage.open(data, ctx, "presentation"))
        main, slides = _slides(pkg)
        owner = pkg.owners(slides, _SHARED_RELS)
        yield from self._presentation(pkg, main)
        for name, page in slides:
            ctx.check_time()
            root = pkg.xml(name)
            hidden = root.get("show") in ("0", "false")
            yield from _shapes(root, name, page, "hidden-text" if hidden else "body", None)
        done = {main, *(name for name, _ in slides)}
        for name in sorted(pkg.types):
            if name not in done:
                ctx.check_time()
                yield from self._part(pkg, name, owner.get(name) or owner.get(_source(name)), ctx)

    @staticmethod
    def _presentation(pkg: Package, main: str) -> Iterator[Segment]:
        """Custom show names, section names, embedded font names: `metadata`."""
        texts = xml_texts(pkg.xml(main), frozenset({"sldIdLst", "sldMasterIdLst", "notesMasterIdLst", "handoutMasterIdLst"}))
        if texts:
            yield Segment("\n".join(texts), Location(part="metadata", detail="presentation"), flow="presentation")

    def _part(self, pkg: Package, name: str, page: int | None, ctx: ReadContext) -> Iterator[Segment]:  # noqa: C901 - one branch per kind of part
        ctype = pkg.types[name]
        low = ctype.lower()
        if name.endswith(".rels"):
            yield from pkg.links(name, Location(part="link", page=page))
        elif name == "[Content_Types].xml" or ctype in _NO_TEXT:
            return
        elif ctype in PROPERTY_PARTS:
            yield from DocxReader._properties(pkg.zip, name, PROPERTY_PARTS[ctype])
        elif ctype == _PML + "notesSlide+xml":
            yield from self._notes(pkg, name, page)
        elif "vmldrawing" in low or name.endswith(".vml"):
            texts = vml_texts(pkg.zip.read(name))
            if texts:
                yield Segment("\n".join(texts), Location(part="textbox", page=page, detail="VML drawing"), flow=f"xml:{name}")
        elif "comment" in low or low.endswith(".authors+xml"):  # legacy and modern comments, their authors
            texts = xml_texts(pkg.xml(name))
            if texts:
                detail = "author" if "author" in low else None
                yield Segment("\n".join(texts), Location(part="comment", page=page, detail=detail), flow=f"comment:{name}")
        elif ctype == _PML + "slide+xml":  # a slide the presentation does not list: still in the file
            yield from _shapes(pkg.xml(name), name, page, "hidden-text", None)
        elif any(_PML + word + "+xml" == ctype for word in _SHARED):
            word = next(w for w in _SHARED if ctype == _PML + w + "+xml")
            # a template's layouts and masters: the order's items are looked for, not generic data
            # (their built-in names and prompts, "Title, 2 Content", read as people and places)
            yield from (replace(s, generic=False) for s in _shapes(pkg.xml(name), name, None, "textbox", _SHARED[word]))
        elif low.startswith(("audio/", "video/")) or ("media" in low and not low.startswith("image/")):
            ctx.problem("unsupported_part", f"the presentation holds audio or video ({posixpath.basename(name)}) that cannot be checked",
                        location=Location(part="attachment", page=page, attachment=posixpath.basename(name)))
        elif low.startswith("image/"):
            yield from DocxReader._picture(pkg.zip, name, ctype, ctx)
        elif name.endswith("vbaProject.bin") or "vbaproject" in low:
            ctx.problem("unsupported_part", "the presentation holds macros (vbaProject.bin) that cannot be checked")
        elif (name.startswith(("ppt/embeddings/", "ppt/activeX/")) and not low.endswith("xml")) or "oleobject" in low:
            from .embedded import read_embedded

            yield from read_embedded(ctx, name, pkg.zip.read(name), Location(part="attachment", page=page))
        elif low.endswith("xml") or name.endswith(".xml"):
            texts = xml_texts(pkg.xml(name))
            if texts:
                part = "body" if ("chart" in low or "diagram" in low) else "metadata"
                yield Segment("\n".join(texts), Location(part=part, page=page, detail=posixpath.basename(name)), flow=f"xml:{name}")
        elif "font" in low or "printersettings" in low or pkg.zip.zf.getinfo(name).file_size == 0:
            return
        else:
            ctx.problem("unsupported_part", f"the presentation holds a part of an unknown type ({ctype or 'no content type'}) that cannot be checked")

    @staticmethod
    def _notes(pkg: Package, name: str, page: int | None) -> Iterator[Segment]:
        root = pkg.xml(name)
        where = Location(part="comment", page=page, detail="speaker notes")
        texts = [paragraphs(body) for body in root.iter() if local(body) == "txBody"]
        texts = [t for t in texts if t.strip()]
        if texts:
            yield Segment("\n".join(texts), where, flow=f"notes:{name}")


def _slides(pkg: Package) -> tuple[str, list[tuple[str, int]]]:
    main = sorted(n for n, t in pkg.types.items() if t in _MAIN) or [n for n in pkg.types if n == "ppt/presentation.xml"]
    if not main:
        raise UnreadableDocument("corrupt", "the presentation has no presentation part")
    rels = pkg.rels(main[0])
    slides = []
    listed = [e for lst in pkg.xml(main[0]) if local(lst) == "sldIdLst" for e in lst if local(e) == "sldId"]
    for page, el in enumerate(listed, start=1):  # (a section list's sldId has no relationship)
        rid = next((v for k, v in el.attrib.items() if local(k) == "id" and "relationships" in k), "")
        rel = rels.get(rid)
        if rel is None or rel.external or rel.target not in pkg.types:
            raise UnreadableDocument("corrupt", f"slide {page} of the presentation points at no part")
        slides.append((rel.target, page))
    return main[0], slides


def _source(rels_name: str) -> str:
    """The part a .rels part belongs to ("ppt/slides/_rels/slide1.xml.rels" -> "ppt/slides/slide1.xml")."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels"))


def _shapes(root: Any, name: str, page: int | None, part: str, detail: str | None) -> Iterator[Segment]:
    """A slide, layout or master: text of every shape and table cell (one flow), placeholders
    for headers, footers, dates and slide numbers apart, alt text, and the rest of its text."""
    for body in (el for el in root.iter() if local(el) == "txBody"):
        text = paragraphs(body)
        if not text.strip():
            continue
        kind = _placeholder(body)
        if kind in _FOOTERS:
            yield Segment(text, Location(part=_FOOTERS[kind], page=page, detail=detail), flow=f"{_FOOTERS[kind]}:{name}:{kind}")
        else:
            yield Segment(text, Location(part=part, page=page, detail=detail), flow=f"slide:{name}")
    for pr in (el for el in root.iter() if local(el) == "cNvPr"):
        alt = [pr.get(a) for a in ("descr", "title") if (pr.get(a) or "").strip()]
        if alt:
            yield Segment("\n".join(alt), Location(part="image", page=page, detail="alt text"), flow=f"alt:{name}:{pr.get('id')}")
    rest = xml_texts(root, frozenset({"txBody", "cNvPr"}))
    if rest:
        where = Location(part="hidden-text" if part == "hidden-text" else "metadata", page=page, detail=detail or "slide XML")
        yield Segment("\n".join(rest), where, flow=f"xml:{name}")


def _placeholder(body: Any) -> str | None:
    """The placeholder type (`p:ph type`) of the shape holding a text body, if it is one."""
    shape = body.getparent()
    if shape is None:
        return None
    for el in shape.iter():
        if local(el) == "ph":
            return el.get("type") or "body"
    return None
