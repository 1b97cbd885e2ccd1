"""OLE2 containers (legacy .doc/.xls/.ppt, or Office files encrypted with a password): not read
yet, but an encrypted one says so. Types with no reader at all fail closed with the message of
their entry in `redactguard.formats`."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Segment
from ..errors import UnreadableDocument
from .base import ReadContext

_ENCRYPTED_OLE = "EncryptionInfo".encode("utf-16-le")


class OleReader:
    """OLE2 containers: encrypted Office files, or legacy .doc/.xls that are not supported."""

    type = "ole"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        if _ENCRYPTED_OLE in data:
            raise UnreadableDocument("encrypted", "the Office file is password-protected")
        raise UnreadableDocument("unsupported_type", "legacy Office (OLE2) files are not supported")
        yield  # pragma: no cover
