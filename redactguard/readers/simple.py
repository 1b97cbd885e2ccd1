"""Types that cannot be checked yet: they fail closed with a precise problem.

Picture files are read by `image.py` (OCR)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..document import Segment
from ..errors import UnreadableDocument
from .base import ReadContext, Reader, register

_ENCRYPTED_OLE = "EncryptionInfo".encode("utf-16-le")


@register("ole")
class OleReader:
    """OLE2 containers: encrypted Office files, or legacy .doc/.xls that are not supported."""

    type = "ole"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        if _ENCRYPTED_OLE in data:
            raise UnreadableDocument("encrypted", "the Office file is password-protected")
        raise UnreadableDocument("unsupported_type", "legacy Office (OLE2) files are not supported")
        yield  # pragma: no cover


@register("office")
class OfficeReader:
    type = "office"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "this Office or OpenDocument format is not supported")
        yield  # pragma: no cover


#: Markup that has no reader yet (`sniff.MARKUP_KINDS`): read raw, its tags and commands would
#: split what a person reads (`14 Cherry \textbf{Tree} Road`), so it fails closed instead.
_UNREAD_MARKUP = {
    "xml": "XML files are markup that is not read yet",
    "svg": "SVG pictures (XML) are not read yet",
    "latex": "LaTeX sources are markup that is not read yet",
    "postscript": "PostScript files are not read yet",
}


class UnreadMarkupReader:
    """Fails closed with `unsupported_type`: the file is markup, never checked as plain text."""

    def __init__(self, type_name: str) -> None:
        self.type = type_name

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", f"{_UNREAD_MARKUP[self.type]}: it fails closed rather than being read as plain text")
        yield  # pragma: no cover


def _unread(kind: str) -> Callable[[], Reader]:
    return lambda: UnreadMarkupReader(kind)


for _kind in _UNREAD_MARKUP:
    register(_kind)(_unread(_kind))
