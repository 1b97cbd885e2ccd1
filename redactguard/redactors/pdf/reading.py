"""The document's glyphs read by position, as a person reads the page, with a pointer back to each.

Design tools, some print drivers and PDF editors draw each glyph or word on its own, in any
order; the stream-order readings of `text` then give one letter a line and nothing matches.
The reader lays such pages out again from PDFium's characters (`readers.pdf_layout`); this is
the same reading over the redactor's own glyphs: each string's box on the page (from its font's
advances, ascent and descent), lines by vertical overlap in the text's own direction, words by
the gaps between strings, columns and blocks by recursive XY-cuts, with the reader's own line
and cut functions. A line whose strings overlap one another (glyphs or words placed one by one)
is read glyph by glyph.

As in the reader (`readers.pdf_pages.PageTexts`), the body flows on from page to page without its
running lines (headers, footers and page numbers: lines at a page's top or bottom edge that
are a page number or repeat on a neighbouring page), so a fact split across a page break under
a header and footer is one match; the running lines are read as a flow of their own.

Every character keeps the glyph it came from and the line it sits in: a match names its glyphs
whatever order the stream drew them in, grouped by line (one box each).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from ...readers.pdf_layout import (
    Char,
    Piece,
    at_edges,
    from_frame,
    group_lines,
    is_page_number,
    overlaps,
    reading_order,
    running_key,
    to_frame,
)
from ..base import Span, Targets
from .geometry import Box, Point, _bbox, _union
from .text import _Run, _TextBuilder

Glyph = tuple[_Run, int]
#: Neighbouring runs on one line that overlap by more than this share of the line's height are
#: interleaved (glyphs of one line drawn in any order): that line is read glyph by glyph.
INTERLEAVED = 0.25


@dataclass
class _Placed(Char):
    """A string's glyphs as drawn on one baseline (or one glyph of it): its text, the glyph of
    each character, and its box in its text's reading frame."""

    owners: list[int] = field(default_factory=list)
    turn: int = 0
    run: _Run | None = None


@dataclass
class _Line(Piece):
    """A piece of one line (a column's share of it), its characters' glyphs beside its text."""

    owners: list[int] = field(default_factory=list)
    turn: int = 0


@dataclass
class _Page:
    number: int
    box: Box
    lines: list[_Line]


@dataclass
class _Flow:
    """Text read by position: each character's glyph (-1 for an inserted space or line break)
    and the line it sits in."""

    chars: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def add(self, text: str, owners: list[int], line: int) -> None:
        self.chars.extend(text)
        self.owners.extend(owners)
        self.lines.extend([line] * len(text))

    @property
    def text(self) -> str:
        return "".join(self.chars)


class PositionalText:
    """Every drawn glyph of the document read by position: a body flow and a running flow.

    Strings are placed whole (a string's glyphs share a baseline and follow each other); a line
    whose strings overlap one another is read glyph by glyph. That keeps an ordinary page to a
    few steps per string, not per glyph."""

    def __init__(self, builder: _TextBuilder, page_boxes: dict[int, Box]) -> None:
        self.builder = builder
        self.run_boxes: dict[int, list[tuple[_Run, Box]]] = {}
        placed: dict[int, list[_Placed]] = {}
        for run in builder.runs:
            if run.drawn and run.texts:
                box = _run_box(run)
                self.run_boxes.setdefault(run.page, []).append((run, box))
                unit = _unit(run, box)
                if unit is not None:
                    placed.setdefault(run.page, []).append(unit)
        self.pages = [_read_page(n, page_boxes.get(n, (0.0, 0.0, 0.0, 0.0)), placed[n]) for n in sorted(placed)]
        self.all_lines: list[int] = []  # page number of each line
        self.body, self.running = _Flow(), _Flow()
        for index, page in enumerate(self.pages):
            running = self._running(index)
            for k, line in enumerate(page.lines):
                flow = self.running if k in running else self.body
                if flow.chars:
                    flow.add("\n", [-1], -1)
                self.all_lines.append(page.number)
                flow.add(line.text, line.owners, len(self.all_lines) - 1)

    def _running(self, index: int) -> set[int]:
        """Lines of page `index` that are running lines, by the reader's rules."""
        keys = {running_key(self.pages[n].lines[k].text) for n in (index - 1, index + 1)
                if 0 <= n < len(self.pages) and abs(self.pages[n].number - self.pages[index].number) == 1
                for k in _at_edges(self.pages[n])}
        page = self.pages[index]
        return {k for k in _at_edges(page) if is_page_number(page.lines[k].text) or running_key(page.lines[k].text) in keys}

    def matches(self, targets: Targets) -> Iterator[tuple[str, Span, set[int], list[list[Glyph]]]]:
        """(text, span, the glyphs its characters came from, those glyphs and their neighbours
        by line) of each withheld match in either flow."""
        for flow in (self.body, self.running):
            text = flow.text
            for span in targets.find(text):
                by_line: dict[int, list[int]] = {}
                for glyph, line in zip(flow.owners[span.start : span.end], flow.lines[span.start : span.end], strict=True):
                    if glyph >= 0 and glyph not in by_line.setdefault(line, []):
                        by_line[line].append(glyph)
                groups = [self._with_neighbours(self.all_lines[line], glyphs) for line, glyphs in by_line.items() if glyphs]
                if groups:
                    yield text, span, {g for glyphs in by_line.values() for g in glyphs}, groups

    def _with_neighbours(self, page: int, glyphs: list[int]) -> list[Glyph]:
        """The matched glyphs of one line, and every other glyph drawn on the page whose centre
        lies within their box: a glyph drawn twice (fake bold, a shadow), a space, a glyph that
        maps to no character."""
        found = [self.builder.glyph(g) for g in glyphs]
        box = _bbox([p for run, i in found for p in run.quad(i, run.page_base)])
        chosen = set(glyphs)
        for run, run_box in self.run_boxes.get(page, []):
            if not _meets(run_box, box):
                continue
            for i in range(len(run.texts)):
                if run.first + i not in chosen and _inside(glyph_centre(run, i), box):
                    chosen.add(run.first + i)
                    found.append((run, i))
        return found


