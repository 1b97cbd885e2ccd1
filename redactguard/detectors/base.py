"""One interface for every detector: a flow of text in, hits (source spans) out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..normalise import FlowText
from ..order import ProtectedItem

__all__ = ["Hit", "Detector", "SEVERITY_RANK"]

SEVERITY_RANK = {"review": 1, "block": 2}


@dataclass(frozen=True)
class Hit:
    """A span of a flow's text that a detector recognised. Offsets index `FlowText.text`."""

    start: int
    end: int
    kind: str
    match: str
    severity: str
    detector: str
    confidence: float = 1.0
    item: ProtectedItem | None = None
    rule: str = ""

    def __repr__(self) -> str:
        who = self.item.id if self.item else self.kind
        return f"Hit({who}, {self.start}-{self.end}, {self.match}, {self.severity})"


class Detector(Protocol):
    """Finds hits in a flow. Must be picklable: it is shipped once to every worker."""

    name: str

    def detect(self, flow: FlowText) -> list[Hit]: ...
