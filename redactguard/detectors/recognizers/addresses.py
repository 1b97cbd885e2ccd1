"""UK street addresses: house number, capitalised street name and street type, then town and postcode.

Matching is case-sensitive on purpose: a street name is written with capitals, and that is
most of what separates "14 Cherry Tree Road" from "14 days later". The postcode grammar is
Presidio's own (UkPostcodeRecognizer), so the two recognizers agree on what a postcode is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex as re
from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer

from .base import UkPatternRecognizer

if TYPE_CHECKING:
    pass

__all__ = ["UkStreetAddressRecognizer", "STREET_TYPES", "WEAK_STREET_TYPES"]

#: Street types (and their usual abbreviations) that end a UK street name.
STREET_TYPES = (
    "Road", "Rd", "Street", "St", "Avenue", "Ave", "Lane", "Ln", "Close", "Cl", "Drive", "Dr",
    "Crescent", "Cres", "Gardens", "Gdns", "Court", "Ct", "Place", "Pl", "Square", "Sq",
    "Terrace", "Terr", "Tce", "Way", "Grove", "Gr", "Walk", "Row", "Mews", "Hill", "View",
    "Rise", "Park", "Green", "Vale", "Parade", "Wharf", "Croft", "Fold", "Garth", "Gate",
    "Approach", "Boulevard", "Broadway", "Chase", "Circus", "Dene", "Esplanade", "Heights",
    "Meadow", "Meadows", "Mount", "Promenade", "Quay", "Villas", "Wynd", "Yard",
)  # fmt: skip
#: Types that are also everyday words in a court document ("3 Family Court hearings",
#: "Green Park"): without a postcode, a street of one of these types scores lower.
WEAK_STREET_TYPES = frozenset(
    "Court Ct Park View Way Hill Walk Place Row Square Green Gate Yard Mount Heights".split()
)


def _alternation(words: tuple[str, ...] | frozenset[str]) -> str:
    spelled = {w for word in words for w in (word, word.upper())}
    return "(?:" + "|".join(sorted(spelled, key=lambda w: (-len(w), w))) + ")"


_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
#: House or flat number: "14", "14a", "14-16", "Flat 2, 14", "Flat 2B 14". Not a year.
_NUMBER = (
    r"(?<![\w£$€.,/-])"
    r"(?:(?:Flat|FLAT|Apartment|Apt|Unit|Maisonette)[ \t]+\d{1,4}[A-Za-z]?[ \t]*,?[ \t]*\n?[ \t]*)?"
    r"(?!(?:19|20)\d\d\b)\d{1,4}[A-Za-z]?(?:[ \t]*[-\u2013][ \t]*\d{1,4}[A-Za-z]?)?,?[ \t]+"
)
#: A capitalised word of a street name ("Cherry", "St", "John's", "O'Connell", "CHERRY").
_WORD = r"[A-Z][A-Za-z'\u2019-]*\.?"


def _street(types: frozenset[str]) -> str:
    """One to four capitalised words, then one of `types`. A month cannot open it ("14 March")."""
    plain = _alternation(types - {"St", "Dr"})
    # "St"/"Dr" followed by a capitalised word is Saint or Doctor: "14 March Dr Khan", "St Mary's".
    abbreviated = [a for a in ("St", "Dr") if a in types]
    if abbreviated:
        plain = f"(?:{plain}|{_alternation(frozenset(abbreviated))}(?!\\.?[ \\t]+[A-Z]))"
    # A full stop after the type belongs to the street only as an abbreviation's ("Rd., Leeds").
    return rf"(?!(?:{_MONTH_NAMES})\b)(?:{_WORD}[ \t]+){{1,4}}?{plain}\b(?:\.(?=[ \t]*,))?"


_STRONG = _street(frozenset(STREET_TYPES) - WEAK_STREET_TYPES)
_WEAK = _street(WEAK_STREET_TYPES)

#: Place words after a comma or line break: "Headingley", "Newcastle upon Tyne", "LEEDS".
_NOT_PLACE = (
    "Mr|Mrs|Ms|Miss|Dr|The|She|He|They|It|I|We|On|In|At|And|But|Tel|Telephone|Phone|Mobile"
    "|Email|Dear|Date|Ref|DOB"
)
_PLACE = (
    rf"(?!(?:{_NOT_PLACE})\b)[A-Z][A-Za-z'\u2019-]+\b"
    r"(?:[ \t]+(?:upon|on|under|in|le|by|de|la|the|[A-Z][A-Za-z'\u2019-]+\b)){0,3}"
)
_LOCALITIES = rf"(?:[ \t]*(?:,|\n)[ \t]*\n?[ \t]*{_PLACE}){{0,3}}"
_POSTCODE = "(?i:" + UkPostcodeRecognizer.PATTERNS[0].regex + ")"
_POSTCODE_TAIL = rf"(?:[ \t]*,?[ \t]*\n?[ \t]*){_POSTCODE}"

#: Words after which a number is a reference, not a house number: "paragraph 3 High Street",
#: "section 8 Children Act", "Court 2 Leeds Combined Court Centre".
_REFERENCE_BEFORE = re.compile(
    r"(?i:\b(?:pages?|pp?|paras?|paragraphs?|sections?|ss?|rules?|parts?|tabs?|exhibits?|appendix"
    r"|schedules?|items?|annex|vol|volume|clauses?|articles?|chapters?|regs?|regulations?|lines?"
    r"|questions?|q|bundle|room|court|courtroom)\.?[ \t]*)$"
)


class UkStreetAddressRecognizer(UkPatternRecognizer):
    """Recognizes UK street addresses: "Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX".

    A number, one to four capitalised words and a street type make an address; the localities,
    town and postcode after it (by comma or line break) are included in the span. With a
    postcode the score is higher.
    """

    ENTITY = "STREET_ADDRESS"

    COUNTRY_CODE = "uk"

    PATTERNS = [
        Pattern("street + postcode", _NUMBER + _STRONG + _LOCALITIES + _POSTCODE_TAIL, 0.8),
        Pattern("weak street + postcode", _NUMBER + _WEAK + _LOCALITIES + _POSTCODE_TAIL, 0.8),
        Pattern("street", _NUMBER + _STRONG + _LOCALITIES, 0.5),
        # "2 Crown Court", "3 Green Park": an address only with context (Presidio-style boost).
        Pattern("weak street", _NUMBER + _WEAK + _LOCALITIES, 0.3),
    ]

    CONTEXT = [
        "lives at",
        "living at",
        "moved to",
        "address",
        "resides",
        "residing",
        "staying at",
        "home",
    ]

    # Case matters: capitals are what make a street name (see the module docstring).
    REGEX_FLAGS = re.DOTALL | re.MULTILINE

    #: Every pattern ends its street in one of the types, spelled as the patterns spell them.
    #: The house number and the street type always share a line, the number first.
    TRIGGER = rf"\d[^\n]*?(?=[A-Z]){_alternation(STREET_TYPES)}\b"  # (?=[A-Z]): a cheap first test
    #: Localities and a postcode, on lines of their own, can follow the street (windows are whole
    #: lines, and the line before and after as well).
    TRIGGER_REACH = 150

    def keep(self, text: str, result: RecognizerResult) -> bool:
        """Addresses found by the patterns, less numbers that are references ("paragraph 3")."""
        return not _REFERENCE_BEFORE.search(text[max(0, result.start - 20) : result.start])
