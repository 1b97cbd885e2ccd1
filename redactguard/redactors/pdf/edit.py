"""Removing withheld glyphs from the page content and painting boxes where they were.

A string operand that shows a withheld glyph is rebuilt as a TJ array in which each removed
glyph becomes a number equal to its advance, so every other glyph stays where it was; then an
opaque box (with the span's label in white where it fits) is painted over the place. Path
operations of writing drawn as outlines (`untrusted`) are left out of the stream. The
`_PageText` step finds the withheld glyphs in the interpreted text, in stream order and by
position (`reading`), and by OCR on distrusted pages (`untrusted`), and drives those edits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...document import Location
from ...readers.pypdf_compat import add_object, core_font, set_raw_data
from ..base import Removal, Span
from .content import _Interpreter, _Unit
from .geometry import Box, _bbox, _num, _same_box, _union
from .job import _Paint
from .reading import PositionalText
from .text import _gap, _matches, _Run, _TextBuilder
from .untrusted import _UntrustedPages

Glyphs = list[tuple[_Run, int]]

LABEL_FONT = "/Helvetica"


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
    text_width = float(core_font(LABEL_FONT).get_text_width(p.label)) * size / 1000.0  # in Helvetica
    if size < 4.0 or text_width > width - 1.0:
        return None
    escaped = p.label.encode("cp1252").decode("latin-1")
    escaped = escaped.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped, size, x0 + (width - text_width) / 2, y0 + (height - 0.7 * size) / 2


def _set_stream_data(stream: Any, data: bytes) -> None:
    """Replace a stream's decoded content in place (other references to it see the change)."""
    from pypdf.filters import FlateDecode
    from pypdf.generic import DecodedStreamObject, NameObject

    if isinstance(stream, DecodedStreamObject):
        stream.set_data(data)
        return
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream.pop("/DecodeParms", None)
    set_raw_data(stream, FlateDecode.encode(data))


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


class _PageText(_UntrustedPages):
    """The page-text step: withheld glyphs are cut from the content streams and boxed."""

    def body(self) -> None:
        builder = _TextBuilder()
        interp = _Interpreter(builder, self.fonts)
        pages = list(self.writer.pages)
        untrusted = self.untrusted_pages()
        interp.path_pages = untrusted
        for number, page in enumerate(pages, start=1):
            builder.start_page()
            try:
                interp.run_page(page, number)
            except Exception as exc:  # a damaged page must fail closed, not pass unredacted
                self.problem(number, f"the page content cannot be interpreted ({type(exc).__name__})")
        for number, page in enumerate(pages, start=1):
            try:
                interp.run_unused_forms(page, number)  # after every page, so "unused" means unused
            except Exception as exc:
                self.problem(number, f"a form the page lists cannot be interpreted ({type(exc).__name__})")
        removed: dict[int, set[tuple[int, int, int]]] = {}
        paints: dict[int, list[_Paint]] = {}
        dropped: dict[int, set[int]] = {}  # path operations taken out, per unit
        for text, span, groups, new in self._found(builder, pages):
            # Every glyph of the match, including any that maps to no character.
            for group in groups:
                for run, i in group:
                    removed.setdefault(run.unit, set()).add((run.op, run.elem, run.starts[i]))
            if new:
                self._record_body(text, span, groups, paints)
        self.by_position(builder, interp, untrusted, removed, dropped, paints)
        self._marked_texts(interp)
        for number, messages in sorted(interp.problems.items()):
            for message in sorted(messages):
                self.problem(number, message)
        for index, unit in enumerate(interp.units):
            if index in removed or index in paints or dropped.get(index) or unit.withheld_marks:
                self._rewrite(unit, removed.get(index, set()), paints.get(index, []), self._unit_page(interp, index),
                              dropped.get(index, set()))

    def _found(self, builder: _TextBuilder, pages: list[Any]) -> Iterator[tuple[str, Span, list[Glyphs], bool]]:
        """Each withheld match, with its glyphs by line and whether it is a match of its own: in
        the stream-order readings (as pypdf, poppler and pdfminer.six read), then in the reading
        by position (as the reader lays pages out). A match by position whose characters were
        all found already only adds the glyphs around them (a twin drawn for fake bold, say)."""
        covered: set[int] = set()
        for text, span, first, last in _matches(builder, self.targets):
            covered.update(range(first, last + 1))
            yield text, span, list(_lines([builder.glyph(index) for index in range(first, last + 1)])), True
        boxes = {number: _page_box(page) for number, page in enumerate(pages, start=1)}
        for text, span, matched, groups in PositionalText(builder, boxes).matches(self.targets):
            new = not covered.issuperset(matched)
            covered.update(matched)
            yield text, span, [part for group in groups for part in _by_unit(group)], new

    def _marked_texts(self, interp: _Interpreter) -> None:
        """Marked-content replacement and alternate texts that name a target are dropped."""
        for index, unit in enumerate(interp.units):
            for op, alt in unit.alt_texts.items():
                spans = self.targets.find(alt)
                if spans:
                    unit.withheld_marks.add(op)
                    where = Location(part="body", page=self._unit_page(interp, index), detail="ActualText")
                    self._record(alt, spans, where, "removed")

    def _record_body(self, text: str, span: Span, groups: list[Glyphs], paints: dict[int, list[_Paint]]) -> None:
        by_page: dict[int, Box | None] = {}
        for group in groups:
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

    def _rewrite(self, unit: _Unit, removed: set[tuple[int, int, int]], paints: list[_Paint], page: int | None,
                 dropped: set[int]) -> None:
        from pypdf.generic import ContentStream, DecodedStreamObject, NameObject

        by_op: dict[int, set[tuple[int, int]]] = {}
        for index, elem, start in removed:
            by_op.setdefault(index, set()).add((elem, start))
        # The replacement text of marked content around a removed glyph would say what it was.
        dirty_marks = {m for index in by_op for m in unit.marked.get(index, ())} | unit.withheld_marks
        ops: list[tuple[Any, bytes]] = [([], b"q")] * (1 - unit.depth_low)
        inexact = False
        for i, (operands, op) in enumerate(unit.ops):
            if i in dropped:
                continue  # a letter drawn as an outline, or the painting of a path left empty
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
            unit.owner[NameObject("/Contents")] = add_object(self.writer, new.flate_encode())
        else:
            _set_stream_data(unit.owner, data)


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


def _by_unit(group: Glyphs) -> Iterator[Glyphs]:
    """A line's glyphs split by the content stream (page or form) that draws them: each
    stream gets its own box, in its own space."""
    units: dict[tuple[int, bool], Glyphs] = {}
    for run, i in group:
        units.setdefault((run.unit, run.drawn), []).append((run, i))
    yield from units.values()


def _page_box(page: Any) -> Box:
    try:
        box = page.cropbox
        return (float(box.left), float(box.bottom), float(box.right), float(box.top))
    except Exception:  # a damaged box: no line counts as being at an edge
        return (0.0, 0.0, 0.0, 0.0)
