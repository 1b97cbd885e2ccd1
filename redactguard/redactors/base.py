"""What every redactor shares: the targets to remove, and the record of what was removed.

A redactor gets the document's bytes and a `Targets` object. It rebuilds each text flow the
way its reader does, but keeping a map from every character back to the file's structure
(an XML text node, a glyph in a content stream), asks `Targets.find(text)` which spans must go,
removes exactly those characters from the structure, and returns the new bytes with a list of
`Removal`s. It never decides what is withheld: `Targets` does, with the scanner's own detection
and the recipient's decision, so redaction and scanning can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..document import Location, Problem, Segment
from ..mask import masked_excerpt
from ..normalise import FlowText
from ..order import ProtectedItem

__all__ = ["Span", "Targets", "Removal", "RedactionResult", "Redactor", "DEFAULT_LABEL", "repair_misreadings"]

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
        return _merged(self._spans(FlowText([Segment(text, Location())])))

    def find_read(self, text: str, unsure: tuple[tuple[int, int], ...] = ()) -> list[Span]:
        """Spans of text read by OCR that must be removed: as `find`, and also through OCR's
        misreadings ("l4 Cherry Tree R0ad") and the words it read below its confidence floor
        (`unsure`: their offsets, `ocr.confidence.unsure_spans`), so a picture is redacted
        wherever a scan of it would be blocked (docs/redaction.md, "Pictures")."""
        if not text.strip():
            return []
        spans = self._spans(FlowText([_read_segment(text, unsure)]))
        repaired, starts, ends = repair_misreadings(text, self.scanner.secret_words)
        if repaired != text:
            for span in self._spans(FlowText([Segment(repaired, Location())])):
                spans.append(Span(starts[span.start], ends[span.end - 1], span.item, span.label))
        return _merged(spans)

    def _spans(self, flow: FlowText) -> list[Span]:
        hits = self.scanner.policy.decide(flow, self.scanner.detect(flow))
        return [Span(h.start, h.end, h.item, self.label_for(h.item)) for h in hits if h.item is not None and h.severity == "block"]

    def excerpt(self, text: str, span: Span) -> str:
        return masked_excerpt(text, span.start, span.end, secret_words=self.scanner.secret_words)


def _merged(found: list[Span]) -> list[Span]:
    spans = sorted(found, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.item, last.label)
        else:
            merged.append(span)
    return merged


def _read_segment(text: str, unsure: tuple[tuple[int, int], ...] = ()) -> Segment:
    """A segment marked as read by OCR: its detectors then also match through misreadings and
    unsure words (issues [8] and [12])."""
    return Segment(text, Location(), words=((0, len(text), (0.0, 0.0, 0.0, 0.0)),), unsure=unsure)


_OCR_TOKEN = re.compile(r"[\w|!]+")


def repair_misreadings(text: str, vocabulary: frozenset[str]) -> tuple[str, list[int], list[int]]:
    """`text` with each token that OCR could have misread from an order word ("l4", "R0ad",
    "O77OO") written as that word, and for each character of the result the [start, end) of
    the characters of `text` it stands for. The detectors then decide on the repaired text, so
    a repair alone never withholds anything: only a whole item's words do."""
    from ..ocr import fold

    by_fold: dict[str, str] = {}
    for spelling in sorted(vocabulary):
        by_fold.setdefault(fold(spelling), spelling)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _OCR_TOKEN.finditer(text):
        word = by_fold.get(fold(m.group()))
        if word is None or word == m.group().casefold():
            continue
        parts.append(text[pos : m.start()])
        starts.extend(range(pos, m.start()))
        ends.extend(range(pos + 1, m.start() + 1))
        parts.append(word)
        starts.extend([m.start()] * len(word))
        ends.extend([m.end()] * len(word))
        pos = m.end()
    parts.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return "".join(parts), starts, ends


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
