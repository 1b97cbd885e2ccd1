"""Types that cannot be checked yet: they fail closed with a precise problem.

Picture files are read by `image.py` (OCR)."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Segment
from ..errors import UnreadableDocument
from .base import ReadContext, register

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
