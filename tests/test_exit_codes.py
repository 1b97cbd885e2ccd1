"""Contract §3's exit-code table, end to end: the installed command in a process of its own.

Each row is a folder of real fixture files (or a bad invocation) and the code the shell sees.
The in-process CLI tests cover the same rules in more detail; this proves the process exit status.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
ORDER = FIXTURES / "sample-case" / "order.yaml"

BLOCKED = FIXTURES / "files" / "plain.txt"  # the phone, withheld from the respondent
CLEAN = FIXTURES / "sample-case" / "bundle" / "court-directions.pdf"
UNREADABLE = FIXTURES / "files" / "encrypted.pdf"
CORRUPT = FIXTURES / "files" / "truncated.pdf"
UNSUPPORTED = FIXTURES / "files" / "unsupported.bin"


def redactguard(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "redactguard", *map(str, args)], capture_output=True, text=True, timeout=300, cwd=cwd,
    )


@pytest.mark.parametrize(
    "files, code",
    [
        pytest.param([CLEAN], 0, id="clean-only-0"),
        pytest.param([CLEAN, FIXTURES / "sample-case" / "bundle" / "contact-note.txt"], 1, id="clean+blocked-1"),
        pytest.param([BLOCKED, UNREADABLE, CLEAN], 1, id="blocked+unreadable+clean-1"),
        pytest.param([UNREADABLE, CLEAN], 3, id="unreadable+clean-3"),
        pytest.param([CORRUPT, UNSUPPORTED, CLEAN], 3, id="corrupt+unsupported+clean-3"),
        pytest.param([UNREADABLE], 3, id="unreadable-only-3"),
    ],
)
def test_scan_of_a_mixed_folder(files: list[Path], code: int, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    for f in files:
        shutil.copy2(f, folder / f.name)

    done = redactguard("scan", folder, "--order", ORDER, "--recipient", "respondent", "--no-generic", "--format", "json")

    assert done.returncode == code, done.stderr
    import json

    report = json.loads(done.stdout)
    assert report["summary"]["documents"] == len(files)  # every document is in the report


@pytest.mark.parametrize(
    "args, says",
    [
        pytest.param(["scan", "{tmp}/missing"], "no such file", id="missing-path"),
        pytest.param(["scan", "{tmp}/empty"], "no documents", id="empty-folder"),
        pytest.param(["scan", "{clean}", "--order", "{tmp}/missing.yaml"], "order file not found", id="missing-order"),
        pytest.param(["scan", "{clean}", "--order", "{bad}"], "unknown key", id="bad-order"),
        pytest.param(["scan", "{clean}", "--order", "{order}", "--recipient", "father"], "unknown recipient", id="unknown-recipient"),
        pytest.param(["scan", "{clean}", "--recipient", "respondent"], "needs --order", id="recipient-without-order"),
        pytest.param(["scan", "{clean}", "--format", "pdf"], "Invalid value", id="bad-flag-value"),
        pytest.param(["scan", "{clean}", "--no-such-flag"], "No such option", id="unknown-flag"),
        pytest.param(["scan"], "Missing argument", id="no-path"),
        pytest.param(["redact", "{clean}", "--order", "{order}", "--recipient", "respondent"], "exactly one of", id="redact-without-output"),
        pytest.param(["order", "check", "{bad}"], "unknown key", id="order-check-bad"),
    ],
)
def test_usage_and_configuration_errors_are_2(args: list[str], says: str, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    bad = tmp_path / "bad.yaml"
    bad.write_text(ORDER.read_text(encoding="utf-8").replace("withhold_from", "withold_from", 1), encoding="utf-8")
    names = {"tmp": tmp_path, "clean": CLEAN, "order": ORDER, "bad": bad}

    done = redactguard(*[a.format(**names) for a in args])

    assert done.returncode == 2
    assert says in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    "files, code, kept",
    [
        pytest.param([FIXTURES / "sample-case" / "bundle" / "contact-note.txt", CLEAN], 0, 2, id="all-written-0"),
        pytest.param([FIXTURES / "sample-case" / "bundle" / "contact-note.txt", UNREADABLE], 3, 1, id="unreadable-input-3"),
    ],
)
def test_redact(files: list[Path], code: int, kept: int, tmp_path: Path) -> None:
    out = tmp_path / "out"

    done = redactguard("redact", *files, "--order", ORDER, "--recipient", "respondent", "--output-dir", out)

    assert done.returncode == code, done.stderr
    assert len([p for p in out.iterdir() if not p.name.endswith(".redaction.json")]) == kept


def test_order_check_of_a_valid_order_is_0() -> None:
    assert redactguard("order", "check", ORDER).returncode == 0


def test_the_whole_report_arrives_through_a_pipe() -> None:
    """A report on stdout arrives whole, however the process ends after writing it."""
    bundle = FIXTURES / "sample-case" / "bundle"
    done = redactguard("scan", bundle, "--order", ORDER, "--recipient", "respondent", "--no-progress",
                       "--format", "json")

    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert len(report["documents"]) >= len([p for p in bundle.iterdir() if p.is_file()])  # and members
    assert report["summary"]["blocked"] >= 1


def test_the_installed_command_is_cli_run() -> None:
    """pyproject's console script and `python -m redactguard` both run `cli.run`."""
    with open(REPO / "pyproject.toml", "rb") as handle:
        scripts = tomllib.load(handle)["project"]["scripts"]
    assert scripts == {"redactguard": "redactguard.cli:run"}
    done = subprocess.run([sys.executable, "-m", "redactguard", "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("redactguard, version ")
