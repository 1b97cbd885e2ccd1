"""S/MIME messages saved by Outlook: what is inside `smime.p7m`.

A clear-signed message (`IPM.Note.SMIME.MultipartSigned`) keeps the whole MIME message,
`multipart/signed`, as its attachment: that is an e-mail and is read as one. An opaque one
(`IPM.Note.SMIME`) keeps a CMS structure: `SignedData` wraps the MIME message (read), while
`EnvelopedData` is encrypted for its recipients (`encrypted`). Only the few DER fields that
lead to the content are walked here; anything else is left to fail closed.
"""

from __future__ import annotations

__all__ = ["SIGNED_DATA", "ENVELOPED_DATA", "cms_kind", "signed_content", "as_mime"]

SIGNED_DATA = "signed"
ENVELOPED_DATA = "enveloped"
_OIDS = {
    bytes.fromhex("2a864886f70d010702"): SIGNED_DATA,
    bytes.fromhex("2a864886f70d010703"): ENVELOPED_DATA,
    bytes.fromhex("2a864886f70d010710"): ENVELOPED_DATA,  # AuthEnvelopedData
}


def _tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of the value, end of the value) of the DER element at `pos`."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length == 0x80:  # BER indefinite length (some producers): the value runs to the end
        return tag, pos, len(data)
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("element runs past the data")
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    pos = start
    while pos < end and len(out) < 64:
        if data[pos] == 0 and pos + 1 < end and data[pos + 1] == 0:  # end of an indefinite value
            break
        tag, vstart, vend = _tlv(data, pos)
        out.append((tag, vstart, vend))
        pos = vend
    return out


def cms_kind(data: bytes) -> str | None:
    """`SIGNED_DATA`, `ENVELOPED_DATA`, or None when `data` is no CMS ContentInfo."""
    try:
        _, start, end = _tlv(data, 0)
        oid = _children(data, start, end)[0]
    except (IndexError, ValueError):
        return None
    return _OIDS.get(data[oid[1] : oid[2]]) if oid[0] == 0x06 else None


def signed_content(data: bytes) -> bytes | None:
    """The content a `SignedData` wraps (the MIME message), or None when it has none (detached)."""
    try:
        _, start, end = _tlv(data, 0)
        info = _children(data, start, end)
        _, sstart, send = _tlv(data, info[1][1])  # [0] EXPLICIT SignedData
        signed = _children(data, sstart, send)
        encap = _children(data, signed[2][1], signed[2][2])  # version, digestAlgorithms, encapContentInfo
        if len(encap) < 2:
            return None
        wrapper = _children(data, encap[1][1], encap[1][2])  # [0] EXPLICIT OCTET STRING
        tag, vstart, vend = wrapper[0]
        if tag == 0x04:
            return data[vstart:vend]
        if tag == 0x24:  # constructed OCTET STRING: its pieces in order
            return b"".join(data[s:e] for t, s, e in _children(data, vstart, vend) if t == 0x04)
    except (IndexError, ValueError):
        return None
    return None


def as_mime(data: bytes) -> bytes:
    """A MIME entity as an e-mail: a body part starts at `Content-Type:`, without the
    `MIME-Version` or address headers a whole message starts with, so it is given one."""
    head = data.lstrip()[:200].lower()
    if head.startswith((b"mime-version:", b"from:", b"received:", b"return-path:", b"date:")):
        return data
    return b"MIME-Version: 1.0\r\n" + data.lstrip()
