"""Institutions (kind `school`: schools, nurseries, GP surgeries, employers, refuges).

The full name, with or without the locality, blocks; the distinctive name with part of its type
words ("St Mary's Primary") blocks; the distinctive name with its locality nearby blocks; the
distinctive name alone ("St Mary's") is `review`.
"""

from __future__ import annotations

import re
from itertools import combinations

from ..normalise import tokenize
from ..vocabulary import Match, Severity
from .variant import ConfirmNearby, Variant

__all__ = ["institution_variants", "TYPE_WORDS"]

#: Words that say what kind of institution a name is, rather than which one.
TYPE_WORDS = frozenset(
    "school primary secondary junior infant infants nursery academy college high grammar "
    "community foundation voluntary aided controlled free church c of e ce england rc roman "
    "catholic methodist jewish muslim sixth form pre preschool playgroup children centre "
    "surgery medical health practice clinic hospital trust nhs group refuge house project "
    "ltd limited plc llp services".split()
)


def institution_variants(value: str) -> list[Variant]:
    head, _, tail = value.partition(",")
    name = tokenize(head)
    locality = tuple(tokenize(tail)) if tail.strip() else ()
    core = _core(name)
    out: list[Variant] = []
    if locality and name:
        out.append(Variant(tuple(name), Match.VARIANT, Severity.BLOCK, "name-without-locality"))
    if not core or core == tuple(name):
        return out
    # the name with some of its type words: "St Mary's Primary", "St Mary's CE School"
    types = list(dict.fromkeys(t for t in name[len(core):] if t in TYPE_WORDS and t not in _CHURCH))
    church = [t for t in name[len(core):] if t in _CHURCH]
    for size in range(1, min(len(types), 3) + 1):
        for combo in combinations(types, size):
            out.append(Variant((*core, *combo), Match.PARTIAL, Severity.BLOCK, "name+type"))
            if church:
                out.append(Variant((*core, *church, *combo), Match.PARTIAL, Severity.BLOCK, "name+type"))
    if locality:
        out.append(Variant((*core, *locality), Match.PARTIAL, Severity.BLOCK, "name+locality"))
    if _distinctive(core):
        near = ConfirmNearby(frozenset(locality)) if locality else None
        out.append(Variant(core, Match.PARTIAL, Severity.REVIEW, "name-alone", near))
    return out


_CHURCH = frozenset({"c", "of", "e", "ce", "church", "england", "rc", "roman", "catholic"})


def _core(tokens: list[str]) -> tuple[str, ...]:
    """The leading words before the first type word: 'st marys' of 'st marys c of e primary school'."""
    for i, tok in enumerate(tokens):
        if tok in TYPE_WORDS and i > 0:
            return tuple(tokens[:i])
    return tuple(tokens)


def _distinctive(core: tuple[str, ...]) -> bool:
    letters = sum(len(t) for t in core if not re.fullmatch(r"st|the|of", t))
    return letters >= 4
