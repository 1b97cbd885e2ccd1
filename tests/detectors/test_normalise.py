"""Normalisation (contract §2): what a reader ignores falls away, and offsets map back.

Tested at two levels: `TextView` tokens (the canonical form two renderings must share) and the
whole scan (the rendering is found as the order's address, with the right severity).
"""

from __future__ import annotations

import pytest

import redactguard
from redactguard.document import Location, Segment
from redactguard.normalise import (
    ABBREVIATIONS,
    FlowText,
    TextView,
    canonical,
    chunk_flows,
    tokenize,
)

from .conftest import ADDRESS, SCHOOL, make_checker, verdict

CHERRY = ["14", "cherry", "tree", "rd"]

# --------------------------------------------------------------------------- tokens


def toks(text: str) -> list[str]:
    return TextView.build(text).tokens


SAME_AS_14_CHERRY_TREE_ROAD = [
    pytest.param("14 cherry tree road", id="lower-case"),
    pytest.param("14 CHERRY TREE ROAD", id="upper-case"),
    pytest.param("14 cHeRrY tReE rOaD", id="mixed-case"),
    pytest.param("14   Cherry \t Tree  Road", id="runs-of-spaces-and-tabs"),
    pytest.param("14\nCherry\nTree\nRoad", id="line-breaks-between-words"),
    pytest.param("14\r\nCherry\r\nTree\r\nRoad", id="crlf-line-breaks"),
    pytest.param("14 Cherry Tree\fRoad", id="form-feed-page-break"),
    pytest.param("14 Cherry\u2028Tree\u2029Road", id="unicode-line-and-paragraph-separators"),
    pytest.param("14\u00a0Cherry\u00a0Tree\u00a0Road", id="no-break-spaces"),
    pytest.param("14\u2009Cherry\u202fTree\u3000Road", id="thin-narrow-ideographic-spaces"),
    pytest.param("14, Cherry Tree Road", id="comma-after-number"),
    pytest.param("(14) Cherry-Tree Road.", id="brackets-inner-hyphen-full-stop"),
    pytest.param("14 Cherry Tree Rd.", id="abbreviated-rd-with-stop"),
    pytest.param("14 Cher-\nry Tree Road", id="end-of-line-hyphenation"),
    pytest.param("14 Cher-\r\nry Tree Road", id="end-of-line-hyphenation-crlf"),
    pytest.param("14 Cher- \n   ry Tree Road", id="end-of-line-hyphenation-indented"),
    pytest.param("14 Cherry Tree Ro-\nad", id="hyphenation-in-street-type"),
    pytest.param("14 Cher\u00adry Tree Road", id="soft-hyphen-inside-word"),
    pytest.param("14 Cher\u00ad\nry Tree Road", id="soft-hyphen-at-line-end"),
    pytest.param("14 Cher\u200bry Tree Road", id="zero-width-space-inside-word"),
    pytest.param("14 Cher\u200cry Tr\u200dee Road", id="zero-width-non-joiner-and-joiner"),
    pytest.param("14 Cher\u2060ry Tree Ro\ufeffad", id="word-joiner-and-bom-inside-words"),
    pytest.param("\uff11\uff14 Cherry Tree Road", id="full-width-digits"),
    pytest.param("\uff11\uff14 \uff23\uff48\uff45\uff52\uff52\uff59 Tree Road", id="full-width-letters"),
]


@pytest.mark.parametrize("text", SAME_AS_14_CHERRY_TREE_ROAD)
def test_rendering_has_the_same_canonical_tokens(text: str) -> None:
    assert toks(text) == CHERRY


@pytest.mark.parametrize("text", SAME_AS_14_CHERRY_TREE_ROAD)
def test_rendering_is_found_as_number_and_street(text: str) -> None:
    checker = make_checker([{"id": "home", "kind": "address", "value": ADDRESS}])
    assert checker.verdict(f"The mother has moved to {text} with the children.", "home") == "block"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Ca\ufb01e", ["cafie"], id="fi-ligature"),
        pytest.param("\ufb02at", ["apt"], id="fl-ligature-then-canonical-flat"),
        pytest.param("o\ufb03ce", ["office"], id="ffi-ligature"),
        pytest.param("Stra\u00dfe", ["strasse"], id="sharp-s-casefolds"),
        pytest.param("\uff2c\uff33\uff16 \uff13\uff25\uff38", ["ls6", "3ex"], id="full-width-postcode"),
        pytest.param("don't", ["dont"], id="apostrophe-inside-word-joins"),
        pytest.param("'quoted' words", ["quoted", "words"], id="quote-marks-are-not-joiners"),
        pytest.param("e-mail 14-16", ["e", "mail", "14", "16"], id="inner-hyphen-splits"),
        pytest.param("Smith-\nJones", ["smithjones"], id="hyphen-at-line-end-joins"),
        pytest.param("under_score", ["under", "score"], id="underscore-separates"),
        pytest.param("", [], id="empty"),
        pytest.param(" \n\t ,.;", [], id="only-separators"),
    ],
)
def test_token_folding(text: str, expected: list[str]) -> None:
    assert toks(text) == expected


