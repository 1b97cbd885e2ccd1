"""DOCX: every part a recipient could recover text from, read straight from the package.

Stories (body, headers, footers, footnotes, endnotes, comments, glossary) are walked run by run,
so each piece of text carries its part: tracked insertions and deletions (`w:ins`, `w:del`,
moves), hidden text (`w:vanish`), text boxes (DrawingML and the VML fallback), field
instructions, picture alt text. Core, app and custom properties are `metadata`; external
relationship targets (hyperlinks) are `link`; embedded packages are read as attachments, and
embedded objects that cannot be read are `unsupported_part` (fail closed). Every picture part
is read by OCR (`image`, boxes in pixels) and its EXIF/XMP read (`image-metadata`).

XML is parsed with entity resolution, DTDs and network access off, so a hostile part cannot
expand entities or reach outside the file.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .package import ZipPackage
from .sniff import TEXT_KINDS

__all__ = ["DocxReader", "W", "parse_xml", "DocxPackage", "STORY_PARTS", "PROPERTY_PARTS", "NON_TEXT_PARTS"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_V = "{urn:schemas-microsoft-com:vml}"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
#: Story parts by content type -> (part name, flow prefix)
STORY_PARTS = {
    _WML + "document.main+xml": "body",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "body",
    _WML + "template.main+xml": "body",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "body",
    _WML + "document.glossary+xml": "body",
    _WML + "header+xml": "header",
    _WML + "footer+xml": "footer",
    _WML + "footnotes+xml": "footnote",
    _WML + "endnotes+xml": "endnote",
    _WML + "comments+xml": "comment",
}
PROPERTY_PARTS = {
    "application/vnd.openxmlformats-package.core-properties+xml": "core",
    "application/vnd.openxmlformats-officedocument.extended-properties+xml": "app",
    "application/vnd.openxmlformats-officedocument.custom-properties+xml": "custom",
}
#: Properties that name the producing program ("Microsoft Macintosh Word"): not personal data,
#: so only the order's items are looked for there (`Segment.generic`).
_PRODUCER_FIELDS = frozenset({("app", "Application"), ("app", "AppVersion")})
#: XML parts that hold layout and definitions, not document text.
NON_TEXT_PARTS = {
    _WML + "styles+xml", _WML + "settings+xml", _WML + "fontTable+xml", _WML + "webSettings+xml",
    _WML + "numbering+xml", "application/vnd.openxmlformats-officedocument.theme+xml",
    _WML + "commentsExtended+xml", "application/vnd.ms-word.commentsIds+xml",
    "application/vnd.ms-word.stylesWithEffects+xml", _WML + "people+xml",
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    "application/vnd.ms-word.commentsExtensible+xml", "application/vnd.ms-word.people+xml",
    "application/vnd.openxmlformats-package.relationships+xml",
    "application/vnd.openxmlformats-officedocument.drawingml.chartshapes+xml",
}
_IMAGE_PREFIX = "image/"
#: Root elements (local names) of the XML parts that hold layout and definitions, not text.
_LAYOUT_ROOTS = {
    "styles", "settings", "fonts", "webSettings", "numbering", "theme", "themeOverride",
    "Relationships", "Types", "people", "commentsEx", "commentsIds", "commentsExtensible",
    "datastoreItem", "userShapes",
}
#: Root elements of story parts, to know a story whatever content type it is declared with.
_STORY_ROOTS = {
    f"{W}document": "body", f"{W}glossaryDocument": "body", f"{W}hdr": "header", f"{W}ftr": "footer",
    f"{W}footnotes": "footnote", f"{W}endnotes": "endnote", f"{W}comments": "comment",
}
_STORY_TAGS = {f"{W}p", f"{W}tbl"}
_TEXT_TAGS = (f"{W}t", f"{W}delText")


def parse_xml(data: bytes, *, comments: bool = False) -> Any:
    """Parse one XML part safely (no entities, no DTD, no network); XML comments are dropped
    unless `comments` (in a package they are never shown; in an XML file they are its text)."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=not comments,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument("corrupt", f"an XML part is malformed (line {exc.lineno})") from None
    if root is None:
        raise UnreadableDocument("corrupt", "an XML part is empty")
    if root.getroottree().docinfo.internalDTD is not None:
        # OOXML forbids DTDs and Word refuses them. Entities are never expanded here (no billion
        # laughs, no file:///etc/passwd), so the text they declare would go unchecked: fail closed.
        raise UnreadableDocument("unsupported_part", "an XML part declares a DTD (entities), which cannot be checked")
    return root


