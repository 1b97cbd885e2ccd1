"""UK phone numbers by pattern, validated with phonenumbers: possible, not necessarily allocated.

Presidio's PhoneRecognizer asks libphonenumber whether a number is *valid* (allocated), which
rejects Ofcom's ranges reserved for fiction (07700 900xxx, 01632 960xxx) and is the slowest
recogniser on long texts. Whether a number is allocated does not matter for disclosure: a
possible UK number in a court document is personal data. This recogniser finds candidates with
one regex and keeps those libphonenumber calls possible for GB.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = ["UkPhoneRecognizer"]

# +44 / 0044 (optionally (0)) or a leading 0, then 9-10 more digits with common separators.
_UK_PHONE = (
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)"
    r"\d{2,4}\)?(?:[\s.\-]?\d){6,8}(?![\w])"
)


class UkPhoneRecognizer(PatternRecognizer):
    """PHONE_NUMBER for national and international UK forms."""

    CONTEXT = ["phone", "telephone", "tel", "mobile", "mob", "call", "contact", "number", "ring", "text"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            patterns=[Pattern("uk phone", _UK_PHONE, 0.5)],
            context=self.CONTEXT,
            name="UkPhoneRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        import phonenumbers

        digits = re.sub(r"\D", "", pattern_text)
        if len(set(digits)) <= 2:  # 00000 000000 style blanks in forms
            return False
        national = re.sub(r"^(?:00)?44(?:0)?", "0", digits) if pattern_text.lstrip("(").startswith(("+", "00")) else digits
        if not (national.startswith("0") and 10 <= len(national) <= 11):
            return False  # a UK number is 0 and nine or ten digits
        try:
            number = phonenumbers.parse(pattern_text, "GB")
        except phonenumbers.NumberParseException:
            return False
        return bool(
            phonenumbers.is_possible_number_with_reason(number) == phonenumbers.ValidationResult.IS_POSSIBLE
            and len(phonenumbers.national_significant_number(number)) >= 9
        )
