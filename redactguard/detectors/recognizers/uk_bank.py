"""UK bank details: a sort code with its 8-digit account number, or a sort code named as such."""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import UkPatternRecognizer

__all__ = ["UkBankAccountRecognizer"]

_DASH = r"[-\u2010-\u2013 ]"
#: 12-34-56 or 12 34 56. A bare 123456 is a sort code only where the text calls it one.
_SORT_CODE = rf"(?<!\d)\d{{2}}{_DASH}\d{{2}}{_DASH}\d{{2}}(?!\d)"
_ANY_SORT_CODE = rf"(?<!\d)\d{{2}}{_DASH}?\d{{2}}{_DASH}?\d{{2}}(?!\d)"
_ACCOUNT = r"(?<!\d)\d{8}(?!\d)"
#: What may stand between a sort code and its account number: a few words, no digits
#: ("12-34-56, account number: 12345678", "12-34-56 / a/c 12345678", a line break in a form).
_GAP = r"[^\d]{1,40}?"
_SORT_CODE_CUE = r"(?i:\bsort[ \t-]*code)(?:[ \t]*\(?s\)?)?[ \t]*[:.\-#]?\s{0,3}(?:(?i:is)[ \t]+)?"
_ACCOUNT_CUE = r"(?i:\b(?:account|acc|acct|a/c)(?:[ \t]*(?:number|num|no)\.?)?)[ \t]*[:.\-#]?[ \t]*(?:(?i:is)[ \t]+)?"


class UkBankAccountRecognizer(UkPatternRecognizer):
    """Recognizes UK bank details: sort code plus account number, or a sort code in context.

    The pair is strong evidence on its own; a sort code alone is reported only after the words
    "sort code", at a lower score. A bare six-digit number is never a sort code.
    """

    ENTITY = "UK_BANK_ACCOUNT"

    COUNTRY_CODE = "uk"

    PATTERNS = [
        Pattern("sort code + account", _SORT_CODE + _GAP + _ACCOUNT, 0.7),
        Pattern(
            "sort code (named, any form) + account",
            rf"(?<={_SORT_CODE_CUE}){_ANY_SORT_CODE}{_GAP}{_ACCOUNT}",
            0.75,
        ),
        Pattern(
            "account (named) + sort code",
            rf"(?<={_ACCOUNT_CUE}){_ACCOUNT}{_GAP}{_ANY_SORT_CODE}",
            0.7,
        ),
        Pattern("sort code (named)", rf"(?<={_SORT_CODE_CUE}){_ANY_SORT_CODE}", 0.4),
    ]

    CONTEXT = ["sort code", "account", "acc no", "bank", "building society"]

    #: Every pattern holds a sort code: three pairs of digits.
    TRIGGER = r"\d{2}[-\u2010-\u2013\s.]?\d{2}[-\u2010-\u2013\s.]?\d{2}"
    TRIGGER_REACH = 300


    def invalidate_result(self, pattern_text: str) -> bool | None:
        """A run of zeros ("00-00-00", "00000000") is a blank on a form, not an account."""
        digits = [c for c in pattern_text if c.isdigit()]
        return bool(digits) and set(digits[:6]) == {"0"}
