"""A zip inside a document (an e-mail or PDF attachment, a DOCX embedding): each member is read
as an attachment. Top-level zip bundles are expanded into documents by `sources.py` instead."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import Limits, ReadContext, register

#: What zipfile raises on a damaged archive or member. zlib.error and struct.error are not
#: OSError or ValueError: missing them let a damaged deflate stream crash a whole scan.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError, EOFError, ValueError,
    KeyError, IndexError, NotImplementedError, RuntimeError,
)
_MAX_RATIO = 200  # a member that inflates more than this (and to over 10 MB) is a zip bomb


def is_folder(info: zipfile.ZipInfo) -> bool:
    """ZipInfo.is_dir() without its IndexError on a member whose name is empty."""
    return info.filename.endswith("/")


def check_member(info: zipfile.ZipInfo, limits: Limits) -> None:
    """Refuse a member before unpacking it: encrypted, too large, or inflating like a bomb."""
    if info.flag_bits & 0x1:
        raise UnreadableDocument("encrypted", "the zip member is password-protected")
    if info.file_size > limits.max_part_bytes:
        raise UnreadableDocument("limit_exceeded", "the zip member is larger than the size limit")
    if info.compress_size and info.file_size / info.compress_size > _MAX_RATIO and info.file_size > 10_000_000:
        raise UnreadableDocument("limit_exceeded", "the zip member inflates like a zip bomb")


@register("zip")
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
                check_member(info, ctx.limits)
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
