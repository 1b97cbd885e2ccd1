"""Markup is never read as plain text: each file of fixtures/markup/ is read properly or fails closed.

The corpus (built by fixtures/build_markup.py, listed in its MANIFEST.tsv) holds HTML, RTF, XML,
SVG, LaTeX and PostScript files, an HTML e-mail and a DOCX with HTML and RTF altChunks, each
with the sample case's values split by its own markup. Read raw, none of them would match and
every one would pass as clean: here each must be blocked with the right part, or fail closed
(exit 3), and the clean ones must give no finding at all, generic detection included.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import redactguard
from redactguard.document import DOCUMENT_TYPES
from redactguard.readers import ReadContext, read_document
from redactguard.readers.sniff import sniff

MARKUP = Path(__file__).resolve().parents[2] / "fixtures" / "markup"
SCHEMA = Path(redactguard.__file__).parent / "report" / "report.schema.json"
EXIT = {"blocked": 1, "unreadable": 3, "clean": 0}

scan = functools.partial(redactguard.scan, generic=False)


def _manifest() -> list[dict[str, str]]:
    with (MARKUP / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


ROWS = _manifest()
BLOCKED = [r for r in ROWS if r["expected"] == "blocked"]
FAILS_CLOSED = [r for r in ROWS if r["expected"] == "unreadable"]
CLEAN = [r for r in ROWS if r["expected"] == "clean"]


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["file"] for r in rows]


def test_manifest_lists_every_file_of_the_corpus() -> None:
    on_disk = {p.name for p in MARKUP.iterdir()} - {"MANIFEST.tsv"}

    assert {r["file"] for r in ROWS} == on_disk
    assert {r["kind"] for r in ROWS} >= {"html", "rtf", "xml", "svg", "latex"}


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_type_is_taken_from_the_markup(row: dict[str, str]) -> None:
    assert sniff((MARKUP / row["file"]).read_bytes()) == row["kind"]


@pytest.mark.parametrize("row", BLOCKED, ids=_ids(BLOCKED))
def test_values_split_by_markup_are_found_in_their_part(row: dict[str, str], order_path: Path) -> None:
    report = scan(MARKUP / row["file"], order_path, recipient="respondent")
    (doc,) = report.documents
    found = {(f.item, f.location.part) for f in doc.findings if f.severity == "block"}
    expected = {tuple(pair.split("@")) for pair in row["items"].split()}

    assert doc.status == "blocked"
    assert doc.problems == ()
    assert expected <= found


@pytest.mark.parametrize("row", FAILS_CLOSED, ids=_ids(FAILS_CLOSED))
def test_markup_without_a_reader_fails_closed(row: dict[str, str], order_path: Path) -> None:
    report = scan(MARKUP / row["file"], order_path, recipient="respondent")
    (doc,) = report.documents

    assert doc.status == "unreadable"
    assert [p.code for p in doc.problems] == [row["problem"]]
    assert "fails closed" in doc.problems[0].message


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_cli_exit_code(row: dict[str, str], order_path: Path, run_cli: Callable[..., Result]) -> None:
    result = run_cli("scan", MARKUP / row["file"], "--order", order_path, "--recipient", "respondent",
                     "--format", "json", "--no-progress")

    assert result.exit_code == EXIT[row["expected"]]
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["status"] == row["expected"]
    assert doc["type"] == (row["kind"] if row["kind"] in DOCUMENT_TYPES else "unknown")


@pytest.mark.parametrize("row", CLEAN, ids=_ids(CLEAN))
def test_clean_markup_gives_no_finding_even_generic(row: dict[str, str], order_path: Path, run_cli: Callable[..., Result]) -> None:
    """Negative controls: the allowed court address split by markup, style sheets, scripts,
    Word's tables and control words: nothing is taken for a person, an address or a value."""
    result = run_cli("scan", MARKUP / row["file"], "--order", order_path, "--recipient", "respondent",
                     "--format", "json", "--no-progress", generic=True)

    assert result.exit_code == 0
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["findings"] == []
    assert doc["status"] == "clean"


@pytest.mark.parametrize("name", ["word-style.rtf", "libreoffice.rtf"])
def test_rtf_markup_gives_no_generic_finding(name: str, order_path: Path) -> None:
    """Control words, font, colour and style tables, revision ids and the producer's name are
    not text: with generic detection on, every finding is one of the order's items."""
    report = redactguard.scan(MARKUP / name, order_path, recipient="respondent")
    (doc,) = report.documents

    assert doc.findings
    assert [f.kind for f in doc.findings if f.item is None] == []


def test_value_read_raw_would_not_match(order_path: Path) -> None:
    """The corpus is a real test: read as plain text, the HTML and RTF files would pass clean."""
    for name in ("contact-page.html", "word-style.rtf"):
        ctx = ReadContext(name=name)
        segments = list(read_document((MARKUP / name).read_bytes(), ctx, "text"))
        text = " ".join(" ".join(s.text for s in segments).split())
        assert "14 Cherry Tree Road" not in text


def test_redact_refuses_markup_it_cannot_rewrite(order_path: Path, tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    """Before, an HTML page went through the plain-text redactor; now redaction refuses it
    before writing anything, naming the format to convert to (issue [11]: exit 2)."""
    result = run_cli("redact", MARKUP / "contact-page.html", "--order", order_path, "--recipient", "respondent",
                     "--output", tmp_path / "out.html")

    assert result.exit_code == 2
    assert "convert it to PDF" in result.output
    assert not (tmp_path / "out.html").exists()


def test_report_schema_types_are_the_document_types() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))

    assert schema["$defs"]["document"]["properties"]["type"]["enum"] == list(DOCUMENT_TYPES)
