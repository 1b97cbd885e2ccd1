"""One redaction's state, shared by the page-text step and the other-parts step.

Both steps record what they removed and what they could not remove in the same lists, so the
state and the two recording methods live here, below both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...document import Location, Problem
from ..base import Removal, Span, Targets
from .fonts import _FontInfo
from .geometry import Box


@dataclass
class _Paint:
    """One box to paint in a unit's own space, with the label to write in it (if it fits)."""

    box: Box
    label: str
    upright: bool


class _JobBase:
    """One redaction: the writer being changed, and what was removed or could not be."""

    def __init__(self, writer: Any, targets: Targets, source: bytes = b"") -> None:
        self.writer = writer
        self.targets = targets
        self.source = source  # the input's bytes, as the reader read them
        self.removals: list[Removal] = []
        self.problems: list[Problem] = []
        self.boxes: dict[int, list[Box]] = {}
        self.fonts: dict[int, _FontInfo] = {}
        self.dropped_files: set[int] = set()

    def _record(self, text: str, spans: list[Span], location: Location, action: str = "replaced") -> None:
        for span in spans:
            self.removals.append(Removal(span.item.id, span.item.kind, location, self.targets.excerpt(text, span), action))

    def problem(self, page: int | None, message: str, location: Location | None = None, code: str = "unsupported_part") -> None:
        text = f"page {page}: {message}" if page is not None else message
        problem = Problem(code, text, page=page, location=location)
        if problem not in self.problems:
            self.problems.append(problem)
