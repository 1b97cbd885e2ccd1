"""Baseline files: JSON with a schema and version, read strictly, written atomically."""

from __future__ import annotations

import json
import os

from ..atomic import write_atomic
from ..errors import UsageError
from .entries import SCHEMA, Baseline

__all__ = ["load_baseline", "write_baseline"]


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """The baseline in `path` (version 2, or an older file of fingerprints: unaudited entries).

    A file that is missing or not a baseline is a UsageError: a baseline that silently read as
    empty would report everything again, one that half-read could suppress the wrong findings.
    """
    name = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise UsageError(f"baseline file not found: {name}") from None
    except (OSError, ValueError):
        raise UsageError(f"baseline file cannot be read: {name}") from None
    try:
        return Baseline.from_dict(data)
    except ValueError as exc:
        raise UsageError(f"{name} is not a redactguard baseline ({SCHEMA}): {exc}") from None


def write_baseline(baseline: Baseline, path: str | os.PathLike[str]) -> int:
    """Write `baseline` to `path` atomically (a reader never sees half a file); returns how many
    entries it holds."""
    body = json.dumps(baseline.to_dict(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, body.encode("utf-8"))
    return len(baseline.entries)
