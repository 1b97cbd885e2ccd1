"""The whole document's text, glyph by glyph, with a pointer from each character to its glyph.

Every string shown becomes a `_Run`; `_TextBuilder` joins the runs into text the way pypdf
spaces and breaks it (and the way poppler and pdfminer.six do), keeping for each character the
index of the glyph it came from, so a match in the text names exactly the glyphs to remove.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..base import Span, Targets
from .fonts import _FontInfo
from .geometry import IDENTITY, Matrix, Point, _apply, _length, _mult


@dataclass
class _Run:
    """One string operand as shown: its glyphs share a text matrix, a font and a text state.

    Glyph i starts at x = xs[i] on the string's baseline in text space; xs has one more entry,
    the pen position after the last glyph. Geometry is computed only for what is removed.
    """

    unit: int
    op: int
    elem: int
    page: int
    base: Matrix  # text space at the string's start -> the unit's own space
    outer: Matrix  # the unit's space -> the page's user space
    font: _FontInfo
    size: float
    th: float
    rise: float
    tc: float
    tw: float
    first: int = 0  # index of the first glyph in the document's glyph order
    starts: list[int] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    page_base: Matrix = IDENTITY
    direction: Point = (1.0, 0.0)
    height: float = 0.0
    space: float = 0.0
    drawn: bool = True  # False for a form that a page lists but never paints

    def finish(self) -> None:
        self.page_base = _mult(self.base, self.outer)
        along = _length(self.page_base, 1.0, 0.0) or 1.0
        self.direction = (self.page_base[0] / along, self.page_base[1] / along)
        self.height = abs(self.size) * _length(self.page_base, 0.0, 1.0)
        self.space = abs(self.font.space * self.size) * along  # pypdf leaves out Tz here

    def origin(self, i: int) -> Point:
        return _apply(self.page_base, self.xs[i], 0.0)

    def pen(self, i: int) -> Point:
        return _apply(self.page_base, self.xs[i + 1], 0.0)

    def quad(self, i: int, matrix: Matrix) -> list[Point]:
        """Glyph i's box (advance by ascent and descent) through `matrix` (base or page_base)."""
        x0 = self.xs[i]
        x1 = x0 + self.widths[i] * self.size * self.th
        y0 = self.rise + self.font.descent * self.size
        y1 = self.rise + self.font.ascent * self.size
        return [_apply(matrix, x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]

    def layout(self, data: bytes) -> list[tuple[int, int, float | None]]:
        """(start, end, TJ number that moves the pen as the glyph did) for each glyph."""
        out = []
        ends = [*self.starts[1:], len(data)]
        for i, (start, end) in enumerate(zip(self.starts, ends, strict=True)):
            word = self.font.code_bytes == 1 and data[start : start + 1] == b" "
            spacing = self.tc + (self.tw if word else 0.0)
            exact = self.size and self.font.widths_known
            advance = -(self.widths[i] * 1000.0 + spacing * 1000.0 / self.size) if exact else None
            out.append((start, end, advance))
        return out


class _TextBuilder:
    """The glyphs in reading order as text, with a space or line break where positions jump.

    Two readings are kept side by side. `PYPDF` puts spaces where pypdf's extraction does (the
    scanner's own view). `EAGER` also puts one wherever a gap is a tenth of the font size or
    more, or the text steps back, as poppler and pdfminer.six do; a value that pypdf runs
    together but they show apart is found there.
    """

    PYPDF, EAGER = 0, 1

    def __init__(self) -> None:
        self.chars: tuple[list[str], list[str]] = ([], [])
        self.owner: tuple[list[int], list[int]] = ([], [])  # glyph index of each character, -1 if inserted
        self.runs: list[_Run] = []
        self.firsts: list[int] = []
        self.count = 0
        self.last: _Run | None = None
        self.page_starts: list[int] = []

    def start_page(self) -> None:
        for view in (self.PYPDF, self.EAGER):
            if self.chars[view]:
                self._put(view, "\n")
        self.page_starts.append(len(self.chars[self.PYPDF]))
        self.last = None

    def newline(self) -> None:
        for view in (self.PYPDF, self.EAGER):
            if self.chars[view] and self.chars[view][-1] != "\n":
                self._put(view, "\n")

    def add(self, run: _Run) -> None:
        if not run.texts:
            return
        if self.last is not None:
            self._separate(self.last, run)
        run.first = self.count
        self.runs.append(run)
        self.firsts.append(self.count)
        for view in (self.PYPDF, self.EAGER):
            chars, owner = self.chars[view], self.owner[view]
            for k, text in enumerate(run.texts):
                chars.extend(text)
                owner.extend([self.count + k] * len(text))
        self.count += len(run.texts)
        self.last = run

    def glyph(self, index: int) -> tuple[_Run, int]:
        """The run holding glyph `index`, and the glyph's position in it."""
        from bisect import bisect_right

        run = self.runs[bisect_right(self.firsts, index) - 1]
        return run, index - run.first

    def _separate(self, last: _Run, run: _Run) -> None:
        # pypdf: a baseline move of more than 0.8 of the font height is a new line; a gap of half
        # a space (0.475 of one inside a TJ array) or more is a space, a step back is nothing.
        gap = _gap(last, len(last.texts) - 1, run, 0)
        if gap is None:
            self.newline()
            return
        along, height = gap
        space = min(last.space, run.space)
        same_tj = last.unit == run.unit and last.op == run.op and last.elem != run.elem
        if along >= (0.475 if same_tj else 0.5) * space:
            self._space(self.PYPDF, run)
        if abs(along) >= 0.1 * height:
            self._space(self.EAGER, run)

    def _space(self, view: int, run: _Run) -> None:
        chars = self.chars[view]
        if chars and not chars[-1].isspace() and not run.texts[0][:1].isspace():
            self._put(view, " ")

    def _put(self, view: int, ch: str) -> None:
        self.chars[view].append(ch)
        self.owner[view].append(-1)

    def text(self, view: int = 0) -> str:
        return "".join(self.chars[view])


def _gap(a: _Run, i: int, b: _Run, j: int) -> tuple[float, float] | None:
    """How far glyph j of b starts after glyph i of a ends, along the line, and the font height.

    None if b's glyph is on another line (or runs another way), as pypdf would see it.
    """
    ux, uy = a.direction
    if b.direction[0] * ux + b.direction[1] * uy <= 0.99:
        return None
    (x0, y0), (x1, y1) = a.pen(i), b.origin(j)
    dx, dy = x1 - x0, y1 - y0
    low, high = sorted((a.height, b.height))
    height = low if low > 0 else high
    if abs(dy * ux - dx * uy) > 0.8 * height:
        return None
    return dx * ux + dy * uy, height


def _matches(builder: _TextBuilder, targets: Targets) -> Iterator[tuple[str, Span, int, int]]:
    """(text, span, first glyph, last glyph) of each withheld match in either reading of the text."""
    covered: set[int] = set()
    pypdf = builder.text(builder.PYPDF)
    for view in (builder.PYPDF, builder.EAGER):
        text = builder.text(view)
        if view == builder.EAGER and text == pypdf:
            break
        owner = builder.owner[view]
        for span in targets.find(text):
            owners = [o for o in owner[span.start : span.end] if o >= 0]
            if not owners:
                continue
            first, last = min(owners), max(owners)
            if view == builder.EAGER and covered.issuperset(range(first, last + 1)):
                continue  # already found in pypdf's reading
            covered.update(range(first, last + 1))
            yield text, span, first, last
