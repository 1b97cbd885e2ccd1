"""Dates of birth: a UK-style date that the same sentence or line calls a birth date.

A court document is full of dates (hearings, statements, incidents); only the ones introduced
as a birth date ("DOB", "date of birth", "born on") identify a person, so a date without that
context is not reported at all rather than reported at a low score.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from presidio_analyzer import Pattern, RecognizerResult

from .base import UkPatternRecognizer

if TYPE_CHECKING:
    pass

__all__ = ["DateOfBirthRecognizer", "parse_uk_date"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORDINAL = r"(?:st|nd|rd|th)?"
_NUM_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:1[89]|20)\d\d"

#: How far before a date its "born"/"DOB" may stand, within the same line and sentence.
CONTEXT_REACH = 60
_BIRTH_CUE = re.compile(
    r"\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bborn\b|\bbirth\s*day\b|\bbirth\s+date\b",
    re.IGNORECASE,
)
#: A label line: the cue and nothing after it but a colon ("Date of birth:", "D.O.B").
_LABEL_CUE = re.compile(rf"(?:{_BIRTH_CUE.pattern})[ \t:|]*$", re.IGNORECASE)
#: A sentence ends between the cue and the date: ". The", "!", "?", ";".
_SENTENCE_END = re.compile(r"[.!?;]\s+[A-Z(]|[!?;]")


def parse_uk_date(text: str) -> datetime.date | None:
    """The calendar date written in `text` (day first, as in the UK), or None if there is none."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:  # a two-digit birth year is this century unless that is in the future
            this_year = datetime.date.today().year
            year += 2000 if 2000 + year <= this_year else 1900
    elif m := re.fullmatch(
        r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3})[A-Za-z]*\.?,?\s+(\d{4})", text
    ):
        day, month, year = int(m[1]), _MONTHS.get(m[2].lower(), 0), int(m[3])
    elif m := re.fullmatch(
        r"([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", text
    ):
        day, month, year = int(m[2]), _MONTHS.get(m[1].lower(), 0), int(m[3])
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class DateOfBirthRecognizer(UkPatternRecognizer):
    """Recognizes dates of birth: a valid calendar date after "DOB", "date of birth", "born"...

    Formats: 12/03/2015, 12.03.2015, 12-03-2015, 12/03/15, 12 March 2015, 12th of March 2015,
    March 12, 2015, 2015-03-12. Numeric dates are read day first.
    """

    ENTITY = "DATE_OF_BIRTH"

    COUNTRY_CODE = "uk"

    PATTERNS = [
        Pattern(
            "numeric date (d/m/y)",
            rf"(?<![\d/.-]){_DAY}(?P<sep>[/.-]){_NUM_MONTH}(?P=sep)(?:{_YEAR}|\d\d)(?!\d)(?![/.-]\d)",
            0.6,
        ),
        Pattern(
            "ISO date (y-m-d)", rf"(?<![\d/.-]){_YEAR}-{_NUM_MONTH}-{_DAY}(?!\d)(?![/.-]\d)", 0.6
        ),
        Pattern(
            "day month year",
            rf"\b{_DAY}{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
            0.65,
        ),
        Pattern("month day, year", rf"\b{_MONTH}\s+{_DAY}{_ORDINAL},?\s+{_YEAR}\b", 0.65),
    ]

    CONTEXT = ["dob", "d.o.b", "date of birth", "born", "birthday"]

    #: Only a date with a birth cue before it is kept (see `keep`).
    #: (Spelled with its first letters as a class: a case-insensitive pattern that opens with one
    #: is many times faster in the stdlib engine.)
    TRIGGER = r"[dDbB](?i:ob|\.o\.b|ate of birth|orn|irthday)\b"
    TRIGGER_REACH = 300


    def keep(self, text: str, result: RecognizerResult) -> bool:
        """Dates found by the patterns, kept only where a birth cue precedes them."""
        return has_birth_cue(text, result.start)

    def validate_result(self, pattern_text: str) -> bool | None:
        """A real calendar date (no 31/02) keeps the pattern's score; anything else is dropped."""
        return None if parse_uk_date(pattern_text) else False


def has_birth_cue(text: str, start: int) -> bool:
    """Whether "DOB", "born" or the like stands before `start` in the same line and sentence.

    A date alone at the start of a line also counts when the line before ends with the cue:
    forms and tables put the label ("Date of birth:") and its value on lines of their own.
    """
    window = text[max(0, start - CONTEXT_REACH) : start]
    line_start = window.rfind("\n") + 1
    line = window[line_start:]
    if not line.strip(" \t:|") and line_start:
        return bool(_LABEL_CUE.search(window[: line_start - 1]))
    cues = list(_BIRTH_CUE.finditer(line))
    return bool(cues) and not _SENTENCE_END.search(line, cues[-1].end())
