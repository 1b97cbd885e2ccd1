"""A reviewed PDF proposal back to a true redaction.

The reviewer's decisions are the `/Redact` annotations left in the file, whoever wrote them:
kept, moved, resized or added. Every one of them, and the proposal's markers, is taken off the
pages; then the PDF redactor runs as `redact` runs it, with one addition: the glyphs under each
kept annotation are removed and boxed too (`_ReviewedJob`). So the order's own redaction is always
applied in full, and a reviewer can only add to it.

A withheld match of the order that no kept annotation covers (glyph centres outside every box
on its page) means the reviewer rejected it: it is named (masked), and the file is not written
unless the run allows the override, in which case the order's redaction still removes it and the
override is recorded. An area that covers no text (a picture, a drawing) cannot be redacted from
a review yet: a problem, so the output fails closed.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..document import Location, Problem
from ..errors import UnreadableDocument
from ..readers.pdf import open_pdf
from ..redactors.base import Span, Targets
from ..redactors.pdf import PdfRedactionResult, _Job, _residue
from ..redactors.pdf.geometry import Box, _bbox
from ..verify import Residue
from .marks import AUTHOR, MARKER, REVIEWER, Rejection
from .pdf import MARKER_NAME
from .pdf_matches import Glyph, covers

__all__ = ["ReviewedPdf", "review_pdf", "strip_proposal"]


@dataclass
class ReviewedPdf(PdfRedactionResult):
    rejections: list[Rejection] = field(default_factory=list)
    review: dict[str, Any] = field(default_factory=dict)
    refused: list[Residue] = field(default_factory=list)


@dataclass
class _Stripped:
    data: bytes
    regions: dict[int, list[Box]]
    proposed: int = 0  # /Redact annotations by redactguard that the reviewer kept
    added: int = 0  # /Redact annotations by anyone else
    others: int = 0  # other annotations, the document's own or a reviewer's notes: kept (and scrubbed) as `redact` keeps them


def strip_proposal(data: bytes) -> _Stripped:
    """The PDF without its redaction annotations and proposal markers, and the kept areas by page."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        writer = PdfWriter(clone_from=open_pdf(data))
        out = _Stripped(b"", {})
        for number, page in enumerate(writer.pages, start=1):
            annots = page.get("/Annots")
            if annots is None:
                continue
            kept = ArrayObject()
            for ref in annots.get_object():
                annot = ref.get_object()
                if annot.get("/Subtype") == "/Redact":
                    out.regions.setdefault(number, []).extend(_areas(annot))
                    if str(annot.get("/T", "")) == AUTHOR:
                        out.proposed += 1
                    else:
                        out.added += 1
                elif not _is_marker(annot):
                    kept.append(ref)
                    out.others += 1 if annot.get("/Subtype") != "/Popup" else 0
            if kept:
                page[NameObject("/Annots")] = kept
            else:
                del page["/Annots"]
        buffer = io.BytesIO()
        writer.write(buffer)
    out.data = buffer.getvalue()
    return out


def _is_marker(annot: Any) -> bool:
    return annot.get("/Subtype") == "/FreeText" and (
        str(annot.get("/Contents", "")).strip() == MARKER or str(annot.get("/NM", "")).startswith(MARKER_NAME))


def _areas(annot: Any) -> list[Box]:
    """An annotation's boxes: one per quadrilateral where it has them, else its rectangle."""
    try:
        quads = [float(v) for v in annot.get("/QuadPoints", [])]
        if quads and len(quads) % 8 == 0:
            return [_bbox(list(zip(quads[k : k + 8 : 2], quads[k + 1 : k + 8 : 2], strict=True))) for k in range(0, len(quads), 8)]
        x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
    except (KeyError, TypeError, ValueError) as exc:
        raise UnreadableDocument("corrupt", "a redaction annotation has no readable area") from exc
    return [(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))]


