"""A PDF's own bytes, for what no parser of the whole file gives: when pypdf cannot open a file,
PDFium still reads its pages, annotations, forms, outline, Info and attachments, but has no way
to its XMP metadata, its trailers or strings its interface does not reach.

This reads the file the way the verifier's residue search does (`verify._pdf_raw`): every
`stream ... endstream`, decoded where it knows the filters (none, Flate without a predictor,
ASCIIHex, ASCII85), classed by the dictionary before it; every string outside the streams and
inside object streams; the entries of every trailer and cross-reference stream. It parses no
object graph, so the damage that stopped pypdf does not stop it, and what it cannot decode is
reported, never skipped.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..document import Location, Segment
from .base import ReadContext

__all__ = ["RawPdf", "RawStream", "SHOWS_TEXT", "TRAILER_KEYS", "payload_key", "strip_markup", "text_key"]

#: The trailer's own keys (ISO 32000-2, 7.5.5 and 7.5.8: a cross-reference stream's dictionary
#: is the trailer), read elsewhere or holding no text; LibreOffice's checksum is a name.
TRAILER_KEYS = frozenset({
    "/Size", "/Prev", "/Root", "/Encrypt", "/Info", "/ID", "/XRefStm", "/Type", "/W", "/Index",
    "/Filter", "/DecodeParms", "/Length", "/DL", "/DocChecksum",
})

#: A text-showing operator with a non-empty string operand: `(x) Tj`, `<41> Tj`, `[(x)] TJ`, `'`, `"`.
SHOWS_TEXT = re.compile(rb"(?:\((?:[^()\\]|\\.)+\)|<[0-9A-Fa-f\s]+>)\s*(?:Tj|'|\")|\]\s*TJ")

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_NEXT_OBJECT = re.compile(rb"[\r\n](?:\d+\s+\d+\s+obj\s*<<|xref\s|trailer\s*<<|startxref\s)")
_OBJECT = re.compile(rb"(?<!\d)(\d+)\s+\d+\s+obj\Z")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_KINDS = (  # the dictionary says what a stream holds; the first that matches names it
    ("metadata", re.compile(rb"/Type\s*/Metadata\b|/Subtype\s*/XML\b")),
    ("objects", re.compile(rb"/Type\s*/ObjStm\b")),
    ("embedded", re.compile(rb"/Type\s*/EmbeddedFile\b")),
    ("xref", re.compile(rb"/Type\s*/XRef\b")),
    ("image", re.compile(rb"/Subtype\s*/Image\b")),
    ("form", re.compile(rb"/Subtype\s*/Form\b")),
)
#: How an XML document starts: XMP without its /Type, XFA packets, any other XML a producer kept.
_XML = re.compile(rb"\s*(?:\xef\xbb\xbf)?<(?:\?xml|\?xpacket|x:xmpmeta|rdf:RDF|xdp:xdp)")
_LITERAL = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]+)>")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_TRAILER = re.compile(rb"trailer\s*<<")
_LINEARIZED = re.compile(rb"/Linearized\b")
_EOF = re.compile(rb"%%EOF[ \t\r\n]*")
_SCRIPT = re.compile(rb"/JS\s*(\d+)\s+\d+\s+R")
_TOKEN = re.compile(rb"<<|>>|\[|\]|\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>|/[^\s/\[\]<>()]*|[^\s/\[\]<>()]+")
_FILTERS = {b"AHx": b"ASCIIHexDecode", b"A85": b"ASCII85Decode", b"Fl": b"FlateDecode", b"DCT": b"DCTDecode"}
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass(frozen=True)
class RawStream:
    """One stream: its object number (None if not found), what its dictionary says it is
    (`metadata`, `objects`, `embedded`, `xref`, `image`, `form`, or `other`), its dictionary,
    its data decoded (None where it is filtered otherwise, or does not decode), and whether its
    compressed data breaks off."""

    number: int | None
    kind: str
    dictionary: bytes
    data: bytes | None
    broken: bool = False


@dataclass
class RawPdf:
    """The streams, strings and trailer keys of one file's bytes."""

    streams: list[RawStream] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    #: Every entry of every trailer and cross-reference stream (see `dictionary_items`).
    trailer: list[tuple[str, list[bytes]]] = field(default_factory=list)
    page_objects: int = 0
    #: Where each revision ends (after `%%EOF`), outside streams: an embedded PDF's are its own.
    ends: list[int] = field(default_factory=list)
    _head: bytes = b""
    #: Object numbers of the streams that hold JavaScript (`/JS n 0 R`; a script in a string is a string).
    scripts: list[int] = field(default_factory=list)

    @classmethod
    def read(cls, data: bytes, max_bytes: int) -> RawPdf:
        """Read `data`; a stream that decodes to more than `max_bytes` counts as not decoded."""
        raw = cls(_head=data[:1024])
        outside, at = [], 0
        for match in _STREAM.finditer(data):
            if match.start() < at:
                continue  # ">> stream" inside a stream already taken
            head = data.rfind(b"obj", max(0, match.start() - 65_536), match.start())
            start = head + 3 if head != -1 else max(0, match.start() - 4096)
            number = _OBJECT.search(data[max(0, start - 32):start]) if head != -1 else None
            dictionary = data[start:match.start() + 2]
            extent = _extent(data, dictionary, match.end())
            outside.append(data[at:match.start() + 2])  # the dictionary's strings are outside too
            raw.ends += (m.end() for m in _EOF.finditer(data, at, match.start()))
            end, at = extent
            decoded, broken = _decode(dictionary, data[match.end():end], max_bytes)
            stream = RawStream(int(number.group(1)) if number else None, _kind(dictionary), dictionary,
                               decoded, broken)
            raw.streams.append(stream)
        outside.append(data[at:])
        raw.ends += (m.end() for m in _EOF.finditer(data, at))
        objects = [s.data for s in raw.streams if s.kind == "objects" and s.data is not None]
        for text in (*outside, *objects):
            raw.strings.extend(_strings(text))
            raw.page_objects += len(_PAGE.findall(text))
            raw.scripts += (int(n) for n in _SCRIPT.findall(text))
        for text in outside:
            for match in _TRAILER.finditer(text):
                raw.trailer += dictionary_items(text[match.end() - 2:]).items()
        for stream in raw.streams:
            if stream.kind == "xref":
                raw.trailer += dictionary_items(stream.dictionary[stream.dictionary.find(b"<<"):]).items()
        return raw

    def segments(self, ctx: ReadContext, said: set[str], payloads: set[str]) -> Iterator[Segment]:
        """XMP and other XML, embedded files no name tree lists, and every legible string not
        already read (`said`: their `text_key`s; `payloads`: the `payload_key`s of files read).
        What cannot be decoded is a problem."""
        if self.encrypted:
            ctx.problem("corrupt", "the PDF is encrypted and pypdf cannot open it: its XMP metadata and the "
                        "strings PDFium does not give cannot be checked")
            return
        yield from self._trailer_extras(ctx)
        if any(s.kind == "objects" and s.data is None for s in self.streams):
            ctx.problem("corrupt", "an object stream could not be decoded: the strings it holds are not checked")
        for i, (detail, stream) in enumerate(self.xml()):
            where = Location(part="metadata", detail=detail)
            if stream.data is None:
                ctx.problem("corrupt", "an XMP metadata stream could not be decoded", location=where)
            elif (text := strip_markup(stream.data.decode("utf-8", "replace"))).strip() and text_key(text) not in said:
                yield Segment(text, where, flow=f"{detail}:{i}")
        embedded = [s for s in self.streams if s.kind == "embedded"]
        known = [s for s in embedded if s.data is not None and payload_key(s.data) in payloads]
        for stream in embedded:
            if stream.data is not None and stream not in known:  # in no name tree PDFium follows
                yield from ctx.read_attachment(f"embedded file {stream.number}", stream.data, Location(part="attachment"))
        if sum(s.data is None for s in embedded) > len(payloads) - len(known):
            ctx.problem("unsupported_part", "an embedded file could not be read", location=Location(part="attachment"))
        for number in dict.fromkeys(self.scripts):
            script = next((s for s in self.streams if s.number == number), None)
            if script is None:
                continue  # not a stream: a script in a string is read among the strings
            if script.data is None:
                ctx.problem("corrupt", "a script could not be read", location=Location(part="metadata", detail="javascript"))
            elif script.data.strip():
                yield Segment(script.data.decode("utf-8", "replace"), Location(part="metadata", detail="javascript"),
                              flow=f"javascript:{number}")
        unread = dict.fromkeys(s.strip() for s in self.strings if _legible(s) and text_key(s) not in said)
        if unread:
            yield Segment("\n".join(unread), Location(part="metadata", detail="strings"), flow="strings")

    @property
    def revisions(self) -> int:
        """How many times the file was written: its `%%EOF`s outside streams, less a linearised
        file's first section (which ends in its own)."""
        return len(self.ends) - (1 if len(self.ends) > 1 and _LINEARIZED.search(self._head) else 0)

    def check_pages(self, ctx: ReadContext, shown: int, blank: list[int]) -> None:
        """What PDFium may not show as another viewer would. A file updated after it was made:
        rebuilding a damaged cross-reference, PDFium may take an object from any revision
        (earlier revisions are read, but the newest may be shown by no reading). More page
        objects than it shows: a damaged page tree another viewer may mend. A page it shows
        blank (`blank`) while more streams draw text than pages show it: a content stream it
        could not parse. Content whose compressed data breaks off: PDFium stops where it
        breaks, poppler goes on. (An encrypted file's streams are ciphertext here: `segments`
        fails it closed instead.)"""
        if self.encrypted:
            return
        if any(s.broken for s in self.streams if s.kind in ("other", "form")):
            ctx.problem("corrupt", "a stream of page content breaks off (read only in part): "
                        "viewers decode different amounts of it")
        if self.revisions > 1:
            ctx.problem("corrupt", f"the PDF has {self.revisions} revisions and a damaged cross-reference: "
                        "viewers may show different revisions")
        elif self.page_objects > shown:
            ctx.problem("corrupt", f"the file holds {self.page_objects} page objects and PDFium shows {shown}: "
                        "another viewer may show the others")
        if blank and self.text_streams() > shown - len(blank):
            for number in blank:
                ctx.problem("corrupt", f"page {number} shows no text, but the file draws text PDFium "
                            "could not place", page=number)

    def _trailer_extras(self, ctx: ReadContext) -> Iterator[Segment]:
        """Streams hung from the trailer outside the catalog, read as the pypdf path reads them
        (a LibreOffice hybrid PDF's source document): each stream named by the media type before
        it, as an attachment. Strings there are among `strings`; anything else is a problem."""
        streams = {s.number: s for s in self.streams if s.number is not None}
        seen: set[int] = set()
        unread = 0
        for key, value in self.trailer:
            if key in TRAILER_KEYS:
                continue
            label = named = f"trailer {key}"
            i = 0
            while i < len(value):
                token = value[i]
                if token.startswith(b"/"):
                    named = f"{label} {_name(token)}"
                elif token.isdigit() and value[i + 1:i + 2] and value[i + 1].isdigit() and value[i + 2:i + 3] == [b"R"]:
                    i += 3
                    stream = streams.get(int(token))
                    if stream is None or stream.data is None:
                        unread += 1  # an object this reading cannot follow, or a stream it cannot decode
                    elif stream.number not in seen:
                        seen.add(int(token))
                        yield from ctx.read_attachment(named, stream.data, Location(part="attachment", detail=named))
                    continue
                elif token == b"<<":
                    unread += 1
                i += 1
        if unread:
            ctx.problem("corrupt", f"the trailer holds {unread} object{'s' if unread > 1 else ''} outside the "
                        "catalog that could not be read")

    @property
    def encrypted(self) -> bool:
        """Whether a trailer names an /Encrypt dictionary: strings and streams are ciphertext."""
        return any(key == "/Encrypt" for key, _ in self.trailer)

    def xml(self) -> Iterator[tuple[str, RawStream]]:
        """("xmp" or "xml", stream) for every stream that is XMP metadata or looks like XML."""
        for stream in self.streams:
            if stream.kind == "metadata":
                yield "xmp", stream
            elif stream.kind == "other" and stream.data is not None and _XML.match(stream.data):
                yield "xml", stream

    def text_streams(self) -> int:
        """How many streams that are not form XObjects draw text (a page's content)."""
        return sum(1 for s in self.streams
                   if s.kind == "other" and s.data is not None and SHOWS_TEXT.search(s.data) is not None)


