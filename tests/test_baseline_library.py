"""`redactguard.baseline` from Python: the suppression rule, the file format, audits, and the
scan-root-relative paths fingerprints are keyed on (`Source.relative`)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from redactguard import baseline, load_order, scan
from redactguard.baseline.apply import suppresses
from redactguard.document import Location
from redactguard.errors import UsageError
from redactguard.findings import Finding, Report
from redactguard.sources import collect

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "fixtures" / "sample-case" / "bundle"
ORDER = load_order(REPO / "fixtures" / "sample-case" / "order.yaml")
WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def report() -> Report:
    return scan([BUNDLE], ORDER, "respondent", model=None)


def _finding(severity: str) -> Finding:
    return Finding(item=None, kind="phone", severity=severity, match="pattern", detector="t", confidence=1.0,
                   location=Location(), excerpt="\u2588", fingerprint="ab" * 16)


def _entry(severity: str | None, decision: str | None) -> baseline.Entry:
    audit = None if decision is None else baseline.Audit(decision, "A. Clerk", "agreed", "2026-12-07T12:00:00Z")
    return baseline.Entry("ab" * 16, severity=severity, audit=audit)


@pytest.mark.parametrize(("recorded", "decision", "found", "same_recipient", "suppressed"), [
    ("review", None, "review", True, True),
    ("block", None, "review", True, True),
    (None, None, "review", True, True),
    ("review", "reject", "review", True, False),
    ("block", None, "block", True, False),
    ("block", "reject", "block", True, False),
    ("block", "accept", "block", True, True),
    ("block", "accept", "block", False, False),
    ("review", "accept", "block", True, False),
    (None, "accept", "block", True, False),
], ids=[
    "unaudited-review", "block-entry-review-finding", "old-entry-review", "rejected-review",
    "unaudited-block", "rejected-block", "accepted-block", "accepted-for-another-recipient",
    "accepted-as-review-now-block", "old-entry-accepted-block",
])
def test_which_entries_suppress_which_findings(
    recorded: str | None, decision: str | None, found: str, same_recipient: bool, suppressed: bool,
) -> None:
    assert suppresses(_entry(recorded, decision), _finding(found), same_recipient=same_recipient) is suppressed


def test_record_write_load_round_trip(report: Report, tmp_path: Path) -> None:
    recorded = baseline.record(report)
    path = tmp_path / "b.json"

    count = baseline.write_baseline(recorded, path)

    assert count == len(recorded.entries) == 7
    assert baseline.load_baseline(path) == recorded
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]  # written atomically: no part file left
    assert recorded.recipient == "respondent" and recorded.order_sha256 == ORDER.sha256


def test_an_audit_is_recorded_and_applied(report: Report) -> None:
    recorded = baseline.record(report)
    phone = next(e for e in recorded.entries if e.item == "applicant-phone")

    audited = baseline.audit(recorded, phone.fingerprint, baseline.ACCEPT, reviewer=" A. Clerk ",
                             reason="agreed at the hearing", order=ORDER, at=WHEN)
    applied = baseline.apply_baseline(report, audited)

    assert audited.entry(phone.fingerprint).audit == baseline.Audit("accept", "A. Clerk", "agreed at the hearing", "2026-12-07T12:00:00Z")
    assert [(s.item, s.reviewer) for s in applied.suppressed or () if s.severity == "block"] == [("applicant-phone", "A. Clerk")]
    assert applied.summary()["suppressed"]["block"] == 1
    assert applied.summary()["findings"] == report.summary()["findings"] - 2  # the phone and the postcode


def test_an_accepted_block_entry_holds_only_for_its_recipient(report: Report) -> None:
    recorded = baseline.record(report)
    for entry in recorded.entries:
        recorded = baseline.audit(recorded, entry.fingerprint, baseline.ACCEPT, reviewer="A. Clerk", reason="agreed", order=ORDER)
    anyone = scan([BUNDLE], ORDER, None, model=None)  # no recipient: every withheld item blocks

    applied = baseline.apply_baseline(anyone, recorded)

    assert applied.exit_code() == 1
    assert applied.summary()["suppressed"]["block"] == 0
    assert any("accepted for recipient respondent" in note for note in baseline.mismatches(recorded, anyone))


def test_record_keeps_audits_only_where_they_still_speak(report: Report) -> None:
    recorded = baseline.record(report)
    first = recorded.entries[0]
    audited = baseline.audit(recorded, first.fingerprint, baseline.REJECT, reviewer="A. Clerk", reason="no", order=ORDER)

    again = baseline.record(report, audited)
    for_others = baseline.record(scan([BUNDLE], ORDER, None, model=None), audited)

    assert again.entry(first.fingerprint).audit == audited.entry(first.fingerprint).audit
    assert for_others.entry(first.fingerprint).audit is None


def test_decide_checks_every_name_before_recording(report: Report) -> None:
    recorded = baseline.record(report)
    review = next(e.fingerprint for e in recorded.entries if e.severity == "review")

    with pytest.raises(UsageError, match="no entry"):
        baseline.decide(recorded, accept=[review], reject=["0" * 32], reviewer="A. Clerk", reason="x", order=ORDER)
    with pytest.raises(UsageError, match="both"):
        baseline.decide(recorded, accept=[review], reject=[review], reviewer="A. Clerk", reason="x", order=ORDER)
    with pytest.raises(UsageError, match="nothing to decide"):
        baseline.decide(recorded, reviewer="A. Clerk", reason="x", order=ORDER)
    with pytest.raises(UsageError, match="reason is required"):
        baseline.decide(recorded, accept=[review], reviewer="A. Clerk", reason="  ", order=ORDER)


@pytest.mark.parametrize("body", [
    {"schema": "redactguard.baseline/2", "version": 2, "entries": [{"fingerprint": "ab" * 16}, {"fingerprint": "ab" * 16}]},
    {"schema": "redactguard.baseline/2", "version": 2, "entries": [{"fingerprint": "ab" * 16, "severity": "maybe"}]},
    {"schema": "redactguard.baseline/2", "version": 2,
     "entries": [{"fingerprint": "ab" * 16, "audit": {"decision": "accept", "reviewer": "A", "at": "now"}}]},
    {"schema": "redactguard.baseline/2", "version": 2,
     "entries": [{"fingerprint": "ab" * 16, "audit": {"decision": "perhaps", "reviewer": "A", "reason": "r", "at": "now"}}]},
    {"schema": "redactguard.baseline/3", "version": 3, "entries": []},
    {"schema": "redactguard.baseline/1", "fingerprints": ["not hex"]},
], ids=["fingerprint-twice", "unknown-severity", "audit-without-reason", "unknown-decision", "newer-version", "bad-old-file"])
def test_a_damaged_baseline_is_refused(body: object, tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(body), encoding="utf-8")

    with pytest.raises(UsageError, match="not a redactguard baseline"):
        baseline.load_baseline(path)


@pytest.mark.parametrize(("given", "expected"), [
    ("folder", {"contact-note.txt", "police-letter.pdf", "school-letters.zip!/attendance.pdf",
                "school-letters.zip!/head-teacher-letter.txt", "sub/contact-note.txt"}),
    ("folder-absolute", None),
    ("folder-trailing-slash", None),
    ("zip", {"attendance.pdf", "head-teacher-letter.txt"}),
    ("file", {"contact-note.txt"}),
], ids=lambda v: v if isinstance(v, str) else "")
def test_documents_are_named_relative_to_their_scan_root(
    given: str, expected: set[str] | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "cases" / "bundle"
    (root / "sub").mkdir(parents=True)
    for name in ("contact-note.txt", "police-letter.pdf", "school-letters.zip"):
        shutil.copy(BUNDLE / name, root / name)
    shutil.copy(BUNDLE / "contact-note.txt", root / "sub" / "contact-note.txt")
    monkeypatch.chdir(tmp_path)
    arg = {"folder": os.path.join("cases", "bundle"), "folder-absolute": str(root),
           "folder-trailing-slash": os.path.join("cases", "bundle") + os.sep, "zip": str(root / "school-letters.zip"),
           "file": os.path.join("cases", "bundle", "contact-note.txt")}[given]

    names = {s.relative for s in collect([arg])}

    assert names == (expected or {"contact-note.txt", "police-letter.pdf", "school-letters.zip!/attendance.pdf",
                                   "school-letters.zip!/head-teacher-letter.txt", "sub/contact-note.txt"})
