"""OpenDocument (ODT, ODS, ODP and their templates): every member of the package read.

The XML parts are read directly (lxml through `parse_xml`: no entities, DTDs or network), each
walked by `opendocument_walk` into text with its place: content.xml, styles.xml (master pages:
headers and footers of every kind, slide masters), meta.xml, settings.xml, the subdocuments of
embedded objects ("Object 1/content.xml": charts, formulas, other documents) and any other XML.
Pictures (`Pictures/`, the package thumbnail, pictures stored inline as base64) are read by OCR
with their metadata; EMF and WMF pictures by their text records (`readers/metafile.py`);
StarView pictures (SVM: LibreOffice's own vector format, and the object replacements it draws
for charts and formulas) are drawn by LibreOffice into a PDF whose text is read
(`metafile_render.read_drawn`; `unsupported_part` without LibreOffice); binary objects (OLE, documents) are read as
attachments (`readers/embedded.py`); macros are `unsupported_part`. An encrypted package
(`manifest:encryption-data`) is `encrypted`. A member of a kind not known here fails closed.
"""

from __future__ import annotations

import base64
import binascii
import io
import posixpath
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .metafile import is_metafile, read_metafile
from .metafile_render import read_drawn
from .opendocument_schema import Run, StyleIndex, ns
from .opendocument_walk import walk_part
from .package import ZipPackage

__all__ = ["OdtReader", "OdsReader", "OdpReader", "OdfPackage", "parse_part", "odf_members", "is_xml", "MACRO_FOLDERS"]

_MANIFEST = "META-INF/manifest.xml"
#: Folders of Basic and script macros: code that can change the text when the file opens.
MACRO_FOLDERS = ("Basic/", "Scripts/")
#: Library lists in those folders (names of libraries and modules, no code).
_MACRO_LISTS = ("script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml")
#: Writer's layout cache: paragraph and table positions as binary numbers, no text.
_LAYOUT_CACHE = "layout-cache"


def parse_part(data: bytes) -> Any:
    """One XML part, parsed safely; a DTD is refused in the words of this format."""
    from .docx import parse_xml

    try:
        return parse_xml(data)
    except UnreadableDocument as exc:
        if exc.code == "unsupported_part":
            raise UnreadableDocument("unsupported_part", "an XML part declares a DTD (entities), which OpenDocument does not use") from None
        raise


def is_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


class OdfPackage(ZipPackage):
    """An OpenDocument package; an encrypted one (its manifest says so) is `encrypted`."""

    @classmethod
    def open(cls, data: bytes, ctx: ReadContext) -> OdfPackage:
        label = "OpenDocument package"
        zf, names = cls.open_zip(data, ctx, label)
        pkg = cls(zf, ctx, label, names)
        if _MANIFEST in pkg.names and _encrypted(parse_part(pkg.read(_MANIFEST))):
            raise UnreadableDocument("encrypted", "the OpenDocument file is encrypted (password-protected)")
        return pkg


def _encrypted(manifest: Any) -> bool:
    return next(manifest.iter(ns("manifest:encryption-data")), None) is not None


def odf_members(names: list[str]) -> set[str]:
    """Member names and every folder above them (links to `./Object 1` name a folder)."""
    out = set(names)
    for name in names:
        parts = name.split("/")
        out.update("/".join(parts[:i]) for i in range(1, len(parts)))
    return out


def _ordered(names: list[str]) -> list[str]:
    """content.xml first, then styles, meta and settings, then the rest by name."""
    first = {"content.xml": 0, "styles.xml": 1, "meta.xml": 2, "settings.xml": 3}
    return sorted(names, key=lambda n: (first.get(n, 4), n))


class _OdfReader:
    type = "odt"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        pkg = OdfPackage.open(data, ctx)
        if "content.xml" not in pkg.names:
            raise UnreadableDocument("corrupt", "the OpenDocument package has no content.xml")
        part = _Parts(pkg, ctx)
        for name in _ordered(pkg.names):
            ctx.check_time()
            if name in ("mimetype", _MANIFEST) or pkg.size(name) == 0:
                continue
            yield from part.read(name)
        if part.slides:
            ctx.pages = part.slides


class OdtReader(_OdfReader):
    type = "odt"


class OdsReader(_OdfReader):
    type = "ods"


class OdpReader(_OdfReader):
    type = "odp"


