"""Names, institutions, vehicles, `text` and `regex` items, `also` spellings, and who may see what."""

from __future__ import annotations

import pytest

from .conftest import ADDRESS, NAME, PHONE, SCHOOL, VEHICLE, make_checker


@pytest.fixture(scope="module")
def person():
    return make_checker([{"id": "mother", "kind": "name", "value": NAME}])


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Jane Elizabeth Ashworth", "block", id="full-name"),
        pytest.param("JANE ELIZABETH ASHWORTH", "block", id="full-name-upper"),
        pytest.param("Jane\nElizabeth\nAshworth", "block", id="full-name-over-lines"),
        pytest.param("Jane Ashworth", "block", id="first-and-last"),
        pytest.param("Mrs Jane Ashworth", "block", id="title-first-and-last"),
        pytest.param("J. Ashworth", "block", id="initial-with-stop-and-surname"),
        pytest.param("J Ashworth", "block", id="initial-and-surname"),
        pytest.param("J.E. Ashworth", "block", id="initials-and-surname"),
        pytest.param("JE Ashworth", "block", id="run-together-initials-and-surname"),
        pytest.param("Jane E. Ashworth", "block", id="first-middle-initial-last"),
        pytest.param("Ashworth, Jane", "block", id="surname-first"),
        pytest.param("ASHWORTH Jane", "block", id="surname-first-upper"),
        pytest.param("Ashworth, J.", "block", id="surname-then-initial"),
        pytest.param("Jane Ash-\nworth", "block", id="surname-hyphenated-at-line-end"),
        pytest.param("Mrs Ashworth", "review", id="title-and-surname"),
        pytest.param("Ms. Ashworth", "review", id="ms-and-surname"),
        pytest.param("Dr Ashworth", "review", id="dr-and-surname"),
        pytest.param("Ashworth", None, id="surname-alone"),
        pytest.param("Jane", None, id="first-name-alone"),
        pytest.param("Janet Ashworth", None, id="other-first-name"),
        pytest.param("Jane Ashton", None, id="other-surname"),
        pytest.param("Jane Ashworthy", None, id="surname-as-prefix-of-another"),
    ],
)
def test_name_rendering(person, text: str, expected: str | None) -> None:
    assert person.verdict(f"The statement of {text} was read.", "mother") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Jane Ashworth's mother attended.", "block", id="possessive-full-name"),
        pytest.param("Jane Ashworth\u2019s mother attended.", "block", id="possessive-curly"),
        pytest.param("Mrs Ashworth's evidence was clear.", "review", id="possessive-title-surname"),
    ],
)
def test_possessive_name(person, text: str, expected: str) -> None:
    assert person.verdict(text, "mother") == expected


def test_name_also_spelling_exact() -> None:
    checker = make_checker([{"id": "mother", "kind": "name", "value": NAME, "also": ["Jane Elizabeth Smith"]}])
    assert checker.verdict("formerly Jane Elizabeth Smith", "mother") == "block"
    assert checker.verdict("J. Ashworth", "mother") == "block"


@pytest.mark.parametrize("text", ["Jane Smith", "J. Smith", "Smith, Jane"])
def test_name_also_spelling_partials(text: str) -> None:
    checker = make_checker([{"id": "mother", "kind": "name", "value": NAME, "also": ["Jane Elizabeth Smith"]}])
    assert checker.verdict(f"formerly {text}", "mother") == "block"


# --------------------------------------------------------------------------- institutions


