"""Audits: a named reviewer accepts or rejects baseline entries, one decision at a time, with a reason.

The reviewer's name and reason are the only free text a baseline holds, so each is checked like a
document before it is recorded (`screen`): one that names an item of the order, or holds personal
data a scan would report, is refused, and the baseline stays free of values in clear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from ..errors import UsageError
from ..order import Order
from .entries import ACCEPT, DECISIONS, REJECT, Audit, Baseline

__all__ = ["audit", "decide", "accept_reviews", "screen", "screen_reviewer", "check_order"]

_MAX_REVIEWER, _MAX_REASON = 100, 500


def audit(
    baseline: Baseline, fingerprint: str, decision: str, *, reviewer: str, reason: str, order: Order,
    at: datetime | None = None,
) -> Baseline:
    """`baseline` with the entry `fingerprint` accepted or rejected by `reviewer` for `reason`
    (a decision recorded earlier is replaced). `order` is the baseline's order: its hash is
    checked, and the name and reason are screened against it (`screen`)."""
    if decision not in DECISIONS:
        raise UsageError(f"a decision is one of {', '.join(DECISIONS)}")
    check_order(baseline, order)
    entry = baseline.entry(fingerprint)
    record = Audit(decision, screen_reviewer(reviewer, order),
                   screen(reason, order, "the reason", _MAX_REASON), _timestamp(at))
    return baseline.with_entry(replace(entry, audit=record))


def accept_reviews(baseline: Baseline, *, reviewer: str, reason: str, order: Order, at: datetime | None = None) -> Baseline:
    """`baseline` with every unaudited `review` entry accepted. Never a `block` entry: each of
    those is accepted on its own (`audit`), so each has its own reason."""
    for entry in baseline.entries:
        if entry.audit is None and entry.severity == "review":
            baseline = audit(baseline, entry.fingerprint, ACCEPT, reviewer=reviewer, reason=reason, order=order, at=at)
    return baseline


def decide(
    baseline: Baseline, *, accept: Iterable[str] = (), reject: Iterable[str] = (), accept_all_review: bool = False,
    reviewer: str, reason: str, order: Order, at: datetime | None = None,
) -> Baseline:
    """Several decisions with one reviewer and reason (the scripted audit): entries to `accept`
    and to `reject` by fingerprint, and with `accept_all_review` every unaudited `review` entry.

    One reason cannot speak for several withheld items, so at most one `block` entry may be
    accepted per call: a UsageError otherwise, before anything is recorded.
    """
    accept, reject = list(dict.fromkeys(accept)), list(dict.fromkeys(reject))
    if not (accept or reject or accept_all_review):
        raise UsageError("nothing to decide: name entries to accept or reject")
    if set(accept) & set(reject):
        raise UsageError("an entry cannot be both accepted and rejected")
    blocks = [fp for fp in accept if baseline.entry(fp).severity == "block"]
    if len(blocks) > 1:
        raise UsageError(f"{len(blocks)} block entries named to accept: accept each withheld item on its own, "
                         "with its own reason")
    for fp in reject:
        baseline.entry(fp)  # every name is checked before anything is recorded
    for decision, prints in ((ACCEPT, accept), (REJECT, reject)):
        for fp in prints:
            baseline = audit(baseline, fp, decision, reviewer=reviewer, reason=reason, order=order, at=at)
    if accept_all_review:
        baseline = accept_reviews(baseline, reviewer=reviewer, reason=reason, order=order, at=at)
    return baseline


def check_order(baseline: Baseline, order: Order) -> None:
    """A UsageError unless `baseline` was written for `order` (fingerprints are keyed by its hash)."""
    if baseline.order_sha256 and baseline.order_sha256 != order.sha256:
        raise UsageError("the baseline was written for another order file (or another version of it)")


def screen(text: str, order: Order, what: str, limit: int = _MAX_REASON) -> str:
    """`text` (a reviewer's name, a reason) stripped, after checking it is one line of at most
    `limit` characters that holds nothing a scan would report: no item of `order` in any of its
    spellings, no generic personal data a pattern finds. A UsageError names the item or kind,
    never the text."""
    from ..scanner import Scanner, ScanOptions
    from ..vocabulary import OcrMode

    cleaned = text.strip()
    if not cleaned:
        raise UsageError(f"{what} is required")
    if "\n" in cleaned or "\r" in cleaned or len(cleaned) > limit:
        raise UsageError(f"{what} must be one line of at most {limit} characters")
    result = Scanner(order, None, ScanOptions(model=None, ocr=OcrMode.NEVER)).scan_bytes(cleaned.encode("utf-8"), "audit")
    if result.problems:  # not fully checked: not recorded
        raise UsageError(f"{what} could not be checked for protected values; write it differently")
    if result.findings:
        named = sorted({f.item or f"generic {f.kind}" for f in result.findings})
        raise UsageError(f"{what} holds what the order protects or personal data ({', '.join(named)}): "
                         "describe the decision without the value")
    return cleaned


def screen_reviewer(name: str, order: Order) -> str:
    """A reviewer's name, checked as `screen` checks a reason (and at most 100 characters)."""
    return screen(name, order, "the reviewer's name", _MAX_REVIEWER)


def _timestamp(at: datetime | None) -> str:
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
