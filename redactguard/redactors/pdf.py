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
codes cannot be decoded, pictures without a text layer, and any withheld text that pypdf still
reads in the output.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import math
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from ..document import Location, Problem
from ..errors import UnreadableDocument
from ..readers.pdf import MIN_TEXT_CHARS, _filespec, _strip_markup, _text, open_pdf, page_has_images
from .base import RedactionResult, Removal, Span, Targets, register

__all__ = ["PdfRedactor", "PdfRedactionResult"]

logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Box = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

#: Form XObjects nested deeper than this are not interpreted (a problem if they hold text).
MAX_FORM_DEPTH = 12
LABEL_FONT = "/Helvetica"


@dataclass
class PdfRedactionResult(RedactionResult):
    """A `RedactionResult` that also gives the painted boxes, per page, in PDF user space."""

    boxes: dict[int, list[Box]] = field(default_factory=dict)


# --------------------------------------------------------------------------- geometry


def _mult(m: Matrix, n: Matrix) -> Matrix:
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _length(m: Matrix, x: float, y: float) -> float:
    return math.hypot(m[0] * x + m[2] * y, m[1] * x + m[3] * y)


def _matrix(values: Any) -> Matrix:
    try:
        nums = [float(v) for v in list(values)[:6]]
    except (TypeError, ValueError):
        return IDENTITY
    return (nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]) if len(nums) == 6 else IDENTITY