@pytest.fixture(scope="module")
def school():
    return make_checker([{"id": "school", "kind": "school", "value": SCHOOL}])


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("St Mary's C of E Primary School, Horsforth", "block", id="full"),
        pytest.param("ST MARY'S C OF E PRIMARY SCHOOL\nHORSFORTH", "block", id="full-upper-over-lines"),
        pytest.param("St Mary's C of E Primary School", "block", id="without-locality"),
        pytest.param("St Mary's CE Primary School", "block", id="CE"),
        pytest.param("St Mary's C.E. Primary School", "block", id="C.E."),
        pytest.param("Saint Mary's Church of England Primary School", "block", id="saint-church-of-england"),
        pytest.param("St Mary\u2019s Church of England Primary", "block", id="curly-church-of-england-primary"),
        pytest.param("St Mary's Primary", "block", id="name-and-primary"),
        pytest.param("St Marys Primary School", "block", id="no-apostrophe"),
        pytest.param("St Mary's School", "block", id="name-and-school"),
        pytest.param("St Mary's, Horsforth", "block", id="name-and-locality"),
        pytest.param("St Mary's in Horsforth", "block", id="name-near-locality"),
        pytest.param("St Mary's", "review", id="name-alone"),
        pytest.param("Saint Mary's", "review", id="saint-name-alone"),
        pytest.param("St Mary's RC Primary", "review", id="other-denomination-is-only-the-name"),
        pytest.param("St Mark's Primary", None, id="another-saint"),
        pytest.param("Horsforth", None, id="locality-alone"),
        pytest.param("Primary School", None, id="type-words-alone"),
    ],
)
def test_school_rendering(school, text: str, expected: str | None) -> None:
    assert school.verdict(f"The child attends {text} at present.", "school") == expected


@pytest.mark.parametrize(
    "value, text, expected",
    [
        pytest.param("Kirkstall Lane Medical Centre, Leeds", "Kirkstall Lane Medical Centre", "block", id="gp-without-town"),
        pytest.param("Kirkstall Lane Medical Centre, Leeds", "Kirkstall Lane Medical", "block", id="gp-part-of-type"),
        pytest.param("Kirkstall Lane Medical Centre, Leeds", "Kirkstall Lane", "review", id="gp-distinctive-name-alone"),
        pytest.param("Little Acorns Nursery, Otley", "LITTLE ACORNS NURSERY", "block", id="nursery-upper"),
        pytest.param("Little Acorns Nursery, Otley", "Little Acorns in Otley", "block", id="nursery-near-town"),
    ],
)
def test_other_institutions(value: str, text: str, expected: str) -> None:
    checker = make_checker([{"id": "place", "kind": "school", "value": value}])
    assert checker.verdict(f"Records from {text} were filed.", "place") == expected


# --------------------------------------------------------------------------- vehicles, text, regex


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("AB12 CDE", "block", id="with-space"),
        pytest.param("AB12CDE", "block", id="without-space"),
        pytest.param("ab12 cde", "block", id="lower-case"),
        pytest.param("ab12cde", "block", id="lower-case-compact"),
        pytest.param("AB12-CDE", "block", id="dash"),
        pytest.param("AB12\nCDE", "block", id="line-break"),
        pytest.param("AB12 CDF", None, id="other-registration"),
        pytest.param("AB12", None, id="first-half-alone"),
    ],
)
def test_vehicle_rendering(text: str, expected: str | None) -> None:
    checker = make_checker([{"id": "car", "kind": "vehicle", "value": VEHICLE}])
    assert checker.verdict(f"A car, registration {text}, was seen.", "car") == expected


@pytest.mark.parametrize("value", ["AB12 CDE", "AB12CDE", "ab12cde"], ids=["order-spaced", "order-compact", "order-lower"])
def test_vehicle_order_value_in_any_form(value: str) -> None:
    checker = make_checker([{"id": "car", "kind": "vehicle", "value": value}])
    assert checker.verdict("Seen: AB12 CDE.", "car") == "block"
    assert checker.verdict("Seen: AB12CDE.", "car") == "block"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("the blue door by the chip shop", "block", id="as-in-the-order"),
        pytest.param("The Blue Door, by the Chip-Shop", "block", id="case-and-punctuation"),
        pytest.param("the blue\ndoor by the\nchip shop", "block", id="line-breaks"),
        pytest.param("the blue door", None, id="part-of-the-phrase"),
        pytest.param("the red door by the chip shop", None, id="one-word-differs"),
    ],
)
def test_text_item(text: str, expected: str | None) -> None:
    checker = make_checker([{"id": "door", "kind": "text", "value": "the blue door by the chip shop"}])
    assert checker.verdict(f"She described {text} to the officer.", "door") == expected


