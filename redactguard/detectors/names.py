"""Partial and near-miss variants for names items (contract §2). Filled in by issue [2/7]."""

from __future__ import annotations

from .variants import Variant


def name_variants(value: str) -> list[Variant]:
    return []
