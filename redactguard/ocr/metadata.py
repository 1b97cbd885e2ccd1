"""What a picture says about itself: EXIF, XMP, PNG text and JPEG comments (part `image-metadata`).

A phone photo can carry where it was taken (GPS), whose phone took it (Artist, owner name,
XMP dc:creator) and free text (description, user comment). `read_metadata` turns every such
field into a `MetadataLine` for the detectors; `gps_position` finds a position on its own (a
generic `review` finding); `strip_metadata` re-encodes the picture with none of it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redactguard.ocr.engine import OcrFailed

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["MetadataLine", "GpsPosition", "read_metadata", "gps_position", "strip_metadata"]

# EXIF fields that hold free text or a person, by tag number (TIFF/EXIF 2.32 names).
TEXT_TAGS = {
    0x010D: "DocumentName", 0x010E: "ImageDescription", 0x010F: "Make", 0x0110: "Model",
    0x0131: "Software", 0x013B: "Artist", 0x8298: "Copyright", 0x9C9B: "XPTitle",
    0x9C9C: "XPComment", 0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords", 0x9C9F: "XPSubject",
}
EXIF_IFD_TEXT_TAGS = {
    0x9286: "UserComment", 0xA420: "ImageUniqueID", 0xA430: "CameraOwnerName",
    0xA431: "BodySerialNumber", 0xA435: "LensSerialNumber",
}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
# PNG text chunks, JPEG COM and GIF comments, as Pillow exposes them in Image.info.
INFO_TEXT_KEYS = ("comment", "Comment", "Description", "Author", "Title", "Copyright", "Source",
                  "Software", "Disclaimer", "Warning", "Creation Time")


@dataclass(frozen=True)
class MetadataLine:
    """One metadata field: `name` says which (e.g. "exif:Artist", "xmp:creator"), `text` is its value."""

    name: str
    text: str = field(repr=False)

    def __repr__(self) -> str:
        return f"MetadataLine({self.name!r}, <{len(self.text)} chars>)"


@dataclass(frozen=True)
class GpsPosition:
    """A position in decimal degrees (north and east positive) and where it was found."""

    latitude: float = field(repr=False)
    longitude: float = field(repr=False)
    source: str  # "exif" or "xmp"

    def __repr__(self) -> str:  # a position is personal data: where someone lives
        return f"GpsPosition(source={self.source!r})"

    @property
    def text(self) -> str:
        return f"{self.latitude:.6f}, {self.longitude:.6f}"


def open_picture(data: Image | bytes) -> Image:
    from PIL import Image as PILImage

    if not isinstance(data, bytes | bytearray):
        return data
    try:
        picture = PILImage.open(io.BytesIO(data))
    except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
        raise OcrFailed("the picture could not be decoded") from exc
    return picture


def read_metadata(data: Image | bytes) -> list[MetadataLine]:
    """Every text-bearing metadata field of the picture, GPS as a "latitude, longitude" line."""
    picture = open_picture(data)
    lines: list[MetadataLine] = []
    exif = picture.getexif()
    for tag, name in TEXT_TAGS.items():
        _add(lines, f"exif:{name}", exif.get(tag))
    sub = exif.get_ifd(EXIF_IFD)
    for tag, name in EXIF_IFD_TEXT_TAGS.items():
        _add(lines, f"exif:{name}", sub.get(tag))
    position = gps_position(picture)
    if position is not None:
        lines.append(MetadataLine(f"{position.source}:GPSPosition", position.text))
    for key in INFO_TEXT_KEYS:
        _add(lines, f"info:{key}", picture.info.get(key))
    xmp = picture.info.get("xmp") or picture.info.get("XML:com.adobe.xmp")
    if xmp:
        lines.extend(_xmp_lines(_decode(xmp)))
    return lines


def gps_position(data: Image | bytes) -> GpsPosition | None:
    """The picture's GPS position from EXIF (or else XMP), or None."""
    picture = open_picture(data)
    gps = picture.getexif().get_ifd(GPS_IFD)
    try:
        latitude = _degrees(gps.get(2), gps.get(1), "S")
        longitude = _degrees(gps.get(4), gps.get(3), "W")
    except (TypeError, ValueError, ZeroDivisionError):
        latitude = longitude = None
    if latitude is not None and longitude is not None:
        return GpsPosition(latitude, longitude, "exif")
    xmp = picture.info.get("xmp") or picture.info.get("XML:com.adobe.xmp")
    if xmp:
        text = _decode(xmp)
        lat, lon = _xmp_value(text, "GPSLatitude"), _xmp_value(text, "GPSLongitude")
        if lat and lon:
            try:
                return GpsPosition(_xmp_degrees(lat), _xmp_degrees(lon), "xmp")
            except ValueError:
                return None
    return None


