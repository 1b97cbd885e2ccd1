"""Outlook messages (.msg): every MAPI property that holds words, every body, every attachment.

Read with olefile (BSD) and compressed_rtf (MIT) from the property streams ([MS-OXMSG]),
not with extract-msg (GPL-3.0), so the default install stays permissively licensed. Outlook
shows one body, other programs another, so all of them are read: the plain body (`0x1000`),
the HTML body (`0x1013`, through the HTML reader: markup is not text) and the compressed RTF
body (`0x1009`, through the RTF reader, which reads the HTML an RTF body encapsulates).
Every other string property of the message, its recipients and its attachments (custom and
named properties too) is `metadata` named by its property; the internet headers (`0x007D`)
are `header`, as in an .eml. Binary properties that are not bodies or files (entry ids, search
keys) carry names and addresses as bytes: their printable runs are read as `metadata` too,
unless they only repeat a string already read. Attachments are read as attachments:
files through the reader their content calls for, attached messages recursively, OLE objects
by the document they embed; what cannot be read fails closed.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ..document import FILE_NAME, Location, Problem, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .msg_props import (
    BINARY,
    OBJECT,
    STRING8,
    UNICODE,
    PropertyStorage,
    children,
    decode_string,
    printable_runs,
    property_name,
    read_storage,
    read_stream,
)
from .rtf_tokens import codepage

if TYPE_CHECKING:
    from olefile import OleFileIO

__all__ = ["MsgReader"]

_HEADERS, _BODY, _RTF, _HTML = 0x007D, 0x1000, 0x1009, 0x1013
_CLASS, _CODEPAGE, _INTERNET_CPID = 0x001A, 0x3FFD, 0x3FDE
_DATA, _METHOD, _LONG_NAME, _SHORT_NAME, _DISPLAY_NAME, _MIME = 0x3701, 0x3705, 0x3707, 0x3704, 0x3001, 0x370E
_LINK_PATHS = (0x3708, 0x370D)
_BY_REFERENCE = (2, 3, 4, 7)  # ATTACH_BY_REFERENCE, _RESOLVE, _ONLY, ATTACH_BY_WEB_REFERENCE
_MESSAGE_HEADER, _EMBEDDED_HEADER, _SUB_HEADER = 32, 24, 8
#: Signatures of compressed data and pixels: their bytes hold no words to find as runs.
_PACKED = (b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


class MsgReader:
    type = "msg"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        import olefile

        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
        except (OSError, ValueError, IndexError) as exc:
            raise UnreadableDocument("corrupt", f"the message's compound file cannot be opened ({type(exc).__name__})") from None
        with ole:
            entries = ole.listdir(streams=True, storages=True)
            if ["__properties_version1.0"] not in entries:  # a damaged directory reads as an empty one
                raise UnreadableDocument("corrupt", "the message has no property stream: its structure is damaged")
            if len(entries) > ctx.limits.max_parts:
                raise UnreadableDocument("limit_exceeded", "the message has more parts than the limit")
            walker = _Walker(ole, entries)
            yield from walker.named_properties(ctx)
            yield from walker.message((), _MESSAGE_HEADER, ctx)


class _Walker:
    """Reads the storages of one compound file; `ctx` is the context of the message being read
    (an attached message gets its own, as `ReadContext.read_attachment` gives a file)."""

    def __init__(self, ole: OleFileIO, entries: list[list[str]]) -> None:
        self.ole = ole
        self.entries = entries

    # ------------------------------------------------------------------ a message

    def message(self, path: tuple[str, ...], header: int, ctx: ReadContext) -> Iterator[Segment]:
        store = read_storage(self.ole, self.entries, path, header, ctx)
        cp = _codepage(store, _CODEPAGE, _INTERNET_CPID)
        seen: set[str] = set()
        yield from self.strings(store, ctx, cp, seen, lambda field: Location(part="metadata", detail=field), "")
        yield from self.bodies(store, ctx, cp)
        yield from self.binaries(store, ctx, seen, lambda field: Location(part="metadata", detail=field), "")
        yield from self.strange(store, ctx, Location(part="metadata", detail="stream"), "")
        names = children(self.entries, path)
        recipients = sorted(n for n in names if n.startswith("__recip_version1.0_#"))
        for number, name in enumerate(recipients, 1):
            ctx.check_time()
            yield from self.recipient((*path, name), number, ctx, cp)
        attachments = sorted(n for n in names if n.startswith("__attach_version1.0_#"))
        smime = _message_class(store, self.ole, cp, ctx).upper().startswith("IPM.NOTE.SMIME")
        for number, name in enumerate(attachments, 1):
            ctx.check_time()
            yield from self.attachment((*path, name), number, ctx, cp, smime)

    def strings(self, store: PropertyStorage, ctx: ReadContext, cp: str, seen: set[str],
                where: Callable[[str], Location], flow: str, skip: tuple[int, ...] = ()) -> Iterator[Segment]:
        """Every string property but the bodies and headers (read apart), each distinct value once."""
        for (prop, kind), paths in sorted(store.streams.items()):
            if kind & 0xEFFF not in (STRING8, UNICODE) or prop in (_BODY, _HTML, _HEADERS, *skip):
                continue
            for path in paths:
                text = decode_string(read_stream(self.ole, path, ctx), kind, cp)
                if text.strip() and text not in seen:
                    seen.add(text)
                    yield Segment(text, where(property_name(prop)), flow=f"{flow}property:{prop:04X}:{len(seen)}")

    def binaries(self, store: PropertyStorage, ctx: ReadContext, seen: set[str],
                 where: Callable[[str], Location], flow: str) -> Iterator[Segment]:
        """Names and addresses written into binary values; a picture (the icon Outlook draws for
        an attachment) is read as a picture, and packed data holds no words to read."""
        from .metafile import is_metafile, read_metafile

        known = " ".join(seen).casefold()
        for (prop, kind), paths in sorted(store.streams.items()):
            if kind & 0xEFFF != BINARY or prop in (_RTF, _HTML, _DATA):
                continue
            for path in paths:
                data = read_stream(self.ole, path, ctx)
                if is_metafile(data):
                    image = f"{property_name(prop)} picture"
                    holder = where(image)
                    for seg in read_metafile(ctx, data, location=Location(part="image", image=image),
                                             flow=f"{flow}picture:{prop:04X}", what=image):
                        if holder.part == "attachment":  # an attachment's icon: inside the attachment
                            seg = replace(seg, location=Location(part="attachment", attachment=holder.attachment,
                                                                 inner=seg.location))
                        yield seg
                    continue
                if data.startswith(_PACKED):
                    continue
                for run in printable_runs(data):
                    folded = run.casefold()
                    rest = folded.partition(":")[2]  # a search key's "SMTP:ADDRESS"
                    if folded in known or (rest and rest in known):
                        continue
                    yield Segment(run, where(f"{property_name(prop)} (binary)"), flow=f"{flow}binary:{prop:04X}")

    def strange(self, store: PropertyStorage, ctx: ReadContext, where: Location, flow: str) -> Iterator[Segment]:
        """Entries a message storage should not have: a stream's printable runs, a storage fails closed."""
        for name in store.strange:
            path = "/".join((*store.path, name))
            if self.ole.get_type(path) == 2:  # STGTY_STREAM
                for run in printable_runs(read_stream(self.ole, path, ctx)):
                    yield Segment(run, where, flow=f"{flow}stream")
            else:
                ctx.problem("unsupported_part", "the message holds a storage that is not a MAPI property", location=where)

    # ------------------------------------------------------------------ bodies

    def bodies(self, store: PropertyStorage, ctx: ReadContext, cp: str) -> Iterator[Segment]:
        for (prop, kind), paths in sorted(store.streams.items()):
            if not paths or kind & 0x1000:
                continue
            if prop == _HEADERS and kind in (STRING8, UNICODE):
                yield from _headers(decode_string(read_stream(self.ole, paths[0], ctx), kind, cp))
            elif prop == _BODY and kind in (STRING8, UNICODE):
                text = decode_string(read_stream(self.ole, paths[0], ctx), kind, cp)
                if text.strip():
                    yield Segment(text, Location(part="body"), flow="body")
            elif prop == _HTML and kind in (STRING8, UNICODE, BINARY):
                yield from self.html(read_stream(self.ole, paths[0], ctx), kind, store, cp, ctx)
            elif prop == _RTF and kind == BINARY:
                yield from _rtf_body(read_stream(self.ole, paths[0], ctx), ctx)

    def html(self, data: bytes, kind: int, store: PropertyStorage, cp: str, ctx: ReadContext) -> Iterator[Segment]:
        from .html import html_segments
        from .html_attrs import decode_html

        if kind == BINARY:  # bytes in the charset Outlook recorded for it, else as a page says
            cpid = store.value(_INTERNET_CPID)
            text = data.decode(codepage(cpid), "replace") if cpid else decode_html(data)
        else:
            text = decode_string(data, kind, cp)
        yield from html_segments(text.rstrip("\x00"), ctx, flow="html body")

    # ------------------------------------------------------------------ recipients

    def recipient(self, path: tuple[str, ...], number: int, ctx: ReadContext, cp: str) -> Iterator[Segment]:
        store = read_storage(self.ole, self.entries, path, _SUB_HEADER, ctx)
        seen: set[str] = set()

        def where(field: str) -> Location:
            return Location(part="metadata", detail=f"recipient {number} {field}")

        flow = f"recipient:{number}:"
        yield from self.strings(store, ctx, cp, seen, where, flow)
        yield from self.binaries(store, ctx, seen, where, flow)
        yield from self.strange(store, ctx, where("stream"), flow)

    # ------------------------------------------------------------------ attachments

    def attachment(self, path: tuple[str, ...], number: int, ctx: ReadContext, cp: str, smime: bool) -> Iterator[Segment]:
        store = read_storage(self.ole, self.entries, path, _SUB_HEADER, ctx)
        label = self.attachment_name(store, ctx, cp) or f"attachment {number}"

        def where(field: str) -> Location:
            return Location(part="attachment", attachment=label, inner=Location(part="metadata", detail=field))

        flow = f"attachment:{number}:"
        seen = {label}
        method = store.value(_METHOD) or 1
        by_reference = method in _BY_REFERENCE
        yield from self.strings(store, ctx, cp, seen, where, flow, skip=_LINK_PATHS if by_reference else ())
        yield from self.binaries(store, ctx, seen, where, flow)
        yield from self.strange(store, ctx, where("stream"), flow)
        data_paths = store.streams.get((_DATA, BINARY), [])
        object_paths = store.streams.get((_DATA, OBJECT), [])
        if by_reference or not (data_paths or object_paths):
            yield from self.reference(store, ctx, cp, label, flow, bool(data_paths or object_paths))
        if data_paths:
            from .msg_smime import cms_kind

            data = read_stream(self.ole, data_paths[0], ctx)
            if _is_p7m(label, store, self.ole, cp, ctx) or (smime and cms_kind(data) is not None):
                yield from _smime(ctx, label, data)
            else:
                yield from ctx.read_attachment(label, data, Location(part="attachment"))
        for object_path in object_paths:
            yield from self.object(tuple(object_path.split("/")), label, ctx)

    def attachment_name(self, store: PropertyStorage, ctx: ReadContext, cp: str) -> str | None:
        for prop in (_LONG_NAME, _SHORT_NAME, _DISPLAY_NAME):
            for kind in (UNICODE, STRING8):
                for path in store.streams.get((prop, kind), [])[:1]:
                    name = decode_string(read_stream(self.ole, path, ctx), kind, cp).strip()
                    if name:
                        return name
        return None

    def reference(self, store: PropertyStorage, ctx: ReadContext, cp: str, label: str, flow: str,
                  has_content: bool) -> Iterator[Segment]:
        """A file sent as a link (by reference): its path is read as a `link`; the file is not in
        the message, so there is nothing else to read. An attachment with neither content nor a
        path is only its name."""
        paths = [(prop, kind, p) for (prop, kind), ps in store.streams.items() if prop in _LINK_PATHS for p in ps]
        for prop, kind, path in paths:
            target = decode_string(read_stream(self.ole, path, ctx), kind, cp)
            if target.strip():
                yield Segment(target, Location(part="attachment", attachment=label,
                                               inner=Location(part="link", detail=property_name(prop))),
                              flow=f"{flow}link:{prop:04X}")
        if not has_content:
            yield Segment(label, Location(part="attachment", attachment=label,
                                          inner=Location(part="metadata", detail=FILE_NAME)), flow=f"{flow}file-name")

    def object(self, path: tuple[str, ...], label: str, ctx: ReadContext) -> Iterator[Segment]:
        """An attached message (its own property storage) or an OLE object's storage."""
        names = children(self.entries, path)
        if "__properties_version1.0" in names:
            yield from _nested(ctx, label, lambda inner: self.message(path, _EMBEDDED_HEADER, inner))
            return
        from .embedded import read_embedded
        from .msg_ole import BOOKKEEPING, PAYLOAD_STREAMS, native_payload

        payload = next((n for n in PAYLOAD_STREAMS if n in names), None)
        others = [n for n in names if n not in PAYLOAD_STREAMS and not n.startswith(BOOKKEEPING)]
        where = Location(part="attachment", attachment=label)
        if payload is None or others:
            ctx.problem("unsupported_part", "an OLE object attached to the message cannot be checked", location=where)
            return
        data = read_stream(self.ole, "/".join((*path, payload)), ctx)
        name = label
        if payload == "\x01Ole10Native":
            inner_name, data = native_payload(data)
            name = inner_name or label
        yield from read_embedded(ctx, name, data, Location(part="attachment"))

    # ------------------------------------------------------------------ named properties

    def named_properties(self, ctx: ReadContext) -> Iterator[Segment]:
        """The names of the message's named properties (a custom field's name is the user's text)."""
        path = "__nameid_version1.0/__substg1.0_00040102"
        if not self.ole.exists(path):
            return
        data = read_stream(self.ole, path, ctx)
        pos, names = 0, []
        while pos + 4 <= len(data):
            size = int.from_bytes(data[pos : pos + 4], "little")
            names.append(data[pos + 4 : pos + 4 + size].decode("utf-16-le", "replace"))
            pos += 4 + size + (-size % 4)
        for name in names:
            if name.strip():
                yield Segment(name, Location(part="metadata", detail="named property name"), flow="named properties")


