"""Pages read the right way up (issue [12]): the letter of fixtures/ocr turned a quarter, a half
and three quarters, read by both engines, boxes given back in the picture as it lies."""

from __future__ import annotations

import pytest
from PIL import Image

from redactguard.ocr import Ocr, judge_page
from redactguard.ocr.orientation import turn_back

from .conftest import picture


def _word_box(page, word: str) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    text, spans = page.text_map()
    found = [w.bbox for start, end, w in spans if text[start:end].strip(".,") == word]
    assert found, f"{word!r} was not read"
    return found[0]


def _reads_in_some_turn(image: Image.Image, box: tuple[int, int, int, int], word: str) -> bool:
    """Whatever way the picture lies, the box holds `word` (read in one of the four turns)."""
    pad = 6
    crop = image.crop((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad))
    line = Ocr(psm=7, orient=False)
    return any(word in line.read(crop.rotate(angle, expand=True), dpi=300).text_map()[0] for angle in (0, 90, 180, 270))


@pytest.fixture(scope="module")
def letter() -> Image.Image:
    return picture("letter-pdf").convert("L")


@pytest.mark.parametrize("engine", ["tesserocr", "tesseract"])
@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_turned_page_is_read_upright_with_boxes_on_the_page_as_it_lies(letter: Image.Image, engine: str, angle: int) -> None:
    lying = letter.rotate(angle, expand=True)

    page = Ocr(engine=engine).read(lying, dpi=300)

    assert judge_page(page, lying).confident
    assert (page.width, page.height) == lying.size
    text = page.text_map()[0]
    assert "Cherry Tree Road" in text and "900461" in text
    box = _word_box(page, "Cherry")
    assert 0 <= box[0] < box[2] <= lying.width and 0 <= box[1] < box[3] <= lying.height
    assert _reads_in_some_turn(lying, box, "Cherry")


@pytest.mark.parametrize("angle", [90, 180])
def test_without_orientation_the_turned_page_is_unsure(letter: Image.Image, angle: int) -> None:
    """What the issue saw: read as it lies, the page is garbage and the verdict says so."""
    lying = letter.rotate(angle, expand=True)
    page = Ocr(orient=False).read(lying, dpi=300)
    verdict = judge_page(page, lying)
    assert not verdict.confident
    assert verdict.mean_confidence < 50


def test_an_upright_page_is_read_once_as_it_lies(letter: Image.Image) -> None:
    page = Ocr().read(letter, dpi=300)
    assert page.turn == 0
    assert page.words == Ocr(orient=False).read(letter, dpi=300).words


def test_turn_back_gives_each_box_in_the_unturned_picture() -> None:
    """A mark drawn at a known place, turned each way: its box comes back where it was drawn."""
    from redactguard.ocr.engine import OcrPage, OcrWord

    width, height, box = 300, 200, (40, 20, 100, 50)
    original = Image.new("L", (width, height), 255)
    original.paste(0, box)
    for angle in (90, 180, 270):
        turned = original.rotate(angle, expand=True)
        dark = turned.point(lambda v: 255 if v < 128 else 0).getbbox()
        assert dark is not None
        page = OcrPage(width=turned.width, height=turned.height, words=(OcrWord("x", dark, 90.0, 1, 1, 1),))
        back = turn_back(page, angle, width, height)
        assert back.words[0].bbox == box
        assert (back.width, back.height, back.turn) == (width, height, angle)
