"""What EMF, EMF+ and WMF records can draw that holds writing (text runs, bitmaps, lettering-like
shapes, private comments), and the checked readers of their fields ([MS-EMF], [MS-EMFPLUS],
[MS-WMF]). `metafile_emf.py` and `metafile_wmf.py` parse the records; `metafile.py` turns the
result into segments and problems.
Every size and offset is checked against the record that holds it: a record that points past
its end, a zero record size or a file that stops without its end-of-file record raises
`Damaged`, never reads outside the data and never loops (each record advances the position).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Damaged", "Drawing", "Run", "Bitmap", "Parser", "Lettering", "PlusState", "metafile_kind", "is_metafile", "inflate",
           "printable_runs", "dib_file", "packed_dib", "u32", "i32", "u16", "i16", "f32", "cut"]

_EMF_SIGNATURE = b" EMF"
WMF_PLACEABLE = b"\xd7\xcd\xc6\x9a"
_GZIP = b"\x1f\x8b"
#: Metafiles inside metafiles (an EMF in a WMF comment, in an EMF+ image object...).
MAX_NESTING = 4
#: Bitmaps kept from one metafile: past this the picture is `limit_exceeded`.
MAX_BITMAPS = 256
#: Closed, filled shapes drawn with curves (or flattened into many points) that, with no
#: text record explaining them, may be lettering converted to outlines.
LETTERING_SHAPES = 5
FLATTENED_POINTS = 8


class Damaged(Exception):
    """The metafile's structure is broken; the message names the structure, never content."""


@dataclass
class Run:
    """One text record: its characters and where its reference point sits (logical units)."""

    text: str
    x: float
    y: float
    height: float  # the font's em height in the same units; 0 where unknown
    advance: float | None  # the run's width from its spacing array, where given
    space: str  # "gdi" or "emf+": coordinates of different spaces never share a line


@dataclass
class Bitmap:
    """A picture drawn by the metafile: a BMP (a DIB with a file header), PNG or JPEG file."""

    data: bytes
    record: str
    #: GDI+ pixels that are no file: (width, height, stride, Pillow raw mode); None for a file.
    pixels: tuple[int, int, int, str] | None = None


@dataclass
class Drawing:
    """What one metafile (and the metafiles nested in it) draws that could hold writing."""

    runs: list[Run] = field(default_factory=list)
    bitmaps: list[Bitmap] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # printable strings in private records
    glyph_runs: int = 0  # text drawn by glyph index: no characters to read
    shapes: int = 0  # filled shapes with curves or many points (possible lettering)
    unreadable: list[str] = field(default_factory=list)  # what cannot be decoded, by kind


def metafile_kind(data: bytes) -> str | None:
    """"emf", "wmf" or "gzip" (EMZ/WMZ) from the first bytes; None for anything else."""
    if len(data) >= 44 and data[:4] == b"\x01\0\0\0" and data[40:44] == _EMF_SIGNATURE:
        return "emf"
    if data[:4] == WMF_PLACEABLE:
        return "wmf"
    if len(data) >= 18 and data[:2] in (b"\x01\0", b"\x02\0") and data[2:4] == b"\x09\0" and data[4:6] in (b"\0\x01", b"\0\x03"):
        return "wmf"
    if data[:2] == _GZIP:
        return "gzip"
    return None


def is_metafile(data: bytes) -> bool:
    """EMF, WMF (placeable or not), or gzip data that unpacks to either (EMZ, WMZ)."""
    kind = metafile_kind(data[:64])
    if kind != "gzip":
        return kind is not None
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 64)
    except zlib.error:
        return False
    return metafile_kind(head) in ("emf", "wmf")


def inflate(data: bytes, limit: int) -> bytes:
    """A gzip member (EMZ/WMZ) unpacked, at most `limit` bytes (past it: `OverflowError`)."""
    unpack = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = unpack.decompress(data, limit + 1)
    except zlib.error as exc:
        raise Damaged("its compressed data is damaged") from exc
    if len(out) > limit:
        raise OverflowError
    if not unpack.eof:
        raise Damaged("its compressed data breaks off")
    return out


