"""Every document type redactguard knows, in one table (issue [15]; docs/extending.md).

`readers.sniff` names a document's type from its content; this table says, for each name, which
reader checks it, which redactor removes withheld text from it, how a redacted copy is read back
to verify it, and what the report calls it (contract §4 `type`; the report schema's enum is this
table's, which a test holds it to). A type with no reader fails closed with `unsupported_type`
and its own message. Readers, redactors and checks are named as "module:attribute" and imported
on first use, so this module imports nothing.

Another package adds a type through the entry point group `redactguard.formats`: each entry
point names a `Format` whose `sniff` ("module:function", given the document's bytes) says
whether a document is of that type; installed types are asked before the built-in sniffing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["Format", "FORMATS", "REPORT_TYPES", "extra_formats", "find", "load", "reader", "redactor", "report_type"]


@dataclass(frozen=True)
class Format:
    """One document type."""

    name: str
    #: "module:attribute" of the reader class (called with no arguments); None: fails closed.
    reader: str | None = None
    #: "module:attribute" of the redactor class; None: `redact` refuses the type.
    redactor: str | None = None
    #: "module:attribute" of how a redacted output is read back (`verify.Checks`); None: the
    #: scanner's look and the raw bytes only.
    verifier: str | None = None
    #: What the report's `type` says; None: "unknown" (a type that only fails closed).
    reported: str | None = None
    #: Why a type without a reader is not read (the `unsupported_type` problem's message).
    unsupported: str = ""
    #: For an installed type only: "module:function" that takes a document's bytes and says
    #: whether it is of this type.
    sniff: str | None = None
    #: For a type that is read but not redacted: what `redact` tells the user to convert it to
    #: (it refuses such an input with exit 2 before writing anything).
    convert_to: str = ""


_MARKUP = "it fails closed rather than being read as plain text"
_R, _W, _V = "redactguard.readers.", "redactguard.redactors.", "redactguard.verify:"
_SOFFICE = "e.g. `soffice --headless --convert-to {}` (LibreOffice)"
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", _R + "pdf:PdfReader", _W + "pdf:PdfRedactor", _V + "PDF", "pdf"),
    Format("docx", _R + "docx:DocxReader", _W + "docx:DocxRedactor", _V + "DOCX", "docx"),
    Format("xlsx", _R + "xlsx:XlsxReader", _W + "xlsx:XlsxRedactor", _V + "XLSX", "xlsx"),
    Format("pptx", _R + "pptx:PptxReader", reported="pptx", convert_to="PDF, " + _SOFFICE.format("pdf")),
    Format("odt", _R + "opendocument:OdtReader", _W + "opendocument:OdtRedactor", _V + "ODT", "odt"),
    Format("ods", _R + "opendocument:OdsReader", reported="ods", convert_to="XLSX, " + _SOFFICE.format("xlsx")),
    Format("odp", _R + "opendocument:OdpReader", reported="odp", convert_to="PDF, " + _SOFFICE.format("pdf")),
    Format("text", _R + "text:TextReader", _W + "text:TextRedactor", _V + "TEXT", "text"),
    Format("eml", _R + "email:EmailReader", reported="eml",
           convert_to="PDF or DOCX: save the message and each attachment from the mail program"),
    Format("msg", _R + "msg:MsgReader", reported="msg",
           convert_to="PDF or DOCX: save the message and each attachment from Outlook"),
    Format("pkcs7", _R + "cms:CmsReader", reported="pkcs7", convert_to="the signed file inside it (a .p7m holds the document)"),
    Format("image", _R + "image:ImageReader", _W + "images:ImageRedactor", _V + "IMAGE", "image"),
    Format("metafile", _R + "metafile:MetafileReader", reported="image",
           convert_to="PNG or PDF (a picture redactguard can paint out)"),
    Format("zip", _R + "archive:ZipReader", _W + "archive:ZipRedactor", _V + "ZIP", "zip"),
    Format("html", _R + "html:HtmlReader", reported="html", convert_to="PDF, " + _SOFFICE.format("pdf")),
    Format("rtf", _R + "rtf:RtfReader", reported="rtf", convert_to="DOCX, " + _SOFFICE.format("docx")),
    Format("doc", _R + "legacy:DocReader", reported="doc", convert_to="DOCX, " + _SOFFICE.format("docx")),
    Format("xls", _R + "legacy:XlsReader", reported="xls", convert_to="XLSX, " + _SOFFICE.format("xlsx")),
    Format("ppt", _R + "legacy:PptReader", reported="ppt", convert_to="PDF, " + _SOFFICE.format("pdf")),
    Format("ole", _R + "simple:OleReader"),
    Format("xlsb", unsupported="Excel binary workbooks (.xlsb) are not read: save the workbook as .xlsx"),
    Format("office", unsupported="this Office or OpenDocument format is not supported"),
    Format("xml", _R + "xml:XmlReader", reported="xml", convert_to="PDF (print it), or redact the system that exported it"),
    Format("svg", unsupported=f"SVG pictures (XML) are not read yet: {_MARKUP}"),
    Format("latex", unsupported=f"LaTeX sources are markup that is not read yet: {_MARKUP}"),
    Format("postscript", unsupported=f"PostScript files are not read yet: {_MARKUP}"),
    Format("unknown", unsupported="unsupported file type (unknown)"),
)}

#: Contract §4 document `type` values: the report schema's enum.
REPORT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(
    [f.reported for f in FORMATS.values() if f.reported] + ["unknown"]))


@cache
def extra_formats() -> tuple[Format, ...]:
    """Types that installed packages add (entry point group `redactguard.formats`)."""
    from importlib.metadata import entry_points

    found = []
    for point in entry_points(group="redactguard.formats"):
        fmt = point.load()
        if not isinstance(fmt, Format) or fmt.name in FORMATS or fmt.sniff is None:
            raise TypeError(f"entry point {point.name!r} of redactguard.formats is not a new Format with a sniff")
        found.append(fmt)
    return tuple(found)


def find(name: str) -> Format:
    """The type called `name` (an installed one too); a name nobody knows is `unknown`."""
    if name in FORMATS:
        return FORMATS[name]
    return next((f for f in extra_formats() if f.name == name), FORMATS["unknown"])


def load(ref: str) -> Any:
    """The object a "module:attribute" reference names."""
    module, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module), attribute)


def reader(name: str) -> Any | None:
    """A new reader for type `name`, or None if the type fails closed."""
    fmt = find(name)
    return load(fmt.reader)() if fmt.reader else None


def redactor(name: str) -> Any | None:
    """A new redactor for type `name`, or None if it cannot be redacted."""
    fmt = find(name)
    return load(fmt.redactor)() if fmt.redactor else None


def report_type(name: str) -> str:
    """What the report calls type `name`."""
    return find(name).reported or "unknown"
