"""Matching text read by OCR: order items through the usual misreadings (contract §2, issue [8]).

OCR text goes through the same tokens as any text, so broken lines and stray punctuation are
already ignored. What OCR adds is misread characters: 0/O, 1/l/I, 5/S, 8/B, rn/m, cl/d, ...
(`redactguard.ocr.confusions`). Each token is folded on both sides, the order's variants and
the OCR text, and compared; a folded match keeps the token span of the OCR text, so it maps back
to the original characters and their word boxes.

A token holding a digit is folded in its own letter case (a capital I between digits is a 1);
other tokens are lower-cased first, so "Ilkley" stays itself rather than becoming "llkley".
Street-type spellings are recognised after folding too ("R0AD" is "rd", "Close" read as "dose"
still folds like "cl").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..normalise import ABBREVIATIONS
from ..ocr.confusions import fold

__all__ = ["fold_token", "ocr_digits"]

_NOT_WORD = re.compile(r"[\W_]+")
_POSSESSIVE = re.compile(r"'s$")
_FOLDED_CANON: dict[str, str] = {fold(s): canon for canon, spellings in ABBREVIATIONS.items() for s in spellings}

#: Letters OCR gives for a digit, in a token that is otherwise digits (phone numbers).
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1", "|": "1",
                           "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6"})
_DIGITISH = re.compile(r"[0-9ODQolIi|!SsBZzGb]+")


@lru_cache(maxsize=65536)
def fold_token(text: str) -> str:
    """The folded key of one token (its original characters, any case)."""
    source = text if any(ch.isdigit() for ch in text) else text.lower()
    folded = _NOT_WORD.sub("", _POSSESSIVE.sub("", fold(source)))
    canon = _FOLDED_CANON.get(folded)
    return fold(canon) if canon is not None else folded


def ocr_digits(text: str) -> str | None:
    """The digits a token of a number was meant to be ("O77OO" -> "07700"), or None."""
    if not any(ch.isdigit() for ch in text) or not _DIGITISH.fullmatch(text):
        return None
    return text.translate(_AS_DIGIT)
