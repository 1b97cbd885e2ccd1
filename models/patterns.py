"""Entity-ruler patterns that run before the statistical NER.

Only shapes that are nearly always right go here, because the NER keeps the ruler's spans as
they are:

* ADDRESS: a whole UK address that ends in a postcode ("Flat 2, 12 Oak Road, Headingley,
  Leeds LS6 2QP", on one line or several: a house number, capitalised words and a street type,
  then places up to the postcode), and a postcode on its own. An address without a postcode is
  left to the NER: only it can tell whether the words after the street are the town;
* ORG: title-case words ending in an institution word ("St Mary's C of E Primary School",
  "Oakfield Medical Centre", "Leeds General Hospital"), a police force ("Kent Police",
  "Greater Manchester Police"), a council ("Kirklees Council", "London Borough of Lewisham"),
  "Dr Shah and Partners", "Eastleigh Children's Services", "Longmeadow Care Home".

Speed: spaCy's Matcher tries every pattern's first token at every token, and runs the Python
predicates (REGEX, IN) of a token spec before its plain attribute tests. So every pattern
starts with plain attributes only (IS_TITLE, IS_DIGIT, LOWER, SHAPE), and the regular
expressions run only on the few tokens after such a start.
"""

from __future__ import annotations

from typing import Any

import gazetteer as gz

__all__ = ["patterns"]

Token = dict[str, Any]

# Capitalised words that start sentences or name times, never part of a place's name.
_STOP = ("The|A|An|In|On|At|To|From|Of|For|And|But|Or|If|When|While|During|After|Before|Since|"
         "Until|Her|His|Their|My|Our|Your|This|That|These|Those|She|He|They|We|I|It|Mr|Mrs|Ms|"
         "Miss|Mx|Dr|Dear|Re|RE|Address|Tel|Sent|Present|Yours|Both|Today|Yesterday|Tomorrow|"
         "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
         "May|June|July|August|September|October|November|December")
_CAP = rf"^(?!(?:{_STOP})$)[A-Z][A-Za-z'’.\-]*$"
_TITLE = rf"^(?!(?:{_STOP})$)[A-Z][a-z'’.\-]+$"
_LINKS = r"^(?:['’][sS]|-|upon|on|in|le|under|super|by|the|de)$"  # King's Lynn, Barrow-in-Furness
_WORD: Token = {"TEXT": {"REGEX": rf"{_CAP}|{_LINKS}"}}
_STREET_TYPES = sorted({t.lower() for t in gz.STREET_TYPES} | {a.lower() for a in gz.STREET_ABBREVIATIONS.values()})
_BUILDINGS = sorted(w.lower() for w in gz.BUILDING_WORDS)
_UNITS = ["flat", "apartment", "apt", "unit", "room", "studio"]
_SEPARATOR: list[Token] = [{"ORTH": ",", "OP": "?"}, {"TEXT": {"REGEX": r"^\n$"}, "OP": "?"}]
# Between the street and the postcode: localities and the town, commas, single line breaks.
_PLACE_TOKEN: Token = {"TEXT": {"REGEX": rf"{_CAP}|{_LINKS}|^(?:,|\n| +)$"}}
# Postcode halves by token shape (spaCy's SHAPE keeps at most four of a kind in a row).
_OUTWARD_SHAPES = ["Xd", "Xdd", "XdX", "XXd", "XXdd", "XXdX"]
_INWARD_SHAPE = "dXX"
_NUMBER_SHAPES = [d + x for d in ("d", "dd", "ddd", "dddd") for x in ("", "x", "X")]  # 12, 12a, 12A
# An institution's name ends in one of these, or in a qualifier and "Centre" or "Practice".
_INSTITUTION_ENDS = ["School", "Academy", "Nursery", "Playgroup", "College", "Surgery", "Hospital",
                     "Infirmary", "Clinic", "Kindergarten"]
