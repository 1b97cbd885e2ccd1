"""What a variant of an order item is, shared by the modules that make them (`variants.py`,
`addresses.py`, `names.py`, `institutions.py`) and the detector that matches them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..vocabulary import Match, Severity

__all__ = ["ConfirmNearby", "Guard", "Variant"]


class Guard(Protocol):
    """A context check run where a variant matched: may change severity and widen the span."""

    def refine(self, view: Any, first: int, last: int, variant: Variant,
               flow: Any = None) -> tuple[Severity, Match, int, int]: ...


@dataclass(frozen=True)
class ConfirmNearby:
    """Upgrade a `review` partial to `block` when one of `places` is close by.

    "St Mary's ... in Horsforth", "Cherry Tree Road in Headingley": a distinctive name alone is a
    review, but with its locality a few words away it identifies the place.
    """

    places: frozenset[str]
    after: int = 6
    before: int = 3

    def nearby(self, view: Any, first: int, last: int) -> int | None:
        tokens = view.tokens
        for k in range(last + 1, min(len(tokens), last + 1 + self.after)):
            if tokens[k] in self.places:
                return k
        for k in range(first - 1, max(-1, first - 1 - self.before), -1):
            if tokens[k] in self.places:
                return k
        return None

    def refine(self, view: Any, first: int, last: int, variant: Variant,
               flow: Any = None) -> tuple[Severity, Match, int, int]:
        near = self.nearby(view, first, last) if self.places else None
        if near is None:
            return variant.severity, variant.match, first, last
        return Severity.BLOCK, variant.match, min(first, near), max(last, near)


@dataclass(frozen=True)
class Variant:
    tokens: tuple[str, ...]
    match: Match
    severity: Severity
    rule: str  # which rule produced it, for docs and debugging (never a value)
    guard: Guard | None = None
