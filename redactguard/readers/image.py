"""Picture files (PNG, JPEG, TIFF, GIF, BMP, WebP): every frame read by OCR, metadata read.

A multi-page TIFF (or an animated GIF) is paged: `location.page` is the frame number. Boxes are
in pixels of the frame as stored.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .pictures import could_hold_writing, ocr_picture, picture_metadata

__all__ = ["ImageReader"]


class ImageReader:
    type = "image"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        from PIL import Image, ImageSequence

        try:
            picture = Image.open(io.BytesIO(data))
            frames = getattr(picture, "n_frames", 1)
        except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
            raise UnreadableDocument("corrupt", "the picture cannot be decoded") from None
        if frames > ctx.limits.max_pages:
            raise UnreadableDocument("limit_exceeded", f"the picture has {frames} frames, over the limit")
        paged = frames > 1
        if ctx.depth == 0:
            ctx.pages = frames if paged else None
        yield from picture_metadata(ctx, data, location=Location(part="image-metadata"), flow="image-metadata",
                                    what="the picture")
        for index, frame in enumerate(ImageSequence.Iterator(picture)):
            ctx.check_time()
            number = index + 1 if paged else None
            what = f"frame {number}" if paged else "the picture"
            try:
                frame.load()
                still = frame.copy()
            except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
                ctx.problem("corrupt", f"{what} cannot be decoded", page=number)
                continue
            if not could_hold_writing(*still.size):
                continue
            yield from ocr_picture(ctx, still, location=Location(part="image", page=number), flow="image", what=what)
