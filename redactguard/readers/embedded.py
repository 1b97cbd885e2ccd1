"""Objects embedded in Office packages (DOCX, XLSX, PPTX): `word/embeddings/`, `xl/embeddings/`,
`ppt/embeddings/`. A payload that is a document redactguard reads is read as an attachment
(recursively, within the depth and size limits); an OLE object (a compound file) is read stream
by stream (`readers/ole_objects.py`); a metafile is read like a picture (`readers/metafile.py`);
anything else fails closed."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ..document import Location, Segment
from .base import ReadContext

__all__ = ["read_embedded"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_embedded(ctx: ReadContext, name: str, data: bytes, location: Location | None = None) -> Iterator[Segment]:
    """Read the embedded part `name` (its path in the package) holding `data`.

    `location` is where the object sits (e.g. a slide's page); the payload's own locations hang
    below an `attachment` location named after the part's file name."""
    from .. import formats
    from .metafile import is_metafile
    from .sniff import sniff

    label = posixpath.basename(name)
    where = location or Location(part="attachment")
    if not data:
        return
    kind = sniff(data)
    if data.startswith(_OLE2):  # an OLE object, or a .doc/.xls/.ppt/.msg kept whole
        from .ole_objects import read_ole_object

        yield from read_ole_object(ctx, label, data, where)
    elif is_metafile(data):
        yield from _metafile(ctx, label, data, where)
    elif formats.find(kind).reader is not None:
        yield from ctx.read_attachment(label, data, where)
    else:
        ctx.problem("unsupported_part", f"embedded object {label} ({kind}) cannot be checked",
                    location=Location(part="attachment", page=where.page, sheet=where.sheet, attachment=label))


def _metafile(ctx: ReadContext, label: str, data: bytes, where: Location) -> Iterator[Segment]:
    from .metafile import read_metafile
    from .ole_objects import lift

    yield from lift(ctx, label, where, lambda: read_metafile(
        ctx, data, location=Location(part="image", image=label), flow=f"image:{label}", what=f"embedded picture {label}"))
