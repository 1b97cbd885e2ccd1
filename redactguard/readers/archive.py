"""A zip inside a document (an e-mail or PDF attachment, a DOCX embedding): each member is read
as an attachment. Top-level zip bundles are expanded into documents by `sources.py` instead."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from ..document import Location, Segment
from ..errors import UnreadableDocument
from ..zips import ZIP_ERRORS, check_member, is_folder
from .base import ReadContext


class ZipReader:
    type = "zip"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = [i for i in zf.infolist() if not is_folder(i)]
        except ZIP_ERRORS:
            raise UnreadableDocument("corrupt", "the zip cannot be read") from None
        if len(infos) > ctx.limits.max_parts:
            raise UnreadableDocument("limit_exceeded", "the zip has more members than the limit")
        for info in sorted(infos, key=lambda i: i.filename):
            ctx.check_time()
            try:
                check_member(info, ctx.limits.max_part_bytes)
            except UnreadableDocument as exc:
                ctx.problem(exc.code, f"zip member {info.filename}: {exc}")
                continue
            try:
                with zf.open(info) as fh:
                    member = fh.read(ctx.limits.max_part_bytes + 1)
            except ZIP_ERRORS:
                ctx.problem("corrupt", f"zip member {info.filename} cannot be unpacked")
                continue
            if len(member) > ctx.limits.max_part_bytes:
                ctx.problem("limit_exceeded", f"zip member {info.filename} is larger than the limit")
                continue
            yield from ctx.read_attachment(info.filename, member, Location(part="attachment"))