def _bbox(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


# --------------------------------------------------------------------------- fonts


class _FontInfo:
    """What the redactor needs of one font: code boundaries, Unicode, advances, height."""

    def __init__(self, font_dict: Any) -> None:
        from pypdf.generic import NameObject
        from pypdf.generic._font import Font

        self.problem: str | None = None
        subtype = font_dict.get("/Subtype")
        self.font = Font.from_font_resource(font_dict)
        self.code_bytes = 1
        self.cid: Callable[[int], int] | None = None  # code -> CID, for a composite font's widths
        self.widths_known = "/Widths" in font_dict or _core_font(font_dict)
        self.scale = 0.001
        self.ascent, self.descent = 0.9, -0.25
        desc = self.font.font_descriptor
        if 0.5 <= desc.ascent * 0.001 <= 1.3:
            self.ascent = desc.ascent * 0.001
        if -0.6 <= desc.descent * 0.001 <= -0.1:  # LibreOffice writes 0 for both
            self.descent = desc.descent * 0.001
        if subtype == "/Type3":
            fm = _matrix(font_dict.get("/FontMatrix", [0.001, 0, 0, 0.001, 0, 0]))
            self.scale = fm[0] or 0.001
            bbox = font_dict.get("/FontBBox")
            if bbox is not None and len(bbox) == 4 and fm[3]:
                low, high = sorted((_num(bbox[1]) * fm[3], _num(bbox[3]) * fm[3]))
                self.descent, self.ascent = min(low, 0.0), max(high, 0.5)
            if not self.font.interpretable:
                self.problem = "text in a Type 3 font whose glyphs cannot be mapped to characters"
        if subtype == "/Type0":
            enc = font_dict.get("/Encoding")
            enc = enc.get_object() if enc is not None else None
            self.widths_known = True
            if isinstance(enc, NameObject):
                self._named_cmap(str(enc))
            elif hasattr(enc, "get_data"):
                self._embedded_cmap(enc)
            else:
                self.problem = "text in a composite font without an encoding"
        # pypdf takes 200 when the font gives its space no width
        space = self.font.character_widths.get(self.font.space_char, 0)
        self.space = (self.font.space_width if space else 200.0) * self.scale
        self._cache: dict[int, tuple[str, float, bool]] = {}

    def _named_cmap(self, name: str) -> None:
        self.code_bytes = 2
        if name.endswith("-V"):
            self.problem = "vertical text, which cannot be redacted"
        elif self.font.encoding != "utf-16-be":
            self.problem = "text in a composite font whose multi-byte encoding cannot be decoded"
        elif name == "/Identity-H":
            self.cid = int
        else:  # a predefined Unicode CMap: codes decode, but which CID (and width) each has is unknown
            self.cid = int
            self.widths_known = False

    def _embedded_cmap(self, stream: Any) -> None:
        """An embedded CMap (Ghostscript's OneByteIdentityH and the like): code lengths and CIDs."""
        try:
            lengths, ranges = _parse_cmap(stream.get_data().decode("latin-1"))
        except ValueError:
            lengths, ranges = set(), []
        if lengths == {1}:
            # pypdf reads these one byte at a time through its simple-font path, as we do.
            self.cid = functools.partial(_cid_of, ranges)
        elif lengths == {2} and isinstance(self.font.encoding, str):
            self.code_bytes, self.cid = 2, functools.partial(_cid_of, ranges)
        else:
            self.problem = "text in a composite font whose multi-byte encoding cannot be decoded"

    def codes(self, data: bytes) -> list[tuple[int, str, float, bool]]:
        """(byte offset, text, width per unit of font size, takes word spacing) for each code."""
        if self.code_bytes == 1:
            return [(i, *self._decode(code)) for i, code in enumerate(data)]
        out = [(i, *self._decode(data[i] << 8 | data[i + 1])) for i in range(0, len(data) - 1, 2)]
        if len(data) % 2:  # a stray odd byte: no glyph, kept as it is
            out.append((len(data) - 1, "", 0.0, False))
        return out

    def _decode(self, code: int) -> tuple[str, float, bool]:
        hit = self._cache.get(code)
        if hit is None:
            font = self.font
            # The same two steps as pypdf's extraction: encoding, then the ToUnicode map.
            enc = font.encoding
            char = chr(code) if isinstance(enc, str) else enc.get(code, chr(code))
            text = str(font.character_map.get(char, char))
            key = chr(self.cid(code) if self.cid is not None else code)
            width = _num(font.character_widths.get(key, font.character_widths["default"]), 0.0)
            hit = self._cache[code] = (text, width * self.scale, self.code_bytes == 1 and code == 32)
        return hit


def _core_font(font_dict: Any) -> bool:
    """A standard 14 font, whose widths pypdf knows without a /Widths array."""
    try:
        from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS
    except ImportError:
        return False
    name = font_dict.get("/BaseFont")
    return isinstance(name, str) and name.removeprefix("/") in CORE_FONT_METRICS


def _parse_cmap(text: str) -> tuple[set[int], list[tuple[int, int, int]]]:
    """Code lengths (bytes) of a CMap's code space, and its (low, high, first CID) ranges."""
    if "usecmap" in text:
        raise ValueError("a CMap built on another one")
    lengths: set[int] = set()
    for block in re.findall(r"begincodespacerange(.*?)endcodespacerange", text, re.S):
        for low, _high in re.findall(r"<\s*([0-9A-Fa-f]+)\s*>\s*<\s*([0-9A-Fa-f]+)\s*>", block):
            lengths.add((len(low) + 1) // 2)
    ranges: list[tuple[int, int, int]] = []
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for low, high, cid in re.findall(r"<\s*([0-9A-Fa-f]+)\s*>\s*<\s*([0-9A-Fa-f]+)\s*>\s*(\d+)", block):
            ranges.append((int(low, 16), int(high, 16), int(cid)))
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for code, cid in re.findall(r"<\s*([0-9A-Fa-f]+)\s*>\s*(\d+)", block):
            ranges.append((int(code, 16), int(code, 16), int(cid)))
    return lengths, ranges


def _cid_of(ranges: list[tuple[int, int, int]], code: int) -> int:
    for low, high, cid in ranges:
        if low <= code <= high:
            return cid + code - low
    return 0


# --------------------------------------------------------------------------- content model


@dataclass
class _Unit:
    """One content stream being interpreted and, perhaps, edited: a page's or a form's."""

    kind: str  # "page" | "form"
    owner: Any  # the page dictionary or the form XObject stream
    ops: list[tuple[Any, bytes]]
    resources: Any
    #: (operation index, element index) -> the string as first shown
    runs: dict[tuple[int, int], _Run] = field(default_factory=dict)
    #: marked-content operations (BDC with an inline dict) enclosing each glyph's operation
    marked: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: BDC operation index -> its /ActualText, /Alt and /E strings (a replacement text is text too)
    alt_texts: dict[int, str] = field(default_factory=dict)
    depth_low: int = 0
    depth_end: int = 0
    withheld_marks: set[int] = field(default_factory=set)


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


@dataclass
class _GState:
    ctm: Matrix = IDENTITY
    font: _FontInfo | None = None
    size: float = 0.0
    tc: float = 0.0
    tw: float = 0.0
    th: float = 1.0
    tl: float = 0.0
    rise: float = 0.0


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


class _Interpreter:
    """Runs content streams, reporting each shown glyph to a `_TextBuilder`."""

    def __init__(self, builder: _TextBuilder, fonts: dict[int, _FontInfo]) -> None:
        self.builder = builder
        self.fonts = fonts
        self.units: list[_Unit] = []
        self._forms: dict[int, int] = {}
        self._active: set[int] = set()
        self.problems: dict[int, set[str]] = {}
        self.images: set[int] = set()
        self.drawn = True

    def run_page(self, page: Any, number: int) -> int | None:
        """Interpret one page's content; returns its unit index (None if it has no content)."""
        from pypdf.generic import ContentStream

        contents = page.get("/Contents")
        if contents is None:
            return None
        try:
            stream = ContentStream(contents.get_object(), None, "bytes")
            ops = list(stream.operations)
        except Exception:
            self._problem(number, "the page's content stream cannot be parsed")
            return None
        resources = page.get("/Resources")
        unit = _Unit("page", page, ops, resources.get_object() if resources is not None else None)
        self.units.append(unit)
        self._run(len(self.units) - 1, IDENTITY, number, 0, _GState())
        return len(self.units) - 1

    def run_form(self, form: Any, resources: Any, number: int) -> None:
        """Interpret a free-standing form (an annotation's appearance) for its text."""
        index = self._form_unit(form, resources, number)
        if index is not None:
            self._run(index, IDENTITY, number, 0, _GState())

    def run_unused_forms(self, page: Any, number: int) -> None:
        """Forms a page lists but never paints: no viewer shows them, but their bytes hold text."""
        resources = page.get("/Resources")
        try:
            xobjects = resources.get_object()["/XObject"].get_object()
        except (KeyError, TypeError, AttributeError):
            return
        self.drawn = False
        try:
            for ref in xobjects.values():
                form = ref.get_object()
                if form.get("/Subtype") == "/Form" and id(form) not in self._forms:
                    self.builder.newline()
                    self.run_form(form, resources.get_object(), number)
        finally:
            self.drawn = True

    def _problem(self, number: int, message: str) -> None:
        self.problems.setdefault(number, set()).add(message)

    def _form_unit(self, form: Any, parent_resources: Any, number: int) -> int | None:
        from pypdf.generic import ContentStream

        key = id(form)
        if key in self._forms:
            return self._forms[key]
        try:
            ops = list(ContentStream(form, None, "bytes").operations)
        except Exception:
            self._problem(number, "a form XObject's content cannot be parsed")
            return None
        resources = form.get("/Resources")
        resources = resources.get_object() if resources is not None else parent_resources
        self.units.append(_Unit("form", form, ops, resources))
        self._forms[key] = len(self.units) - 1
        return self._forms[key]

    def _font(self, resources: Any, name: Any, number: int) -> _FontInfo | None:
        try:
            font_dict = resources["/Font"].get_object()[name].get_object()
        except (KeyError, TypeError, AttributeError):
            return None
        key = id(font_dict)
        if key not in self.fonts:
            try:
                self.fonts[key] = _FontInfo(font_dict)
            except Exception:
                self._problem(number, "a font that cannot be read")
                return None
        return self.fonts[key]

    def _run(self, index: int, outer: Matrix, number: int, depth: int, gs: _GState) -> None:
        unit = self.units[index]
        stack: list[_GState] = []
        marked: list[int] = []
        tm = tlm = IDENTITY
        level = low = 0
        for i, (operands, op) in enumerate(unit.ops):
            if op == b"q":
                stack.append(replace(gs))
                level += 1
            elif op == b"Q":
                level -= 1
                low = min(low, level)
                if stack:
                    gs = stack.pop()
            elif op == b"cm" and len(operands) >= 6:
                gs.ctm = _mult(_matrix(operands), gs.ctm)
            elif op == b"BT":
                tm = tlm = IDENTITY
            elif op == b"Tf" and len(operands) >= 2:
                gs.font = self._font(unit.resources, operands[0], number)
                gs.size = _num(operands[1])
                if gs.font is None:
                    self._problem(number, "text in a font the page does not define")
            elif op in (b"Tc", b"Tw", b"Tz", b"TL", b"Ts") and operands:
                value = _num(operands[0])
                if op == b"Tc":
                    gs.tc = value
                elif op == b"Tw":
                    gs.tw = value
                elif op == b"Tz":
                    gs.th = value / 100.0
                elif op == b"TL":
                    gs.tl = value
                else:
                    gs.rise = value
            elif op in (b"Td", b"TD") and len(operands) >= 2:
                if op == b"TD":
                    gs.tl = -_num(operands[1])
                tlm = tm = _mult((1.0, 0.0, 0.0, 1.0, _num(operands[0]), _num(operands[1])), tlm)
            elif op == b"Tm" and len(operands) >= 6:
                tlm = tm = _matrix(operands)
            elif op in (b"T*", b"'", b'"'):
                if op == b'"' and len(operands) >= 3:
                    gs.tw, gs.tc = _num(operands[0]), _num(operands[1])
                tlm = tm = _mult((1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl), tlm)
                if op != b"T*" and operands:
                    tm = self._show_array([operands[-1]], index, i, gs, tm, outer, number)
            elif op == b"Tj" and operands:
                tm = self._show_array([operands[0]], index, i, gs, tm, outer, number)
            elif op == b"TJ" and operands:
                tm = self._show_array(list(operands[0]), index, i, gs, tm, outer, number)
            elif op == b"Do" and operands:
                self._do(unit, operands[0], gs, outer, number, depth)
            elif op == b"INLINE IMAGE":
                self.images.add(number)
            elif op in (b"BDC", b"BMC"):
                has_text = op == b"BDC" and len(operands) >= 2 and hasattr(operands[1], "get") and any(
                    k in operands[1] for k in ("/ActualText", "/Alt", "/E")
                )
                marked.append(i if has_text else -1)
                if has_text:
                    unit.alt_texts[i] = "\n".join(_text(operands[1].get(k)) for k in ("/ActualText", "/Alt", "/E"))
            elif op == b"EMC" and marked:
                marked.pop()
            if op in (b"Tj", b"TJ", b"'", b'"') and any(m >= 0 for m in marked):
                unit.marked.setdefault(i, tuple(m for m in marked if m >= 0))
        unit.depth_low, unit.depth_end = low, level

    def _show_array(self, elements: list[Any], index: int, op: int, gs: _GState, tm: Matrix, outer: Matrix, number: int) -> Matrix:
        unit = self.units[index]
        for e, element in enumerate(elements):
            if isinstance(element, bytes):
                tm = self._show(unit, index, op, e, bytes(element), gs, tm, outer, number)
            elif isinstance(element, (int, float)) and not isinstance(element, bool):
                tm = _mult((1.0, 0.0, 0.0, 1.0, -float(element) / 1000.0 * gs.size * gs.th, 0.0), tm)
        return tm

    def _show(self, unit: _Unit, index: int, op: int, elem: int, data: bytes, gs: _GState, tm: Matrix, outer: Matrix, number: int) -> Matrix:
        font = gs.font
        if font is None:
            if data:
                self._problem(number, "text in a font the page does not define")
            return tm
        if font.problem:
            self._problem(number, font.problem)
        run = _Run(index, op, elem, number, _mult(tm, gs.ctm), outer, font, gs.size, gs.th, gs.rise, gs.tc, gs.tw)
        run.drawn = self.drawn
        size, th, tc, tw = gs.size, gs.th, gs.tc, gs.tw
        x = 0.0
        xs, starts, widths, texts = run.xs, run.starts, run.widths, run.texts
        for start, text, width, word in font.codes(data):
            starts.append(start)
            xs.append(x)
            widths.append(width)
            texts.append(text)
            x += (width * size + tc + (tw if word else 0.0)) * th
        xs.append(x)
        run.finish()
        self.builder.add(run)
        unit.runs.setdefault((op, elem), run)
        return _mult((1.0, 0.0, 0.0, 1.0, x, 0.0), tm)

    def _do(self, unit: _Unit, name: Any, gs: _GState, outer: Matrix, number: int, depth: int) -> None:
        try:
            xobject = unit.resources["/XObject"].get_object()[name].get_object()
        except (KeyError, TypeError, AttributeError):
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.images.add(number)
            return
        if subtype != "/Form":
            return
        key = id(xobject)
        if depth >= MAX_FORM_DEPTH or key in self._active:
            self._problem(number, "form XObjects nested too deeply to be checked")
            return
        index = self._form_unit(xobject, unit.resources, number)
        if index is None:
            return
        matrix = _matrix(xobject.get("/Matrix", IDENTITY))
        self.builder.newline()  # pypdf starts a form's text on a new line
        self._active.add(key)
        try:
            self._run(index, _mult(_mult(matrix, gs.ctm), outer), number, depth + 1, replace(gs, ctm=IDENTITY))
        finally:
            self._active.discard(key)


# --------------------------------------------------------------------------- editing


@dataclass
class _Paint:
    """One box to paint in a unit's own space, with the label to write in it (if it fits)."""

    box: Box
    label: str
    upright: bool


def _rebuild(unit: _Unit, op: int, removed: set[tuple[int, int]]) -> tuple[list[tuple[Any, bytes]], bool]:
    """The operations replacing a text-showing operation whose glyphs in `removed` go.

    Returns the operations and whether every removed glyph could be replaced by an exact advance.
    """
    from pypdf.generic import ArrayObject, ByteStringObject, FloatObject, NumberObject

    operands, operator = unit.ops[op]
    elements = list(operands[0]) if operator == b"TJ" else [operands[-1]]
    parts: list[bytes | float] = []
    exact = True
    for e, element in enumerate(elements):
        if not isinstance(element, bytes):
            parts.append(_num(element))
            continue
        data = bytes(element)
        run = unit.runs.get((op, e))
        for start, end, advance in run.layout(data) if run is not None else [(0, len(data), 0.0)]:
            if (e, start) in removed:
                exact = exact and advance is not None
                parts.append(advance or 0.0)
            elif parts and isinstance(parts[-1], bytes):
                parts[-1] += data[start:end]
            else:
                parts.append(data[start:end])
    array = ArrayObject()
    for part in parts:
        if isinstance(part, bytes):
            array.append(ByteStringObject(part))
        elif array and isinstance(array[-1], (NumberObject, FloatObject)):
            array[-1] = FloatObject(round(float(array[-1]) + part, 4))
        elif part:
            array.append(FloatObject(round(part, 4)))
    ops: list[tuple[Any, bytes]] = []
    if operator == b'"':
        ops += [([operands[0]], b"Tw"), ([operands[1]], b"Tc")]
    if operator in (b"'", b'"'):
        ops.append(([], b"T*"))
    ops.append(([array], b"TJ"))
    return ops, exact


def _strip_marked_text(operands: Any) -> Any:
    """A BDC's operands without the replacement and alternate texts of its property list."""
    from pypdf.generic import DictionaryObject

    props = DictionaryObject({k: v for k, v in operands[1].items() if k not in ("/ActualText", "/Alt", "/E")})
    return [operands[0], props]


_HELVETICA: Any = None


def _label_width(label: str) -> float:
    """Width of `label` in Helvetica, in thousandths of the font size."""
    global _HELVETICA
    if _HELVETICA is None:
        from pypdf.generic._font import Font

        _HELVETICA = Font.from_core_font_name(LABEL_FONT)
    return float(_HELVETICA.get_text_width(label))


def _paint_ops(paints: list[_Paint], font_name: str | None) -> bytes:
    """Content that paints opaque black boxes and writes the labels in white inside them."""
    lines = ["q", "0 g", "0 Tr"]
    for p in paints:
        x0, y0, x1, y1 = p.box
        lines.append(f"{x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re f")
    for p in paints:
        label = _fitted_label(p) if font_name is not None else None
        if label is not None:
            text, size, x, y = label
            lines.append(f"BT {font_name} {size:.2f} Tf 1 g 0 Tc 0 Tw 100 Tz 0 Ts {x:.3f} {y:.3f} Td ({text}) Tj ET")
    lines.append("Q")
    return ("\n".join(lines) + "\n").encode("latin-1")


def _fitted_label(p: _Paint) -> tuple[str, float, float, float] | None:
    if not p.upright or not p.label:
        return None
    try:
        p.label.encode("cp1252")
    except UnicodeEncodeError:
        return None
    x0, y0, x1, y1 = p.box
    width, height = x1 - x0, y1 - y0
    size = min(height * 0.7, 9.0)
    text_width = _label_width(p.label) * size / 1000.0
    if size < 4.0 or text_width > width - 1.0:
        return None
    escaped = p.label.encode("cp1252").decode("latin-1")
    escaped = escaped.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped, size, x0 + (width - text_width) / 2, y0 + (height - 0.7 * size) / 2


def _set_stream_data(stream: Any, data: bytes) -> None:
    """Replace a stream's decoded content in place (other references to it see the change)."""
    from pypdf.filters import FlateDecode
    from pypdf.generic import DecodedStreamObject, NameObject, StreamObject

    if isinstance(stream, DecodedStreamObject):
        stream.set_data(data)
        return
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream.pop("/DecodeParms", None)
    stream.decoded_self = None
    StreamObject.set_data(stream, FlateDecode.encode(data))


def _add_label_font(resources: Any) -> str | None:
    from pypdf.generic import DictionaryObject, NameObject

    if resources is None:
        return None
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts = fonts.get_object()
    name, n = "/RGLabel", 0
    while name in fonts:
        n += 1
        name = f"/RGLabel{n}"
    fonts[NameObject(name)] = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject(LABEL_FONT), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    return name


def _replaced(text: str, spans: list[Span]) -> str:
    out, pos = [], 0
    for span in spans:
        out += [text[pos : span.start], span.label]
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- the redactor


@register("pdf")
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
            job = _Job(writer, targets)
            steps: list[tuple[str, Callable[[], None]]] = [
                ("page text", job.body), ("annotations", job.annotations), ("form fields", job.form_fields),
                ("outline", job.outline), ("document information", job.info),
                ("embedded files", job.embedded_files), ("other strings and metadata", job.strays),
                ("earlier revisions", lambda: job.revisions(data)),
            ]
            for what, step in steps:
                try:
                    step()
                except Exception as exc:  # a damaged structure fails closed, never passes unredacted
                    job.problem(None, f"the {what} could not be redacted ({type(exc).__name__})")
            try:
                out = job.write()
            except Exception as exc:
                job.problem(None, f"the redacted file could not be written ({type(exc).__name__})")
                return PdfRedactionResult(b"", job.removals, job.problems, job.boxes)
            problems = job.problems + _residue(out, targets)
        return PdfRedactionResult(out, job.removals, problems, job.boxes)


class _Job:
    """One redaction: the writer being changed, and what was removed or could not be."""

    def __init__(self, writer: Any, targets: Targets) -> None:
        self.writer = writer
        self.targets = targets
        self.removals: list[Removal] = []
        self.problems: list[Problem] = []
        self.boxes: dict[int, list[Box]] = {}
        self.fonts: dict[int, _FontInfo] = {}
        self.dropped_files: set[int] = set()

    # ----------------------------------------------------------------- page text

    def body(self) -> None:
        builder = _TextBuilder()
        interp = _Interpreter(builder, self.fonts)
        pages = list(self.writer.pages)
        for number, page in enumerate(pages, start=1):
            builder.start_page()
            try:
                interp.run_page(page, number)
            except Exception as exc:  # a damaged page must fail closed, not pass unredacted
                self.problem(number, f"the page content cannot be interpreted ({type(exc).__name__})")
        pages_end = len(builder.chars[builder.PYPDF])
        for number, page in enumerate(pages, start=1):
            try:
                interp.run_unused_forms(page, number)  # after every page, so "unused" means unused
            except Exception as exc:
                self.problem(number, f"a form the page lists cannot be interpreted ({type(exc).__name__})")
        removed: dict[int, set[tuple[int, int, int]]] = {}
        paints: dict[int, list[_Paint]] = {}
        for text, span, first, last in _matches(builder, self.targets):
            # Every glyph from the first to the last, including any that maps to no character.
            glyphs = [builder.glyph(index) for index in range(first, last + 1)]
            for run, i in glyphs:
                removed.setdefault(run.unit, set()).add((run.op, run.elem, run.starts[i]))
            self._record_body(text, span, glyphs, paints)
        self._marked_texts(interp)
        for number, messages in sorted(interp.problems.items()):
            for message in sorted(messages):
                self.problem(number, message)
        self._pictures(builder, interp, pages_end)
        for index, unit in enumerate(interp.units):
            if index in removed or index in paints or unit.withheld_marks:
                self._rewrite(unit, removed.get(index, set()), paints.get(index, []), self._unit_page(interp, index))

    def _marked_texts(self, interp: _Interpreter) -> None:
        """Marked-content replacement and alternate texts that name a target are dropped."""
        for index, unit in enumerate(interp.units):
            for op, alt in unit.alt_texts.items():
                spans = self.targets.find(alt)
                if spans:
                    unit.withheld_marks.add(op)
                    where = Location(part="body", page=self._unit_page(interp, index), detail="ActualText")
                    self._record(alt, spans, where, "removed")

    def _record_body(self, text: str, span: Span, glyphs: list[tuple[_Run, int]], paints: dict[int, list[_Paint]]) -> None:
        by_page: dict[int, Box | None] = {}
        for group in _lines(glyphs):
            run = group[0][0]
            if not run.drawn:
                by_page.setdefault(run.page, None)
                continue
            local = _bbox([p for r, i in group for p in r.quad(i, r.base)])
            page_box = _bbox([p for r, i in group for p in r.quad(i, r.page_base)])
            base = run.base
            upright = abs(base[1]) < 1e-6 and abs(base[2]) < 1e-6 and base[0] > 0 and base[3] > 0
            paint = _Paint(local, span.label, upright)
            known = paints.setdefault(run.unit, [])
            if not any(_same_box(paint.box, other.box) for other in known):
                known.append(paint)
            self.boxes.setdefault(run.page, []).append(page_box)
            known_box = by_page.get(run.page)
            by_page[run.page] = _union(known_box, page_box) if known_box is not None else page_box
        excerpt = self.targets.excerpt(text, span)
        for number, box in sorted(by_page.items()):
            location = Location(part="body", page=number, bbox=box)
            self.removals.append(Removal(span.item.id, span.item.kind, location, excerpt, "replaced"))

    def _unit_page(self, interp: _Interpreter, index: int) -> int | None:
        owner = interp.units[index].owner
        for number, page in enumerate(self.writer.pages, start=1):
            if page is owner:
                return number
        return None

    def _pictures(self, builder: _TextBuilder, interp: _Interpreter, pages_end: int) -> None:
        chars = builder.chars[builder.PYPDF]
        starts = [*builder.page_starts, pages_end]
        for number in sorted(interp.images):
            page_text = "".join(chars[starts[number - 1] : starts[number]])
            if len(page_text.strip()) < MIN_TEXT_CHARS and page_has_images(self.writer.pages[number - 1]):
                self.problem(number, "the page is a picture with no text layer; text in a picture cannot be removed")

    def _rewrite(self, unit: _Unit, removed: set[tuple[int, int, int]], paints: list[_Paint], page: int | None) -> None:
        from pypdf.generic import ContentStream, DecodedStreamObject, NameObject

        by_op: dict[int, set[tuple[int, int]]] = {}
        for index, elem, start in removed:
            by_op.setdefault(index, set()).add((elem, start))
        # The replacement text of marked content around a removed glyph would say what it was.
        dirty_marks = {m for index in by_op for m in unit.marked.get(index, ())} | unit.withheld_marks
        ops: list[tuple[Any, bytes]] = [([], b"q")] * (1 - unit.depth_low)
        inexact = False
        for i, (operands, op) in enumerate(unit.ops):
            if i in by_op:
                new_ops, exact = _rebuild(unit, i, by_op[i])
                ops += new_ops
                inexact = inexact or not exact
            elif i in dirty_marks:
                ops.append((_strip_marked_text(operands), op))
            else:
                ops.append((operands, op))
        ops += [([], b"Q")] * (1 - unit.depth_low + unit.depth_end)
        if inexact and page is not None:
            self.problem(page, "text cannot be removed without moving the text after it (a font without glyph widths, or size 0)")
        stream = ContentStream(None, None)
        stream.operations = ops
        own = unit.owner.get("/Resources") if unit.kind == "form" else unit.resources
        font = _add_label_font(own) if paints and own is not None else None
        data = stream.get_data() + _paint_ops(paints, font)
        if unit.kind == "page":
            new = DecodedStreamObject()
            new.set_data(data)
            unit.owner[NameObject("/Contents")] = self.writer._add_object(new.flate_encode())
        else:
            _set_stream_data(unit.owner, data)

    # ----------------------------------------------------------------- other parts

    def _replace_strings(self, obj: Any, keys: tuple[str, ...], location: Location, convert: Callable[[str], str] = str) -> bool:
        """Replace withheld text in string values of `obj`; True if anything changed."""
        from pypdf.generic import ArrayObject, NameObject, TextStringObject

        changed = False
        for key in keys:
            value = obj.get(key)
            value = value.get_object() if value is not None else None
            if value is None or isinstance(value, NameObject):
                continue
            values = list(value) if isinstance(value, ArrayObject) else [value]
            new_values = []
            for item in values:
                text = convert(_text(item))
                spans = self.targets.find(text) if text else []
                if spans:
                    changed = True
                    where = replace(location, detail=location.detail or key.lstrip("/"))
                    self._record(text, spans, where)
                    new_values.append(TextStringObject(_replaced(text, spans)))
                else:
                    new_values.append(item)
            if changed and new_values != values:
                obj[NameObject(key)] = ArrayObject(new_values) if isinstance(value, ArrayObject) else new_values[0]
        return changed

    def _record(self, text: str, spans: list[Span], location: Location, action: str = "replaced") -> None:
        for span in spans:
            self.removals.append(Removal(span.item.id, span.item.kind, location, self.targets.excerpt(text, span), action))

    def annotations(self) -> None:
        from pypdf.generic import ArrayObject, NameObject

        for number, page in enumerate(self.writer.pages, start=1):
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
            if not annots:
                continue
            keep, dropped = ArrayObject(), False
            for ref in annots:
                annot = ref.get_object()
                if not hasattr(annot, "get"):
                    keep.append(ref)
                    continue
                subtype = annot.get("/Subtype")
                if subtype == "/FileAttachment" and annot.get("/FS") is not None:
                    if self._attachment_withheld(annot["/FS"].get_object(), Location(part="attachment", page=number)):
                        dropped = True
                        continue
                part = "form-field" if subtype == "/Widget" else "annotation"
                if annot.get("/AP") is not None and self._appearance_withheld(annot, Location(part=part, page=number, detail="appearance")):
                    del annot["/AP"]
                    if subtype == "/Widget":
                        self._need_appearances()
                if subtype != "/Widget" and self._annotation_text(annot, number):
                    annot.pop("/AP", None)  # it may draw the old text; viewers rebuild it
                keep.append(ref)
            if dropped:
                page[NameObject("/Annots")] = keep

    def _annotation_text(self, annot: Any, number: int) -> bool:
        where = Location(part="annotation", page=number)
        changed = self._replace_strings(annot, ("/Contents", "/T", "/Subj"), where)
        rich = annot.get("/RC")
        if rich is not None:
            text = _strip_markup(_text(rich))
            spans = self.targets.find(text)
            if spans:
                # Rich text is markup; viewers fall back to /Contents, which is clean now.
                del annot["/RC"]
                self._record(text, spans, replace(where, detail="RC"), "removed")
                changed = True
        action = annot.get("/A")
        action = action.get_object() if action is not None else None
        if action is not None and hasattr(action, "get"):
            self._replace_strings(action, ("/URI", "/F", "/D"), Location(part="link", page=number), convert=unquote)
        return changed

    def _appearance_withheld(self, annot: Any, location: Location) -> bool:
        streams: list[Any] = []
        ap = annot["/AP"].get_object()
        for key in ("/N", "/R", "/D"):
            value = ap.get(key) if hasattr(ap, "get") else None
            value = value.get_object() if value is not None else None
            if value is None:
                continue
            if hasattr(value, "get_data"):
                streams.append(value)
            elif hasattr(value, "values"):
                streams += [v.get_object() for v in value.values() if hasattr(v.get_object(), "get_data")]
        for stream in streams:
            builder = _TextBuilder()
            interp = _Interpreter(builder, self.fonts)
            try:
                resources = stream.get("/Resources")
                interp.run_form(stream, resources.get_object() if resources is not None else None, location.page or 0)
            except Exception:
                return True  # an appearance we cannot read is dropped: viewers rebuild it
            for text, span, _first, _last in _matches(builder, self.targets):
                self._record(text, [span], location, "removed")
                return True
        return False

    def _need_appearances(self) -> None:
        from pypdf.generic import BooleanObject, NameObject

        acro = self.writer.root_object.get("/AcroForm")
        if acro is not None:
            acro.get_object()[NameObject("/NeedAppearances")] = BooleanObject(True)

    def form_fields(self) -> None:
        root = self.writer.root_object
        acro = root.get("/AcroForm")
        acro = acro.get_object() if acro is not None else None
        if not acro:
            return
        if acro.get("/XFA") is not None and self._xfa_withheld(acro["/XFA"].get_object()):
            del acro["/XFA"]
        pages = self._widget_pages()
        seen: set[int] = set()
        stack = [(f, 0) for f in (acro.get("/Fields") or [])]
        while stack:
            ref, depth = stack.pop(0)
            field_dict = ref.get_object()
            if id(field_dict) in seen or depth > 32 or not hasattr(field_dict, "get"):
                continue
            seen.add(id(field_dict))
            where = Location(part="form-field", page=pages.get(getattr(ref, "idnum", -1)))
            if self._replace_strings(field_dict, ("/V", "/DV", "/TU"), where):
                # An appearance stream would still show the old value; viewers rebuild it from /V.
                field_dict.pop("/AP", None)
                for kid in field_dict.get("/Kids") or []:
                    kid.get_object().pop("/AP", None)
                self._need_appearances()
            stack.extend((kid, depth + 1) for kid in (field_dict.get("/Kids") or []))

    def _widget_pages(self) -> dict[int, int]:
        pages: dict[int, int] = {}
        for number, page in enumerate(self.writer.pages, start=1):
            annots = page.get("/Annots")
            for ref in (annots.get_object() if annots is not None else None) or []:
                if getattr(ref, "idnum", None) is not None:
                    pages.setdefault(ref.idnum, number)
                    parent = ref.get_object().get("/Parent")
                    if getattr(parent, "idnum", None) is not None:
                        pages.setdefault(parent.idnum, number)
        return pages

    def _xfa_withheld(self, xfa: Any) -> bool:
        parts = xfa if isinstance(xfa, list) else [xfa]
        for part in parts:
            obj = part.get_object() if hasattr(part, "get_object") else part
            if hasattr(obj, "get_data"):
                text = _strip_markup(obj.get_data().decode("utf-8", "replace"))
                spans = self.targets.find(text)
                if spans:
                    # The XFA form is dropped whole; the AcroForm fields stay, cleaned.
                    self._record(text, spans, Location(part="form-field", detail="XFA"), "removed")
                    return True
        return False

    def outline(self) -> None:
        outlines = self.writer.root_object.get("/Outlines")
        outlines = outlines.get_object() if outlines is not None else None
        if not outlines or not hasattr(outlines, "get"):
            return
        seen: set[int] = set()
        stack = [outlines.get("/First")]
        while stack:
            ref = stack.pop()
            item = ref.get_object() if ref is not None else None
            if item is None or id(item) in seen or not hasattr(item, "get") or len(seen) > 100_000:
                continue
            seen.add(id(item))
            self._replace_strings(item, ("/Title",), Location(part="outline"))
            stack += [item.get("/Next"), item.get("/First")]

    def info(self) -> None:
        info = self.writer.metadata or {}
        for key, value in list(info.items()):
            text = _text(value)
            spans = self.targets.find(text) if text else []
            if spans:
                self._record(text, spans, Location(part="metadata", detail=str(key).lstrip("/")))
                self.writer.add_metadata({key: _replaced(text, spans)})

    def embedded_files(self) -> None:
        from pypdf.generic import NameObject

        root = self.writer.root_object
        names = root.get("/Names")
        names = names.get_object() if names is not None else None
        if not names or names.get("/EmbeddedFiles") is None:
            return
        tree = names["/EmbeddedFiles"].get_object()
        if self._prune_files(tree, 0) == 0:
            del names["/EmbeddedFiles"]
        for holder in [root, *self.writer.pages]:
            files = holder.get("/AF")
            files = files.get_object() if files is not None else None
            if files is not None and hasattr(files, "__iter__"):
                holder[NameObject("/AF")] = type(files)(f for f in files if id(f.get_object()) not in self.dropped_files)

    def _prune_files(self, node: Any, depth: int) -> int:
        """Drop withheld files from a name-tree node; returns how many entries are left."""
        from pypdf.generic import ArrayObject, NameObject

        left = 0
        entries = node.get("/Names")
        if entries is not None:
            entries = entries.get_object()
            keep = ArrayObject()
            for i in range(0, len(entries) - 1, 2):
                spec = entries[i + 1].get_object()
                if not self._attachment_withheld(spec, Location(part="attachment")):
                    keep += [entries[i], entries[i + 1]]
            node[NameObject("/Names")] = keep
            left += len(keep) // 2
        if depth < 32:
            for kid in node.get("/Kids") or []:
                left += self._prune_files(kid.get_object(), depth + 1)
        return left

    def _attachment_withheld(self, spec: Any, location: Location) -> bool:
        """True (and recorded) if an attached file holds withheld text: it is removed whole."""
        if id(spec) in self.dropped_files:
            return True
        name, payload = _filespec(spec)
        spans = self.targets.find(name)
        shown = _replaced(name, spans) if spans else name
        where = replace(location, attachment=shown)
        if payload is None:
            self.problem(location.page, "an attached file cannot be read, so it cannot be checked", where)
            return False
        result = self.targets.scanner.scan_bytes(payload, shown)
        hits = [f for f in result.findings if f.severity == "block" and f.item is not None]
        if not hits:
            if result.problems:
                self.problem(location.page, "an attached file could not be fully checked", where)
            return False
        seen: set[str] = set()
        for finding in hits:
            if finding.item not in seen:
                seen.add(finding.item)
                self.removals.append(Removal(finding.item, finding.kind, where, finding.excerpt, "removed"))
        self.dropped_files.add(id(spec))
        return True

    def strays(self) -> None:
        """Private application data, thumbnails, XMP and any other string that names a target."""
        root = self.writer.root_object
        for key in ("/PieceInfo", "/Perms"):
            root.pop(key, None)
        for page in self.writer.pages:
            page.pop("/Thumb", None)
        items: list[tuple[Any, Any, str]] = []
        for container, key, value in _strings(root):
            if key == "/Metadata":
                self._xmp(container, value)
            elif key == "/JS" and hasattr(value, "get_data"):
                self._script(value)
            else:
                items.append((container, key, _text(value)))
        self._replace_many(items)

    def _script(self, stream: Any) -> None:
        """A JavaScript stream that names a target gets the label instead (it is program text)."""
        try:
            text = _text(stream)
        except Exception:
            return
        spans = self.targets.find(text)
        if spans:
            self._record(text, spans, Location(part="metadata", detail="JavaScript"))
            _set_stream_data(stream, _replaced(text, spans).encode("utf-8"))

    def _xmp(self, container: Any, stream: Any) -> None:
        try:
            text = _strip_markup(stream.get_data().decode("utf-8", "replace"))
        except Exception:
            text = ""
        spans = self.targets.find(text)
        if spans:
            # XMP is XML that other tools rewrite; a stream that names a target goes whole.
            del container["/Metadata"]
            self._record(text, spans, Location(part="metadata", detail="xmp"), "removed")

    def _replace_many(self, items: list[tuple[Any, Any, str]]) -> None:
        from pypdf.generic import TextStringObject

        starts, pos = [], 0
        for _container, _key, text in items:
            starts.append(pos)
            pos += len(text) + 2
        joined = "\n\n".join(text for _c, _k, text in items)
        hits: dict[int, list[Span]] = {}
        for span in self.targets.find(joined):
            first = _position(starts, span.start)
            last = _position(starts, max(span.start, span.end - 1))
            for i in range(first, last + 1):
                lo = max(span.start, starts[i]) - starts[i]
                hi = min(span.end, starts[i] + len(items[i][2])) - starts[i]
                if hi > lo:
                    hits.setdefault(i, []).append(Span(lo, hi, span.item, span.label))
        for i, spans in hits.items():
            container, key, text = items[i]
            self._record(text, spans, Location(part="metadata", detail=str(key).lstrip("/")))
            container[key] = TextStringObject(_replaced(text, spans))

    def revisions(self, data: bytes) -> None:
        """Record what earlier revisions held: the new file, written whole, leaves them behind."""
        seen: set[tuple[str, int, str]] = set()
        ends = [m.end() for m in re.finditer(rb"%%EOF[ \t\r\n]*", data)]
        for cut in ends[:-1][-16:]:
            try:
                old = open_pdf(data[:cut])
                texts = [page.extract_text() or "" for page in old.pages]
            except Exception:
                continue  # a linearised file's first section is not a revision of its own
            for number, text in enumerate(texts, start=1):
                for span in self.targets.find(text):
                    excerpt = self.targets.excerpt(text, span)
                    if (span.item.id, number, excerpt) not in seen:
                        seen.add((span.item.id, number, excerpt))
                        location = Location(part="previous-revision", page=number)
                        self.removals.append(Removal(span.item.id, span.item.kind, location, excerpt, "removed"))

    def problem(self, page: int | None, message: str, location: Location | None = None) -> None:
        text = f"page {page}: {message}" if page is not None else message
        problem = Problem("unsupported_part", text, page=page, location=location)
        if problem not in self.problems:
            self.problems.append(problem)

    # ----------------------------------------------------------------- output

    def write(self) -> bytes:
        """The whole file written anew, then cloned from its own bytes to drop unreachable objects."""
        from pypdf import PdfReader, PdfWriter
        from pypdf.generic import ArrayObject, ByteStringObject

        first = io.BytesIO()
        self.writer.write(first)
        clean = PdfWriter(clone_from=PdfReader(io.BytesIO(first.getvalue())))
        for page in clean.pages:
            page.compress_content_streams()
        # Same document, new version (PDF 14.4): keep the first identifier, derive the second
        # from the content, so the same input and order always give the same bytes.
        changed = ByteStringObject(hashlib.md5(first.getvalue(), usedforsecurity=False).digest())
        clean._ID = ArrayObject([clean._ID[0] if clean._ID else changed, changed])
        out = io.BytesIO()
        clean.write(out)
        return out.getvalue()


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


def _lines(glyphs: list[tuple[_Run, int]]) -> Iterator[list[tuple[_Run, int]]]:
    """Consecutive glyphs of one span grouped by line (one box each)."""
    group: list[tuple[_Run, int]] = []
    for run, i in glyphs:
        if group:
            last, j = group[-1]
            gap = None if last.unit != run.unit or last.page != run.page else _gap(last, j, run, i)
            if last is not run and (gap is None or not -0.5 * gap[1] <= gap[0] <= 3 * gap[1]):
                yield group
                group = []
        group.append((run, i))
    if group:
        yield group


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


def _same_box(a: Box, b: Box) -> bool:
    return all(abs(x - y) < 0.01 for x, y in zip(a, b, strict=True))


def _position(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return max(0, bisect_right(starts, offset) - 1)


#: Keys whose string values are not text a reader shows: signatures, encryption, identifiers.
_SKIP_KEYS = frozenset({"/ID", "/Contents", "/ByteRange", "/O", "/U", "/OE", "/UE", "/Perms", "/Cert"})


def _strings(root: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(container, key, value) for every string, XMP and JavaScript stream reachable from `root`."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        TextStringObject,
    )

    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            obj.pop("/PieceInfo", None)
            signature = "/ByteRange" in obj
            for key, value in list(obj.items()):
                if key in ("/Metadata", "/JS"):
                    stream = value.get_object()
                    if hasattr(stream, "get_data"):
                        yield obj, key, stream
                        continue
                if isinstance(value, (TextStringObject, ByteStringObject)):
                    if not (signature or key in _SKIP_KEYS and not isinstance(value, TextStringObject)):
                        yield obj, key, value
                elif key != "/Parent":
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            for i, value in enumerate(obj):
                if isinstance(value, (TextStringObject, ByteStringObject)):
                    yield obj, i, value
                else:
                    stack.append(value)


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
