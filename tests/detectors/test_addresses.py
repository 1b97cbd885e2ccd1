"""Address items (contract §2): full, partial, near-miss and contradicted renderings.

The order's address is the contract §1 example, "Flat 2, 14 Cherry Tree Road, Headingley,
Leeds LS6 3EX"; every case is one document text and the severity the item must get in it
(`None`: the item must not be reported at all).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from .conftest import ADDRESS, COURT_ADDRESS, make_checker, verdict

SOLICITORS = "Headingley Family Law, 3 Cherry Tree Road, Headingley, Leeds LS6 3EY"


@pytest.fixture(scope="module")
def home():
    return make_checker(
        [{"id": "home", "kind": "address", "owner": "applicant", "value": ADDRESS}],
        allow=[COURT_ADDRESS, SOLICITORS],
    )


def case(text: str, expected: str | None, id: str, **kw):
    return pytest.param(text, expected, id=id, **kw)


BLOCK_CASES = [
    # the whole address
    case(ADDRESS, "block", "full-address-one-line"),
    case("Flat 2\n14 Cherry Tree Road\nHeadingley\nLeeds\nLS6 3EX", "block", "full-address-separate-lines"),
    case("Flat 2, 14 Cherry Tree Rd, Headingley, Leeds LS6 3EX", "block", "full-address-with-rd"),
    case("FLAT 2 14 CHERRY TREE ROAD HEADINGLEY LEEDS LS6 3EX", "block", "full-address-upper-case-no-commas"),
    case("flat 2, 14 cherry tree rd,\nheadingley, leeds ls63ex", "block", "full-address-lower-case-compact-postcode"),
    case("Flat 2,\n14, Cherry Tree Road,\nHeadingley,\nLeeds,\nLS6 3EX.", "block", "full-address-commas-everywhere"),
    # the postcode alone
    case("Her postcode is LS6 3EX.", "block", "postcode-alone-LS6-3EX"),
    case("postcode ls63ex", "block", "postcode-alone-ls63ex"),
    case("postcode LS63EX", "block", "postcode-alone-LS63EX"),
    case("postcode ls6 3ex", "block", "postcode-alone-lower-spaced"),
    case("postcode LS6  3EX", "block", "postcode-alone-double-space"),
    case("postcode LS6\n3EX", "block", "postcode-alone-split-over-lines"),
    case("postcode LS6-3EX", "block", "postcode-alone-with-dash"),
    # number + street
    case("She lives at 14 Cherry Tree Rd.", "block", "number-street-rd"),
    case("She lives at 14 Cherry Tree Road.", "block", "number-street-road"),
    case("She lives at 14, Cherry Tree Road.", "block", "number-comma-street"),
    case("She lives at No. 14 Cherry Tree Road.", "block", "no-number-street"),
    case("She lives at 14 CHERRY TREE RD", "block", "number-street-upper-case"),
    case("She lives at 14 Cherry Tree Road, Leeds.", "block", "number-street-with-its-own-town"),
    case("She lives at 14 Cherry Tree Road, Leeds LS6 3EX.", "block", "number-street-with-its-own-town-and-postcode"),
    case("lives at 14 Cherry Tree Road. She says the house is cold.", "block", "number-street-then-a-sentence"),
    case("lives at 14 Cherry Tree Road, where the children sleep", "block", "number-street-then-lower-case-clause"),
    case("14 Cherry Tree Road, as she told the court", "block", "number-street-then-comma-clause"),
    # flat + street
    case("She rents Flat 2, Cherry Tree Road.", "block", "flat-street"),
    case("She rents Apartment 2, Cherry Tree Road.", "block", "apartment-street"),
    case("She rents Flat 2, 14 Cherry Tree Road.", "block", "flat-number-street"),
    # street + locality / town / postcode
    case("Cherry Tree Road, Headingley", "block", "street-comma-locality"),
    case("She moved to Cherry Tree Road in Headingley.", "block", "moved-to-street-in-locality"),
    case("Cherry Tree Road,\nHeadingley", "block", "street-then-locality-on-next-line"),
    case("The Cherry Tree Road area of Headingley", "block", "street-area-of-locality"),
    case("in Headingley, on Cherry Tree Road", "block", "locality-before-street"),
    case("Cherry Tree Road, Leeds", "block", "street-comma-town"),
    case("She moved to Cherry Tree Rd in Leeds.", "block", "street-in-town"),
    case("Cherry Tree Road LS6 3EX", "block", "street-and-postcode"),
]

REVIEW_CASES = [
    case("He walked down Cherry Tree Road.", "review", "street-alone"),
    case("He walked down Cherry Tree Rd yesterday.", "review", "street-alone-abbreviated"),
    case("The neighbour at 22 Cherry Tree Road called.", "review", "different-house-number-same-street"),
    case("The neighbour at 140 Cherry Tree Road called.", "review", "longer-house-number-same-street"),
    case("The report says Cherny Tree Road.", "review", "near-miss-street-typo"),
    case("The report says 14 Cherry Trec Road.", "review", "near-miss-street-ocr-slip"),
    case("The report says 14 Cherry Tree Raod.", "review", "near-miss-street-type-transposed"),
    case("postcode LS6 3FX", "review", "near-miss-postcode-unit"),
    case("postcode LS8 3EX", "review", "near-miss-postcode-district"),
    case("14 Cherry Tree Road, Wakefield WF1 2AB", "review", "contradicted-by-town-and-postcode"),
    case("14 Cherry Tree Road, Wakefield", "review", "contradicted-by-town"),
    case("14 Cherry Tree Road\nWakefield\nWF1 2AB", "review", "contradicted-on-separate-lines"),
    case("14 Cherry Tree Road WF1 2AB", "review", "contradicted-by-postcode"),
    case("14 Cherry Tree Road, Bradford BD1 1AA", "review", "contradicted-by-another-city"),
]

NOTHING_CASES = [
    case("The LS6 area is popular with students.", None, "outward-code-alone"),
    case("postcode LS6", None, "outward-code-alone-bare"),
    case("She grew up in Leeds.", None, "town-alone"),
    case("Headingley has a cricket ground.", None, "locality-alone"),
    case("The father lives at 14 Oak Tree Road.", None, "same-number-another-street"),
    case("She lives in Flat 2.", None, "flat-alone"),
    case("postcode LS6 3AB", None, "postcode-two-edits-away"),
    case("Cherry Tree", None, "street-without-its-type"),
    case(COURT_ADDRESS, None, "allowed-court-address"),
    case(
        "LEEDS COMBINED COURT CENTRE\n1 Oxford Row\nLeeds\nLS1 3BG", None, "allowed-court-address-other-layout"
    ),
    case(SOLICITORS, None, "allowed-solicitors-on-the-same-street"),
    case(
        "HEADINGLEY FAMILY LAW\n3 Cherry Tree Rd\nHeadingley\nLeeds\nLS6 3EY",
        None,
        "allowed-solicitors-other-layout",
    ),
]


@pytest.mark.parametrize("text, expected", BLOCK_CASES + REVIEW_CASES + NOTHING_CASES)
def test_address_rendering(home, text: str, expected: str | None) -> None:
    assert home.verdict(text, "home") == expected


@pytest.mark.parametrize(
    "text, match",
    [
        case(ADDRESS, "exact", "identical-full-address"),
        case("Flat 2, 14 Cherry Tree Rd, Headingley, Leeds LS6 3EX", "variant", "abbreviated-full-address"),
        case("14 Cherry Tree Road", "partial", "number-street"),
        case("LS6 3EX", "partial", "postcode"),
        case("Cherny Tree Road", "fuzzy", "near-miss"),
    ],
)
def test_match_type(home, text: str, match: str) -> None:
    found = [f for f in home.check(text) if f.item == "home"]
    assert [f.match for f in found] == [match]


def test_allowed_text_does_not_hide_the_address_elsewhere(home) -> None:
    text = f"Hearing at {COURT_ADDRESS}. The mother lives at 14 Cherry Tree Road."
    assert home.verdict(text, "home") == "block"


def test_solicitors_allow_does_not_hide_the_street_outside_it(home) -> None:
    text = f"Instructed: {SOLICITORS}.\nThe mother lives on Cherry Tree Road, Headingley."
    assert home.verdict(text, "home") == "block"


# --------------------------------------------------------------------------- known bugs


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Address:\n14 Cherry Tree Road\nOccupation:\nNurse", id="form-label-on-next-line"),
        pytest.param("Address\n14 Cherry Tree Road\nRelationship\nMother", id="table-label-on-next-line"),
        pytest.param("The mother lives at 14 Cherry Tree Road.\nChildren:\nAlex (7)", id="heading-on-next-line"),
        pytest.param("14 Cherry Tree Road\nSigned\nJ Smith", id="signature-block-on-next-line"),
    ],
)
def test_number_street_is_not_contradicted_by_a_following_label(home, text: str) -> None:
    assert home.verdict(text, "home") == "block"


def test_lower_case_contradiction_is_at_most_review(home) -> None:
    assert home.verdict("my new place is 14 cherry tree road, wakefield", "home") == "review"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("She rents flat 2 on Cherry Tree Road.", id="flat-on-street"),
        pytest.param("She lives at number 14 on Cherry Tree Road.", id="number-on-street"),
    ],
)
def test_flat_or_number_a_word_away_from_the_street(home, text: str) -> None:
    assert home.verdict(text, "home") == "block"


# --------------------------------------------------------------------------- abbreviations both ways

ABBREVIATIONS = [
    ("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Crescent", "Cres"), ("Gardens", "Gdns"),
    ("Close", "Cl"), ("Court", "Ct"), ("Drive", "Dr"), ("Lane", "Ln"), ("Place", "Pl"),
    ("Square", "Sq"), ("Terrace", "Terr"),
]
BOTH_WAYS = [
    pytest.param(order_form, doc_form, id=f"order-{order_form}-document-{doc_form}")
    for long, short in ABBREVIATIONS
    for order_form, doc_form in ((long, short), (short, long))
]


@pytest.mark.parametrize("order_form, doc_form", BOTH_WAYS)
def test_street_type_abbreviation(order_form: str, doc_form: str) -> None:
    checker = make_checker(
        [{"id": "home", "kind": "address", "value": f"27 Juniper {order_form}, Kirkstall, Leeds LS5 3QT"}]
    )
    full = checker.check(f"Address: 27 Juniper {doc_form}, Kirkstall, Leeds LS5 3QT")
    assert [(f.severity, f.match) for f in full if f.item == "home"] == [("block", "variant")]
    assert checker.verdict(f"She lives at 27 Juniper {doc_form}.", "home") == "block"
    assert checker.verdict(f"She lives at 27 JUNIPER {doc_form.upper()}.", "home") == "block"
    assert checker.verdict(f"She moved to Juniper {doc_form}, Kirkstall.", "home") == "block"
    assert checker.verdict(f"Someone on Juniper {doc_form} said so.", "home") == "review"


@pytest.mark.parametrize(
    "order_form, doc_form",
    [
        pytest.param("St John's Close", "Saint John's Cl", id="order-St-document-Saint"),
        pytest.param("Saint John's Close", "St Johns Cl.", id="order-Saint-document-St"),
    ],
)
def test_saint_abbreviation_in_a_street(order_form: str, doc_form: str) -> None:
    checker = make_checker([{"id": "home", "kind": "address", "value": f"3 {order_form}, Otley LS21 1AB"}])
    assert checker.verdict(f"She lives at 3 {doc_form}.", "home") == "block"


def test_also_spelling_is_matched_with_its_own_partials() -> None:
    checker = make_checker(
        [{"id": "home", "kind": "address", "value": ADDRESS, "also": ["Rose Cottage, Moor Lane, Ilkley LS29 9AA"]}]
    )
    assert checker.verdict("She now stays at Rose Cottage, Moor Lane.", "home") == "block"
    assert checker.verdict("postcode ls29 9aa", "home") == "block"
    assert checker.verdict("14 Cherry Tree Road", "home") == "block"


def test_postcode_item_alone() -> None:
    checker = make_checker([{"id": "pc", "kind": "postcode", "value": "LS6 3EX"}])
    for text in ("LS6 3EX", "ls63ex", "Ls6\n3Ex"):
        assert checker.verdict(f"code {text} here", "pc") == "block", text
    assert checker.verdict("code LS6 here", "pc") is None
    assert checker.verdict("code LS6 3AB here", "pc") is None


# --------------------------------------------------------------------------- cells and pages


@pytest.mark.parametrize(
    "cells, expected",
    [
        pytest.param(("14 Cherry", "Tree Road"), "block", id="number-street-split-over-two-cells"),
        pytest.param(("Flat 2", "14 Cherry Tree Road", "Headingley", "Leeds", "LS6 3EX"), "block", id="one-part-per-cell"),
        pytest.param(("Cherry Tree", "Road", "Headingley"), "block", id="street-and-locality-in-cells"),
        pytest.param(("LS6", "3EX"), "block", id="postcode-split-over-two-cells"),
        pytest.param(("Cherry Tree", "Road"), "review", id="street-alone-split"),
    ],
)
def test_table_cells_are_read_as_one_flow(home, cells, expected) -> None:
    from .conftest import hit_verdict

    _, hits = home.flow_hits(*cells)
    assert hit_verdict(hits, "home") == expected


def _docx_with_table(rows: list[list[str]]) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Schedule of addresses")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_table_cells_split_the_address(home) -> None:
    data = _docx_with_table([["Party", "Where"], ["14 Cherry", "Tree Road"]])
    result = home.scanner.scan_bytes(data, "schedule.docx")
    assert result.type == "docx"
    assert verdict(result.findings, "home") == "block"


def test_pdf_page_break_inside_the_address(home, tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "statement.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(72, 100, "The mother told me she now lives at 14 Cherry")
    pdf.showPage()
    pdf.drawString(72, 760, "Tree Road, and that the children like it there.")
    pdf.showPage()
    pdf.save()
    result = home.scanner.scan_bytes(path.read_bytes(), "statement.pdf")
    assert result.type == "pdf" and result.pages == 2
    found = [f for f in result.findings if f.item == "home"]
    assert [f.severity for f in found] == ["block"]
    assert found[0].location.page == 1