APOSTROPHE_FORMS = [
    pytest.param("St Mary's", ["st", "mary"], id="straight-apostrophe"),
    pytest.param("St Mary\u2019s", ["st", "mary"], id="right-single-quotation-mark"),
    pytest.param("St Mary\u2018s", ["st", "mary"], id="left-single-quotation-mark"),
    pytest.param("St Mary`s", ["st", "mary"], id="grave-accent"),
    pytest.param("St Mary\u00b4s", ["st", "mary"], id="acute-accent"),
    pytest.param("St Marys", ["st", "marys"], id="no-apostrophe"),
    pytest.param("ST. MARY'S", ["st", "mary"], id="upper-case-with-stop"),
    pytest.param("Saint Mary's", ["st", "mary"], id="saint-in-full"),
    pytest.param("St Mary\u02bcs", ["st", "mary"], id="modifier-letter-apostrophe"),
]


@pytest.mark.parametrize(("text", "expected"), APOSTROPHE_FORMS)
def test_possessive_s_folds_to_the_bare_word(text: str, expected: list[str]) -> None:
    """A possessive 's is dropped (so "Ashworth's" is "Ashworth"); without an apostrophe the s stays."""
    assert toks(text) == expected


@pytest.mark.parametrize(("text", "expected"), APOSTROPHE_FORMS)
def test_every_apostrophe_form_matches_the_school(text: str, expected: list[str]) -> None:
    order = redactguard.parse_order(
        "redactguard: 1\ncase: X\nprotected:\n"
        "  - {id: school, kind: school, value: \"St Mary's C of E Primary School, Horsforth\"}\n"
    )
    result = redactguard.Scanner(order).scan_bytes(f"She attends {text} Primary School.".encode(), "doc.txt")
    assert [(f.item, f.severity) for f in result.findings] == [("school", "block")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("St Mary\u2019s Primary", id="curly"),
        pytest.param("St Mary's Primary", id="straight"),
        pytest.param("St Marys Primary", id="none"),
    ],
)
def test_apostrophe_forms_find_the_school(text: str) -> None:
    checker = make_checker([{"id": "school", "kind": "school", "value": SCHOOL}])
    assert checker.verdict(f"She attends {text} on weekdays.", "school") == "block"


def test_curly_apostrophe_in_the_order_matches_straight_in_the_document() -> None:
    checker = make_checker(
        [{"id": "school", "kind": "school", "value": "St Mary\u2019s C of E Primary School, Horsforth"}]
    )
    assert checker.verdict("She attends St Mary's Primary.", "school") == "block"


def test_hyphenation_across_a_form_feed_page_break() -> None:
    assert toks("14 Cher-\n\fry Tree Road") == CHERRY


# --------------------------------------------------------------------------- case


def test_one_dotted_capital_i_does_not_make_the_flow_case_sensitive() -> None:
    view = TextView.build("Interpreter: Mr \u0130lker Demir. 14 Cherry Tree Road")
    assert view.tokens[-4:] == CHERRY
    assert view.raw[3] == "demir"


def test_address_is_found_in_a_document_that_mentions_a_turkish_name() -> None:
    checker = make_checker([{"id": "home", "kind": "address", "value": ADDRESS}])
    text = "Interpreter: Mr \u0130lker Demir.\nThe mother lives at 14 Cherry Tree Road, Leeds LS6 3EX."
    assert checker.verdict(text, "home") == "block"


def test_ascii_document_tokens_are_lower_case() -> None:
    view = TextView.build("Jane ASHWORTH Lives AT 14 Cherry")
    assert view.raw == ["jane", "ashworth", "lives", "at", "14", "cherry"]


