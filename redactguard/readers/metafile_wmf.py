"""WMF records ([MS-WMF]), placeable or not: text runs, device-independent bitmaps, polygons,
and the EMF that Office and LibreOffice carry in comment records, into a `Drawing`."""

from __future__ import annotations

from .metafile_records import (
    CHARSETS,
    FLATTENED_POINTS,
    WMF_PLACEABLE,
    Damaged,
    Parser,
    Run,
    cut,
    dib_file,
    i16,
    packed_dib,
    printable_runs,
    u16,
    u32,
)

__all__ = ["read_wmf"]


def read_wmf(parser: Parser, buf: memoryview, depth: int) -> None:
    """Every record of the WMF in `buf`, up to its end-of-file record."""
    _Wmf(parser, buf, depth).run()


# WMF ([MS-WMF] 2.1.1.1)
_META_EOF, _META_TEXTOUT, _META_EXTTEXTOUT, _META_ESCAPE = 0x0000, 0x0521, 0x0A32, 0x0626
_META_SETTEXTALIGN, _META_SELECTOBJECT, _META_DELETEOBJECT, _META_CREATEFONT = 0x012E, 0x012D, 0x01F0, 0x02FB
#: WMF records that create an object (each takes the lowest free slot of the object table).
_META_CREATES = {0x00F7, 0x01F9, 0x0142, 0x02FA, 0x02FB, 0x02FC, 0x06FF}
#: Records holding a packed DIB: the DIB's offset in the record's parameters.
_META_DIBS = {0x0F43: ("META_STRETCHDIB", 22), 0x0B41: ("META_DIBSTRETCHBLT", 20),
              0x0940: ("META_DIBBITBLT", 16), 0x0D33: ("META_SETDIBTODEV", 18),
              0x0142: ("META_DIBCREATEPATTERNBRUSH", 4)}
#: Old-style device-dependent bitmaps ([MS-WMF] Bitmap16): not decoded, so they fail closed.
_META_BITMAP16 = {0x0922: "META_BITBLT", 0x0B23: "META_STRETCHBLT", 0x01F9: "META_CREATEPATTERNBRUSH"}
_META_POLYGON, _META_POLYPOLYGON = 0x0324, 0x0538
_MFCOMMENT = 15
_WMFC = b"WMFC"


