"""Decide what the recipient may not see: recipient, disclose_to, allow, generic policy.

Detectors find everything; this stage keeps the hits that matter for one recipient and gives
each its final severity. It never raises a severity that a detector did not earn, except where
the order's `generic:` policy says so.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .detectors.base import SEVERITY_RANK, Hit
from .detectors.names import TITLES
from .detectors.phrases import PhraseIndex
from .normalise import FlowText, tokenize
from .order import Order
from .vocabulary import GenericKind, ItemKind, Match, Severity

__all__ = ["Policy", "DEFAULT_GENERIC", "TIE_KINDS", "tie_span"]

#: Generic kinds that are off unless the order's `generic:` policy turns them on: a town or an
#: organisation named alone is not personal data (whereabouts are `address` and `institution`).
DEFAULT_GENERIC: dict[str, Severity] = {GenericKind.LOCATION: Severity.OFF, GenericKind.ORGANISATION: Severity.OFF}

#: What harms in a family case: where someone can be found, how to reach them, what identifies
#: them. A person's name is reported by default only where it is tied to one of these (a reported
#: generic finding, or a withheld order item of a kind in `TIE_ITEM_KINDS`) in the same sentence
#: or line; the parties' and children's names are known to everyone in the case.
TIE_KINDS = frozenset({
    GenericKind.ADDRESS, GenericKind.POSTCODE, GenericKind.INSTITUTION, GenericKind.GPS, GenericKind.VEHICLE,
    GenericKind.PHONE, GenericKind.EMAIL,
    GenericKind.NHS_NUMBER, GenericKind.NI_NUMBER, GenericKind.PASSPORT, GenericKind.DRIVING_LICENCE,
    GenericKind.IBAN, GenericKind.BANK_ACCOUNT, GenericKind.CREDIT_CARD, GenericKind.DATE_OF_BIRTH,
})
TIE_ITEM_KINDS = frozenset({
    ItemKind.ADDRESS, ItemKind.POSTCODE, ItemKind.PHONE, ItemKind.EMAIL, ItemKind.SCHOOL, ItemKind.PLACE,
    ItemKind.VEHICLE,
})
#: A name and what it is tied to lie at most this many characters apart, whatever the sentence:
#: text without sentence ends (a PDF's table, a list of names) must not tie a name to an address
#: a page away.
TIE_REACH = 300
#: A line counts beside the sentence only up to this length: a layout's line (a PDF's, a form's
#: row, a text file's), not a paragraph that a word processor stores as one line.
LINE_MAX = 120

#: Where a sentence ends: `.`, `!` or `?` (and any closing quotes or brackets) before white space,
#: a blank line (a DOCX paragraph ends in one), or a form feed (a page break in plain text).
_SENTENCE_END = re.compile(r"[.!?][\"')\]\u2019\u201d]*\s+|\n[ \t\r]*\n|\f")
#: A full stop after one of these is not a sentence end ("Mr. Walsh", "14 Elm St. Leeds", "J. Walsh").
_ABBREVIATION = re.compile(
    r"(?:\b(?:mr|mrs|ms|mx|dr|prof|rev|sgt|insp|cllr|st|rd|ave|no|nos|co|ltd|jr|sr|vs?|etc|approx|para|paras|"
    r"e\.g|i\.e|cf|tel|mob)|(?<![^\W\d_])[a-z])$",
    re.IGNORECASE,
)

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
        person_rule = self._rules().get(GenericKind.PERSON)
        kept: list[Hit] = []
        persons: list[Hit] = []  # names that count only where tied (the order names no `person` rule)
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
            if hit.kind == GenericKind.PERSON:
                if _overlaps(hit, party_spans) or _only_words(flow.text[hit.start : hit.end], party_words):
                    continue
                if person_rule is None:
                    persons.append(hit)
                    continue
            severity = self._generic_severity(hit.kind)
            if severity != Severity.OFF:
                kept.append(replace(hit, severity=severity))
        if persons:
            kept.extend(self._tied(flow.text, persons, kept))
        return _merge(kept)

    def _rules(self) -> dict[str, str]:
        return self.order.generic if self.order is not None else {}

    def _generic_severity(self, kind: str) -> Severity:
        rules = self._rules()
        return Severity(rules.get(kind, DEFAULT_GENERIC.get(kind) or rules.get("default", Severity.REVIEW)))

    def _tied(self, text: str, persons: list[Hit], kept: list[Hit]) -> list[Hit]:
        """The names (the order names no `person` rule) that share a sentence or a line with a
        reported whereabouts, contact detail or identifier, at the severity the order's `default`
        gives (`review` without one)."""
        severity = Severity(self._rules().get("default", Severity.REVIEW))
        if severity == Severity.OFF:
            return []
        ties = sorted((h.start, h.end) for h in kept if _ties(h))
        if not ties:
            return []
        starts = [s for s, _ in ties]
        longest = max(e - s for s, e in ties)
        out = []
        for hit in persons:
            lo, hi = tie_span(text, hit.start, hit.end)
            # a tie overlapping [lo, hi) that is not the name's own text (a school named after
            # someone); none starting more than `longest` before lo can reach it
            first = bisect_left(starts, lo - longest)
            for s, e in ties[first:]:
                if s >= hi:
                    break
                if e > lo and s < hi and not (s < hit.end and hit.start < e):
                    out.append(replace(hit, severity=severity))
                    break
        return out

    @staticmethod
    def _spans(index: PhraseIndex[int], flow: FlowText) -> list[tuple[int, int]]:
        if not index:
            return []
        view = flow.view
        return [view.span(first, last) for first, last, _ in index.find(view.tokens)]


_TITLES = frozenset(TITLES)


def _ties(hit: Hit) -> bool:
    """Whether a reported hit is one a name beside it is tied to: a withheld order item, or
    generic data that a recogniser's grammar or checksum confirmed. An address only the model
    found does not tie a name (two guesses of the model's together are no surer than one: on
    the corpus, 947 of 1,009 tied names were tied only to an address the model guessed)."""
    if hit.item is not None:
        return hit.item.kind in TIE_ITEM_KINDS
    return hit.kind in TIE_KINDS and hit.match != Match.MODEL


def tie_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[lo, hi) of the text a name at [start, end) is tied to: its sentence and its line together
    (the line only if at most `LINE_MAX` long), at most `TIE_REACH` characters either side.

    A sentence runs across single line breaks (a PDF's lines wrap mid-sentence) and ends at a full
    stop, `!` or `?` before white space (not after a title, a street abbreviation or an initial), a
    blank line (the end of a DOCX paragraph or table cell) or a page break. The line adds a form's
    or table's row ("Dean Walsh. 4 Elm Street" on one line) where punctuation cuts a sentence.
    """
    lo, hi = max(0, start - TIE_REACH), min(len(text), end + TIE_REACH)
    sentence_lo, sentence_hi = lo, hi
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if m.group()[0] == "." and _ABBREVIATION.search(text, max(0, m.start() - 8), m.start()):
            continue
        if m.end() <= start:
            sentence_lo = m.end()
        elif m.start() >= end:
            sentence_hi = m.start()
            break
    line_lo = text.rfind("\n", 0, start) + 1
    line_hi = text.find("\n", end)
    line_hi = len(text) if line_hi == -1 else line_hi
    if line_hi - line_lo > LINE_MAX:  # a paragraph stored as one line: its sentences count
        return sentence_lo, sentence_hi
    return min(sentence_lo, line_lo), max(sentence_hi, line_hi)


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