_QUALIFIERS = ["Medical", "Health", "Children", "Family", "Contact", "Group", "Dental"]
# Other institution names by their last words; each ends the name, so the ruler never runs on.
_BODY_ENDS = ["Police", "Constabulary", "Council", "Refuge", "Foodbank"]
_BODY_PAIRS = [("Children", "Services"), ("Care", "Home"), ("Nursing", "Home"), ("Women", "Aid")]
# Words inside an institution's name that are not title case: "C of E", "St Mary's", "-on-Sea".
_INSTITUTION_WORD: Token = {"TEXT": {"REGEX": rf"{_TITLE}|{_LINKS}|^(?:of|and|&|C|E|CE|RC|NHS)$"}}


def _postcode_end() -> list[Token]:
    whole = [o + _INWARD_SHAPE for o in _OUTWARD_SHAPES]
    return [{"SHAPE": {"IN": _OUTWARD_SHAPES + whole}}, {"SHAPE": _INWARD_SHAPE, "OP": "?"}]


def _postcode_alone() -> list[list[Token]]:
    out = [[{"SHAPE": s}, {"SHAPE": _INWARD_SHAPE}] for s in _OUTWARD_SHAPES]
    return out + [[{"SHAPE": s + _INWARD_SHAPE}] for s in _OUTWARD_SHAPES]


def _starts() -> list[list[Token]]:
    """How an address may begin: flat, building, house number or the street itself."""
    number = [{"SHAPE": {"IN": _NUMBER_SHAPES}}, {"ORTH": "-", "OP": "?"}, {"IS_DIGIT": True, "OP": "?"}]
    street = [{**_WORD, "OP": "{0,5}"}, {"LOWER": {"IN": _STREET_TYPES}}, {"ORTH": ".", "OP": "?"}]
    building_rest = [{"IS_TITLE": True, "OP": "?"}, {"LOWER": {"IN": _BUILDINGS}}, *_SEPARATOR]
    unit_rest = [{"TEXT": {"REGEX": r"^\d{1,4}[A-Za-z]?$"}}, *_SEPARATOR]
    unit = [{"LOWER": {"IN": _UNITS}}, *unit_rest]
    maybe_number = [{**number[0], "OP": "?"}, *number[1:]]
    out = [[*unit, *number, *street], [*number, *street]]
    for case in ("IS_TITLE", "IS_UPPER"):
        first = {case: True, "IS_STOP": False}
        out.append([*unit, first, *building_rest, *maybe_number, *street])
        out.append([first, *building_rest, *maybe_number, *street])
        out.append([first, *street])  # "Mill Lane, Leeds LS6 2QP"
    return out


def _address_patterns() -> list[list[Token]]:
    tail: Token = {**_PLACE_TOKEN, "OP": "{0,10}"}
    return [[*start, tail, *_postcode_end()] for start in _starts()] + _postcode_alone()


def _institution_patterns() -> list[list[Token]]:
    start: Token = {"IS_TITLE": True, "IS_STOP": False}
    ends = {"TEXT": {"IN": _INSTITUTION_ENDS + [w.upper() for w in _INSTITUTION_ENDS]}}
    qualifier = [{"TEXT": {"IN": _QUALIFIERS}}, {"ORTH": {"IN": ["'s", "’s"]}, "OP": "?"},
                 {"TEXT": {"IN": ["Centre", "Practice"]}}]
    words = {**_INSTITUTION_WORD, "OP": "{0,6}"}
    out = [[start, {**_INSTITUTION_WORD, "OP": "{0,7}"}, ends], [start, words, *qualifier],
           [start, words, {"TEXT": {"IN": _BODY_ENDS}}],
           [{"LOWER": "london"}, {"LOWER": "borough"}, {"LOWER": "of"}, {"IS_TITLE": True},
            {"IS_TITLE": True, "OP": "?"}],
           [{"ORTH": "Dr"}, {"ORTH": ".", "OP": "?"}, {"IS_TITLE": True}, {"LOWER": {"IN": ["and", "&"]}},
            {"ORTH": "Partners"}]]
    for first, last in _BODY_PAIRS:
        out.append([start, words, {"ORTH": first}, {"ORTH": {"IN": ["'s", "’s"]}, "OP": "?"}, {"ORTH": last}])
    return out



def patterns() -> list[dict[str, Any]]:
    """The patterns for spaCy's entity_ruler."""
    rows = [{"label": "ADDRESS", "pattern": p} for p in _address_patterns()]
    rows += [{"label": "ORG", "pattern": p} for p in _institution_patterns()]
    return rows