def test_non_ascii_document_tokens_are_lower_case() -> None:
    view = TextView.build("Zo\u00eb ASHWORTH lives at Caf\u00e9 Rouge")
    assert view.raw == ["zo\u00eb", "ashworth", "lives", "at", "caf\u00e9", "rouge"]


# --------------------------------------------------------------------------- abbreviations

CONTRACT_ABBREVIATIONS = [
    ("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Crescent", "Cres"), ("Gardens", "Gdns"),
    ("Close", "Cl"), ("Court", "Ct"), ("Drive", "Dr"), ("Lane", "Ln"), ("Place", "Pl"),
    ("Square", "Sq"), ("Terrace", "Terr"), ("Saint", "St"),
]


@pytest.mark.parametrize("long, short", CONTRACT_ABBREVIATIONS, ids=[f"{a}-{b}" for a, b in CONTRACT_ABBREVIATIONS])
def test_contract_abbreviations_share_a_canonical_token(long: str, short: str) -> None:
    assert tokenize(long) == tokenize(short) == tokenize(long.upper()) == tokenize(short + ".")
    assert canonical(long.lower()) == canonical(short.lower())


def test_abbreviation_table_covers_the_contract_list() -> None:
    spellings = {s for group in ABBREVIATIONS.values() for s in group}
    for long, short in CONTRACT_ABBREVIATIONS:
        assert long.lower() in spellings and short.lower() in spellings


def test_church_of_england_forms_are_one_phrase_for_a_school() -> None:
    checker = make_checker([{"id": "school", "kind": "school", "value": SCHOOL}])
    for form in ("C of E", "CE", "C.E.", "C. of E.", "Church of England", "church-of-england"):
        assert checker.verdict(f"St Mary's {form} Primary School", "school") == "block", form


# --------------------------------------------------------------------------- offsets


@pytest.mark.parametrize(
    "source, first, last, expected",
    [
        pytest.param("at 14 Cherry Tree Rd.", 1, 4, "14 Cherry Tree Rd", id="plain"),
        pytest.param("at 14 Cher-\nry Tree Rd", 1, 4, "14 Cher-\nry Tree Rd", id="hyphenated-word-keeps-its-break"),
        pytest.param("at 14\u00a0Cher\u00adry  Tree\nRd!", 1, 4, "14\u00a0Cher\u00adry  Tree\nRd", id="nbsp-and-soft-hyphen"),
        pytest.param("the Caf\ufb01e on Tree Rd", 1, 1, "Caf\ufb01e", id="ligature-is-one-source-char"),
        pytest.param("\uff11\uff14 Cherry", 0, 1, "\uff11\uff14 Cherry", id="full-width-digits"),
        pytest.param("Stra\u00dfe 9", 0, 0, "Stra\u00dfe", id="sharp-s-expands-only-in-the-token"),
        pytest.param("St Mary\u2019s, Horsforth", 0, 2, "St Mary\u2019s, Horsforth", id="curly-apostrophe"),
        pytest.param("\u0130lker at 14 Cherry", 2, 3, "14 Cherry", id="after-a-length-changing-capital"),
    ],
)
def test_span_gives_the_source_slice(source: str, first: int, last: int, expected: str) -> None:
    view = TextView.build(source)
    start, end = view.span(first, last)
    assert source[start:end] == expected


def test_token_at_maps_an_offset_to_its_token() -> None:
    source = "Flat 2,\n14 Cherry Tree Road"
    view = TextView.build(source)
    assert view.tokens[view.token_at(source.index("Cherry") + 2)] == "cherry"
    assert view.token_at(0) == 0


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("She lives at 14 Cherry Tree Rd, and works.", "14 Cherry Tree Rd", id="number-street"),
        pytest.param("She lives at 14 Cher-\nry Tree Road now.", "14 Cher-\nry Tree Road", id="hyphenated"),
        pytest.param("Post to ls6\u00a03ex please", "ls6\u00a03ex", id="postcode-with-nbsp"),
        pytest.param("\u00abFlat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX\u00bb", ADDRESS, id="full-in-guillemets"),
    ],
)
def test_hit_span_is_exactly_the_rendering(source: str, expected: str) -> None:
    checker = make_checker([{"id": "home", "kind": "address", "value": ADDRESS}])
    flow, hits = checker.flow_hits(source)
    blocks = [h for h in hits if h.severity == "block"]
    assert blocks, "no block hit"
    assert expected in {flow.text[h.start : h.end] for h in blocks}