def _codepage(store: PropertyStorage, *props: int) -> str:
    for prop in props:
        number = store.value(prop)
        if number:
            return codepage(number)
    return "cp1252"


def _message_class(store: PropertyStorage, ole: OleFileIO, cp: str, ctx: ReadContext) -> str:
    for kind in (UNICODE, STRING8):
        for path in store.streams.get((_CLASS, kind), [])[:1]:
            return decode_string(read_stream(ole, path, ctx), kind, cp)
    return ""


def _is_p7m(label: str, store: PropertyStorage, ole: OleFileIO, cp: str, ctx: ReadContext) -> bool:
    mime = ""
    for kind in (UNICODE, STRING8):
        for path in store.streams.get((_MIME, kind), [])[:1]:
            mime = decode_string(read_stream(ole, path, ctx), kind, cp).lower()
    return "pkcs7-mime" in mime or "multipart/signed" in mime or label.lower().endswith(".p7m")


def _headers(text: str) -> Iterator[Segment]:
    """The internet headers, one `header` segment per field (as the .eml reader gives them)."""
    import email.parser
    import email.policy

    parsed = email.parser.HeaderParser(policy=email.policy.default).parsestr(text.lstrip("\r\n") + "\r\n\r\n")
    for number, (name, value) in enumerate(parsed.items()):
        try:
            line = str(value)
        except Exception:  # an undecodable encoded-word: the raw field
            line = str(parsed.get(name, ""))
        if line.strip():
            yield Segment(line, Location(part="header", detail=name.lower()), flow=f"header:{number}")
    if not parsed.keys() and text.strip():  # not header syntax at all: its text is still read
        yield Segment(text, Location(part="header", detail="transport headers"), flow="header")


