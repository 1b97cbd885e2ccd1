"""Placeholder while issue [11] lands: presentations fail closed as before."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Segment
from ..errors import UnreadableDocument
from .base import ReadContext


class PptxReader:
    type = "pptx"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "pptx files are not read yet")
        yield  # pragma: no cover
