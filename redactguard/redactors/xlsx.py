"""Placeholder while issue [11] lands: workbooks are not redacted yet (their reader fails closed first)."""

from __future__ import annotations

from typing import Any


class XlsxRedactor:
    def redact(self, data: bytes, targets: Any) -> Any:
        raise NotImplementedError("workbooks are not redacted yet")