class _Wmf:
    def __init__(self, parser: Parser, buf: memoryview, depth: int):
        self.p, self.buf, self.depth, self.d = parser, buf, depth, parser.d
        self.slots: list[tuple[float, str] | None | bool] = []  # font (height, codec), other object True, free None
        self.font: tuple[float, str] = (0.0, "cp1252")
        self.align = 0
        self.cp = (0.0, 0.0)
        self.emf = bytearray()

    def run(self) -> None:
        buf = self.buf
        pos = 22 if bytes(buf[:4]) == WMF_PLACEABLE else 0
        header = u16(buf, pos + 2)
        if header != 9:
            raise Damaged("the header record is of no known size")
        pos += 18
        while pos + 6 <= len(buf):
            self.p.count()
            size, func = 2 * u32(buf, pos), u16(buf, pos + 4)
            if size < 6 or pos + size > len(buf):
                raise Damaged("a record's size runs past the end of the file")
            if func == _META_EOF:
                return
            self.record(func, buf[pos:pos + size])
            pos += size
        raise Damaged("the file breaks off before its end-of-file record")

    def record(self, func: int, rec: memoryview) -> None:  # noqa: C901 - one branch per record kind
        if func == _META_TEXTOUT:
            n = u16(rec, 6)
            raw = cut(rec, 8, n)
            at = 8 + n + (n & 1)
            self.add(raw, float(i16(rec, at + 2)), float(i16(rec, at)), None)
        elif func == _META_EXTTEXTOUT:
            self.ext_text(rec)
        elif func in _META_DIBS:
            self.dib(rec, func)
        elif func in _META_BITMAP16:
            self.bitmap16(rec, func)
        elif func == _META_ESCAPE:
            self.escape(rec)
        elif func == _META_POLYGON:
            self.d.shapes += i16(rec, 6) >= FLATTENED_POINTS
        elif func == _META_POLYPOLYGON:
            polygons = u16(rec, 6)
            self.d.shapes += sum(u16(rec, 8 + 2 * i) >= FLATTENED_POINTS for i in range(polygons))
        elif func == _META_SETTEXTALIGN:
            self.align = u16(rec, 6)
        elif func == 0x0214:  # META_MOVETO
            self.cp = (float(i16(rec, 8)), float(i16(rec, 6)))
        if func in _META_CREATES:
            self.create(func, rec)
        elif func == _META_SELECTOBJECT:
            index = u16(rec, 6)
            slot = self.slots[index] if index < len(self.slots) else None
            if isinstance(slot, tuple):
                self.font = slot
        elif func == _META_DELETEOBJECT:
            index = u16(rec, 6)
            if index < len(self.slots):
                self.slots[index] = None

    def create(self, func: int, rec: memoryview) -> None:
        obj: tuple[float, str] | bool = True
        if func == _META_CREATEFONT:
            obj = (float(abs(i16(rec, 6))), CHARSETS.get(u16(rec, 6 + 13) & 0xFF, "cp1252"))
        free = next((i for i, s in enumerate(self.slots) if s is None), None)
        if free is None:
            self.slots.append(obj)
        else:
            self.slots[free] = obj

    def ext_text(self, rec: memoryview) -> None:
        y, x, n, options = i16(rec, 6), i16(rec, 8), u16(rec, 10), u16(rec, 12)
        at = 14 + (8 if options & 0x6 else 0)  # ETO_OPAQUE or ETO_CLIPPED: a rectangle first
        raw = cut(rec, at, n)
        dx_at = at + n + (n & 1)
        advance = None
        if dx_at + 2 * n <= len(rec):
            advance = float(sum(i16(rec, dx_at + 2 * i) for i in range(n)))
        if options & 0x10:
            self.d.glyph_runs += 1
            return
        self.add(raw, float(x), float(y), advance)

    def add(self, raw: bytes, x: float, y: float, advance: float | None) -> None:
        if self.align & 1:
            x, y = self.cp
            if advance is not None:
                self.cp = (x + advance, y)
        elif advance is not None and self.align & 6 == 6:
            x -= advance / 2
        elif advance is not None and self.align & 6 == 2:
            x -= advance
        self.d.runs.append(Run(raw.decode(self.font[1], "replace"), x, y, self.font[0], advance, "gdi"))

    def dib(self, rec: memoryview, func: int) -> None:
        name, off = _META_DIBS[func]
        start = 6 + off
        if len(rec) <= start + 12:  # the form of the record without a bitmap
            return
        if func == 0x0142 and u16(rec, 6) == 3:  # BS_PATTERN: a device-dependent Bitmap16
            self.bitmap16(rec, func, 10)
            return
        bmi, bits = packed_dib(bytes(rec[start:]))
        self.p.bitmap(dib_file(bmi, bits), name)

    def bitmap16(self, rec: memoryview, func: int, at: int | None = None) -> None:
        start = at if at is not None else 6 + {0x0922: 16, 0x0B23: 20, 0x01F9: 0}[func]
        if len(rec) < start + 10:  # no bitmap in this form of the record
            return
        width, height = i16(rec, start + 2), i16(rec, start + 4)
        if min(abs(width), abs(height)) >= 16:
            self.d.unreadable.append(f"a device-dependent bitmap ({_META_BITMAP16.get(func, 'pattern brush')})")

    def escape(self, rec: memoryview) -> None:
        function, count = u16(rec, 6), u16(rec, 8)
        data = cut(rec, 10, count)
        if function != _MFCOMMENT or not data:
            return
        if data[:4] == _WMFC and len(data) >= 34:  # an EMF carried in chunks (Office, LibreOffice)
            view = memoryview(data)
            remaining, chunk = u32(view, 26), u32(view, 22)
            self.emf += cut(view, 34, chunk)
            if remaining == 0:
                self.p.metafile(memoryview(bytes(self.emf)), self.depth + 1)
                self.emf = bytearray()
            return
        self.d.comments.extend(printable_runs(data))
