"""Negative controls from every producer the format fixtures use come out `clean` with the
default options (generic detection and the default model on), not `review`: the producing
program's name, a template's built-in layouts and a shrunken page preview are read for the
order's items only (`Segment.generic`), since generic detection there reads only noise."""

from __future__ import annotations

from pathlib import Path

import pytest

import redactguard

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONTROLS = [
    "office/workbook-negative.xlsx", "office/presentation-negative.pptx",
    "odf/odt-clean.odt", "odf/ods-clean.ods", "odf/odp-clean.odp",
    "legacy/doc-clean.doc", "legacy/xls-clean.xls", "legacy/ppt-clean.ppt",
    "embedded/emf-clean.docx", "embedded/ole-package-clean.docx", "embedded/clean.emf",
    "markup/word-style-clean.rtf",
]


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    order = redactguard.load_order(FIXTURES / "sample-case" / "order.yaml")
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions())


@pytest.mark.parametrize("name", CONTROLS)
def test_a_negative_control_is_clean_with_generic_detection_on(scanner: redactguard.Scanner, name: str) -> None:
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"{name} is not among the fixtures")
    result = scanner.scan_bytes(path.read_bytes(), name)

    assert result.status == "clean", [(f.kind, f.location.to_dict()) for f in result.findings]


def test_a_protected_value_in_a_preview_is_still_found(scanner: redactguard.Scanner) -> None:
    """Only generic detection is off in previews: the order's items are matched there."""
    from redactguard.document import Location, Segment
    from redactguard.normalise import FlowText

    flow = FlowText([Segment("Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX", Location(part="image"),
                             flow="image:preview", generic=False)])
    kinds = {hit.item.id if hit.item else hit.kind for detector in scanner.detectors for hit in detector.detect(flow)}

    assert "applicant-address" in kinds
    assert not {k for k in kinds if k != "applicant-address"}