class _ReviewedJob(_Job):
    """The redactor's job, also removing the glyphs under the reviewer's kept areas and noting
    each withheld match they leave uncovered."""

    def __init__(self, writer: Any, targets: Targets, source: bytes, regions: dict[int, list[Box]]) -> None:
        super().__init__(writer, targets, source)
        self.regions = regions
        self.rejections: list[Rejection] = []
        self.used: set[tuple[int, int]] = set()

    def _found(self, builder: Any, pages: list[Any]) -> Iterator[tuple[str, Span, list[list[Glyph]], bool]]:
        covered: set[int] = set()
        for text, span, groups, new in super()._found(builder, pages):
            glyphs = [(run, i) for group in groups for run, i in group]
            covered.update(run.first + i for run, i in glyphs)
            if new:
                self._check(text, span, glyphs)
            yield text, span, groups, new
        yield from self._reviewer_areas(builder, covered)

    def _check(self, text: str, span: Span, glyphs: list[Glyph]) -> None:
        """A match with a visible glyph outside every kept area was rejected by the reviewer."""
        for run, i in glyphs:
            if run.drawn and run.texts[i].strip() and not covers(self.regions.get(run.page, []), run, i):
                where = Location(part="body", page=run.page)
                self.rejections.append(Rejection(span.item.id, where, self.targets.excerpt(text, span)))
                return

    def _reviewer_areas(self, builder: Any, covered: set[int]) -> Iterator[tuple[str, Span, list[list[Glyph]], bool]]:
        """The glyphs under each kept area that the order does not withhold, one group per area
        and content stream (so each stream paints its own box)."""
        groups: dict[tuple[int, int, int], list[Glyph]] = {}
        for run in builder.runs:
            areas = self.regions.get(run.page, [])
            if not run.drawn or not areas:
                continue
            for i, text in enumerate(run.texts):
                for k, area in enumerate(areas):
                    if text.strip() and covers([area], run, i, slack=0.0):
                        self.used.add((run.page, k))
                        if run.first + i not in covered:
                            groups.setdefault((run.page, k, run.unit), []).append((run, i))
        for glyphs in groups.values():
            text = "".join(run.texts[i] for run, i in glyphs)
            yield text, Span(0, len(text), REVIEWER, self.targets.label_for(REVIEWER)), [glyphs], True

    def empty_areas(self) -> list[Problem]:
        return [
            Problem("unsupported_part", f"page {page}: a kept redaction area covers no text; pictures and drawings "
                    "under it cannot be redacted from a review: redact it by hand, or delete the mark", page=page)
            for page, areas in sorted(self.regions.items()) for k in range(len(areas)) if (page, k) not in self.used
        ]


def review_pdf(data: bytes, targets: Targets) -> ReviewedPdf:
    """The true redaction of a reviewed proposal, with the reviewer's rejections (not yet judged:
    `apply` decides whether they stop the output)."""
    from pypdf import PdfWriter

    stripped = strip_proposal(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        job = _ReviewedJob(PdfWriter(clone_from=open_pdf(stripped.data)), targets, stripped.data, stripped.regions)
        out = job.run()  # the steps of `PdfRedactor`, with the reviewer's areas added to the page text
        problems = job.problems + job.empty_areas()
        if out:
            problems += _residue(out, targets) + _leftovers(out)
    review = {"format": "pdf", "proposed_kept": stripped.proposed, "added_by_reviewer": stripped.added,
              "other_annotations_kept": stripped.others}
    return ReviewedPdf(out, job.removals, problems, job.boxes, job.rejections, review)


def _leftovers(data: bytes) -> list[Problem]:
    """The proposal must leave nothing behind: no marker in the page text, no redaction mark."""
    problems = []
    for number, page in enumerate(open_pdf(data).pages, start=1):
        annots = page.get("/Annots")
        marks = [a.get_object() for a in annots.get_object()] if annots is not None else []
        if MARKER in (page.extract_text() or "") or any(
                a.get("/Subtype") == "/Redact" or _is_marker(a) or str(a.get("/T", "")) == AUTHOR for a in marks):
            problems.append(Problem("unsupported_part", f"page {number}: the proposal's marker or marks survive "
                                    "(flattened into the page by a review tool?); nothing is written", page=number))
    return problems
