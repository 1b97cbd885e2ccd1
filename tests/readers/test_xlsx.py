"""XLSX reader: every hiding place of fixtures/office/MANIFEST.tsv found at its sheet and cell,
the negative control clean, hostile packages failing closed, and the real corpus read."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

import redactguard
from redactguard.document import PROBLEM_CODES, Segment
from redactguard.readers import ReadContext, read_document
from redactguard.readers.base import Limits
from redactguard.sources import collect
from redactguard.vocabulary import OcrMode

REPO = Path(__file__).resolve().parents[2]
OFFICE = REPO / "fixtures" / "office"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
CORPUS = Path("/work/shared/data/corpus")
ROWS = [r for r in csv.DictReader((OFFICE / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
        if r["file"].endswith(".xlsx") and r["item"] != "none"]


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    order = redactguard.load_order(ORDER)
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))


def scan(scanner: redactguard.Scanner, path: Path) -> redactguard.DocumentResult:
    (result,) = [scanner.scan_source(s) for s in collect([str(path)])]
    return result


def places(result: redactguard.DocumentResult) -> set[tuple[str, str, str, str, str]]:
    out = set()
    for f in result.findings:
        loc = f.location.to_dict()
        out.add((f.item, loc["part"], str(loc.get("sheet", "")), loc.get("cell", ""), loc.get("field", "")))
    return out


@pytest.fixture(scope="module")
def results(scanner: redactguard.Scanner) -> dict[str, redactguard.DocumentResult]:
    return {name: scan(scanner, OFFICE / name) for name in {r["file"] for r in ROWS}}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['file']}:{r['place']}" for r in ROWS])
def test_hiding_place_is_found_at_its_sheet_and_cell(results: dict, row: dict[str, str]) -> None:
    result = results[row["file"]]
    assert result.problems == ()
    assert result.status == "blocked"
    found = places(result)
    wanted = (row["item"], row["part"], row["sheet_or_page"], row["cell"])
    assert any(p[:4] == wanted and (not row["field"] or p[4] == row["field"]) for p in found)


def test_negative_control_is_clean(scanner: redactguard.Scanner) -> None:
    result = scan(scanner, OFFICE / "workbook-negative.xlsx")
    assert result.status == "clean"
    assert result.findings == () or list(result.findings) == []


def read(data: bytes, **limits: int) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="t.xlsx", limits=Limits(**limits), ocr=OcrMode.NEVER)
    return list(read_document(data, ctx, "xlsx")), ctx


def save(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_text_held_only_in_a_formula_literal_is_found(scanner: redactguard.Scanner, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["C3"] = '=CONCATENATE("14 Cherry Tree ","Road, Headingley")'  # no cached value at all
    path = tmp_path / "formula.xlsx"
    path.write_bytes(save(wb))
    result = scan(scanner, path)
    assert ("applicant-address", "body", "1", "C3", "formula") in places(result)


def test_cells_of_a_row_are_one_flow_and_keep_their_own_cells() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["A2"] = "left", "right", "below"
    segments, ctx = read(save(wb))
    cells = [s for s in segments if s.location.cell]
    assert ctx.problems == []
    assert [s.location.cell for s in cells] == ["A1", "B1", "A2"]
    assert len({s.flow for s in cells}) == 1


def test_hidden_sheet_row_and_column_cells_are_hidden_text() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A3"], ws["C1"] = "shown", "in a hidden row", "in a hidden column"
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["C"].hidden = True
    for state in ("hidden", "veryHidden"):
        sheet = wb.create_sheet(state)
        sheet["B2"] = "on a hidden sheet"
        sheet.sheet_state = state
    segments, _ = read(save(wb))
    parts = {(s.location.sheet, s.location.cell): s.location.part for s in segments if s.location.cell}
    assert parts == {(1, "A1"): "body", (1, "A3"): "hidden-text", (1, "C1"): "hidden-text",
                     (2, "B2"): "hidden-text", (3, "B2"): "hidden-text"}


def rebuilt(data: bytes, name: str, blob: bytes, *, store: bool = False) -> bytes:
    """The package with part `name` replaced (or added) by `blob`."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if store else zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != name:
                zout.writestr(info.filename, zin.read(info))
        zout.writestr(name, blob)
    return out.getvalue()


def plain_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "some text"
    return save(wb)


@pytest.mark.parametrize(("part", "blob", "limits", "code"), [
    ("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "14 Cherry Tree Road">]>'
     b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>', {}, "unsupported_part"),
    ("xl/worksheets/sheet1.xml", b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
     + b" " * 30_000_000 + b"<sheetData/></worksheet>", {"max_part_bytes": 10_000_000}, "limit_exceeded"),
    ("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
     + b"<si><t>filler text</t></si>" * 500_000 + b"</sst>", {"max_expanded_bytes": 5_000_000}, "limit_exceeded"),
    ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c", {}, "corrupt"),
    ("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros", {}, "unsupported_part"),
], ids=["DTD in a part", "zip bomb part", "huge sharedStrings", "truncated sheet", "macros"])
def test_hostile_workbook_fails_closed(part: str, blob: bytes, limits: dict, code: str) -> None:
    data = rebuilt(plain_workbook(), part, blob)
    if part == "xl/vbaProject.bin":
        data = rebuilt(data, "[Content_Types].xml", zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'))
    _, ctx = read(data, **limits)
    assert code in [p.code for p in ctx.problems]
    assert all("Cherry" not in p.message for p in ctx.problems)


def test_unknown_binary_part_fails_closed() -> None:
    data = rebuilt(plain_workbook(), "xl/mystery.dat", b"\x00\x01binary")
    _, ctx = read(data)
    assert [p.code for p in ctx.problems] == ["unsupported_part"]


def test_xlsb_fails_closed(scanner: redactguard.Scanner, tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    path = tmp_path / "book.xlsb"
    path.write_bytes(out.getvalue())
    result = scan(scanner, path)
    assert [p.code for p in result.problems] == ["unsupported_type"]
    assert result.status == "unreadable"


@pytest.mark.skipif(not (CORPUS / "xlsx").is_dir(), reason="the shared corpus (/work/shared/data/corpus) is absent")
def test_corpus_workbooks_read_without_crash() -> None:
    unreadable = 0
    for path in sorted((CORPUS / "xlsx").iterdir()):
        ctx = ReadContext(name=path.name, ocr=OcrMode.NEVER)
        list(read_document(path.read_bytes(), ctx, "xlsx"))
        assert all(p.code in PROBLEM_CODES for p in ctx.problems)
        assert not any("reader failed" in p.message for p in ctx.problems), path.name  # no reader bug
        unreadable += bool(ctx.problems)
    assert unreadable < 20
