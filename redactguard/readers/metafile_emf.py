"""EMF and EMF+ records ([MS-EMF], [MS-EMFPLUS]): text runs, bitmaps, lettering-like shapes,
private comments and nested metafiles, into a `metafile_records.Drawing`."""

from __future__ import annotations

import struct

from .metafile_records import (
    CHARSETS,
    FLATTENED_POINTS,
    MAX_BITMAPS,
    Bitmap,
    Damaged,
    Lettering,
    Parser,
    Run,
    cut,
    dib_file,
    f32,
    i32,
    metafile_kind,
    printable_runs,
    u16,
    u32,
)

__all__ = ["read_emf"]


def read_emf(parser: Parser, buf: memoryview, depth: int) -> None:
    """Every record of the EMF in `buf` (and the EMF+ records in its comments)."""
    _Emf(parser, buf, depth).run()


# EMF record types ([MS-EMF] 2.1.1) that draw text, bitmaps or shapes, or carry state used here.
_EMR_HEADER, _EMR_EOF, _EMR_COMMENT = 1, 14, 70
_EMR_TEXT = {83: "a", 84: "w"}
_EMR_POLYTEXT = {96: "a", 97: "w"}
_EMR_SMALLTEXTOUT = 108
_EMR_SETTEXTALIGN, _EMR_MOVETOEX, _EMR_SELECTOBJECT, _EMR_DELETEOBJECT, _EMR_EXTCREATEFONT = 22, 27, 37, 40, 82
_EMR_BEGINPATH, _EMR_ENDPATH, _EMR_FILLPATH, _EMR_STROKEANDFILLPATH, _EMR_ABORTPATH = 59, 60, 62, 63, 68
#: Bitmap records: (offset of offBmiSrc; cbBmiSrc, offBitsSrc and cbBitsSrc follow it).
_EMR_BITMAPS = {76: ("EMR_BITBLT", 84), 77: ("EMR_STRETCHBLT", 84), 78: ("EMR_MASKBLT", 84),
                79: ("EMR_PLGBLT", 96), 80: ("EMR_SETDIBITSTODEVICE", 48), 81: ("EMR_STRETCHDIBITS", 48),
                114: ("EMR_ALPHABLEND", 84), 116: ("EMR_TRANSPARENTBLT", 84),
                93: ("EMR_CREATEMONOBRUSH", 16), 94: ("EMR_CREATEDIBPATTERNBRUSHPT", 16)}
_EMR_CURVES = {2, 5, 85, 88}  # POLYBEZIER, POLYBEZIERTO and their 16-bit forms
_EMR_POLYGONS = {3: 4, 86: 2, 8: 4, 91: 2}  # POLYGON, POLYGON16, POLYPOLYGON, POLYPOLYGON16 -> point size
_EMR_POLYLINES = {4: 4, 6: 4, 87: 2, 89: 2}  # POLYLINE(TO) and 16-bit forms, inside a path bracket

# EMF+ ([MS-EMFPLUS] 2.1.1.1)
_EMFPLUS_COMMENT, _EMFPLUS_OBJECT, _EMFPLUS_FILLPATH = 0x4003, 0x4008, 0x4014
_EMFPLUS_DRAWSTRING, _EMFPLUS_DRAWDRIVERSTRING = 0x401C, 0x4036
_OBJECT_PATH, _OBJECT_IMAGE, _OBJECT_FONT = 3, 5, 6


