"""A PDF page's text as a person reads it: PDFium's characters put in reading order by position.

Producers do not always draw text in reading order: design tools, some print drivers and PDF
editors place each glyph or word on its own, in any order. Read in content-stream order, such a
page gives one letter per line, and nothing matches. PDFium's text page orders the characters
of consecutive objects that share a line, but not glyphs scattered over the stream.

So each page is read in two steps. PDFium's own text (its lines, each with its box) is checked
for order: pieces of one visual line that the stream tore apart, or lines that go up and down
the page, mean the stream order is not the reading order. Only then are the characters taken
one by one with their boxes and laid out again: lines by vertical overlap (in the text's own
direction, so rotated pages read too), words by the gaps between glyphs, and columns by
recursive XY-cuts. Ordinary pages keep PDFium's order (columns stay apart) and cost a few calls
per line, not per character.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Fragment", "PageText", "Char", "Piece", "read_page_text", "group_lines", "reading_order", "overlaps",
    "to_frame", "from_frame", "running_key", "is_page_number", "at_edges", "RUNNING_EDGE", "RUNNING_LINES",
    "read_object_text",
]

Box = tuple[float, float, float, float]  # PDF points, default user space: left, bottom, right, top

#: Pieces of one visual line that the content stream tore apart: at this many, the page is
#: laid out again from its characters.
TORN_LINES = 3
#: Lines going back up the page within the same column: at this many (and this share of all
#: line changes), likewise.
UPWARD_LINES = 3
UPWARD_SHARE = 0.2


@dataclass(frozen=True)
class Fragment:
    """One line (or part of a line) of a page's text, with its box."""

    text: str
    box: Box


@dataclass(frozen=True)
class PageText:
    """A page's text in reading order, line by line.

    `reordered` says the content stream's order was not the reading order (the page was laid
    out again from its characters; `stream_text` then keeps the text in the stream's order,
    which is checked too: whatever one extractor could show is checked); `chars` counts the
    characters PDFium found (spaces and line breaks it generated excepted).
    """

    fragments: tuple[Fragment, ...]
    chars: int
    reordered: bool
    page_box: Box
    stream_text: str = ""

    @property
    def text(self) -> str:
        return "\n".join(f.text for f in self.fragments)

    def boxes(self) -> list[Box]:
        return [f.box for f in self.fragments]


def read_page_text(page: Any) -> PageText:
    """The page's text in reading order (`page` a pypdfium2 page; hold PDFium's lock)."""
    left, bottom, right, top = page.get_cropbox()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return PageText((), 0, False, (left, bottom, right, top))
        fragments, turns = _stream_fragments(textpage, count)
        chars = sum(len(f.text) - f.text.count(" ") for f in fragments)
        if not _in_reading_order(fragments, turns):
            laid_out = _laid_out(textpage, count)
            if laid_out:
                stream = "\n".join(f.text for f in fragments)
                return PageText(tuple(laid_out), chars, True, (left, bottom, right, top), stream)
        return PageText(tuple(fragments), chars, False, (left, bottom, right, top))
    finally:
        textpage.close()


def _stream_fragments(textpage: Any, count: int) -> tuple[list[Fragment], list[int]]:
    """PDFium's own lines (it breaks them with a generated CR LF), each with its box and the
    direction of its first character (quarter turns, `_turn`)."""
    import pypdfium2.raw as raw

    # PDFium marks a hyphen it took for a line-end hyphenation as U+FFFE and joins the lines:
    # a soft hyphen says the same to the normaliser (the word's halves join)
    text = textpage.get_text_range(0, count).replace("\ufffe", "\u00ad")
    out: list[Fragment] = []
    turns: list[int] = []
    handle = textpage.raw
    left, top_, right, bottom = (ctypes.c_double() for _ in range(4))
    start = 0
    # one text index per character, as long as no character is outside the BMP
    aligned = len(text) == count
    for piece in re.split(r"(\r\n|\r|\n)", text):
        if piece in ("\r\n", "\r", "\n"):
            start += len(piece)
            continue
        length = len(piece)
        if piece.strip():
            box: Box | None = None
            if aligned:
                rects = raw.FPDFText_CountRects(handle, start, length)
                for i in range(max(0, rects)):
                    if raw.FPDFText_GetRect(handle, i, left, top_, right, bottom):
                        rect = (left.value, bottom.value, right.value, top_.value)
                        box = rect if box is None else _union(box, rect)
            out.append(Fragment(piece.strip(), box or (0.0, 0.0, 0.0, 0.0)))
            turns.append(_turn(raw.FPDFText_GetCharAngle(handle, start + len(piece) - len(piece.lstrip()))) if aligned else 0)
        start += length
    return out, turns


