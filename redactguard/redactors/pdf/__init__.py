"""PDF redaction: withheld glyphs are taken out of the content streams, not painted over.

A black box over live text is the classic redaction failure, so the page text is rebuilt the
way the reader (pypdf) reads it, but glyph by glyph: every content stream is interpreted (text
state, text and graphics matrices, form XObjects), each string operand is decoded into glyph
codes with the font's encoding, ToUnicode map and widths (one byte per code for simple fonts
and one-byte embedded CMaps, two for Type0/Identity-H), and each character of the whole-document
text keeps a pointer back to its glyph. `Targets.find` runs on that text as a whole, so matches
that cross lines and pages are found; it runs on two readings of it, spaced as pypdf spaces words
and as poppler and pdfminer.six do, so a value either kind of extractor shows is found. The
matched glyphs are cut out of their strings (a Tj becomes a TJ; each removed glyph
becomes a number adjustment equal to its advance, so every other glyph stays exactly where it
was), and an opaque box, with the span's label in white where it fits, is painted where they
were.

Then every other place the reader looks is scrubbed (annotations, links, form fields and their
appearances, outlines, the Info dictionary, XMP, attachments), plus any other string or
JavaScript in the object graph. The file is written anew, never as an incremental update, and cloned once more
from its own bytes so that nothing unreachable (earlier revisions, removed objects) survives.
Whatever cannot be removed safely is a `Problem`, never a silent pass: text in a font whose
codes cannot be decoded, pictures that cannot be decoded or painted, and any withheld text that
pypdf still reads in the output. Pictures are redacted in their pixels (`pictures`).

The text is also read by position (`reading`: glyphs drawn in any order, running headers and
footers left out of the body flow so that a value split across a page break is one match), and
pages whose text layer does not tell what they show (a font whose codes name other letters,
writing drawn as outlines) are redacted by what OCR reads there (`untrusted`: glyphs and outline
subpaths removed by position).

The work is split along the data flow: `fonts` decodes string operands into glyphs, `content`
interprets the content streams into `text` (the document's text with a pointer from each
character to its glyph) and records painted paths, `reading` reads the glyphs by position,
`untrusted` finds what OCR reads on distrusted pages, `edit` cuts the withheld glyphs and
outlines out and paints the boxes, `pictures` paints withheld words out of images, and `parts`
scrubs everything else; `geometry` holds the matrices they share and `job` the state of one
redaction. This module holds the redactor itself and the final write and check.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from ...document import Problem
from ...errors import UnreadableDocument
from ...readers.pdf import open_pdf
from ...readers.pypdf_compat import renew_file_identifier
from ..base import RedactionResult, Targets
from .edit import _PageText
from .geometry import Box
from .parts import _Parts, _position
from .pictures import _Pictures

__all__ = ["PdfRedactor", "PdfRedactionResult"]


@dataclass
class PdfRedactionResult(RedactionResult):
    """A `RedactionResult` that also gives the painted boxes, per page, in PDF user space."""

    boxes: dict[int, list[Box]] = field(default_factory=dict)


class PdfRedactor:
    type = "pdf"

    def redact(self, data: bytes, targets: Targets) -> PdfRedactionResult:
        from pypdf import PdfWriter

        reader = open_pdf(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                writer = PdfWriter(clone_from=reader)
            except Exception as exc:
                raise UnreadableDocument("corrupt", f"the PDF cannot be copied for redaction ({type(exc).__name__})") from None
            job = _Job(writer, targets, data)
            out = job.run()
            problems = job.problems + (_residue(out, targets) if out else [])
        return PdfRedactionResult(out, job.removals, problems, job.boxes)


class _Job(_PageText, _Parts, _Pictures):
    """One redaction: the page text, every other part, then the output."""

    def run(self) -> bytes:
        """Every step, then the output written; b"" if it could not be. A step that fails is a
        problem: a damaged structure fails closed, never passes unredacted."""
        steps: list[tuple[str, Callable[[], None]]] = [
            ("page text", self.body), ("pictures", self.pictures), ("annotations", self.annotations),
            ("form fields", self.form_fields), ("outline", self.outline), ("document information", self.info),
            ("embedded files", self.embedded_files), ("other strings and metadata", self.strays),
            ("earlier revisions", lambda: self.revisions(self.source)),
        ]
        for what, step in steps:
            try:
                step()
            except Exception as exc:
                self.problem(None, f"the {what} could not be redacted ({type(exc).__name__})")
        try:
            return self.write()
        except Exception as exc:
            self.problem(None, f"the redacted file could not be written ({type(exc).__name__})")
            return b""

    def write(self) -> bytes:
        """The whole file written anew, then cloned from its own bytes to drop unreachable objects."""
        from pypdf import PdfReader, PdfWriter
        from pypdf.generic import ByteStringObject

        first = io.BytesIO()
        self.writer.write(first)
        clean = PdfWriter(clone_from=PdfReader(io.BytesIO(first.getvalue())))
        for page in clean.pages:
            page.compress_content_streams()
        # Same document, new version (PDF 14.4): keep the first identifier, derive the second
        # from the content, so the same input and order always give the same bytes.
        renew_file_identifier(clean, ByteStringObject(hashlib.md5(first.getvalue(), usedforsecurity=False).digest()))
        out = io.BytesIO()
        clean.write(out)
        return out.getvalue()


def _residue(data: bytes, targets: Targets) -> list[Problem]:
    """Withheld text pypdf still reads in the output's pages (the scanner's own view)."""
    reader = open_pdf(data)
    texts: list[str] = []
    problems: list[Problem] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception:
            texts.append("")
            problems.append(Problem("unsupported_part", f"page {number}: the redacted page cannot be read back to check it", page=number))
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + 1
    for span in targets.find("\n".join(texts)):
        number = _position(starts, span.start) + 1
        problem = Problem("unsupported_part", f"page {number}: withheld text is still in the page text after redaction", page=number)
        if problem not in problems:
            problems.append(problem)
    return problems