@pytest.mark.parametrize(
    "pattern, text, expected",
    [
        pytest.param(r"\b485 ?777 ?3456\b", "NHS number 485 777 3456.", "block", id="nhs-number-spaced"),
        pytest.param(r"\b485 ?777 ?3456\b", "NHS number 4857773456.", "block", id="nhs-number-compact"),
        pytest.param(r"\b485 ?777 ?3456\b", "NHS number 485 777 3457.", None, id="nhs-number-other"),
        pytest.param(r"(?i)moonbeam\d+", "user MoonBeam42 posted", "block", id="inline-ignore-case"),
        pytest.param(r"moonbeam\d+", "user MoonBeam42 posted", None, id="regex-is-case-sensitive-as-written"),
    ],
)
def test_regex_item(pattern: str, text: str, expected: str | None) -> None:
    checker = make_checker([{"id": "rx", "kind": "regex", "value": pattern}])
    found = [f for f in checker.check(text) if f.item == "rx"]
    assert (found[0].severity if found else None) == expected
    if found:
        assert found[0].match == "exact"


def test_also_spellings_of_text_and_phone_items() -> None:
    checker = make_checker(
        [
            {"id": "door", "kind": "text", "value": "the blue door", "also": ["the cobalt gate"]},
            {"id": "mobile", "kind": "phone", "value": PHONE, "also": ["07700 900999"]},
        ]
    )
    assert checker.verdict("through the Cobalt Gate", "door") == "block"
    assert checker.verdict("call +44 7700 900999", "mobile") == "block"
    assert checker.verdict("call +44 7700 900461", "mobile") == "block"


def test_also_spelling_match_is_variant() -> None:
    checker = make_checker([{"id": "door", "kind": "text", "value": "the blue door", "also": ["the cobalt gate"]}])
    assert [f.match for f in checker.check("the blue door")] == ["exact"]
    assert [f.match for f in checker.check("the cobalt gate")] == ["variant"]


# --------------------------------------------------------------------------- withhold / disclose

ITEMS = [
    {"id": "home", "kind": "address", "value": ADDRESS, "withhold_from": ["respondent"]},
    {"id": "mobile", "kind": "phone", "value": PHONE},
    {"id": "school", "kind": "school", "value": SCHOOL, "withhold_from": []},
]
DOC = "She lives at 14 Cherry Tree Road, her mobile is 07700 900461 and the child attends St Mary's Primary."


@pytest.mark.parametrize(
    "recipient, expected",
    [
        pytest.param("respondent", {"home": "block", "mobile": "block"}, id="respondent-withheld-from-both"),
        pytest.param("guardian", {"mobile": "block"}, id="guardian-sees-the-address"),
        pytest.param("applicant", {"mobile": "block"}, id="applicant-default-withhold"),
        pytest.param("court", {}, id="court-in-disclose-to-sees-all"),
        pytest.param(None, {"home": "block", "mobile": "block"}, id="no-recipient-every-withheld-item-blocks"),
    ],
)
def test_recipient_decides_what_is_reported(recipient, expected) -> None:
    checker = make_checker(ITEMS, recipient=recipient)
    found = {f.item: f.severity for f in checker.check(DOC)}
    assert found == expected


def test_disclose_to_may_name_several_parties() -> None:
    checker = make_checker(ITEMS, recipient="guardian", disclose_to=["court", "guardian"])
    assert checker.check(DOC) == []
    checker = make_checker(ITEMS, recipient="applicant", disclose_to=["court", "guardian"])
    assert {f.item for f in checker.check(DOC)} == {"mobile"}


def test_without_a_recipient_review_findings_stay_review() -> None:
    checker = make_checker(ITEMS, recipient=None)
    assert checker.verdict("He walked down Cherry Tree Road.", "home") == "review"
