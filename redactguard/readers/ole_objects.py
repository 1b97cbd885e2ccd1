"""OLE objects embedded in Office packages (`oleObjectN.bin` and other compound files in
`word/embeddings/`, `xl/embeddings/`, `ppt/embeddings/`), read stream by stream ([MS-OLEDS]).

| stream | what it holds | read as |
|---|---|---|
| `\\x01Ole10Native` | an OLE1 object: Packager's label, original path, temporary path and the file itself | the file as an attachment under its own name; label and paths `metadata` |
| a document's root streams (`WordDocument`, `Workbook`/`Book`, `PowerPoint Document`) | the whole compound file is a .doc, .xls or .ppt | an attachment, by its reader |
| `Package` (any case) | an OOXML package (Word, Excel, PowerPoint) wrapped in OLE | an attachment |
| `CONTENTS` | the object's native data (a PDF for Acrobat documents) | an attachment, by its content |
| `\\x01CompObj` | the object's user type and ProgID | `metadata` |
| `\\x01Ole` | flags, and for a linked object the source's path (monikers) | `link` |
| `\\x05...` property sets | title, author, comments... | `metadata` (every string in them) |
| `\\x03EPRINT`, `\\x03MailStream`... `\\x02OlePres` | a metafile presentation of the object | `image`, by `readers/metafile.py` |
| `\\x03ObjInfo`, `\\x01CompObj` flags, `\\x03...` view streams | flags only | nothing to read |
| anything else (`Equation Native`, a ProgID's private streams) | data only that application reads | `unsupported_part`, naming the object by its ProgID |

Every location hangs below an `attachment` named after the object's part (`oleObject1.bin`),
except a payload read as an attachment, which goes under its own file name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from ..document import Location, Problem, Segment
from .base import ReadContext
from .metafile_records import printable_runs

__all__ = ["read_ole_object", "lift"]

#: Root streams that make the compound file a document of its own (sniff names its kind).
_DOCUMENT_STREAMS = {"worddocument", "workbook", "book", "powerpoint document"}
#: Streams whose only content is flags and sizes.
_NO_TEXT = {"\x03objinfo", "\x01compobj"}
#: A ProgID as COM defines it (Vendor.Component.Version, 39 characters at most, no leading
#: digit): safe to name in a problem message; anything else is named by its CLSID.
_PROGID = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,38}(?:\.[A-Za-z0-9_]{1,38}){0,3}")


def read_ole_object(ctx: ReadContext, label: str, data: bytes, where: Location) -> Iterator[Segment]:
    """Read the compound file `data` of the embedded part called `label` (its base name)."""
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception as exc:  # olefile raises OSError and others on damage; only the type is safe to show
        ctx.problem("corrupt", f"embedded object {label} is a damaged compound file ({type(exc).__name__})",
                    location=_at(label, where))
        return
    with ole:
        try:
            yield from _object(ctx, ole, label, data, where)
        except _Broken as exc:
            ctx.problem("corrupt", f"embedded object {label} has a stream that cannot be read ({exc})",
                        location=_at(label, where))


def _object(ctx: ReadContext, ole: object, label: str, data: bytes, where: Location) -> Iterator[Segment]:
    from .sniff import sniff

    streams = ["/".join(path) for path in ole.listdir(streams=True, storages=False)]  # type: ignore[attr-defined]
    kind = _object_kind(ole)
    yield from lift(ctx, label, where, lambda: _wrapper(ctx, ole, streams))
    roots = {s.lower() for s in streams if "/" not in s}
    if roots & _DOCUMENT_STREAMS or sniff(data) != "ole" or "encryptioninfo" in roots:
        # a .doc, .xls, .ppt or .msg whole, or an encrypted package: its own reader says (the
        # legacy readers read the object's presentation pictures beside the document too)
        yield from ctx.read_attachment(label, data, where)
        return
    for name in streams:
        ctx.check_time()
        yield from _stream(ctx, ole, name, label, kind, where)


class _Broken(Exception):
    """A stream olefile cannot read (a broken sector chain); the message is the error's type."""


def _wrapper(ctx: ReadContext, ole: object, streams: list[str]) -> Iterator[Segment]:
    """The object's own description: user type and ProgID, link source, property sets."""
    for name in streams:
        base = name.rsplit("/", 1)[-1]
        if base.lower() == "\x01compobj":
            for field, text in _comp_obj(_read(ctx, ole, name)):
                yield Segment(text, Location(part="metadata", detail=f"OLE {field}"), flow=f"metadata:{name}:{field}")
        elif base.lower() == "\x01ole":
            links = printable_runs(_read(ctx, ole, name))
            if links:
                yield Segment("\n".join(links), Location(part="link", detail="OLE link source"), flow=f"link:{name}")
        elif base.startswith("\x05"):
            texts = printable_runs(_read(ctx, ole, name), 3)
            if texts:
                yield Segment("\n".join(texts), Location(part="metadata", detail=f"OLE {base[1:]}"), flow=f"metadata:{name}")


