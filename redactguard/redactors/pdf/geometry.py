"""Points, boxes and the affine matrices of PDF space, kept as plain tuples.

Content streams, forms and text all place things with 2-D affine matrices; these few helpers
compose and apply them, and read numbers the lenient way damaged files need.
"""

from __future__ import annotations

import math
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Box = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mult(m: Matrix, n: Matrix) -> Matrix:
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _length(m: Matrix, x: float, y: float) -> float:
    return math.hypot(m[0] * x + m[2] * y, m[1] * x + m[3] * y)


def _matrix(values: Any) -> Matrix:
    try:
        nums = [float(v) for v in list(values)[:6]]
    except (TypeError, ValueError):
        return IDENTITY
    return (nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]) if len(nums) == 6 else IDENTITY


def _bbox(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _same_box(a: Box, b: Box) -> bool:
    return all(abs(x - y) < 0.01 for x, y in zip(a, b, strict=True))
