"""Fold the characters OCR confuses, so an order item matches the way a scan was misread.

`fold(text)` maps a string to a canonical form in which the usual misreadings of printed
English coincide: both the order's value and the OCR text are folded, then compared. Folding
is deliberately coarse ("Cl" and "d" become one), so a match found only after folding is still
a real match of the item's words (contract §2: `block`), while anything looser stays fuzzy.

The classes (after Unicode NFKC; each left-hand character becomes the right-hand one):

=========================  ======  ======================================================
characters                 folded  why
=========================  ======  ======================================================
``0 O o``                  ``o``   zero and the letter O (Tesseract's commonest slip)
``1 l I | !``              ``l``   vertical strokes: one, ell, capital i, bar, "!"
``5 S s``                  ``s``
``8 B``                    ``b``   (lower-case ``b`` joins by case folding)
``2 Z z``                  ``z``
``6 G``                    ``g``
``rn`` / ``m``             ``m``   two letters read as one, and the reverse
``cl`` / ``d``             ``d``
``vv`` / ``w``             ``w``
quotes ``’ ‘ ` ´ ′``       ``'``
dashes ``‐ ‑ – — −``       ``-``
=========================  ======  ======================================================

Lower-case ``i`` stays itself: ``i``/``l`` slips are rare in Tesseract 5's LSTM output, and
folding them would make "Hill" and "Hil" one. Digits 4, 7 and 9 are left alone for the same
reason: each would merge real house numbers.

Then everything is case-folded. `fold_with_map` also returns, for each folded character, the
span of the original text it came from, so a match in folded text points back to its words.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "fold_with_map", "confusable", "near_misread", "CHARACTER_CLASSES", "SEQUENCES", "DIGIT_CONFUSIONS"]

#: Single characters folded to one representative (case-sensitive, before case folding:
#: capital I goes with l, not with i's lower case).
CHARACTER_CLASSES: dict[str, str] = {
    **dict.fromkeys("0Oo", "o"),
    **dict.fromkeys("1lI|!", "l"),
    **dict.fromkeys("5Ss", "s"),
    **dict.fromkeys("8B", "b"),
    **dict.fromkeys("2Zz", "z"),
    **dict.fromkeys("6G", "g"),
    **dict.fromkeys("\u2019\u2018`\u00b4\u2032", "'"),
    **dict.fromkeys("\u2010\u2011\u2013\u2014\u2212", "-"),
}

#: Letter pairs read as one letter, applied after the single characters (so "c1" and "cI"
#: become "cl" and then "d"); each pair folds to the letter it resembles.
SEQUENCES: dict[str, str] = {"rn": "m", "cl": "d", "vv": "w"}


def fold(text: str) -> str:
    """The canonical folded form of `text` (see the module docstring for the classes)."""
    return fold_with_map(text)[0]


def fold_with_map(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`fold(text)` and, for each folded character, the (start, end) span in `text` it came from."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for index, ch in enumerate(text):
        for part in unicodedata.normalize("NFKC", ch):
            for out in CHARACTER_CLASSES.get(part, part).casefold():
                chars.append(out)
                spans.append((index, index + 1))
    folded: list[str] = []
    folded_spans: list[tuple[int, int]] = []
    i = 0
    while i < len(chars):
        pair = chars[i] + chars[i + 1] if i + 1 < len(chars) else ""
        if pair in SEQUENCES:
            folded.append(SEQUENCES[pair])
            folded_spans.append((spans[i][0], spans[i + 1][1]))
            i += 2
        else:
            folded.append(chars[i])
            folded_spans.append(spans[i])
            i += 1
    return "".join(folded), folded_spans


def confusable(a: str, b: str) -> bool:
    """Whether OCR could have read `a` as `b` (their folded forms are equal)."""
    return fold(a) == fold(b)


#: Digits Tesseract reads as other digits on worn or low-resolution scans (measured with
#: tools/ocr_confusions.py: docs/ocr.md, "Misread digits"). Too common to fold for matching (each
#: would merge real house numbers), they only keep a misread postcode or town from counting
#: as a contradiction of an address matched beside it (`near_misread`).
#: Pairs seen at least twice in ~68,000 digits of harsh scans (7 pt, blur, JPEG q25, 200 and 300
#: dpi, both engines; none at office quality), and 3/8 from a toner blot (fixtures/scans).
DIGIT_CONFUSIONS: frozenset[frozenset[str]] = frozenset(frozenset(pair) for pair in (
    "06", "23", "09", "13", "14", "27", "35", "58", "68", "12", "46", "28", "59", "89", "38",
))
_FOLDED_CONFUSIONS = frozenset(frozenset(fold(ch) for ch in pair) for pair in DIGIT_CONFUSIONS)
#: At most this many characters of a word may differ by a digit confusion.
MAX_MISREAD = 1


def near_misread(read: str, printed: str) -> bool:
    """Whether OCR could have read `printed` as `read`: equal once folded (`confusable`), or
    differing in at most `MAX_MISREAD` characters that are a digit confusion ("LS8 3EX" for
    "LS6 3EX")."""
    a, b = fold(read), fold(printed)
    if a == b:
        return True
    if len(a) != len(b):
        return False
    differ = [frozenset((x, y)) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) <= MAX_MISREAD and all(pair in _FOLDED_CONFUSIONS for pair in differ)

