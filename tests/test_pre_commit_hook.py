"""The pre-commit hook as pre-commit runs it: its entry with the staged files' names appended."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "fixtures" / "sample-case"


@pytest.fixture(scope="module")
def hook() -> dict[str, object]:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def run_hook(hook: dict[str, object], *files: Path) -> subprocess.CompletedProcess[str]:
    entry = shlex.split(str(hook["entry"]))
    assert entry[0] == "redactguard"
    args = ["--order", str(CASE / "order.yaml"), "--recipient", "respondent", "--no-generic"]
    return subprocess.run([sys.executable, "-m", "redactguard", *entry[1:], *args, *map(str, files)],
                          capture_output=True, text=True, timeout=300)


def test_the_hook_takes_every_file_whatever_its_name(hook: dict[str, object]) -> None:
    assert hook["types"] == ["file"] and "files" not in hook and hook["pass_filenames"] is True


@pytest.mark.parametrize(
    "name", ["markup/word-style.rtf", "markup/contact-page.html", "files/renamed-pdf.txt"],
)
def test_documents_named_any_way_are_checked(hook: dict[str, object], name: str, tmp_path: Path) -> None:
    staged = ROOT / "fixtures" / name
    result = run_hook(hook, staged)
    assert result.returncode in (1, 0)
    assert "UNREADABLE" not in result.stdout


def test_a_document_with_a_withheld_value_refuses_the_commit(hook: dict[str, object]) -> None:
    result = run_hook(hook, ROOT / "fixtures" / "markup" / "word-style.rtf")
    assert result.returncode == 1 and "BLOCKED" in result.stdout


def test_a_binary_file_of_no_known_type_fails_closed(hook: dict[str, object], tmp_path: Path) -> None:
    """A staged file redactguard cannot read is not waved through: the commit is refused (exit 3)
    and the report says why; keep such files out of the hook with `exclude:`."""
    notes = tmp_path / "README.txt"
    notes.write_text("Bundle for the hearing on 14 March.\n", encoding="utf-8")
    result = run_hook(hook, ROOT / "fixtures" / "files" / "unsupported.bin", notes)
    assert result.returncode == 3
    assert "unsupported_type" in result.stdout