class _Parts:
    """Reads one member at a time, by what it holds."""

    def __init__(self, pkg: OdfPackage, ctx: ReadContext):
        self.pkg = pkg
        self.ctx = ctx
        self.members = odf_members(pkg.names)
        self.style_roots: dict[str, Any] = {}
        self.slides = 0

    def read(self, name: str) -> Iterator[Segment]:
        head = self.pkg.head(name, 4096)
        if name.startswith(MACRO_FOLDERS):
            # the library lists only name the modules (OpenOffice writes them with a DOCTYPE);
            # a module is code that can change the text when the file opens
            if posixpath.basename(name) not in _MACRO_LISTS:
                self.ctx.problem("unsupported_part", "the document holds macros (Basic or scripts) that cannot be checked")
        elif is_xml(head):
            yield from self.xml(name)
        elif is_metafile(head):  # EMF, WMF and their gzip forms: text records, bitmaps by OCR
            yield from read_metafile(self.ctx, self.pkg.read(name), location=Location(part="image", image=name),
                                     flow=f"image:{name}", what=f"picture {name}")
        elif head.startswith(b"VCLMTF"):  # StarView (LibreOffice's own: the object replacements)
            yield from read_drawn(self.ctx, self.pkg.read(name), location=Location(part="image", image=name),
                                  flow=f"image:{name}", what=f"picture {name}")
        elif _vector(head, name):  # named as a vector drawing but none of the kinds read here
            self.ctx.problem("unsupported_part", f"picture {name} is a vector drawing that cannot be read",
                             location=Location(part="image", image=name))
        elif _is_picture(head):
            yield from picture_segments(self.ctx, name, self.pkg.read(name), thumbnail=name.startswith("Thumbnails/"))
        elif name == _LAYOUT_CACHE and not _document_kind(head):
            return
        else:
            from .embedded import read_embedded

            yield from read_embedded(self.ctx, name, self.pkg.read(name), Location(part="attachment"))

    def xml(self, name: str) -> Iterator[Segment]:
        folder = posixpath.dirname(name)
        try:
            cached = self.style_roots.get(folder) if posixpath.basename(name) == "styles.xml" else None
            root = cached if cached is not None else parse_part(self.pkg.read(name))
        except UnreadableDocument as exc:
            if exc.code not in ("corrupt", "unsupported_part"):
                raise
            self.ctx.problem(exc.code, f"{name}: {exc}", location=Location(part="metadata", detail=name))
            return
        runs, binaries = walk_part(root, styles=StyleIndex([*self._styles(folder), root]), members=self.members,
                                   detail=folder or None)
        if root.tag in (ns("office:document-content"), ns("office:document")):
            self.slides = max(self.slides, sum(1 for _ in root.iter(ns("draw:page"))))
        yield from segments(runs, name)
        for number, (place, encoded) in enumerate(binaries, start=1):
            label = f"{name} picture {number}"
            try:
                data = base64.b64decode(encoded, validate=False)
            except (binascii.Error, ValueError):
                self.ctx.problem("corrupt", f"{label} cannot be decoded", location=place.location())
                continue
            self.ctx.account(len(data))
            yield from picture_segments(self.ctx, label, data, thumbnail=False)

    def _styles(self, folder: str) -> list[Any]:
        """The styles.xml beside a part (its document's or its embedded object's)."""
        if folder not in self.style_roots:
            name = posixpath.join(folder, "styles.xml") if folder else "styles.xml"
            root = None
            if name in self.pkg.names:
                try:
                    root = parse_part(self.pkg.read(name))
                except UnreadableDocument:
                    root = None  # reported when the part itself is read
            self.style_roots[folder] = root
        root = self.style_roots[folder]
        return [] if root is None else [root]


#: Metadata that names the producing program ("LibreOffice/7.4$Linux_X86_64"): not personal data.
_PRODUCER_FIELDS = frozenset({"meta:generator"})


def segments(runs: list[Run], name: str) -> Iterator[Segment]:
    for run in runs:
        location = run.place.location()
        yield Segment(run.text, location, flow=f"{name}:{run.flow}", generic=location.detail not in _PRODUCER_FIELDS)


def picture_segments(ctx: ReadContext, name: str, data: bytes, *, thumbnail: bool) -> Iterator[Segment]:
    """A picture's metadata and its writing by OCR (boxes in pixels).

    The thumbnail is page one shrunk to about 256 pixels: body text there is a few pixels high,
    so unsure words are not a problem; writing large enough to read is still matched."""
    from PIL import Image

    from .pictures import could_hold_writing, ocr_picture, picture_metadata

    what = f"picture {name}"
    where = Location(part="image", image=name)
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        ctx.problem("corrupt", f"{what} cannot be decoded", location=where)
        return
    yield from picture_metadata(ctx, data, location=Location(part="image-metadata", image=name),
                                flow=f"image-metadata:{name}", what=what)
    if could_hold_writing(*picture.size):
        yield from ocr_picture(ctx, picture, location=where, flow=f"image:{name}", what=what, preview=thumbnail)


def _is_picture(head: bytes) -> bool:
    from .sniff import sniff

    return sniff(head) == "image"


def _document_kind(head: bytes) -> bool:
    from .sniff import sniff

    return sniff(head) not in ("unknown", "image")


#: Vector pictures by name: StarView, and Windows and Enhanced metafiles that are not metafiles.
_VECTOR_SUFFIXES = (".svm", ".wmf", ".emf", ".wmz", ".emz")


def _vector(head: bytes, name: str) -> bool:
    return head.startswith(b"VCLMTF") or name.lower().endswith(_VECTOR_SUFFIXES)
