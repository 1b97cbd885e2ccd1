"""Placeholder while issue [11] lands: OpenDocument texts are not redacted yet (their reader fails closed first)."""

from __future__ import annotations

from typing import Any


class OdtRedactor:
    def redact(self, data: bytes, targets: Any) -> Any:
        raise NotImplementedError("OpenDocument texts are not redacted yet")
