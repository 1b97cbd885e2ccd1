"""Was a picture, or a region of it, read well enough to call what OCR found (or did not) final?

Two signals, both needed because Tesseract fails in two ways:

- it reads words but is unsure of them: Tesseract's own word confidence (0-100). On clean
  300-dpi scans our letters read at 90-97; faint or tiny print gives 0-60 with garbled words.
  A region is unsure when its character-weighted mean confidence is under `REGION_FLOOR` or
  more than `UNSURE_SHARE` of its characters sit in words under `WORD_FLOOR`.
- it reads nothing at all from a page that plainly holds writing (very faint print). A
  picture that looks like a page of writing (mostly even paper, a little darker ink) whose ink
  lies mostly outside the boxes of confidently read words is unsure as well.

The floors are set from the fixtures in fixtures/ocr (docs/ocr.md has the figures): the
scanned letter and its black-and-white copies read at a mean of about 90; the faint copy at
about 45; a page with no writing has no ink to explain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redactguard.ocr.page import Box, OcrPage, OcrWord

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = [
    "WORD_FLOOR", "REGION_FLOOR", "UNSURE_SHARE", "EXPLAINED_INK_FLOOR",
    "Readability", "judge_words", "judge_page", "ink_explained", "unsure_spans",
]

#: A word read under this confidence is unsure.
WORD_FLOOR = 60.0
#: A region whose character-weighted mean confidence is under this is unsure.
REGION_FLOOR = 70.0
#: A region with more than this share of its characters in unsure words is unsure.
UNSURE_SHARE = 0.25
#: A page of writing needs at least this share of its ink inside confidently read words.
EXPLAINED_INK_FLOOR = 0.5


@dataclass(frozen=True)
class Readability:
    """The verdict on a region: `confident` or not, and why (figures only, never text)."""

    confident: bool
    mean_confidence: float
    unsure_share: float
    words: int
    reason: str = ""


def unsure_spans(spans: Iterable[tuple[int, int, OcrWord]]) -> tuple[tuple[int, int], ...]:
    """Of `OcrPage.text_map()`'s word spans, those of words read under `WORD_FLOOR`."""
    return tuple((start, end) for start, end, word in spans if word.confidence < WORD_FLOOR and _is_text(word))


def _is_text(word: OcrWord) -> bool:
    # Lone punctuation and speckle read as "-" or "." carry no meaning and low confidence.
    return any(ch.isalnum() for ch in word.text)


def judge_words(words: Iterable[OcrWord]) -> Readability:
    """The verdict on a set of words (a line, a block, the words around a possible match)."""
    chars = total = unsure = 0.0
    count = 0
    for word in words:
        if not _is_text(word):
            continue
        weight = float(len(word.text))
        chars += weight
        total += weight * word.confidence
        if word.confidence < WORD_FLOOR:
            unsure += weight
        count += 1
    if not count:
        return Readability(True, 100.0, 0.0, 0, "no words")
    mean, share = total / chars, unsure / chars
    if mean < REGION_FLOOR:
        return Readability(False, mean, share, count, f"mean word confidence {mean:.0f} < {REGION_FLOOR:.0f}")
    if share > UNSURE_SHARE:
        return Readability(False, mean, share, count,
                           f"{share:.0%} of the text read under confidence {WORD_FLOOR:.0f}")
    return Readability(True, mean, share, count)


def judge_page(page: OcrPage, image: Image | None = None, region: Box | None = None) -> Readability:
    """The verdict on a whole picture (or the words inside `region`).

    With `image` (the picture that was read) a page of writing from which little or nothing
    was read confidently is unsure too.
    """
    words = [w for w in page.words if region is None or _inside(w.bbox, region)]
    verdict = judge_words(words)
    if not verdict.confident or image is None:
        return verdict
    sure = [w.bbox for w in words if w.confidence >= WORD_FLOOR and _is_text(w)]
    explained = ink_explained(image, sure, region)
    if explained is not None and explained < EXPLAINED_INK_FLOOR:
        return Readability(False, verdict.mean_confidence, verdict.unsure_share, verdict.words,
                           f"only {explained:.0%} of the writing was read with confidence")
    return verdict


def ink_explained(image: Image, boxes: Sequence[Box], region: Box | None = None) -> float | None:
    """Share of the page's ink inside `boxes`; None when the picture does not look like a page
    of writing (mostly even paper with a little darker ink: photos, drawings, blank pages)."""
    grey = image.convert("L")
    if region is not None:
        grey = grey.crop(region)
        boxes = [(x0 - region[0], y0 - region[1], x1 - region[0], y1 - region[1])
                 for x0, y0, x1, y1 in boxes]
    # Work on a quarter-size copy: the shares barely change and it is 16 times fewer pixels.
    factor = 4
    small = grey.reduce(factor) if min(grey.size) >= 64 else grey
    if small is not grey:
        boxes = [(x0 // factor, y0 // factor, -(-x1 // factor), -(-y1 // factor)) for x0, y0, x1, y1 in boxes]
    histogram = small.histogram()
    pixels = sum(histogram)
    if not pixels:
        return None
    paper = _median(histogram, pixels)
    near = sum(histogram[max(0, paper - 12): paper + 13]) / pixels
    ink_level = paper - 12
    ink = sum(histogram[: max(0, ink_level)])
    if near < 0.80 or not (0.001 * pixels <= ink <= 0.2 * pixels):
        return None
    from PIL import ImageChops, ImageDraw

    mask = small.point(lambda v: 255 if v < ink_level else 0)
    # A solid filled area (a redaction box painted over withheld words, at least 5 x 5 pixels
    # here, 20 x 20 at full size) is not writing: no stroke of print is that thick. Without
    # this, every redacted scan would be "unsure" when scanned again.
    solid = _opening(mask, 2)
    mask = ImageChops.subtract(mask, solid)
    ink = mask.histogram()[255]
    if not ink:
        return 1.0
    covered = mask.copy()
    draw = ImageDraw.Draw(covered)
    for box in boxes:
        draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=0)
    outside = covered.histogram()[255]
    inside = ink - outside
    return inside / ink


def _opening(mask: Image, radius: int) -> Image:
    """The morphological opening of a 0/255 mask by a (2 * radius + 1)-pixel square: what
    `MinFilter` then `MaxFilter` give, by two box blurs (a window's mean is 255 only when all of
    it is set, and above 0 when any of it is), about ten times faster."""
    from PIL import ImageFilter

    eroded = mask.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v >= 255 else 0)
    return eroded.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v > 0 else 0)


def _median(histogram: list[int], pixels: int) -> int:
    seen = 0
    for level, count in enumerate(histogram):
        seen += count
        if seen * 2 >= pixels:
            return level
    return 255


def _inside(box: Box, region: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx < region[2] and region[1] <= cy < region[3]
