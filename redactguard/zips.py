"""What every reader of zip archives shares (the zip reader, sources, the redactors, verify)."""

from __future__ import annotations

import struct
import zipfile
import zlib

from .errors import UnreadableDocument

__all__ = ["ZIP_ERRORS", "check_member", "is_folder"]

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


def check_member(info: zipfile.ZipInfo, max_bytes: int) -> None:
    """Refuse a member before unpacking it: encrypted, over `max_bytes`, or inflating like a bomb."""
    if info.flag_bits & 0x1:
        raise UnreadableDocument("encrypted", "the zip member is password-protected")
    if info.file_size > max_bytes:
        raise UnreadableDocument("limit_exceeded", "the zip member is larger than the size limit")
    if info.compress_size and info.file_size / info.compress_size > _MAX_RATIO and info.file_size > 10_000_000:
        raise UnreadableDocument("limit_exceeded", "the zip member inflates like a zip bomb")
