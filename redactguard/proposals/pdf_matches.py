"""Where each withheld match sits on a PDF page, read by the redactor's own glyph-level reading.

Proposals and reviews must put their boxes exactly where `redact` would cut, so they use the
PDF redactor's interpretation of the content streams (`redactors.pdf`): the same runs, the
same two stream-order readings and the same reading by position, and so the same matches.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..readers.pdf import open_pdf
from ..redactors.base import Span, Targets
from ..redactors.pdf import _Job
from ..redactors.pdf.content import _Interpreter
from ..redactors.pdf.geometry import Box, _bbox
from ..redactors.pdf.reading import glyph_centre
from ..redactors.pdf.text import _Run, _TextBuilder

__all__ = ["Match", "interpret", "withheld_matches", "covers"]

Glyph = tuple[_Run, int]


@dataclass
class Match:
    """One withheld match: its text (for a masked excerpt), span, and its drawn glyphs by line."""

    text: str
    span: Span
    lines: list[list[Glyph]]

    @property
    def page(self) -> int:
        return self.lines[0][0][0].page

    def boxes(self) -> dict[int, list[Box]]:
        """One box per line, by page, in the page's user space."""
        out: dict[int, list[Box]] = {}
        for line in self.lines:
            out.setdefault(line[0][0].page, []).append(_bbox([p for run, i in line for p in run.quad(i, run.page_base)]))
        return out


def interpret(job: Any) -> tuple[_TextBuilder, list[Any]]:
    """Every page of `job`'s writer interpreted glyph by glyph, as the redactor does."""
    builder = _TextBuilder()
    interp = _Interpreter(builder, job.fonts)
    pages = list(job.writer.pages)
    for number, page in enumerate(pages, start=1):
        builder.start_page()
        interp.run_page(page, number)
    return builder, pages


def withheld_matches(data: bytes, targets: Targets) -> list[Match]:
    """The withheld matches of the page text that a viewer draws (glyphs of forms never
    painted are left to the redactor, which removes them whatever the review says)."""
    from pypdf import PdfWriter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        job = _Job(PdfWriter(clone_from=open_pdf(data)), targets, data)
        builder, pages = interpret(job)
        return list(_drawn(job._found(builder, pages)))


def _drawn(found: Iterator[tuple[str, Span, list[list[Glyph]], bool]]) -> Iterator[Match]:
    for text, span, groups, new in found:
        lines = [[(run, i) for run, i in group if run.drawn] for group in groups]
        lines = [line for line in lines if line]
        if new and lines:
            yield Match(text, span, lines)


def covers(regions: list[Box], run: _Run, i: int, slack: float = 1.0) -> bool:
    """Whether glyph i of `run` has its centre inside one of `regions` (on its page)."""
    x, y = glyph_centre(run, i)
    return any(b[0] - slack <= x <= b[2] + slack and b[1] - slack <= y <= b[3] + slack for b in regions)
