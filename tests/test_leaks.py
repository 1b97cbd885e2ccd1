"""No output ever holds a protected value (contract §4): run every command, search everything.

Each run's stdout, stderr and every file it wrote are searched for each protected value and
`also` spelling of the sample order, case-folded and with white space collapsed, for the phone
as bare digits, and for the spellings the sample documents themselves use.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

#: How the sample documents write the protected values (detected text must not be echoed either).
DOCUMENT_SPELLINGS = (
    "07700 900 461",
    "J.Ashworth.Home@Example.org",
    "St. Mary's CE Primary School",
    "Cherry Tree",
    "LS6 3EX",
    "LS63EX",
    "ashworth.home",
)

REVIEW_NOTE = "She now lives on Cherry Tree Road somewhere.\n"


_PHONE = '    value: "07700 900461"'

#: Bad orders that still carry every value: (format, text to replace, replacement). JSON edits
#: apply to the sample order dumped as JSON.
BAD_ORDER_EDITS = {
    "key-typo": ("yaml", "withhold_from", "withold_from"),
    "unknown-kind": ("yaml", "kind: school", "kind: skool"),
    "phone-as-number": ("yaml", _PHONE, "    value: +447700900461"),
    "duplicate-value-key": ("yaml", _PHONE, _PHONE + '\n    value: "07700 900461"'),
    "yaml-syntax-on-value-line": (
        "yaml",
        'also: ["14 Cherry Tree Rd"]',
        'also: ["14 Cherry Tree Rd"',
    ),
    "yaml-bad-escape-in-value": ("yaml", '"Flat 2, 14', '"Flat 2, \\z 14'),
    "tab-before-value": ("yaml", _PHONE, '\tvalue: "07700 900461"'),
    "bad-email": ("yaml", "j.ashworth.home@example.org", "j.ashworth.home(at)example.org"),
    "bad-phone": ("yaml", _PHONE, '    value: "07700 900461 or 07700 900461"'),
    "regex-with-name": (
        "yaml",
        "allow:",
        '  - id: name\n    kind: regex\n    value: "Cherry Tree (Road"\nallow:',
    ),
    "item-is-a-bare-value": ("yaml", "allow:", '  - "07700 900461"\nallow:'),
    "value-as-a-key": ("yaml", _PHONE, '    "07700 900461": x'),
    "value-as-a-second-key": ("yaml", _PHONE, _PHONE + "\n    07700 900461: y"),
    "value-as-a-party": ("yaml", "disclose_to: [court]", 'disclose_to: [court, "07700 900461"]'),
    "value-as-the-owner": ("yaml", "    owner: applicant\n    value: \"07700", '    owner: "07700 900461"\n    value: "07700'),
    "address-as-a-party-id": ("yaml", "  court: {}", '  court: {}\n  "14 Cherry Tree Rd": {}'),
    "street-word-as-a-key": ("yaml", _PHONE, _PHONE + "\n    headingley: x"),
    "json-syntax-after-value": ("json", '"07700 900461"', '"07700 900461" "x"'),
    "json-duplicate-key": (
        "json",
        '"value": "07700 900461"',
        '"value": "07700 900461", "value": "07700 900461"',
    ),
}


def _bad_order(sample: str, case: str) -> tuple[str, str]:
    fmt, old, new = BAD_ORDER_EDITS[case]
    text = sample if fmt == "yaml" else json.dumps(yaml.safe_load(sample), indent=2)
    assert old in text, f"the sample order no longer has {case!r}'s anchor text"
    return fmt, text.replace(old, new, 1)


@pytest.fixture
def forms(protected_forms: list[str]) -> list[str]:
    return [*protected_forms, *DOCUMENT_SPELLINGS]


def _runs(bundle: Path, files: Path, order: Path, out: Path) -> dict[str, list[Any]]:
    base = ["scan", bundle, files, "--order", order]
    review = out.parent / "review.txt"
    return {
        "scan-text-respondent": [*base, "--recipient", "respondent"],
        "scan-json-respondent": [*base, "--recipient", "respondent", "--format", "json"],
        "scan-text-no-recipient": base,
        "scan-json-no-recipient": [*base, "--format", "json"],
        "scan-text-court": [*base, "--recipient", "court"],
        "scan-json-no-order": ["scan", bundle, files, "--format", "json"],
        "scan-text-no-order": ["scan", bundle, files],
        "scan-text-to-file": [*base, "--recipient", "respondent", "--output", out / "report.txt"],
        "scan-json-to-file": [*base, "--format", "json", "--output", out / "report.json"],
        "scan-fail-on-review": [*base, "--recipient", "respondent", "--fail-on", "review"],
        "scan-fail-on-never": [*base, "--recipient", "respondent", "--fail-on", "never"],
        "scan-review-finding-json": [
            "scan",
            review,
            "--order",
            order,
            "--recipient",
            "respondent",
            "--format",
            "json",
        ],
        "scan-unknown-recipient": [*base, "--recipient", "father"],
        "scan-missing-order": ["scan", bundle, "--order", out / "missing.yaml"],
        "order-check": ["order", "check", order],
        "order-new": ["order", "new"],
        "scan-help": ["scan", "--help"],
    }


RUN_IDS = list(_runs(Path(), Path(), Path(), Path("x/y")))


@pytest.mark.parametrize("run", RUN_IDS)
def test_command_output_holds_no_protected_value(
    run: str,
    tmp_path: Path,
    bundle_dir: Path,
    files_dir: Path,
    order_path: Path,
    run_cli: Callable[..., Any],
    forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "review.txt").write_text(REVIEW_NOTE, encoding="utf-8")
    args = _runs(bundle_dir, files_dir, order_path, out)[run]

    result = run_cli(*args, generic=True)

    assert result.exit_code in (0, 1, 2, 3)
    assert leaks(result.stdout, forms) == []
    assert leaks(result.stderr, forms) == []
    written_files = sorted(out.iterdir())
    if "--output" in args:
        assert [p.name for p in written_files] == [Path(args[-1]).name]
        assert "█" in written_files[0].read_text(encoding="utf-8")  # findings were reported, masked
    for written in written_files:
        assert leaks(written.read_text(encoding="utf-8"), forms) == [], written.name


@pytest.mark.parametrize("command", ["order-check", "scan"])
@pytest.mark.parametrize("case", list(BAD_ORDER_EDITS))
def test_bad_order_error_holds_no_protected_value(
    case: str,
    command: str,
    tmp_path: Path,
    order_path: Path,
    files_dir: Path,
    run_cli: Callable[..., Any],
    forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    suffix, text = _bad_order(order_path.read_text(encoding="utf-8"), case)
    path = tmp_path / f"bad-order.{suffix}"
    path.write_text(text, encoding="utf-8")
    args = (
        ["order", "check", path]
        if command == "order-check"
        else ["scan", files_dir / "plain.txt", "--order", path]
    )

    result = run_cli(*args, generic=True)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"redactguard: error: {path}")
    assert leaks(result.stderr, forms) == []


def test_leak_check_finds_a_leak(forms: list[str], leaks: Callable[..., list[str]]) -> None:
    """The search itself works: case, spacing and bare digits are all caught."""
    assert leaks("call 07700900461 now", forms) == ["07700900461"]
    assert "flat 2, 14 cherry tree road, headingley, leeds ls6 3ex" in leaks(
        "FLAT 2,  14 CHERRY TREE ROAD,\nHeadingley, Leeds LS6 3EX", forms
    )
    assert leaks("██ ██████ ████ ████", forms) == []


# --------------------------------------------------------------------------- the full audit
#
# Every command, every report format, every file a run writes, with the debug log on, on the
# error paths, and with internal exceptions forced: nothing holds a protected value or a piece of
# generic personal data that the detectors found, in clear.


def _detected_generic_values(paths: list[Path], order_path: Path) -> list[str]:
    """What the generic detectors find in the fixtures, in clear (read here, never printed)."""
    import re

    import redactguard
    from redactguard.normalise import chunk_flows
    from redactguard.readers.base import ReadContext, read_document
    from redactguard.sources import collect

    scanner = redactguard.Scanner(redactguard.load_order(order_path), "respondent", redactguard.ScanOptions())
    found: set[str] = set()
    for source in collect([str(p) for p in paths]):
        ctx = ReadContext(name=source.path)
        for flow in chunk_flows(read_document(source.read_bytes(), ctx)):
            # every raw detection, reported or not: the default policy reports a name only when it
            # is tied to whereabouts, but excerpts mask every hit, so none may show anywhere
            for hit in scanner.detect(flow):
                if hit.item is None and hit.kind not in PUBLIC_KINDS:
                    found.add(" ".join(flow.text[hit.start : hit.end].split()))
    # distinctive ones only: a lone common word ("Leeds") may rightly appear in harmless context
    return sorted(v for v in found if re.search(r"\d{3}|@", v) or len(v.split()) >= 2)


#: Generic kinds that name public bodies and places, not people: shown as context by design.
PUBLIC_KINDS = {"organisation", "institution", "location"}


@pytest.fixture(scope="module")
def audit_forms(protected_forms: list[str], bundle_dir: Path, files_dir: Path, order_path: Path) -> list[str]:
    generic = _detected_generic_values([bundle_dir, files_dir / "plain.txt"], order_path)
    assert len(generic) >= 3  # the fixtures hold generic personal data, or this audit proves little
    return sorted({*protected_forms, *DOCUMENT_SPELLINGS, *generic})


def _invoke(argv: list[object]) -> Any:
    from click.testing import CliRunner

    from redactguard.cli import main

    return CliRunner().invoke(main, ["-v", *[str(a) for a in argv]], catch_exceptions=False)


def _audit(result: Any, out: Path, forms: list[str], leaks: Callable[..., list[str]], skip: set[Path] = frozenset()) -> None:  # type: ignore[assignment]
    assert leaks(result.stdout, forms) == [], "stdout"
    assert leaks(result.stderr, forms) == [], "stderr"
    for written in sorted(out.rglob("*")):
        if written.is_file() and written not in skip:
            text = written.read_bytes().decode("utf-8", "replace")
            assert leaks(text, forms) == [], written.name


AUDIT_FORMATS = ["text", "json", "sarif", "junit", "html"]


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
@pytest.mark.parametrize("fmt", AUDIT_FORMATS)
def test_audit_scan_every_format_with_debug_log(
    fmt: str, to_file: bool, tmp_path: Path, bundle_dir: Path, files_dir: Path, order_path: Path,
    audit_forms: list[str], leaks: Callable[..., list[str]],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    argv: list[object] = ["scan", bundle_dir, files_dir, "--order", order_path, "--recipient", "respondent", "--format", fmt,
                          "--write-baseline", out / "baseline.json", "--jobs", "1"]
    if to_file:
        argv += ["--output", out / f"report.{fmt}"]

    result = _invoke(argv)

    assert result.exit_code == 1
    assert "redactguard: DEBUG" in result.stderr  # the debug log is on, and it is what is checked
    _audit(result, out, audit_forms, leaks)
    again = _invoke(["scan", bundle_dir, "--order", order_path, "--baseline", out / "baseline.json", "--format", fmt])
    _audit(again, out, audit_forms, leaks)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_audit_redact_logs_and_outputs(
    fmt: str, tmp_path: Path, bundle_dir: Path, files_dir: Path, order_path: Path,
    audit_forms: list[str], leaks: Callable[..., list[str]],
) -> None:
    """Redaction report, per-file .redaction.json logs and debug log hold nothing; the redacted
    copies themselves are checked by scanning them (they must be clean for the respondent)."""
    out = tmp_path / "out"
    inputs = [bundle_dir / "contact-note.txt", bundle_dir / "police-letter.pdf", bundle_dir / "social-work-report.docx",
              files_dir / "encrypted.pdf"]

    result = _invoke(["redact", *inputs, "--order", order_path, "--recipient", "respondent", "--output-dir", out, "--format", fmt])
    assert result.exit_code == 3  # encrypted.pdf cannot be checked, so it cannot be redacted
    logs = sorted(out.rglob("*.redaction.json"))
    assert len(logs) == 3
    outputs = {p for p in out.rglob("*") if p.is_file() and p not in logs}
    _audit(result, out, audit_forms, leaks, skip=outputs)
    rescan = _invoke(["scan", *sorted(outputs), "--order", order_path, "--recipient", "respondent", "--no-generic"])
    assert rescan.exit_code == 0, rescan.stdout

    refused = _invoke(["redact", *inputs[:1], "--order", order_path, "--recipient", "respondent", "--output-dir", out])
    assert refused.exit_code == 2  # exists, no --force: the error path
    _audit(refused, out, audit_forms, leaks, skip=outputs)


ERROR_RUNS = {
    "unreadable-files": lambda b, f, o, t: ["scan", f, "--order", o, "--recipient", "respondent"],
    "missing-path": lambda b, f, o, t: ["scan", t / "missing", "--order", o],
    "bad-recipient": lambda b, f, o, t: ["scan", b, "--order", o, "--recipient", "father"],
    "order-check": lambda b, f, o, t: ["order", "check", o],
    "redact-missing-output": lambda b, f, o, t: ["redact", b, "--order", o, "--recipient", "respondent"],
}


@pytest.mark.parametrize("run", list(ERROR_RUNS))
def test_audit_error_paths_with_debug_log(
    run: str, tmp_path: Path, bundle_dir: Path, files_dir: Path, order_path: Path,
    audit_forms: list[str], leaks: Callable[..., list[str]],
) -> None:
    result = _invoke(ERROR_RUNS[run](bundle_dir, files_dir, order_path, tmp_path))

    assert result.exit_code in (1, 2, 3) or run == "order-check"
    _audit(result, tmp_path, audit_forms, leaks)


def _boom(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("could not parse 14 Cherry Tree Road, call 07700 900461 or j.ashworth.home@example.org")


@pytest.mark.parametrize(
    "target, code",
    [
        pytest.param("redactguard.readers.text.TextReader.read", 3, id="a-reader-raises"),
        pytest.param("redactguard.readers.docx.parse_xml", 3, id="the-xml-parser-raises"),
        pytest.param("redactguard.scanner.Scanner._finding", 3, id="the-scanner-raises"),
        pytest.param("redactguard.report.render", 3, id="a-report-renderer-raises"),
        pytest.param("redactguard.redaction.verify_output", 3, id="verification-raises"),
    ],
)
def test_audit_forced_internal_exception_quoting_values(
    target: str, code: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bundle_dir: Path,
    order_path: Path, audit_forms: list[str], leaks: Callable[..., list[str]],
) -> None:
    """An exception whose message quotes protected values, raised deep inside: the run fails
    closed (exit 3, or the document unreadable) and the message is never shown, even at debug."""
    monkeypatch.setattr(target, _boom)
    out = tmp_path / "out"
    if "redaction" in target:
        argv: list[object] = ["redact", bundle_dir / "contact-note.txt", "--order", order_path, "--recipient", "respondent",
                              "--output-dir", out]
    else:
        argv = ["scan", bundle_dir, "--order", order_path, "--recipient", "respondent", "--jobs", "1", "--no-generic"]
        out.mkdir()

    result = _invoke(argv)

    assert result.exit_code in (code, 1)  # 1 where other documents of the bundle still block
    assert "RuntimeError" in result.stdout + result.stderr  # the failure is reported, by type
    _audit(result, out, audit_forms, leaks)
    assert not any(p.is_file() and not p.name.endswith(".redaction.json") for p in out.rglob("*")) or "redaction" not in target


@pytest.mark.parametrize("command", ["scan", "redact"])
def test_audit_real_process_with_workers_and_debug_log(
    command: str, tmp_path: Path, bundle_dir: Path, order_path: Path, audit_forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    """As a user runs it: a separate process whose worker processes write the debug log too."""
    import subprocess
    import sys

    out = tmp_path / "out"
    if command == "scan":
        argv = ["scan", str(bundle_dir), "--order", str(order_path), "--recipient", "respondent", "--jobs", "2", "--format", "json"]
    else:
        argv = ["redact", str(bundle_dir), "--order", str(order_path), "--recipient", "respondent", "--output-dir", str(out)]
    done = subprocess.run([sys.executable, "-m", "redactguard", "-v", *argv], capture_output=True, text=True, timeout=300)

    assert done.returncode in (0, 1, 3), done.stderr[-500:]
    assert done.stderr.count("redactguard: DEBUG") >= 5  # one line per document at least
    assert leaks(done.stdout, audit_forms) == []
    assert leaks(done.stderr, audit_forms) == []
    for log in out.rglob("*.redaction.json"):
        assert leaks(log.read_text(encoding="utf-8"), audit_forms) == [], log.name


def test_debug_log_masks_a_line_that_quotes_a_value(order_path: Path, forms: list[str], leaks: Callable[..., list[str]]) -> None:
    """The last guard: even a careless debug line, a traceback or another library's message."""
    import io
    import logging

    import redactguard
    from redactguard.diagnostics import disable_debug_log, enable_debug_log, protect_order

    stream = io.StringIO()
    handler = enable_debug_log(stream)
    try:
        protect_order(redactguard.load_order(order_path))
        logging.getLogger("redactguard.test").debug("careless: %s / %s", "14 Cherry Tree Road, Headingley LS6 3EX", "07700 900461")
        logging.getLogger("otherlib").warning("object 12: (J.Ashworth.Home@Example.org) Tj")
        try:
            raise ValueError("St Mary's C of E Primary School, Horsforth")
        except ValueError:
            logging.getLogger("redactguard.test").debug("failed", exc_info=True)
    finally:
        disable_debug_log(handler)
    text = stream.getvalue()

    assert text.count("redactguard: ") == 3
    assert "careless" in text and "otherlib" in text
    assert leaks(text, forms) == []
    assert "Cherry" not in text and "shworth" not in text and "Horsforth" not in text


def test_a_name_detected_in_one_paragraph_is_masked_in_every_excerpt(bundle_dir: Path, order_path: Path) -> None:
    """The child's first name, detected as a person in one paragraph of the social work report,
    also stood in clear in the context of the address finding of another paragraph (issue [14]
    review): every excerpt of a document masks the words of personal data detected anywhere in it."""
    import redactguard

    doc = redactguard.scan(bundle_dir / "social-work-report.docx", order_path, "respondent").documents[0]
    assert doc.findings
    assert all("lily" not in f.excerpt.lower() for f in doc.findings)
