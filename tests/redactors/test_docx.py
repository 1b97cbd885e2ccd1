"""DOCX redaction on every hiding place: the value is gone from every part, the rest stays."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

import redactguard
from redactguard.redactors import Targets
from redactguard.redactors.docx import DocxRedactor

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "fixtures" / "vectors"
SAMPLE = REPO / "fixtures" / "sample-case"
ROWS = [
    r for r in csv.DictReader((VECTORS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
    if r["format"] == "docx" and r["expected_item"] != "none"
]
#: Spellings and fragments of the vectors' protected values that must not survive anywhere.
FORBIDDEN = ["cherry tree", "cherrytree", "ls6 3ex", "ls63ex", "headingley", "j.ashworth.home", "ashworth.home"]


@pytest.fixture(scope="module")
def targets() -> Targets:
    order = redactguard.load_order(VECTORS / "order.yaml")
    return Targets(redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None)))


def all_text(data: bytes) -> str:
    """Every part of the package as lower-case text with tags removed and spaces folded."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            raw = zf.read(name).decode("utf-8", "ignore")
            out.append(re.sub(r"<[^>]+>", "", raw))
            out.append(raw)
    return re.sub(r"\s+", " ", " ".join(out).lower().replace("%40", "@"))


def visible_sentences(path: Path) -> list[str]:
    d = docx.Document(str(path))
    return [p.text.strip() for p in d.paragraphs if len(p.text.strip()) > 30]


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_every_docx_vector_is_redacted_everywhere(targets: Targets, row: dict[str, str], tmp_path: Path) -> None:
    src = VECTORS / row["file"]
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    result = DocxRedactor().redact(src.read_bytes(), targets)
    assert result.problems == []
    assert result.removals, "nothing was removed"
    assert {r.item for r in result.removals} == {row["expected_item"]}
    text = all_text(result.data)
    for fragment in FORBIDDEN:
        assert fragment not in text, fragment
    out = tmp_path / row["file"]
    out.write_bytes(result.data)
    docx.Document(str(out))  # still opens
    for sentence in visible_sentences(src):  # untouched sentences are still there
        if "cherry" not in sentence.lower() and "@" not in sentence:
            assert sentence in visible_sentences(out)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_tracked_deletion_with_withheld_text_is_removed_outright(targets: Targets) -> None:
    data = (VECTORS / "docx-tracked-deletion.docx").read_bytes()
    result = DocxRedactor().redact(data, targets)
    with zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        body = zf.read("word/document.xml").decode()
    assert "w:delText" not in body


def test_match_split_over_table_cells_keeps_the_cells(targets: Targets, tmp_path: Path) -> None:
    order = redactguard.load_order(SAMPLE / "order.yaml")
    t = Targets(redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None)))
    result = DocxRedactor().redact((SAMPLE / "bundle" / "social-work-report.docx").read_bytes(), t)
    out = tmp_path / "report.docx"
    out.write_bytes(result.data)
    rows = [[c.text for c in r.cells] for r in docx.Document(str(out)).tables[0].rows]
    assert rows[1][0] == "[WITHHELD]"
    assert "Tree Road" not in rows[1][1]
    assert len(rows[1]) == 4


def test_label_can_be_the_items_reason(tmp_path: Path) -> None:
    order = redactguard.load_order(SAMPLE / "order.yaml")
    t = Targets(redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None)), "reason")
    result = DocxRedactor().redact((SAMPLE / "bundle" / "social-work-report.docx").read_bytes(), t)
    assert "[withheld: fpr 29.1 / form c8]" in all_text(result.data)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_redacted_docx_converts_with_libreoffice(targets: Targets, tmp_path: Path) -> None:
    result = DocxRedactor().redact((VECTORS / "docx-textbox.docx").read_bytes(), targets)
    src = tmp_path / "out.docx"
    src.write_bytes(result.data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=120,
    )
    assert (tmp_path / "out.pdf").stat().st_size > 1000
