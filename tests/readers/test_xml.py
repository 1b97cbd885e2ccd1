"""XML data files (`readers/xml.py`): character data, attribute values, comments and processing
instructions are read in document order; the tags never are; a DTD or damage fails closed."""

from __future__ import annotations

from pathlib import Path

import pytest

import redactguard
from redactguard.readers import ReadContext, read_document

ORDER = Path(__file__).resolve().parents[2] / "fixtures" / "sample-case" / "order.yaml"


def read(data: bytes) -> tuple[list[str], list[tuple[str, str]]]:
    ctx = ReadContext(name="t.xml")
    texts = [s.text for s in read_document(data, ctx)]
    return texts, [(p.code, p.message) for p in ctx.problems]


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    return redactguard.Scanner(redactguard.load_order(ORDER), "respondent", redactguard.ScanOptions())


@pytest.mark.parametrize("xml, where", [
    (b'<?xml version="1.0"?><case><to address="Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX"/></case>', "attribute"),
    (b'<?xml version="1.0"?><!-- sent to 14 Cherry Tree Road, Headingley, Leeds LS6 3EX --><case/>', "comment before the root"),
    (b'<?xml version="1.0"?><case><![CDATA[14 Cherry Tree Road, Headingley, Leeds LS6 3EX]]></case>', "CDATA"),
    (b'<?xml version="1.0"?><case><?note 14 Cherry Tree Road, Headingley, Leeds LS6 3EX?></case>', "processing instruction"),
    (b'<?xml version="1.0" encoding="UTF-16"?><c>14 Cherry Tree Road, Headingley, Leeds LS6 3EX</c>'.decode().encode("utf-16"), "UTF-16"),
])
def test_every_place_an_xml_file_holds_text_is_read(scanner: redactguard.Scanner, xml: bytes, where: str) -> None:
    result = scanner.scan_bytes(xml, "t.xml")

    assert result.status == "blocked", where
    assert {f.item for f in result.findings if f.item} == {"applicant-address"}


def test_tags_are_not_text() -> None:
    texts, problems = read(b'<?xml version="1.0"?><Applicant_Address><Street_Name>x</Street_Name></Applicant_Address>')

    assert texts == ["x"] and problems == []


def test_a_harmless_export_gives_no_generic_finding(scanner: redactguard.Scanner) -> None:
    xml = (b'<?xml version="1.0"?><hearing listed="2025-03-01"><court>Leeds Combined Court Centre</court>'
           b'<Court_Room_Number>4</Court_Room_Number><Judge_Title>District Judge</Judge_Title></hearing>')

    assert scanner.scan_bytes(xml, "t.xml").status == "clean"


def test_a_dtd_fails_closed_without_expanding_its_entities() -> None:
    texts, problems = read(b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "14 Cherry Tree Road">]><c>&a;</c>')

    assert [code for code, _ in problems] == ["unsupported_part"]
    assert not any("Cherry" in t for t in texts)


def test_malformed_xml_is_corrupt_and_its_message_quotes_nothing() -> None:
    texts, problems = read(b'<?xml version="1.0"?><c>14 Cherry Tree Road<d></c>')

    assert [code for code, _ in problems] == ["corrupt"]
    assert not any("Cherry" in message for _, message in problems)
