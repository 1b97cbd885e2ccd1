"""OCR garbage is `ocr_low_confidence`, nothing else (issue [12]).

Read as it lies, a page scanned sideways or upside down is nonsense at a mean word confidence
near 20. The model used to report "person" and "address" review findings on it. With
orientation detection off, such a page gives the problem alone; with it on (the default), the
page is read upright and its withheld address is found, blocked, with no problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import redactguard
from redactguard.ocr import Ocr, render_pdf_page

ROOT = Path(__file__).resolve().parents[1]
ORDER = ROOT / "fixtures" / "sample-case" / "order.yaml"
LETTER = ROOT / "fixtures" / "ocr" / "scanned-letter.pdf"


@pytest.fixture(scope="module")
def turned(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The scanned letter as PNG pictures lying a quarter and a half turn round, no orientation
    tag (as a scanner writes them)."""
    page = render_pdf_page(LETTER.read_bytes(), 0).image.convert("L")
    folder = tmp_path_factory.mktemp("turned")
    out = []
    for angle in (90, 180):
        path = folder / f"letter-{angle}.png"
        page.rotate(angle, expand=True).save(path, dpi=(300, 300))
        out.append(path)
    return out


@pytest.fixture(scope="module")
def report_everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample order asking for every generic kind, names, towns and organisations too: the
    policy alone must not be what keeps garbage out of the report."""
    import yaml

    body = yaml.safe_load(ORDER.read_text(encoding="utf-8"))
    body["generic"] = {"default": "review", "person": "review", "location": "review", "organisation": "review"}
    path = tmp_path_factory.mktemp("order") / "order.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return path


def test_garbage_gives_the_problem_alone(turned: list[Path], report_everything: Path) -> None:
    options = redactguard.ScanOptions(generic=True, model="default", ocr_engine=Ocr(orient=False))
    scanner = redactguard.Scanner(redactguard.load_order(report_everything), "respondent", options)
    for path in turned:
        doc = scanner.scan_bytes(path.read_bytes(), path.name)
        assert [p.code for p in doc.problems] == ["ocr_low_confidence"]
        assert [f for f in doc.findings if f.item is None] == []
        assert doc.status == "unreadable"


def test_read_upright_the_address_is_blocked(turned: list[Path]) -> None:
    report = redactguard.scan(turned, ORDER, "respondent")
    for doc in report.documents:
        assert doc.problems == ()
        assert doc.status == "blocked"
        assert "applicant-address" in {f.item for f in doc.findings}
