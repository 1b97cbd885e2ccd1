"""The HTML report of the sample case in a real browser (issue [14]): headless Chromium driven
by Selenium, with Debian's chromium and chromedriver (Selenium Manager is never asked to fetch
a driver: the driver's path is given).

It checks what a reviewer sees: documents grouped, the flagged page pictured with its boxes on
it, the filters hiding findings, boxes and pages; and what nobody may see: no protected value
in the page's HTML, and neither a protected value nor any name or place of the bundle's
people (nor any word at all) read by Tesseract in its pictures. A screenshot of the whole page
is kept in the test's tmp dir and in $REDACTGUARD_TEST_ARTIFACTS (default
tests/report/artifacts/, ignored by git).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from redactguard.cli import main
from redactguard.ocr import Ocr, OcrUnavailable

from .html_pictures import ENLARGEMENTS, ORDER_SPELLINGS, SPELLINGS, pictures, read

webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install selenium)")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (tools/install-system-packages.sh --test)")
#: The command of the issue, run from the repository's root (the report names paths as given).
COMMAND = ["scan", "fixtures/sample-case/bundle", "--order", "fixtures/sample-case/order.yaml",
           "--recipient", "respondent", "--format", "html"]
DOCUMENTS = ["contact-note.txt", "court-directions.pdf", "police-letter.pdf", "school-letters.zip!/attendance.pdf",
             "school-letters.zip!/head-teacher-letter.txt", "social-work-report.docx"]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(main, [*COMMAND, "--no-progress", "--output", str(path)], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1, result.output  # the sample case is blocked for the respondent
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SE_OFFLINE", "true")  # Selenium Manager, should it run, fetches nothing
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any, report_file: Path) -> Any:
    browser.get(report_file.as_uri())
    return browser


def _rect(driver: Any, element: Any) -> dict[str, float]:
    rect: dict[str, float] = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", element)
    return rect


def test_documents_are_grouped_with_their_pictured_pages(page: Any) -> None:
    sections = page.find_elements("css selector", "section.document")
    titles = [s.find_element("css selector", "h2").text for s in sections]
    assert [t.rsplit("/bundle/", 1)[1] for t in titles] == DOCUMENTS
    pictured = {t.rsplit("/", 1)[1]: len(s.find_elements("css selector", "figure.page")) for t, s in zip(titles, sections, strict=True)}
    assert pictured["police-letter.pdf"] == 1 and sum(pictured.values()) == 1
    images = page.find_elements("css selector", "figure.page img")
    for image in images:
        assert page.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) > 0
        rect = _rect(page, image)
        assert rect["width"] > 100 and rect["height"] > 100


def test_boxes_lie_on_their_picture(page: Any) -> None:
    figure = page.find_element("css selector", "figure.page")
    picture = _rect(page, figure.find_element("css selector", "img"))
    boxes = figure.find_elements("css selector", "a.box")
    assert {b.get_attribute("title") for b in boxes} >= {"applicant-address, block"}
    for box in boxes:
        rect = _rect(page, box)
        assert rect["width"] > 0 and rect["height"] > 0
        assert picture["left"] - 1 <= rect["left"] and rect["right"] <= picture["right"] + 1
        assert picture["top"] - 1 <= rect["top"] and rect["bottom"] <= picture["bottom"] + 1


def test_filters_hide_findings_boxes_and_pages(page: Any) -> None:
    def shown(selector: str) -> list[bool]:
        return [e.is_displayed() for e in page.find_elements("css selector", selector)]

    assert all(shown("tr.sev-review")) and all(shown("a.box.sev-review"))
    page.find_element("id", "sev-review").click()
    assert shown("tr.sev-review") and not any(shown("tr.sev-review")) and not any(shown("a.box.sev-review"))
    assert all(shown("tr.sev-block")) and all(shown("a.box.sev-block")) and all(shown("figure.page"))

    page.find_element("id", "sev-block").click()  # nothing on the police letter's page is shown now
    assert not any(shown("figure.page")) and not any(shown("tr.sev-block"))

    page.find_element("id", "sev-review").click()  # its review findings are shown again, and so is it
    assert all(shown("figure.page")) and all(shown("tr.sev-review"))
    (address,) = [e for e in page.find_elements("css selector", ".filters label") if e.text.strip() == "generic address"]
    address.find_element("css selector", "input").click()
    assert any(shown("tr.sev-review")) and not all(shown("tr.sev-review"))


def test_no_protected_value_in_the_page_or_its_pictures(
    page: Any, report_file: Path, protected_forms: list[str], leaks: Callable[..., list[str]],
) -> None:
    dom = page.execute_script("return document.documentElement.outerHTML")
    assert "figure" in dom and "data:image/png;base64," in dom  # the page the checks below read
    assert leaks(dom, [*protected_forms, *ORDER_SPELLINGS]) == []
    assert leaks(page.find_element("css selector", "body").text, [*protected_forms, *ORDER_SPELLINGS]) == []
    shown = pictures(dom)
    assert shown == pictures(report_file.read_text(encoding="utf-8")) and shown
    for picture in shown:
        assert leaks(picture.decode("latin-1"), [*protected_forms, *SPELLINGS]) == []
    try:
        Ocr().check()
    except OcrUnavailable:
        pytest.skip("needs Tesseract to read the pictures (tools/install-system-packages.sh)")
    for picture in shown:
        for enlarge in ENLARGEMENTS:
            assert read(picture, enlarge=enlarge).words == [], f"Tesseract read words at x{enlarge}"


def test_a_screenshot_is_kept(page: Any, tmp_path: Path) -> None:
    height = page.execute_script("return document.documentElement.scrollHeight")
    page.set_window_size(1280, max(1000, int(height) + 100))
    shot = tmp_path / "html-report.png"
    assert page.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    artifacts = Path(os.environ.get("REDACTGUARD_TEST_ARTIFACTS") or REPO / "tests" / "report" / "artifacts")
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, artifacts / "html-report.png")
