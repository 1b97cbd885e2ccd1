"""The OCR engine on the fixtures' pictures: words, boxes, confidences; and when it is missing."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from redactguard.ocr import INSTALL_HINT, Ocr, OcrPage, OcrUnavailable, fold
from redactguard.ocr.confidence import judge_page, judge_words

from .conftest import folded_text, picture

ADDRESS_LINES = ["flat 2", "14 cherry tree road", "headingley", "ls6 3ex"]
LETTERS = ["letter-pdf", "stamped-pdf", "docx-inline", "zip-png", "tiff-1"]


@pytest.fixture(scope="module")
def pages(ocr: Ocr) -> dict[str, tuple[Image.Image, OcrPage]]:
    out = {}
    for name in [*LETTERS, "tiff-2", "docx-floating", "faint-pdf", "photo"]:
        image = picture(name)
        out[name] = (image, ocr.read(image))
    return out


@pytest.mark.parametrize("name", LETTERS)
@pytest.mark.parametrize("line", ADDRESS_LINES)
def test_scanned_letter_address_lines_are_read(pages, name: str, line: str) -> None:
    _, page = pages[name]
    assert fold(line) in folded_text(page), f"{name}: an address line was not read"


@pytest.mark.parametrize("name", LETTERS)
def test_letter_phone_and_school_are_read(pages, name: str) -> None:
    text = folded_text(pages[name][1])
    assert fold("07700 900461") in text
    assert fold("St Mary's C of E Primary School, Horsforth") in text


@pytest.mark.parametrize(("name", "value"), [
    ("docx-floating", "07700 900461"),
    ("tiff-2", "St Mary's C of E Primary School, Horsforth"),
], ids=["floating DOCX note holds the phone", "TIFF page 2 names the school"])
def test_other_pictures_are_read(pages, name: str, value: str) -> None:
    assert fold(value) in folded_text(pages[name][1])


@pytest.mark.parametrize("name", LETTERS)
def test_address_words_have_boxes_inside_the_picture_and_high_confidence(pages, name: str) -> None:
    image, page = pages[name]
    assert (page.width, page.height) == image.size
    words = [w for w in page.words if fold(w.text.strip(",.")) in {fold("Cherry"), fold("Headingley"), "3ex"}]
    assert len(words) >= 3
    for word in words:
        x0, y0, x1, y1 = word.bbox
        assert 0 <= x0 < x1 <= image.width and 0 <= y0 < y1 <= image.height
        assert 10 <= y1 - y0 <= 120  # an 11-point word at 300 dpi
        assert word.confidence >= 80
    assert judge_page(page, image).confident


def test_the_recipient_block_keeps_one_line_per_address_part(pages) -> None:
    lines = [" ".join(fold(line.text).split()) for line in pages["letter-pdf"][1].lines()]
    for part in ADDRESS_LINES:
        assert any(line.strip("-_ ").endswith(fold(part)) for line in lines)


def test_text_map_offsets_point_at_each_word(pages) -> None:
    text, spans = pages["letter-pdf"][1].text_map()
    assert spans and all(text[start:end] == word.text for start, end, word in spans)
    assert "\n" in text


def test_faint_scan_is_judged_low_confidence(pages) -> None:
    image, page = pages["faint-pdf"]
    verdict = judge_page(page, image)
    assert not verdict.confident
    assert verdict.mean_confidence < 60


def test_writing_read_as_nothing_is_low_confidence(ocr: Ocr) -> None:
    """Print so faint that Tesseract returns no word at all must not pass as a blank page."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))
    from build_ocr import LETTER, Scan, scanned_page

    image = scanned_page(LETTER, Scan(size_pt=3.5, ink=212, paper=238, blur=1.2))
    page = ocr.read(image)
    assert not judge_words(page.words).confident or not judge_page(page, image).confident
    assert not judge_page(page, image).confident


@pytest.mark.parametrize("image", [
    pytest.param(Image.new("L", (1240, 1754), 250), id="blank page"),
    pytest.param(None, id="photo without writing"),
])
def test_nothing_to_read_is_not_low_confidence(ocr: Ocr, image) -> None:
    image = image or picture("photo")
    assert judge_page(ocr.read(image), image).confident


def test_both_backends_read_the_address(ocr: Ocr) -> None:
    image = picture("letter-pdf")
    for engine in ("tesserocr", "tesseract"):
        page = Ocr(engine=engine).read(image)
        assert fold("14 Cherry Tree Road") in folded_text(page), engine


def test_bytes_in_gives_the_same_words(ocr: Ocr, fixtures_dir: Path) -> None:
    import io
    import zipfile

    with zipfile.ZipFile(fixtures_dir / "scanned-report.docx") as zf:
        data = zf.read("word/media/image2.jpg")
    assert ocr.read(data).words == ocr.read(Image.open(io.BytesIO(data))).words


def _read_in_worker(engine: Ocr) -> str:
    return folded_text(engine.read(picture("docx-floating")))


def test_ocr_is_picklable_and_loads_in_worker_processes(ocr: Ocr) -> None:
    assert pickle.loads(pickle.dumps(ocr)) == ocr
    with ProcessPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(_read_in_worker, [ocr, ocr]))
    assert all(fold("07700 900461") in t for t in texts)


def test_reprs_never_show_text(pages) -> None:
    page = pages["letter-pdf"][1]
    shown = repr(page) + repr(page.words) + repr(page.lines())
    assert "Cherry" not in shown and "Ashworth" not in shown


# --------------------------------------------------------------------------- unavailable


def test_missing_english_data_names_the_packages(tmp_path: Path) -> None:
    for engine in ("auto", "tesserocr", "tesseract"):
        with pytest.raises(OcrUnavailable) as caught:
            Ocr(engine=engine, tessdata=str(tmp_path)).check()
        assert caught.value.code == "ocr_unavailable"
        assert "tesseract-ocr tesseract-ocr-eng" in str(caught.value)


def test_tesseract_hidden_from_path(tmp_path: Path) -> None:
    with pytest.raises(OcrUnavailable) as caught:
        Ocr(engine="tesseract", path=str(tmp_path)).read(Image.new("L", (10, 10), 255))
    assert INSTALL_HINT in str(caught.value)


def test_environment_hides_tesseract_for_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACTGUARD_TESSDATA", str(tmp_path))
    hidden = Ocr()  # reads the environment when made, and carries it to worker processes
    monkeypatch.delenv("REDACTGUARD_TESSDATA")
    with pytest.raises(OcrUnavailable):
        pickle.loads(pickle.dumps(hidden)).check()


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError):
        Ocr(engine="cuneiform")


def test_a_bilevel_picture_reads_as_its_greyscale_twin(ocr: Ocr) -> None:
    """Tesseract gets the pixels as they are: 8-bit grey, or packed bits for a bilevel (fax)
    picture, where a 1 is white. Read wrongly, the bits would be an inverted page."""
    bilevel = picture("tiff-1")
    assert bilevel.mode == "1"
    engine = Ocr(engine="tesserocr")
    words = engine.read(bilevel).words
    assert [w.text for w in words] == [w.text for w in engine.read(bilevel.convert("L")).words]
    assert fold("14 Cherry Tree Road") in folded_text(engine.read(bilevel))
