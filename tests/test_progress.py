"""The progress bar goes to stderr: with stdout redirected, the report file holds the report alone.

Run as a user would: a real process whose stderr is a terminal (a pseudo-terminal here), so the
bar is drawn, and whose stdout is a file.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_scan_to_a_file_with_a_progress_bar_on_the_terminal_gives_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    terminal, other_end = pty.openpty()
    with out.open("wb") as stdout:
        proc = subprocess.run(
            [sys.executable, "-m", "redactguard", "scan", str(ROOT / "fixtures" / "sample-case" / "bundle"),
             "--order", str(ROOT / "fixtures" / "sample-case" / "order.yaml"), "--recipient", "respondent",
             "--no-generic", "--format", "json"],
            stdout=stdout, stderr=other_end, stdin=subprocess.DEVNULL, timeout=300,
            env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
        )
    os.close(other_end)
    drawn = b""
    try:
        while chunk := os.read(terminal, 65536):
            drawn += chunk
    except OSError:  # the other end is closed: all read
        pass
    os.close(terminal)

    assert proc.returncode == 1  # the sample case is blocked for the respondent
    report = json.loads(out.read_text(encoding="utf-8"))  # nothing but the report
    assert report["summary"]["blocked"] >= 1
    assert b"scanning" in drawn  # the bar was drawn, on the terminal
