"""The command line (contract §3) through click's CliRunner: exit codes, reports, `order` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import redactguard
from redactguard.order import TEMPLATE

REVIEW_NOTE = "She now lives on Cherry Tree Road somewhere.\n"  # street alone: a `review` finding


@pytest.fixture
def review_note(tmp_path: Path) -> Path:
    path = tmp_path / "review" / "street-only.txt"
    path.parent.mkdir()
    path.write_text(REVIEW_NOTE, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    "recipient, code",
    [
        pytest.param("court", 0, id="court-may-see-everything-0"),
        pytest.param("respondent", 1, id="respondent-is-withheld-from-1"),
    ],
)
def test_sample_bundle_exit_code(
    recipient: str, code: int, bundle_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("scan", bundle_dir, "--order", order_path, "--recipient", recipient)

    assert result.exit_code == code
    assert result.stderr == ""
    last = result.stdout.rstrip().splitlines()[-1]
    if code == 0:
        assert last == "6 documents: 0 blocked, 0 review, 0 unreadable, 6 clean; 0 findings"
    else:
        assert last == "6 documents: 4 blocked, 0 review, 0 unreadable, 2 clean; 6 findings"


def test_without_recipient_every_withheld_item_blocks(
    bundle_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("scan", bundle_dir, "--order", order_path)

    assert result.exit_code == 1
    assert "recipient: (any party an item is withheld from)" in result.stdout


USAGE_ERRORS = {
    "unknown-flag": (["scan", "{bundle}", "--bogus"], "No such option"),
    "bad-format-choice": (["scan", "{bundle}", "--format", "xml"], "Invalid value for '--format'"),
    "bad-fail-on-choice": (
        ["scan", "{bundle}", "--fail-on", "sometimes"],
        "Invalid value for '--fail-on'",
    ),
    "jobs-zero": (["scan", "{bundle}", "--jobs", "0"], "Invalid value for '--jobs'"),
    "no-path": (["scan"], "Missing argument"),
    "missing-path": (
        ["scan", "{tmp}/nothing-here.pdf", "--order", "{order}"],
        "no such file or folder",
    ),
    "missing-order-file": (
        ["scan", "{bundle}", "--order", "{tmp}/order.yaml"],
        "order file not found",
    ),
    "bad-order": (["scan", "{bundle}", "--order", "{bad_order}"], "unknown key 'withold_from'"),
    "unknown-recipient": (
        ["scan", "{bundle}", "--order", "{order}", "--recipient", "father"],
        "unknown recipient 'father'",
    ),
    "recipient-without-order": (
        ["scan", "{bundle}", "--recipient", "respondent"],
        "--recipient needs --order",
    ),
    "order-check-missing-file": (["order", "check", "{tmp}/order.yaml"], "order file not found"),
    "unknown-command": (["publish"], "No such command"),
}


@pytest.mark.parametrize("args, says", USAGE_ERRORS.values(), ids=list(USAGE_ERRORS))
def test_usage_and_configuration_errors_exit_2(
    args: list[str],
    says: str,
    tmp_path: Path,
    bundle_dir: Path,
    order_path: Path,
    run_cli: Callable[..., Any],
) -> None:
    bad_order = tmp_path / "bad.yaml"
    bad_order.write_text(
        order_path.read_text().replace("withhold_from", "withold_from", 1), encoding="utf-8"
    )
    names = {"bundle": bundle_dir, "order": order_path, "tmp": tmp_path, "bad_order": bad_order}

    result = run_cli(*[a.format(**names) for a in args])

    assert result.exit_code == 2
    assert says in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "name, code",
    [
        pytest.param("encrypted.pdf", "encrypted", id="encrypted-pdf"),
        pytest.param("truncated.pdf", "corrupt", id="truncated-pdf"),
        pytest.param("unsupported.bin", "unsupported_type", id="unsupported-type"),
        pytest.param("corrupt.docx", "corrupt", id="corrupt-docx"),
    ],
)
def test_unreadable_alone_exits_3(
    name: str, code: str, files_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("scan", files_dir / name, "--order", order_path, "--recipient", "respondent")

    assert result.exit_code == 3
    assert f"UNREADABLE {files_dir / name} " in result.stdout
    assert f"    problem {code}: " in result.stdout


def test_image_only_pdf_without_ocr_exits_3(
    files_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli(
        "scan",
        files_dir / "image-only.pdf",
        "--order",
        order_path,
        "--recipient",
        "respondent",
        "--ocr",
        "never",
    )

    assert result.exit_code == 3
    assert "    problem no_text_layer page 1: " in result.stdout


@pytest.mark.parametrize(
    "sources, code",
    [
        pytest.param(
            [
                "files/simple-2page.pdf",
                "files/encrypted.pdf",
                "sample-case/bundle/court-directions.pdf",
            ],
            1,
            id="blocked+unreadable+clean-is-1",
        ),
        pytest.param(
            ["files/truncated.pdf", "sample-case/bundle/court-directions.pdf"],
            3,
            id="unreadable+clean-is-3",
        ),
        pytest.param(["files/unsupported.bin", "files/encrypted.pdf"], 3, id="two-unreadable-is-3"),
        pytest.param(
            ["sample-case/bundle/court-directions.pdf", "files/plain.txt"],
            1,
            id="clean+blocked-is-1",
        ),
    ],
)
def test_mixed_folder_exit_code(
    sources: list[str],
    code: int,
    files_dir: Path,
    order_path: Path,
    copy_fixtures: Callable[..., Path],
    run_cli: Callable[..., Any],
) -> None:
    folder = copy_fixtures("mixed", *[files_dir.parent / s for s in sources])

    result = run_cli("scan", folder, "--order", order_path, "--recipient", "respondent")

    assert result.exit_code == code
    assert result.stdout.count(f" {folder}/") == len(sources)  # every document is listed


@pytest.mark.parametrize(
    "content, fail_on, code",
    [
        pytest.param("blocked", "block", 1, id="blocked-fail-on-block-1"),
        pytest.param("blocked", "review", 1, id="blocked-fail-on-review-1"),
        pytest.param("blocked", "never", 0, id="blocked-fail-on-never-0"),
        pytest.param("review", "block", 0, id="review-fail-on-block-0"),
        pytest.param("review", "review", 1, id="review-fail-on-review-1"),
        pytest.param("review", "never", 0, id="review-fail-on-never-0"),
        pytest.param("clean", "review", 0, id="clean-fail-on-review-0"),
        pytest.param("unreadable", "never", 3, id="unreadable-fail-on-never-still-3"),
        pytest.param("blocked+unreadable", "never", 3, id="blocked+unreadable-fail-on-never-3"),
        pytest.param("review+unreadable", "review", 1, id="review+unreadable-fail-on-review-1"),
        pytest.param("review+unreadable", "block", 3, id="review+unreadable-fail-on-block-3"),
    ],
)
def test_fail_on(
    content: str,
    fail_on: str,
    code: int,
    tmp_path: Path,
    files_dir: Path,
    bundle_dir: Path,
    order_path: Path,
    review_note: Path,
    run_cli: Callable[..., Any],
) -> None:
    paths = {
        "blocked": files_dir / "simple-2page.pdf",
        "review": review_note,
        "clean": bundle_dir / "court-directions.pdf",
        "unreadable": files_dir / "encrypted.pdf",
    }

    result = run_cli(
        "scan",
        *[paths[c] for c in content.split("+")],
        "--order",
        order_path,
        "--recipient",
        "respondent",
        "--fail-on",
        fail_on,
    )

    assert result.exit_code == code


def test_review_note_really_is_a_review_finding(
    review_note: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli(
        "scan", review_note, "--order", order_path, "--recipient", "respondent", "--format", "json"
    )

    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["status"] == "review"
    assert [(f["item"], f["severity"]) for f in doc["findings"]] == [
        ("applicant-address", "review")
    ]


# --------------------------------------------------------------------------- reports


def test_text_report_lists_each_document_and_finding(
    files_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli(
        "scan", files_dir / "simple-2page.pdf", "--order", order_path, "--recipient", "respondent"
    )

    lines = result.stdout.splitlines()
    assert lines[0] == "redactguard report - case ZW24C00123 - recipient: respondent"
    assert lines[2] == f"BLOCKED    {files_dir / 'simple-2page.pdf'} (pdf, 2 pages)"
    assert lines[3].startswith("    block  applicant-address [variant] at page 2 body: ")
    assert lines[-1] == "1 documents: 1 blocked, 0 review, 0 unreadable, 0 clean; 1 findings"


def test_json_report_shape(
    tmp_path: Path, bundle_dir: Path, files_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    import hashlib

    result = run_cli(
        "scan",
        bundle_dir / "police-letter.pdf",
        files_dir / "encrypted.pdf",
        "--order",
        order_path,
        "--recipient",
        "respondent",
        "--format",
        "json",
    )

    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["schema"] == "redactguard.report/1"
    assert report["tool"] == {"name": "redactguard", "version": redactguard.__version__}
    assert report["order"] == {
        "case": "ZW24C00123",
        "sha256": hashlib.sha256(order_path.read_bytes()).hexdigest(),
    }
    assert report["recipient"] == "respondent"
    letter, locked = report["documents"]
    assert letter["path"] == str(bundle_dir / "police-letter.pdf")
    assert (
        letter["sha256"]
        == hashlib.sha256((bundle_dir / "police-letter.pdf").read_bytes()).hexdigest()
    )
    assert (letter["type"], letter["pages"], letter["status"], letter["problems"]) == (
        "pdf",
        2,
        "blocked",
        [],
    )
    (finding,) = letter["findings"]
    assert {
        k: finding[k]
        for k in ("item", "kind", "severity", "match", "detector", "confidence", "location")
    } == {
        "item": "applicant-address",
        "kind": "address",
        "severity": "block",
        "match": "exact",
        "detector": "order",
        "confidence": 1.0,
        "location": {"part": "body", "page": 1},
    }
    assert "█" in finding["excerpt"]
    assert finding["reason"] == "FPR 29.1 / form C8"
    assert (locked["status"], [p["code"] for p in locked["problems"]]) == (
        "unreadable",
        ["encrypted"],
    )
    assert report["summary"] == {
        "documents": 2,
        "blocked": 1,
        "review": 0,
        "clean": 0,
        "unreadable": 1,
        "findings": 1,
    }


@pytest.fixture(scope="module")
def report_schema() -> dict:
    path = Path(redactguard.__file__).parent / "report" / "report.schema.json"
    if not path.exists():
        pytest.skip(
            "redactguard/report/report.schema.json does not exist yet (the lead is writing it)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


SCHEMA_RUNS = {
    "sample-bundle-respondent": ["{bundle}", "--order", "{order}", "--recipient", "respondent"],
    "sample-bundle-court": ["{bundle}", "--order", "{order}", "--recipient", "court"],
    "every-fixture-file-no-recipient": ["{files}", "--order", "{order}"],
    "no-order": ["{files}"],
    "review-finding": ["{review}", "--order", "{order}", "--recipient", "respondent"],
}


@pytest.mark.parametrize("args", SCHEMA_RUNS.values(), ids=list(SCHEMA_RUNS))
def test_json_report_validates_against_the_schema(
    args: list[str],
    report_schema: dict,
    bundle_dir: Path,
    files_dir: Path,
    order_path: Path,
    review_note: Path,
    run_cli: Callable[..., Any],
) -> None:
    import jsonschema

    names = {"bundle": bundle_dir, "files": files_dir, "order": order_path, "review": review_note}
    result = run_cli("scan", *[a.format(**names) for a in args], "--format", "json")

    validator_class = jsonschema.validators.validator_for(report_schema)
    validator_class.check_schema(report_schema)
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator_class(report_schema).iter_errors(json.loads(result.stdout))
    ]
    assert errors == []


def test_schema_rejects_a_report_missing_its_summary(
    report_schema: dict, files_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    import jsonschema

    result = run_cli("scan", files_dir / "plain.txt", "--order", order_path, "--format", "json")
    report = json.loads(result.stdout)
    del report["summary"]

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, report_schema)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_file_holds_what_stdout_would(
    fmt: str, tmp_path: Path, bundle_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    target = out_dir / f"report.{fmt}"
    target.write_text("an older report\n", encoding="utf-8")
    args = ["scan", bundle_dir, "--order", order_path, "--recipient", "respondent", "--format", fmt]

    to_stdout = run_cli(*args)
    to_file = run_cli(*args, "--output", target)

    assert to_file.exit_code == to_stdout.exit_code == 1
    assert to_file.stdout == ""
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
    assert sorted(p.name for p in out_dir.iterdir()) == [
        target.name
    ]  # no temporary file left behind


def test_output_into_missing_folder_is_a_usage_error(
    tmp_path: Path, files_dir: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    target = tmp_path / "no-such-folder" / "report.json"

    result = run_cli("scan", files_dir / "plain.txt", "--order", order_path, "--output", target)

    assert result.exit_code == 2
    assert str(target.parent) in result.stderr


# --------------------------------------------------------------------------- order commands


def test_order_check_summarises_without_values(
    order_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("order", "check", order_path)

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{order_path}: valid order for case ZW24C00123",
        "  protected items: 4 (1 address, 1 email, 1 phone, 1 school)",
        "  parties: applicant, court, guardian, respondent",
        "  disclosed to: court",
        "  allow entries: 1",
    ]


def test_order_check_reads_json(
    tmp_path: Path, base_order: dict, run_cli: Callable[..., Any]
) -> None:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(base_order, indent=2), encoding="utf-8")

    result = run_cli("order", "check", path)

    assert result.exit_code == 0
    assert result.stdout.startswith(f"{path}: valid order for case ZW24C00123\n")


def test_order_new_prints_a_template_that_order_check_accepts(
    tmp_path: Path, order_path: Path, run_cli: Callable[..., Any]
) -> None:
    new = run_cli("order", "new")
    path = tmp_path / "order.yaml"
    path.write_text(new.stdout, encoding="utf-8")

    checked = run_cli("order", "check", path)

    assert new.exit_code == 0
    assert new.stdout == TEMPLATE
    assert new.stdout.startswith("# redactguard confidentiality order")
    assert checked.exit_code == 0
    assert checked.stdout.splitlines()[:2] == [
        f"{path}: valid order for case ZW24C00000",
        "  protected items: 1 (1 address)",
    ]


def test_order_new_template_can_drive_a_scan(
    tmp_path: Path, files_dir: Path, run_cli: Callable[..., Any]
) -> None:
    path = tmp_path / "order.yaml"
    path.write_text(run_cli("order", "new").stdout, encoding="utf-8")

    result = run_cli("scan", files_dir / "plain.txt", "--order", path, "--recipient", "respondent")

    assert result.exit_code == 0


# --------------------------------------------------------------------------- start-up


def test_version(run_cli: Callable[..., Any]) -> None:
    result = run_cli("--version")

    assert (result.exit_code, result.stdout) == (
        0,
        f"redactguard, version {redactguard.__version__}\n",
    )


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


HEAVY = ("pypdf", "docx", "spacy", "presidio_analyzer", "dask", "distributed")


def test_help_runs_in_a_fresh_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "redactguard", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0
    assert done.stderr == ""
    assert "Check outgoing court documents against a confidentiality order." in done.stdout
    assert "  scan " in done.stdout and "  order " in done.stdout


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import redactguard", id="import-redactguard"),
        pytest.param(
            "from redactguard.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
            id="redactguard-help",
        ),
        pytest.param(
            "from redactguard.cli import main\ntry:\n    main(['scan', '--help'])\nexcept SystemExit:\n    pass",
            id="redactguard-scan-help",
        ),
    ],
)
def test_heavy_libraries_are_imported_lazily(code: str) -> None:
    done = _python(f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_heavy_library_check_can_see_an_import() -> None:
    done = _python(
        f"import redactguard, pypdf\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )

    assert done.stdout.splitlines()[-1] == "['pypdf']"


def test_an_empty_folder_is_a_usage_error_not_a_pass(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("scan", tmp_path)
    assert result.exit_code == 2
    assert "no documents found" in result.stderr
