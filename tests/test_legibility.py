"""Pixel redaction leaves the rest of a scan as legible as it was (issue [12]).

The scanned letter of fixtures/ocr, and the same letter scanned sideways, is redacted for the
respondent; the `tesseract` command then reads the original and the redacted page (both
rendered by pdftoppm at 300 dpi, greyscale, and turned upright as OSD says), as
`tools/legibility.py` does. Of the words it read on the original that are not withheld, it
must still read at least 98 %, and on the redacted page no withheld spelling, even through
OCR's misreadings. The paint itself is checked on the letter's picture: every dark pixel of a
withheld word is painted, no other word is touched, and a page stored sideways is painted as
the same page upright.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import shutil
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageChops

import redactguard
from redactguard.ocr import Ocr, OcrUnavailable, fold, paint_out
from redactguard.ocr.pixels import ink_tone

REPO = Path(__file__).resolve().parents[1]
#: The scanned letter, and the same letter scanned sideways (fixtures/scans, when built).
SCANS = [REPO / "fixtures" / "ocr" / "scanned-letter.pdf", REPO / "fixtures" / "scans" / "letter-rot90-300dpi.pdf"]
REPORT = REPO / "fixtures" / "ocr" / "scanned-report.docx"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
WITHHELD = ("cherry tree", "14 cherry", "headingley", "ls6 3ex", "07700", "900461", "st mary", "horsforth")
#: The words of the address and the phone, folded, as the letter's picture shows them.
WITHHELD_WORDS = {fold(w) for w in ["Flat", "14", "Cherry", "Tree", "Road", "Headingley", "LS6", "3EX", "07700", "900461"]}
#: The letter's paper is grey 250 and its ink 20: a pixel left unpainted in a withheld word's
#: box must be paper, or the soft edge of a stroke no darker than this.
PAPER_EDGE = 180

needs_commands = pytest.mark.skipif(shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
                                    reason="needs the tesseract command and poppler's pdftoppm")


@functools.cache
def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("legibility", REPO / "tools" / "legibility.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["legibility"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


@pytest.fixture(scope="module", params=SCANS, ids=lambda p: p.name)
def pages(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """A scan's page before and after redaction, as the tesseract command sees it."""
    scan: Path = request.param
    if not scan.exists():
        pytest.skip(f"{scan.name} is not built (python fixtures/build_scans.py)")
    legibility = _tool()
    work = tmp_path_factory.mktemp("legibility")
    output = work / "out" / scan.name
    output.parent.mkdir()
    report = redactguard.redact([scan], ORDER, "respondent", output=output)
    assert report.exit_code() == 0
    before = legibility.pages(scan.name, scan.read_bytes(), work)["page 1"]
    after = legibility.pages(scan.name, output.read_bytes(), work)["page 1"]
    return before, after


@needs_commands
def test_tesseract_still_reads_the_words_that_were_not_withheld(pages: tuple[bytes, bytes]) -> None:
    legibility = _tool()
    figures = legibility.compare("page 1", *pages, legibility.withheld_tokens(ORDER, "respondent"))

    assert figures.counted >= 60  # the letter's other words were read on the original
    assert figures.under_paint >= 20  # the withheld words are under the paint
    assert figures.share >= 0.98, f"{figures.kept} of {figures.counted} words still read"


@needs_commands
def test_tesseract_reads_no_withheld_spelling_on_the_redacted_page(pages: tuple[bytes, bytes]) -> None:
    legibility = _tool()
    upright = legibility.upright(pages[1], legibility.turn(pages[0]))
    read = _key(" ".join(w.token for w in legibility.tesseract_words(upright)))

    assert [w for w in WITHHELD if _key(w) in read] == []


@pytest.fixture(scope="module")
def letter() -> tuple[Image.Image, list[tuple[int, int, int, int]], list[tuple[int, int, int, int]]]:
    """The letter's picture, the boxes of its address and phone words, and its other words' boxes."""
    try:
        Ocr().check()
    except OcrUnavailable:
        pytest.skip("Tesseract is not installed")
    with zipfile.ZipFile(REPORT) as archive:
        image = Image.open(io.BytesIO(archive.read("word/media/image1.jpg")))
        image.load()
    page = Ocr().read(image)
    withheld, others = [], []
    for word in page.words:
        folded = fold(word.text.strip(",."))
        if folded in WITHHELD_WORDS:
            withheld.append(word.bbox)
        elif word.confidence >= 80 and any(c.isalnum() for c in word.text):
            others.append(word.bbox)
    assert len(withheld) >= 12 and len(others) >= 60
    return image, withheld, others


def test_every_dark_pixel_of_a_withheld_word_is_painted(letter: tuple) -> None:
    image, withheld, _ = letter
    painted = paint_out(image, withheld).convert("L")
    tone = ink_tone(image.convert("L").histogram())

    assert tone <= 64
    for box in withheld:
        after = painted.crop(box)
        unpainted = after.point(lambda v: 0 if v == tone else 255).convert("1")
        left = Image.composite(image.convert("L").crop(box), Image.new("L", after.size, 255), unpainted)
        assert left.getextrema()[0] >= PAPER_EDGE


def test_no_other_word_is_touched_by_the_paint(letter: tuple) -> None:
    image, withheld, others = letter
    changed = ImageChops.difference(paint_out(image, withheld).convert("L"), image.convert("L"))

    touched = [box for box in others if changed.crop(box).getextrema()[1] > 0]
    assert touched == []


def test_a_page_stored_sideways_is_painted_as_the_same_page_upright(letter: tuple) -> None:
    image, withheld, _ = letter
    turn = Image.Transpose.TRANSPOSE
    sideways = [(y0, x0, y1, x1) for x0, y0, x1, y1 in withheld]

    upright = paint_out(image, withheld).transpose(turn)
    assert ImageChops.difference(paint_out(image.transpose(turn), sideways), upright).getbbox() is None
