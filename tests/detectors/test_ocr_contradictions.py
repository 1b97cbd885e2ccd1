"""In text read by OCR, a misread digit or an unsure word is no contradiction (issue [12]).

The address guard demotes a number-and-street match to `review` when the text goes on to name
another postcode or town. Read by OCR, "LS8 3EX" after "14 Cherry Tree Road, Headingley, Leeds"
is most likely LS6 3EX misread: the match stays `block`. Typed text keeps the old rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import redactguard
from redactguard.document import Location, Segment
from redactguard.normalise import FlowText
from redactguard.ocr.confusions import DIGIT_CONFUSIONS, near_misread

ORDER = Path(__file__).resolve().parents[2] / "fixtures" / "sample-case" / "order.yaml"
BOX = (0.0, 0.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    return redactguard.Scanner(redactguard.load_order(ORDER), "respondent", redactguard.ScanOptions(generic=False))


def _address_severities(scanner: redactguard.Scanner, text: str, *, ocr: bool, unsure: str | None = None) -> set[str]:
    words = tuple((i, i + 1, BOX) for i in range(len(text)) if text[i] != " ") if ocr else ()
    spans = ((text.index(unsure), text.index(unsure) + len(unsure)),) if unsure else ()
    segment = Segment(text, Location(part="image" if ocr else "body", page=1), words=words, unsure=spans)
    flow = FlowText([segment])
    hits = scanner.policy.decide(flow, scanner.detect(flow))
    return {h.severity.value for h in hits if h.item is not None and h.item.id == "applicant-address"}


SENTENCE = "The health visitor called at 14 Cherry Tree Road, Headingley, Leeds {} on Tuesday."


@pytest.mark.parametrize("postcode", ["LS8 3EX", "LS6 8EX"])
def test_a_postcode_misread_by_one_digit_does_not_demote_an_ocr_match(scanner: redactguard.Scanner, postcode: str) -> None:
    text = SENTENCE.format(postcode)
    assert "block" in _address_severities(scanner, text, ocr=True)
    assert "block" not in _address_severities(scanner, text, ocr=False)  # typed: another postcode


def test_another_postcode_still_contradicts_in_ocr_text(scanner: redactguard.Scanner) -> None:
    """LS9 is no misreading of LS6, and WF1 1AA is another place altogether."""
    for postcode in ("LS9 3EX", "WF1 1AA"):
        assert "block" not in _address_severities(scanner, SENTENCE.format(postcode), ocr=True)


def test_a_contradiction_read_below_the_confidence_floor_does_not_count(scanner: redactguard.Scanner) -> None:
    text = SENTENCE.format("WF1 1AA")
    assert "block" in _address_severities(scanner, text, ocr=True, unsure="WF1")


def test_an_unsure_town_does_not_contradict(scanner: redactguard.Scanner) -> None:
    text = "Visit at 14 Cherry Tree Road, Otley, on Tuesday."
    assert "block" not in _address_severities(scanner, text, ocr=True)
    assert "block" in _address_severities(scanner, text, ocr=True, unsure="Otley")


@pytest.mark.parametrize(("read", "printed", "near"), [
    ("LS8 3EX", "LS6 3EX", True),
    ("LS6 8EX", "LS6 3EX", True),
    ("LS0 3EX", "LS6 3EX", True),  # 0/6, Tesseract's commonest digit slip on harsh scans
    ("LS5 3EX", "LS6 3EX", False),  # 5/6: never seen in ~68,000 digits
    ("Lecds", "Leeds", False),  # e/c is no confusion of the table
    ("LS9 3EX", "LS6 3EX", False),
    ("LS8 8EX", "LS6 3EX", False),  # two digits: another postcode more likely than two slips
    ("LS6 3EX", "LS6 3EX", True),
    ("LSG 3EX", "LS6 3EX", True),  # the fold: 6 and G
])
def test_near_misread(read: str, printed: str, near: bool) -> None:
    assert near_misread(read, printed) is near


def test_a_misread_postcode_is_blocked_in_ocr_text_only(scanner: redactguard.Scanner) -> None:
    """Read by OCR, "LS6 8EX" is the withheld LS6 3EX with a blot on the 3: blocked, so that
    redaction paints it too. Typed, it is a near miss for review (it may be a neighbour)."""
    text = "Flat 2\n14 Cherry Tree Road\nHeadingley\nLeeds\nLS6 8EX\nDear Ms Ashworth"
    assert _address_severities(scanner, text, ocr=True) == {"block"}
    assert _address_severities(scanner, text, ocr=False) == {"review"}
    assert _address_severities(scanner, "The postcode LS6 3FX was on the form.", ocr=True) == {"review"}


def test_every_digit_confusion_is_a_pair_of_digits() -> None:
    assert all(len(pair) == 2 and all(c.isdigit() for c in pair) for pair in DIGIT_CONFUSIONS)