def _kind(dictionary: bytes) -> str:
    return next((name for name, pattern in _KINDS if pattern.search(dictionary)), "other")


def _extent(data: bytes, dictionary: bytes, begin: int) -> tuple[int, int]:
    """Where the data of the stream starting at `begin` ends, and where reading resumes after it:
    its /Length where that is a number followed by `endstream` (its data may hold anything, an
    embedded PDF's objects too), else the next `endstream` less the end-of-line before it, or
    the next object, cross-reference section or trailer if that comes first (its `endstream` is
    lost)."""
    length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", dictionary)
    if length and data[begin + int(length.group(1)):begin + int(length.group(1)) + 64].lstrip()[:9] == b"endstream":
        end = begin + int(length.group(1))
        return end, data.index(b"endstream", end) + 9
    end = data.find(b"endstream", begin)
    if cut := _NEXT_OBJECT.search(data, begin, end if end != -1 else len(data)):
        return cut.start(), cut.start()
    if end == -1:
        return len(data), len(data)
    eol = 2 if data[end - 2:end] == b"\r\n" else 1 if data[end - 1:end] in (b"\n", b"\r") else 0
    return end - eol, end + 9


def _decode(dictionary: bytes, data: bytes, max_bytes: int) -> tuple[bytes | None, bool]:
    """The data through its filters where this reading knows them all (ASCIIHex, ASCII85, Flate
    without a predictor; a JPEG is kept as it is), else None; and whether its data breaks off
    (corrupt compressed data, a byte ASCII data cannot hold: viewers decode different amounts)."""
    found = _FILTER.search(dictionary)
    filters = [_FILTERS.get(f, f) for f in re.findall(rb"/([^\s/\[\]<>()]+)", found.group(1))] if found else []
    if b"FlateDecode" in filters and re.search(rb"/Predictor\s*(?:[2-9]|1\d)", dictionary):
        return None, False
    for i, name in enumerate(filters):
        try:
            if name == b"DCTDecode" and i == len(filters) - 1:
                return data, False
            if name == b"ASCIIHexDecode":
                digits = re.sub(rb"\s", b"", data).partition(b">")[0]
                data = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
            elif name == b"ASCII85Decode":
                data = base64.a85decode(re.sub(rb"\s", b"", data).removeprefix(b"<~").partition(b"~>")[0])
            elif name == b"FlateDecode":
                inflate = zlib.decompressobj()
                try:
                    data = inflate.decompress(data, max_bytes)
                except zlib.error:
                    return None, True
                if inflate.unconsumed_tail:
                    return None, False  # larger than the limit
            else:
                return None, False
        except ValueError:  # a byte ASCII data cannot hold: PDFium stops there, poppler skips it
            return None, True
    return data, False


