"""Read by OCR, the order's words run together are still the order's words (issue [12]).

Tesseract reads a narrow space as none, most often beside a one-letter word: the bilingual
fixture's embedded scan reads "27 Heoly Felin" where the page shows "27 Heol y Felin". A word
that is none of the order's but parts wholly into the order's words is matched parted, in text
read by OCR (docs/matching.md). The real-file check is
`tests/test_scans.py::test_redact_the_welsh_letter_with_welsh_ocr`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import redactguard
from redactguard.document import Location, Segment
from redactguard.normalise import FlowText
from redactguard.redactors.base import Targets

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
WALES = FIXTURES / "scans" / "order-wales.yaml"
LEEDS = FIXTURES / "sample-case" / "order.yaml"
BOX = (0.0, 0.0, 1.0, 1.0)


def _scanner(order: Path) -> redactguard.Scanner:
    return redactguard.Scanner(redactguard.load_order(order), "respondent", redactguard.ScanOptions(generic=False))


@pytest.fixture(scope="module")
def wales() -> redactguard.Scanner:
    return _scanner(WALES)


@pytest.fixture(scope="module")
def leeds() -> redactguard.Scanner:
    return _scanner(LEEDS)


def _blocked(scanner: redactguard.Scanner, text: str, *, ocr: bool = True) -> list[str]:
    words = ((0, len(text), BOX),) if ocr else ()
    flow = FlowText([Segment(text, Location(part="image" if ocr else "body", page=1), words=words)])
    hits = scanner.policy.decide(flow, scanner.detect(flow))
    return sorted({text[h.start:h.end] for h in hits if h.item is not None and h.severity == "block"})


@pytest.mark.parametrize("reading", [
    "Thank you for welcoming me when I visited you at 27 Heoly Felin on Tuesday.",
    "Thank you for welcoming me when I visited you at 27 Heol yFelin on Tuesday.",
    "Thank you for welcoming me when I visited you at 27 heolyfelin on Tuesday.",
])
def test_welsh_street_words_run_together_are_blocked_in_ocr_text(wales: redactguard.Scanner, reading: str) -> None:
    blocked = _blocked(wales, reading)
    assert blocked and all(span.startswith("27 ") for span in blocked)


def test_the_painter_finds_them_too(wales: redactguard.Scanner) -> None:
    """The redactor paints what a scan of the picture would block: the same rule."""
    text = "visited you at 27 Heoly Felin on Tuesday"
    (span,) = Targets(wales).find_read(text)
    assert text[span.start:span.end] == "27 Heoly Felin"


def test_english_streets_run_together_in_lower_case(leeds: redactguard.Scanner) -> None:
    assert _blocked(leeds, "We met at 14 cherrytree road, headingley last week.") != []


@pytest.mark.parametrize("reading", [
    "The theory of the cottage industry was discussed at the treehouse meeting.",
    "Headingleyite supporters and roadworks near the flatland were noted.",
    "She treasured the rosebush by the millpond.",
])
def test_ordinary_words_are_not_parted_into_a_match(leeds: redactguard.Scanner, reading: str) -> None:
    assert _blocked(leeds, reading) == []