def _turn(angle: float) -> int:
    """Quarter turns anticlockwise of text whose PDFium angle (clockwise, radians) is `angle`."""
    if angle < 0:
        return 0
    return -int(round(angle / (math.pi / 2))) % 4


def _in_reading_order(fragments: Sequence[Fragment], turns: Sequence[int]) -> bool:
    """False when the content stream's order is plainly not the order a person reads in
    (judged in the page's main text direction, on the lines that run that way)."""
    main = max(set(turns), key=turns.count) if turns else 0
    boxed = [(i, to_frame(f.box, main)) for i, f in enumerate(fragments)
             if turns[i] == main and (f.box[2] > f.box[0] or f.box[3] > f.box[1])]
    if len(boxed) < 2:
        return True
    torn = 0
    # Pieces of one line, apart in the stream: same band, touching or overlapping along it.
    by_band = sorted(boxed, key=lambda item: (-(item[1][1] + item[1][3]) / 2, item[1][0]))
    for (i, a), (j, b) in zip(by_band, by_band[1:], strict=False):
        if abs(i - j) == 1 or not _same_band(a, b):
            continue
        height = max(a[3] - a[1], b[3] - b[1], 1.0)
        if max(b[0] - a[2], a[0] - b[2]) < 0.3 * height:  # touching or overlapping along the line
            torn += 1
            if torn >= TORN_LINES:
                return False
    upward = changes = 0
    for (_, a), (_, b) in zip(boxed, boxed[1:], strict=False):
        if _same_band(a, b):
            continue
        changes += 1
        height = max(a[3] - a[1], 1.0)
        overlaps = min(a[2], b[2]) - max(a[0], b[0]) > 0  # the same column
        if overlaps and b[1] > a[3] + 0.5 * height:
            upward += 1
    return not (upward >= UPWARD_LINES and upward > UPWARD_SHARE * changes)


