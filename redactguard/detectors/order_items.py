"""The order's items: token variants, phone numbers by their digits, and regex items."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..normalise import ABBREVIATIONS, FlowText, TextView, canonical
from ..order import Order, ProtectedItem
from ..vocabulary import ItemKind, Match, Severity
from .addresses import FuzzyAddress, parse_address, postcodes_in
from .base import Hit
from .misreadings import fold_token, ocr_digits
from .phones import phone_forms
from .phrases import PhraseIndex
from .variant import Variant
from .variants import variants_for

__all__ = ["OrderDetector"]

_MAX_PHONE_DIGITS = 17  # 00 + country code + (0) + national number
#: The longest word looked at for the order's words run together (a few words' worth).
_MAX_RUN = 40


@dataclass(frozen=True)
class _Entry:
    item: ProtectedItem
    variant: Variant
    value_raw: tuple[str, ...]  # raw tokens of the value, to tell `exact` from `variant`


#: How alike (rapidfuzz's ratio, 0-100) an unsure OCR word and an order word must be for the one
#: to be taken for the other: "Chews", "chery" and "Cheney" for "cherry" (55-91), read at
#: confidence 23-40 on the turned fixtures of fixtures/scans.
UNSURE_SIMILARITY = 50


#: Where words run together with nothing between them: a lower-case letter then a capital
#: ("RoadHeadingley", "LeedsLS6"), a capital that starts a word after other capitals ("3EXDear"),
#: a word then a number ("Road14") or a number then a word ("14Cherry").
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[A-Z][a-z])")
#: The same places, as a pattern that consumes characters: twice as fast to look for in a flow
#: that has none (most have none).
_GLUED_ANY = re.compile(r"[a-z][A-Z0-9]|[A-Z][A-Z][a-z]|[0-9][A-Z][a-z]")


def unglue(text: str, cuts: Iterable[int] = ()) -> tuple[str, list[int], list[int]]:
    """`text` with a space wherever words run together (`_GLUED`, and the offsets `cuts`), and
    for each character of the result the [start, end) in `text` it stands for (an inserted
    space stands for none)."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for cut in sorted({m.start() for m in _GLUED.finditer(text)}.union(cuts)):
        parts.append(text[pos:cut])
        starts.extend(range(pos, cut))
        ends.extend(range(pos + 1, cut + 1))
        parts.append(" ")
        starts.append(cut)
        ends.append(cut)
        pos = cut
    parts.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return "".join(parts), starts, ends


