"""The HTML report's page pictures (issue [14]): illegible, boxed where the findings are, made
only from the bytes that were scanned.

Legibility is judged by Tesseract, the tool an attacker would reach for first: it reads the
thumbnails as they are and enlarged 4 and 8 times, and must read no word at all; the same
page rendered at 300 dpi is read (the control that shows the reading works). Box positions
are checked against where PDFium finds the withheld words, on a page as stored and turned by
/Rotate, and between a scan stored as a PDF and as a TIFF.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter

import redactguard
from redactguard.ocr import OcrUnavailable
from redactguard.report import html_format, render
from redactguard.report.excerpt_boxes import PageLetters, excerpt_boxes

from .html_pictures import ENLARGEMENTS, SPELLINGS, pictures, read

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "fixtures" / "sample-case"
POLICE = SAMPLE / "bundle" / "police-letter.pdf"
SCANS = [REPO / "fixtures" / "ocr" / "scanned-letter.pdf", REPO / "fixtures" / "ocr" / "scanned-letter.tif",
         REPO / "fixtures" / "scans" / "letter-rot90-300dpi.pdf", REPO / "fixtures" / "scans" / "letter-rot90-300dpi.png"]
#: The applicant's address as the police letter prints it, line by line.
ADDRESS_LINES = ["Flat 2", "14 Cherry Tree Road", "Headingley", "LS6 3EX"]
_NS = "{http://www.w3.org/1999/xhtml}"


def _needs_tesseract() -> None:
    try:
        redactguard.ocr.Ocr().check()
    except OcrUnavailable:
        pytest.skip("needs Tesseract (tools/install-system-packages.sh)")


@functools.cache
def _order() -> redactguard.Order:
    return redactguard.load_order(SAMPLE / "order.yaml")


def _html(paths: list[Path], **options: object) -> str:
    report = redactguard.scan([str(p) for p in paths], _order(), recipient="respondent", **options)  # type: ignore[arg-type]
    return render(report, "html")


@pytest.fixture(scope="module")
def sample_html() -> str:
    return _html([SAMPLE / "bundle"])


@pytest.fixture(scope="module")
def scans_html() -> str:
    _needs_tesseract()
    return _html(SCANS, model=None)


def _boxes(html: str) -> dict[str, list[tuple[str, tuple[float, float, float, float]]]]:
    """For each pictured page ("<document path> <caption>"), its boxes: (title, (left, top,
    width, height) as fractions of the picture)."""
    root = html5lib.parse(html)
    out: dict[str, list[tuple[str, tuple[float, float, float, float]]]] = {}
    for section in root.iter(f"{_NS}section"):
        path = "".join(next(section.iter(f"{_NS}h2")).itertext()).split(" ", 1)[1]
        for figure in section.iter(f"{_NS}figure"):
            caption = "".join(next(figure.iter(f"{_NS}figcaption")).itertext()).split(":")[0]
            out[f"{path} {caption}"] = [(a.get("title", ""), _fractions(a)) for a in figure.iter(f"{_NS}a")]
    return out


def _fractions(box: ElementTree.Element) -> tuple[float, float, float, float]:
    style = dict(re.findall(r"(\w+):([\d.]+)%", box.get("style", "")))
    return (float(style["left"]) / 100, float(style["top"]) / 100, float(style["width"]) / 100, float(style["height"]) / 100)


def _inside(point: tuple[float, float], boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = point
    return any(left <= x <= left + w and top <= y <= top + h for left, top, w, h in boxes)


def _word_centres(pdf: Path, spellings: list[str]) -> list[tuple[float, float]]:
    """Where PDFium finds each spelling on page 1, as fractions of the page as shown (turned by
    /Rotate 0 or 90; the crop box at the origin)."""
    document = pdfium.PdfDocument(str(pdf))
    page = document[0]
    _, _, width, height = page.get_cropbox()
    turned = page.get_rotation() == 90
    textpage = page.get_textpage()
    centres = []
    for spelling in spellings:
        searcher = textpage.search(spelling, match_case=False)
        found = searcher.get_next()
        assert found is not None, "a withheld line is not on the page"
        start, count = found
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        x = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
        y = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
        # /Rotate 90 turns the page clockwise: its left edge becomes the top, its bottom the left
        centres.append((y / height, x / width) if turned else (x / width, (height - y) / height))
    document.close()
    return centres


def test_no_thumbnail_of_the_sample_case_reads_as_a_word(sample_html: str) -> None:
    _needs_tesseract()
    shown = pictures(sample_html)
    assert len(shown) == 1  # the police letter's first page: the only flagged page that is pictured
    for picture in shown:
        for enlarge in ENLARGEMENTS:
            reading = read(picture, enlarge=enlarge)
            assert reading.words == [], f"Tesseract read {len(reading.words)} words at x{enlarge}"
            assert not [s for s in SPELLINGS if reading.holds(s)]


def test_no_thumbnail_of_a_scan_reads_as_a_word(scans_html: str) -> None:
    shown = pictures(scans_html)
    assert len(shown) == 5  # the letter as PDF and TIFF (2 pages), and turned, as PDF and PNG
    for picture in shown:
        for enlarge in ENLARGEMENTS:
            assert read(picture, enlarge=enlarge).words == [], f"Tesseract read words at x{enlarge}"


def test_the_same_page_rendered_to_be_read_is_read() -> None:
    """The control: what the thumbnail hides, Tesseract reads on the page at 300 dpi."""
    _needs_tesseract()
    from redactguard.ocr import render_pdf_page

    reading = read(render_pdf_page(POLICE.read_bytes(), 0).image)
    assert len(reading.words) > 100
    assert reading.holds("Cherry Tree Road") and reading.holds("Headingley")


def test_a_text_layer_finding_is_boxed_over_its_words(sample_html: str) -> None:
    (boxes,) = [b for page, b in _boxes(sample_html).items() if page.endswith("police-letter.pdf page 1")]
    address = [box for title, box in boxes if title == "applicant-address, block"]
    assert address, "the withheld address has no box"
    for centre in _word_centres(POLICE, ADDRESS_LINES):
        assert _inside(centre, address)
    # the boxes are the masked words' only: most of the page is not boxed
    assert sum(w * h for _, (x, y, w, h) in boxes) < 0.1


def test_boxes_turn_with_the_page(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(POLICE))
    writer.pages[0].rotate(90)
    turned = tmp_path / "police-letter-turned.pdf"
    with turned.open("wb") as fh:
        writer.write(fh)

    pages = _boxes(_html([turned]))
    (boxes,) = pages.values()
    address = [box for title, box in boxes if title == "applicant-address, block"]

    for centre in _word_centres(turned, ADDRESS_LINES):
        assert _inside(centre, address)


def test_a_scan_is_boxed_alike_as_pdf_and_as_picture(scans_html: str) -> None:
    pages = _boxes(scans_html)
    as_pdf = pages[f"{SCANS[0]} page 1"]
    as_tif = pages[f"{SCANS[1]} page 1"]
    assert len(as_pdf) == len(as_tif) == 4
    for (title_a, a), (title_b, b) in zip(as_pdf, as_tif, strict=True):
        assert title_a == title_b
        assert all(abs(p - q) < 0.02 for p, q in zip(a, b, strict=True))


def test_pictures_are_of_the_scanned_bytes_only(tmp_path: Path) -> None:
    copy = tmp_path / "police-letter.pdf"
    shutil.copy(POLICE, copy)
    report = redactguard.scan([str(copy)], _order(), recipient="respondent", model=None)
    assert len(pictures(html_format.render(report))) == 1

    copy.write_bytes(POLICE.read_bytes() + b"\n% changed after the scan\n")
    changed = html_format.render(report)
    assert pictures(changed) == [] and "no page pictures" in changed

    copy.unlink()
    assert pictures(html_format.render(report)) == []
    given = html_format.render(report, sources={str(copy): POLICE.read_bytes()})
    assert len(pictures(given)) == 1


def _letters(text: str) -> list[PageLetters]:
    """A page of one line, each character 6 points wide and 10 high."""
    return [PageLetters([(c, (6.0 * k, 700.0, 6.0 * k + 6, 710.0)) for k, c in enumerate(text)])]


PAGE = "Ms Jane Ashworth, Flat 2, 14 Cherry Tree Road. Call 07700 900461 after six."


@pytest.mark.parametrize(("excerpt", "boxed"), [
    pytest.param("\u2026Call █████ ██████ after six.", ["07700 900461"], id="the-masked-words"),
    pytest.param("Headline from page 1 Ms ████ ████████, ████ █, ██ ██████ ████ ████. Call",
                 ["Jane Ashworth, Flat 2, 14 Cherry Tree Road"], id="context-from-elsewhere-trimmed"),
    pytest.param("████ ██████", [], id="too-little-context-to-place"),
    pytest.param("Write to █████ now", [], id="not-on-this-page"),
])
def test_an_excerpt_is_placed_by_its_clear_words(excerpt: str, boxed: list[str]) -> None:
    found = excerpt_boxes(_letters(PAGE), excerpt)

    covered = {k for k, c in enumerate(PAGE) if c.isalnum() and any(b[0] <= 6 * k and 6 * k + 6 <= b[2] for b in found)}
    expected = {PAGE.index(words) + k for words in boxed for k, c in enumerate(words) if c.isalnum()}
    assert covered == expected
