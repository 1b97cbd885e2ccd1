"""Proposals made once per session from real files: the LibreOffice letter PDF (made by
fixtures/build_redaction.py with `soffice --convert-to pdf` from a DOCX holding the sample
address, phone and e-mail) and the sample case's DOCX report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import redactguard
from redactguard.proposals import propose

REPO = Path(__file__).resolve().parents[2]
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
LETTER = REPO / "fixtures" / "redaction" / "libreoffice-letter.pdf"
REPORT = REPO / "fixtures" / "sample-case" / "bundle" / "social-work-report.docx"
#: What the order withholds from the respondent in the two files, in the forms they hold.
VALUES = ("Cherry", "LS6 3EX", "07700", "900461", "ashworth.home", "St Mary")


@pytest.fixture(scope="session")
def proposals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The originals (copied) and their proposals: {"pdf", "docx", "pdf-original", "docx-original"}."""
    work = tmp_path_factory.mktemp("proposals")
    originals = work / "originals"
    originals.mkdir()
    for source in (LETTER, REPORT):
        shutil.copy(source, originals / source.name)
    report = propose([originals], redactguard.load_order(ORDER), "respondent", output_dir=work / "proposed")
    assert report.exit_code() == 0 and [d.status for d in report.documents] == ["written", "written"]
    folder = work / "proposed" / "originals"
    return {
        "pdf": folder / "libreoffice-letter.proposed.pdf", "docx": folder / "social-work-report.proposed.docx",
        "pdf-original": originals / LETTER.name, "docx-original": originals / REPORT.name,
    }
