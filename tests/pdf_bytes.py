"""Hand-made PDFs for tests: numbered objects with a correct cross-reference table."""

from __future__ import annotations


def pdf_from_objects(objects: list[bytes], version: bytes = b"1.7", trailer: bytes = b"") -> bytes:
    """A PDF of the given objects, numbered from 1 (object 1 is the catalog); `trailer` adds
    entries to the trailer dictionary."""
    out, offsets = bytearray(b"%PDF-" + version + b"\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def plain(obj: object) -> object:
    """A pypdf object as plain data, references as ("ref", number, generation), so two readers'
    objects compare equal."""
    from pypdf.generic import IndirectObject

    if isinstance(obj, IndirectObject):
        return ("ref", obj.idnum, obj.generation)
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj
