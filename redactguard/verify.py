"""Prove a redacted output clean before it is kept.

Three looks, each able to veto:
1. the normal scanner, exactly as `scan` would read the output (any block finding, any problem);
2. an extractor independent of the reader that located the text: pdfminer.six for PDF, the raw
   XML of every DOCX part (tags stripped, entities decoded), a second decoding for text;
3. a residue search of the raw material: every decompressed PDF stream and the file bytes,
   every DOCX part, in latin-1 and UTF-16.
4. pictures (issue [8]): every picture is read again with OCR by the `tesseract` command, not
   the tesserocr library the redactor used, and PDF pictures are decoded by PDFium, not the
   pypdf route the redactor painted them with; their metadata (EXIF, XMP, comments) is searched
   too, and a GPS position left in any picture is a residue, since redaction strips them all.
Each look runs the same detection (`Targets.find`; `Targets.find_read` for OCR text, which also
matches through OCR's misreadings) over what it extracted. A hit anywhere is a `Residue`: the
output is discarded.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from .document import Location
from .readers.archive import is_folder
from .redactors.base import Targets

__all__ = ["Residue", "verify_output"]


@dataclass(frozen=True)
class Residue:
    """Withheld text still present in an output (masked)."""

    check: str  # scanner | independent | raw | picture | file name (the copy's own name)
    location: Location
    item: str
    excerpt: str

    def to_dict(self) -> dict[str, object]:
        return {"check": self.check, "item": self.item, "location": self.location.to_dict(), "excerpt": self.excerpt}


def verify_output(data: bytes, kind: str, targets: Targets, name: str = "output") -> list[Residue]:
    """Every residue of withheld text in `data` (an empty list means verified clean)."""
    if kind == "zip":
        return list(_zip_members(data, targets, name))
    residues = list(_scanner_look(data, targets, name))
    extract = {"pdf": _pdf_independent, "docx": _docx_independent, "text": _text_independent}.get(kind)
    if extract is not None:
        for label, text, location in extract(data):
            residues.extend(_find(targets, text, label, location))
    raw = {"pdf": _pdf_raw, "docx": _docx_raw}.get(kind, _bytes_raw)
    for text, location in raw(data):
        residues.extend(_find(targets, text, "raw", location))
    pictures = {"pdf": _pdf_pictures, "docx": _docx_pictures, "image": _picture_file}.get(kind)
    if pictures is not None:
        residues.extend(_picture_look(pictures(data), targets))
    return residues


def _zip_members(data: bytes, targets: Targets, name: str) -> Iterator[Residue]:
    from .readers.sniff import sniff

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if is_folder(info):
                continue
            blob = zf.read(info)
            for r in verify_output(blob, sniff(blob), targets, f"{name}!/{info.filename}"):
                yield Residue(r.check, r.location.within(info.filename), r.item, r.excerpt)


def _find(targets: Targets, text: str, check: str, location: Location) -> list[Residue]:
    return [Residue(check, location, s.item.id, targets.excerpt(text, s)) for s in targets.find(text)]


def _scanner_look(data: bytes, targets: Targets, name: str) -> Iterator[Residue]:
    result = targets.scanner.scan_bytes(data, name)
    for f in result.findings:
        if f.severity == "block" and f.item is not None:
            yield Residue("scanner", f.location, f.item, f.excerpt)
    for p in result.problems:
        yield Residue("scanner", p.location or Location(page=p.page), f"problem:{p.code}", p.message)


# ----------------------------------------------------------------------------- PDF


def _pdf_independent(data: bytes) -> Iterator[tuple[str, str, Location]]:
    """pdfminer.six's own parser and layout analysis, page by page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    pages = extract_pages(io.BytesIO(data), laparams=LAParams(all_texts=True))
    for number, page in enumerate(pages, 1):
        text = "\n".join(el.get_text() for el in page if isinstance(el, LTTextContainer))
        yield "independent", text, Location(page=number)


def _pdf_raw(data: bytes) -> Iterator[tuple[str, Location]]:
    """The file's bytes and every stream object decompressed, as latin-1 and UTF-16 text."""
    yield from _bytes_raw(data)
    for chunk in _pdf_streams(data):
        yield from _bytes_raw(chunk, Location(part="body", detail="stream"))


def _pdf_streams(data: bytes) -> Iterator[bytes]:
    import zlib

    for m in re.finditer(rb"stream\r?\n", data):
        start = m.end()
        end = data.find(b"endstream", start)
        if end == -1:
            continue
        raw = data[start:end]
        try:
            yield zlib.decompressobj().decompress(raw, 50 * 1024 * 1024)
        except zlib.error:
            yield raw


# ----------------------------------------------------------------------------- DOCX


def _docx_parts(data: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if not is_folder(info):
                yield info.filename, zf.read(info)


def _docx_independent(data: bytes) -> Iterator[tuple[str, str, Location]]:
    """Every XML part's character data, tags stripped, without the reader's walker."""
    import html

    for name, blob in _docx_parts(data):
        if name.endswith((".xml", ".rels")) or blob.lstrip()[:5] == b"<?xml":
            text = blob.decode("utf-8", "replace")
            attrs = " ".join(re.findall(r'="([^"]{4,})"', text))
            stripped = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>|<w:br/>|<w:tab/>", "\n", text))
            yield "independent", html.unescape(stripped + "\n" + attrs), Location(part="body", detail=name)


def _docx_raw(data: bytes) -> Iterator[tuple[str, Location]]:
    for name, blob in _docx_parts(data):
        if not name.endswith((".xml", ".rels")):
            yield from _bytes_raw(blob, Location(part="attachment", detail=name))


# ----------------------------------------------------------------------------- pictures

#: What the picture look reads: (where, a picture to OCR or None, metadata source or None).
_Picture = tuple[Location, Any, Any]


def _picture_look(pictures: Iterator[_Picture], targets: Targets) -> Iterator[Residue]:
    """OCR every picture again with the `tesseract` command and search its text and metadata."""
    from .errors import UnreadableDocument
    from .ocr import Ocr, gps_position, read_metadata

    ocr = Ocr(engine="tesseract")
    try:
        for where, image, metadata in pictures:
            if image is not None:
                text = ocr.read(image).text_map()[0]
                for span in targets.find_read(text):
                    yield Residue("picture", where, span.item.id, targets.excerpt(text, span))
            if metadata is not None:
                meta = replace(where, part="image-metadata")
                for line in read_metadata(metadata):
                    for span in targets.find(line.text):
                        yield Residue("picture", replace(meta, detail=line.name), span.item.id, targets.excerpt(line.text, span))
                if gps_position(metadata) is not None:
                    yield Residue("picture", meta, "gps", "[GPS position]")
    except UnreadableDocument as exc:  # a picture that cannot be read again cannot be proved clean
        yield Residue("picture", Location(part="image"), f"problem:{exc.code}", str(exc))


def _pdf_pictures(data: bytes) -> Iterator[_Picture]:
    """Every picture each page draws (PDFium), and the metadata of every JPEG stream."""
    from .ocr.embedded import pdf_pictures

    for page, image in pdf_pictures(data):
        yield Location(part="image", page=page), image, None
    for chunk in _pdf_streams(data):
        if chunk[:3] == b"\xff\xd8\xff":
            yield Location(part="image"), None, chunk


def _docx_pictures(data: bytes) -> Iterator[_Picture]:
    """Every part that is a raster picture, each frame (vector pictures are in the raw look)."""
    for name, blob in _docx_parts(data):
        if not name.endswith((".xml", ".rels")) and _is_picture(blob):
            yield from _frames(blob, Location(part="image", image=name))


def _picture_file(data: bytes) -> Iterator[_Picture]:
    yield from _frames(data, Location(part="image"))


def _frames(data: bytes, where: Location) -> Iterator[_Picture]:
    from PIL import ImageSequence

    from .ocr.metadata import open_picture

    picture = open_picture(data)
    frames = list(ImageSequence.Iterator(picture))
    for number, frame in enumerate(frames, start=1):
        yield (replace(where, page=number) if len(frames) > 1 else where), frame.copy(), None
    yield where, None, data


def _is_picture(blob: bytes) -> bool:
    from .readers.sniff import sniff

    return sniff(blob) == "image"


# ----------------------------------------------------------------------------- text and bytes


def _text_independent(data: bytes) -> Iterator[tuple[str, str, Location]]:
    for enc in ("utf-8", "cp1252", "utf-16"):
        yield "independent", data.decode(enc, "ignore"), Location()


def _bytes_raw(data: bytes, location: Location | None = None) -> Iterator[tuple[str, Location]]:
    where = location or Location(detail="bytes")
    yield data.decode("latin-1"), where
    if b"\x00" in data:
        for enc in ("utf-16-le", "utf-16-be"):
            yield data[: len(data) // 2 * 2].decode(enc, "ignore"), where
