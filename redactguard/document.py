"""What readers produce: text segments with their location, and problems that stop a full check."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .formats import REPORT_TYPES
from .vocabulary import Part

__all__ = ["Location", "Segment", "Problem", "WordBox", "PART_NAMES", "PROBLEM_CODES", "FILE_NAME", "DOCUMENT_TYPES"]

#: A word of a segment read by OCR: (start, end) offsets in the segment's text and its box
#: (PDF points for a PDF page, pixels of the picture otherwise; see `Location.bbox`).
WordBox = tuple[int, int, tuple[float, float, float, float]]

#: Contract §4 `location.part` values.
PART_NAMES = frozenset(Part)

#: Contract §4 document `type` values (and the report schema's enum), from `formats.FORMATS`.
DOCUMENT_TYPES = REPORT_TYPES

#: `Location.detail` of a name a document is disclosed under (its file name, an attachment's
#: name): part `metadata`, checked like any text and masked wherever a report names it.
FILE_NAME = "file name"

#: Problem codes. Every problem means the document was not fully checked (fail closed).
PROBLEM_CODES = {
    "encrypted": "the file is encrypted and no password was given",
    "corrupt": "the file is damaged and could not be read completely",
    "unsupported_type": "the file type is not supported",
    "unsupported_part": "the document holds a part that cannot be checked",
    "no_text_layer": "a page has pictures but no text layer to check",
    "limit_exceeded": "a safety limit (size, depth, count) was reached",
    "timeout": "the document ran past the time budget",
    "worker_lost": "the process checking the document was lost",
    "ocr_unavailable": "OCR is needed but not installed",
    "ocr_low_confidence": "OCR could not read a picture with enough confidence",
    "read_error": "the file could not be opened",
}


@dataclass(frozen=True)
class Location:
    """Where in a document a piece of text sits (contract §4 `location`)."""

    part: str = "body"
    page: int | None = None
    attachment: str | None = None
    inner: Location | None = None
    bbox: tuple[float, float, float, float] | None = None
    image: str | None = None
    detail: str | None = None  # e.g. the metadata field or form-field name; never document text
    #: A workbook's sheet, 1-based in workbook order (hidden sheets counted), and a cell's
    #: reference ("A12"). The sheet's name is document text (it can hold a withheld value), so
    #: locations never carry it (docs/decisions.md).
    sheet: int | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        if self.part not in PART_NAMES:  # a reader bug must not invent parts the contract lacks
            raise ValueError(f"unknown location part {self.part!r}")

    def leaf(self) -> Location:
        """The innermost location: the place inside the attachment inside the attachment..."""
        loc = self
        while loc.part == "attachment" and loc.inner is not None:
            loc = loc.inner
        return loc

    def with_leaf_bbox(self, bbox: tuple[float, float, float, float]) -> Location:
        """This location with the innermost one's bbox replaced (a finding's own words)."""
        if self.part == "attachment" and self.inner is not None:
            return replace(self, inner=self.inner.with_leaf_bbox(bbox))
        return replace(self, bbox=bbox)

    def within(self, attachment: str) -> Location:
        """This location seen from the document that holds `attachment`."""
        return Location(part="attachment", attachment=attachment, inner=self)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"part": self.part}
        if self.page is not None:
            out["page"] = self.page
        if self.attachment is not None:
            out["attachment"] = self.attachment
        if self.inner is not None:
            out["inner"] = self.inner.to_dict()
        if self.bbox is not None:
            out["bbox"] = [round(v, 2) for v in self.bbox]
        if self.image is not None:
            out["image"] = self.image
        if self.detail is not None:
            out["field"] = self.detail
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.cell is not None:
            out["cell"] = self.cell
        return out

    def describe(self) -> str:
        """Short human form, e.g. 'page 3 body' or 'attachment letter.docx > comment'."""
        if self.part == "attachment" and self.inner is not None:
            return f"attachment {self.attachment} > {self.inner.describe()}"
        bits = [f"page {self.page}"] if self.page is not None else []
        if self.sheet is not None:
            bits.append(f"sheet {self.sheet}" + (f" {self.cell}" if self.cell else ""))
        bits.append(self.part if self.detail is None else f"{self.part} ({self.detail})")
        return " ".join(bits)


@dataclass(frozen=True)
class Segment:
    """A run of text from one place in a document.

    `flow` groups segments that a reader would read as one continuous text (the body across
    pages, one comment, one header); matching runs across segment boundaries within a flow.
    `words` is set for text read by OCR: each word's offsets in `text` and its box, so that a
    finding's location can give the box of exactly its own words.
    `generic` is False for text that is not the author's writing about people, where generic
    detection reads only noise: the producing program's name, a template's built-in layouts, a
    page preview shrunk past legibility, a line OCR read without confidence. Only the order's
    items are looked for there.
    `unsure` holds the (start, end) offsets in `text` of the words OCR read below its confidence
    floor: what they seem to say cannot contradict a match beside them.
    """

    text: str
    location: Location
    flow: str = "body"
    words: tuple[WordBox, ...] = ()
    generic: bool = True
    unsure: tuple[tuple[int, int], ...] = ()

    def __repr__(self) -> str:  # never show document text
        return f"Segment(<{len(self.text)} chars>, {self.location.describe()!r}, flow={self.flow!r})"


@dataclass(frozen=True)
class Problem:
    """Something that stopped a full check of a document or page."""

    code: str
    message: str
    page: int | None = None
    location: Location | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code}
        if self.page is not None:
            out["page"] = self.page
        if self.location is not None and self.location.part != "body":
            out["location"] = self.location.to_dict()
        out["message"] = self.message
        return out
