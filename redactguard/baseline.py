"""Baselines: findings a person has reviewed, recorded by fingerprint so later runs skip them.

A baseline holds only keyed fingerprints (no text, no offsets), so it reveals nothing and stays
valid when text moves. Problems are never baselined: a document that cannot be read fails
closed every time.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace

from .atomic import write_atomic
from .errors import UsageError
from .findings import Report

__all__ = ["load_baseline", "write_baseline", "apply_baseline", "SCHEMA"]

SCHEMA = "redactguard.baseline/1"


def load_baseline(path: str | os.PathLike[str]) -> frozenset[str]:
    try:
        data = json.loads(open(path, encoding="utf-8").read())
    except FileNotFoundError:
        raise UsageError(f"baseline file not found: {os.fspath(path)}") from None
    except (OSError, ValueError):
        raise UsageError(f"baseline file cannot be read: {os.fspath(path)}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("fingerprints"), list):
        raise UsageError(f"{os.fspath(path)} is not a redactguard baseline ({SCHEMA})")
    return frozenset(str(f) for f in data["fingerprints"])


def write_baseline(report: Report, path: str | os.PathLike[str]) -> int:
    """Record every finding of `report`; returns how many."""
    prints = sorted({f.fingerprint for d in report.documents for f in d.findings})
    body = {"schema": SCHEMA, "order_sha256": report.order_sha256, "fingerprints": prints}
    write_atomic(path, (json.dumps(body, indent=2) + "\n").encode("utf-8"))
    return len(prints)


def apply_baseline(report: Report, fingerprints: frozenset[str]) -> Report:
    """The report without findings already in the baseline (statuses follow)."""
    docs = tuple(
        replace(d, findings=tuple(f for f in d.findings if f.fingerprint not in fingerprints))
        for d in report.documents
    )
    return replace(report, documents=docs)
