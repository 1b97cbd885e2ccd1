"""`redactguard redact` (contract §3): never modifies inputs, refuses to overwrite, writes
atomically, verifies before keeping, and its exit codes."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import redactguard
from redactguard.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "fixtures" / "sample-case"
ORDER = SAMPLE / "order.yaml"
NOTE = SAMPLE / "bundle" / "contact-note.txt"
REPORT = SAMPLE / "bundle" / "social-work-report.docx"


def run(*args: object) -> object:
    return CliRunner().invoke(main, ["redact", *map(str, args)], catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_a_verified_copy_and_a_masked_log(tmp_path: Path) -> None:
    before = digest(NOTE)
    out = tmp_path / "note.txt"
    result = run(NOTE, "--order", ORDER, "--recipient", "respondent", "--output", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "[WITHHELD]" in text and "900 461" not in text and "Example.org" not in text
    assert digest(NOTE) == before
    log = json.loads((tmp_path / "note.txt.redaction.json").read_text())
    assert log["status"] == "written" and len(log["removed"]) == 2
    assert log["input_sha256"] == before and log["output_sha256"] == digest(out)
    flat = json.dumps(log)
    for value in ("07700", "900461", "900 461", "ashworth.home"):
        assert value not in flat.lower()
    assert not list(tmp_path.glob(".redactguard-*")), "temporary files left behind"


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "note.txt"
    out.write_text("already here", encoding="utf-8")
    result = run(NOTE, "--order", ORDER, "--recipient", "respondent", "--output", out)
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "already here"
    result = run(NOTE, "--order", ORDER, "--recipient", "respondent", "--output", out, "--force")
    assert result.exit_code == 0
    assert "[WITHHELD]" in out.read_text(encoding="utf-8")


def test_output_dir_for_a_folder_keeps_relative_paths(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(NOTE, bundle / "note.txt")
    shutil.copy(REPORT, bundle / "report.docx")
    result = run(bundle, "--order", ORDER, "--recipient", "respondent", "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "bundle" / "note.txt").exists()
    assert (tmp_path / "out" / "bundle" / "report.docx").exists()


def test_recipient_who_may_see_everything_gets_an_unchanged_text(tmp_path: Path) -> None:
    out = tmp_path / "note.txt"
    result = run(NOTE, "--order", ORDER, "--recipient", "court", "--output", out)
    assert result.exit_code == 0
    assert out.read_bytes() == NOTE.read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--recipient", "respondent"], id="no-output"),
        pytest.param(["--recipient", "respondent", "--output", "a", "--output-dir", "b"], id="both-outputs"),
        pytest.param(["--recipient", "nobody", "--output", "x.txt"], id="unknown-recipient"),
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["redact", str(NOTE), "--order", str(ORDER), *[str(tmp_path / a) if a in ("a", "b", "x.txt") else a for a in args]])
    assert result.exit_code == 2


def test_an_unreadable_input_is_exit_3_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    result = run(REPO / "fixtures" / "files" / "encrypted.pdf", "--order", ORDER, "--recipient", "respondent", "--output", out)
    assert result.exit_code == 3
    assert not out.exists()


def test_a_format_that_is_read_but_not_redacted_is_refused_with_exit_2_and_nothing_written(tmp_path: Path) -> None:
    """Issue [11]: RTF (like .doc, .xls, .ppt, .pptx, .msg) is checked by `scan` but `redact`
    writes nothing for it and names the format to convert to, before touching any other input."""
    rtf = tmp_path / "in" / "statement.rtf"
    rtf.parent.mkdir()
    shutil.copy(REPO / "fixtures" / "markup" / "word-style.rtf", rtf)
    shutil.copy(NOTE, rtf.parent / "note.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["redact", str(rtf.parent), "--order", str(ORDER), "--recipient", "respondent",
                                       "--output-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert "statement.rtf" in result.output and "convert it to DOCX" in result.output
    assert not out.exists(), "a refused run leaves nothing behind"


def test_withheld_text_that_cannot_be_removed_is_exit_1_and_nothing_is_kept(tmp_path: Path) -> None:
    """A DOCX whose embedded binary object holds the phone: it cannot be cleaned inside."""
    buf = io.BytesIO()
    with zipfile.ZipFile(REPORT) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("word/embeddings/oleObject9.bin", b"\xd0\xcf\x11\xe0 opaque Tel 07700 900461 \x00\x01")
    src = tmp_path / "with-object.docx"
    src.write_bytes(buf.getvalue())
    out = tmp_path / "out.docx"
    result = run(src, "--order", ORDER, "--recipient", "respondent", "--output", out)
    assert result.exit_code in (1, 3)
    assert not out.exists()
    assert not list(tmp_path.glob(".redactguard-*"))


def test_library_api(tmp_path: Path) -> None:
    report = redactguard.redact([NOTE], ORDER, "respondent", output_dir=tmp_path)
    assert report.exit_code() == 0
    (doc,) = report.documents
    assert doc.status == "written" and Path(doc.output or "").exists()
    assert {r.item for r in doc.removals} == {"applicant-phone", "applicant-email"}