@dataclass
class DocxPackage(ZipPackage):
    """An OOXML package (DOCX, and the XLSX and PPTX readers' too) and its content types."""

    types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, data: bytes, ctx: ReadContext, label: str = "DOCX package") -> DocxPackage:
        zf, names = cls.open_zip(data, ctx, label)
        pkg = cls(zf, ctx, label, names)
        if "[Content_Types].xml" not in names:
            raise UnreadableDocument("corrupt", f"the {label} has no [Content_Types].xml")
        pkg.types = pkg._content_types(zf.namelist())
        return pkg

    def _content_types(self, names: list[str]) -> dict[str, str]:
        root = parse_xml(self.read("[Content_Types].xml"))
        defaults = {el.get("Extension", "").lower(): el.get("ContentType", "") for el in root.iter(f"{_CT}Default")}
        overrides = {el.get("PartName", "").lstrip("/"): el.get("ContentType", "") for el in root.iter(f"{_CT}Override")}
        types = {}
        for name in names:
            if name.endswith("/"):
                continue
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            types[name] = overrides.get(name) or defaults.get(ext, "")
        return types


class _StoryWalker:
    """Turns one story part into segments, run by run, each with its part name."""

    def __init__(self, part: str, flow: str):
        self.base_part = part
        self.flow = flow
        self.pieces: list[tuple[str, str]] = []  # (text, part) of the current paragraph
        self.out: list[Segment] = []
        self.accounted = 0  # characters of w:t / w:delText read, or skipped as a duplicate

    def walk(self, root: Any) -> list[Segment]:
        self._children(root, self.base_part)
        self._end_paragraph()
        return self.out

    def missed(self, root: Any) -> bool:
        """True if the part holds w:t text the walk did not reach (a construct it does not know)."""
        return self.accounted < sum(len(t.text or "") for t in root.iter(*_TEXT_TAGS))

    def _emit(self, text: str, part: str) -> None:
        if text:
            self.pieces.append((text, part))

    def _end_paragraph(self) -> None:
        merged: list[tuple[str, str]] = []
        for text, part in self.pieces:
            if merged and merged[-1][1] == part:
                merged[-1] = (merged[-1][0] + text, part)
            else:
                merged.append((text, part))
        for text, part in merged:
            self.out.append(Segment(text, Location(part=part), flow=self.flow))
        self.pieces = []

    def _children(self, el: Any, part: str) -> None:
        for child in el.iterchildren():
            self._element(child, part)

    def _element(self, el: Any, part: str) -> None:  # noqa: C901 - one branch per WordprocessingML construct
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == f"{W}p":
            self._children(el, part)
            self._emit("\n", part)
            self._end_paragraph()
        elif tag in _TEXT_TAGS:  # outside a run, or wrapped in an unknown element: still text
            self._text(el, part)
        elif tag == f"{W}r":
            self._run(el, part)
        elif tag in (f"{W}del", f"{W}ins", f"{W}moveFrom", f"{W}moveTo"):
            self._children(el, "tracked-change")
        elif tag == f"{W}txbxContent":
            outer = self.pieces
            self.pieces = []
            self._children(el, "textbox")
            self._end_paragraph()
            self.pieces = outer
        elif tag == f"{_MC}AlternateContent":
            self._alternate(el, part)
        elif tag == f"{W}fldSimple":
            self._emit(" " + (el.get(f"{W}instr") or "") + " ", _field_part(el.get(f"{W}instr") or "", part))
            self._children(el, part)
        elif tag == f"{_WP}docPr" or tag == f"{_PIC}cNvPr":
            for attr in ("descr", "title"):
                if el.get(attr):
                    self._emit(" " + el.get(attr) + " ", "image")
        elif tag == f"{_V}shape" or tag == f"{_V}rect" or tag == f"{_V}imagedata":
            for attr in ("alt", "title", "{urn:schemas-microsoft-com:office:office}title"):
                if el.get(attr):
                    self._emit(" " + el.get(attr) + " ", "image")
            self._children(el, part)
        else:
            self._children(el, part)

    def _run(self, run: Any, part: str) -> None:
        rpr = run.find(f"{W}rPr")
        if rpr is not None and (rpr.find(f"{W}vanish") is not None or rpr.find(f"{W}specVanish") is not None):
            vanish = rpr.find(f"{W}vanish")
            if vanish is None or vanish.get(f"{W}val") not in ("0", "false", "off"):
                part = "hidden-text" if part in ("body", "header", "footer", "footnote", "endnote", "comment") else part
        for child in run.iterchildren():
            tag = child.tag
            if tag == f"{W}t" or tag == f"{W}delText":
                self._text(child, part)
            elif tag == f"{W}instrText" or tag == f"{W}delInstrText":
                text = child.text or ""
                self._emit(" " + text + " ", _field_part(text, part))
            elif tag == f"{W}tab":
                self._emit("\t", part)
            elif tag in (f"{W}br", f"{W}cr"):
                self._emit("\n", part)
            elif tag == f"{W}noBreakHyphen":
                self._emit("-", part)
            elif tag == f"{W}sym":
                continue
            elif tag != f"{W}rPr":
                self._element(child, part)

    def _text(self, el: Any, part: str) -> None:
        self._emit(el.text or "", part)
        self.accounted += len(el.text or "")

    def _alternate(self, el: Any, part: str) -> None:
        """mc:Choice is what Word shows; every other Choice and the Fallback are read too unless
        they say the same."""
        read: list[str] = []
        for option in el.iterchildren(f"{_MC}Choice", f"{_MC}Fallback"):
            said = _text_of(option)
            if read and said in read:
                self.accounted += sum(len(t.text or "") for t in option.iter(*_TEXT_TAGS))
                continue
            read.append(said)
            self._element_group(option, part)

    def _element_group(self, el: Any, part: str) -> None:
        self._children(el, part)


