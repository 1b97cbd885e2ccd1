"""One place per vocabulary (issue [15]): the report schema's enums are the code's own."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from redactguard.formats import FORMATS, REPORT_TYPES, find, load
from redactguard.readers.sniff import MARKUP_KINDS, sniff
from redactguard.verify import Checks
from redactguard.vocabulary import Match, Part, Severity

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _schema() -> dict:
    return json.loads(files("redactguard.report").joinpath("report.schema.json").read_text("utf-8"))


def test_the_schema_enums_are_the_vocabularies() -> None:
    defs = _schema()["$defs"]
    assert defs["document"]["properties"]["type"]["enum"] == list(REPORT_TYPES)
    assert defs["finding"]["properties"]["severity"]["enum"] == [Severity.BLOCK, Severity.REVIEW]
    assert set(defs["finding"]["properties"]["match"]["enum"]) == set(Match)
    assert set(defs["location"]["properties"]["part"]["enum"]) == set(Part)


def test_every_type_sniffed_from_the_fixtures_is_in_the_table() -> None:
    kinds = {sniff(p.read_bytes()) for p in FIXTURES.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert kinds <= set(FORMATS) and len(kinds) >= 6, kinds
    assert set(MARKUP_KINDS) <= set(FORMATS)


def test_every_reader_and_redactor_the_table_names_exists() -> None:
    for fmt in FORMATS.values():
        for ref in (fmt.reader, fmt.redactor):
            if ref is not None:
                assert callable(load(ref)), ref
        assert fmt.reader or fmt.unsupported, fmt.name  # a type nobody reads says why
        if fmt.redactor is not None:  # what is redacted is read back by a look of its own
            assert fmt.verifier is not None and isinstance(load(fmt.verifier), Checks), fmt.name
    assert find("no-such-type") is FORMATS["unknown"]
