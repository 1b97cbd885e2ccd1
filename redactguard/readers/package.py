"""Zip packages (DOCX, XLSX, PPTX, OpenDocument): their members read with the context's limits.

Every member is read through here, so the limits hold for all of them: the number of members,
one member's size (declared and actual), the bytes unpacked from the whole document, and a
member encrypted inside the zip (`encrypted`). Messages name the package by `label` ("DOCX
package", "workbook"...), never a member's content.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from ..errors import UnreadableDocument
from ..zips import ZIP_ERRORS, is_folder
from .base import ReadContext

__all__ = ["ZipPackage"]


@dataclass
class ZipPackage:
    """The zip of one document and the names of its members (folders left out)."""

    zf: zipfile.ZipFile
    ctx: ReadContext
    label: str
    names: list[str] = field(default_factory=list)

    @classmethod
    def open_zip(cls, data: bytes, ctx: ReadContext, label: str) -> tuple[zipfile.ZipFile, list[str]]:
        """The zip of `data` and its member names, within the member count limit."""
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = zf.infolist()
        except ZIP_ERRORS:
            raise UnreadableDocument("corrupt", f"the {label} is damaged") from None
        if len(infos) > ctx.limits.max_parts:
            raise UnreadableDocument("limit_exceeded", f"the {label} has more parts than the limit")
        return zf, [i.filename for i in infos if not is_folder(i)]

    def read(self, name: str) -> bytes:
        """A member's bytes, counted against the document's expansion limit."""
        limit = self.ctx.limits.max_part_bytes
        try:
            info = self._info(name)
            if info.file_size > limit:
                raise UnreadableDocument("limit_exceeded", f"a part of the {self.label} is larger than the limit")
            with self.zf.open(info) as fh:
                data = fh.read(limit + 1)
        except UnreadableDocument:
            raise
        except ZIP_ERRORS:
            raise UnreadableDocument("corrupt", f"a part of the {self.label} cannot be unpacked") from None
        if len(data) > limit:  # the zip's declared size lied
            raise UnreadableDocument("limit_exceeded", f"a part of the {self.label} is larger than the limit")
        self.ctx.account(len(data))
        return data

    def head(self, name: str, size: int) -> bytes:
        """The first `size` bytes of a member (to tell what it is without unpacking all of it)."""
        try:
            with self.zf.open(self._info(name)) as fh:
                return fh.read(size)
        except UnreadableDocument:
            raise
        except ZIP_ERRORS:
            raise UnreadableDocument("corrupt", f"a part of the {self.label} cannot be unpacked") from None

    def size(self, name: str) -> int:
        return self.zf.getinfo(name).file_size

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self.zf.getinfo(name)
        if info.flag_bits & 0x1:
            raise UnreadableDocument("encrypted", f"a part of the {self.label} is encrypted")
        return info