def _stream(ctx: ReadContext, ole: object, name: str, label: str, kind: str, where: Location) -> Iterator[Segment]:
    from .metafile import is_metafile, read_metafile
    from .sniff import sniff

    base = name.rsplit("/", 1)[-1]
    low = base.lower()
    if low in _NO_TEXT or low == "\x01ole" or base.startswith("\x05"):
        return  # read by _wrapper, or flags only
    data = _read(ctx, ole, name)
    if low == "\x01ole10native":
        yield from _native(ctx, data, label, kind, where)
    elif is_metafile(data):  # \x03EPRINT, \x02OlePres000 and other presentations
        image = f"{label}/{base.lstrip(chr(1) + chr(2) + chr(3))}"
        yield from lift(ctx, label, where, lambda: read_metafile(
            ctx, data, location=Location(part="image", image=image), flow=f"image:{image}", what=f"its picture {image}"))
    elif low.startswith("\x02olepres") and len(data) <= 64:
        return  # a presentation stream with no picture (an icon drawn by the application)
    elif low in ("package", "contents") and _readable(sniff(data)):
        yield from ctx.read_attachment(f"{label}/{base}", data, where)
    elif not data:
        return
    else:
        ctx.problem("unsupported_part", f"embedded object {label} ({kind}) holds data that cannot be checked",
                    location=_at(label, where))


def _native(ctx: ReadContext, data: bytes, label: str, kind: str, where: Location) -> Iterator[Segment]:
    """An OLE1 object: Packager's format (label, paths, file) or another application's data."""
    from .sniff import sniff

    package = _packager(data)
    if package is None:  # not Packager's layout: the native data after its size, if it is a file
        size = int.from_bytes(data[:4], "little") if len(data) >= 4 else 0
        native = data[4:4 + size] if 0 < size <= len(data) - 4 else data[4:]
        if _readable(sniff(native)):
            yield from ctx.read_attachment(f"{label}/Ole10Native", native, where)
        else:
            ctx.problem("unsupported_part", f"embedded object {label} ({kind}) holds data that cannot be checked",
                        location=_at(label, where))
        return
    texts, payload = package
    shown = {text: field for field, text in reversed(texts) if text and field != "file name"}
    yield from lift(ctx, label, where, lambda: (
        Segment(text, Location(part="metadata", detail=f"OLE package {field}"), flow=f"metadata:{label}:{field}")
        for text, field in reversed(shown.items())))
    if payload is None:  # a linked file: only its path, read above
        return
    file_name = next((t for f, t in texts if f == "file name" and t), "") or next((t for f, t in texts if f == "label" and t), "")
    name = re.split(r"[\\/]", file_name)[-1] or f"{label}/Ole10Native"
    yield from ctx.read_attachment(name, payload, where)


def _packager(data: bytes) -> tuple[list[tuple[str, str]], bytes | None] | None:
    """Packager's layout ([MS-OLEDS] 2.3.6 as Packager writes it): size, 2, label, original path,
    a 4-byte kind (3: embedded file, 1: link), temporary path, payload size and payload, then
    the three strings again in UTF-16 (newer Windows). None if the data is not so laid out."""
    pos = 4
    if data[pos:pos + 2] != b"\x02\x00":
        return None
    pos += 2
    strings: list[bytes] = []
    for _ in range(2):
        end = data.find(b"\0", pos, pos + 4096)
        if end < 0:
            return None
        strings.append(data[pos:end])
        pos = end + 1
    kind = int.from_bytes(data[pos + 2:pos + 4], "little")
    pos += 4
    texts = [("label", _ansi(strings[0])), ("original path", _ansi(strings[1]))]
    if kind != 3:  # a link to a file: no payload
        texts.append(("file name", _ansi(strings[1])))
        return texts, None
    temp_len = int.from_bytes(data[pos:pos + 4], "little")
    temp = data[pos + 4:pos + 4 + temp_len].rstrip(b"\0")
    pos += 4 + temp_len
    size = int.from_bytes(data[pos:pos + 4], "little")
    pos += 4
    if temp_len > len(data) or pos + size > len(data):
        return None
    payload = data[pos:pos + size]
    pos += size
    texts += [("temporary path", _ansi(temp)), ("file name", _ansi(strings[1]))]
    for field in ("temporary path", "label", "original path"):  # the UTF-16 forms, when present
        chars = int.from_bytes(data[pos:pos + 4], "little")
        if pos + 4 + 2 * chars > len(data) or chars == 0:
            break
        texts.append((field, data[pos + 4:pos + 4 + 2 * chars].decode("utf-16-le", "replace").rstrip("\0")))
        pos += 4 + 2 * chars
    wide_path = [t for f, t in texts[4:] if f == "original path"]
    if wide_path:  # the UTF-16 path names the file faithfully, whatever the ANSI code page was
        texts = [(f, wide_path[0] if f == "file name" else t) for f, t in texts]
    return texts, payload


