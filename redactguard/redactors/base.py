"""What every redactor shares: the targets to remove, and the record of what was removed.

A redactor gets the document's bytes and a `Targets` object. It rebuilds each text flow the
way its reader does, but keeping a map from every character back to the file's structure
(an XML text node, a glyph in a content stream), asks `Targets.find(text)` which spans must go,
removes exactly those characters from the structure, and returns the new bytes with a list of
`Removal`s. It never decides what is withheld: `Targets` does, with the scanner's own detection
and the recipient's decision, so redaction and scanning can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..document import Location, Problem, Segment
from ..mask import masked_excerpt
from ..normalise import FlowText
from ..order import ProtectedItem

__all__ = ["Span", "Targets", "Removal", "RedactionResult", "Redactor", "DEFAULT_LABEL"]

DEFAULT_LABEL = "[WITHHELD]"


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of a flow text that must be removed, and why."""

    start: int
    end: int
    item: ProtectedItem
    label: str

    def __repr__(self) -> str:
        return f"Span({self.start}-{self.end}, {self.item.id})"


class Targets:
    """Finds the text to remove: every `block` finding of an order item for the recipient.

    `label` is the replacement text: a fixed string, or "reason" to use each item's `reason`
    (falling back to the default label).
    """

    def __init__(self, scanner: Any, label: str = DEFAULT_LABEL):
        self.scanner = scanner
        self.label = label

    def label_for(self, item: ProtectedItem) -> str:
        if self.label == "reason":
            return f"[WITHHELD: {item.reason}]" if item.reason else DEFAULT_LABEL
        return self.label

    def find(self, text: str) -> list[Span]:
        """Spans of `text` that must be removed, in order, not overlapping."""
        if not text.strip():
            return []
        flow = FlowText([Segment(text, Location())])
        hits = self.scanner.policy.decide(flow, self.scanner.detect(flow))
        spans = sorted(
            (Span(h.start, h.end, h.item, self.label_for(h.item)) for h in hits if h.item is not None and h.severity == "block"),
            key=lambda s: (s.start, -s.end),
        )
        merged: list[Span] = []
        for span in spans:
            if merged and span.start < merged[-1].end:
                last = merged[-1]
                merged[-1] = Span(last.start, max(last.end, span.end), last.item, last.label)
            else:
                merged.append(span)
        return merged

    def excerpt(self, text: str, span: Span) -> str:
        return masked_excerpt(text, span.start, span.end, secret_words=self.scanner.secret_words)


@dataclass(frozen=True)
class Removal:
    """One removed occurrence, for the redaction log (masked, like every report)."""

    item: str
    kind: str
    location: Location
    excerpt: str
    action: str = "replaced"  # replaced | removed | blanked | painted

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item, "kind": self.kind, "location": self.location.to_dict(),
            "excerpt": self.excerpt, "action": self.action,
        }


@dataclass
class RedactionResult:
    data: bytes
    removals: list[Removal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Redactor(Protocol):
    """Removes every target from one document format."""

    type: str

    def redact(self, data: bytes, targets: Targets) -> RedactionResult: ...


REDACTORS: dict[str, Callable[[], Redactor]] = {}


def register(type_name: str) -> Callable[[Callable[[], Redactor]], Callable[[], Redactor]]:
    def deco(factory: Callable[[], Redactor]) -> Callable[[], Redactor]:
        REDACTORS[type_name] = factory
        return factory

    return deco
