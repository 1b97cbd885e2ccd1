"""Applying a baseline to a report: which findings an entry may suppress, and saying so."""

from __future__ import annotations

from dataclasses import replace

from ..findings import Finding, Report, Suppression
from .entries import Baseline, Entry

__all__ = ["apply_baseline", "suppresses", "mismatches"]


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """`report` without the findings `baseline` suppresses, each listed in `report.suppressed`
    (so in the summary of every format); statuses and the exit code follow.

    A `review` finding is suppressed by any entry not rejected; a `block` finding only by an
    entry recorded as `block` for this recipient and accepted in an audit (`suppresses`).
    """
    entries = {e.fingerprint: e for e in baseline.entries}
    same_recipient = baseline.recipient == report.recipient
    suppressed: list[Suppression] = []
    documents = []
    for doc in report.documents:
        kept = []
        for f in doc.findings:
            entry = entries.get(f.fingerprint)
            if entry is None or not suppresses(entry, f, same_recipient=same_recipient):
                kept.append(f)
                continue
            suppressed.append(Suppression(
                path=doc.path, fingerprint=f.fingerprint, item=f.item, kind=str(f.kind), severity=str(f.severity),
                location=f.location, reviewer=entry.audit.reviewer if entry.audit is not None and entry.accepted else None,
            ))
        documents.append(replace(doc, findings=tuple(kept)))
    return replace(report, documents=tuple(documents), suppressed=(*(report.suppressed or ()), *suppressed))


def suppresses(entry: Entry, finding: Finding, *, same_recipient: bool) -> bool:
    """Whether `entry` (of the finding's fingerprint) may suppress `finding`."""
    if entry.rejected:
        return False
    if finding.severity != "block":
        return True
    # a withheld item: only a reviewer's recorded acceptance of this very decision lets it pass
    return entry.accepted and entry.severity == "block" and same_recipient


def mismatches(baseline: Baseline, report: Report) -> list[str]:
    """Why some of `baseline`'s entries cannot apply to `report`, for the user (no values)."""
    out = []
    if baseline.order_sha256 and report.order_sha256 and baseline.order_sha256 != report.order_sha256:
        out.append("the baseline was written for another order file (or another version of it): "
                   "its fingerprints do not match this scan's")
    if baseline.recipient != report.recipient and any(e.accepted and e.severity == "block" for e in baseline.entries):
        out.append(f"the baseline's audited block entries were accepted for recipient {baseline.recipient or '(none)'}, "
                   f"not {report.recipient or '(none)'}: they suppress nothing here")
    return out