def _ansi(raw: bytes) -> str:
    """Packager's ANSI strings are in the writer's code page, which the file does not record:
    UTF-8 where it decodes, else Windows-1252 (every byte kept)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _comp_obj(data: bytes) -> list[tuple[str, str]]:
    """User type and ProgID from a CompObj stream ([MS-OLEDS] 2.3.8), ANSI then Unicode."""
    out: list[tuple[str, str]] = []
    pos = 28
    fields = ("user type", "clipboard format", "ProgID")
    for field in fields:
        if pos + 4 > len(data):
            return out
        size = int.from_bytes(data[pos:pos + 4], "little")
        pos += 4
        if field == "clipboard format" and size in (0xFFFFFFFF, 0xFFFFFFFE):
            pos += 4
            continue
        if size > len(data) - pos:
            return out
        text = data[pos:pos + size].rstrip(b"\0").decode("cp1252", "replace")
        pos += size
        if text:
            out.append((field, text))
    if data[pos:pos + 4] == b"\xf4\x39\xb2\x71":  # the Unicode marker: the same fields in UTF-16
        pos += 4
        for field in fields:
            if pos + 4 > len(data):
                break
            chars = int.from_bytes(data[pos:pos + 4], "little")
            pos += 4
            if field == "clipboard format" and chars in (0xFFFFFFFF, 0xFFFFFFFE):
                pos += 4
                continue
            if 2 * chars > len(data) - pos:
                break
            text = data[pos:pos + 2 * chars].decode("utf-16-le", "replace").rstrip("\0")
            pos += 2 * chars
            if text and (field, text) not in out:
                out.append((field, text))
    return out


def _object_kind(ole: object) -> str:
    """A name for the object safe to put in a message: its ProgID if it looks like one, else
    its CLSID (never free text from the file)."""
    for path in ole.listdir(streams=True, storages=False):  # type: ignore[attr-defined]
        if path[-1].lower() == "\x01compobj":
            try:
                fields = dict(_comp_obj(ole.openstream(path).read()))  # type: ignore[attr-defined]
            except Exception:  # noqa: S112 - a damaged stream only loses the name
                continue
            progid = fields.get("ProgID", "")
            if _PROGID.fullmatch(progid) and not re.search(r"\d{4}", progid):
                return progid
    clsid = getattr(getattr(ole, "root", None), "clsid", "") or ""
    return f"CLSID {clsid}" if re.fullmatch(r"[0-9A-F-]{36}", clsid) else "unknown type"


def _read(ctx: ReadContext, ole: object, name: str) -> bytes:
    size = ole.get_size(name)  # type: ignore[attr-defined]
    if size > ctx.limits.max_part_bytes:
        from ..errors import UnreadableDocument

        raise UnreadableDocument("limit_exceeded", "an embedded object's stream is larger than the size limit")
    ctx.account(size)
    try:
        return bytes(ole.openstream(name).read())  # type: ignore[attr-defined]
    except Exception as exc:  # olefile on a damaged chain; its message could quote data
        raise _Broken(type(exc).__name__) from None


def _readable(kind: str) -> bool:
    from .. import formats

    return formats.find(kind).reader is not None and kind != "ole"


def _at(label: str, where: Location) -> Location:
    return Location(part="attachment", page=where.page, sheet=where.sheet, attachment=label)


def lift(ctx: ReadContext, label: str, where: Location, read: Callable[[], Iterator[Segment]]) -> Iterator[Segment]:
    """Segments and problems of the object itself, hung below an attachment named `label`."""
    start = len(ctx.problems)
    for seg in read():
        loc = Location(part="attachment", page=where.page, sheet=where.sheet, attachment=label, inner=seg.location)
        yield replace(seg, location=loc, flow=f"attachment:{label}:{seg.flow}")
    for i in range(start, len(ctx.problems)):
        p = ctx.problems[i]
        if p.location is None:  # document-wide (OCR missing): stays as it is
            continue
        loc = Location(part="attachment", page=where.page, sheet=where.sheet, attachment=label, inner=p.location)
        ctx.problems[i] = Problem(p.code, f"embedded object {label}: {p.message}", page=where.page, location=loc)