def _same_band(a: Box, b: Box) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def read_object_text(page: Any) -> str:
    """The page's text with a line break wherever the characters of one text object (one show
    operation: `Tj`, `TJ`, `'`, `"`) run straight into another's with no white space between
    them; "" where that happens nowhere (`page` a pypdfium2 page; hold PDFium's lock).

    PDFium strings the characters it finds on one line together as they stand; where a page's
    content is damaged (a lost `cm` or `Td`, a number that does not parse) every show may be
    drawn right after the last, so "14 Cherry Tree Road" and "Headingley" become one word,
    "RoadHeadingley", that no order item matches, while a person still reads the address. The
    positions of such a page cannot be trusted to separate its words, so its pieces are read
    too, each as the producer wrote it (`pdf.py`, `pdf_pdfium.py`: damaged pages only; one pass
    over the characters, a few calls each)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = textpage.count_chars()
        units: list[str] = []
        previous: int | None = None
        glued = False
        after_space = True
        for i in range(max(0, count)):
            code = raw.FPDFText_GetUnicode(handle, i)
            if code == 0 or code > 0x10FFFF:
                continue
            ch = "\u00ad" if code == 0xFFFE else chr(code)
            if ch.isspace():
                units.append(ch)
                after_space = True
                continue
            obj = raw.FPDFText_GetTextObject(handle, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value if obj else None
            if key is not None:
                if previous is not None and key != previous and not after_space:
                    units.append("\n")
                    glued = True
                previous = key
            units.append(ch)
            after_space = False
        if not glued:
            return ""
        # PDFium gives UTF-16 code units: a character outside the BMP comes as a surrogate pair
        return "".join(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    finally:
        textpage.close()


# --- laying a page out again from its characters ------------------------------------------


@dataclass
class Char:
    ch: str
    box: Box  # in the text's reading frame: x along the line, y up the page


def _laid_out(textpage: Any, count: int) -> list[Fragment]:
    """Every character with its box, in lines, words and columns by position."""
    import pypdfium2.raw as raw

    handle = textpage.raw
    rect = raw.FS_RECTF()
    groups: dict[int, list[tuple[Char, Box]]] = {}
    for i in range(count):
        if raw.FPDFText_IsGenerated(handle, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(handle, i)
        if code == 0 or code > 0x10FFFF:
            continue
        ch = chr(code)
        if ch.isspace():
            continue
        if not raw.FPDFText_GetLooseCharBox(handle, i, rect):
            continue
        box = (min(rect.left, rect.right), min(rect.bottom, rect.top), max(rect.left, rect.right), max(rect.bottom, rect.top))
        turn = _turn(raw.FPDFText_GetCharAngle(handle, i))
        groups.setdefault(turn, []).append((Char(ch, to_frame(box, turn)), box))
    fragments: list[Fragment] = []
    for turn in sorted(groups, key=lambda t: -len(groups[t])):  # the page's main direction first
        chars = groups[turn]
        lines = group_lines([c for c, _ in chars])
        pieces = [piece for line in lines for piece in _pieces(line)]
        for piece in reading_order(pieces):
            fragments.append(Fragment(piece.text, from_frame(piece.box, turn)))
    return fragments


def to_frame(box: Box, turn: int) -> Box:
    """Turn a page box so that text drawn at `turn` quarter turns runs left to right."""
    x0, y0, x1, y1 = box
    if turn == 1:
        return (y0, -x1, y1, -x0)
    if turn == 2:
        return (-x1, -y1, -x0, -y0)
    if turn == 3:
        return (-y1, x0, -y0, x1)
    return box


def from_frame(box: Box, turn: int) -> Box:
    x0, y0, x1, y1 = box
    if turn == 1:
        return (-y1, x0, -y0, x1)
    if turn == 2:
        return (-x1, -y1, -x0, -y0)
    if turn == 3:
        return (y0, -x1, y1, -x0)
    return box


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters whose vertical centres fall in one band, each line left to right."""
    chars = sorted(chars, key=lambda c: -(c.box[1] + c.box[3]) / 2)
    lines: list[list[Char]] = []
    band: tuple[float, float] | None = None
    for c in chars:
        centre = (c.box[1] + c.box[3]) / 2
        if band is not None and band[0] <= centre <= band[1]:
            lines[-1].append(c)
            continue
        lines.append([c])
        band = (c.box[1], c.box[3])
    return [sorted(line, key=lambda c: c.box[0]) for line in lines]


@dataclass
class Piece:
    text: str
    box: Box


def _pieces(line: list[Char]) -> list[Piece]:
    """One line split into words (a space where glyphs stand apart) and pieces (a column gap)."""
    pieces: list[Piece] = []
    text: list[str] = []
    box: Box | None = None
    prev: Char | None = None
    for c in line:
        if prev is not None:
            height = max(prev.box[3] - prev.box[1], c.box[3] - c.box[1], 1.0)
            gap = c.box[0] - prev.box[2]
            if gap > 1.5 * height and box is not None:
                pieces.append(Piece("".join(text), box))
                text, box = [], None
            elif gap > 0.15 * height and c.box[0] > prev.box[0]:
                text.append(" ")
            elif c.box[0] <= prev.box[0] and c.ch == prev.ch and overlaps(c.box, prev.box):
                continue  # the same glyph drawn twice (fake bold, a shadow): read once
        text.append(c.ch)
        box = c.box if box is None else _union(box, c.box)
        prev = c
    if box is not None:
        pieces.append(Piece("".join(text), box))
    return pieces


def overlaps(a: Box, b: Box) -> bool:
    width = min(a[2], b[2]) - max(a[0], b[0])
    return width > 0.7 * min(a[2] - a[0], b[2] - b[0])


