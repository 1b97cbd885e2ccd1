"""UK postcodes: the one grammar everything else leans on."""

from __future__ import annotations

import re

__all__ = ["parse_postcode", "POSTCODE_RE"]

# Outward code (area + district) and inward code (sector + unit). GIR 0AA is the one exception.
POSTCODE_RE = re.compile(r"^(GIR|[A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")


def parse_postcode(text: str) -> tuple[str, str] | None:
    """('LS6', '3EX') for any spacing or case of a full UK postcode, else None."""
    compact = re.sub(r"\s+", "", text).upper()
    m = POSTCODE_RE.match(compact)
    if not m or (m.group(1) == "GIR" and m.group(2) != "0AA"):
        return None
    return m.group(1), m.group(2)
