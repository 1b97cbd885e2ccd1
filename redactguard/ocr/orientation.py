"""Pages the right way up: a scan fed sideways or upside down is read as it is meant to be read.

Offices scan landscape letters on portrait scanners and feed pages upside down, and nothing in the
file says so (no PDF `/Rotate`, no EXIF orientation). Read as it lies, such a page gives garbage at
a mean word confidence of about 20. So a page is first read as it lies (nearly every page is
upright, and then this costs nothing more); only when that reading is unsure does Tesseract's
orientation and script detection (OSD, Debian's `tesseract-ocr-osd`) say which way up the page is,
and the page is read again turned that way. When OSD cannot tell (too little text, or its data is
missing), the other three quarter turns are each tried. The most confident reading wins; if none
is confident the verdict stays `ocr_low_confidence` (fail closed, as before). A page Tesseract
read as vertical lines of text (it does that, confidently, with a page turned a quarter clockwise)
is turned upright and read again too: read upright, it gives fewer misread words.

Skew of a few degrees needs nothing here: Tesseract's layout analysis finds skewed text lines
itself, and word boxes stay upright rectangles around the skewed words (measured on the 2-degree
fixtures of fixtures/scans: docs/ocr.md).

Whatever way the page was read, the words' boxes are given back in the picture's own pixels, as
stored: redaction paints those pixels, and a report's box lies over the words on the page as shown.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from .page import Box, OcrPage

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["TURNS", "MIN_OSD_CONFIDENCE", "detect_turn", "sideways_reading", "turn_back", "upright"]

#: Quarter turns, in degrees counter-clockwise (Pillow's `rotate` sense), that make a page upright.
TURNS = (90, 180, 270)
#: OSD's orientation confidence under which its answer is not taken alone (Tesseract's own
#: `min_orientation_margin` default is 7 on whole pages; our rotated fixtures give 7 to 20, and
#: an upright text page rarely under 10). Below it, every turn is tried.
MIN_OSD_CONFIDENCE = 5.0

Reader = Callable[["Image"], OcrPage]
Judge = Callable[[OcrPage], float]


def upright(picture: Image, read: Reader, sure: Callable[[OcrPage], bool], score: Judge,
            detect: Callable[[Image], int | None]) -> OcrPage:
    """The reading of `picture` the right way up, boxes in `picture`'s own pixels.

    `read` OCRs a picture as it is; `sure` says whether a reading is confident; `score` ranks
    unsure readings (mean confidence); `detect` is OSD: the counter-clockwise turn that makes the
    picture upright, or None when it cannot tell.
    """
    first = read(picture)
    if sure(first) and not sideways_reading(first):
        return first
    turn = detect(picture)
    if turn == 0:
        return first  # upright, just hard to read: the verdict says so
    tries = [turn] if turn is not None else list(TURNS)
    best = first
    for angle in tries:
        turned = read(picture.rotate(angle, expand=True))
        page = turn_back(turned, angle, picture.width, picture.height)
        if sure(page) and not sideways_reading(turned):
            return page
        if score(page) > score(best):
            best = page
    return best


def sideways_reading(page: OcrPage) -> bool:
    """Whether Tesseract read the page as vertical lines of text: most words of three or more
    characters in boxes taller than wide. It does that, confidently, with a page turned a
    quarter clockwise, but misreads more words than when the page is turned upright."""
    long = [w.bbox for w in page.words if len(w.text) >= 3]
    tall = sum(1 for x0, y0, x1, y1 in long if (y1 - y0) > (x1 - x0))
    return bool(long) and tall * 2 > len(long)


def turn_back(page: OcrPage, angle: int, width: int, height: int) -> OcrPage:
    """A reading of the picture turned `angle` degrees counter-clockwise, with every box given
    back in the unturned picture (`width` x `height` pixels)."""
    words = tuple(replace(w, bbox=_unturn(w.bbox, angle, width, height)) for w in page.words)
    return replace(page, width=width, height=height, words=words, turn=angle)


def _unturn(box: Box, angle: int, width: int, height: int) -> Box:
    x0, y0, x1, y1 = box
    if angle == 90:  # (x, y) was drawn at (y, width - x)
        return (width - y1, x0, width - y0, x1)
    if angle == 180:
        return (width - x1, height - y1, width - x0, height - y0)
    if angle == 270:  # (x, y) was drawn at (height - y, x)
        return (y0, height - x1, y1, height - x0)
    return box


# --------------------------------------------------------------------------- OSD

_OSD_DEGREES = re.compile(r"Orientation in degrees:\s*(\d+)")
_OSD_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_turn(picture: Image, dpi: int, *, osd: object | None, command: str | None,
                tessdata: str) -> int | None:
    """OSD's turn for `picture` (0, 90, 180 or 270 counter-clockwise), None when it cannot tell.

    `osd` is a tesserocr API loaded with `osd` in OSD-only mode, else `command` is the
    `tesseract` program; with neither (no osd.traineddata), None.
    """
    if osd is not None:
        osd.SetImage(picture)  # type: ignore[attr-defined]
        osd.SetSourceResolution(dpi)  # type: ignore[attr-defined]
        found = osd.DetectOrientationScript()  # type: ignore[attr-defined]
        if not found:
            return None
        degrees, confidence = int(found["orient_deg"]), float(found["orient_conf"])
    elif command is not None:
        degrees_conf = _osd_command(picture, dpi, command, tessdata)
        if degrees_conf is None:
            return None
        degrees, confidence = degrees_conf
    else:
        return None
    if confidence < MIN_OSD_CONFIDENCE or degrees not in (0, *TURNS):
        return None
    return degrees  # Tesseract's "orientation in degrees" is the counter-clockwise turn that rights it


def _osd_command(picture: Image, dpi: int, command: str, tessdata: str) -> tuple[int, float] | None:
    import io

    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=1)
    done = subprocess.run(
        [command, "stdin", "stdout", "--tessdata-dir", tessdata, "--psm", "0", "--dpi", str(dpi), "-l", "osd"],
        input=buffer.getvalue(), capture_output=True, check=False,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    if done.returncode != 0:  # too few characters, or no osd data: OSD cannot tell
        return None
    out = done.stdout.decode("ascii", "replace")
    degrees, confidence = _OSD_DEGREES.search(out), _OSD_CONFIDENCE.search(out)
    if degrees is None or confidence is None:
        return None
    return int(degrees.group(1)), float(confidence.group(1))
