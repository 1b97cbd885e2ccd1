"""Generic personal data the order does not list: recognisers + model through the whole scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from presidio_analyzer import Pattern, PatternRecognizer

import redactguard
from redactguard.cli import main

NOTE = (
    "Contact note. The new partner, Daniel Okafor, gave his mobile as 07700 900123 and said he "
    "lives at 52 Larch Avenue, Chapel Allerton, Leeds LS7 4QR. His NHS number is 943 476 5919 "
    "and his NI number is AB123456C. Lily now attends Greenfield Primary School. DOB: 12/03/2015.\n"
)
VALUES = ["07700 900123", "52 Larch Avenue", "LS7 4QR", "943 476 5919", "AB123456C", "Greenfield Primary", "12/03/2015"]


def scan_text(tmp_path: Path, text: str, order: redactguard.Order | None = None, **kw: object) -> redactguard.DocumentResult:
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    return redactguard.scan(path, order, **kw).documents[0]  # type: ignore[arg-type]


def kinds(doc: redactguard.DocumentResult) -> set[str]:
    return {f.kind for f in doc.findings}


def test_without_an_order_generic_data_is_found_at_review(tmp_path: Path) -> None:
    doc = scan_text(tmp_path, NOTE, model=None)
    assert {"phone", "address", "nhs-number", "ni-number", "institution", "date-of-birth"} <= kinds(doc)
    assert all(f.item is None and f.severity == "review" for f in doc.findings)
    assert all(f.match == "pattern" and f.detector == "pattern" for f in doc.findings)
    assert doc.status == "review"


def test_exit_codes_for_review_findings(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(path), "--model", "none", "--no-progress"]).exit_code == 0
    assert runner.invoke(main, ["scan", str(path), "--model", "none", "--fail-on", "review"]).exit_code == 1
    assert runner.invoke(main, ["scan", str(path), "--no-generic"]).exit_code == 0


def test_no_generic_finds_nothing_without_an_order(tmp_path: Path) -> None:
    assert scan_text(tmp_path, NOTE, generic=False).findings == ()


def test_generic_policy_can_block_or_turn_off_a_kind(tmp_path: Path) -> None:
    order = redactguard.parse_order("redactguard: 1\ncase: X\ngeneric: {phone: block, postcode: off, address: off}\n")
    doc = scan_text(tmp_path, NOTE, order, model=None)
    phones = [f for f in doc.findings if f.kind == "phone"]
    assert phones and all(f.severity == "block" for f in phones)
    assert not {"postcode", "address"} & kinds(doc)
    assert doc.status == "blocked"


def test_order_items_are_not_reported_twice_as_generic(tmp_path: Path) -> None:
    order = redactguard.parse_order(
        'redactguard: 1\ncase: X\nprotected:\n  - {id: p, kind: phone, value: "07700 900123"}\n'
    )
    doc = scan_text(tmp_path, NOTE, order, model=None)
    phones = [f for f in doc.findings if f.kind == "phone"]
    assert [(f.item, f.severity) for f in phones] == [("p", "block")]


def test_allow_suppresses_generic_findings(tmp_path: Path) -> None:
    order = redactguard.parse_order('redactguard: 1\ncase: X\nallow: ["Greenfield Primary School"]\n')
    doc = scan_text(tmp_path, NOTE, order, model=None)
    assert "institution" not in kinds(doc)


def test_parties_named_in_the_order_are_not_reported_as_persons(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")  # a pipeline that surely tags the name, so the test cannot pass idly
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "PERSON", "pattern": [{"LOWER": "daniel"}, {"LOWER": "okafor"}]}]
    )
    nlp.to_disk(tmp_path / "names")
    text = "Daniel Okafor attended.\n"  # names asked for (they are off alone by default): parties' still are not
    without = redactguard.parse_order("redactguard: 1\ncase: X\ngeneric: {person: review}\n")
    named = redactguard.parse_order(
        "redactguard: 1\ncase: X\ngeneric: {person: review}\nparties:\n  partner: {role: other, name: Daniel Okafor}\n"
    )
    assert "person" in kinds(scan_text(tmp_path, text, without, model=str(tmp_path / "names")))
    assert "person" not in kinds(scan_text(tmp_path, text, named, model=str(tmp_path / "names")))


def test_model_none_loads_no_spacy_pipeline(tmp_path: Path) -> None:
    scanner = redactguard.Scanner(options=redactguard.ScanOptions(model=None))
    scanner.scan_bytes(NOTE.encode(), "note.txt")
    generic = scanner.detectors[-1]
    assert generic._nlp is None


def test_another_spacy_pipeline_can_be_given_by_path(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": [{"LOWER": "okafor"}]}])
    nlp.to_disk(tmp_path / "mini")
    doc = scan_text(tmp_path, NOTE, model=str(tmp_path / "mini"))
    assert any(f.kind == "person" and f.match == "model" and f.detector == "model" for f in doc.findings)


def test_a_missing_model_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(redactguard.UsageError):
        scan_text(tmp_path, NOTE, model=str(tmp_path / "nowhere"))
    path = tmp_path / "note.txt"
    result = CliRunner().invoke(main, ["scan", str(path), "--model", str(tmp_path / "nowhere")])
    assert result.exit_code == 2


def test_users_own_presidio_recognizer_runs(tmp_path: Path) -> None:
    case_ref = PatternRecognizer(
        supported_entity="CASE_REF", patterns=[Pattern("case ref", r"\bZW\d{2}C\d{5}\b", 0.9)]
    )
    doc = scan_text(tmp_path, "Case ZW24C00123 listed.\n", model=None, recognizers=[case_ref])
    assert [(f.kind, f.severity) for f in doc.findings] == [("case-ref", "review")]


def test_generic_findings_never_show_the_value(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(path), "--format", "json"])
    report = json.loads(result.stdout)
    assert report["summary"]["findings"] >= 6
    flat = result.stdout + result.stderr
    for value in VALUES:
        assert value not in flat
        assert value.replace(" ", "") not in flat.replace(" ", "")


def test_a_partys_surname_with_a_title_is_not_a_generic_person(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "PERSON", "pattern": [{"LOWER": "mr"}, {"LOWER": "okafor"}]},
         {"label": "PERSON", "pattern": [{"LOWER": "ms"}, {"LOWER": "patel"}]}]
    )
    nlp.to_disk(tmp_path / "titles")
    named = redactguard.parse_order(
        "redactguard: 1\ncase: X\ngeneric: {person: review}\nparties:\n  partner: {role: other, name: Daniel Okafor}\n"
    )
    doc = scan_text(tmp_path, "Mr Okafor met Ms Patel.\n", named, model=str(tmp_path / "titles"))
    assert [f.kind for f in doc.findings] == ["person"]  # Ms Patel only


@pytest.mark.parametrize("text, address", [
    ("Flat 2, 14 Cherry Tree Road", True),
    ("27 Willow Crescent", True),
    ("Rose Cottage, Otley", True),
    ("Heol y Felin, Caerdydd", True),
    ("Leeds LS6 3EX", True),
    ("60 Layoff Permanent", False),
    ("4th Edition", False),
    ("Management Review", False),
    ("11 Main LLC San Mateo 35 Closure Permanent", False),
])
def test_a_model_address_needs_what_an_address_is_made_of(text: str, address: bool) -> None:
    """What the model calls an address is reported only with a postcode, a street type or a
    house word: on the corpus nine in ten of its guesses were a number before capitals."""
    from redactguard.detectors.generic import looks_like_address

    assert looks_like_address(text) is address
