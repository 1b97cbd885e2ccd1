"""PDF proposals: the original with a `/Redact` annotation over each withheld match, and an XFDF.

Redaction annotations (PDF 1.7, 12.5.6.23) are what Acrobat, Foxit and PDF-XChange review: a
reviewer can keep, move, resize, delete or add them. Each one covers one match, a quadrilateral
per line (`/QuadPoints`) inside its `/Rect`, with the order's reason as `/OverlayText`, the item's
id in `/Contents` (never its value), author `redactguard` and a unique `/NM`. A plain red outline
is given as its appearance for viewers that draw only appearances (PDFium, pdf.js).

Every page also gets a FreeText annotation saying `MARKER`, not a stamp in the content: the
content stays byte for byte the original's (so applying the unchanged proposal gives what
`redact` gives), and an annotation is removed on apply without touching the page.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field
from typing import Any

from ..document import Location, Problem
from ..readers.pdf import open_pdf
from ..readers.pypdf_compat import add_object, core_font
from ..redactors.base import Removal, Targets
from ..redactors.pdf import PdfRedactor
from ..redactors.pdf.geometry import Box
from .marks import AUTHOR, MARKER, Mark, overlay_text
from .pdf_matches import withheld_matches
from .xfdf import xfdf

__all__ = ["PdfProposal", "propose_pdf", "MARKER_NAME"]

#: `/NM` prefix of the marker annotations (the reviewer's tool may keep or drop it; apply also
#: knows the marker by its text).
MARKER_NAME = "redactguard-marker-"
_MARKER_SIZE = 12.0


@dataclass
class PdfProposal:
    data: bytes
    marks: list[Mark] = field(default_factory=list)
    #: what the order's redaction removes elsewhere (pictures, metadata...): removed on apply whatever the review
    elsewhere: list[Removal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    xfdf: bytes = b""


def propose_pdf(data: bytes, targets: Targets, name: str) -> PdfProposal:
    """The proposal for a PDF, `name` being the file name the XFDF refers to."""
    # The real redaction first: a document that cannot be redacted cannot be proposed either.
    trial = PdfRedactor().redact(data, targets)
    if trial.problems:
        return PdfProposal(b"", problems=list(trial.problems))
    marks = [
        Mark(m.span.item, Location(part="body", page=page), targets.excerpt(m.text, m.span), tuple(boxes))
        for m in withheld_matches(data, targets) for page, boxes in sorted(m.boxes().items())
    ]
    # what no mark shows (pictures, annotations, pages read by OCR...): the log lists it for the reviewer
    marked = {(m.item.id, m.location.page) for m in marks}
    elsewhere = [r for r in trial.removals if r.location.part != "body" or (r.item, r.location.page) not in marked]
    written, annotations = _annotated(data, marks)
    return PdfProposal(written, marks, elsewhere, [], xfdf(name, annotations))


def _annotated(data: bytes, marks: list[Mark]) -> tuple[bytes, list[dict[str, Any]]]:
    """The PDF with the marks and the markers as annotations, and those annotations as plain
    dictionaries for the XFDF."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        writer = PdfWriter(clone_from=open_pdf(data))
    stem = hashlib.sha256(data).hexdigest()[:16]
    plain: list[dict[str, Any]] = []
    for number, page in enumerate(writer.pages, start=1):
        specs = [_redact_spec(mark, f"redactguard-{stem}-{k}") for k, mark in enumerate(marks) if mark.location.page == number]
        specs.append(_marker_spec(page, f"{MARKER_NAME}{stem}-{number}"))
        annots = page.get("/Annots")
        array = ArrayObject(list(annots.get_object()) if annots is not None else [])
        for spec in specs:
            array.append(add_object(writer, _annotation(writer, page, spec)))
            plain.append({**spec, "page": number - 1})
        page[NameObject("/Annots")] = array
    writer.pdf_header = "%PDF-1.7"  # redaction annotations are PDF 1.7
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), plain


def _redact_spec(mark: Mark, name: str) -> dict[str, Any]:
    boxes = list(mark.boxes)
    rect = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    # Acrobat's order for each quadrilateral: upper left, upper right, lower left, lower right
    quads = [v for x0, y0, x1, y1 in boxes for v in (x0, y1, x1, y1, x0, y0, x1, y0)]
    reason = overlay_text(mark.item)
    return {
        "subtype": "Redact", "rect": rect, "quads": quads, "boxes": boxes, "name": name, "overlay": reason,
        "contents": f"Withheld item {mark.item.id} ({reason}): proposed redaction",
    }


def _marker_spec(page: Any, name: str) -> dict[str, Any]:
    box = page.cropbox
    left, top = float(box.left), float(box.top)
    width = float(core_font("/Helvetica").get_text_width(MARKER)) * _MARKER_SIZE / 1000.0 + 8
    return {"subtype": "FreeText", "rect": (left + 18, top - 12 - _MARKER_SIZE - 8, left + 18 + width, top - 12),
            "name": name, "contents": MARKER}


def _annotation(writer: Any, page: Any, spec: dict[str, Any]) -> Any:
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    def numbers(values: Any) -> Any:
        return ArrayObject(FloatObject(round(v, 3)) for v in values)

    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/" + spec["subtype"]),
        NameObject("/Rect"): numbers(spec["rect"]), NameObject("/Contents"): TextStringObject(spec["contents"]),
        NameObject("/T"): TextStringObject(AUTHOR), NameObject("/NM"): TextStringObject(spec["name"]),
        NameObject("/F"): NumberObject(4), NameObject("/P"): page.indirect_reference,
    })
    if spec["subtype"] == "Redact":
        annot[NameObject("/QuadPoints")] = numbers(spec["quads"])
        annot[NameObject("/OverlayText")] = TextStringObject(spec["overlay"])
        annot[NameObject("/C")] = numbers((1, 0, 0))
        annot[NameObject("/IC")] = numbers((0, 0, 0))
        content = "1 0 0 RG 1 w\n" + "".join(f"{x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re S\n" for x0, y0, x1, y1 in spec["boxes"])
    else:
        annot[NameObject("/DA")] = TextStringObject(f"/Helv {_MARKER_SIZE:g} Tf 0.8 0 0 rg")
        x0, y0 = spec["rect"][0], spec["rect"][1]
        content = f"BT /Helv {_MARKER_SIZE:g} Tf 0.8 0 0 rg {x0 + 4:.3f} {y0 + 6:.3f} Td ({MARKER}) Tj ET\n"
    annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): add_object(writer, _appearance(spec["rect"], content))})
    return annot


def _appearance(rect: Box, content: str) -> Any:
    """A form XObject drawn over `rect` (its /BBox is the rect itself, so it maps as it is)."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
    )

    stream = DecodedStreamObject()
    stream.set_data(content.encode("latin-1"))
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    stream.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(round(v, 3)) for v in rect),
        NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/Helv"): font})}),
    })
    return stream
