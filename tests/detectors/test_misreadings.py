"""Order items in text read by OCR: through its usual misreadings and broken lines (issue [8]).

The flows are built as the readers build them from a picture: one segment per OCR line, each
word with its box, so that the tests drive the real detect -> decide path without Tesseract.
"""

from __future__ import annotations

import pytest

from redactguard.detectors.misreadings import fold_token, ocr_digits
from redactguard.document import Location, Segment
from redactguard.normalise import FlowText

from .conftest import ADDRESS, PHONE, SCHOOL, make_checker

CHECKER = make_checker([
    {"id": "address", "kind": "address", "value": ADDRESS, "also": ["14 Cherry Tree Rd"]},
    {"id": "phone", "kind": "phone", "value": PHONE},
    {"id": "school", "kind": "school", "value": SCHOOL},
])


def ocr_flow(*lines: str) -> FlowText:
    """A flow of OCR lines: each word 10 px high, 12 px a character, lines 20 px apart."""
    segments = []
    for row, line in enumerate(lines):
        words, offset = [], 0
        for word in line.split(" "):
            x0 = offset * 12
            words.append((offset, offset + len(word), (float(x0), row * 20.0, float(x0 + 12 * len(word)), row * 20.0 + 10)))
            offset += len(word) + 1
        box = (0.0, row * 20.0, len(line) * 12.0, row * 20.0 + 10)
        segments.append(Segment(line, Location(part="image", page=1, bbox=box), flow="image", words=tuple(words)))
    return FlowText(segments)


def ocr_verdict(item: str, *lines: str) -> str | None:
    hits = CHECKER.scanner.policy.decide(flow := ocr_flow(*lines), CHECKER.scanner.detect(flow))
    severities = {h.severity for h in hits if h.item is not None and h.item.id == item}
    return "block" if "block" in severities else ("review" if "review" in severities else None)


@pytest.mark.parametrize(
    "item, lines, expected",
    [
        pytest.param("address", ["l4 Cherry Tree Rd, LS6 3EX"], "block", id="one-read-as-ell-in-the-house-number"),
        pytest.param("address", ["I4 Cherry Tree Road"], "block", id="capital-i-for-one"),
        pytest.param("address", ["14 Cherry Tree R0AD"], "block", id="zero-for-o-in-the-street-type"),
        pytest.param("address", ["LS6 3EX"], "block", id="postcode-read-correctly"),
        pytest.param("address", ["L56 3EX"], "block", id="postcode-five-for-s"),
        pytest.param("address", ["LSG 3EX"], "block", id="postcode-g-for-six"),
        pytest.param("address", ["Flat 2", "l4 Cherry", "Tree Road", "Headingley"], "block", id="broken-over-lines"),
        pytest.param("address", ["14 Cherry Tree Raod"], "review", id="typo-only-fuzzy"),
        pytest.param("address", ["l4 Cherry Tree Road, Wakefield WF1 2AB"], "review", id="contradicted-by-another-town"),
        pytest.param("address", ["LS6"], None, id="outward-code-alone-is-nothing"),
        pytest.param("phone", ["O77OO 9OO46l"], "block", id="phone-with-letter-o-and-ell"),
        pytest.param("phone", ["07700 9O0461"], "block", id="phone-one-zero-as-o"),
        pytest.param("school", ["St Mary'5 C of E Primary 5chool, Horsforth"], "block", id="school-five-for-s"),
        pytest.param("school", ["St Mary's C of E Prirnary School, Horsforth"], "block", id="school-rn-for-m"),
    ],
)
def test_ocr_text_matches_through_misreadings(item: str, lines: list[str], expected: str | None) -> None:
    assert ocr_verdict(item, *lines) == expected


def test_typed_text_is_not_folded() -> None:
    """Folding is for text read by OCR: typed "l4" is not the house number 14."""
    assert CHECKER.verdict("l4 Cherry Tree R0AD", "address") != "block"


def test_finding_box_is_the_box_of_its_own_words_across_lines() -> None:
    flow = ocr_flow("Ms Jane Example", "Flat 2", "l4 Cherry Tree Road", "Headingley")
    hits = CHECKER.scanner.policy.decide(flow, CHECKER.scanner.detect(flow))
    widest = max((h for h in hits if h.item is not None and h.item.id == "address"), key=lambda h: h.end - h.start)

    location = flow.location_of(widest.start, widest.end)

    assert location.part == "image" and location.page == 1
    assert location.bbox is not None
    x0, y0, x1, y1 = location.bbox
    assert y0 >= 20.0  # not the name line above the address
    assert y1 >= 50.0  # down to the street line at least
    assert (x0, x1) == (0.0, 12.0 * len("l4 Cherry Tree Road"))  # the words, not the whole image


@pytest.mark.parametrize(
    "a, b",
    [("14", "l4"), ("14", "I4"), ("Road", "R0AD"), ("close", "dose"), ("Mary's", "Mary\u2019s"), ("Ilkley", "ilkley")],
)
def test_fold_token_puts_misreadings_together(a: str, b: str) -> None:
    assert fold_token(a) == fold_token(b)


@pytest.mark.parametrize("a, b", [("14", "4"), ("Hill", "Hil"), ("47", "41"), ("Ilkley", "1lkley")])
def test_fold_token_keeps_different_words_apart(a: str, b: str) -> None:
    assert fold_token(a) != fold_token(b)


@pytest.mark.parametrize(
    "token, digits", [("O77OO", "07700"), ("9OO46l", "900461"), ("07700", "07700"), ("Road", None), ("LS6", None)],
)
def test_ocr_digits_reads_a_number_through_letter_slips(token: str, digits: str | None) -> None:
    assert ocr_digits(token) == digits
