"""A document's name travels with it: a file, bundle member or attachment whose name gives away a
protected value is found like text in the document, and every report shows that name masked."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_run import _long_pdf

import redactguard
from redactguard.run import ProcessExecutor, SerialExecutor

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample-case"
ADDRESS_NAME = "14 Cherry Tree Rd - contact notes.txt"  # the order's `also` spelling
HARMLESS = "Nothing in this note is confidential.\n"


def _order() -> redactguard.Order:
    return redactguard.load_order(SAMPLE / "order.yaml")


def _scan(paths: list[Path], **kwargs: Any) -> redactguard.Report:
    return redactguard.scan(paths, _order(), "respondent", generic=False, model=None, **kwargs)


def _name_findings(doc: redactguard.DocumentResult) -> list[tuple[str | None, str, str | None]]:
    return [(f.item, f.location.leaf().part, f.location.leaf().detail) for f in doc.findings]


def test_a_file_named_with_a_protected_value_is_blocked_and_its_path_masked(tmp_path: Path) -> None:
    (tmp_path / ADDRESS_NAME).write_text(HARMLESS, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(HARMLESS, encoding="utf-8")

    report = _scan([tmp_path])

    named, plain = sorted(report.documents, key=lambda d: d.path.endswith("notes.txt"))
    assert named.status == "blocked"
    assert _name_findings(named) == [("applicant-address", "metadata", "file name")]
    assert "Cherry" not in named.path and named.path.endswith(" - contact notes.txt")
    assert "Cherry" not in named.findings[0].excerpt
    assert plain.status == "clean" and plain.path == str(tmp_path / "notes.txt")  # nothing to mask


def test_a_bundle_member_named_with_a_protected_value_is_blocked(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr(f"letters/{ADDRESS_NAME}", HARMLESS)
        zf.writestr("letters/other.txt", HARMLESS)

    report = _scan([bundle])

    assert [d.status for d in report.documents] == ["blocked", "clean"]
    named = report.documents[0]
    assert _name_findings(named) == [("applicant-address", "metadata", "file name")]
    assert named.path.startswith(str(bundle) + "!/letters/") and "Cherry" not in named.path


def _pdf_with_attachment(name: str, payload: bytes) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment(name, payload)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_attachment_named_with_a_protected_value_is_blocked_and_named_masked(tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(_pdf_with_attachment(ADDRESS_NAME, HARMLESS.encode()))

    (doc,) = _scan([pdf]).documents

    assert doc.status == "blocked"
    (finding,) = doc.findings
    assert finding.location.part == "attachment"
    assert finding.location.inner is not None and finding.location.inner.detail == "file name"
    assert finding.location.attachment is not None and "Cherry" not in finding.location.attachment
    assert finding.location.attachment.endswith(" - contact notes.txt")


def test_a_value_in_an_attachment_shows_the_attachment_masked_only_if_its_name_holds_one(tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(_pdf_with_attachment("contact-note.txt", b"Call 07700 900461"))

    (doc,) = _scan([pdf]).documents

    assert [(f.item, f.location.attachment) for f in doc.findings] == [("applicant-phone", "contact-note.txt")]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "html"])
def test_no_report_format_shows_the_name(
    fmt: str, tmp_path: Path, run_cli: Callable[..., Any], order_path: Path,
) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / ADDRESS_NAME).write_text(HARMLESS, encoding="utf-8")
    (folder / "letter.pdf").write_bytes(_pdf_with_attachment(ADDRESS_NAME, b"Call 07700 900461"))

    result = run_cli("scan", folder, "--order", order_path, "--recipient", "respondent", "--format", fmt, "--jobs", "1")

    assert result.exit_code == 1
    assert "cherry" not in result.stdout.casefold()
    assert "cherry" not in result.stderr.casefold()
    if fmt == "json":
        docs = json.loads(result.stdout)["documents"]
        assert sorted(d["status"] for d in docs) == ["blocked", "blocked"]


def test_a_big_pdf_in_page_ranges_reports_its_name_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every range masks the name; only the first reports it, as with the other document parts."""
    from redactguard import run

    pdf = tmp_path / "Letter to 14 Cherry Tree Rd.pdf"
    _long_pdf(pdf, 30)
    monkeypatch.setattr(run, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(run, "SPLIT_MIN_PAGES", 10)
    monkeypatch.setattr(run, "MIN_UNIT_PAGES", 5)

    serial = _scan([pdf], executor=SerialExecutor())
    pooled = _scan([pdf], executor=ProcessExecutor(jobs=2, timeout=120))

    assert serial.to_dict() == pooled.to_dict()
    (doc,) = pooled.documents
    assert [f for f in doc.findings if f.location.detail == "file name"] == [
        f for f in serial.documents[0].findings if f.location.detail == "file name"
    ]
    assert len([f for f in doc.findings if f.location.detail == "file name"]) == 1
    assert "Cherry" not in doc.path


def test_a_copy_named_with_a_withheld_value_is_never_written(tmp_path: Path, run_cli: Callable[..., Any], order_path: Path) -> None:
    """The copy's name would give the value away whatever it holds: a residue, no output, exit 1;
    the report shows the name masked. A harmless name beside it is redacted as usual."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / ADDRESS_NAME).write_text(HARMLESS, encoding="utf-8")
    (folder / "note.txt").write_text("Call 07700 900461\n", encoding="utf-8")
    out = tmp_path / "out"

    result = run_cli("redact", folder, "--order", order_path, "--recipient", "respondent", "--output-dir", out, "--format", "json")

    assert result.exit_code == 1
    assert "cherry" not in result.stdout.casefold()
    docs = {Path(d["input"]).name: d for d in json.loads(result.stdout)["documents"]}
    named = next(d for name, d in docs.items() if name != "note.txt")
    assert named["status"] == "failed" and named["output"] is None
    assert [(r["check"], r["item"]) for r in named["residues"]] == [("file name", "applicant-address")]
    assert docs["note.txt"]["status"] == "written"
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["note.txt", "note.txt.redaction.json"]


def test_a_folder_under_output_dir_named_with_a_withheld_value_is_never_written(tmp_path: Path) -> None:
    folder = tmp_path / "14 Cherry Tree Rd"
    folder.mkdir()
    (folder / "note.txt").write_text(HARMLESS, encoding="utf-8")

    report = redactguard.redact([folder], _order(), "respondent", output_dir=tmp_path / "out")

    (doc,) = report.documents
    assert doc.status == "failed" and "Cherry" not in doc.input
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.txt"))


def test_a_folder_named_with_a_protected_value_is_masked_but_does_not_block(tmp_path: Path, run_cli: Callable[..., Any], order_path: Path) -> None:
    """The folders a document was found in do not go with it, so they block nothing; a report
    still never shows one that names a value."""
    folder = tmp_path / "14 Cherry Tree Rd"
    folder.mkdir()
    (folder / "note.txt").write_text(HARMLESS, encoding="utf-8")

    (doc,) = _scan([folder]).documents
    assert doc.status == "clean" and doc.findings == ()
    assert doc.path.endswith("/note.txt") and "Cherry" not in doc.path

    result = run_cli("scan", folder, "--order", order_path, "--recipient", "respondent", "--format", "json", "--jobs", "1")
    assert result.exit_code == 0 and "cherry" not in result.stdout.casefold()
