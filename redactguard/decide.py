"""Decide what the recipient may not see: recipient, disclose_to, allow, generic policy.

Detectors find everything; this stage keeps the hits that matter for one recipient and gives
each its final severity. It never raises a severity that a detector did not earn, except where
the order's `generic:` policy says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .detectors.base import SEVERITY_RANK, Hit
from .detectors.names import TITLES
from .detectors.phrases import PhraseIndex
from .normalise import FlowText, tokenize
from .order import Order
from .vocabulary import GenericKind, Match, Severity

__all__ = ["Policy"]

#: Generic kinds that are off unless the order's `generic:` policy turns them on: a town or an
#: organisation named alone is not personal data (whereabouts are `address` and `institution`).
DEFAULT_GENERIC: dict[str, Severity] = {GenericKind.LOCATION: Severity.OFF, GenericKind.ORGANISATION: Severity.OFF}

_MATCH_RANK: dict[str, int] = {match: rank for rank, match in enumerate(Match)}


@dataclass
class Policy:
    """What counts for one scan: the order (optional) and the recipient (optional)."""

    order: Order | None = None
    recipient: str | None = None

    def __post_init__(self) -> None:
        self._allow: PhraseIndex[int] = PhraseIndex()
        self._party_names: PhraseIndex[int] = PhraseIndex()
        if self.order is not None:
            for i, text in enumerate(self.order.allow):
                self._allow.add(tokenize(text), i)
            for i, name in enumerate(self.order.party_names()):
                self._party_names.add(tokenize(name), i)
        # "Mr Ashworth", "Jane": a person made only of the parties' name words (and titles)
        self._party_words = frozenset(t for n in (self.order.party_names() if self.order else ()) for t in tokenize(n))

    def __getstate__(self) -> dict[str, object]:  # indexes are rebuilt on the worker
        return {"order": self.order, "recipient": self.recipient}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.order = state["order"]  # type: ignore[assignment]
        self.recipient = state["recipient"]  # type: ignore[assignment]
        self.__post_init__()

    def decide(self, flow: FlowText, hits: Sequence[Hit]) -> list[Hit]:
        """The hits to report for this flow, with final severities, overlaps merged."""
        allowed = self._spans(self._allow, flow)
        order_spans = [(h.start, h.end) for h in hits if h.item is not None]
        party_spans = self._spans(self._party_names, flow)
        party_words = self._party_words
        kept: list[Hit] = []
        for hit in hits:
            if _inside(hit, allowed):
                continue
            if hit.item is not None:
                if self.order is None or not self.order.is_withheld(hit.item, self.recipient):
                    continue
                kept.append(hit)
                continue
            # generic personal data: not where an order item already speaks, not the parties' names
            if _overlaps(hit, order_spans):
                continue
            if hit.kind == GenericKind.PERSON and (_overlaps(hit, party_spans) or _only_words(flow.text[hit.start : hit.end], party_words)):
                continue
            severity = self._generic_severity(hit.kind)
            if severity != Severity.OFF:
                kept.append(replace(hit, severity=severity))
        return _merge(kept)

    def _generic_severity(self, kind: str) -> Severity:
        rules = self.order.generic if self.order is not None else {}
        return Severity(rules.get(kind, DEFAULT_GENERIC.get(kind) or rules.get("default", Severity.REVIEW)))

    @staticmethod
    def _spans(index: PhraseIndex[int], flow: FlowText) -> list[tuple[int, int]]:
        if not index:
            return []
        view = flow.view
        return [view.span(first, last) for first, last, _ in index.find(view.tokens)]


_TITLES = frozenset(TITLES)


def _only_words(text: str, words: frozenset[str]) -> bool:
    tokens = [t for t in tokenize(text) if t not in _TITLES]
    return bool(words) and bool(tokens) and all(t in words for t in tokens)


def _inside(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(s <= hit.start and hit.end <= e for s, e in spans)


def _overlaps(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(hit.start < e and s < hit.end for s, e in spans)


def _merge(hits: list[Hit]) -> list[Hit]:
    """One hit per item (or generic kind) per overlapping region: the strongest, then longest."""
    def strength(h: Hit) -> tuple[int, int, int]:
        return (-SEVERITY_RANK.get(h.severity, 0), _MATCH_RANK.get(h.match, 9), -(h.end - h.start))

    out: list[Hit] = []
    for hit in sorted(hits, key=strength):
        key = hit.item.id if hit.item is not None else hit.kind
        if any((o.item.id if o.item is not None else o.kind) == key and hit.start < o.end and o.start < hit.end for o in out):
            continue
        out.append(hit)
    out.sort(key=lambda h: (h.start, h.end))
    return out
