"""ODT redaction on every hiding place of fixtures/odf: the value is gone from every member, the
verification finds no residue, and LibreOffice still opens the output and shows the rest."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import redactguard
from redactguard.redactors import Targets
from redactguard.redactors.opendocument import OdtRedactor
from redactguard.verify import verify_output

REPO = Path(__file__).resolve().parents[2]
ODF = REPO / "fixtures" / "odf"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
ROWS = [r for r in csv.DictReader((ODF / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
        if r["format"] == "odt" and r["expected_item"] != "none" and not r["expected_item"].startswith("problem:")]
#: Spellings and fragments of the sample order's values that must not survive anywhere.
FORBIDDEN = ["cherry tree", "ls6 3ex", "headingley", "07700 900461", "07700900461", "j.ashworth.home"]
HARMLESS = "Position statement for the hearing. Nothing further to add."


@pytest.fixture(scope="module")
def targets() -> Targets:
    order = redactguard.load_order(ORDER)
    return Targets(redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None)))


@pytest.fixture(scope="module")
def redacted(targets: Targets) -> dict[str, redactguard.redactors.RedactionResult]:
    return {row["file"]: OdtRedactor().redact((ODF / row["file"]).read_bytes(), targets) for row in ROWS}


def all_text(data: bytes) -> str:
    """Every member as lower-case text, with tags and without, spaces folded."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            raw = zf.read(name).decode("utf-8", "ignore")
            out.extend([re.sub(r"<[^>]+>", "", raw), raw])
    return re.sub(r"\s+", " ", " ".join(out).lower())


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_every_odt_hiding_place_is_redacted_and_verified(targets: Targets, redacted: dict, row: dict[str, str]) -> None:
    source = (ODF / row["file"]).read_bytes()
    before = hashlib.sha256(source).hexdigest()
    result = redacted[row["file"]]

    assert result.problems == []
    assert {r.item for r in result.removals} == {row["expected_item"]}
    assert row["expected_part"] in {r.location.part for r in result.removals}
    text = all_text(result.data)
    assert not [fragment for fragment in FORBIDDEN if fragment in text]
    assert verify_output(result.data, "odt", targets, row["file"]) == []
    assert hashlib.sha256((ODF / row["file"]).read_bytes()).hexdigest() == before


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_the_package_stays_an_odf_package(redacted: dict, row: dict[str, str]) -> None:
    """`mimetype` first and stored; the thumbnail (page one as it was) dropped with its manifest
    entry; every manifest entry a member."""
    with zipfile.ZipFile(io.BytesIO(redacted[row["file"]].data)) as zf:
        infos = zf.infolist()
        manifest = zf.read("META-INF/manifest.xml").decode()
        names = {i.filename for i in infos}
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert not any(n.startswith("Thumbnails/") for n in names)
    listed = set(re.findall(r'manifest:full-path="([^"]+)"', manifest)) - {"/"}
    assert {p for p in listed if not p.endswith("/")} <= names


def test_a_match_across_spans_keeps_the_formatting_around_it(redacted: dict) -> None:
    with zipfile.ZipFile(io.BytesIO(redacted["odt-body.odt"].data)) as zf:
        content = zf.read("content.xml").decode()
    assert "She now lives at [WITHHELD]" in content
    assert HARMLESS in content


def test_a_tracked_deletion_holding_the_value_is_removed_with_its_mark(redacted: dict) -> None:
    with zipfile.ZipFile(io.BytesIO(redacted["odt-tracked-deletion.odt"].data)) as zf:
        content = zf.read("content.xml").decode()
    assert "text:deletion" not in content and "text:change " not in content and "<text:change/" not in content
    assert "The mother lives nearby." in re.sub(r"<[^>]+>", "", content)


def test_a_clean_document_loses_nothing_but_its_thumbnail(targets: Targets) -> None:
    source = (ODF / "odt-clean.odt").read_bytes()
    result = OdtRedactor().redact(source, targets)

    assert result.removals == [] and result.problems == []
    with zipfile.ZipFile(io.BytesIO(source)) as before, zipfile.ZipFile(io.BytesIO(result.data)) as after:
        assert set(before.namelist()) - set(after.namelist()) == {"Thumbnails/thumbnail.png"}
        assert before.read("content.xml") == after.read("content.xml")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_every_output_without_the_value(redacted: dict, tmp_path: Path) -> None:
    """`soffice --convert-to pdf` of each output succeeds; poppler's text of it keeps the
    harmless sentence and has no protected value."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    for name, result in redacted.items():
        (tmp_path / name).write_bytes(result.data)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *[str(tmp_path / n) for n in redacted]],
                   check=True, capture_output=True, timeout=600)
    for name in redacted:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert pdf.exists(), name
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
        flat = " ".join(text.split())
        assert HARMLESS in flat, name
        assert not [fragment for fragment in FORBIDDEN if fragment in flat.lower()], name
