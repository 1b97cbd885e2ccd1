"""The fixtures of fixtures/scans (built by fixtures/build_scans.py) are what MANIFEST.tsv says.

These tests check the files, not redactguard: that a sideways scan really has its pixels
turned (and no /Rotate to say so), that Tesseract really misreads the blotted postcode, and
that the Welsh letter holds Welsh. The `tesseract` command (Debian's tesseract-ocr with eng and
cym, tools/install-system-packages.sh) is the independent reader throughout.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import redactguard
from redactguard.ocr import render_pdf_page

SCANS = Path(__file__).resolve().parents[1] / "fixtures" / "scans"
LETTERHEAD = "Aire Valley Community Health Service"

#: file -> clockwise turn of its pixels from upright (MANIFEST.tsv)
TURNED = {
    f"letter-{kind}-{dpi}dpi.{ext}": turn
    for kind, turn in (("rot90", 90), ("rot180", 180), ("rot270", 270), ("skew2", 0))
    for dpi in (300, 200)
    for ext in ("pdf",)
} | {"letter-rot90-300dpi.png": 90}

#: anticlockwise turns (Pillow's sense) that bring a page turned clockwise by the key upright
UNDO = {0: None, 90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_270}


def picture(name: str) -> Image.Image:
    """The page as redactguard sees it: a PDF rendered by its own renderer, a picture as stored."""
    path = SCANS / name
    if path.suffix == ".pdf":
        return render_pdf_page(path.read_bytes(), 0).image
    return Image.open(path).convert("L")


def tesseract(image: Image.Image, *, lang: str = "eng", psm: int = 3) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "--psm", str(psm), "-l", lang, "--dpi", "300"],
        input=buffer.getvalue(), capture_output=True, check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return done.stdout.decode("utf-8")


def ink_centre(image: Image.Image) -> tuple[float, float]:
    """Where the ink lies, as fractions of width and height (speckle averages away)."""
    small = image.reduce(8)
    dark = [(x, y) for y in range(small.height) for x in range(small.width)
            if small.getpixel((x, y)) < 200]  # type: ignore[operator]
    return (sum(x for x, _ in dark) / len(dark) / small.width,
            sum(y for _, y in dark) / len(dark) / small.height)


# --------------------------------------------------------------------------- the folder


def test_manifest_lists_every_file_and_only_those() -> None:
    with (SCANS / "MANIFEST.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0]) == ["file", "what", "where", "expected"]
    assert {r["file"] for r in rows} == {p.name for p in SCANS.iterdir()} - {"MANIFEST.tsv"}


def test_fixtures_stay_commit_sized() -> None:
    sizes = {p.name: p.stat().st_size for p in SCANS.iterdir()}
    assert max(sizes.values()) < 400_000
    assert sum(sizes.values()) < 4_000_000


# --------------------------------------------------------------------------- orientation is in the pixels


LANDSCAPE = {name for name, turn in TURNED.items() if turn in (90, 270)} | {"envelope-blot.pdf"}


@pytest.mark.parametrize("name", sorted(p.name for p in SCANS.glob("*.pdf")))
def test_pdf_pages_are_one_picture_with_no_rotate(name: str) -> None:
    reader = PdfReader(SCANS / name)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert "/Rotate" not in page
    assert page.extract_text().strip() == ""
    image = page["/Resources"]["/XObject"]["/Im0"].get_object()
    width_pt, height_pt = float(page.mediabox.width), float(page.mediabox.height)
    assert width_pt / height_pt == pytest.approx(image["/Width"] / image["/Height"], rel=1e-3)
    assert (width_pt > height_pt) == (name in LANDSCAPE)


@pytest.mark.parametrize("name", sorted(TURNED))
def test_ink_lies_where_the_turn_puts_it(name: str) -> None:
    # Upright, the letter's text sits in the upper left (a left margin and a blank foot); a
    # clockwise quarter turn carries the top to the right and the left side to the top.
    expected = {0: (False, False), 90: (True, False), 180: (True, True), 270: (False, True)}[TURNED[name]]
    x, y = ink_centre(picture(name))
    assert (x > 0.5, y > 0.5) == expected


@pytest.mark.parametrize("name", sorted(TURNED))
def test_letterhead_reads_once_the_turn_is_undone(name: str) -> None:
    image = picture(name)
    undo = UNDO[TURNED[name]]
    upright = image.transpose(undo) if undo is not None else image
    top_band = upright.crop((0, 0, upright.width, upright.height // 8))
    assert LETTERHEAD in tesseract(top_band, psm=6)
    if undo is not None:  # as stored, the band along the top edge holds no letterhead
        assert LETTERHEAD not in tesseract(image.crop((0, 0, image.width, image.height // 8)), psm=6)


# --------------------------------------------------------------------------- the misread postcode


def has_words(text: str, words: str) -> bool:
    """`words` in `text` as whole words (specks beside a line are read as stray marks)."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", " ".join(text.split())) is not None


@pytest.mark.parametrize("name", ["postcode-blot.pdf", "envelope-blot.pdf"])
def test_tesseract_misreads_one_digit_of_the_blotted_postcode(name: str) -> None:
    text = tesseract(picture(name))
    assert has_words(text, "LS6 8EX")
    assert not has_words(text, "LS6 3EX")
    for part in ("Flat 2", "14 Cherry Tree Road", "Headingley", "Leeds"):
        assert has_words(text, part)


def test_the_same_page_without_the_blot_reads_right() -> None:
    # letter-rot180-300dpi.pdf turned back is the very page postcode-blot.pdf was made from
    unblotted = picture("letter-rot180-300dpi.pdf").transpose(Image.Transpose.ROTATE_180)
    assert has_words(tesseract(unblotted), "LS6 3EX")


# --------------------------------------------------------------------------- Welsh


def test_welsh_letter_reads_as_welsh_with_the_welsh_model() -> None:
    text = tesseract(picture("welsh-letter.pdf"), lang="eng+cym")
    # "Fflat 3" comes out as "Fflat3": Tesseract drops the narrow space, with either model
    for words in ("Fflat", "27 Heol y Felin", "Rhiwbina", "Caerdydd", "CF14 6NA", "07700 900782",
                  "Annwyl", "ffôn", "glân", "tŷ", "Rydym yn croesawu gohebiaeth yn Gymraeg"):
        assert words in text
    assert "Dear Ms Prydderch" in text


def test_welsh_order_withholds_the_welsh_address_from_the_respondent() -> None:
    order = redactguard.load_order(SCANS / "order-wales.yaml")
    items = {item.id: item for item in order.items}
    assert items["applicant-address"].kind == "address"
    assert items["applicant-address"].withhold_from == ("respondent",)
    assert items["applicant-phone"].withhold_from == ("respondent",)
