"""Presidio recognizers whose defaults would break one of our rules, adjusted as little as possible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    UkVehicleRegistrationRecognizer,
)

if TYPE_CHECKING:
    import tldextract

__all__ = ["OfflineEmailRecognizer", "vehicle_registration_recognizer"]

_EXTRACTOR: tldextract.TLDExtract | None = None


def _extractor() -> tldextract.TLDExtract:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        import tldextract

        # The public-suffix snapshot bundled with tldextract: no download, no cache on disk.
        _EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return _EXTRACTOR


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's EmailRecognizer, validating domains without going to the network.

    Presidio checks the domain with `tldextract.extract`, which fetches the public suffix list
    from publicsuffix.org on first use (and writes it to ~/.cache). A scan must not download
    anything, and must not stall on a machine with no network.
    """

    def validate_result(self, pattern_text: str) -> bool:
        """A known public suffix after the @ (example.co.uk, not foo@bar)."""
        return _extractor()(pattern_text).fqdn != ""


def vehicle_registration_recognizer() -> UkVehicleRegistrationRecognizer:
    """Presidio's UK registration-mark recognizer, its older formats matched in capitals only.

    Presidio matches every pattern ignoring case, so its suffix format (ABC 123D) finds
    "was 14 a", "has 2 b" and "sub 3 A" in ordinary prose. Number plates are written in
    capitals; the current format (AB12 CDE), whose age digits are validated, keeps matching
    in any case.
    """
    current, *older = UkVehicleRegistrationRecognizer.PATTERNS
    patterns = [current] + [Pattern(p.name, f"(?-i:{p.regex})", p.score) for p in older]
    return UkVehicleRegistrationRecognizer(patterns=patterns)
