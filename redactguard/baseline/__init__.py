"""Baselines: findings a person has looked at, recorded by keyed fingerprint (docs/baselines.md).

A baseline cannot hide a withheld item on its own say-so. An entry suppresses a `review` finding
as soon as it is recorded; it suppresses a `block` finding only once a named reviewer has
accepted it in an audit, with a reason (`audit`); a rejected entry suppresses nothing. Every
suppression is listed in the report's summary (`apply_baseline`). The file holds no value in
clear: keyed fingerprints, item ids, kinds, masked excerpts and paths, places and audit records.

    from redactguard import baseline, load_order, scan

    order = load_order("order.yaml")
    report = scan(["bundle/"], order, "respondent")
    baseline.write_baseline(baseline.record(report), "reviewed.json")
    reviewed = baseline.audit(baseline.load_baseline("reviewed.json"), fingerprint, baseline.ACCEPT,
                              reviewer="A. Clerk", reason="court-approved wording", order=order)
    baseline.apply_baseline(report, reviewed).summary()["suppressed"]
"""

from __future__ import annotations

from .apply import apply_baseline, mismatches
from .audit import accept_reviews, audit, check_order, decide, screen, screen_reviewer
from .entries import ACCEPT, DECISIONS, REJECT, SCHEMA, Audit, Baseline, Entry, record
from .store import load_baseline, write_baseline

__all__ = [
    "Baseline", "Entry", "Audit", "SCHEMA", "ACCEPT", "REJECT", "DECISIONS",
    "load_baseline", "write_baseline", "record", "audit", "decide", "accept_reviews", "screen", "screen_reviewer", "check_order",
    "apply_baseline", "mismatches",
]
