"""What a baseline holds: entries (one per fingerprint) and their audit records, as values."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..errors import UsageError
from ..findings import Report

__all__ = ["Baseline", "Entry", "Audit", "record", "SCHEMA", "LEGACY_SCHEMA", "ACCEPT", "REJECT", "DECISIONS"]

SCHEMA = "redactguard.baseline/2"
LEGACY_SCHEMA = "redactguard.baseline/1"
VERSION = 2
ACCEPT, REJECT = "accept", "reject"
DECISIONS = (ACCEPT, REJECT)
_FINGERPRINT = re.compile(r"^[0-9a-f]{16,64}$")


@dataclass(frozen=True)
class Audit:
    """A reviewer's decision on one entry: who, when (UTC, ISO 8601), accept or reject, and why."""

    decision: str
    reviewer: str
    reason: str
    at: str

    def to_dict(self) -> dict[str, str]:
        return {"decision": self.decision, "reviewer": self.reviewer, "reason": self.reason, "at": self.at}


@dataclass(frozen=True)
class Entry:
    """One recorded finding, by fingerprint. Everything but the fingerprint is for the reviewer
    to recognise it by (masked as in the report); an entry read from a version 1 file has only
    its fingerprint, and its `severity` is None: it can never suppress a `block` finding."""

    fingerprint: str
    item: str | None = None
    kind: str | None = None
    severity: str | None = None
    path: str | None = None
    where: str | None = None
    excerpt: str | None = None
    audit: Audit | None = None

    def __repr__(self) -> str:  # no excerpt, even masked: logs hold ids and places only
        return f"Entry({self.fingerprint!r}, item={self.item!r}, severity={self.severity!r}, audit={self.decision!r})"

    @property
    def decision(self) -> str | None:
        return self.audit.decision if self.audit is not None else None

    @property
    def accepted(self) -> bool:
        return self.decision == ACCEPT

    @property
    def rejected(self) -> bool:
        return self.decision == REJECT

    def describe(self) -> str:
        """The entry for a reviewer: what, where, the masked excerpt and any audit (no value)."""
        what = self.item or (f"generic {self.kind}" if self.kind else "(recorded by fingerprint only)")
        lines = [f"{(self.severity or 'unknown').upper()} {what}"
                 + (f" ({self.kind})" if self.item and self.kind else ""),
                 f"  in {self.path or '(path not recorded)'} at {self.where or '(place not recorded)'}"]
        if self.excerpt:
            lines.append(f"  excerpt: {self.excerpt}")
        lines.append(f"  fingerprint: {self.fingerprint}")
        if self.audit is None:
            lines.append("  audit: none")
        else:
            a = self.audit
            lines.append(f"  audit: {a.decision}ed by {a.reviewer} at {a.at}: {a.reason}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint, "item": self.item, "kind": self.kind, "severity": self.severity,
            "path": self.path, "where": self.where, "excerpt": self.excerpt,
            "audit": self.audit.to_dict() if self.audit is not None else None,
        }


@dataclass(frozen=True)
class Baseline:
    """A baseline file's content: for which order (its hash: the fingerprints' key) and which
    recipient (an audited `block` entry suppresses only for that recipient), and the entries."""

    entries: tuple[Entry, ...] = ()
    order_sha256: str | None = None
    case: str | None = None
    recipient: str | None = None

    def entry(self, fingerprint: str) -> Entry:
        """The entry with `fingerprint`; a UsageError if there is none."""
        for e in self.entries:
            if e.fingerprint == fingerprint:
                return e
        raise UsageError(f"no entry with fingerprint {fingerprint} in the baseline")

    def with_entry(self, entry: Entry) -> Baseline:
        return replace(self, entries=tuple(entry if e.fingerprint == entry.fingerprint else e for e in self.entries))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA, "version": VERSION, "order_sha256": self.order_sha256, "case": self.case,
            "recipient": self.recipient, "entries": [e.to_dict() for e in self.entries],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Baseline:
        """Read a version 2 file's content, a version 1 file's (`fingerprints`: unaudited
        entries) or a bare list of fingerprints; ValueError for anything else."""
        if isinstance(data, list):
            return cls(entries=_legacy(data))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        order_sha256 = _optional_str(data, "order_sha256")
        if data.get("schema") == LEGACY_SCHEMA and isinstance(data.get("fingerprints"), list):
            return cls(entries=_legacy(data["fingerprints"]), order_sha256=order_sha256)
        if data.get("schema") != SCHEMA or data.get("version") != VERSION or not isinstance(data.get("entries"), list):
            raise ValueError("unknown schema")
        entries = tuple(_entry(e) for e in data["entries"])
        if len({e.fingerprint for e in entries}) != len(entries):
            raise ValueError("a fingerprint is recorded twice")
        return cls(entries=entries, order_sha256=order_sha256, case=_optional_str(data, "case"),
                   recipient=_optional_str(data, "recipient"))


def record(report: Report, previous: Baseline | None = None) -> Baseline:
    """A baseline of every finding in `report` (`block` ones included: they suppress nothing
    until audited), one entry per fingerprint, in report order.

    Audit records of `previous` are kept for the fingerprints found again, when its recipient is
    the report's and the finding's severity is the one that was audited; entries no longer found
    are dropped.
    """
    from ..report import where

    kept = {e.fingerprint: e for e in previous.entries} if previous is not None else {}
    same_recipient = previous is not None and previous.recipient == report.recipient
    entries: dict[str, Entry] = {}
    for doc in report.documents:
        for f in doc.findings:
            if f.fingerprint in entries:
                continue
            old = kept.get(f.fingerprint)
            audit = old.audit if old is not None and same_recipient and old.severity == f.severity else None
            entries[f.fingerprint] = Entry(
                fingerprint=f.fingerprint, item=f.item, kind=str(f.kind), severity=str(f.severity),
                path=doc.path, where=where(f), excerpt=f.excerpt, audit=audit,
            )
    return Baseline(entries=tuple(entries.values()), order_sha256=report.order_sha256, case=report.case,
                    recipient=report.recipient)


def _legacy(prints: list[Any]) -> tuple[Entry, ...]:
    out: dict[str, Entry] = {}
    for p in prints:
        if not isinstance(p, str) or not _FINGERPRINT.match(p):
            raise ValueError("not a fingerprint")
        out.setdefault(p, Entry(p))
    return tuple(out.values())


def _entry(raw: Any) -> Entry:
    if not isinstance(raw, dict) or not isinstance(raw.get("fingerprint"), str) or not _FINGERPRINT.match(raw["fingerprint"]):
        raise ValueError("an entry without a fingerprint")
    severity = _optional_str(raw, "severity")
    if severity not in (None, "block", "review"):
        raise ValueError("an unknown severity")
    audit = raw.get("audit")
    return Entry(
        fingerprint=raw["fingerprint"], item=_optional_str(raw, "item"), kind=_optional_str(raw, "kind"),
        severity=severity, path=_optional_str(raw, "path"), where=_optional_str(raw, "where"),
        excerpt=_optional_str(raw, "excerpt"), audit=None if audit is None else _audit(audit),
    )


def _audit(raw: Any) -> Audit:
    if not isinstance(raw, dict) or raw.get("decision") not in DECISIONS:
        raise ValueError("an audit without a decision")
    values = [raw.get(k) for k in ("reviewer", "reason", "at")]
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError("an audit without its reviewer, reason or time")
    return Audit(raw["decision"], *values)  # type: ignore[arg-type]  # checked above: three strings


def _optional_str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value
