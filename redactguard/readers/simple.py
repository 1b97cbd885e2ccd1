"""OLE2 compound files the sniffer could not name: Office files encrypted with a password (an
OOXML package inside `EncryptedPackage`), legacy Office and Outlook files whose stream names are
spelt in another case (MS-CFB names are case-insensitive, so Word opens `worddocument`), and
other compound files (Visio, Publisher, installers...), which fail closed."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Segment
from ..errors import UnreadableDocument
from .base import ReadContext, read_document
from .legacy_ole import open_ole, root_entries

#: Root entries (lower case) that name a type with a reader of its own, first match wins.
_KINDS = (("__properties_version1.0", "msg"), ("worddocument", "doc"), ("workbook", "xls"), ("book", "xls"),
          ("powerpoint document", "ppt"))


class OleReader:
    """OLE2 containers: encrypted Office files, legacy files in other spellings, or unsupported."""

    type = "ole"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        with open_ole(data) as ole:
            roots = root_entries(ole)
        if {"encryptioninfo", "encryptedpackage"} & roots:
            raise UnreadableDocument("encrypted", "the Office file is password-protected")
        if any(r.startswith("__substg1.0_") for r in roots):
            roots.add("__properties_version1.0")
        kind = next((k for name, k in _KINDS if name in roots), None)
        if kind is None:
            raise UnreadableDocument("unsupported_type", "this OLE2 compound file is not a Word, Excel, PowerPoint or Outlook "
                                     "file, and its kind is not supported")
        yield from read_document(data, ctx, kind)