def printable_runs(data: bytes, minimum: int = 4) -> list[str]:
    """Runs of printable characters in binary data, read as bytes and as UTF-16: what a person
    running `strings` on a private record would see."""
    out: list[str] = []
    out += _runs(data.decode("latin-1"), minimum)
    for start in (0, 1):
        chunk = data[start:]
        wide = _runs(chunk[: len(chunk) // 2 * 2].decode("utf-16-le", "replace"), minimum)
        # ASCII read one byte out of step decodes as U+xx00 "characters": not text
        out += [w for w in wide if sum(ord(c) & 0xFF == 0 for c in w) * 2 < len(w)]
    return list(dict.fromkeys(out))


def _runs(text: str, minimum: int) -> list[str]:
    found, cur = [], []
    for ch in text:
        if ch.isprintable() and ch != "\ufffd" and not ("\x7f" <= ch <= "\xa0"):
            cur.append(ch)
            continue
        if len(cur) >= minimum and any(c.isalnum() for c in cur):
            found.append("".join(cur).strip())
        cur = []
    if len(cur) >= minimum and any(c.isalnum() for c in cur):
        found.append("".join(cur).strip())
    return [f for f in found if f]


def u32(buf: memoryview, off: int) -> int:
    if off < 0 or off + 4 > len(buf):
        raise Damaged("a record is shorter than its fields")
    return int.from_bytes(buf[off:off + 4], "little")


def i32(buf: memoryview, off: int) -> int:
    return u32(buf, off) - ((u32(buf, off) & 0x80000000) << 1)


def u16(buf: memoryview, off: int) -> int:
    if off < 0 or off + 2 > len(buf):
        raise Damaged("a record is shorter than its fields")
    return int.from_bytes(buf[off:off + 2], "little")


def i16(buf: memoryview, off: int) -> int:
    value = u16(buf, off)
    return value - 0x10000 if value & 0x8000 else value


def f32(buf: memoryview, off: int) -> float:
    if off < 0 or off + 4 > len(buf):
        raise Damaged("a record is shorter than its fields")
    return float(struct.unpack_from("<f", buf, off)[0])


def cut(buf: memoryview, off: int, size: int) -> bytes:
    if off < 0 or size < 0 or off + size > len(buf):
        raise Damaged("a record points past its end")
    return bytes(buf[off:off + size])


#: LOGFONT charsets -> the code page of 8-bit text drawn in that font ([MS-WMF] 2.1.1.5).
CHARSETS = {0: "cp1252", 1: "cp1252", 2: "cp1252", 77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab",
             134: "gbk", 136: "cp950", 161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255",
             178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250", 255: "cp437"}

class Parser:
    def __init__(self, drawing: Drawing, tick: Callable[[], None], readers: dict[str, Callable[[Parser, memoryview, int], None]]):
        self.d = drawing
        self.readers = readers
        self.tick = tick
        self.records = 0
        self.plus_state = PlusState()

    def metafile(self, buf: memoryview, depth: int) -> None:
        if depth > MAX_NESTING:
            raise Damaged("metafiles are nested too deeply")
        read = self.readers.get(metafile_kind(bytes(buf[:44])) or "")
        if read is None:
            raise Damaged("a nested metafile is of no known kind")
        read(self, buf, depth)

    def count(self) -> None:
        self.records += 1
        if self.records % 4096 == 0:
            self.tick()

    def bitmap(self, data: bytes, record: str) -> None:
        if len(self.d.bitmaps) >= MAX_BITMAPS:
            raise OverflowError
        if data not in (b.data for b in self.d.bitmaps[-8:]):  # a tile drawn again and again
            self.d.bitmaps.append(Bitmap(data, record))


def dib_file(bmi: bytes, bits: bytes) -> bytes:
    """A DIB's header and bits as a file Pillow opens: a PNG or JPEG as it is (BI_PNG, BI_JPEG),
    anything else behind a BITMAPFILEHEADER."""
    if len(bmi) < 12:
        raise Damaged("a bitmap header is too short")
    if int.from_bytes(bmi[:4], "little") >= 40 and int.from_bytes(bmi[16:20], "little") in (4, 5):
        return bits
    size = 14 + len(bmi) + len(bits)
    return b"BM" + struct.pack("<IHHI", size, 0, 0, 14 + len(bmi)) + bmi + bits


def packed_dib(dib: bytes) -> tuple[bytes, bytes]:
    """A packed DIB (WMF) split into its header with colour table and its bits."""
    if len(dib) < 12:
        raise Damaged("a bitmap header is too short")
    header = int.from_bytes(dib[:4], "little")
    if header == 12:  # BITMAPCOREHEADER: RGB triples
        bit_count = int.from_bytes(dib[10:12], "little")
        colours = 1 << bit_count if bit_count <= 8 else 0
        table = 3 * colours
    elif header >= 40 and len(dib) >= 40:
        bit_count = int.from_bytes(dib[14:16], "little")
        compression = int.from_bytes(dib[16:20], "little")
        used = int.from_bytes(dib[32:36], "little")
        colours = used or (1 << bit_count if bit_count <= 8 else 0)
        table = 4 * min(colours, 256) + (12 if compression == 3 and header == 40 else 0)
    else:
        raise Damaged("a bitmap header is of no known kind")
    end = header + table
    if end > len(dib):
        raise Damaged("a bitmap's colour table runs past its record")
    return dib[:end], dib[end:]


class Lettering:
    """Filled shapes that look like letters drawn as outlines: with curves or many points."""

    def __init__(self, drawing: Drawing):
        self.d = drawing
        self.in_path = False
        self.curved = False

    def path_record(self, curved: bool) -> None:
        if self.in_path:
            self.curved = self.curved or curved

    def begin(self) -> None:
        self.in_path, self.curved = True, False

    def end(self) -> None:
        self.in_path = False

    def fill(self) -> None:
        if self.curved:
            self.d.shapes += 1
        self.curved = False


class PlusState:
    """EMF+ objects live across comment records, so their table belongs to the whole file."""

    def __init__(self) -> None:
        self.fonts: dict[int, float] = {}
        self.paths: dict[int, bool] = {}
        self.pending: dict[int, bytearray] = {}
