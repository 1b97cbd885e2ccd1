"""Plain text in any common encoding."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Location, Segment
from .base import ReadContext

__all__ = ["TextReader", "decode_text", "text_chunks"]

_CHUNK = 64 * 1024


def decode_text(data: bytes) -> str:
    """Decode a text file as its writer meant it.

    Order: a byte-order mark; UTF-16 without one (every other byte zero); strict UTF-8;
    Windows-1252, the encoding of nearly every non-UTF-8 English document (charset-normalizer
    guesses exotic code pages for short English notes); then charset-normalizer's best guess
    for what cp1252 cannot decode; latin-1 last, which decodes anything.
    """
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1024 * 1024]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros > half * 0.3 and odd_zeros > even_zeros * 4:
        enc = "utf-16-le"
    elif even_zeros > half * 0.3 and even_zeros > odd_zeros * 4:
        enc = "utf-16-be"
    else:
        return None
    return data[: len(data) // 2 * 2].decode(enc, errors="replace")


def text_chunks(text: str, size: int = _CHUNK) -> Iterator[str]:
    """`text` cut at line ends past every `size` characters, the line breaks dropped: long texts
    stream, and a flow, which joins its segments with a line break, gives back `text` exactly."""
    pos = 0
    while pos < len(text):
        cut = text.find("\n", pos + size)
        end = len(text) if cut == -1 else cut
        yield text[pos:end]
        pos = end + 1


class TextReader:
    type = "text"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        for chunk in text_chunks(decode_text(data)):
            yield Segment(chunk, Location(part="body"))
            ctx.check_time()
