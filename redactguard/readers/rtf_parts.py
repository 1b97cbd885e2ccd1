"""What an RTF file holds besides text: pictures (`\\pict`) and embedded objects (`\\object`).

The interpreter (`rtf.py`) collects each one's data as it goes; they are read here once the
text is done. PNG, JPEG and device-independent bitmaps are read by OCR through
`readers/pictures.py`, as DOCX pictures are; EMF and WMF go to `readers/metafile.py` when it
is installed, else fail closed, as do the other picture kinds (Mac PICT, OS/2 metafiles,
device-dependent bitmaps). An embedded object's `\\objdata` is an OLE1 object: its native data
is the document (for a `Package`, a file with its name; otherwise often an OLE2 compound file,
which `readers/embedded.py` unpacks as it does an Office package's `oleObjectN.bin`), read as
an attachment. A linked object (`\\objlink`, `\\objautlink`,
`\\objupdate`) points outside the file and an object whose data cannot be unpacked fail closed.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..document import Location, Segment
from .base import ReadContext

__all__ = ["PICTURE_KINDS", "Picture", "EmbeddedObject", "read_picture", "read_object", "decode_hex"]

#: `\pict` control words naming the picture's format.
PICTURE_KINDS = frozenset("pngblip jpegblip emfblip wmetafile dibitmap wbitmap macpict pmmetafile".split())


@dataclass
class Picture:
    """One `\\pict` group: its format and its data (hex text, or `\\bin` bytes)."""

    kind: str = ""
    hex: bytearray = field(default_factory=bytearray)
    binary: bytearray = field(default_factory=bytearray)


@dataclass
class EmbeddedObject:
    """One `\\object` group: whether it is a link, and its `\\objdata` hex."""

    linked: bool = False
    hex: bytearray = field(default_factory=bytearray)
    binary: bytearray = field(default_factory=bytearray)


def decode_hex(text: bytes) -> bytes:
    """RTF hex data: pairs of hex digits with white space anywhere; an odd last digit is dropped."""
    digits = bytes(b for b in text if b in b"0123456789abcdefABCDEF")
    return bytes.fromhex(digits[: len(digits) // 2 * 2].decode("ascii"))


def read_picture(ctx: ReadContext, picture: Picture, number: int) -> Iterator[Segment]:
    """Read picture `number` of the file by OCR (or its metafile records), or fail closed."""
    name = f"picture {number}"
    where = Location(part="image", image=name)
    data = bytes(picture.binary) or decode_hex(bytes(picture.hex))
    ctx.account(len(data))
    if picture.kind in ("emfblip", "wmetafile"):
        yield from _metafile(ctx, data, where, name)
        return
    if picture.kind == "dibitmap":
        data = _bmp(data)
    elif picture.kind not in ("pngblip", "jpegblip"):
        ctx.problem("unsupported_part", f"{name} is in a picture format that cannot be read by OCR", location=where)
        return
    yield from _raster(ctx, data, where, name)


def _raster(ctx: ReadContext, data: bytes, where: Location, name: str) -> Iterator[Segment]:
    from PIL import Image

    from .pictures import could_hold_writing, ocr_picture, picture_metadata

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        ctx.problem("corrupt", f"{name} cannot be decoded", location=where)
        return
    yield from picture_metadata(ctx, data, location=Location(part="image-metadata", image=name),
                                flow=f"image-metadata:{name}", what=name)
    if could_hold_writing(*image.size):
        yield from ocr_picture(ctx, image, location=where, flow=f"image:{name}", what=name)


def _metafile(ctx: ReadContext, data: bytes, where: Location, name: str) -> Iterator[Segment]:
    """EMF/WMF: their text records through `readers/metafile.py` where it exists, else fail closed."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("redactguard.readers.metafile") is None:
        ctx.problem("unsupported_part", f"{name} is a vector drawing that cannot be read", location=where)
        return
    read_metafile = importlib.import_module("redactguard.readers.metafile").read_metafile
    yield from read_metafile(ctx, data, location=where, flow=f"image:{name}", what=name)


def _bmp(dib: bytes) -> bytes:
    """A device-independent bitmap with the file header a .bmp file has, so Pillow opens it."""
    if len(dib) < 40:
        return dib
    header, bits, used = struct.unpack_from("<I", dib)[0], struct.unpack_from("<H", dib, 14)[0], struct.unpack_from("<I", dib, 32)[0]
    palette = (used or (1 << bits if bits <= 8 else 0)) * 4
    return b"BM" + struct.pack("<IHHI", 14 + len(dib), 0, 0, 14 + header + palette) + dib


def read_object(ctx: ReadContext, obj: EmbeddedObject, number: int) -> Iterator[Segment]:
    """Read embedded object `number`'s document as an attachment, or fail closed."""
    name = f"object {number}"
    where = Location(part="attachment", attachment=name)
    if obj.linked:
        ctx.problem("unsupported_part", f"{name} is linked to a file outside the document, which cannot be checked",
                    location=where)
        return
    data = bytes(obj.binary) or decode_hex(bytes(obj.hex))
    ctx.account(len(data))
    payload = _ole1_native(data)
    if payload is None:
        ctx.problem("unsupported_part", f"{name} holds no embedded data that can be read", location=where)
        return
    label, native = payload
    yield from _native(ctx, label or name, native, where)


def _native(ctx: ReadContext, name: str, data: bytes, where: Location) -> Iterator[Segment]:
    """The object's native data: a file, or an OLE2 compound file `readers/embedded.py` unpacks
    (its `Package`, `\\x01Ole10Native` or `CONTENTS` stream, or a Word/Excel binary kept whole)."""
    from .embedded import read_embedded

    yield from read_embedded(ctx, name, data, Location(part="attachment", page=where.page))


def _ole1_native(data: bytes) -> tuple[str | None, bytes] | None:
    """(a Package's file name, the native data) of an OLE1 embedded object ([MS-OLEDS] 2.2.4)."""
    try:
        _version, format_id = struct.unpack_from("<II", data)
        if format_id != 2:  # 1 linked, 5 a static picture: no embedded document
            return None
        pos = 8
        names = []
        for _ in range(3):  # class, topic and item names
            size = struct.unpack_from("<I", data, pos)[0]
            names.append(data[pos + 4 : pos + 4 + size].rstrip(b"\x00"))
            pos += 4 + size
        size = struct.unpack_from("<I", data, pos)[0]
        native = data[pos + 4 : pos + 4 + size]
    except struct.error:
        return None
    if names[0] == b"Package":
        from .msg_ole import native_payload

        label, file = native_payload(struct.pack("<I", len(native)) + native)
        return label, file
    return None, native
