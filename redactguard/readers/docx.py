"""DOCX: body paragraphs and tables (nested too), read in document order from the XML."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext, register

__all__ = ["DocxReader", "W"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(data: bytes) -> Any:
    """A python-docx Document, or UnreadableDocument saying why not."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            bad = zf.testzip()
        if bad is not None:
            raise UnreadableDocument("corrupt", "a part of the DOCX fails its checksum")
        return docx.Document(io.BytesIO(data))
    except UnreadableDocument:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError):
        raise UnreadableDocument("corrupt", "the DOCX package is damaged") from None
    except Exception as exc:  # lxml XMLSyntaxError and friends
        raise UnreadableDocument("corrupt", f"the DOCX cannot be parsed ({type(exc).__name__})") from None


def paragraph_text(p: Any) -> str:
    """Visible text of a w:p: runs' text, tabs and breaks as white space."""
    out: list[str] = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        else:
            out.append("\t" if tag == f"{W}tab" else "\n")
    return "".join(out)


def block_texts(container: Any) -> Iterator[str]:
    """Paragraph texts of a body-like element in order, descending into tables and cells."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            yield paragraph_text(child)
        elif tag == f"{W}tbl":
            for row in child.iterchildren(f"{W}tr"):
                for cell in row.iterchildren(f"{W}tc"):
                    yield from block_texts(cell)
        elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
            inner = child.find(f"{W}sdtContent")
            yield from block_texts(inner if inner is not None else child)


@register("docx")
class DocxReader:
    type = "docx"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        document = open_docx(data)
        body = document.element.body
        for text in block_texts(body):
            if text:
                yield Segment(text, Location(part="body"))
