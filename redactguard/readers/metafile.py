"""Metafile pictures (EMF, EMF+, WMF, and EMZ/WMZ, their gzip forms): the writing they draw.

A metafile is a list of drawing records, and its writing is mostly text records, so it is read
as text rather than by OCR (Pillow cannot rasterise metafiles outside Windows):

- **Text records** (EMF `EXTTEXTOUTW/A`, `POLYTEXTOUTW/A`, `SMALLTEXTOUT`; WMF `TEXTOUT`,
  `EXTTEXTOUT`; EMF+ `DrawString`, `DrawDriverString`), in record order. Producers often draw
  one line as several records (a word, a run of one font, even a glyph each); runs that follow
  each other on one baseline (within half the font's height) and do not overlap are joined into
  one line, with a space where the gap between them is wider than 8 % of the font's height (a space is about 25 %, a word split across records leaves about none)
  (the run's width comes from its spacing array, or is estimated from the font). Every line of
  one picture is one flow, so an address set out over several lines, or split across records,
  still matches. EMF+ coordinates are another space than GDI's, so its lines are a flow of
  their own (a dual EMF+ file carries the same text twice).
- **Bitmaps** drawn by the metafile (EMF `STRETCHDIBITS`, `BITBLT`, `STRETCHBLT`,
  `SETDIBITSTODEVICE`, `MASKBLT`, `PLGBLT`, `ALPHABLEND`, `TRANSPARENTBLT`, DIB pattern brushes;
  WMF `STRETCHDIB`, `DIBSTRETCHBLT`, `DIBBITBLT`, `SETDIBTODEV`; EMF+ image objects) are read
  by OCR like any picture (part `image`, the picture's name).
- **Metafiles inside** (an EMF carried in a WMF's comments, an EMF+ metafile image, a
  multi-format comment) are read the same way; private comment records are `metadata`.
- **Lettering drawn as shapes** ("convert text to curves") and **text drawn by glyph number**
  have no characters to read. A picture with five or more filled shapes drawn with curves (or
  flattened into many points), or with glyph-number text and no EMF+ text beside it, is
  rendered with LibreOffice (when installed) and read by OCR; without LibreOffice it is
  `unsupported_part` (fail closed).

A damaged metafile (a record past the end, a zero size, no end-of-file record) is `corrupt`:
what was read before the damage is still checked.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .metafile_emf import read_emf
from .metafile_records import (
    Bitmap,
    Damaged,
    Drawing,
    Parser,
    Run,
    inflate,
    is_metafile,
    metafile_kind,
)
from .metafile_wmf import read_wmf

__all__ = ["is_metafile", "read_metafile", "parse", "MetafileReader"]

#: A gap between two runs of a line wider than this share of the font's height is a space.
_SPACE_GAP = 0.08
#: Where a run gives no spacing, its width is estimated as this share of the height a character.
_CHAR_WIDTH = 0.5


class MetafileReader:
    """An EMF, WMF, EMZ or WMZ file on its own (a bundle member, an e-mail attachment): a picture
    whose writing is read as `read_metafile` reads one inside a document."""

    type = "metafile"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        yield from read_metafile(ctx, data, location=Location(part="image"), flow="image", what="the picture")


def read_metafile(ctx: ReadContext, data: bytes, *, location: Location, flow: str, what: str) -> Iterator[Segment]:
    """The writing of one metafile picture: text records as lines, bitmaps by OCR.

    `location` is the picture's (`part="image"`, its name in `image`); `what` names it in
    messages ("picture word/media/image1.emf"), never its content."""
    if metafile_kind(data[:64]) == "gzip":
        try:
            data = inflate(data, ctx.limits.max_part_bytes)
        except OverflowError:
            raise UnreadableDocument("limit_exceeded", f"{what} unpacks to more than the size limit") from None
        except Damaged as exc:
            ctx.problem("corrupt", f"{what} is a damaged compressed metafile: {exc}", location=location)
            return
        ctx.account(len(data))
        if metafile_kind(data[:64]) not in ("emf", "wmf"):
            ctx.problem("unsupported_part", f"{what} is compressed data that holds no metafile", location=location)
            return
    drawing = Drawing()
    try:
        parse(data, drawing, ctx.check_time)
    except Damaged as exc:
        ctx.problem("corrupt", f"{what} is a damaged metafile: {exc}", location=location)
    except OverflowError:
        ctx.problem("limit_exceeded", f"{what} draws more bitmaps than the limit", location=location)
    except RecursionError:
        ctx.problem("corrupt", f"{what} nests metafiles too deeply", location=location)
    yield from _text(drawing, location, flow)
    for text in drawing.comments:
        yield Segment(text, Location(part="metadata", image=location.image, detail="metafile comment"),
                      flow=f"{flow}:comments")
    for i, bitmap in enumerate(drawing.bitmaps, 1):
        ctx.check_time()
        yield from _bitmap(ctx, bitmap, location=location, flow=f"{flow}:bitmap{i}", what=f"{what} (bitmap {i}, {bitmap.record})")
    for kind in dict.fromkeys(drawing.unreadable):
        ctx.problem("unsupported_part", f"{what} holds {kind}, which cannot be read", location=location)
    reason = _needs_rendering(drawing)
    if reason:
        from .metafile_render import read_rendered

        yield from read_rendered(ctx, data, location=location, flow=f"{flow}:rendered", what=what, reason=reason)


def parse(data: bytes, drawing: Drawing, tick: Callable[[], None] = lambda: None) -> None:
    """Every record of an EMF or WMF file into `drawing`, which keeps what was read before any
    damage (`Damaged`); `tick` is called now and then so the caller can stop at its deadline."""
    import struct

    try:
        Parser(drawing, tick, {"emf": read_emf, "wmf": read_wmf}).metafile(memoryview(data), 0)
    except (IndexError, struct.error) as exc:
        raise Damaged("a record is shorter than its fields") from exc


def _needs_rendering(drawing: Drawing) -> str:
    from .metafile_records import LETTERING_SHAPES

    if drawing.shapes >= LETTERING_SHAPES:
        return "it draws shapes that may be lettering"
    if drawing.glyph_runs and not any(r.space == "emf+" for r in drawing.runs):
        return "it draws text by glyph number"
    return ""


def _text(drawing: Drawing, location: Location, flow: str) -> Iterator[Segment]:
    for space in ("gdi", "emf+"):
        lines = _lines([r for r in drawing.runs if r.space == space])
        name = flow if space == "gdi" else f"{flow}:emf+"
        for line in lines:
            if line.strip():
                yield Segment(line, location, flow=name)


class _Line:
    def __init__(self, run: Run):
        self.parts = [run.text]
        self.y, self.start, self.height = run.y, run.x, run.height
        self.end = _end(run)

    def takes(self, run: Run) -> bool:
        """Whether `run` goes on with this line: the same baseline, and to the right of it."""
        height = max(self.height, run.height)
        if abs(run.y - self.y) > height * 0.5:
            return False
        if self.end is None:
            return run.x > self.start
        return run.x >= self.end - height * 0.5

    def add(self, run: Run) -> None:
        height = max(self.height, run.height)
        gap_is_space = self.end is None or run.x - self.end > height * _SPACE_GAP
        if gap_is_space and not self.parts[-1].endswith(" ") and not run.text.startswith(" "):
            self.parts.append(" ")
        self.parts.append(run.text)
        end = _end(run)
        self.end = max(self.end, end) if self.end is not None and end is not None else end
        self.height = height

    def text(self) -> str:
        return "".join(self.parts).replace("\0", "")


def _end(run: Run) -> float | None:
    if run.advance is not None:
        return run.x + run.advance
    if run.height:
        return run.x + len(run.text) * run.height * _CHAR_WIDTH
    return None


def _lines(runs: list[Run]) -> list[str]:
    out: list[str] = []
    line: _Line | None = None
    for run in runs:
        if line is not None and line.takes(run):
            line.add(run)
            continue
        if line is not None:
            out.append(line.text())
        line = _Line(run)
    if line is not None:
        out.append(line.text())
    return out


def _bitmap(ctx: ReadContext, bitmap: Bitmap, *, location: Location, flow: str, what: str) -> Iterator[Segment]:
    from PIL import Image

    from .pictures import could_hold_writing, ocr_picture, picture_metadata

    ctx.account(len(bitmap.data))
    try:
        if bitmap.pixels is not None:
            width, height, stride, mode = bitmap.pixels
            picture = Image.frombuffer("RGBA" if mode == "BGRA" else "RGB", (width, height), bitmap.data, "raw", mode, stride, 1)
            if picture.mode == "RGBA":  # transparent pixels are the page behind: white
                picture = Image.alpha_composite(Image.new("RGBA", picture.size, "white"), picture).convert("RGB")
        else:
            picture = Image.open(io.BytesIO(bitmap.data))
            picture.load()
    except Image.DecompressionBombError:
        ctx.problem("limit_exceeded", f"{what} is larger than the picture size limit", location=location)
        return
    except (OSError, ValueError, SyntaxError) as exc:
        ctx.problem("corrupt", f"{what} cannot be decoded ({type(exc).__name__})", location=location)
        return
    if bitmap.pixels is None:
        yield from picture_metadata(ctx, bitmap.data, location=Location(part="image-metadata", image=location.image),
                                    flow=f"{flow}:metadata", what=what)
    if could_hold_writing(*picture.size):
        yield from ocr_picture(ctx, picture, location=location, flow=flow, what=what)
