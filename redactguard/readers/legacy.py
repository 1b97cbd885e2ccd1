"""Placeholder while issue [11] lands: legacy Office files fail closed as before."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Segment
from ..errors import UnreadableDocument
from .base import ReadContext


class DocReader:
    type = "doc"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "doc files are not read yet")
        yield  # pragma: no cover


class XlsReader:
    type = "xls"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "xls files are not read yet")
        yield  # pragma: no cover


class PptReader:
    type = "ppt"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "ppt files are not read yet")
        yield  # pragma: no cover
