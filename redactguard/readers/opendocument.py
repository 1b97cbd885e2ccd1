"""Placeholder while issue [11] lands: OpenDocument files fail closed as before."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Segment
from ..errors import UnreadableDocument
from .base import ReadContext


class OdtReader:
    type = "odt"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "odt files are not read yet")
        yield  # pragma: no cover


class OdsReader:
    type = "ods"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "ods files are not read yet")
        yield  # pragma: no cover


class OdpReader:
    type = "odp"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        raise UnreadableDocument("unsupported_type", "odp files are not read yet")
        yield  # pragma: no cover
