"""The reader interface: bytes in, text segments out, problems recorded on the context.

A reader is a generator, so a scanner can check page by page and release each page's text;
it records anything it could not read on `ReadContext.problem` and keeps going where it can.
Readers of container formats (e-mail, PDF attachments, DOCX embeddings) hand inner files back
to `ReadContext.read_attachment`, which picks a reader by content and nests the locations.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from .. import formats
from ..document import FILE_NAME, Location, Problem, Segment
from ..errors import UnreadableDocument
from ..vocabulary import OcrMode

_log = logging.getLogger(__name__)

__all__ = ["Reader", "ReadContext", "Limits", "read_document"]


@dataclass(frozen=True)
class Limits:
    """Safety limits. Reaching one is a problem (fail closed), never a crash."""

    max_depth: int = 5  # attachments in attachments, zips in zips
    max_expanded_bytes: int = 512 * 1024 * 1024  # total bytes unpacked from one document
    max_part_bytes: int = 200 * 1024 * 1024  # one XML part, one attachment, one zip member
    max_pages: int = 20_000
    max_parts: int = 10_000
    timeout: float | None = None  # seconds for one document


@dataclass
class ReadContext:
    """State shared by the readers of one document and its attachments."""

    name: str
    limits: Limits = field(default_factory=Limits)
    depth: int = 0
    ocr: OcrMode = OcrMode.AUTO
    #: The OCR engine (a `redactguard.ocr.Ocr`); None makes one from the environment on first use.
    ocr_engine: Any = None
    problems: list[Problem] = field(default_factory=list)
    #: How parts were read where a reader took another way than usual (never document text).
    notes: list[str] = field(default_factory=list)
    pages: int | None = None
    expanded: int = 0
    deadline: float | None = None
    #: Read only these pages, 0-based [start, stop), of a paged document split across workers;
    #: the page before and after are read as context for matches that cross the boundary.
    page_range: tuple[int, int] | None = None
    #: Read the document-wide parts (metadata, outline, forms, attachments): one range does.
    document_parts: bool = True
    #: Pictures read by OCR in this document (for progress and benchmarks).
    ocr_pictures: int = 0
    #: Set once OCR was found missing: the other pictures of the document are not tried again.
    ocr_missing: bool = False

    def __post_init__(self) -> None:
        if self.deadline is None and self.limits.timeout:
            self.deadline = time.monotonic() + self.limits.timeout

    def problem(self, code: str, message: str, *, page: int | None = None, location: Location | None = None) -> None:
        self.problems.append(Problem(code, message, page=page, location=location))

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise UnreadableDocument("timeout", "the document ran past the time budget")

    def account(self, size: int) -> None:
        """Count unpacked bytes against the expansion limit."""
        self.expanded += size
        if self.expanded > self.limits.max_expanded_bytes:
            raise UnreadableDocument("limit_exceeded", "the document unpacks to more than the size limit")

    def read_attachment(self, name: str, data: bytes, location: Location | None = None) -> Iterator[Segment]:
        """Read an embedded file as a document of its own, nesting its locations under `name`.

        `location` is where the attachment sits (e.g. its page); inner locations hang below it.
        """
        if self.depth + 1 > self.limits.max_depth:
            self.problem("limit_exceeded", "attachments are nested deeper than the limit", location=location)
            return
        self.account(len(data))
        inner = ReadContext(
            name=f"{self.name} > {name}", limits=self.limits, depth=self.depth + 1, ocr=self.ocr,
            ocr_engine=self.ocr_engine, expanded=self.expanded, deadline=self.deadline,
            ocr_missing=self.ocr_missing,
        )
        outer = location or Location()
        # its name travels with it: checked like its text (and masked in reports if it holds a value)
        # where it sits (a page, a sheet's cell) stays on every location below it
        at = Location(part="attachment", page=outer.page, attachment=name, sheet=outer.sheet, cell=outer.cell)
        yield Segment(name, replace(at, inner=Location(part="metadata", detail=FILE_NAME)), flow=f"attachment:{name}:file-name")
        for seg in read_document(data, inner):
            yield replace(seg, location=replace(at, inner=seg.location), flow=f"attachment:{name}:{seg.flow}")
        self.expanded = inner.expanded
        self.ocr_pictures += inner.ocr_pictures
        self.ocr_missing = self.ocr_missing or inner.ocr_missing
        self.notes.extend(f"attachment {name}: {n}" for n in inner.notes)
        for p in inner.problems:
            inner_loc = p.location or Location(page=p.page)
            loc = replace(at, inner=inner_loc)
            self.problems.append(Problem(p.code, f"attachment {name}: {p.message}", page=outer.page, location=loc))


class Reader(Protocol):
    """Turns one document's bytes into segments."""

    type: str

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]: ...


def read_document(data: bytes, ctx: ReadContext, type_name: str | None = None) -> Iterator[Segment]:
    """Sniff the type (unless given) and read; turn reader failures into problems."""
    from .sniff import sniff

    kind = type_name or sniff(data)
    reader = formats.reader(kind)
    if reader is None:
        ctx.problem("unsupported_type", formats.find(kind).unsupported)
        return
    try:
        yield from reader.read(data, ctx)
    except UnreadableDocument as exc:
        ctx.problem(exc.code, str(exc), page=exc.page)
    except RecursionError:
        ctx.problem("corrupt", "the file's structure is nested too deeply to read")
    except MemoryError:
        ctx.problem("limit_exceeded", "the file needs more memory than allowed")
    except Exception as exc:  # a reader bug or a library choking on a damaged file: fail closed
        # the type only: a library's message can quote the document
        _log.debug("%s: the %s reader failed (%s)", ctx.name, kind, type(exc).__name__)
        ctx.problem("corrupt", f"the {kind} reader failed ({type(exc).__name__})")