def _rtf_body(data: bytes, ctx: ReadContext) -> Iterator[Segment]:
    """The compressed RTF body ([MS-OXRTFCP]), decompressed within the limits, read as RTF."""
    import compressed_rtf

    from .rtf import RtfReader

    if len(data) < 16:
        ctx.problem("corrupt", "the message's RTF body is cut short", location=Location(part="body"))
        return
    raw_size = int.from_bytes(data[4:8], "little")
    if raw_size > ctx.limits.max_part_bytes:
        raise UnreadableDocument("limit_exceeded", "the message's RTF body is larger than the size limit")
    try:
        rtf = compressed_rtf.decompress(data)
    except Exception as exc:  # the library's messages are its own, but say only the type
        ctx.problem("corrupt", f"the message's RTF body cannot be decompressed ({type(exc).__name__})",
                    location=Location(part="body"))
        return
    ctx.account(len(rtf))
    try:
        for seg in RtfReader().read(rtf, ctx):
            yield replace(seg, flow=f"rtf body:{seg.flow}")
    except UnreadableDocument as exc:
        ctx.problem(exc.code, f"the message's RTF body: {exc}", location=Location(part="body"))


def _smime(ctx: ReadContext, label: str, data: bytes) -> Iterator[Segment]:
    """An S/MIME attachment: a signed message inside is read, an encrypted one is `encrypted`."""
    from .msg_smime import SIGNED_DATA, as_mime, cms_kind, signed_content

    kind = cms_kind(data)
    where = Location(part="attachment", attachment=label)
    if kind is None:  # clear-signed: the attachment is the MIME message itself
        yield from ctx.read_attachment(label, as_mime(data), Location(part="attachment"))
    elif kind == SIGNED_DATA and (content := signed_content(data)) is not None:
        yield from ctx.read_attachment(label, as_mime(content), Location(part="attachment"))
    elif kind == SIGNED_DATA:
        ctx.problem("unsupported_part", "the message's S/MIME signature holds no readable content", location=where)
    else:
        ctx.problem("encrypted", "the message is encrypted (S/MIME) and cannot be checked", location=where)


