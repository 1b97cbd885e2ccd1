"""Personal names: full name, first + last, initial + surname, surname-first; title + surname is review."""

from __future__ import annotations

from ..normalise import tokenize
from ..vocabulary import Match, Severity
from .variant import Variant

__all__ = ["name_variants", "TITLES"]

TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev")


def name_variants(value: str) -> list[Variant]:
    """Partials of one spelling of a name (called for the value and each `also`)."""
    tokens = tokenize(value)
    if tokens and tokens[0] in TITLES:
        tokens = tokens[1:]
    if len(tokens) < 2:
        return []
    first, middles, last = tokens[0], tokens[1:-1], tokens[-1]
    out = [
        Variant((first, last), Match.VARIANT, Severity.BLOCK, "first+last"),
        Variant((last, first), Match.VARIANT, Severity.BLOCK, "last+first"),
        Variant((first[0], last), Match.PARTIAL, Severity.BLOCK, "initial+surname"),
        Variant((last, first[0]), Match.PARTIAL, Severity.BLOCK, "surname+initial"),
    ]
    if middles:
        initials = tuple(t[0] for t in (first, *middles))
        out.append(Variant((*initials, last), Match.PARTIAL, Severity.BLOCK, "initials+surname"))
        out.append(Variant(("".join(initials), last), Match.PARTIAL, Severity.BLOCK, "initials+surname"))
        out.append(Variant((first, *(m[0] for m in middles), last), Match.VARIANT, Severity.BLOCK, "first+initial+last"))
    for title in TITLES:
        out.append(Variant((title, last), Match.PARTIAL, Severity.REVIEW, "title+surname"))
    return out
