"""XLSX redaction: every hiding place of the fixture workbooks cleaned, verified, still a
workbook openpyxl and LibreOffice open, and the harmless cells left as they were."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

import redactguard
from redactguard.redactors import Targets
from redactguard.redactors.xlsx import XlsxRedactor
from redactguard.verify import verify_output

REPO = Path(__file__).resolve().parents[2]
OFFICE = REPO / "fixtures" / "office"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
FORBIDDEN = ["cherry tree", "cherrytree", "ls6 3ex", "headingley", "07700 900461", "07700900461", "900461"]
WORKBOOKS = ["workbook-hiding-places.xlsx", "workbook-libreoffice.xlsx"]


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    order = redactguard.load_order(ORDER)
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))


@pytest.fixture(scope="module")
def targets(scanner: redactguard.Scanner) -> Targets:
    return Targets(scanner)


def all_text(data: bytes) -> str:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            raw = zf.read(name).decode("utf-8", "ignore")
            out.extend((raw, re.sub(r"<[^>]+>", "", raw)))
    return re.sub(r"\s+", " ", " ".join(out).lower())


@pytest.fixture(scope="module", params=WORKBOOKS)
def redacted(request: pytest.FixtureRequest, targets: Targets) -> tuple[str, bytes, object]:
    source = (OFFICE / request.param).read_bytes()
    return request.param, source, XlsxRedactor().redact(source, targets)


def test_every_hiding_place_is_cleaned_and_verified(redacted: tuple, scanner: redactguard.Scanner, targets: Targets) -> None:
    _, source, result = redacted
    assert result.problems == []
    assert {r.item for r in result.removals} == {"applicant-address", "applicant-phone"}
    text = all_text(result.data)
    for fragment in FORBIDDEN:
        assert fragment not in text, fragment
    assert scanner.scan_bytes(result.data, "out.xlsx").status == "clean"
    assert verify_output(result.data, "xlsx", targets) == []
    assert source != result.data


def test_harmless_cells_and_parts_are_unchanged(redacted: tuple, tmp_path: Path) -> None:
    name, source, result = redacted
    (tmp_path / "in.xlsx").write_bytes(source)
    (tmp_path / "out.xlsx").write_bytes(result.data)
    before = openpyxl.load_workbook(tmp_path / "in.xlsx")
    after = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert after.sheetnames == ["Contacts", "Old", "Archive", "Withheld 4"]
    for ref in ("A1", "B1", "A2", "A4", "A6", "A8", "A10"):
        assert after["Contacts"][ref].value == before["Contacts"][ref].value
    assert after["Contacts"]["B2"].value == "[WITHHELD]"
    assert after["Contacts"]["C4"].value in (None, "")  # the address's second half went with the first
    assert [r[0].value for r in after["Withheld 4"].iter_rows(max_col=1)] == ["Month", "Jan", "Feb"]


def test_a_shared_string_used_elsewhere_is_cut_only_where_withheld(targets: Targets, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "14 Cherry", "Tree Road, Headingley, Leeds LS6 3EX"
    ws["A5"] = "14 Cherry"  # the same shared string, on its own: not withheld here
    out = io.BytesIO()
    wb.save(out)
    result = XlsxRedactor().redact(out.getvalue(), targets)
    (tmp_path / "out.xlsx").write_bytes(result.data)
    after = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert after["A1"].value == "[WITHHELD]"
    assert after["A5"].value == "14 Cherry"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_redacted_workbook(redacted: tuple, tmp_path: Path) -> None:
    _, _, result = redacted
    src = tmp_path / "redacted.xlsx"
    src.write_bytes(result.data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "csv",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    csv_text = (tmp_path / "redacted.csv").read_text(encoding="utf-8", errors="replace")
    assert "Telephone,[WITHHELD]" in csv_text
