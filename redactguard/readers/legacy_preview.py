"""The preview picture a legacy Office file keeps with its properties (SummaryInformation's
thumbnail): a small picture of the first page or slide, which PowerPoint saves in nearly every
file and LibreOffice does not carry over. It can show text the document no longer holds (it is
not redrawn by every producer), so it is read: a bitmap (CF_DIB) by OCR, as the DOCX package
thumbnail is (unsure words are not a problem: its body text is a few pixels high); a Windows
metafile (CF_METAFILEPICT) for its text records (TextOut, ExtTextOut, in the ANSI code page)
and the bitmaps it draws, by OCR. Other formats (enhanced metafiles, Mac PICT) fail closed.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from .base import ReadContext

__all__ = ["thumbnail_segments"]

_CF_TAG, _CF_METAFILEPICT, _CF_DIB = 0xFFFFFFFF, 3, 8
_WHERE = Location(part="image", image="thumbnail")
_FLOW = "image:thumbnail"
_TEXTOUT, _EXTTEXTOUT = 0x0521, 0x0A32
#: Records that draw a device-independent bitmap -> bytes of parameters before the bitmap.
_DIB_RECORDS = {0x0940: 16, 0x0B41: 20, 0x0F43: 22, 0x0D33: 18}
_MAX_RECORDS = 1_000_000


def thumbnail_segments(thumbnail: bytes | None, ctx: ReadContext) -> Iterator[Segment]:
    """Segments of the stored preview picture (olefile's `OleMetadata.thumbnail`, a VT_CF)."""
    if not thumbnail:
        return
    tag, fmt = struct.unpack_from("<II", thumbnail, 0) if len(thumbnail) >= 8 else (0, 0)
    if (tag, fmt) == (_CF_TAG, _CF_DIB):
        yield from _bitmap(thumbnail[8:], ctx)
    elif (tag, fmt) == (_CF_TAG, _CF_METAFILEPICT):
        yield from _metafile(thumbnail[16:], ctx)  # after the 8-byte METAFILEPICT header
    else:
        ctx.problem("unsupported_part", "the document properties hold a preview picture (an enhanced metafile or Mac "
                    "picture) that cannot be read", location=_WHERE)


def _metafile(wmf: bytes, ctx: ReadContext) -> Iterator[Segment]:
    if wmf[:4] == b"\xd7\xcd\xc6\x9a":  # a placeable metafile's extra header
        wmf = wmf[22:]
    if len(wmf) < 18:
        ctx.problem("corrupt", "the preview picture in the document properties is damaged", location=_WHERE)
        return
    pos = int.from_bytes(wmf[2:4], "little") * 2
    for _ in range(_MAX_RECORDS):
        if pos + 6 > len(wmf):
            break
        words, function = struct.unpack_from("<IH", wmf, pos)
        record = wmf[pos + 6:pos + words * 2]
        if words < 3 or function == 0:
            break
        pos += words * 2
        text = _record_text(function, record)
        if text and text.strip():
            yield Segment(text, _WHERE, flow=_FLOW)
        elif function in _DIB_RECORDS and len(record) > _DIB_RECORDS[function] + 40:
            yield from _bitmap(record[_DIB_RECORDS[function]:], ctx)


def _record_text(function: int, record: bytes) -> str | None:
    if function == _TEXTOUT and len(record) >= 2:
        length = int.from_bytes(record[:2], "little")
        return record[2:2 + length].decode("cp1252", "replace")
    if function == _EXTTEXTOUT and len(record) >= 8:
        length, options = struct.unpack_from("<HH", record, 4)
        start = 8 + (8 if options & 0x0006 else 0)  # a clipping or opaquing rectangle
        return record[start:start + length].decode("cp1252", "replace")
    return None


def _bitmap(dib: bytes, ctx: ReadContext) -> Iterator[Segment]:
    from .pictures import could_hold_writing, ocr_picture

    image = _dib_image(dib)
    if image is None:
        ctx.problem("corrupt", "a bitmap of the preview picture in the document properties is damaged", location=_WHERE)
    elif could_hold_writing(*image.size):
        yield from ocr_picture(ctx, image, location=_WHERE, flow=_FLOW, what="the preview picture", preview=True)


def _dib_image(dib: bytes) -> Any:
    """A device-independent bitmap as a Pillow image (a BMP file header put in front)."""
    from PIL import Image

    if len(dib) < 40:
        return None
    header, bits, colours = struct.unpack_from("<I", dib, 0)[0], struct.unpack_from("<H", dib, 14)[0], struct.unpack_from("<I", dib, 32)[0]
    palette = (colours or (1 << bits if bits <= 8 else 0)) * 4
    offset = 14 + header + palette
    try:
        image = Image.open(io.BytesIO(b"BM" + struct.pack("<IHHI", 14 + len(dib), 0, 0, offset) + dib))
        image.load()
    except Exception:  # Pillow on a damaged bitmap: reported as damage, never its message
        return None
    return image