def _run_box(run: _Run) -> Box:
    """The box on the page of all of a string's glyphs (they follow each other on its baseline)."""
    last = len(run.texts) - 1
    return _bbox(run.quad(0, run.page_base) + run.quad(last, run.page_base))


def _unit(run: _Run, box: Box) -> _Placed | None:
    """The string as one piece of text to place, or None if it shows only spaces."""
    text = "".join(run.texts)
    if not text.strip():
        return None
    owners = [run.first + k for k, t in enumerate(run.texts) for _ in t]
    turn = _turn(run)
    return _Placed(text, to_frame(box, turn), owners, turn, run)


def _glyphs(unit: _Placed) -> list[_Placed]:
    """A string's glyphs placed one by one (spaces are then read from the gaps, as the reader
    reads them)."""
    run = unit.run
    if run is None or len(run.texts) == 1:
        return [unit]
    return [_Placed(t, to_frame(_bbox(run.quad(k, run.page_base)), unit.turn), [run.first + k] * len(t), unit.turn, None)
            for k, t in enumerate(run.texts) if t and not t.isspace()]


def _turn(run: _Run) -> int:
    """Quarter turns (anticlockwise) of the run's direction on the page."""
    return int(round(math.atan2(run.direction[1], run.direction[0]) / (math.pi / 2))) % 4


def _read_page(number: int, box: Box, units: list[_Placed]) -> _Page:
    """One page's strings in lines, words and columns (`readers.pdf_layout`), each direction
    on its own, the page's main direction first."""
    by_turn: dict[int, list[_Placed]] = {}
    for unit in units:
        by_turn.setdefault(unit.turn, []).append(unit)
    lines: list[_Line] = []
    for turn in sorted(by_turn, key=lambda t: -len(by_turn[t])):
        rows = [_untangled(row) for row in cast(list[list[_Placed]], group_lines(list(by_turn[turn])))]
        pieces = [piece for row in rows for piece in _pieces(row, turn)]
        lines.extend(cast(list[_Line], reading_order(list(pieces))))
    for line in lines:  # back in page space, for the running lines' edges
        line.box = from_frame(line.box, line.turn)
    return _Page(number, box, lines)


def _untangled(row: list[_Placed]) -> list[_Placed]:
    """A line's strings left to right; glyph by glyph where strings are interleaved."""
    for a, b in zip(row, row[1:], strict=False):
        height = max(a.box[3] - a.box[1], b.box[3] - b.box[1], 1.0)
        if a.box[2] - b.box[0] > INTERLEAVED * height and not _twins(a, b):
            return sorted((g for unit in row for g in _glyphs(unit)), key=lambda c: c.box[0])
    return row


def _twins(a: _Placed, b: _Placed) -> bool:
    """The same text drawn twice in nearly the same place (fake bold, a shadow)."""
    return a.ch == b.ch and overlaps(a.box, b.box)


def _pieces(row: list[_Placed], turn: int) -> list[_Line]:
    """One line split into words and pieces by the reader's gaps (`pdf_layout._pieces`),
    keeping each character's glyph."""
    pieces: list[_Line] = []
    line: _Line | None = None
    prev: _Placed | None = None
    for c in row:
        if prev is not None and line is not None:
            height = max(prev.box[3] - prev.box[1], c.box[3] - c.box[1], 1.0)
            gap = c.box[0] - prev.box[2]
            if gap > 1.5 * height:
                pieces.append(line)
                line = None
            elif gap > 0.15 * height and c.box[0] > prev.box[0]:
                line.text += " "
                line.owners.append(-1)
            elif _twins(prev, c):
                continue  # read once; its glyphs go with the other's (`_with_neighbours`)
        if line is None:
            line = _Line("", c.box, turn=turn)
        line.text += c.ch
        line.owners.extend(c.owners)
        line.box = _union(line.box, c.box)
        prev = c
    if line is not None:
        pieces.append(line)
    return pieces


def _at_edges(page: _Page) -> list[int]:
    """Lines nearest the page's top and bottom edges, by the reader's own rule."""
    return at_edges([line.box for line in page.lines], page.box)


def glyph_centre(run: _Run, i: int) -> Point:
    """The centre of glyph i's box on the page."""
    box = _bbox(run.quad(i, run.page_base))
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def _inside(point: Point, box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _meets(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