def _text_of(el: Any) -> str:
    return " ".join("".join(t.text or "" for t in el.iter(f"{W}t")).split())


def _field_part(instruction: str, part: str) -> str:
    return "link" if instruction.strip().upper().startswith(("HYPERLINK", "INCLUDETEXT", "INCLUDEPICTURE")) else part


class DocxReader:
    type = "docx"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        pkg = DocxPackage.open(data, ctx)
        main = [n for n, t in pkg.types.items() if STORY_PARTS.get(t) == "body" and "glossary" not in t]
        if not main:
            raise UnreadableDocument("corrupt", "the DOCX has no main document part")
        for name in _ordered(pkg.types):
            ctx.check_time()
            ctype = pkg.types[name]
            if name.endswith(".rels"):
                yield from self._links(pkg, name)
            elif ctype in STORY_PARTS:
                yield from self._story(pkg, name, ctx)
            elif ctype in PROPERTY_PARTS:
                yield from self._properties(pkg, name, PROPERTY_PARTS[ctype])
            elif name == "[Content_Types].xml":
                continue
            elif ctype in NON_TEXT_PARTS or _no_text(ctype):
                yield from self._disguised(pkg, name, ctx)
            elif ctype.startswith(_IMAGE_PREFIX) or name.startswith("word/media/"):
                yield from self._picture(pkg, name, ctype, ctx)
            elif name.startswith(("word/embeddings/", "word/activeX/")) or "oleObject" in ctype or "package" == ctype.rsplit("/", 1)[-1]:
                yield from self._embedded(pkg, name, ctx)
            elif name.endswith("vbaProject.bin") or "vbaProject" in ctype:
                ctx.problem("unsupported_part", "the document holds macros (vbaProject.bin) that cannot be checked")
            elif ctype.endswith("xml") or name.endswith(".xml"):
                yield from self._other_xml(pkg, name, "body" if "drawingml" in ctype else "metadata")
            elif ctype.startswith(("text/", "message/")) or ctype == "application/rtf" or not ctype:
                yield from self._loose(pkg, name, ctype, ctx)
            elif pkg.zf.getinfo(name).file_size == 0:
                continue
            else:
                ctx.problem("unsupported_part", f"the document holds a part of an unknown type ({ctype or 'no content type'}) that cannot be checked")

    @staticmethod
    def _links(pkg: DocxPackage, name: str) -> Iterator[Segment]:
        root = parse_xml(pkg.read(name))
        for rel in root.iter(f"{_REL}Relationship"):
            if rel.get("TargetMode") == "External" and rel.get("Target"):
                target = unquote(rel.get("Target"))
                yield Segment(target, Location(part="link"), flow=f"link:{name}:{rel.get('Id')}")

    @staticmethod
    def _properties(pkg: DocxPackage, name: str, kind: str) -> Iterator[Segment]:
        root = parse_xml(pkg.read(name))
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            text = (el.text or "").strip()
            if text:
                field = el.tag.rsplit("}", 1)[-1]
                if kind == "custom" and el.getparent() is not None:
                    field = "custom"
                yield Segment(text, Location(part="metadata", detail=f"{kind}:{field}"), flow=f"metadata:{name}:{id(el)}",
                              generic=(kind, field) not in _PRODUCER_FIELDS)

    @staticmethod
    def _other_xml(pkg: DocxPackage, name: str, part: str) -> Iterator[Segment]:
        """Charts, diagrams, custom XML data and unknown XML parts: all their text."""
        root = parse_xml(pkg.read(name))
        texts = [t.strip() for t in root.itertext() if t and t.strip()]
        for el in root.iter():
            if isinstance(el.tag, str):
                texts.extend(v for v in el.attrib.values() if len(v) > 3 and " " in v)
        if texts:
            yield Segment("\n".join(texts), Location(part=part, detail=posixpath.basename(name)), flow=f"xml:{name}")

    @classmethod
    def _loose(cls, pkg: DocxPackage, name: str, ctype: str, ctx: ReadContext) -> Iterator[Segment]:
        """Parts Word shows inline (altChunk HTML, RTF, MHT, text) or that have no content type."""
        from .html import html_segments
        from .html_attrs import decode_html

        data = pkg.read(name)
        if not data.strip():
            return
        if ctype == "text/html" or (not ctype and data.lstrip()[:1] == b"<" and b"<html" in data[:2048].lower()):
            yield from html_segments(decode_html(data), ctx, flow=f"chunk:{name}")
        elif not ctype and data.lstrip()[:1] == b"<":
            yield from cls._other_xml(pkg, name, "metadata")
        else:
            yield from ctx.read_attachment(posixpath.basename(name), data, Location(part="attachment"))

    @classmethod
    def _story(cls, pkg: DocxPackage, name: str, ctx: ReadContext) -> Iterator[Segment]:
        """A part declared as a story: walked as one if it is one, else read for all its text."""
        root = parse_xml(pkg.read(name))
        if root.tag not in _STORY_ROOTS:  # e.g. custom properties declared as a header
            yield from cls._other_xml(pkg, name, "metadata")
            return
        yield from cls._walk(root, name, _STORY_ROOTS[root.tag], ctx)

    @staticmethod
    def _walk(root: Any, name: str, part: str, ctx: ReadContext) -> Iterator[Segment]:
        walker = _StoryWalker(part, f"{part}:{name}")
        yield from walker.walk(root)
        if walker.missed(root):
            ctx.problem("corrupt", f"a story part ({posixpath.basename(name)}) holds text in a construct that could not be read")

    @staticmethod
    def _disguised(pkg: DocxPackage, name: str, ctx: ReadContext) -> Iterator[Segment]:
        """A part declared as layout, a font or a picture is skipped only if it is one.

        The content type is the file's own claim: a header declared `image/png` or as styles is
        still a header to anyone who unzips the file, so it is read by what it holds."""
        from .sniff import sniff

        head = pkg.head(name, 65536)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
            root = parse_xml(pkg.read(name))
            part = _STORY_ROOTS.get(root.tag)
            if part is not None:
                yield from DocxReader._walk(root, name, part, ctx)
            elif str(root.tag).rsplit("}", 1)[-1] not in _LAYOUT_ROOTS:  # properties, data, SVG...
                yield from DocxReader._other_xml(pkg, name, "metadata")
            return
        if sniff(head) in _DOCUMENT_KINDS:
            yield from ctx.read_attachment(posixpath.basename(name), pkg.read(name), Location(part="attachment"))

    @staticmethod
    def _picture(pkg: DocxPackage, name: str, ctype: str, ctx: ReadContext) -> Iterator[Segment]:
        """A picture part, wherever it is shown (inline or floating, in any story, VML or
        DrawingML) or not shown at all: its metadata, and its writing by OCR (boxes in pixels).

        Every picture part of the package is read, referenced or not: a recipient who unzips
        the file sees them all.
        """
        from PIL import Image

        from .pictures import could_hold_writing, ocr_picture, picture_metadata

        if "svg" in ctype.lower() or name.lower().endswith(".svg"):  # XML: its text is read as text
            yield from DocxReader._other_xml(pkg, name, "image")
            return
        from .sniff import sniff

        head = pkg.head(name, 65536)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" or sniff(head) in _DOCUMENT_KINDS:
            yield from DocxReader._disguised(pkg, name, ctx)  # a story or a document declared as a picture
            return
        data = pkg.read(name)
        if not data:
            return
        what = f"picture {name}"
        from .metafile import is_metafile, read_metafile

        if is_metafile(data):  # EMF/WMF/EMZ/WMZ, whatever the name says: text records, bitmaps by OCR
            yield from read_metafile(ctx, data, location=Location(part="image", image=name), flow=f"image:{name}", what=what)
            return
        try:
            picture = Image.open(io.BytesIO(data))
            picture.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            if _vector_picture(ctype, name):  # named a vector drawing, but no metafile redactguard reads
                ctx.problem("unsupported_part", f"{what} is a vector drawing of a kind that cannot be read",
                            location=Location(part="image", image=name))
            else:
                ctx.problem("corrupt", f"{what} cannot be decoded", location=Location(part="image", image=name))
            return
        yield from picture_metadata(ctx, data, location=Location(part="image-metadata", image=name),
                                    flow=f"image-metadata:{name}", what=what)
        if could_hold_writing(*picture.size):
            # The package thumbnail is the first page shrunk to about 256 pixels: its body text is a
            # few pixels high, as illegible to a person as to OCR, so unsure words there are not a
            # problem; writing large enough to read (a stale title, a heading) is still matched.
            thumbnail = name.startswith("docProps/thumbnail")
            yield from ocr_picture(ctx, picture, location=Location(part="image", image=name),
                                   flow=f"image:{name}", what=what, preview=thumbnail)

    @staticmethod
    def _embedded(pkg: DocxPackage, name: str, ctx: ReadContext) -> Iterator[Segment]:
        from .embedded import read_embedded

        yield from read_embedded(ctx, name, pkg.read(name), Location(part="attachment"))


#: Kinds read as documents of their own where a part turns out to be one: text and markup too
#: (markup without a reader then fails closed as an attachment, never skipped).
_DOCUMENT_KINDS = TEXT_KINDS | {"pdf", "docx", "zip", "eml"}


def _vector_picture(ctype: str, name: str) -> bool:
    return any(k in ctype.lower() for k in ("emf", "wmf", "svg")) or name.lower().endswith((".emf", ".wmf", ".svg", ".emz", ".wmz"))


def _no_text(ctype: str) -> bool:
    """Fonts and printer settings: binary parts that carry no document text."""
    return "font" in ctype.lower() or "printerSettings" in ctype


def _ordered(types: dict[str, str]) -> list[str]:
    """Main document first, then the other parts in name order (stable reports)."""
    def key(name: str) -> tuple[int, str]:
        ctype = types[name]
        rank = 0 if STORY_PARTS.get(ctype) == "body" and "glossary" not in ctype else 1
        return rank, name

    return sorted(types, key=key)

