"""Paint words out of a picture and encode it afresh, so nothing of the original file survives.

`paint_out` paints over each word's ink, opaque and uniform, and little more. Painting the box
Tesseract gives a word in black, grown by a fifth of its height, harmed the words around it
(redacted scans lost about 5 % of their other words; issue [12], measured by
`tools/legibility.py`):

- the box often takes in a speck or a descender, so the block reached into the next line's
  ascenders, and the margin narrowed the space before the next word; on a page stored sideways
  the "height" was the word's length, and the margin covered whole neighbouring lines;
- Tesseract binarises a page with one Otsu threshold for the whole page, and black blocks as
  large as the ink of a sparse letter pulled it down by about 20 grey levels, thinning every
  stroke on the page.

So each box becomes the blocks of ink that lie in it (`ink_blocks`): runs of lines with ink,
apart from each other by paper, are separate blocks (a speck above a word is painted on its own,
not joined to the word by a tall block), each as long as its ink along the line, and ink that
runs over the box's edge is followed as far as the old margin reached. Every dark pixel of the
box is still painted, the soft edge of a scanned stroke included (ink is anything a little
darker than the paper), plus a margin of a few per cent of the glyph height. The paint is the
page's own ink tone (`ink_tone`: black for black print, never lighter than grey 64), so the
page's threshold stays where it was. A box with no clear ink in it (blank or flat), or a
caller's explicit margin, is painted whole with the wide margin, in black.

`reencode` builds a new picture from the pixels alone and encodes it: no original JPEG stream,
no EXIF, XMP, ICC profile, comment or thumbnail, since none of the original's `info` is handed
to the encoder. Re-encoding is not what harmed legibility: the painted letter read the same
saved as PNG, JPEG q85 or q95.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from redactguard.ocr.engine import Box

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = [
    "MIN_MARGIN_PX", "MARGIN_SHARE", "INK_MARGIN_SHARE", "MIN_INK_MARGIN_PX", "MAX_TONE", "JPEG_QUALITY",
    "paint_out", "ink_blocks", "ink_tone", "grow", "reencode",
]

#: A box painted whole grows by at least this many pixels on each side (0.5 mm at 300 dpi) ...
MIN_MARGIN_PX = 6
#: ... or by this share of the box's shorter side (its line height), whichever is larger.
MARGIN_SHARE = 0.2
#: A block of ink grows by this share of its glyph height (1 px for 11-point type at 300 dpi) ...
INK_MARGIN_SHARE = 0.03
#: ... and by at least this many pixels, beyond the soft edge that `INK_SHARE` already takes in.
MIN_INK_MARGIN_PX = 1
#: Ink is any pixel darker than the paper by this share of the contrast between paper and the
#: darkest ink (so the soft edges of strokes are ink too) ...
INK_SHARE = 0.15
#: ... in a box whose contrast is at least this; a flatter box has no clear ink.
MIN_CONTRAST = 48
#: The paper around a word: the grey at this share of its pixels counted from the darkest.
PAPER_QUANTILE = 0.8
#: The paint is never lighter than this grey (0-255): dark enough to read as a black box.
MAX_TONE = 64
#: JPEG quality of re-encoded pictures: high enough that the rest of the page stays legible.
JPEG_QUALITY = 85


def grow(box: Box, width: int, height: int, margin: int | None = None) -> Box:
    """`box` grown by its margin, clipped to a picture of `width` x `height`. The default
    margin is a share of the box's shorter side: its line height, whichever way the page lies."""
    x0, y0, x1, y1 = box
    pad = margin if margin is not None else max(MIN_MARGIN_PX, round(min(x1 - x0, y1 - y0) * MARGIN_SHARE))
    return (max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad))


def ink_blocks(grey: Image, box: Box, *, sideways: bool = False) -> list[Box] | None:
    """The blocks of ink of a word's `box` in a greyscale picture, or None when it shows no
    clear ink. A block is a run of rows holding ink (within the box grown by the wide margin)
    that meets the box, as wide as the runs of ink columns in it that meet the box.

    sideways: the page's lines run down the picture (a page stored turned by 90 degrees), so
    runs of columns are the lines. A word is thus one block per line, never one per letter."""
    from PIL import Image as PILImage

    region = grow(box, grey.width, grey.height)
    if region[2] <= region[0] or region[3] <= region[1]:
        return None
    crop = grey.crop(region)
    threshold = _ink_threshold(crop.histogram(), crop.width * crop.height)
    if threshold is None:
        return None
    ink = crop.point(lambda v: 255 if v < threshold else 0, mode="L")
    inside = (box[0] - region[0], box[1] - region[1], box[2] - region[0], box[3] - region[1])
    if sideways:
        ink = ink.transpose(PILImage.Transpose.TRANSPOSE)
        inside = (inside[1], inside[0], inside[3], inside[2])
    blocks = []
    for y0, y1 in _runs(ink.getprojection()[1], inside[1], inside[3]):
        columns = _runs(ink.crop((0, y0, ink.width, y1)).getprojection()[0], inside[0], inside[2])
        if columns:
            x0, x1 = columns[0][0], columns[-1][1]
            found = (y0, x0, y1, x1) if sideways else (x0, y0, x1, y1)
            blocks.append((region[0] + found[0], region[1] + found[1], region[0] + found[2], region[1] + found[3]))
    return blocks or None


def _ink_threshold(histogram: list[int], pixels: int) -> float | None:
    """The grey under which a pixel is ink, from the region's histogram (None: no clear ink)."""
    darkest = next((v for v, n in enumerate(histogram) if n), 255)
    paper, seen = 255, 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= PAPER_QUANTILE * pixels:
            paper = value
            break
    if paper - darkest < MIN_CONTRAST:
        return None
    return paper - INK_SHARE * (paper - darkest)


