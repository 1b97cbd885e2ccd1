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


def test_an_installed_package_adds_a_format_through_its_entry_point(tmp_path, monkeypatch) -> None:
    """A real distribution on sys.path (its dist-info with entry_points.txt), found by
    importlib.metadata as pip would install it: its type is sniffed first and read by its reader."""
    from redactguard import formats
    from redactguard.readers.base import ReadContext, read_document

    (tmp_path / "rg_plugin_demo.py").write_text(
        "from redactguard.document import Location, Segment\n"
        "from redactguard.formats import Format\n"
        "FORMAT = Format('demo', 'rg_plugin_demo:DemoReader', reported='demo', sniff='rg_plugin_demo:is_demo')\n"
        "def is_demo(data):\n"
        "    return data.startswith(b'DEMO1')\n"
        "class DemoReader:\n"
        "    type = 'demo'\n"
        "    def read(self, data, ctx):\n"
        "        yield Segment(data[5:].decode(), Location(part='body'))\n"
    )
    info = tmp_path / "rg_plugin_demo-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: rg-plugin-demo\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[redactguard.formats]\ndemo = rg_plugin_demo:FORMAT\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    formats.extra_formats.cache_clear()
    try:
        data = b"DEMO1 lives at 14 Cherry Tree Road"
        assert sniff(data) == "demo" and formats.report_type("demo") == "demo"
        assert sniff(b"%PDF-1.4\n") == "pdf"  # the built-in sniffing still answers for the rest
        ctx = ReadContext(name="x.demo")
        assert [s.text for s in read_document(data, ctx)] == [" lives at 14 Cherry Tree Road"]
    finally:
        formats.extra_formats.cache_clear()
