"""The Presidio recognizers the generic detector runs: Presidio's UK and generic ones, and ours.

Every recognizer here works when called directly, `rec.analyze(text, rec.supported_entities,
None)`, without Presidio's NLP engine; all are picklable and none downloads anything.
Importing this package imports the parts of presidio_analyzer they use (`..presidio_parts`: about
a second, with spaCy, which Presidio's IBAN recognizer imports); import it lazily.
"""

from __future__ import annotations

from ..presidio_parts import import_parts

import_parts()  # before any module here imports from presidio_analyzer

from presidio_analyzer import EntityRecognizer  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    IbanRecognizer,
    NhsRecognizer,
    UkDrivingLicenceRecognizer,
    UkNinoRecognizer,
    UkPassportRecognizer,
    UkPostcodeRecognizer,
)

from .addresses import UkStreetAddressRecognizer  # noqa: E402
from .adjusted import OfflineEmailRecognizer, vehicle_registration_recognizer  # noqa: E402
from .dates import DateOfBirthRecognizer  # noqa: E402
from .institutions import InstitutionRecognizer  # noqa: E402
from .phones import UkPhoneRecognizer  # noqa: E402
from .uk_bank import UkBankAccountRecognizer  # noqa: E402

__all__ = [
    "uk_recognizers",
    "ENTITY_KINDS",
    "CONTEXT_WORDS",
    "UkBankAccountRecognizer",
    "DateOfBirthRecognizer",
    "UkStreetAddressRecognizer",
    "InstitutionRecognizer",
    "OfflineEmailRecognizer",
]

#: Presidio entity (or spaCy label) -> the finding's `kind` in the report (contract §4).
ENTITY_KINDS: dict[str, str] = {
    "PERSON": "person",
    "UK_POSTCODE": "postcode",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "UK_NHS": "nhs-number",
    "UK_NINO": "ni-number",
    "UK_PASSPORT": "passport",
    "UK_DRIVING_LICENCE": "driving-licence",
    "UK_VEHICLE_REGISTRATION": "vehicle",
    "IBAN_CODE": "iban",
    "CREDIT_CARD": "credit-card",
    "UK_BANK_ACCOUNT": "bank-account",
    "DATE_OF_BIRTH": "date-of-birth",
    "STREET_ADDRESS": "address",
    "INSTITUTION": "institution",
    "LOCATION": "location",
    "GPE": "location",
    "ORGANIZATION": "organisation",
}


def uk_recognizers() -> list[EntityRecognizer]:
    """A fresh list of every pattern recognizer the generic detector runs."""
    return [
        UkPostcodeRecognizer(),
        NhsRecognizer(),
        UkNinoRecognizer(),
        UkPassportRecognizer(),
        UkDrivingLicenceRecognizer(),
        vehicle_registration_recognizer(),
        OfflineEmailRecognizer(),
        UkPhoneRecognizer(),
        IbanRecognizer(),
        CreditCardRecognizer(),
        UkBankAccountRecognizer(),
        DateOfBirthRecognizer(),
        UkStreetAddressRecognizer(),
        InstitutionRecognizer(),
    ]


def _context_words(recognizers: list[EntityRecognizer]) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for rec in recognizers:
        for entity in rec.supported_entities:
            known = words.setdefault(entity, [])
            known.extend(w for w in rec.context if w not in known)
    return words


#: Entity -> the context words its recognizer declares, for the detector's own score boost.
CONTEXT_WORDS: dict[str, list[str]] = _context_words(uk_recognizers())
