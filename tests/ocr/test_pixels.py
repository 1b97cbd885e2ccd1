"""Painting words out of a scan: Tesseract no longer reads them, their neighbours still read,
and the re-encoded picture holds nothing of the original file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from redactguard.ocr import Ocr, fold, paint_out, reencode

from .conftest import folded_text

WITHHELD = {fold(w) for w in ["14", "Cherry", "Tree", "Road", "LS6", "3EX", "Flat", "2"]}
NEIGHBOURS = ["visited you", "tuesday morning", "headingley", "leeds", "dear ms ashworth"]


def distinctive_windows(data: bytes, size: int = 24, step: int = 97) -> list[bytes]:
    """Windows of the original's compressed picture data that are not a run of one pattern."""
    start = data.index(b"\xff\xda")  # JPEG start of scan: after it, only entropy-coded data
    windows = [data[i:i + size] for i in range(start + 64, len(data) - size, step)]
    return [w for w in windows if len(set(w)) >= 12]


@pytest.fixture(scope="module")
def original(fixtures_dir: Path) -> bytes:
    with zipfile.ZipFile(fixtures_dir / "scanned-report.docx") as zf:
        return zf.read("word/media/image1.jpg")


@pytest.fixture(scope="module")
def redacted(ocr: Ocr, original: bytes) -> bytes:
    image = Image.open(io.BytesIO(original))
    page = ocr.read(image)
    # The recipient block's address lines and the address inside the body sentence.
    lines = page.lines()
    boxes = []
    for line in lines:
        words = [fold(w.text.strip(",.")) for w in line.words]
        if fold("Cherry") in words or fold("LS6") in words or fold("Flat") in words:
            boxes += [w.bbox for w, folded in zip(line.words, words, strict=True) if folded in WITHHELD]
    assert len(boxes) == 12
    return reencode(paint_out(image, boxes), "JPEG")


def test_painted_words_are_not_read_and_neighbours_are(ocr: Ocr, redacted: bytes) -> None:
    text = folded_text(ocr.read(redacted))
    for gone in ["cherry", "tree road", "ls6 3ex", "flat 2"]:
        assert fold(gone) not in text
    for kept in NEIGHBOURS:
        assert fold(kept) in text


def test_the_independent_tesseract_command_agrees(redacted: bytes) -> None:
    text = folded_text(Ocr(engine="tesseract").read(redacted))
    assert fold("cherry") not in text and fold("tuesday") in text


def test_output_holds_none_of_the_original_picture_bytes(original: bytes, redacted: bytes) -> None:
    windows = distinctive_windows(original)
    assert len(windows) > 500
    assert not [w for w in windows if w in redacted]
    assert original[original.index(b"\xff\xda"):][:4096] not in redacted


def test_reencoded_picture_has_no_metadata(redacted: bytes) -> None:
    with Image.open(io.BytesIO(redacted)) as image:
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        assert image.info.get("dpi") == (300, 300)
    assert b"Exif" not in redacted


@pytest.mark.parametrize("mode", ["1", "L", "RGB", "RGBA", "P", "CMYK"])
def test_paint_out_fills_the_box_and_its_margin_in_any_mode(mode: str) -> None:
    image = Image.new("L", (200, 100), 255).convert(mode)
    painted = paint_out(image, [(50, 40, 150, 60)]).convert("L")
    assert painted.getpixel((100, 50)) == 0
    assert painted.getpixel((45, 35)) == 0  # inside the 6-pixel margin
    assert painted.getpixel((30, 20)) == 255  # outside it
    assert image.convert("L").getpixel((100, 50)) == 255  # the input is untouched


@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "JPEG", "GIF"])
def test_reencode_writes_a_readable_picture(fmt: str) -> None:
    image = Image.new("L", (64, 48), 200)
    image.info["comment"] = b"14 Cherry Tree Road"
    data = reencode(image, fmt)
    assert b"Cherry" not in data
    with Image.open(io.BytesIO(data)) as again:
        assert again.size == (64, 48)
        assert again.format == (fmt if fmt != "GIF" else "PNG")


def test_multi_page_tiff_keeps_its_frames(fixtures_dir: Path) -> None:
    with Image.open(fixtures_dir / "scanned-letter.tif") as tiff:
        frames = []
        for index in range(tiff.n_frames):
            tiff.seek(index)
            frames.append(tiff.copy())
    data = reencode(frames, "TIFF")
    with Image.open(io.BytesIO(data)) as again:
        assert again.n_frames == 2 and again.mode == "1"
