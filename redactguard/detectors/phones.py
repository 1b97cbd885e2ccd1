"""Phone numbers as digit strings, so that any spacing, dots, dashes or brackets still match."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["phone_forms"]


@lru_cache(maxsize=1024)
def phone_forms(value: str, region: str = "GB") -> frozenset[str]:
    """All digit strings this number may be written as: national, +44, 0044, and the (0) infix.

    Empty if `value` is not a possible phone number. Uses libphonenumber's metadata, so national
    prefixes are right for every country, not only the UK.
    """
    import phonenumbers

    if not re.fullmatch(r"\+?[\d\s().\-/]+", value.strip()):
        return frozenset()  # letters are a typo (O for 0) that would silently never match
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return frozenset()
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return frozenset()
    nsn = phonenumbers.national_significant_number(number)
    cc = str(number.country_code)
    national = re.sub(
        r"\D", "", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    )
    forms = {cc + nsn, "00" + cc + nsn, national}
    if national != nsn and national.endswith(nsn):
        prefix = national[: -len(nsn)]
        forms |= {cc + prefix + nsn, "00" + cc + prefix + nsn}
    return frozenset(f for f in forms if len(f) >= 6)
