"""Paint words out of a picture and encode it afresh, so nothing of the original file survives.

`paint_out` fills each box (grown by a small margin, because a scan's glyphs bleed past the box
Tesseract gives and a skewed line's box is tight) with solid black. `reencode` builds a new
picture from the pixels alone and encodes it: no original JPEG stream, no EXIF, XMP, ICC
profile, comment or thumbnail, since none of the original's `info` is handed to the encoder.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from redactguard.ocr.engine import Box

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["MIN_MARGIN_PX", "MARGIN_SHARE", "paint_out", "grow", "reencode", "JPEG_QUALITY"]

#: Every painted box grows by at least this many pixels on each side (0.5 mm at 300 dpi) ...
MIN_MARGIN_PX = 6
#: ... or by this share of the box's height, whichever is larger (ascenders, descenders, skew).
MARGIN_SHARE = 0.2
#: JPEG quality of re-encoded pictures: high enough that the rest of the page stays legible.
JPEG_QUALITY = 85


def grow(box: Box, width: int, height: int, margin: int | None = None) -> Box:
    """`box` grown by its margin, clipped to a picture of `width` x `height`."""
    x0, y0, x1, y1 = box
    pad = margin if margin is not None else max(MIN_MARGIN_PX, round((y1 - y0) * MARGIN_SHARE))
    return (max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad))


def paint_out(image: Image, boxes: Iterable[Box], *, margin: int | None = None) -> Image:
    """A copy of `image` with every box (in its pixels) filled solid black, margins included."""
    from PIL import ImageDraw

    painted = image.copy()
    if painted.mode not in ("1", "L", "RGB", "RGBA", "CMYK"):
        painted = painted.convert("RGBA" if "transparency" in painted.info or "A" in painted.mode else "RGB")
    draw = ImageDraw.Draw(painted)
    black: int | tuple[int, ...] = 0 if painted.mode in ("1", "L") else (0, 0, 0, 255)[: len(painted.mode)]
    for box in boxes:
        x0, y0, x1, y1 = grow(box, painted.width, painted.height, margin)
        if x1 > x0 and y1 > y0:
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=black)
    return painted


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
