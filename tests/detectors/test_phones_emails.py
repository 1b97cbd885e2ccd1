"""Phone numbers and e-mail addresses (contract §2): national or +44 form with any spacing,
dots, dashes or brackets; e-mails in any case and as `mailto:` targets."""

from __future__ import annotations

import pytest

from .conftest import EMAIL, PHONE, make_checker


@pytest.fixture(scope="module")
def phone():
    return make_checker([{"id": "mobile", "kind": "phone", "value": PHONE}])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("07700 900461", id="as-in-the-order"),
        pytest.param("+44 7700 900461", id="plus-44"),
        pytest.param("+44 (0)7700 900461", id="plus-44-bracketed-zero"),
        pytest.param("+44 (0) 7700 900461", id="plus-44-bracketed-zero-spaced"),
        pytest.param("+44(0)7700900461", id="plus-44-bracketed-zero-compact"),
        pytest.param("+447700900461", id="plus-44-compact"),
        pytest.param("0044 7700 900461", id="0044"),
        pytest.param("0044 (0)7700 900461", id="0044-bracketed-zero"),
        pytest.param("07700-900-461", id="dashes"),
        pytest.param("(07700) 900461", id="bracketed-area-code"),
        pytest.param("07700.900.461", id="dots"),
        pytest.param("07700900461", id="no-spaces"),
        pytest.param("0770 090 0461", id="other-grouping"),
        pytest.param("077 00 90 04 61", id="pairs"),
        pytest.param("07700\u00a0900461", id="no-break-space"),
        pytest.param("07700\u2013900\u2013461", id="en-dashes"),
        pytest.param("07700\n900461", id="split-over-lines"),
        pytest.param("tel:+44-7700-900461", id="tel-uri"),
        pytest.param("\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff14\uff16\uff11", id="full-width-digits"),
    ],
)
def test_phone_rendering_blocks(phone, text: str) -> None:
    found = [f for f in phone.check(f"Her number is {text} (mobile).") if f.item == "mobile"]
    assert [f.severity for f in found] == ["block"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Case 12 07700 900461", id="after-another-number"),
        pytest.param("07700 900461 3 times", id="before-another-number"),
        pytest.param("call:07700 900461.", id="glued-to-punctuation"),
    ],
)
def test_phone_among_other_digits_blocks(phone, text: str) -> None:
    assert phone.verdict(text, "mobile") == "block"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("07700 900462", id="last-digit-differs"),
        pytest.param("07700 900416", id="digits-transposed"),
        pytest.param("07700 90046", id="one-digit-short"),
        pytest.param("+44 7700 900462", id="international-other-number"),
        pytest.param("0113 496 0461", id="landline-same-tail"),
        pytest.param("ref 1207700900461", id="inside-a-longer-digit-run"),
        pytest.param("900461", id="local-part-only"),
    ],
)
def test_other_numbers_do_not_match(phone, text: str) -> None:
    assert phone.verdict(f"Call {text} today.", "mobile") is None


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("+44 7700 900461", id="order-in-plus-44-form"),
        pytest.param("0044 7700 900461", id="order-in-0044-form"),
        pytest.param("07700-900-461", id="order-with-dashes"),
        pytest.param("(07700) 900461", id="order-with-brackets"),
    ],
)
def test_order_value_in_any_form_matches_national_form(value: str) -> None:
    checker = make_checker([{"id": "mobile", "kind": "phone", "value": value}])
    assert checker.verdict("Her number is 07700 900461.", "mobile") == "block"
    assert checker.verdict("Her number is +44 (0)7700-900-461.", "mobile") == "block"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("0113 496 0461", id="national"),
        pytest.param("(0113) 496 0461", id="bracketed-area-code"),
        pytest.param("+44 113 496 0461", id="plus-44"),
        pytest.param("+44 (0)113 496 0461", id="plus-44-bracketed-zero"),
        pytest.param("01134960461", id="compact"),
    ],
)
def test_landline_rendering_blocks(text: str) -> None:
    checker = make_checker([{"id": "home-phone", "kind": "phone", "value": "0113 496 0461"}])
    assert checker.verdict(f"Landline: {text}.", "home-phone") == "block"


def test_letter_spaced_phone_blocks(phone) -> None:
    assert phone.verdict("Mobile: 0 7 7 0 0 9 0 0 4 6 1", "mobile") == "block"


# --------------------------------------------------------------------------- e-mail


@pytest.fixture(scope="module")
def email():
    return make_checker([{"id": "mail", "kind": "email", "value": EMAIL}])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("jane.ashworth@example.com", id="as-in-the-order"),
        pytest.param("JANE.ASHWORTH@EXAMPLE.COM", id="upper-case"),
        pytest.param("Jane.Ashworth@Example.Com", id="title-case"),
        pytest.param("mailto:jane.ashworth@example.com", id="mailto"),
        pytest.param("MAILTO:Jane.Ashworth@example.com", id="mailto-upper"),
        pytest.param('<a href="mailto:jane.ashworth@example.com?subject=Contact">email</a>', id="mailto-in-html-link"),
        pytest.param("<jane.ashworth@example.com>", id="angle-brackets"),
        pytest.param("jane.ashworth@\nexample.com", id="line-break-after-at"),
        pytest.param("jane dot ashworth at example dot com", id="written-out"),
        pytest.param("Jane DOT Ashworth AT Example DOT com", id="written-out-mixed-case"),
    ],
)
def test_email_rendering_blocks(email, text: str) -> None:
    assert email.verdict(f"Contact: {text}.", "mail") == "block"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("jane.ashworth at example.com", id="at-written-out-only"),
        pytest.param("jane.ashworth [at] example [dot] com", id="bracketed-at-and-dot"),
        pytest.param("jane.ashworth (at) example.com", id="parenthesised-at"),
    ],
)
def test_partly_written_out_email_blocks(email, text: str) -> None:
    assert email.verdict(f"Contact: {text}.", "mail") == "block"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("jane.ashworth@example.org", id="other-top-level-domain"),
        pytest.param("jane.ashworth@example.co.uk", id="other-country-domain"),
        pytest.param("jane.ashworth@examples.com", id="other-domain-name"),
        pytest.param("jane.ashworth@mail.example.com", id="sub-domain"),
        pytest.param("jane.ashworth2@example.com", id="other-local-part"),
        pytest.param("mailto:jane.ashworth@example.org", id="mailto-other-domain"),
        pytest.param("jane dot ashworth at example dot org", id="written-out-other-domain"),
    ],
)
def test_other_addresses_do_not_match(email, text: str) -> None:
    assert email.verdict(f"Contact: {text}.", "mail") is None
