"""Pictures: withheld words painted out of the pixels, the picture encoded afresh, metadata gone.

A picture is read with OCR (the scanner's own engine settings), its text searched with
`Targets.find_read` (the scanner's detection, also through OCR's misreadings), and the ink of
every word a withheld span touches is painted over, opaque and uniform, in the page's own ink
tone with a margin of a few per cent of the glyph height (`ocr.paint_out`: a wider block would
make Tesseract misread the words around it, issue [12]).
A painted picture is encoded again from its pixels alone (`ocr.reencode`): no byte of the
original JPEG stream, no EXIF, XMP, ICC profile, comment or thumbnail survives. A picture with
nothing to paint is still stripped of its metadata: a JPEG losslessly (its metadata segments are
cut, the image data kept), anything else by a lossless re-encode.

This module holds the picture core that the PDF and DOCX redactors share, and the redactor of
picture files (PNG, JPEG, TIFF with every frame). What OCR cannot read (handwriting, very faint
print) is not redacted here: the scan before redaction fails such a picture closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..document import Location, Problem
from ..errors import UnreadableDocument
from .base import RedactionResult, Removal, Targets

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..ocr import Ocr, OcrPage

__all__ = [
    "PaintedPicture", "paint_withheld", "redact_picture", "strip_jpeg_metadata", "metadata_removals", "ocr_for",
    "ImageRedactor",
    "PICTURE_FORMATS",
]

#: Picture formats written back in their own format; others are refused (fail closed).
PICTURE_FORMATS = ("JPEG", "PNG", "TIFF")

#: JPEG segments kept when a picture is only stripped: the frame, tables and scan (not
#: markers at all in this sense), APP0 (JFIF: pixel density) and APP14 (Adobe: how to decode
#: the colours). Every other APPn (EXIF, XMP, ICC, Photoshop IPTC, FlashPix thumbnails) and
#: every comment goes.
_KEEP_APP = (0xE0, 0xEE)


@dataclass
class PaintedPicture:
    """One picture after painting: its frames (painted copies), what was removed, and problems."""

    frames: list[Image]
    removals: list[Removal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    painted: int = 0  # boxes painted over all frames

    @property
    def changed(self) -> bool:
        return self.painted > 0


def ocr_for(targets: Targets) -> Ocr:
    """The scanner's OCR engine when it has one (the scan side of issue [8]), else the default."""
    from ..ocr import Ocr

    engine = getattr(targets.scanner, "ocr_engine", None)
    return engine if engine is not None else Ocr()


def paint_withheld(frames: Sequence[Image], targets: Targets, location: Location, *,
                   ocr: Ocr | None = None, dpi: int | None = None) -> PaintedPicture:
    """Read each frame with OCR and paint out every word of a withheld span.

    Frames are upright pixels (EXIF orientation already applied). `location` names the picture
    in the removals; a frame's number goes in `page` when there are several.
    """
    from ..ocr import OcrFailed, paint_out

    engine = ocr or ocr_for(targets)
    result = PaintedPicture([])
    for number, frame in enumerate(frames, start=1):
        where = replace(location, page=number) if len(frames) > 1 else location
        try:
            page = engine.read(frame, dpi=dpi)
        except OcrFailed as exc:
            result.problems.append(Problem(exc.code, f"{_name(where)}: {exc}", page=where.page, location=where))
            result.frames.append(frame)
            continue
        boxes = _withheld_boxes(page, targets, where, result.removals)
        result.painted += len(boxes)
        result.frames.append(paint_out(frame, boxes) if boxes else frame)
    return result


def _withheld_boxes(page: OcrPage, targets: Targets, where: Location, removals: list[Removal]) -> list[Any]:
    from ..ocr.confidence import unsure_spans
    from ..ocr.page import union_box

    text, words = page.text_map()
    boxes = []
    for span in targets.find_read(text, unsure_spans(words)):
        # Every word the span touches, whole: a part of a word is never left standing.
        hit = [word.bbox for start, end, word in words if start < span.end and span.start < end]
        if not hit:
            continue
        boxes.extend(hit)
        removals.append(Removal(span.item.id, span.item.kind, replace(where, bbox=union_box(hit)),
                                targets.excerpt(text, span), "painted"))
    return boxes


