"""Safe baselines (issue [14]), end to end: real scans of the sample bundle, real baseline files.

An unaudited entry never suppresses a `block` finding; an accepted one does and the report says
who accepted it; a rejected one suppresses nothing; a bundle keeps its baseline wherever it lies;
and nothing written or shown holds a protected value in clear.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from redactguard.cli import main

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "fixtures" / "sample-case" / "bundle"
ORDER_YAML = REPO / "fixtures" / "sample-case" / "order.yaml"
#: Pieces of the sample order's values, besides their whole forms (`protected_forms`).
PIECES = ["07700", "900461", "900 461", "Cherry Tree", "LS6 3EX", "ashworth.home", "St Mary", "Horsforth", "Headingley"]
REVIEWER = "A. Clerk"
SCHEMA = json.loads((REPO / "redactguard" / "report" / "report.schema.json").read_text(encoding="utf-8"))


def invoke(*args: object, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def scan(root: object, *extra: object, recipient: str = "respondent", fmt: str = "json") -> Result:
    return invoke("scan", root, "--order", ORDER_YAML, "--recipient", recipient, "--model", "none",
                  "--no-progress", "--jobs", "1", "--format", fmt, *extra)


def findings(result: Result) -> list[dict[str, Any]]:
    return [f for d in json.loads(result.stdout)["documents"] for f in d["findings"]]


def entries(baseline: Path) -> list[dict[str, Any]]:
    return list(json.loads(baseline.read_text(encoding="utf-8"))["entries"])


def prints(baseline: Path, severity: str) -> list[str]:
    return [e["fingerprint"] for e in entries(baseline) if e["severity"] == severity]


def accept_one_by_one(baseline: Path, fingerprints: list[str]) -> None:
    for fp in fingerprints:
        done = invoke("baseline", "audit", baseline, "--order", ORDER_YAML, "--reviewer", REVIEWER,
                      "--reason", "disclosed to the respondent by the judge's direction", "--accept", fp)
        assert done.exit_code == 0, done.stderr


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    """A baseline of the sample bundle for the respondent: 6 block entries and 1 review, unaudited."""
    path = tmp_path / "reviewed.json"
    first = scan(BUNDLE, "--write-baseline", path)
    assert first.exit_code == 1
    assert len(prints(path, "block")) == 6 and len(prints(path, "review")) == 1
    return path


def test_an_unaudited_block_entry_does_not_suppress_its_finding(recorded: Path) -> None:
    body = json.loads(recorded.read_text(encoding="utf-8"))
    assert body["schema"] == "redactguard.baseline/2" and body["version"] == 2
    assert all(e["audit"] is None for e in body["entries"])

    again = scan(BUNDLE, "--baseline", recorded)

    assert again.exit_code == 1
    blocks = {f["fingerprint"] for f in findings(again) if f["severity"] == "block"}
    assert blocks == set(prints(recorded, "block"))
    suppressed = json.loads(again.stdout)["summary"]["suppressed"]
    assert suppressed["block"] == 0
    jsonschema.validate(json.loads(again.stdout), SCHEMA)


def test_an_unaudited_entry_suppresses_review_findings_and_the_summary_lists_them(recorded: Path) -> None:
    review = prints(recorded, "review")

    again = scan(BUNDLE, "--baseline", recorded)

    assert not [f for f in findings(again) if f["severity"] == "review"]
    suppressed = json.loads(again.stdout)["summary"]["suppressed"]
    assert suppressed["review"] == 1
    assert [(s["fingerprint"], s["kind"], s["reviewer"]) for s in suppressed["findings"]] == [(review[0], "postcode", None)]


def test_review_only_scan_passes_fail_on_review_with_an_unaudited_baseline(tmp_path: Path) -> None:
    """For the court (nothing withheld) the bundle has one review finding: --fail-on review fails
    on it until a baseline records it, audit or not."""
    path = tmp_path / "court.json"
    assert scan(BUNDLE, "--fail-on", "review", "--write-baseline", path, recipient="court").exit_code == 1

    assert scan(BUNDLE, "--fail-on", "review", "--baseline", path, recipient="court").exit_code == 0


def test_accepted_block_entries_suppress_and_the_report_names_the_reviewer(recorded: Path) -> None:
    blocks = prints(recorded, "block")
    accept_one_by_one(recorded, blocks[:1])
    assert scan(BUNDLE, "--baseline", recorded).exit_code == 1  # five withheld items still there

    accept_one_by_one(recorded, blocks[1:])
    again = scan(BUNDLE, "--baseline", recorded)
    text = scan(BUNDLE, "--baseline", recorded, fmt="text")

    assert again.exit_code == 0 and text.exit_code == 0
    report = json.loads(again.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["summary"]["findings"] == 0
    suppressed = report["summary"]["suppressed"]
    assert (suppressed["block"], suppressed["review"]) == (6, 1)
    assert {s["fingerprint"] for s in suppressed["findings"] if s["severity"] == "block"} == set(blocks)
    assert {s["reviewer"] for s in suppressed["findings"] if s["severity"] == "block"} == {REVIEWER}
    assert "suppressed by the baseline: 7 findings (6 block, audited; 1 review)" in text.stdout
    assert text.stdout.count(f"accepted by {REVIEWER}") == 6
    audits = [e["audit"] for e in entries(recorded) if e["severity"] == "block"]
    assert all(a["decision"] == "accept" and a["reviewer"] == REVIEWER and a["reason"] and a["at"] for a in audits)


def test_the_interactive_audit_records_each_decision(recorded: Path) -> None:
    n = len(entries(recorded))
    answers = f"{REVIEWER}\n" + "a\nagreed at the hearing of 3 March\n" * n

    done = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, stdin=answers)

    assert done.exit_code == 0, done.stderr
    assert f"[{n}/{n}] " in done.stdout and "excerpt: " in done.stdout
    assert "Accepting lets a scan for respondent pass" in done.stdout  # said before each block decision
    assert all(e["audit"]["decision"] == "accept" for e in entries(recorded))
    again = scan(BUNDLE, "--baseline", recorded, fmt="text")
    assert again.exit_code == 0
    assert again.stdout.count(f"accepted by {REVIEWER}") == 6


def test_the_interactive_audit_rejects_skips_and_stops(recorded: Path) -> None:
    first, second = (e["fingerprint"] for e in entries(recorded)[:2])

    done = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, stdin="B. Reviewer\nr\nnot agreed\ns\nq\n")

    assert done.exit_code == 0, done.stderr
    audits = {e["fingerprint"]: e["audit"] for e in entries(recorded)}
    assert audits[first]["decision"] == "reject" and audits[first]["reviewer"] == "B. Reviewer"
    assert audits[second] is None
    assert sum(a is not None for a in audits.values()) == 1


def test_an_interactive_audit_cut_short_keeps_the_decisions_made(recorded: Path) -> None:
    done = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, stdin=f"{REVIEWER}\na\nagreed\n")

    assert done.exit_code == 2
    assert sum(e["audit"] is not None for e in entries(recorded)) == 1


def test_a_rejected_entry_suppresses_nothing(recorded: Path) -> None:
    phone = next(e["fingerprint"] for e in entries(recorded) if e["item"] == "applicant-phone")
    postcode = prints(recorded, "review")[0]
    accept_one_by_one(recorded, [phone])
    assert phone in {s["fingerprint"] for s in json.loads(scan(BUNDLE, "--baseline", recorded).stdout)["summary"]["suppressed"]["findings"]}

    rejected = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, "--reviewer", "B. Reviewer",
                      "--reason", "on second reading it is the mother's", "--reject", phone, "--reject", postcode)
    again = scan(BUNDLE, "--baseline", recorded)

    assert rejected.exit_code == 0, rejected.stderr
    assert again.exit_code == 1
    found = {f["fingerprint"] for f in findings(again)}
    assert {phone, postcode} <= found
    assert json.loads(again.stdout)["summary"]["suppressed"] == {"block": 0, "review": 0, "findings": []}


@pytest.mark.parametrize("spelling", ["absolute", "relative", "trailing-slash"])
def test_a_copy_of_the_bundle_elsewhere_keeps_its_baseline(
    spelling: str, recorded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    accept_one_by_one(recorded, prints(recorded, "block"))  # recorded from the repository's bundle
    copy = tmp_path / "elsewhere" / "deep" / "bundle-copy"
    shutil.copytree(BUNDLE, copy)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    root = {"absolute": str(copy), "relative": os.path.relpath(copy, work),
            "trailing-slash": os.path.relpath(copy, work) + os.sep}[spelling]

    again = scan(root, "--baseline", recorded)

    assert again.exit_code == 0
    assert json.loads(again.stdout)["summary"]["suppressed"]["block"] == 6


def test_a_zip_given_directly_keeps_its_fingerprints_under_another_name(tmp_path: Path) -> None:
    moved = tmp_path / "sent-again" / "letters-v2.zip"
    moved.parent.mkdir()
    shutil.copy(BUNDLE / "school-letters.zip", moved)

    def fingerprints(root: Path) -> set[str]:
        return {f["fingerprint"] for f in findings(scan(root))}

    original = fingerprints(BUNDLE / "school-letters.zip")
    assert original and original == fingerprints(moved)


def test_rewriting_a_baseline_keeps_its_audits(recorded: Path) -> None:
    phone = next(e["fingerprint"] for e in entries(recorded) if e["item"] == "applicant-phone")
    accept_one_by_one(recorded, [phone])

    scan(BUNDLE, "--write-baseline", recorded)  # no --baseline: the audits of the file replaced are kept

    kept = {e["fingerprint"]: e["audit"] for e in entries(recorded)}
    assert kept[phone]["reviewer"] == REVIEWER and sum(a is not None for a in kept.values()) == 1


def test_write_baseline_never_overwrites_a_file_that_is_not_one(tmp_path: Path) -> None:
    other = tmp_path / "notes.json"
    other.write_text('{"my": "notes"}', encoding="utf-8")

    result = scan(BUNDLE, "--write-baseline", other)

    assert result.exit_code == 2
    assert other.read_text(encoding="utf-8") == '{"my": "notes"}'


@pytest.mark.parametrize("legacy", ["schema-1", "bare-list"])
def test_an_old_baseline_loads_as_unaudited_entries(legacy: str, tmp_path: Path) -> None:
    everything = sorted({f["fingerprint"] for f in findings(scan(BUNDLE))})
    old = tmp_path / "old.json"
    body: Any = {"schema": "redactguard.baseline/1", "order_sha256": None, "fingerprints": everything}
    old.write_text(json.dumps(everything if legacy == "bare-list" else body), encoding="utf-8")

    again = scan(BUNDLE, "--baseline", old)

    assert again.exit_code == 1
    summary = json.loads(again.stdout)["summary"]
    assert (summary["suppressed"]["block"], summary["suppressed"]["review"]) == (0, 1)
    assert summary["blocked"] == 4


def test_an_old_baseline_accepted_by_audit_still_cannot_suppress_a_block(tmp_path: Path) -> None:
    """A version 1 entry has no severity: no audit of it can speak for a withheld item."""
    phone = next(f["fingerprint"] for f in findings(scan(BUNDLE)) if f["item"] == "applicant-phone")
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"schema": "redactguard.baseline/1", "fingerprints": [phone]}), encoding="utf-8")
    accept_one_by_one(old, [phone])

    again = scan(BUNDLE, "--baseline", old)

    assert phone in {f["fingerprint"] for f in findings(again)}


def test_block_entries_are_accepted_one_at_a_time(recorded: Path) -> None:
    before = recorded.read_bytes()
    one, two = prints(recorded, "block")[:2]

    both = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, "--reviewer", REVIEWER, "--reason", "fine",
                  "--accept", one, "--accept", two)
    all_review = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, "--reviewer", REVIEWER, "--reason", "fine",
                        "--accept-all-review")

    assert both.exit_code == 2 and "on its own" in both.stderr
    assert all_review.exit_code == 0
    after = entries(recorded)
    assert [e["audit"] is not None for e in after] == [e["severity"] == "review" for e in after]
    assert before != recorded.read_bytes()


@pytest.mark.parametrize(("option", "text"), [
    ("--reason", "she still lives at 14 Cherry Tree Rd"),
    ("--reason", "call 07700 900461 to confirm"),
    ("--reason", "confirmed by phone on 07700 900123"),  # not the order's: a generic phone number
    ("--reviewer", "j.ashworth.home@example.org"),
], ids=["reason-names-the-address", "reason-names-the-phone", "reason-holds-a-phone", "reviewer-is-the-email"])
def test_an_audit_that_would_record_a_value_is_refused(
    option: str, text: str, recorded: Path, leaks: Callable[..., list[str]],
) -> None:
    before = recorded.read_bytes()
    args = {"--reason": "agreed", "--reviewer": REVIEWER, option: text}

    done = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, "--reviewer", args["--reviewer"],
                  "--reason", args["--reason"], "--accept", prints(recorded, "block")[0])

    assert done.exit_code == 2
    assert recorded.read_bytes() == before
    assert leaks(done.stderr, [text, *PIECES, "900123"]) == []


def test_an_audit_with_another_order_is_refused(recorded: Path, tmp_path: Path) -> None:
    other = tmp_path / "order.yaml"
    other.write_text(ORDER_YAML.read_text(encoding="utf-8") + "  - \"1 Park Square, Leeds\"\n", encoding="utf-8")

    done = invoke("baseline", "audit", recorded, "--order", other, "--reviewer", REVIEWER, "--reason", "ok",
                  "--accept-all-review")

    assert done.exit_code == 2 and "another order" in done.stderr


def test_no_baseline_file_or_audit_output_holds_a_value_in_clear(
    recorded: Path, protected_forms: list[str], leaks: Callable[..., list[str]],
) -> None:
    forms = [*protected_forms, *PIECES]
    interactive = invoke("baseline", "audit", recorded, "--order", ORDER_YAML,
                         stdin=f"{REVIEWER}\n" + "a\nagreed at the hearing\n" * len(entries(recorded)))
    shown = [invoke("baseline", "show", recorded, "--format", fmt) for fmt in ("text", "json")]
    reports = [scan(BUNDLE, "--baseline", recorded, fmt=fmt) for fmt in ("text", "json", "sarif", "junit", "html")]

    assert interactive.exit_code == 0 and all(r.exit_code == 0 for r in reports)
    assert "excerpt: " in shown[0].stdout
    outputs = {"baseline file": recorded.read_text(encoding="utf-8"), "audit": interactive.stdout + interactive.stderr,
               **{f"show {i}": r.stdout + r.stderr for i, r in enumerate(shown)},
               **{f"report {i}": r.stdout + r.stderr for i, r in enumerate(reports)}}
    for name, text in outputs.items():
        assert leaks(text, forms) == [], name


def test_a_baseline_that_is_not_one_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "redactguard.baseline/2", "version": 2, "entries": [{"fingerprint": "x"}]}', encoding="utf-8")

    assert scan(BUNDLE, "--baseline", bad).exit_code == 2
    assert invoke("baseline", "show", bad).exit_code == 2


def test_the_interactive_audit_asks_again_for_a_name_or_reason_it_refuses(recorded: Path) -> None:
    """What the reviewer typed is echoed back by the terminal, not by redactguard: the refusal
    itself names the item only, and nothing refused reaches the file."""
    answers = "j.ashworth.home@example.org\nA. Clerk\na\nshe lives at 14 Cherry Tree Rd\nagreed\nq\n"

    done = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, stdin=answers)

    assert done.exit_code == 0
    assert done.stderr.count("holds what the order protects") == 2
    assert "applicant-email" in done.stderr and "applicant-address" in done.stderr
    audited = [e["audit"] for e in entries(recorded) if e["audit"] is not None]
    assert [(a["reviewer"], a["reason"]) for a in audited] == [("A. Clerk", "agreed")]


@pytest.mark.parametrize("argv", [
    ["--reviewer", "j.ashworth.home@example.org"],
    ["--reason", "agreed"],
    ["--reviewer", "A. Clerk", "--reason", "agreed", "--accept-all-review", "--all"],
], ids=["refused-reviewer", "reason-without-a-decision", "all-with-a-scripted-audit"])
def test_audit_options_that_do_not_fit_are_usage_errors(argv: list[str], recorded: Path) -> None:
    before = recorded.read_bytes()

    done = invoke("baseline", "audit", recorded, "--order", ORDER_YAML, *argv, stdin="a\nagreed\n")

    assert done.exit_code == 2
    assert recorded.read_bytes() == before
