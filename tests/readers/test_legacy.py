"""Legacy Office files (.doc, .xls, .ppt), read through LibreOffice's OOXML twin.

The fixtures are LibreOffice's own Word 97, Excel 97 and PowerPoint 97 exports of documents
python-docx, openpyxl and flat ODF wrote (fixtures/build_legacy.py, fixtures/legacy/MANIFEST.tsv):
one protected value of the sample order in one hiding place each, and clean controls.
"""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest

import redactguard
from redactguard.readers import ReadContext, read_document
from redactguard.readers.convert import SOFFICE_HINT
from redactguard.sources import collect

REPO = Path(__file__).resolve().parents[2]
LEGACY = REPO / "fixtures" / "legacy"
ROWS = list(csv.DictReader((LEGACY / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
CORPUS = REPO.parent / "shared" / "data" / "corpus"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    order = redactguard.load_order(REPO / "fixtures" / "sample-case" / "order.yaml")
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))


def _result(scanner: redactguard.Scanner, path: Path) -> redactguard.DocumentResult:
    (result,) = [scanner.scan_source(source) for source in collect([str(path)])]
    return result


def _problems(data: bytes, kind: str, **context: object) -> list[tuple[str, str]]:
    ctx = ReadContext(name=f"file.{kind}", **context)  # type: ignore[arg-type]
    list(read_document(data, ctx, kind))
    return [(p.code, p.message) for p in ctx.problems]


def test_manifest_lists_every_fixture() -> None:
    assert {row["file"] for row in ROWS} == {p.name for p in LEGACY.iterdir() if p.name != "MANIFEST.tsv"}


@needs_soffice
@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_value_is_found_in_its_part(scanner: redactguard.Scanner, row: dict[str, str]) -> None:
    """Tracked insertion and deletion, comment, hidden text, header, footer, body, properties,
    cells of a visible and a hidden sheet, a cell note, a slide and its speaker notes; the
    clean controls are clean."""
    result = _result(scanner, LEGACY / row["file"])
    assert list(result.problems) == []
    if row["expected_item"] == "none":
        assert list(result.findings) == []
        assert result.status == "clean"
    else:
        assert (row["expected_item"], row["expected_part"]) in {(f.item, f.location.part) for f in result.findings}


@needs_soffice
@pytest.mark.parametrize(("name", "sheet", "cell"), [
    ("xls-cell.xls", 1, "B3"), ("xls-hidden-sheet.xls", 2, "C4"), ("xls-comment.xls", 1, "B2"),
], ids=["visible-sheet-cell", "hidden-sheet-cell", "cell-note"])
def test_workbook_findings_give_sheet_and_cell(scanner: redactguard.Scanner, name: str, sheet: int, cell: str) -> None:
    result = _result(scanner, LEGACY / name)
    assert {(f.location.sheet, f.location.cell) for f in result.findings} == {(sheet, cell)}


@needs_soffice
def test_slide_findings_give_the_slide(scanner: redactguard.Scanner) -> None:
    for name in ("ppt-slide.ppt", "ppt-notes.ppt"):
        assert {f.location.page for f in _result(scanner, LEGACY / name).findings if f.location.part != "image"} == {1}


def test_without_soffice_the_file_fails_closed_with_the_install_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no soffice on it
    problems = _problems((LEGACY / "doc-body.doc").read_bytes(), "doc")
    assert [code for code, _ in problems] == ["unsupported_type"]
    assert SOFFICE_HINT in problems[0][1]


@needs_soffice
def test_time_out_stops_the_conversion() -> None:
    problems = _problems((LEGACY / "doc-body.doc").read_bytes(), "doc", deadline=time.monotonic() + 0.01)
    assert [code for code, _ in problems] == ["timeout"]


@needs_soffice
def test_a_damaged_word_file_libreoffice_loads_as_empty_is_corrupt() -> None:
    """LibreOffice loads a Word file whose FIB is overwritten as a near-empty document, without
    an error (and, without a named import filter, as plain text): the FIB's own character counts
    say text was lost."""
    import olefile

    data = bytearray((LEGACY / "doc-body.doc").read_bytes())
    with olefile.OleFileIO(bytes(data)) as ole:
        start = data.find(bytes(ole.openstream("WordDocument").read(512)))
    data[start + 12:start + 512] = b"A" * 500
    assert [code for code, _ in _problems(bytes(data), "doc")] == ["corrupt"]


def test_damaged_container_is_corrupt() -> None:
    data = (LEGACY / "doc-body.doc").read_bytes()[:1536]
    assert [code for code, _ in _problems(data, "doc")] == ["corrupt"]


def test_problem_messages_never_carry_document_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    for row in ROWS:
        for _, message in _problems((LEGACY / row["file"]).read_bytes(), row["format"]):
            assert "Cherry" not in message and "900461" not in message


@pytest.mark.parametrize(("kind", "name"), [
    ("doc", "PasswordProtected.doc"), ("ppt", "Password_Protected-hello.ppt"),
], ids=["word-fib-fencrypted", "powerpoint-encrypted"])
def test_encrypted_files_are_encrypted_without_converting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str, name: str) -> None:
    """Told from the file's own flags: no soffice is needed (PATH holds none)."""
    path = CORPUS / kind / name
    if not path.is_file():
        pytest.skip("the shared corpus is absent")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert [code for code, _ in _problems(path.read_bytes(), kind)] == ["encrypted"]


