"""The content-stream interpreter: text state, matrices and form XObjects, glyph by glyph.

Each page's content (and each form it paints) is run as a viewer would, and every string
operand is handed to the `_TextBuilder` as a `_Run` that knows where each glyph sits. The
operations are kept in a `_Unit` so that the editing step can rewrite exactly the strings whose
glyphs are withheld.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ...readers.pdf_parts import pdf_text
from .fonts import _FontInfo
from .geometry import IDENTITY, Box, Matrix, Point, _apply, _bbox, _matrix, _mult, _num
from .text import _Run, _TextBuilder

#: Form XObjects nested deeper than this are not interpreted (a problem if they hold text).
MAX_FORM_DEPTH = 12

#: Path construction operators and how many points (x y pairs) each takes; `re` is apart.
_PATH_POINTS = {b"m": 1, b"l": 1, b"c": 3, b"v": 2, b"y": 2}
_PAINT = frozenset({b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"})


@dataclass
class _Subpath:
    """One subpath of a painted path: its operations and its box on the page (control points
    included, so the box holds every curve)."""

    ops: list[int]
    box: Box


@dataclass
class _Path:
    """One path object as painted (writing drawn as outlines is made of these): its subpaths
    and the operation that paints it. A path that also clips is never edited."""

    page: int
    paint: int
    subpaths: list[_Subpath]
    clips: bool


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
    #: paths the unit paints where a viewer shows them
    paths: list[_Path] = field(default_factory=list)


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
        #: page number -> the index of its own content's unit
        self.page_units: dict[int, int] = {}
        #: pages whose painted paths are recorded (those read by position: `untrusted`)
        self.path_pages: set[int] = set()

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
        self.page_units[number] = len(self.units) - 1
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
        path = _PathBuilder(unit, number, outer) if self.drawn and number in self.path_pages else None
        for i, (operands, op) in enumerate(unit.ops):
            if path is not None and (op in _PATH_POINTS or op in _PAINT or op in (b"re", b"h", b"W", b"W*")):
                path.add(i, operands, op, gs.ctm)
            elif op == b"q":
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
                    unit.alt_texts[i] = "\n".join(pdf_text(operands[1].get(k)) for k in ("/ActualText", "/Alt", "/E"))
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


class _PathBuilder:
    """Collects the subpaths of the path being built and records it when it is painted."""

    def __init__(self, unit: _Unit, page: int, outer: Matrix) -> None:
        self.unit, self.page, self.outer = unit, page, outer
        self.subpaths: list[tuple[list[int], list[Point]]] = []
        self.clips = False

    def add(self, index: int, operands: Any, op: bytes, ctm: Matrix) -> None:
        if op in _PAINT:
            if self.subpaths and op != b"n":
                subpaths = [_Subpath(ops, _bbox(points)) for ops, points in self.subpaths if points]
                self.unit.paths.append(_Path(self.page, index, subpaths, self.clips))
            self.subpaths, self.clips = [], False
            return
        if op in (b"W", b"W*"):
            self.clips = True
            return
        to_page = _mult(ctm, self.outer)
        nums = [_num(v) for v in operands]
        if op == b"re" and len(nums) >= 4:
            x, y, w, h = nums[:4]
            self.subpaths.append(([index], [_apply(to_page, px, py) for px, py in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))]))
            return
        if op == b"m" or not self.subpaths:
            self.subpaths.append(([], []))
        ops, points = self.subpaths[-1]
        ops.append(index)
        count = _PATH_POINTS.get(op, 0)
        for k in range(min(count, len(nums) // 2)):
            points.append(_apply(to_page, nums[2 * k], nums[2 * k + 1]))
