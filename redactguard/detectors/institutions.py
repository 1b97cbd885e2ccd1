"""Partial and near-miss variants for institutions items (contract §2). Filled in by issue [2/7]."""

from __future__ import annotations

from .variants import Variant


def institution_variants(value: str) -> list[Variant]:
    return []