def _strings(text: bytes) -> Iterator[str]:
    """Every literal and hexadecimal string in `text`, decoded as a PDF text string."""
    for match in _LITERAL.finditer(text):
        yield text_string(_unescape(match.group()[1:-1]))
    for match in _HEX.finditer(text):
        digits = re.sub(rb"\s", b"", match.group(1))
        yield text_string(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")))


def _unescape(body: bytes) -> bytes:
    out = re.sub(rb"\\(\r\n|\r|\n)", b"", body)  # a backslash at a line end continues the string
    return re.sub(rb"\\([0-7]{1,3}|.)",
                  lambda m: bytes([int(m.group(1), 8) & 0xFF]) if m.group(1)[:1].isdigit()
                  else _ESCAPES.get(m.group(1), m.group(1)), out, flags=re.S)


def text_string(data: bytes) -> str:
    """A PDF text string: UTF-16 or UTF-8 after their byte-order marks, else PDFDocEncoding (read
    as Latin-1, which it matches for every letter)."""
    if data[:2] == b"\xfe\xff":
        return data[2:].decode("utf-16-be", "replace")
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", "replace")
    return data.decode("latin-1")


def dictionary_items(text: bytes) -> dict[str, list[bytes]]:
    """The entries of the dictionary `text` starts with (`<<`), each key's value as tokens: a
    reference `N G R` as three, an array as `[` and its items, a dictionary as the token `<<`
    (and any value nested deeper than an array's items too)."""
    items: list[list[bytes]] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in (b">>", b"]"):
            depth -= 1
            if depth <= 0:
                break
            continue
        if token in (b"<<", b"["):
            depth += 1
            if depth == 2:
                items.append([token])  # a nested value: one item
            elif depth > 2 and items:
                items[-1].append(b"<<")
            continue
        if depth == 1:
            items.append([token])
        elif depth == 2 and items and items[-1][0] == b"[":
            items[-1].append(token)
    entries: dict[str, list[bytes]] = {}
    i = 0
    while i < len(items):
        reference = i + 3 < len(items) and items[i + 1][0].isdigit() and items[i + 2][0].isdigit() and items[i + 3] == [b"R"]
        entries[items[i][0].decode("latin-1")] = [t for item in items[i + 1:i + (4 if reference else 2)] for t in item]
        i += 4 if reference else 2
    return entries


def _name(token: bytes) -> str:
    """A name's text: `#xx` escapes decoded, then percent-escapes (as the pypdf path labels it)."""
    from urllib.parse import unquote

    raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), token[1:])
    return unquote(raw.decode("utf-8", "replace"))


def strip_markup(text: str) -> str:
    return re.sub(r"<[^>]*>", " ", text)


def text_key(text: str) -> str:
    """A text as compared with others already read: spacing and case do not count."""
    return " ".join(text.split()).casefold()


def payload_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _legible(text: str) -> bool:
    """A string a person could read: not a file identifier or a key's binary value."""
    stripped = text.strip()
    shown = sum(c.isprintable() or c.isspace() for c in stripped)
    return len(stripped) >= 3 and shown >= 0.9 * len(stripped) and any(c.isalnum() for c in stripped)
