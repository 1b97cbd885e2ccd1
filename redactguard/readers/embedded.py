"""Objects embedded in Office packages (DOCX, XLSX, PPTX): `word/embeddings/`, `xl/embeddings/`,
`ppt/embeddings/`. A payload that is a document redactguard reads is read as an attachment
(recursively, within the depth and size limits); anything else fails closed."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ..document import Location, Segment
from .base import ReadContext

__all__ = ["read_embedded"]


def read_embedded(ctx: ReadContext, name: str, data: bytes, location: Location | None = None) -> Iterator[Segment]:
    """Read the embedded part `name` (its path in the package) holding `data`.

    `location` is where the object sits (e.g. a slide's page); the payload's own locations hang
    below an `attachment` location named after the part's file name."""
    from .. import formats
    from .sniff import sniff

    label = posixpath.basename(name)
    where = location or Location(part="attachment")
    kind = sniff(data)
    if formats.find(kind).reader is not None and kind != "ole":
        yield from ctx.read_attachment(label, data, where)
    else:
        ctx.problem("unsupported_part", f"embedded object {label} ({kind}) cannot be checked",
                    location=Location(part="attachment", page=where.page, attachment=label))
