"""One test per hiding place: the protected value sits only there, and must be found there.

The vectors and what each must produce are in fixtures/vectors/MANIFEST.tsv (built by
fixtures/build_vectors.py). A vector whose value the readers miss fails here by name.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import redactguard
from redactguard.sources import collect

VECTORS = Path(__file__).resolve().parents[2] / "fixtures" / "vectors"
ROWS = list(csv.DictReader((VECTORS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    order = redactguard.load_order(VECTORS / "order.yaml")
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))


def _results(scanner: redactguard.Scanner, path: Path) -> list[redactguard.DocumentResult]:
    return [scanner.scan_source(source) for source in collect([str(path)])]


def test_manifest_lists_every_vector_file() -> None:
    listed = {row["file"] for row in ROWS}
    on_disk = {p.name for p in VECTORS.iterdir() if p.name not in ("MANIFEST.tsv", "order.yaml")}
    assert listed == on_disk
    assert len(ROWS) >= 40


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_vector_is_found_in_its_part(scanner: redactguard.Scanner, row: dict[str, str]) -> None:
    results = _results(scanner, VECTORS / row["file"])
    findings = [f for r in results for f in r.findings]
    problems = [p.code for r in results for p in r.problems]
    if row["expected_item"] == "none":
        assert findings == []
    else:
        page = int(row["expected_page"]) if row["expected_page"] else None
        where = {(f.item, f.location.part, f.location.page) for f in findings}
        assert (row["expected_item"], row["expected_part"], page) in where
        assert all(f.severity == "block" for f in findings if f.item == row["expected_item"])
    if row["expected_problem"]:
        assert row["expected_problem"] in problems
        assert any(r.status == "unreadable" for r in results)
    else:
        assert problems == []


def test_attachment_findings_name_the_attachment(scanner: redactguard.Scanner) -> None:
    (result,) = _results(scanner, VECTORS / "pdf-embedded-file.pdf")
    (finding,) = result.findings
    loc = finding.location.to_dict()
    assert loc["part"] == "attachment"
    assert loc["attachment"] == "contact-note.txt"
    assert loc["inner"]["part"] == "body"


def test_docx_embedded_package_is_read_as_an_attachment(scanner: redactguard.Scanner) -> None:
    (result,) = _results(scanner, VECTORS / "docx-embedded-docx.docx")
    assert [f.location.to_dict()["inner"]["part"] for f in result.findings] == ["body"]


def test_previous_revision_is_not_in_the_final_text(scanner: redactguard.Scanner) -> None:
    """The address is only in the earlier revision: the final page text alone would be clean."""
    from pypdf import PdfReader

    path = VECTORS / "pdf-previous-revision.pdf"
    final = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Cherry" not in final
    (result,) = _results(scanner, path)
    assert {f.location.part for f in result.findings} == {"previous-revision"}
