"""OpenDocument: every hiding place of fixtures/odf (LibreOffice's own files) found where it is.

The table is fixtures/odf/MANIFEST.tsv (built by fixtures/build_odf.py): each file holds one
protected value of the sample order in one place, or is a negative control. The other tests
change a real package in one way each (a DTD, macros, a vector picture, an embedded object).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

import redactguard
from redactguard.readers.base import ReadContext, read_document
from redactguard.readers.opendocument_schema import cell_ref
from redactguard.vocabulary import OcrMode

REPO = Path(__file__).resolve().parents[2]
ODF = REPO / "fixtures" / "odf"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
ROWS = list(csv.DictReader((ODF / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
HIDDEN = [r for r in ROWS if r["expected_item"] not in ("none",) and not r["expected_item"].startswith("problem:")]
CLEAN = [r for r in ROWS if r["expected_item"] == "none"]


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    order = redactguard.load_order(ORDER)
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=True, model=None))


def scan_bytes(scanner: redactguard.Scanner, data: bytes, name: str) -> redactguard.DocumentResult:
    return scanner.scan_bytes(data, name)


def expected_location(row: dict[str, str]) -> dict[str, object]:
    out: dict[str, object] = {"part": row["expected_part"]}
    for key in ("page", "sheet"):
        if row[key]:
            out[key] = int(row[key])
    if row["cell"]:
        out["cell"] = row["cell"]
    if row["field"]:
        out["field"] = row["field"]
    return out


def without_box(location: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in location.items() if k not in ("bbox", "image")}


@pytest.mark.parametrize("row", HIDDEN, ids=[r["file"] for r in HIDDEN])
def test_every_hiding_place_is_found_where_it_is(scanner: redactguard.Scanner, row: dict[str, str]) -> None:
    result = scan_bytes(scanner, (ODF / row["file"]).read_bytes(), row["file"])

    assert result.status == "blocked"
    assert not result.problems
    located = [without_box(f.location.to_dict()) for f in result.findings if f.item == row["expected_item"]]
    assert expected_location(row) in located
    # nothing else is withheld: the value hides in one place (the thumbnail may show it too)
    assert {f.item for f in result.findings if f.item} == {row["expected_item"]}


@pytest.mark.parametrize("row", CLEAN, ids=[r["file"] for r in CLEAN])
def test_negative_controls_are_clean(scanner: redactguard.Scanner, row: dict[str, str]) -> None:
    result = scan_bytes(scanner, (ODF / row["file"]).read_bytes(), row["file"])

    assert result.status == "clean", [(f.kind, f.location.to_dict()) for f in result.findings]


def test_an_encrypted_package_is_encrypted(scanner: redactguard.Scanner) -> None:
    result = scan_bytes(scanner, (ODF / "odt-encrypted.odt").read_bytes(), "odt-encrypted.odt")

    assert result.status == "unreadable"
    assert [p.code for p in result.problems] == ["encrypted"]


def test_a_type_is_told_by_its_mimetype_templates_too() -> None:
    from redactguard.readers.sniff import sniff

    kinds = {r["file"]: sniff((ODF / r["file"]).read_bytes()) for r in ROWS}
    assert kinds["odt-template.ott"] == "odt" and kinds["ods-template.ots"] == "ods"
    assert {kinds[r["file"]] for r in ROWS} == {"odt", "ods", "odp"}


def test_a_slide_deck_has_its_slides_as_pages() -> None:
    ctx = ReadContext(name="odp-slide.odp", ocr=OcrMode.NEVER)
    list(read_document((ODF / "odp-slide.odp").read_bytes(), ctx))

    assert ctx.pages == 3


@pytest.mark.parametrize(("column", "row", "ref"), [(0, 0, "A1"), (25, 9, "Z10"), (26, 0, "AA1"), (701, 1, "ZZ2"), (702, 0, "AAA1"), (16383, 1048575, "XFD1048576")])
def test_cell_references(column: int, row: int, ref: str) -> None:
    assert cell_ref(column, row) == ref


# ----------------------------------------------------------------------------- changed packages


def repacked(source: str, replace: dict[str, bytes | None]) -> bytes:
    """A fixture with members replaced, added or (None) removed; `mimetype` stays first."""
    with zipfile.ZipFile(ODF / source) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    for name, data in replace.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in sorted(members.items(), key=lambda m: m[0] != "mimetype"):
            zout.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def member(source: str, name: str) -> bytes:
    with zipfile.ZipFile(ODF / source) as zf:
        return zf.read(name)


def read(data: bytes) -> tuple[list, list]:
    ctx = ReadContext(name="t.odt")
    segments = list(read_document(data, ctx))
    return segments, ctx.problems


def test_a_part_that_declares_a_dtd_fails_closed_and_its_entities_are_not_expanded() -> None:
    hostile = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "14 Cherry Tree Road">]>'
               + member("odt-clean.odt", "content.xml").split(b"?>", 1)[1].replace(b"Contact is supervised", b"&a; is supervised"))
    segments, problems = read(repacked("odt-clean.odt", {"content.xml": hostile}))

    assert [p.code for p in problems] == ["unsupported_part"]
    assert "DOCX" not in problems[0].message
    assert not any("Cherry" in s.text for s in segments)


def test_a_damaged_content_part_is_corrupt(scanner: redactguard.Scanner) -> None:
    content = member("odt-body.odt", "content.xml")
    result = scan_bytes(scanner, repacked("odt-body.odt", {"content.xml": content[: len(content) // 2]}), "cut.odt")

    assert result.status == "unreadable"
    assert "corrupt" in [p.code for p in result.problems]


def test_a_package_without_content_is_corrupt() -> None:
    _, problems = read(repacked("odt-body.odt", {"content.xml": None}))

    assert [p.code for p in problems] == ["corrupt"]


def test_macros_fail_closed() -> None:
    module = b'<?xml version="1.0"?><script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1">Sub Main\nEnd Sub</script:module>'
    _, problems = read(repacked("odt-clean.odt", {"Basic/Standard/Module1.xml": module}))

    assert [p.code for p in problems] == ["unsupported_part"]
    assert "macros" in problems[0].message


@pytest.mark.parametrize("name, head", [
    ("Pictures/logo.svm", b"VCLMTF\x01\x00"),
    ("ObjectReplacements/Object 1", b"VCLMTF\x01\x00"),
], ids=["svm", "object-replacement"])
def test_a_starview_picture_is_read_as_libreoffice_draws_it(name: str, head: bytes) -> None:
    """An SVM whose records are junk is drawn by LibreOffice (the only program that shows SVM)
    as an empty picture: nothing to read, and no problem. The chart fixture holds the real case."""
    segments, problems = read(repacked("odt-clean.odt", {name: head + b"\x00" * 64}))

    assert problems == []
    assert not [s for s in segments if s.location.image == name and s.text.strip()]


def test_without_libreoffice_a_starview_picture_fails_closed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no soffice on it
    _, problems = read((ODF / "ods-chart.ods").read_bytes())

    assert [(p.code, p.location.image if p.location else None) for p in problems] == [
        ("unsupported_part", "ObjectReplacements/Object 1")]
    assert "LibreOffice is not installed" in problems[0].message


def test_a_windows_metafile_picture_is_read_by_its_text_records(scanner: redactguard.Scanner) -> None:
    wmf = (REPO / "fixtures" / "embedded" / "address.wmf").read_bytes()
    result = scan_bytes(scanner, repacked("odt-clean.odt", {"Pictures/drawing.wmf": wmf}), "wmf.odt")

    assert {(f.item, f.location.part, f.location.image) for f in result.findings} == {
        ("applicant-address", "image", "Pictures/drawing.wmf"),
    }
    assert not result.problems


def test_an_embedded_objects_subdocument_is_read_with_its_folder() -> None:
    """A chart, formula or other document embedded by LibreOffice is a folder ("Object 1/")
    with its own content.xml and styles.xml."""
    data = repacked("odt-clean.odt", {
        "Object 1/content.xml": member("ods-split-cells.ods", "content.xml"),
        "Object 1/styles.xml": member("ods-split-cells.ods", "styles.xml"),
    })
    segments, problems = read(data)

    assert problems == []
    cells = [s for s in segments if "Cherry" in s.text]
    assert [(s.location.part, s.location.detail, s.location.sheet, s.location.cell) for s in cells] == [
        ("body", "Object 1", 1, "B3"),
    ]


def test_an_embedded_binary_object_is_read_as_an_attachment(scanner: redactguard.Scanner) -> None:
    result = scan_bytes(scanner, repacked("odt-clean.odt", {"Object 2": b"Mobile 07700 900461\n"}), "object.odt")

    assert [(f.item, f.location.part, f.location.attachment) for f in result.findings] == [("applicant-phone", "attachment", "Object 2")]


def test_an_embedded_ole_object_that_cannot_be_read_fails_closed() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    _, problems = read(repacked("odt-clean.odt", {"Object 2": ole}))

    assert [p.location.attachment if p.location else None for p in problems] == ["Object 2"]
    assert problems[0].code in ("unsupported_part", "corrupt")


def test_settings_strings_are_read(scanner: redactguard.Scanner) -> None:
    """settings.xml can name the printer (often a person's or an office's) and data sources."""
    settings = member("odt-clean.odt", "settings.xml").replace(
        b'config:name="PrinterName" config:type="string"/>',
        b'config:name="PrinterName" config:type="string">Printer at 14 Cherry Tree Road, Headingley, Leeds LS6 3EX</config:config-item>')
    result = scan_bytes(scanner, repacked("odt-clean.odt", {"settings.xml": settings}), "printer.odt")

    assert {(f.item, f.location.describe()) for f in result.findings} == {("applicant-address", "metadata (settings:PrinterName)")}


def test_bookmark_names_are_read_without_splitting_the_paragraph(scanner: redactguard.Scanner) -> None:
    """A bookmark inside a sentence is metadata of its own; the words around it still match."""
    content = member("odt-clean.odt", "content.xml").replace(
        b"Contact is supervised at the family centre.",
        b'Contact at Flat 2, 14 Cherry <text:bookmark text:name="Mobile 07700 900461"/>Tree Road, Headingley, Leeds LS6 3EX.')
    result = scan_bytes(scanner, repacked("odt-clean.odt", {"content.xml": content}), "bookmark.odt")

    assert {(f.item, f.location.describe()) for f in result.findings} == {
        ("applicant-address", "body"), ("applicant-phone", "metadata (name)"),
    }


def test_problem_messages_hold_no_document_text() -> None:
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "Cherry">]><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
    _, problems = read(repacked("odt-clean.odt", {"content.xml": hostile, "Object 2": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504}))

    assert problems and not any("Cherry" in p.message for p in problems)


def test_rows_repeated_a_million_times_count_without_being_walked(scanner: redactguard.Scanner) -> None:
    """LibreOffice writes the empty rest of a sheet as one row repeated (1,048,576 rows in all):
    references count it, and reading does not walk it row by row."""
    content = member("ods-split-cells.ods", "content.xml").replace(
        b"<table:table-row table:style-name=\"ro1\"><table:table-cell office:value-type=\"string\" calcext:value-type=\"string\"><text:p>13/01/2025",
        b"<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
        b"<table:table-row table:style-name=\"ro1\"><table:table-cell office:value-type=\"string\" calcext:value-type=\"string\"><text:p>13/01/2025")
    result = scan_bytes(scanner, repacked("ods-split-cells.ods", {"content.xml": content}), "long.ods")

    assert {(f.item, f.location.describe()) for f in result.findings} == {("applicant-address", "sheet 1 B1048003 body")}


def test_form_control_values_are_form_fields(scanner: redactguard.Scanner) -> None:
    content = member("odt-clean.odt", "content.xml").replace(
        b"<text:sequence-decls>",
        b'<office:forms><form:form form:name="Form"><form:text form:name="Phone" form:id="c1" form:current-value="07700 900461"/>'
        b"</form:form></office:forms><text:sequence-decls>")
    content = content.replace(b"<office:document-content ", b'<office:document-content xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" ', 1) \
        if b"xmlns:form=" not in content else content
    result = scan_bytes(scanner, repacked("odt-clean.odt", {"content.xml": content}), "form.odt")

    assert {(f.item, f.location.describe()) for f in result.findings} == {("applicant-phone", "form-field (form)")}


def test_a_covered_cell_keeps_its_column_and_its_text_is_hidden(scanner: redactguard.Scanner) -> None:
    """A merge covers C3: LibreOffice keeps what was typed there, shown by nothing."""
    content = member("ods-split-cells.ods", "content.xml").replace(
        b'<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Flat 2,',
        b'<table:table-cell table:number-columns-spanned="2" office:value-type="string" calcext:value-type="string"><text:p>Flat 2,',
    ).replace(
        b'<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Headingley, Leeds LS6 3EX</text:p></table:table-cell>',
        b'<table:covered-table-cell office:value-type="string"><text:p>Mobile 07700 900461</text:p></table:covered-table-cell>'
        b'<table:table-cell office:value-type="string"><text:p>Leeds</text:p></table:table-cell>',
    )
    result = scan_bytes(scanner, repacked("ods-split-cells.ods", {"content.xml": content}), "merged.ods")

    assert {f.location.describe() for f in result.findings if f.item == "applicant-phone"} == {"sheet 1 C3 hidden-text"}