def _nested(ctx: ReadContext, label: str, read: Callable[[ReadContext], Iterator[Segment]]) -> Iterator[Segment]:
    """An attached message read from its storage in the same file, nested as
    `ReadContext.read_attachment` nests a file: its name, its locations, its problems."""
    where = Location(part="attachment", attachment=label)
    if ctx.depth + 1 > ctx.limits.max_depth:
        ctx.problem("limit_exceeded", "attachments are nested deeper than the limit", location=where)
        return
    inner = ReadContext(name=f"{ctx.name} > {label}", limits=ctx.limits, depth=ctx.depth + 1, ocr=ctx.ocr,
                        ocr_engine=ctx.ocr_engine, expanded=ctx.expanded, deadline=ctx.deadline,
                        ocr_missing=ctx.ocr_missing)
    yield Segment(label, Location(part="attachment", attachment=label, inner=Location(part="metadata", detail=FILE_NAME)),
                  flow=f"attachment:{label}:file-name")
    try:
        for seg in read(inner):
            yield replace(seg, location=Location(part="attachment", attachment=label, inner=seg.location),
                          flow=f"attachment:{label}:{seg.flow}")
    except UnreadableDocument as exc:
        inner.problem(exc.code, str(exc))
    ctx.expanded = inner.expanded
    ctx.ocr_pictures += inner.ocr_pictures
    ctx.ocr_missing = ctx.ocr_missing or inner.ocr_missing
    ctx.notes.extend(f"attachment {label}: {n}" for n in inner.notes)
    for p in inner.problems:
        loc = Location(part="attachment", attachment=label, inner=p.location or Location(page=p.page))
        ctx.problems.append(Problem(p.code, f"attachment {label}: {p.message}", location=loc))
