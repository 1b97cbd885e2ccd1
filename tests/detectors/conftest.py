"""Helpers for the matching-engine tests: build an order from items, scan text, read verdicts.

Every helper drives the real public path (`parse_order` -> `Scanner.scan_bytes`), so a test
sees exactly what a user of the CLI would see. Fixtures are session-scoped so that hypothesis
tests may use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pytest
import yaml

import redactguard
from redactguard import Finding, Order, Scanner, ScanOptions
from redactguard.document import Location, Segment
from redactguard.normalise import FlowText

#: The parties of every test order: the contract §1 example plus a guardian.
PARTIES = {
    "applicant": {"role": "mother"},
    "respondent": {"role": "father"},
    "guardian": {"role": "children's guardian"},
    "court": {},
}

#: Contract §1 example values, used across the modules.
ADDRESS = "Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX"
COURT_ADDRESS = "Leeds Combined Court Centre, 1 Oxford Row, Leeds LS1 3BG"
PHONE = "07700 900461"
SCHOOL = "St Mary's C of E Primary School, Horsforth"
NAME = "Jane Elizabeth Ashworth"
EMAIL = "jane.ashworth@example.com"
VEHICLE = "AB12 CDE"


def build_order(
    items: Sequence[dict[str, Any]],
    *,
    allow: Iterable[str] = (),
    disclose_to: Sequence[str] | None = None,
    parties: dict[str, Any] | None = None,
) -> Order:
    """A validated order holding `items` (dicts as in the YAML file)."""
    tree: dict[str, Any] = {
        "redactguard": 1,
        "case": "ZW24C00123",
        "parties": parties if parties is not None else PARTIES,
        "protected": [dict(item) for item in items],
    }
    if disclose_to is not None:
        tree["disclose_to"] = list(disclose_to)
    allow = list(allow)
    if allow:
        tree["allow"] = allow
    return redactguard.parse_order(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False))


def scan_text(scanner: Scanner, text: str) -> list[Finding]:
    """Findings of a plain-text document holding `text` (UTF-8)."""
    return list(scanner.scan_bytes(text.encode("utf-8"), "doc.txt").findings)


def for_item(findings: Iterable[Finding], item: str) -> list[Finding]:
    return [f for f in findings if f.item == item]


def verdict(findings: Iterable[Finding], item: str) -> str | None:
    """The strongest severity reported for `item`: 'block', 'review' or None (not found)."""
    severities = {f.severity for f in findings if f.item == item}
    if "block" in severities:
        return "block"
    if "review" in severities:
        return "review"
    return None


class Checker:
    """One order and recipient; `check(text)` -> findings, `verdict(text, item)` -> severity."""

    def __init__(self, order: Order, recipient: str | None = "respondent"):
        self.order = order
        self.recipient = recipient
        self.scanner = Scanner(order, recipient, ScanOptions(generic=False))

    def check(self, text: str) -> list[Finding]:
        return scan_text(self.scanner, text)

    def verdict(self, text: str, item: str) -> str | None:
        return verdict(self.check(text), item)

    def flow_hits(self, *pieces: str, pages: bool = False) -> tuple[FlowText, list[Any]]:
        """Decided hits on one flow built from several segments (table cells or pages)."""
        segments = [
            Segment(piece, Location(part="body", page=(i + 1) if pages else None))
            for i, piece in enumerate(pieces)
        ]
        flow = FlowText(segments)
        hits = self.scanner.policy.decide(flow, self.scanner.detect(flow))
        return flow, hits


def make_checker(items: Sequence[dict[str, Any]], recipient: str | None = "respondent", **kw: Any) -> Checker:
    return Checker(build_order(items, **kw), recipient)


def hit_verdict(hits: Iterable[Any], item: str) -> str | None:
    severities = {h.severity for h in hits if h.item is not None and h.item.id == item}
    return "block" if "block" in severities else ("review" if "review" in severities else None)


@pytest.fixture(scope="session")
def checker_for() -> Callable[..., Checker]:
    """`checker_for(items, recipient="respondent", allow=..., disclose_to=...)`."""
    return make_checker
