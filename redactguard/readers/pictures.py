"""Pictures inside any document: OCR their writing, read their metadata (contract §3, §4).

The readers of PDFs, DOCX packages and image files find the pictures; this module turns one
picture into segments. Writing read by OCR is part `image`, one segment per OCR line with each
word's box (so a finding gives the box of its own words), all lines of a document in one flow so
that an address set out over several lines still matches. EXIF, XMP and PNG text are part
`image-metadata` with `detail` naming the field. Whatever stops a full reading is a problem:
OCR missing (`ocr_unavailable`, once per document), unsure (`ocr_low_confidence`, with the
page), or not allowed (`--ocr never`: `no_text_layer`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..document import Location, Segment, WordBox
from ..errors import UnreadableDocument
from ..vocabulary import OcrMode
from .base import ReadContext

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..ocr import OcrPage

__all__ = ["MIN_WRITING_PX", "could_hold_writing", "ocr_picture", "picture_not_read", "picture_metadata", "page_segments", "engine"]

#: A picture whose shorter side is under this many pixels cannot hold legible writing (bullets,
#: rules, spacer pixels): it is not worth an OCR pass and is never a problem.
MIN_WRITING_PX = 16

BoxMap = Callable[[Sequence[float]], tuple[float, float, float, float]]


def engine(ctx: ReadContext) -> Any:
    """The document's OCR engine (made from the environment if the scanner gave none)."""
    if ctx.ocr_engine is None:
        from ..ocr import Ocr

        ctx.ocr_engine = Ocr()
    return ctx.ocr_engine


def could_hold_writing(width: int, height: int) -> bool:
    return min(width, height) >= MIN_WRITING_PX


def ocr_picture(
    ctx: ReadContext, image: Image, *, location: Location, flow: str, what: str,
    to_box: BoxMap | None = None, dpi: int | None = None, preview: bool = False,
) -> Iterator[Segment]:
    """OCR one picture into `image` segments at `location` (its page and picture name).

    `what` names the picture in messages ("page 3", "picture word/media/image1.png"): never
    text. `to_box` maps pixel boxes to the location's units (PDF points for a rendered page).
    `preview=True` is for a page preview shrunk past legibility (a package thumbnail): read
    without the confidence verdict, and only for the order's items (`Segment.generic`), since
    generic detection there reads only OCR's noise.
    """
    if ctx.ocr == OcrMode.NEVER or ctx.ocr_missing:
        picture_not_read(ctx, location=location, what=what)
        return
    from ..ocr import judge_page

    try:
        page = _read(engine(ctx), image, dpi)
    except UnreadableDocument as exc:
        if exc.code == "ocr_unavailable":
            ctx.ocr_missing = True
            ctx.problem(exc.code, str(exc))
        else:
            ctx.problem(exc.code, f"{what}: {exc}", page=location.page, location=location)
        return
    ctx.ocr_pictures += 1
    verdict = None if preview else judge_page(page, image)
    if verdict is not None and not verdict.confident:
        ctx.problem("ocr_low_confidence", f"{what} could not be read with confidence ({verdict.reason})",
                    page=location.page, location=location)
    # the order's items are matched on everything read (a withheld value is blocked even in a
    # poor reading); generic detection only on what was read with confidence: on a page that is
    # only garbage the problem above says all there is to say
    page_sure = verdict is not None and verdict.confident
    yield from page_segments(page, location=location, flow=flow, to_box=to_box, generic=page_sure)


#: Pictures already read in this process, by content: a letterhead logo on every page of a
#: bundle, or the same scan attached twice, is read once. Word boxes are in the picture's own
#: pixels, so a cached reading is valid wherever the same pixels appear.
_READ_CACHE: OrderedDict[tuple[Any, ...], OcrPage] = OrderedDict()
_READ_CACHE_SIZE = 64


def _read(ocr: Any, image: Image, dpi: int | None) -> OcrPage:
    import hashlib

    from ..ocr.engine import picture_dpi

    dpi = dpi or picture_dpi(image)
    key = (ocr, image.mode, image.size, dpi, hashlib.blake2b(image.tobytes(), digest_size=20).digest())
    page = _READ_CACHE.get(key)
    if page is None:
        page = ocr.read(image, dpi=dpi)
        _READ_CACHE[key] = page
        if len(_READ_CACHE) > _READ_CACHE_SIZE:
            _READ_CACHE.popitem(last=False)
    else:
        _READ_CACHE.move_to_end(key)
    return page


def picture_not_read(ctx: ReadContext, *, location: Location, what: str) -> None:
    """A picture that could hold writing was not read: under `--ocr never` a problem of its own;
    with OCR missing, the document's one `ocr_unavailable` problem already says so."""
    if ctx.ocr == OcrMode.NEVER:
        ctx.problem("no_text_layer", f"{what} has no text layer and was not read (--ocr never)",
                    page=location.page, location=location)


def page_segments(page: OcrPage, *, location: Location, flow: str, to_box: BoxMap | None = None,
                  generic: bool = True) -> list[Segment]:
    """One segment per OCR line, with its box and its words' boxes. With `generic`, a line read
    with confidence is open to generic detection; an unsure line (`judge_words`) never is."""
    from ..ocr import judge_words
    from ..ocr.confidence import WORD_FLOOR

    out: list[Segment] = []
    for line in page.lines():
        words: list[WordBox] = []
        unsure: list[tuple[int, int]] = []
        offset = 0
        for word in line.words:
            box = to_box(word.bbox) if to_box is not None else _floats(word.bbox)
            words.append((offset, offset + len(word.text), box))
            if word.confidence < WORD_FLOOR:
                unsure.append((offset, offset + len(word.text)))
            offset += len(word.text) + 1
        bbox = to_box(line.bbox) if to_box is not None else _floats(line.bbox)
        sure = generic and judge_words(line.words).confident
        out.append(Segment(line.text, _at(location, bbox), flow=flow, words=tuple(words), generic=sure,
                           unsure=tuple(unsure)))
    return out


def picture_metadata(
    ctx: ReadContext, data: Image | bytes, *, location: Location, flow: str, what: str,
) -> Iterator[Segment]:
    """The picture's EXIF, XMP and text chunks, one `image-metadata` segment per field."""
    from ..ocr import read_metadata

    try:
        lines = read_metadata(data)
    except UnreadableDocument as exc:
        ctx.problem(exc.code, f"{what}: the picture's metadata could not be read", page=location.page, location=location)
        return
    except Exception as exc:  # Pillow on a damaged EXIF block: the fields cannot be vouched for
        ctx.problem("corrupt", f"{what}: the picture's metadata could not be read ({type(exc).__name__})",
                    page=location.page, location=location)
        return
    base = Location(part="image-metadata", page=location.page, image=location.image)
    for line in lines:
        yield Segment(line.text, Location(part="image-metadata", page=base.page, image=base.image, detail=line.name),
                      flow=flow)


def _at(location: Location, bbox: tuple[float, float, float, float]) -> Location:
    return Location(part="image", page=location.page, image=location.image, bbox=bbox)


def _floats(box: Sequence[float]) -> tuple[float, float, float, float]:
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