class _Emf:
    def __init__(self, parser: Parser, buf: memoryview, depth: int):
        self.p, self.buf, self.depth, self.d = parser, buf, depth, parser.d
        self.fonts: dict[int, tuple[float, str]] = {}
        self.font: tuple[float, str] = (0.0, "cp1252")
        self.align = 0
        self.cp = (0.0, 0.0)
        self.letters = Lettering(parser.d)

    def run(self) -> None:
        buf, pos, ended = self.buf, 0, False
        while pos + 8 <= len(buf):
            self.p.count()
            rtype, size = u32(buf, pos), u32(buf, pos + 4)
            if size < 8 or pos + size > len(buf):
                raise Damaged("a record's size runs past the end of the file")
            if pos == 0 and rtype != _EMR_HEADER:
                raise Damaged("the file does not start with its header record")
            self.record(rtype, buf[pos:pos + size])
            pos += size
            if rtype == _EMR_EOF:
                ended = True
                break
        if not ended:
            raise Damaged("the file breaks off before its end-of-file record")

    def record(self, rtype: int, rec: memoryview) -> None:  # noqa: C901 - one branch per record kind
        if rtype in _EMR_TEXT:
            self.text(rec, 8, _EMR_TEXT[rtype] == "w", rec_base=0)
        elif rtype in _EMR_POLYTEXT:
            for i in range(u32(rec, 36)):
                self.text(rec, 40 + 40 * i - 28, _EMR_POLYTEXT[rtype] == "w", rec_base=0)
        elif rtype == _EMR_SMALLTEXTOUT:
            self.small_text(rec)
        elif rtype in _EMR_BITMAPS:
            self.emf_bitmap(rec, *_EMR_BITMAPS[rtype])
        elif rtype == _EMR_COMMENT:
            self.comment(rec)
        elif rtype == _EMR_EXTCREATEFONT:
            height = abs(i32(rec, 12))
            self.fonts[u32(rec, 8)] = (float(height), CHARSETS.get(rec[35], "cp1252"))
        elif rtype == _EMR_SELECTOBJECT:
            self.font = self.fonts.get(u32(rec, 8), self.font)
        elif rtype == _EMR_DELETEOBJECT:
            self.fonts.pop(u32(rec, 8), None)
        elif rtype == _EMR_SETTEXTALIGN:
            self.align = u32(rec, 8)
        elif rtype == _EMR_MOVETOEX:
            self.cp = (float(i32(rec, 8)), float(i32(rec, 12)))
        elif rtype == _EMR_BEGINPATH:
            self.letters.begin()
        elif rtype in (_EMR_ENDPATH, _EMR_ABORTPATH):
            self.letters.end()
        elif rtype in (_EMR_FILLPATH, _EMR_STROKEANDFILLPATH):
            self.letters.fill()
        elif rtype in _EMR_CURVES:
            self.letters.path_record(True)
        elif rtype in _EMR_POLYLINES:
            self.letters.path_record(u32(rec, 24) >= FLATTENED_POINTS)
        elif rtype in _EMR_POLYGONS:
            self.polygons(rec, rtype)

    def polygons(self, rec: memoryview, rtype: int) -> None:
        if rtype in (3, 86):  # one polygon: count at 24
            counts = [u32(rec, 24)]
        else:  # nPolys at 24, total points at 28, then the counts
            counts = [u32(rec, 32 + 4 * i) for i in range(min(u32(rec, 24), 100_000))]
        self.d.shapes += sum(1 for n in counts if n >= FLATTENED_POINTS)

    def text(self, rec: memoryview, at: int, wide: bool, rec_base: int) -> None:
        """An EmrText object whose reference point sits at `at + 28` of the record."""
        ref = at + 28
        x, y = float(i32(rec, ref)), float(i32(rec, ref + 4))
        n, off, options = u32(rec, ref + 8), u32(rec, ref + 12), u32(rec, ref + 16)
        off_dx = u32(rec, ref + 36)
        if n == 0:
            return
        raw = cut(rec, rec_base + off, 2 * n if wide else n)
        if options & 0x10:  # ETO_GLYPH_INDEX: glyph numbers of the font, not characters
            self.d.glyph_runs += 1
            return
        text = raw.decode("utf-16-le", "replace") if wide else raw.decode(self.font[1], "replace")
        advance = None
        if off_dx:
            step = 2 if options & 0x2000 else 1  # ETO_PDY: x and y per character
            dx = cut(rec, off_dx, 4 * n * step)
            advance = float(sum(struct.unpack_from(f"<{n * step}i", dx)[::step]))
        self.add(text, x, y, advance)

    def small_text(self, rec: memoryview) -> None:
        x, y, n, options = float(i32(rec, 8)), float(i32(rec, 12)), u32(rec, 16), u32(rec, 20)
        start = 36 if options & 0x100 else 52  # ETO_NO_RECT: no bounds
        small = options & 0x200  # ETO_SMALL_CHARS: 8-bit characters
        raw = cut(rec, start, n if small else 2 * n)
        if options & 0x10:
            self.d.glyph_runs += 1
            return
        self.add(raw.decode(self.font[1], "replace") if small else raw.decode("utf-16-le", "replace"), x, y, None)

    def add(self, text: str, x: float, y: float, advance: float | None) -> None:
        if self.align & 1:  # TA_UPDATECP: drawn at the current position, which moves on
            x, y = self.cp
            if advance is not None:
                self.cp = (x + advance, y)
        elif advance is not None and self.align & 6 == 6:  # TA_CENTER
            x -= advance / 2
        elif advance is not None and self.align & 6 == 2:  # TA_RIGHT
            x -= advance
        self.d.runs.append(Run(text, x, y, self.font[0], advance, "gdi"))

    def emf_bitmap(self, rec: memoryview, name: str, at: int) -> None:
        off_bmi, cb_bmi, off_bits, cb_bits = (u32(rec, at + 4 * i) for i in range(4))
        if cb_bmi == 0 or cb_bits == 0:  # a raster operation with no source bitmap
            return
        if name.startswith("EMR_CREATE") and u32(rec, 12) == 1:  # DIB_PAL_COLORS: indexes, no colours
            self.d.unreadable.append(f"{name} bitmap with palette indexes")
            return
        self.p.bitmap(dib_file(cut(rec, off_bmi, cb_bmi), cut(rec, off_bits, cb_bits)), name)

    def comment(self, rec: memoryview) -> None:
        size = u32(rec, 8)
        data = cut(rec, 12, size)
        ident = data[:4]
        if ident == b"EMF+":
            _EmfPlus(self.p, memoryview(data)[4:], self.depth).run()
        elif ident == b"GDIC" and len(data) >= 8:
            self.public_comment(memoryview(data))
        elif data:
            self.d.comments.extend(printable_runs(data))

    def public_comment(self, data: memoryview) -> None:
        kind = u32(data, 4)
        if kind == 0x40000004:  # EMR_COMMENT_MULTIFORMATS: the same picture in other formats
            for i in range(min(u32(data, 24), 64)):
                signature, _version, size, off = (u32(data, 28 + 16 * i + 4 * j) for j in range(4))
                body = memoryview(cut(data, off, size))  # offsets count from the identifier
                if signature == 0x464D4520:  # ENHMETA_SIGNATURE
                    self.p.metafile(body, self.depth + 1)
                else:  # EPS
                    self.d.unreadable.append("an EPS version of the picture")
        elif kind == 0x80000001:  # EMR_COMMENT_WINDOWS_METAFILE: a WMF kept whole, after a
            # short header whose layout producers disagree on: found by its own signature
            wmf = next((off for off in range(12, 34, 2) if metafile_kind(bytes(data[off:off + 44])) == "wmf"), None)
            if wmf is None:
                raise Damaged("a Windows metafile comment holds no metafile")
            self.p.metafile(data[wmf:], self.depth + 1)
        elif kind == 0x00000002:  # EMR_COMMENT_BEGINGROUP: a description in UTF-16
            chars = u32(data, 24)
            text = cut(data, 28, 2 * chars).decode("utf-16-le", "replace").strip("\0 ")
            if text:
                self.d.comments.append(text)
        elif kind not in (0x00000003, 0x40000004):  # ENDGROUP has nothing
            self.d.comments.extend(printable_runs(bytes(data[8:])))