# --------------------------------------------------------------------------- flows, cells, pages


def test_flow_joins_segments_and_maps_offsets_to_each_segment() -> None:
    segs = [Segment("14 Cherry", Location(page=1)), Segment("Tree Road", Location(page=2))]
    flow = FlowText(segs)
    assert flow.text == "14 Cherry\nTree Road"
    assert flow.location_at(0).page == 1
    assert flow.location_at(flow.text.index("Tree")).page == 2
    assert flow.view.tokens == CHERRY


@pytest.mark.parametrize(
    "cells",
    [
        pytest.param(("14 Cherry", "Tree Road"), id="two-cells"),
        pytest.param(("14", "Cherry", "Tree", "Road"), id="one-word-per-cell"),
        pytest.param(("Address", "14 Cherry Tree", "Road, Headingley"), id="label-cell-then-split"),
        pytest.param(("14 Cher-", "ry Tree Road"), id="hyphen-at-cell-end"),
    ],
)
def test_match_across_segment_boundaries(cells: tuple[str, ...]) -> None:
    checker = make_checker([{"id": "home", "kind": "address", "value": ADDRESS}])
    _, hits = checker.flow_hits(*cells)
    assert any(h.item.id == "home" and h.severity == "block" for h in hits)


def test_match_across_a_page_is_located_where_it_starts() -> None:
    checker = make_checker([{"id": "home", "kind": "address", "value": ADDRESS}])
    flow, hits = checker.flow_hits("The mother moved to 14 Cherry", "Tree Road last May.", pages=True)
    block = [h for h in hits if h.severity == "block"]
    assert block and flow.location_at(block[0].start).page == 1


def test_match_across_a_chunk_boundary_is_reported_once() -> None:
    """Long flows are scanned in overlapping chunks; an address anywhere is reported exactly once."""
    checker = make_checker([{"id": "home", "kind": "address", "value": ADDRESS}])
    filler = "The parties attended and the matter was adjourned to a new date. "
    pieces = [filler + "She lives at 14 Cherry", "Tree Road, " + filler]
    straddled = 0
    for position in range(40):
        segments = [Segment(filler, Location(page=1 + i // 5)) for i in range(40)]
        segments[position:position] = [Segment(p, Location(page=99)) for p in pieces]
        reported = []
        for flow in chunk_flows(segments, window=500, overlap=150):
            if "14 Cherry" in flow.text and "Road" not in flow.text[flow.text.index("14 Cherry") :]:
                straddled += 1  # this chunk ends inside the address
            for hit in checker.scanner.policy.decide(flow, checker.scanner.detect(flow)):
                if hit.start < flow.report_limit:
                    reported.append((hit.severity, flow.text[hit.start : hit.end]))
        assert reported == [("block", "14 Cherry\nTree Road")], position
    assert straddled, "the test never put the address across a chunk end"


# --------------------------------------------------------------------------- normalised text items


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("THE BLUE DOOR BY THE CHIP SHOP", id="upper"),
        pytest.param("the blue\ndoor, by the\n\nchip-shop", id="breaks-and-punctuation"),
        pytest.param("the blue door by the chip sh-\nop", id="hyphenated"),
        pytest.param("the blue door by the chip\u00a0shop", id="nbsp"),
    ],
)
def test_text_item_is_matched_normalised(text: str) -> None:
    checker = make_checker([{"id": "door", "kind": "text", "value": "the blue door by the chip shop"}])
    assert verdict(checker.check(f"She said: {text}."), "door") == "block"


@pytest.mark.parametrize(
    "order_value, document",
    [
        pytest.param("5 Fifield Close, Otley LS21 1AB", "5 Fi\ufb01eld Close", id="ligature-in-document"),
        pytest.param("5 Fi\ufb01eld Close, Otley LS21 1AB", "5 Fifield Close", id="ligature-in-order"),
        pytest.param("5 Fifield Close, Otley LS21 1AB", "\uff15 FIFIELD CL", id="full-width-number-upper-abbreviated"),
    ],
)
def test_compatibility_forms_match_either_way(order_value: str, document: str) -> None:
    checker = make_checker([{"id": "home", "kind": "address", "value": order_value}])
    assert checker.verdict(f"She lives at {document} now.", "home") == "block"
