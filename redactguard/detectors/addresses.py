"""UK addresses: components, partial-match rules and near misses (contract §2).

An address item is split into unit (flat), building name, house number, street, localities,
town and postcode. The partial rules that identify the place, and so `block`:

* the full postcode alone;
* house number or building name with the street;
* flat or building name with the street;
* the street with a locality, the town or the postcode near it ("Cherry Tree Road in Headingley").

The street name alone, and near misses (a typo or OCR slip in the street or the postcode), are
`review`. A number-and-street match that the text itself contradicts (followed by another town or
another postcode) is at most `review`; the outward code alone is nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..normalise import ABBREVIATIONS, FlowText, TextView, tokenize
from ..ocr.confusions import near_misread
from ..vocabulary import Match, Severity
from .postcodes import parse_postcode
from .variant import ConfirmNearby, Variant

__all__ = ["AddressParts", "parse_address", "address_variants", "AddressGuard", "FuzzyAddress", "FUZZY_THRESHOLD"]

STREET_TYPES = frozenset(ABBREVIATIONS) - {"hse", "apt"} | {
    "way", "row", "walk", "hill", "view", "rise", "mews", "green", "vale", "grove", "wharf",
    "parade", "crest", "fold", "garth", "gate", "croft", "wynd", "yard", "approach", "circus",
    "boulevard", "broadway", "causeway", "embankment", "esplanade", "promenade", "quay", "side",
}
_UNIT_WORDS = {"apt", "unit", "suite", "room", "studio", "maisonette", "floor", "bedsit"}
#: What every postcode contains (a digit and two letters): a cheap scan before the full one.
_POSTCODE_TRIGGER = re.compile(r"[0-9][A-Za-z][A-Za-z]")
_POSTCODE_SEARCH = re.compile(r"\b(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", re.IGNORECASE)
#: Tokens a locality may be separated from its street by: "Cherry Tree Road in Headingley".
PROXIMITY = 6
#: rapidfuzz ratio (0-100) at or above which a street or postcode is a near miss (`review`).
FUZZY_THRESHOLD = 85.0


@dataclass(frozen=True)
class AddressParts:
    unit: tuple[str, ...] = ()
    building: tuple[str, ...] = ()
    number: tuple[str, ...] = ()
    street: tuple[str, ...] = ()
    localities: tuple[tuple[str, ...], ...] = ()
    postcode: tuple[str, str] | None = None

    @property
    def place_tokens(self) -> frozenset[str]:
        """Tokens of the localities, town and postcode: what confirms a street match."""
        out: set[str] = {t for loc in self.localities for t in loc}
        if self.postcode:
            out |= {self.postcode[0].lower() + self.postcode[1].lower(), self.postcode[1].lower()}
        return frozenset(out)

    @property
    def vocabulary(self) -> frozenset[str]:
        toks = [*self.unit, *self.building, *self.number, *self.street]
        return frozenset(toks) | self.place_tokens | ({self.postcode[0].lower()} if self.postcode else set())


def parse_address(value: str) -> AddressParts:
    """Split a UK address into components (canonical tokens)."""
    text = value
    postcode = None
    found = list(_POSTCODE_SEARCH.finditer(text))
    if found:
        m = found[-1]
        postcode = parse_postcode(m.group(1))
        if postcode:
            text = text[: m.start()] + text[m.end():]
    parts = [tokenize(p) for p in re.split(r"[,\n;]+", text)]
    parts = [p for p in parts if p]
    unit: list[str] = []
    building: list[str] = []
    number: list[str] = []
    street: list[str] = []
    localities: list[tuple[str, ...]] = []
    for part in parts:
        if not street:
            if part[0] in _UNIT_WORDS and not unit:
                unit = part[:2]
                part = part[2:]
                if not part:
                    continue
            num_at = next((i for i, t in enumerate(part) if re.fullmatch(r"\d+[a-z]?", t)), None)
            if num_at is not None and num_at + 1 < len(part):
                building.extend(part[:num_at])
                number = part[num_at : num_at + 1]
                rest = part[num_at + 1 :]
                street, tail = _split_street(rest)
                if tail:
                    localities.append(tuple(tail))
                continue
            if part[-1] in STREET_TYPES or any(t in STREET_TYPES for t in part):
                street, tail = _split_street(part)
                if tail:
                    localities.append(tuple(tail))
                continue
            building.extend(part)
            continue
        localities.append(tuple(part))
    if not street and building:  # "Rose Cottage, Leeds": the building stands for the street
        street, building = building, []
    return AddressParts(
        unit=tuple(unit), building=tuple(building), number=tuple(number), street=tuple(street),
        localities=tuple(localities), postcode=postcode,
    )


def _split_street(tokens: list[str]) -> tuple[list[str], list[str]]:
    """'cherry tree rd headingley' -> (['cherry','tree','rd'], ['headingley'])."""
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i] in STREET_TYPES and i > 0:
            return tokens[: i + 1], tokens[i + 1 :]
    return tokens, []


@dataclass(frozen=True)
class AddressGuard:
    """Context checks for an address partial: confirm by nearby places, or contradict."""

    parts: AddressParts
    confirm: bool = False  # street alone: upgrade to block when a locality/town/postcode is near

    def refine(self, view: TextView, first: int, last: int, variant: Variant,
               flow: FlowText | None = None) -> tuple[Severity, Match, int, int]:
        severity, match = variant.severity, variant.match
        if self.confirm:
            severity, match, first, last = ConfirmNearby(self.parts.place_tokens, after=PROXIMITY).refine(
                view, first, last, variant
            )
            before = self._number_before(view, first)
            if before is not None:  # "flat 2 on Cherry Tree Road", "number 14 on ..."
                severity, first = Severity.BLOCK, before
        if severity == Severity.BLOCK and variant.rule != "postcode" and self._contradicted(view, last, flow):
            severity = Severity.REVIEW
        return severity, match, first, last

    def _number_before(self, view: TextView, first: int) -> int | None:
        """Index of this address's house number, or its flat ("flat 2"), a few words before the street.

        A bare flat number is not enough: "1 Cherry Road" is another house when we hold "Flat 1, 2 ...".
        """
        tokens = view.tokens
        unit = self.parts.unit
        for k in range(first - 1, max(-1, first - 4), -1):
            if self.parts.number and tokens[k] == self.parts.number[0]:
                return k
            if len(unit) == 2 and k >= 1 and tokens[k] == unit[1] and tokens[k - 1] == unit[0]:
                return k - 1
        return None

    def _contradicted(self, view: TextView, last: int, flow: FlowText | None = None) -> bool:
        """The text goes on to name another town or postcode right after the street.

        Another full postcode within the next few words contradicts. So does a town-like part
        after a comma on the same line: one to three words, capitalised (or lower case where the
        street itself was written in lower case), ending the clause. A word on the next line is
        not taken for a town without a postcode: in forms it is usually the next label.

        In text read by OCR, what differs from this address only by OCR's misreadings ("LS8 3EX"
        for LS6 3EX, `ocr.confusions.near_misread`), or was read below the confidence floor, is
        no contradiction: the scan may well show this address.
        """
        misread = flow is not None and flow.ocr
        ours = self.parts.vocabulary
        text = view.text
        k = last + 1
        n = len(view.tokens)
        if k >= n:
            return False
        # another postcode within the next few tokens
        window = text[view.ends[last] : view.ends[min(n - 1, last + 5)]]
        base = view.ends[last]
        for m in _POSTCODE_SEARCH.finditer(window):
            pc = parse_postcode(m.group(1))
            if pc and pc != self.parts.postcode:
                if misread and (
                    (self.parts.postcode is not None and near_misread("".join(pc), "".join(self.parts.postcode)))
                    or flow.unsure_at(base + m.start(1), base + m.end(1))  # type: ignore[union-attr]
                ):
                    continue
                return True
        gap = text[view.ends[last] : view.starts[k]]
        if "," not in gap or "\n" in gap:
            return False
        street_text = text[view.starts[last] : view.ends[last]]
        lower_ok = street_text.islower()
        j = k
        while j < n and j < k + 3:
            word = text[view.starts[j] : view.ends[j]]
            if view.tokens[j] in ours or word.lower() in _NOT_TOWNS:
                return False
            if misread and (flow.unsure_at(view.starts[j], view.ends[j])  # type: ignore[union-attr]
                            or any(near_misread(word.lower(), mine) for mine in ours)):
                return False
            if not (word[:1].isupper() or (lower_ok and word.islower())):
                return False
            after = text[view.ends[j] : view.starts[j + 1]] if j + 1 < n else ""
            j += 1
            if j >= n or re.search(r"[,.\n;]", after):
                return not after.startswith(":")
        return False


#: Words that can follow "14 Cherry Tree Road," without naming another place.
_NOT_TOWNS = frozenset(
    "and or but as which where who when while with since until then so yesterday today tomorrow "
    "however although because if in on at to from for by she he they we her his their the a an "
    "please thanks regards dear tel telephone phone mobile email date ref".split()
)


def address_variants(value: str) -> list[Variant]:
    """Partial variants of one address spelling (the full value is added by variants.py)."""
    p = parse_address(value)
    out: list[Variant] = []
    if p.postcode:
        outward, inward = p.postcode[0].lower(), p.postcode[1].lower()
        out.append(Variant((outward, inward), Match.PARTIAL, Severity.BLOCK, "postcode"))
        out.append(Variant((outward + inward,), Match.PARTIAL, Severity.BLOCK, "postcode"))
    if not p.street:
        return out
    guard = AddressGuard(p)
    confirm = AddressGuard(p, confirm=True)
    street = p.street
    if p.number:
        out.append(Variant(p.number + street, Match.PARTIAL, Severity.BLOCK, "number+street", guard))
    if p.building:
        out.append(Variant(p.building + street, Match.PARTIAL, Severity.BLOCK, "building+street", guard))
        if p.number:
            out.append(Variant(p.building + p.number + street, Match.PARTIAL, Severity.BLOCK, "building+street", guard))
    if p.unit:
        out.append(Variant(p.unit + street, Match.PARTIAL, Severity.BLOCK, "flat+street", guard))
        if p.number:
            out.append(Variant(p.unit + p.number + street, Match.PARTIAL, Severity.BLOCK, "flat+street", guard))
    for loc in p.localities:
        out.append(Variant(street + loc, Match.PARTIAL, Severity.BLOCK, "street+locality", guard))
    # the street alone; `confirm` upgrades it when a locality, town or postcode is near
    if len(street) >= 2:
        out.append(Variant(street, Match.PARTIAL, Severity.REVIEW, "street", confirm))
    return out


@dataclass
class FuzzyAddress:
    """Near misses of one address's street and postcode: a typo or an OCR slip is `review`."""

    item_id: str
    parts: AddressParts
    threshold: float = FUZZY_THRESHOLD
    _anchors: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        street = self.parts.street
        self._anchors = frozenset(t for t in street if len(t) >= 3) | ({street[-1]} if street else set())

    @property
    def anchors(self) -> frozenset[str]:
        """Tokens near which a near miss of the street can stand (its words and its type)."""
        return self._anchors if len(self.parts.street) >= 2 else frozenset()

    def street_windows(self, view: TextView, positions: list[int]) -> list[tuple[int, int]]:
        """Token windows around `positions` (anchor tokens) within the threshold of the street."""
        from rapidfuzz import fuzz

        street = self.parts.street
        if len(street) < 2:
            return []
        target = " ".join(street)
        size = len(street)
        tokens = view.tokens
        anchors = self._anchors
        typed: dict[str, bool] = {}  # token -> ends like our street type (tokens repeat a lot)
        ours, whole, n = street[-1], list(street), len(tokens)
        ends: set[int] = set()  # a window ends in a street type within `size` tokens of an anchor
        for i in positions:
            if tokens[i] in anchors:
                ends.update(range(max(i, size - 1), min(i + size, n)))
        out = []
        for last in sorted(ends):
            word = tokens[last]
            like = typed.get(word)
            if like is None:
                like = typed[word] = _street_type_like(word, ours)
            if not like:
                continue
            start = last - size + 1
            window = tokens[start : last + 1]
            if window == whole:
                continue
            if fuzz.ratio(" ".join(window), target) >= self.threshold:
                out.append((start, last))
        return out

    def postcode_spans(self, found: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """Of the flow's postcode-shaped strings, those one character away from ours."""
        if not self.parts.postcode:
            return []
        from rapidfuzz.distance import Levenshtein

        ours = "".join(self.parts.postcode)
        return [(s, e) for s, e, theirs in found if theirs != ours and Levenshtein.distance(theirs, ours) == 1]

    def misread_postcode(self, text: str) -> bool:
        """Whether `text`, a postcode read by OCR, is ours with one digit Tesseract confuses."""
        found = parse_postcode(text)
        return bool(self.parts.postcode and found and near_misread("".join(found), "".join(self.parts.postcode)))


def _street_type_like(token: str, ours: str) -> bool:
    """A near miss still ends in a street type ("Cherny Tree Road", "Cherry Tree Raod"), which
    keeps ordinary phrases ("a cherry tree in the garden") out."""
    if token in STREET_TYPES:
        return True
    from rapidfuzz.distance import OSA  # edit distance counting a swap of two letters as one

    spellings = ABBREVIATIONS.get(ours, (ours,))
    return len(token) >= 3 and any(OSA.distance(token, s) <= 1 for s in spellings if len(s) >= 3)


def postcodes_in(text: str) -> list[tuple[int, int, str]]:
    """Every full-postcode-shaped string in `text`: (start, end, compact upper-case form)."""
    out = []
    end = -1
    for hit in _POSTCODE_TRIGGER.finditer(text):  # every postcode has its inward code's "9AA"
        if hit.start() < end:
            continue
        lo = max(end, hit.start() - 6)  # "GIR 0AA" / "EC1A 1BB": the outward code is just before
        for m in _POSTCODE_SEARCH.finditer(text, lo, min(len(text), hit.end() + 1)):
            pc = parse_postcode(m.group(1))
            if pc is not None:
                out.append((m.start(), m.end(), "".join(pc)))
            end = max(end, m.end())
    return out