class OrderDetector:
    """Finds every item of an order, whoever it is withheld from (decide.py filters later)."""

    name = "order"

    def __init__(self, order: Order):
        self.order = order
        self.index: PhraseIndex[_Entry] = PhraseIndex()
        self.phones: dict[str, list[ProtectedItem]] = {}
        self.regexes: list[tuple[re.Pattern[str], ProtectedItem]] = []
        self.fuzzy: list[tuple[FuzzyAddress, ProtectedItem]] = []
        self._variant_entries: dict[tuple[str, ...], list[_Entry]] = {}
        for item in order.items:
            self._compile(item)
        # text read by OCR is also matched with each token folded for OCR's misreadings
        self.folded: PhraseIndex[_Entry] = PhraseIndex()
        for tokens, entries in self._variant_entries.items():
            for entry in entries:
                self.folded.add(tuple(fold_token(t) for t in tokens), entry)
        del self._variant_entries
        #: The folded words of the order's variants that an unsure OCR word may stand for.
        self._folded_words = sorted({k for keys in self.folded.phrases() for k in keys if len(k) >= 3 and k.isalpha()})
        self._folded_set = frozenset(self._folded_words)
        #: Every word of the order's variants (canonical tokens), for words OCR ran together.
        self._words = frozenset(t for keys in self.index.phrases() for t in keys)
        #: ...and every spelling of them ("road" for "rd"), to pass over other words quickly.
        self._spellings = tuple(sorted(self._words.union(*(ABBREVIATIONS.get(t, ()) for t in self._words))))
        self._anchors = frozenset(a for fuzzy, _ in self.fuzzy for a in fuzzy.anchors)
        # a phone match starts with a digit token that is a prefix of one of the forms
        self._phone_prefixes = frozenset(form[:k] for form in self.phones for k in range(1, len(form) + 1))
        #: Every token at which some match can start or anchor: one pass over a flow's tokens
        #: finds them all, and each matcher then looks only at those positions.
        self._interesting = self.index.firsts | self._anchors | self._phone_prefixes

    def _compile(self, item: ProtectedItem) -> None:
        if item.kind == "regex":
            for spelling in item.spellings:
                self.regexes.append((re.compile(spelling), item))
            return
        if item.kind == "phone":
            for spelling in item.spellings:
                for form in phone_forms(spelling):
                    self.phones.setdefault(form, []).append(item)
            return
        value_raw = tuple(TextView.build(item.value).raw)
        if item.kind == "address":
            for spelling in item.spellings:
                self.fuzzy.append((FuzzyAddress(item.id, parse_address(spelling)), item))
        for variant in variants_for(item):
            entry = _Entry(item, variant, value_raw)
            self.index.add(variant.tokens, entry)
            self._variant_entries.setdefault(variant.tokens, []).append(entry)

    def detect(self, flow: FlowText) -> list[Hit]:
        hits = self._detect(flow)
        cuts = self._run_together(flow) if flow.ocr else []
        if cuts or _GLUED_ANY.search(flow.text):
            hits.extend(self._unglued_hits(flow, hits, cuts))
        return hits

    def _run_together(self, flow: FlowText) -> list[int]:
        """Where OCR ran the order's words together: Tesseract reads a narrow space as none,
        most often beside a one-letter word ("Heoly Felin" for "Heol y Felin"). Inside a word
        that is none of the order's, the places that part it wholly into the order's words."""
        view, words, spellings = flow.view, self._words, self._spellings
        out: list[int] = []
        for raw, token, start, end in zip(view.raw, view.tokens, view.starts, view.ends, strict=True):
            if (token in words or not raw.startswith(spellings) or not raw.endswith(spellings)
                    or not 2 <= len(raw) <= _MAX_RUN or len(raw) != end - start):
                continue
            parts = _parted(raw, words)
            if parts:
                out.extend(start + cut for cut in itertools.accumulate(len(part) for part in parts[:-1]))
        return out

    def _unglued_hits(self, flow: FlowText, found: list[Hit], cuts: Iterable[int] = ()) -> list[Hit]:
        """Matches found only once words that run together are parted: a PDF whose producer
        drew "(14 Cherry Tree Road) Tj (Headingley) Tj" with nothing between the pieces shows
        "RoadHeadingley", and a reader still sees the address. A space goes wherever a lower-case
        letter meets a capital, a capital starts a word after other capitals ("3EXDear"), or a
        word meets a number, and at `cuts` (`_run_together`); the matches keep the original
        text's offsets."""
        from ..document import Location, Segment

        text, starts, ends = unglue(flow.text, cuts)
        words = ((0, len(text), (0.0, 0.0, 0.0, 0.0)),) if flow.ocr else ()
        parted = FlowText([Segment(text, Location(), words=words)])
        seen = {(h.start, h.end, h.item.id if h.item else "") for h in found}
        out = []
        for hit in self._detect(parted):
            start, end = starts[hit.start], ends[hit.end - 1]
            if (start, end, hit.item.id if hit.item else "") not in seen:
                out.append(replace(hit, start=start, end=end))
        return out

    def _detect(self, flow: FlowText) -> list[Hit]:
        view = flow.view
        tokens, interesting = view.tokens, self._interesting
        candidates = [i for i, t in enumerate(tokens) if t in interesting]
        found = list(self.index.find(tokens, candidates))
        hits = [self._token_hit(view, first, last, entry, flow) for first, last, entry in found]
        if flow.ocr:
            hits.extend(self._misread_hits(flow, {(a, b, e.item.id) for a, b, e in found}))
        if self.phones:
            hits.extend(self._phone_hits(view, view.raw, candidates))
            if flow.ocr:
                digits = [ocr_digits(flow.text[s:e]) or t for t, s, e in zip(view.raw, view.starts, view.ends, strict=True)]
                hits.extend(replace(h, match=Match.VARIANT) for h in self._phone_hits(view, digits))
        if self.fuzzy:
            hits.extend(self._fuzzy_hits(flow, candidates))
        for pattern, item in self.regexes:
            for m in pattern.finditer(flow.text):
                if m.end() > m.start():
                    hits.append(Hit(start=m.start(), end=m.end(), kind=item.kind, match=Match.EXACT, severity=Severity.BLOCK,
                                        detector="order", item=item, rule="regex"))
        return hits

    def _token_hit(self, view: TextView, first: int, last: int, entry: _Entry, flow: FlowText | None = None) -> Hit:
        variant = entry.variant
        match, severity = variant.match, variant.severity
        if match == Match.EXACT and tuple(view.raw[first : last + 1]) != entry.value_raw:
            match = Match.VARIANT
        if variant.guard is not None:
            severity, match, first, last = variant.guard.refine(view, first, last, variant, flow)
        start, end = view.span(first, last)
        confidence = 1.0 if severity == Severity.BLOCK else 0.6
        return Hit(start=start, end=end, kind=entry.item.kind, match=match, severity=severity, detector="order",
                   confidence=confidence, item=entry.item, rule=variant.rule)

    def _misread_hits(self, flow: FlowText, seen: set[tuple[int, int, str]]) -> list[Hit]:
        """Variants found only once OCR's misreadings are folded on both sides, and with each
        word OCR read below its confidence floor taken for the order's word it most resembles
        (docs/matching.md, "Text read by OCR")."""
        view = flow.view
        keys = [fold_token(flow.text[s:e]) for s, e in zip(view.starts, view.ends, strict=True)]
        if any(seg.unsure for seg in flow.segments):
            keys = self._unsure_as_ours(flow, keys)
        out = []
        for first, last, entry in self.folded.find(keys):
            if (first, last, entry.item.id) in seen:
                continue
            hit = self._token_hit(view, first, last, entry, flow)
            out.append(replace(hit, match=Match.PARTIAL if hit.match == Match.PARTIAL else Match.VARIANT))
        return out

    def _unsure_as_ours(self, flow: FlowText, keys: list[str]) -> list[str]:
        """`keys` with each unsure word ("Chews", read at confidence 40 where the scan shows
        "Cherry") replaced by the order's word it most resembles, when it resembles one
        (`UNSURE_SIMILARITY`). A sure word is never replaced: what OCR read well is what is there."""
        if not self._folded_words:
            return keys
        from rapidfuzz import fuzz, process

        view, out, words = flow.view, list(keys), self._folded_set
        for i, (start, end) in enumerate(zip(view.starts, view.ends, strict=True)):
            key = keys[i]
            if len(key) < 3 or not key.isalpha() or key in words or not flow.unsure_at(start, end):
                continue
            best = process.extractOne(key, self._folded_words, scorer=fuzz.ratio, score_cutoff=UNSURE_SIMILARITY)
            if best is not None:
                out[i] = best[0]
        return out

    def _fuzzy_hits(self, flow: FlowText, candidates: list[int]) -> list[Hit]:
        """Near misses of address streets and postcodes (one pass over the tokens for all items)."""
        view = flow.view
        anchors, tokens = self._anchors, view.tokens
        positions = [i for i in candidates if tokens[i] in anchors]
        postcodes = flow.cache.get("postcodes")
        if postcodes is None:
            postcodes = flow.cache["postcodes"] = postcodes_in(flow.text)
        out = []
        for fuzzy, item in self.fuzzy:
            for first, last in fuzzy.street_windows(view, positions):
                start, end = view.span(first, last)
                out.append(Hit(start=start, end=end, kind=item.kind, match=Match.FUZZY, severity=Severity.REVIEW,
                                       detector="order", confidence=0.5, item=item, rule="near-street"))
            for start, end in fuzzy.postcode_spans(postcodes):  # type: ignore[arg-type]
                # read by OCR, one digit Tesseract confuses ("LS6 8EX" for LS6 3EX) is our postcode
                # as far as the reading can tell: blocked (and painted) like the postcode itself
                if flow.ocr and fuzzy.misread_postcode(flow.text[start:end]):
                    out.append(Hit(start=start, end=end, kind=item.kind, match=Match.VARIANT, severity=Severity.BLOCK,
                                   detector="order", confidence=0.9, item=item, rule="misread-postcode"))
                    continue
                out.append(Hit(start=start, end=end, kind=item.kind, match=Match.FUZZY, severity=Severity.REVIEW,
                                       detector="order", confidence=0.5, item=item, rule="near-postcode"))
        return out

    def _phone_hits(self, view: TextView, tokens: list[str], candidates: list[int] | None = None) -> list[Hit]:
        """Digit tokens joined across any separators, compared with each number's forms.

        `candidates`: positions that hold every token of `tokens` in the phone prefixes (and
        maybe others), when the caller has found them already.
        """
        phones, out = self.phones, []
        n = len(tokens)
        prefixes = self._phone_prefixes
        starts = range(n) if candidates is None else candidates
        for i in [i for i in starts if tokens[i] in prefixes]:
            digits = ""
            for j in range(i, min(n, i + 16)):  # letter-spaced digits from PDFs and OCR
                if not tokens[j].isdigit():
                    break
                digits += tokens[j]
                if len(digits) > _MAX_PHONE_DIGITS:
                    break
                for item in phones.get(digits, ()):
                    match = Match.EXACT if j == i or _same_digits_layout(view, i, j, item) else Match.VARIANT
                    start, end = view.span(i, j)
                    out.append(Hit(start=start, end=end, kind=ItemKind.PHONE, match=match, severity=Severity.BLOCK, detector="order",
                                        item=item, rule="phone"))
        return out


def _parted(word: str, words: frozenset[str]) -> list[str] | None:
    """`word` (lower case) as two or more of `words` run together, fewest pieces first; None if it
    is not. Each piece is compared in its canonical form ("rd" for "road")."""
    best: list[str] | None = None
    for cut in range(1, len(word)):
        head, tail = word[:cut], word[cut:]
        if canonical(head) not in words:
            continue
        if canonical(tail) in words:
            return [head, tail]
        rest = _parted(tail, words) if best is None else None
        if rest:
            best = [head, *rest]
    return best


def _same_digits_layout(view: TextView, first: int, last: int, item: ProtectedItem) -> bool:
    return tuple(view.raw[first : last + 1]) == tuple(TextView.build(item.value).raw)
