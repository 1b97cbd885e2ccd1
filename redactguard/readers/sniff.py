"""Tell a file's type from its content, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

from ..formats import extra_formats, load
from ..zips import ZIP_ERRORS
from .metafile_records import is_metafile
from .msg_smime import cms_kind
from .sniff_markup import markup_kind

__all__ = ["sniff", "MARKUP_KINDS", "TEXT_KINDS"]

#: Text formats whose markup is not what a person reads: read by their own reader (html, rtf)
#: or failing closed (`readers/simple.py`), never read raw as plain text.
MARKUP_KINDS = frozenset({"html", "rtf", "xml", "svg", "latex", "postscript"})
#: Everything a person can open in a text editor.
TEXT_KINDS = frozenset({"text"}) | MARKUP_KINDS

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"BM", None),  # too weak alone; left to the text test
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Indirect objects ("12 0 obj"): a PDF body, even when its header is damaged or missing.
_PDF_OBJECT = re.compile(rb"(?<![\w.])\d{1,10}[ \t\r\n]+\d{1,5}[ \t\r\n]+obj\b")
_EML_HEADER = re.compile(
    rb"^(?:(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|"
    rb"Content-Type|X-[\w-]+|Reply-To|Cc|Sender):[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){2,}",
    re.IGNORECASE,
)


def sniff(data: bytes) -> str:
    """A name in `formats.FORMATS` (pdf, docx, xlsx, odt, doc, msg, zip, eml, image, text, a kind
    of `MARKUP_KINDS`, unknown...);
    or a type an installed package adds (`formats.extra_formats`), which is asked first."""
    for fmt in extra_formats():
        if fmt.sniff and load(fmt.sniff)(data):
            return fmt.name
    head = data[:1024]
    # Signatures at offset 0 first: a stored zip whose first member is a PDF has "%PDF-" early.
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(_OLE2):
        return _ole_kind(data)
    for magic, kind in _IMAGE_MAGIC:
        if kind and head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    if _is_bmp(head):
        return "image"
    if is_metafile(data):  # EMF, WMF, or their gzip forms (a gzip of anything else: below)
        return "metafile"
    if b"%PDF-" in head:  # readers accept up to 1 KiB of junk before the header
        return "pdf"
    if _looks_like_pdf_body(data):
        return "pdf"
    if b"PK\x05\x06" in data[-65_558:] and _opens_as_zip(data):
        # a zip (or DOCX) whose first bytes are damaged: unzip tools read it from its end
        return _zip_kind(data)
    if _EML_HEADER.match(data[:8192].lstrip(b"\r\n")) and _looks_textual(data[:8192]):
        return "eml"
    if head[:1] == b"\x30" and cms_kind(data) is not None:  # a signed (.p7m, .p7s) or encrypted file: DER
        return "pkcs7"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":  # before the text test: \bin data is binary
        return "rtf"
    if _looks_textual(data[:65536]):
        return markup_kind(data[:65536]) or "text"
    return "unknown"


def _is_bmp(head: bytes) -> bool:
    """"BM" alone is too weak: also zero reserved bytes and a known DIB header size."""
    if not head.startswith(b"BM") or len(head) < 18 or head[6:10] != b"\0\0\0\0":
        return False
    return int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 64, 108, 124)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except ZIP_ERRORS:
        # a DOCX that is damaged is still a DOCX: let its reader report why
        return "docx" if b"word/" in data[:4096] or b"[Content_Types].xml" in data[:4096] else "zip"
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"  # and .xlsm, .xltx: the same package
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "mimetype" in names or "content.xml" in names:
        return _odf_kind(data, names)
    if "[Content_Types].xml" in names:
        return "office"  # another Office package (Visio, XPS...): fails closed
    return "zip"


_ODF_TYPES = {"text": "odt", "spreadsheet": "ods", "presentation": "odp"}


def _odf_kind(data: bytes, names: set[str]) -> str:
    """OpenDocument: the `mimetype` member names the kind (…opendocument.text, -template too)."""
    mime = ""
    if "mimetype" in names:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                mime = zf.read("mimetype")[:100].decode("ascii", "replace")
        except ZIP_ERRORS:
            pass
    kind = mime.rpartition("opendocument.")[2].removesuffix("-template")
    return _ODF_TYPES.get(kind, "office")


#: Root streams of an OLE2 file that name its kind (MS-CFB directory names), first match wins.
_OLE_STREAMS = (
    ("EncryptionInfo", "ole"),  # an encrypted OOXML file: the ole reader says so
    ("__properties_version1.0", "msg"),
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("Book", "xls"),  # Excel 5/95
    ("PowerPoint Document", "ppt"),
)


def _ole_kind(data: bytes) -> str:
    """The legacy Office type of an OLE2 compound file, from its root streams."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            roots = {entry[0] for entry in ole.listdir(streams=True, storages=True) if entry}
    except Exception:  # damaged: look for the UTF-16 stream names; the reader reports the damage
        roots = {name for name, _ in _OLE_STREAMS if name.encode("utf-16-le") in data[:4 * 1024 * 1024]}
    if any(r.startswith("__substg1.0_") for r in roots):
        roots.add("__properties_version1.0")
    return next((kind for name, kind in _OLE_STREAMS if name in roots), "ole")


def _opens_as_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return bool(zf.namelist())
    except ZIP_ERRORS:
        return False


def _looks_like_pdf_body(data: bytes) -> bool:
    """A PDF whose header was damaged is still a PDF to poppler and PDFium, which show its pages.
    Read as text, its compressed page content would go unchecked and the file pass as clean."""
    sample = data[: 1024 * 1024]
    return len(_PDF_OBJECT.findall(sample, 0)) >= 2 and (b"endobj" in sample or b"stream" in sample)


def _looks_textual(sample: bytes) -> bool:
    if not sample:
        return True
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        # UTF-16 without a BOM: every other byte is zero in mostly-ASCII text
        zeros = sample.count(b"\x00")
        return zeros > len(sample) * 0.3 and _utf16_plausible(sample)
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control <= len(sample) * 0.01


def _utf16_plausible(sample: bytes) -> bool:
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample[: len(sample) // 2 * 2].decode(enc)
        except UnicodeDecodeError:
            continue
        if sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > len(text) * 0.95:
            return True
    return False