def reading_order(pieces: list[Piece], depth: int = 0) -> list[Piece]:
    """Reading order of pieces: columns (a vertical gutter) left to right, blocks (a wider gap
    than between lines) top down, then lines top down."""
    if len(pieces) <= 1 or depth > 40:
        return pieces
    heights = sorted(p.box[3] - p.box[1] for p in pieces)
    unit = max(heights[len(heights) // 2], 1.0)
    columns, _ = _split(pieces, axis=0, min_gap=1.5 * unit)
    if len(columns) > 1:
        return [p for group in columns for p in reading_order(group, depth + 1)]
    rows, gaps = _split(pieces, axis=1, min_gap=0.0)
    if len(rows) <= 1:
        return sorted(pieces, key=lambda p: (-(p.box[1] + p.box[3]) / 2, p.box[0]))
    ordered = sorted(gaps)
    wide = max(ordered[len(ordered) // 2] * 1.5, 0.5 * unit)
    if any(g > wide for g in gaps) and not all(g > wide for g in gaps):
        # blocks first (a heading over two columns), each block then cut again
        blocks: list[list[Piece]] = [list(rows[0])]
        for gap, row in zip(gaps, rows[1:], strict=False):
            if gap > wide:
                blocks.append(list(row))
            else:
                blocks[-1].extend(row)
        return [p for block in blocks for p in reading_order(block, depth + 1)]
    return [p for group in rows for p in sorted(group, key=lambda p: p.box[0])]


def _split(pieces: list[Piece], axis: int, min_gap: float) -> tuple[list[list[Piece]], list[float]]:
    """Groups of pieces separated by an empty strip across the whole group (axis 0: a vertical
    strip, groups left to right; axis 1: a horizontal strip, groups top to bottom), and the
    width of each strip."""
    lo, hi = (0, 2) if axis == 0 else (1, 3)
    ordered = sorted(pieces, key=lambda p: p.box[lo])
    groups: list[list[Piece]] = [[ordered[0]]]
    gaps: list[float] = []
    reach = ordered[0].box[hi]
    for p in ordered[1:]:
        if p.box[lo] - reach > min_gap:
            gaps.append(p.box[lo] - reach)
            groups.append([p])
        else:
            groups[-1].append(p)
        reach = max(reach, p.box[hi])
    if axis == 1:  # PDF y grows upwards: the top group first
        groups.reverse()
        gaps.reverse()
    return groups, gaps


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


# --- running headers, footers and page numbers -------------------------------------------

_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:(?:page|p\.?|tudalen)\s*)?(?:[a-z]{1,3}\s*[-./]?\s*)?#(?:\s*(?:of|/|o)\s*#)?[\W_]*$"
)


#: A running line sits in this share of the page height at its top or bottom, among this many
#: lines nearest that edge (and repeats on a neighbouring page, or is only a page number).
RUNNING_EDGE = 0.15
RUNNING_LINES = 3


def at_edges(boxes: Sequence[Box], page_box: Box) -> list[int]:
    """Indexes of the lines (by their boxes) that could be running lines: nearest the page's
    top and bottom edges, within `RUNNING_EDGE` of its height."""
    left, bottom, right, top = page_box
    height = top - bottom
    placed = [(i, box) for i, box in enumerate(boxes) if box[3] > box[1]]
    if height <= 0 or not placed:
        return []
    by_height = sorted(placed, key=lambda item: -(item[1][1] + item[1][3]))
    heads = [i for i, box in by_height[:RUNNING_LINES] if box[1] >= top - RUNNING_EDGE * height]
    feet = [i for i, box in by_height[-RUNNING_LINES:] if box[3] <= bottom + RUNNING_EDGE * height]
    return heads + [i for i in feet if i not in heads]


def running_key(text: str) -> str:
    """A line's text with numbers and spacing folded, to find it again on other pages."""
    return " ".join(_DIGITS.sub("#", text.casefold()).split())


def is_page_number(text: str) -> bool:
    """A line that is only a page number or bundle reference: '3', '- 3 -', 'Page 3 of 9', 'B12'."""
    key = running_key(text)
    return len(key) <= 24 and bool(_PAGE_NUMBER.match(key))