def _runs(profile: Sequence[int], start: int, end: int) -> list[tuple[int, int]]:
    """Runs of non-zero entries of `profile` that meet [start, end)."""
    runs, first = [], None
    for i, inked in enumerate([*profile, 0]):
        if inked and first is None:
            first = i
        elif not inked and first is not None:
            if first < end and i > start:
                runs.append((first, i))
            first = None
    return runs


def paint_out(image: Image, boxes: Iterable[Box], *, margin: int | None = None) -> Image:
    """A copy of `image` with every box (in its pixels) painted over, opaque and uniform.

    By default the ink of each box is painted with a margin from its glyph height
    (`ink_blocks`), or the box whole with the wide margin when it shows no clear ink, in the
    page's own ink tone (`ink_tone`). margin: paint each box whole with this margin, in black.
    """
    from PIL import ImageDraw

    painted = image.copy()
    if painted.mode not in ("1", "L", "RGB", "RGBA", "CMYK"):
        painted = painted.convert("RGBA" if "transparency" in painted.info or "A" in painted.mode else "RGB")
    boxes = list(boxes)
    grey = painted.convert("L") if margin is None else None
    tone = ink_tone(grey.histogram()) if grey is not None and painted.mode not in ("1", "CMYK") else 0
    # The withheld words of one picture run one way: down the picture when it is stored sideways.
    sideways = sum(b[3] - b[1] for b in boxes) > sum(b[2] - b[0] for b in boxes)
    draw = ImageDraw.Draw(painted)
    fill: int | tuple[int, ...] = tone if painted.mode in ("1", "L") else (tone, tone, tone, 255)[: len(painted.mode)]
    for box in boxes:
        for x0, y0, x1, y1 in _painted(grey, box, painted.width, painted.height, margin, sideways):
            if x1 > x0 and y1 > y0:
                draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=fill)
    return painted


def ink_tone(histogram: Sequence[int]) -> int:
    """The grey to paint a greyscale or colour page with: the mean of its ink (the pixels under
    the Otsu threshold of its histogram), at most `MAX_TONE`; black when it has no ink.

    Tesseract binarises a page with one Otsu threshold for the whole page, and black blocks
    as large as the ink of a sparse letter pulled that threshold down by about 20 grey levels,
    thinning every stroke on the page; blocks in the ink's own tone leave it where it was."""
    counts = list(histogram[:256])
    total = sum(counts)
    weighted = sum(v * n for v, n in enumerate(counts))
    best, dark_mean, below, below_sum = 0.0, 0.0, 0, 0
    for value, count in enumerate(counts[:-1]):
        below += count
        below_sum += value * count
        if below == 0 or below == total:
            continue
        mean0, mean1 = below_sum / below, (weighted - below_sum) / (total - below)
        spread = below * (total - below) * (mean0 - mean1) ** 2
        if spread > best:
            best, dark_mean = spread, mean0
    return min(MAX_TONE, round(dark_mean))


def _painted(grey: Image | None, box: Box, width: int, height: int, margin: int | None,
             sideways: bool) -> list[Box]:
    """What is painted for one word's box: its blocks of ink with their margin, or the box whole."""
    blocks = ink_blocks(grey, box, sideways=sideways) if grey is not None else None
    if blocks is None:
        return [grow(box, width, height, margin)]
    glyph = max((b[2] - b[0]) if sideways else (b[3] - b[1]) for b in blocks)
    pad = max(MIN_INK_MARGIN_PX, round(glyph * INK_MARGIN_SHARE))
    return [grow(block, width, height, pad) for block in blocks]


def reencode(picture: Image | Sequence[Image], format: str, *, orient: bool = False,
             dpi: tuple[float, float] | None = None) -> bytes:
    """Encode `picture` (or a list of frames, for TIFF) from its pixels only.

    format: "JPEG", "PNG" or "TIFF"; anything else is written as PNG (the caller changes the
    part's content type). orient: apply the EXIF orientation to the pixels first, as the
    orientation tag itself is not kept. dpi: the resolution to state (default: the
    original's, a plain number that says nothing about anyone).
    """
    from PIL import ImageOps

    frames = list(picture) if isinstance(picture, Sequence) else [picture]
    stated = dpi or frames[0].info.get("dpi")
    fresh = [_fresh(ImageOps.exif_transpose(f) if orient else f) for f in frames]
    kind = format.upper()
    params: dict[str, object] = {}
    if stated:
        params["dpi"] = tuple(float(v) for v in stated)
    buffer = io.BytesIO()
    if kind in ("JPEG", "JPG", "MPO"):
        image = fresh[0]
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK", "LA", "PA") else "L")
        # optimize: Huffman tables built for the new pixels, so not even white runs come out
        # as the original's bytes.
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, **params)
    elif kind in ("TIFF", "TIF"):
        bilevel = all(f.mode == "1" for f in fresh)
        params["compression"] = "group4" if bilevel else "tiff_lzw"
        fresh[0].save(buffer, format="TIFF", save_all=len(fresh) > 1, append_images=fresh[1:], **params)
    else:
        fresh[0].save(buffer, format="PNG", optimize=True, **params)
    return buffer.getvalue()


def _fresh(image: Image) -> Image:
    """A new picture with the same pixels and nothing else (no info, no palette tricks)."""
    from PIL import Image as PILImage

    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode not in ("1", "L", "LA", "RGB", "RGBA", "CMYK"):
        image = image.convert("RGB")
    return PILImage.frombytes(image.mode, image.size, image.tobytes())
