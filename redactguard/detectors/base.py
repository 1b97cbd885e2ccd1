"""One interface for every detector: a flow of text in, hits (source spans) out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..normalise import FlowText
from ..order import ProtectedItem
from ..vocabulary import Match, Severity

__all__ = ["Hit", "Detector", "SEVERITY_RANK"]

SEVERITY_RANK: dict[str, int] = {Severity.REVIEW: 1, Severity.BLOCK: 2}


@dataclass(frozen=True, kw_only=True)
class Hit:
    """A span of a flow's text that a detector recognised. Offsets index `FlowText.text`."""

    start: int
    end: int
    kind: str
    match: Match
    severity: Severity
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
