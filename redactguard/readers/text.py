"""Plain text in any common encoding."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Location, Segment
from .base import ReadContext, register

__all__ = ["TextReader", "decode_text"]

_CHUNK = 64 * 1024


def decode_text(data: bytes) -> str:
    """Decode by BOM, then strict UTF-8, then the best guess of charset-normalizer, then cp1252."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1024 * 1024]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


@register("text")
class TextReader:
    type = "text"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        text = decode_text(data)
        # Cut at line ends so long files stream; the flow joins the pieces for matching.
        pos = 0
        while pos < len(text):
            cut = text.find("\n", pos + _CHUNK)
            end = len(text) if cut == -1 else cut
            yield Segment(text[pos:end], Location(part="body"))
            pos = end + 1
            ctx.check_time()