def strip_metadata(data: Image | bytes, format: str | None = None) -> bytes:
    """The picture re-encoded from its pixels alone: no EXIF, XMP, ICC, comments or thumbnail.

    The EXIF orientation is applied to the pixels first, so the picture still shows upright.
    """
    from redactguard.ocr.pixels import reencode

    picture = open_picture(data)
    return reencode(picture, format or picture.format or "PNG", orient=True)


# --------------------------------------------------------------------------- helpers


def _decode(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        raw = bytes(value)
        if raw.startswith((b"ASCII\0\0\0", b"UNICODE\0", b"JIS\0\0\0\0\0", b"\0" * 8)):
            # EXIF UserComment: an 8-byte character-code prefix, then the text.
            code, raw = raw[:8], raw[8:]
            encoding = "utf-16-be" if code.startswith(b"UNICODE") and raw[:1] == b"\0" else (
                "utf-16-le" if code.startswith(b"UNICODE") else "latin-1")
            return raw.decode(encoding, "replace").strip("\0 ")
        if len(raw) >= 2 and raw[1:2] == b"\0":  # XP* tags: UTF-16LE
            return raw.decode("utf-16-le", "replace").strip("\0 ")
        return raw.decode("utf-8", "replace").strip("\0 ")
    if isinstance(value, tuple):  # XP* tags as a tuple of byte values
        try:
            return _decode(bytes(value))
        except (TypeError, ValueError):
            return " ".join(str(v) for v in value)
    return str(value).strip("\0 ")


def _add(lines: list[MetadataLine], name: str, value: object) -> None:
    if value is None:
        return
    text = _decode(value)
    if text.strip():
        lines.append(MetadataLine(name, text))


_ATTRIBUTE = re.compile(r'([\w.-]+):([\w.-]+)\s*=\s*(["\'])(.*?)\3', re.S)
_ELEMENT = re.compile(r"<([\w.-]+):([\w.-]+)\b[^>]*>([^<]+)</\1:\2>", re.S)
_SKIP_ATTRIBUTES = {("rdf", "about"), ("rdf", "parseType"), ("xml", "lang"), ("x", "xmptk")}


def _xmp_lines(xmp: str) -> list[MetadataLine]:
    """Every value in an XMP packet: element text and attribute values (XMP writes both).

    Regular expressions, not an XML parser, on purpose: a packet that is not well-formed XML
    must still give up its values rather than hide them.
    """
    lines: list[MetadataLine] = []
    for prefix, name, _, value in _ATTRIBUTE.findall(xmp):
        if prefix != "xmlns" and (prefix, name) not in _SKIP_ATTRIBUTES:
            _add(lines, f"xmp:{name}", _unescape(value))
    for prefix, name, value in _ELEMENT.findall(xmp):
        if prefix not in ("rdf", "x"):
            _add(lines, f"xmp:{name}", _unescape(value))
        else:  # rdf:li inside dc:creator and friends: name it after its nearest property
            owner = re.findall(r"<(?!rdf:|x:)[\w.-]+:([\w.-]+)\b", xmp[: xmp.find(value)])
            _add(lines, f"xmp:{owner[-1] if owner else name}", _unescape(value))
    return lines


def _unescape(text: str) -> str:
    import html

    return html.unescape(text).strip()


def _xmp_value(xmp: str, name: str) -> str | None:
    match = re.search(rf'[\w.-]+:{name}\s*=\s*(["\'])(.*?)\1', xmp) or re.search(
        rf"<[\w.-]+:{name}\b[^>]*>([^<]+)<", xmp)
    return match.group(match.lastindex or 0).strip() if match else None


def _degrees(parts: object, ref: object, negative: str) -> float | None:
    if not parts or not ref:
        return None
    d, m, s = (float(p) for p in parts)  # type: ignore[attr-defined]
    value = d + m / 60 + s / 3600
    return -value if _decode(ref).upper().startswith(negative) else value


def _xmp_degrees(text: str) -> float:
    """XMP's "DDD,MM,SSk" or "DDD,MM.mmk" (k one of N S E W) as signed decimal degrees."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*", text)
    if not match:
        raise ValueError("not an XMP GPS coordinate")
    d, m, s, ref = match.groups()
    value = float(d) + float(m) / 60 + float(s or 0) / 3600
    return -value if ref in "SW" else value
