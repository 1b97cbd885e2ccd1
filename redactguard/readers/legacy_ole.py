"""What a legacy Office file holds outside the document LibreOffice converts: its OLE2 container.

Encryption is told from the binary formats' own flags (LibreOffice would fail or ask for a
password); the property streams (author, title, company, comments; MS-OLEPS) and the custom XML
data store are read here, since a recipient sees them whatever LibreOffice carries over (the
preview picture stored with the properties: `readers/legacy_preview.py`).
"""

from __future__ import annotations

import codecs
import struct
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext

__all__ = ["open_ole", "root_entries", "is_encrypted", "word_version", "word_characters", "property_texts", "data_store_segments", "has_ppt_macros"]

_FILEPASS, _EOF, _BOF_RECORDS = 0x002F, 0x000A, 2_000_000
#: Current User stream's header token of an encrypted PowerPoint file (MS-PPT 2.3.2).
_PPT_ENCRYPTED_TOKEN = 0xF3D1C4DF
#: A VBAInfoContainer (recType 0x03FF) followed by its VBAInfoAtom (MS-PPT 2.4.10): macros.
_PPT_VBA = (b"\x1f\x00\xff\x03", b"\x02\x00\x00\x04\x0c\x00\x00\x00")


def open_ole(data: bytes) -> Any:
    """The compound file; a container olefile cannot open is `corrupt`."""
    import olefile

    try:
        return olefile.OleFileIO(data)
    except Exception as exc:  # olefile's message can quote stream names
        raise UnreadableDocument("corrupt", f"the OLE2 container is damaged ({type(exc).__name__})") from None


def root_entries(ole: Any) -> set[str]:
    """Names of the root storage's streams and storages, lower case (MS-CFB compares names
    case-insensitively, and Word reads a `worddocument` stream as well as a `WordDocument`)."""
    return {entry[0].lower() for entry in ole.listdir(streams=True, storages=True) if entry}


def _stream(ole: Any, name: str) -> bytes:
    try:
        return bytes(ole.openstream(name).read())
    except Exception as exc:
        raise UnreadableDocument("corrupt", f"a stream of the OLE2 container is damaged ({type(exc).__name__})") from None


def word_version(ole: Any) -> int:
    """The Word file's FIB nFib (0x65-0x68: Word 6/95; 0xC1 and later: Word 97-2003)."""
    head = _stream(ole, "WordDocument")[:12]
    if len(head) < 12:
        raise UnreadableDocument("corrupt", "the Word file's main stream has no valid header (FIB)")
    return int.from_bytes(head[2:4], "little")


def word_characters(ole: Any) -> int:
    """How many characters the Word 97 file says its stories hold (FibRgLw97: main text,
    footnotes, headers, comments, endnotes, text boxes); 0 for Word 6/95 or a short FIB."""
    head = _stream(ole, "WordDocument")[:108]
    if len(head) < 108 or int.from_bytes(head[2:4], "little") < 0xC1:
        return 0
    counts = struct.unpack_from("<iiiiiiii", head, 76)  # ccpText, ccpFtn, ccpHdd, (reserved), ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx
    return sum(max(c, 0) for i, c in enumerate(counts) if i != 3)


def is_encrypted(ole: Any, kind: str, roots: set[str]) -> bool:
    """Whether the file is password-protected: Word's FIB fEncrypted flag, Excel's FILEPASS
    record in the workbook globals, PowerPoint's encrypted Current User token or encrypted
    summary stream."""
    if kind == "doc":
        return bool(int.from_bytes(_stream(ole, "WordDocument")[10:12], "little") & 0x0100)
    if kind == "xls":
        return _biff_filepass(_stream(ole, "Workbook" if "workbook" in roots else "Book"))
    if "encryptedsummary" in roots:
        return True
    current = _stream(ole, "Current User") if "current user" in roots else b""
    return len(current) >= 16 and int.from_bytes(current[12:16], "little") == _PPT_ENCRYPTED_TOKEN


def _biff_filepass(stream: bytes) -> bool:
    """A FILEPASS record in the first substream (before its EOF record)."""
    pos = 0
    for _ in range(_BOF_RECORDS):
        if pos + 4 > len(stream):
            return False
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind == _FILEPASS:
            return True
        if kind == _EOF:
            return False
        pos += 4 + size
    return False


def has_ppt_macros(ole: Any) -> bool:
    """A VBAInfoAtom whose fHasMacros is set (PowerPoint writes the atom, cleared, in most files)."""
    data = _stream(ole, "PowerPoint Document")
    start = data.find(_PPT_VBA[0])
    while start != -1:
        if data[start + 8:start + 16] == _PPT_VBA[1] and data[start + 20:start + 24] == b"\x01\x00\x00\x00":
            return True
        start = data.find(_PPT_VBA[0], start + 1)
    return False


def property_texts(ole: Any, ctx: ReadContext) -> list[tuple[str, str]]:
    """(field, text) of every text property of the SummaryInformation and
    DocumentSummaryInformation streams (olefile's names: author, title, company...); damage
    olefile steps over is `corrupt` for the metadata."""
    import olefile

    before = len(ole.parsing_issues)
    meta = ole.get_metadata()
    encoding = _codepage(meta.codepage)
    out: list[tuple[str, str]] = []
    for name in (*olefile.OleMetadata.SUMMARY_ATTRIBS, *olefile.OleMetadata.DOCSUM_ATTRIBS):
        value = getattr(meta, name, None)
        if name == "thumbnail" or value is None:
            continue
        text = value.decode(encoding, "replace") if isinstance(value, bytes) else value if isinstance(value, str) else None
        if text is not None and text.strip("\x00 \r\n\t"):
            out.append((name, text.strip("\x00")))
    if len(ole.parsing_issues) > before:
        ctx.problem("corrupt", "the document properties (OLE property streams) are damaged and were not read completely",
                    location=Location(part="metadata"))
    return out


def _codepage(number: Any) -> str:
    name = {1200: "utf-16-le", 65001: "utf-8"}.get(number, f"cp{number}")
    try:
        codecs.lookup(name)
    except (LookupError, TypeError):
        return "cp1252"
    return name


def data_store_segments(ole: Any, ctx: ReadContext) -> Iterator[Segment]:
    """Custom XML parts kept in the `MsoDataStore` storage (Office 2007 saving a 97 file): all
    their text, as the DOCX reader reads custom XML."""
    from .docx import parse_xml

    streams = [e for e in ole.listdir(streams=True, storages=False) if len(e) > 1 and e[0].lower() == "msodatastore"]
    for number, path in enumerate(streams, start=1):
        data = _stream(ole, "/".join(path))
        if not data.strip():
            continue
        try:
            root = parse_xml(data)
        except UnreadableDocument:
            ctx.problem("unsupported_part", "a custom XML part of the document (MsoDataStore) cannot be read",
                        location=Location(part="metadata"))
            continue
        texts = [t.strip() for t in root.itertext() if t and t.strip()]
        texts += [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values() if len(v) > 3 and " " in v]
        if texts:
            yield Segment("\n".join(texts), Location(part="metadata", detail="custom XML"), flow=f"xml:msodatastore:{number}")