def redact_picture(data: bytes, targets: Targets, location: Location, *, ocr: Ocr | None = None,
                   others_as_png: bool = False) -> tuple[bytes, str, PaintedPicture]:
    """A picture file's bytes redacted: (new bytes, their format, what was done).

    others_as_png: a still picture in another format Pillow reads (GIF, BMP, WebP) is written
    as PNG (the caller records the new type); otherwise it is refused.
    Raises `UnreadableDocument` for a picture that cannot be decoded or written back.
    """
    from PIL import Image as PILImage
    from PIL import ImageOps, ImageSequence

    from ..ocr import reencode
    from ..ocr.metadata import open_picture

    picture = open_picture(data)
    kind = (picture.format or "").upper()
    if kind != "TIFF" and getattr(picture, "n_frames", 1) > 1:
        raise UnreadableDocument("unsupported_type", f"{_name(location)}: an animated picture cannot be redacted")
    if kind not in PICTURE_FORMATS:
        if not others_as_png:
            raise UnreadableDocument("unsupported_type", f"{_name(location)}: {kind or 'these'} pictures cannot be redacted (only JPEG, PNG and TIFF)")
        kind = "PNG"
    try:
        frames = [ImageOps.exif_transpose(frame.copy()) for frame in ImageSequence.Iterator(picture)]
    except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
        raise UnreadableDocument("read_error", f"{_name(location)}: the picture could not be decoded") from exc
    dpi = _dpi(picture)
    painted = paint_withheld(frames, targets, location, ocr=ocr, dpi=dpi)
    if not painted.changed and picture.format == "JPEG" and _orientation(picture) in (None, 1):
        return strip_jpeg_metadata(data), kind, painted
    return reencode(painted.frames, kind), kind, painted


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The JPEG with every metadata segment (EXIF, XMP, ICC, IPTC, comments) cut out; the
    compressed image itself is kept byte for byte, so nothing is lost by stripping.

    Raises `UnreadableDocument` when the markers cannot be followed (then nothing is kept)."""
    if data[:2] != b"\xff\xd8":
        raise UnreadableDocument("read_error", "the JPEG picture's markers cannot be read")
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise UnreadableDocument("read_error", "the JPEG picture's markers cannot be read")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data up to EOI
            out += data[pos:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[pos : pos + 2]
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        if len(segment) < 2 + length or length < 2:
            raise UnreadableDocument("read_error", "the JPEG picture is truncated")
        if not ((0xE0 <= marker <= 0xEF and marker not in _KEEP_APP) or marker == 0xFE):
            out += segment
        pos += 2 + length
    raise UnreadableDocument("read_error", "the JPEG picture has no image data")


def _orientation(picture: Image) -> int | None:
    try:
        value = picture.getexif().get(0x0112)
    except Exception:  # a damaged EXIF block: treat as rotated, so the picture is re-encoded
        return 0
    return int(value) if value is not None else None


def _dpi(picture: Image) -> int | None:
    value = picture.info.get("dpi")
    try:
        dpi = round(float(value[0])) if value else 0
    except (TypeError, ValueError):
        return None
    return dpi if 70 <= dpi <= 1200 else None


def _name(location: Location) -> str:
    return location.image or location.attachment or "the picture"


class ImageRedactor:
    """Picture files (PNG, JPEG, TIFF with every frame), alone or inside a zip."""

    type = "image"

    def redact(self, data: bytes, targets: Targets) -> RedactionResult:
        where = Location(part="image")
        try:
            out, _kind, painted = redact_picture(data, targets, where)
        except UnreadableDocument as exc:
            return RedactionResult(b"", [], [Problem(exc.code, str(exc), page=exc.page)])
        removals = metadata_removals(data, targets) + painted.removals
        return RedactionResult(out, removals, painted.problems)


def metadata_removals(data: bytes | Image, targets: Targets, location: Location | None = None) -> list[Removal]:
    """What the stripped metadata held that was withheld, for the log (it all goes anyway)."""
    from ..ocr import gps_position, read_metadata

    where = location or Location()
    where = replace(where, part="image-metadata")
    try:
        lines = read_metadata(data)
        gps = gps_position(data)
    except UnreadableDocument:
        return []
    out = []
    for line in lines:
        for span in targets.find(line.text):
            out.append(Removal(span.item.id, span.item.kind, replace(where, detail=line.name),
                               targets.excerpt(line.text, span), "removed"))
    if gps is not None:
        out.append(Removal("gps", "gps", replace(where, detail=f"{gps.source}:GPSPosition"), "[GPS position]", "removed"))
    return out