def test_encrypted_workbook_is_encrypted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An Excel FILEPASS record: the corpus's encrypted workbooks (Apache POI's test data)."""
    folder = CORPUS / "xls"
    if not folder.is_dir():
        pytest.skip("the shared corpus is absent")
    from redactguard.readers import legacy_ole

    encrypted = []
    for path in sorted(folder.glob("*.xls")):
        try:
            with legacy_ole.open_ole(path.read_bytes()) as ole:
                roots = legacy_ole.root_entries(ole)
                if "workbook" in roots and legacy_ole.is_encrypted(ole, "xls", roots):
                    encrypted.append(path)
        except redactguard.UnreadableDocument:
            continue
    assert encrypted, "the corpus has no workbook with a FILEPASS record"
    monkeypatch.setenv("PATH", str(tmp_path))
    for path in encrypted:
        assert [code for code, _ in _problems(path.read_bytes(), "xls")] == ["encrypted"]


def _running(marker: str) -> bool:
    """Whether a process whose command line holds `marker` is alive (not a zombie)."""
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker.encode() in args and state != "Z":
            return True
    return False


@pytest.mark.skipif(not (shutil.which("setpriv") and shutil.which("unshare")), reason="needs util-linux setpriv and unshare")
def test_a_conversion_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    """A worker killed outright (a pool's time-out) leaves no LibreOffice behind: it runs in a PID
    namespace tied to its starter. The `soffice` here is a stand-in that would run for minutes."""
    import os
    import signal
    import subprocess
    import sys

    from redactguard.readers.convert import _isolation

    if "--pid" not in _isolation():
        pytest.skip("this system does not allow a PID namespace for an unprivileged process")
    marker = f"redactguard-test-{os.getpid()}"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/bash\nexec -a {marker} sleep 300\n")  # named by the marker
    fake.chmod(0o755)
    (tmp_path / "in.doc").write_bytes((LEGACY / "doc-clean.doc").read_bytes())
    code = ("import sys; from pathlib import Path; from redactguard.readers import ReadContext, read_document; "
            "list(read_document(Path(sys.argv[1]).read_bytes(), ReadContext(name='x')))")
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    starter = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "in.doc")], env=env)
    try:
        for _ in range(300):
            if _running(marker):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the stand-in soffice never started")
        os.kill(starter.pid, signal.SIGKILL)
        starter.wait()
        for _ in range(100):
            if not _running(marker):
                break
            time.sleep(0.1)
        assert not _running(marker), "LibreOffice outlived the process that started it"
    finally:
        starter.kill()
        subprocess.run(["pkill", "-9", "-f", marker], check=False)