#: GDI+ pixel formats read as they are ([MS-EMFPLUS] 2.1.1.25) -> Pillow raw mode (BGR order).
_PIXEL_FORMATS = {0x00021808: "BGR", 0x00022009: "BGRX", 0x0026200A: "BGRA", 0x000E200B: "BGRA"}


class _EmfPlus:
    """EMF+ records, carried in EMF comment records ([MS-EMFPLUS])."""

    def __init__(self, parser: Parser, buf: memoryview, depth: int):
        self.p, self.buf, self.depth, self.d = parser, buf, depth, parser.d

    def run(self) -> None:
        buf, pos = self.buf, 0
        state = self.p.plus_state
        while pos + 12 <= len(buf):
            self.p.count()
            rtype, flags, size, data_size = u16(buf, pos), u16(buf, pos + 2), u32(buf, pos + 4), u32(buf, pos + 8)
            if size < 12 or pos + size > len(buf) or 12 + data_size > size:
                raise Damaged("an EMF+ record's size runs past its comment")
            data = buf[pos + 12:pos + 12 + data_size]
            if rtype == _EMFPLUS_DRAWSTRING:
                n = u32(data, 8)
                text = cut(data, 28, 2 * n).decode("utf-16-le", "replace")
                height = state.fonts.get(flags & 0xFF, 0.0)
                self.d.runs.append(Run(text, f32(data, 12), f32(data, 16), height, None, "emf+"))
            elif rtype == _EMFPLUS_DRAWDRIVERSTRING:
                self.driver_string(data, flags, state.fonts.get(flags & 0xFF, 0.0))
            elif rtype == _EMFPLUS_OBJECT:
                self.object(data, flags)
            elif rtype == _EMFPLUS_FILLPATH and state.paths.get(flags & 0xFF):
                self.d.shapes += 1
            elif rtype == _EMFPLUS_COMMENT and data_size:
                self.d.comments.extend(printable_runs(bytes(data)))
            pos += size

    def driver_string(self, data: memoryview, flags: int, height: float) -> None:
        options, count = u32(data, 4), u32(data, 12)
        if count == 0:
            return
        glyphs = cut(data, 16, 2 * count)
        if not options & 1:  # no DriverStringOptionsCmapLookup: glyph numbers, not characters
            self.d.glyph_runs += 1
            return
        first = 16 + 2 * count
        x, y = f32(data, first), f32(data, first + 4)
        end = f32(data, first + 8 * (count - 1))
        advance = end - x + (height * 0.5 if height else 0.0)
        self.d.runs.append(Run(glyphs.decode("utf-16-le", "replace"), x, y, height, advance, "emf+"))

    def object(self, data: memoryview, flags: int) -> None:
        kind, ident = (flags >> 8) & 0x7F, flags & 0xFF
        pending = self.p.plus_state.pending
        if flags & 0x8000:  # one object continued over several records: TotalObjectSize first
            total = u32(data, 0)
            chunk = pending.setdefault(ident, bytearray())
            chunk += data[4:]
            if len(chunk) > total:
                raise Damaged("a continued EMF+ object is longer than it says")
            if len(chunk) < total:
                return
            body = memoryview(bytes(pending.pop(ident)))
        elif ident in pending:  # the last piece of a continued object
            chunk = pending.pop(ident)
            chunk += data
            body = memoryview(bytes(chunk))
        else:
            body = data
        if kind == _OBJECT_FONT:
            self.p.plus_state.fonts[ident] = abs(f32(body, 4))
        elif kind == _OBJECT_PATH:
            self.p.plus_state.paths[ident] = u32(body, 4) >= FLATTENED_POINTS
        elif kind == _OBJECT_IMAGE:
            self.image(body)

    def image(self, body: memoryview) -> None:
        kind = u32(body, 4)
        if kind == 1:  # bitmap
            width, height, stride, pixel_format, compressed = (u32(body, 8 + 4 * i) for i in range(5))
            if compressed == 1:  # a whole PNG, JPEG, GIF, TIFF... file
                self.p.bitmap(bytes(body[28:]), "EmfPlusImage")
            elif pixel_format in _PIXEL_FORMATS:
                pixels = cut(body, 28, stride * height)
                if len(self.d.bitmaps) >= MAX_BITMAPS:
                    raise OverflowError
                self.d.bitmaps.append(Bitmap(pixels, "EmfPlusImage", (width, height, stride, _PIXEL_FORMATS[pixel_format])))
            elif min(width, height) >= 16:
                self.d.unreadable.append("an EMF+ bitmap in an indexed or unusual pixel format")
        elif kind == 2:  # a metafile inside the metafile
            size = u32(body, 12)
            self.p.metafile(memoryview(cut(body, 16, size)), self.depth + 1)
