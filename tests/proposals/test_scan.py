"""A proposal still holds every withheld value, so `scan` blocks it with the same items as the
original (issue [14])."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import redactguard
from redactguard.cli import main

from .conftest import ORDER


def blocked_items(path: Path) -> set[str]:
    report = redactguard.scan(path, ORDER, "respondent", generic=False, model=None)
    return {f.item for d in report.documents for f in d.findings if f.severity == "block" and f.item}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_scanning_a_proposal_blocks_it_with_every_withheld_item(proposals: dict[str, Path], kind: str) -> None:
    items = blocked_items(proposals[f"{kind}-original"])
    assert items and blocked_items(proposals[kind]) == items
    result = CliRunner().invoke(main, ["scan", str(proposals[kind]), "--order", str(ORDER), "--recipient", "respondent",
                                       "--model", "none"], catch_exceptions=False)
    assert result.exit_code == 1, result.output


def test_the_cli_says_proposals_are_for_internal_review_only(proposals: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["redact", str(proposals["pdf-original"]), "--order", str(ORDER), "--recipient",
                                       "respondent", "--propose", "--output-dir", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "internal review only" in result.output
    assert (tmp_path / "libreoffice-letter.proposed.pdf").exists() and (tmp_path / "libreoffice-letter.proposed.xfdf").exists()
    log = (tmp_path / "libreoffice-letter.proposed.pdf.proposal.json").read_text()
    assert "Cherry" not in log and "07700" not in log
