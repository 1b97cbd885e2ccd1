"""The MAPI property storages of an Outlook message ([MS-OXMSG] 2.1-2.4), read with olefile.

A `.msg` is a Compound File: the message is a storage (the root, or an attached message's
`__substg1.0_3701000D`) holding `__properties_version1.0` (fixed-size values: numbers, flags,
times) and one `__substg1.0_PPPPTTTT` stream per variable-size value (strings, binary data;
`PPPP` the property id, `TTTT` its type), a multi-valued one as `...-NNNNNNNN` value streams;
and a sub-storage per recipient (`__recip_version1.0_#N`) and attachment
(`__attach_version1.0_#N`). This module lists one storage's values by kind; what they mean is
for `msg.py`.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import UnreadableDocument
from .base import ReadContext

if TYPE_CHECKING:
    from olefile import OleFileIO

__all__ = [
    "STRING8", "UNICODE", "BINARY", "OBJECT", "PropertyStorage", "children", "decode_string", "property_name",
    "printable_runs", "read_storage", "read_stream",
]

STRING8, UNICODE, BINARY, OBJECT = 0x001E, 0x001F, 0x0102, 0x000D
_MULTI = 0x1000
_SUBSTG = re.compile(r"__substg1\.0_([0-9A-Fa-f]{4})([0-9A-Fa-f]{4})(?:-([0-9A-Fa-f]{8}))?\Z")

#: `location.field` of the properties a person reads as the message's header and names; any
#: other property is named by its number (a custom property's own name is document text).
_NAMES = {
    0x001A: "message class", 0x0037: "subject", 0x003D: "subject prefix", 0x0E1D: "normalized subject",
    0x0070: "conversation topic", 0x0042: "sent representing name", 0x0065: "sent representing e-mail",
    0x0064: "sent representing address type", 0x0C1A: "sender name", 0x0C1F: "sender e-mail",
    0x0C1E: "sender address type", 0x5D01: "sender SMTP address", 0x5D02: "sent representing SMTP address",
    0x0E04: "display to", 0x0E03: "display cc", 0x0E02: "display bcc", 0x0040: "received by name",
    0x0076: "received by e-mail", 0x0044: "received representing name", 0x0078: "received representing e-mail",
    0x1035: "internet message id", 0x1042: "in reply to", 0x1039: "internet references", 0x3001: "display name",
    0x3002: "address type", 0x3003: "e-mail address", 0x39FE: "SMTP address", 0x3A00: "account",
    0x5FF6: "recipient display name", 0x3707: "attachment long file name", 0x3704: "attachment file name",
    0x370E: "attachment MIME type", 0x3712: "attachment content id", 0x3713: "attachment content location",
    0x370D: "attachment long path", 0x3708: "attachment path", 0x3703: "attachment extension",
    0x0E28: "primary send account", 0x0E29: "next send account", 0x3FFA: "last modifier name",
    0x3FF8: "creator name", 0x0074: "received by address type", 0x0075: "received by address type",
    0x0077: "received representing address type", 0x1000: "body", 0x007D: "transport headers",
}


def property_name(prop: int) -> str:
    return _NAMES.get(prop, f"property 0x{prop:04X}")


@dataclass
class PropertyStorage:
    """One storage's properties: fixed-size values by id, variable-size streams by (id, type)."""

    path: tuple[str, ...]
    fixed: dict[int, int] = field(default_factory=dict)
    #: (property id, type) -> its stream paths (one, or a multi-valued property's value streams)
    streams: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    #: streams and storages that are neither properties nor the known sub-storages
    strange: list[str] = field(default_factory=list)

    def value(self, prop: int) -> int | None:
        return self.fixed.get(prop)


def children(entries: list[list[str]], path: tuple[str, ...]) -> list[str]:
    """Names of the entries directly inside storage `path`."""
    depth = len(path)
    return [e[depth] for e in entries if len(e) == depth + 1 and tuple(e[:depth]) == path]


def read_storage(ole: OleFileIO, entries: list[list[str]], path: tuple[str, ...], header: int,
                 ctx: ReadContext) -> PropertyStorage:
    """Index storage `path`; `header` is the size of its property stream's header (32 for the
    message, 24 for an attached message, 8 for a recipient or attachment)."""
    found = PropertyStorage(path)
    for name in children(entries, path):
        full = "/".join((*path, name))
        m = _SUBSTG.match(name)
        if name == "__properties_version1.0":
            found.fixed = _fixed(read_stream(ole, full, ctx), header)
        elif m:
            prop, kind = int(m.group(1), 16), int(m.group(2), 16)
            if m.group(3) is not None:
                found.streams.setdefault((prop, kind), []).append(full)
            elif not kind & _MULTI or kind in (_MULTI | UNICODE, _MULTI | STRING8, _MULTI | BINARY):
                # a multi-valued string's own stream holds only the values' lengths
                found.streams.setdefault((prop, kind), [] if kind & _MULTI else [full])
            else:  # multi-valued numbers, times, GUIDs: no words
                found.streams.setdefault((prop, kind), [])
        elif not name.startswith(("__recip_version1.0_#", "__attach_version1.0_#", "__nameid_version1.0")):
            found.strange.append(name)
    return found


def read_stream(ole: OleFileIO, path: str, ctx: ReadContext) -> bytes:
    """A stream's bytes, counted against the document's limits."""
    size = ole.get_size(path)
    if size > ctx.limits.max_part_bytes:
        raise UnreadableDocument("limit_exceeded", "a property of the message is larger than the size limit")
    ctx.account(size)
    with ole.openstream(path) as stream:
        data: bytes = stream.read()
    return data


def _fixed(data: bytes, header: int) -> dict[int, int]:
    """Each 16-byte entry's property id -> the first 32 bits of its value ([MS-OXMSG] 2.4.2)."""
    out: dict[int, int] = {}
    for offset in range(header, len(data) - 15, 16):
        tag, _flags, value = struct.unpack_from("<III", data, offset)
        out.setdefault(tag >> 16, value)
    return out


def decode_string(data: bytes, kind: int, codepage: str) -> str:
    """A string value: UTF-16 (`PT_UNICODE`) or 8-bit in the message's code page (`PT_STRING8`)."""
    if kind & ~_MULTI == UNICODE:
        text = data.decode("utf-16-le", "replace")
    else:
        text = data.decode(codepage, "replace")
    return text.rstrip("\x00")


_ASCII_RUN = re.compile(rb"[\x20-\x7e]{5,}")
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00){4,}")


def printable_runs(data: bytes) -> list[str]:
    """Words written into binary values (an entry id's name and address, a search key's
    `SMTP:` address): runs of printable ASCII or UTF-16 with three letters or more."""
    runs = [m.group().decode("utf-16-le") for m in _UTF16_RUN.finditer(data)]
    runs += [m.group().decode("ascii") for m in _ASCII_RUN.finditer(data)]
    return [r.strip() for r in runs if sum(ch.isalpha() for ch in r) >= 3]
