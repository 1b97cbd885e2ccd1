"""OLE objects' payloads: the file inside an Outlook OLE attachment or an RTF `\\object`.

An OLE object keeps the document it embeds in one of a few places: a `\\x01Ole10Native` stream
(OLE1 native data: for the `Package` class a file name and the file's bytes, for other classes
the bytes themselves), a `Package` stream (an Office Open XML document), or a `CONTENTS`
stream (PDF and others). The rest of an object's storage is bookkeeping (`\\x01Ole`,
`\\x01CompObj`, `\\x03ObjInfo`) or the picture its container shows for it (`\\x02OlePres...`),
which is not read: the object itself is. An object whose document lives anywhere else (a Word
or Excel binary stored as the object's own streams) cannot be read here and fails closed.
"""

from __future__ import annotations

import struct

__all__ = ["PAYLOAD_STREAMS", "BOOKKEEPING", "native_payload"]

#: Streams that hold the embedded document, best first.
PAYLOAD_STREAMS = ("\x01Ole10Native", "Package", "CONTENTS", "Contents")
#: Streams with no words of the document: OLE's own records and the object's shown picture.
BOOKKEEPING = ("\x01Ole", "\x01CompObj", "\x03ObjInfo", "\x03EPRINT", "\x02OlePres", "\x03MailStream", "\x01Ole10ItemName")


def native_payload(data: bytes) -> tuple[str | None, bytes]:
    """The file in an `\\x01Ole10Native` stream: (its name when the object is a Package, bytes).

    The stream is a 32-bit size, then the native data; a Package's native data is a 16-bit
    type, an ANSI label, the source path, a temporary path and the file's size and bytes.
    """
    if len(data) < 4:
        return None, b""
    size = struct.unpack_from("<I", data)[0]
    native = data[4 : 4 + size] if 0 < size <= len(data) - 4 else data[4:]
    package = _package(native)
    return package if package is not None else (None, native)


def _package(native: bytes) -> tuple[str, bytes] | None:
    try:
        pos = 2
        label, pos = _cstring(native, pos)
        _source, pos = _cstring(native, pos)
        pos += 4  # reserved (0x00030000 for an embedded file)
        length = struct.unpack_from("<I", native, pos)[0]
        pos += 4 + length  # temporary path, with its terminating zero
        size = struct.unpack_from("<I", native, pos)[0]
        pos += 4
    except (struct.error, ValueError):
        return None
    if native[:2] != b"\x02\x00" or pos + size > len(native):
        return None
    return label, native[pos : pos + size]


def _cstring(data: bytes, pos: int) -> tuple[str, int]:
    end = data.index(b"\x00", pos)
    if end - pos > 4096:
        raise ValueError("not a package header")
    return data[pos:end].decode("cp1252", "replace"), end + 1
