"""NEVER LOSE: inputs are never modified, and an interrupted write leaves nothing half-written.

Every command runs over copies of the fixtures whose bytes and timestamps are recorded before and
compared after. A `redact` killed with SIGKILL at the moment it writes (a hook in the child
process stops it between writing the temporary file and renaming it) leaves no file under the
final name, or the previous complete one with `--force`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
ORDER = FIXTURES / "sample-case" / "order.yaml"


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """path -> (sha256, mtime_ns, mode) for every file under root (links by their own stat)."""
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(root))] = (hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_mode)
        else:
            out[str(path.relative_to(root))] = ("", st.st_mtime_ns, st.st_mode)
    return out


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with the sample case, the vectors and the damaged files: every input kind."""
    root = tmp_path / "inputs"
    shutil.copytree(FIXTURES / "sample-case", root / "sample-case")
    shutil.copytree(FIXTURES / "files", root / "files")
    shutil.copytree(FIXTURES / "vectors", root / "vectors")
    os.chmod(root / "files" / "plain.txt", 0o444)  # a read-only input too
    return root


FILES = sorted(p.name for p in (FIXTURES / "files").iterdir())


def _commands(i: Path, out: Path) -> dict[str, list[Any]]:
    order = i / "sample-case" / "order.yaml"
    bundle = i / "sample-case" / "bundle"
    scan = ["scan", bundle, i / "files", i / "vectors", "--order", order, "--no-generic", "--jobs", "2"]
    return {
        **{f"scan-{fmt}": [*scan, "--format", fmt, "--output", out / f"report.{fmt}"] for fmt in ("text", "json", "sarif", "junit", "html")},
        "scan-recipient": [*scan, "--recipient", "respondent", "--write-baseline", out / "baseline.json"],
        "scan-no-order": ["scan", bundle, "--no-generic"],
        "redact-folder": ["redact", bundle, "--order", order, "--recipient", "respondent", "--output-dir", out / "redacted"],
        "redact-files": ["redact", *[i / "files" / n for n in FILES], "--order", order, "--recipient", "respondent", "--output-dir", out / "r2"],
        "redact-one": ["redact", bundle / "contact-note.txt", "--order", order, "--recipient", "respondent", "--output", out / "note.txt"],
        "redact-onto-itself": ["redact", bundle / "contact-note.txt", "--order", order, "--recipient", "respondent", "--output", bundle / "contact-note.txt", "--force"],
        "order-check": ["order", "check", order],
    }


COMMANDS = list(_commands(Path(), Path()))


@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_modifies_its_inputs(command: str, inputs: Path, tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(inputs)

    result = run_cli(*_commands(inputs, out)[command])

    assert result.exit_code in (0, 1, 2, 3)
    if command == "redact-onto-itself":
        assert result.exit_code == 2 and "is the input itself" in result.stderr
    assert snapshot(inputs) == before  # same files, same bytes, same times, same modes
    assert not [p for p in out.rglob("*") if p.name.startswith(".redactguard-")]  # no temporaries left


HOOK = textwrap.dedent(
    """
    import os, sys, time
    real_fsync = os.fsync
    def stop_here(fd):
        # the temporary file is written and not yet renamed: tell the parent, then wait to die
        os.write(1, b"MID-WRITE\\n")
        time.sleep(600)
    os.fsync = stop_here
    sys.argv = ["redactguard", *sys.argv[1:]]
    from redactguard.cli import main
    main()
    """
)


def _run_until_mid_write(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", HOOK, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the hook fires (or the process ends)
    assert line == b"MID-WRITE\n", (line, proc.stderr.read() if proc.stderr else b"")
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


@pytest.mark.parametrize("name", ["contact-note.txt", "police-letter.pdf", "social-work-report.docx"])
def test_redact_killed_mid_write_leaves_no_output_under_the_final_name(name: str, inputs: Path, tmp_path: Path) -> None:
    src = inputs / "sample-case" / "bundle" / name
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(inputs)

    _run_until_mid_write(["redact", str(src), "--order", str(ORDER), "--recipient", "respondent", "--output", str(out / name)], tmp_path)

    assert not (out / name).exists()
    assert not (out / (name + ".redaction.json")).exists()
    leftovers = list(out.glob(".redactguard-*.part"))
    assert len(leftovers) == 1  # proof that it really was killed mid-write
    assert snapshot(inputs) == before
    # the next run is not confused by the leftover and writes a complete, verified output
    from click.testing import CliRunner

    from redactguard.cli import main

    again = CliRunner().invoke(main, ["redact", str(src), "--order", str(ORDER), "--recipient", "respondent", "--output", str(out / name)])
    assert again.exit_code == 0, again.output
    assert (out / name).stat().st_size > 0


def test_redact_force_killed_mid_write_keeps_the_previous_output_whole(inputs: Path, tmp_path: Path) -> None:
    src = inputs / "sample-case" / "bundle" / "police-letter.pdf"
    target = tmp_path / "letter.pdf"
    previous = b"%PDF-1.4 the previous, complete output\n"
    target.write_bytes(previous)

    _run_until_mid_write(["redact", str(src), "--order", str(ORDER), "--recipient", "respondent", "--output", str(target), "--force"], tmp_path)

    assert target.read_bytes() == previous


def test_scan_report_killed_mid_write_leaves_no_report(inputs: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"

    _run_until_mid_write(
        ["scan", str(inputs / "sample-case" / "bundle"), "--order", str(ORDER), "--no-generic", "--format", "json", "--output", str(report)],
        tmp_path,
    )

    assert not report.exists()


def test_the_hook_stops_exactly_in_write_atomic(tmp_path: Path) -> None:
    """The test above proves something only if fsync is where write_atomic is between write and rename."""
    import inspect

    from redactguard import atomic

    source = inspect.getsource(atomic.write_atomic)
    assert source.index("fh.write(data)") < source.index("os.fsync(") < source.index("os.replace(")
