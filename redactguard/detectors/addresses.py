"""Partial and near-miss variants for addresses items (contract §2). Filled in by issue [2/7]."""

from __future__ import annotations

from .variants import Variant


def address_variants(value: str) -> list[Variant]:
    return []
