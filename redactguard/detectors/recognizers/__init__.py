"""The Presidio recognizers the generic detector runs: Presidio's UK and generic ones, and ours.

Every recognizer here works when called directly, `rec.analyze(text, rec.supported_entities,
None)`, without Presidio's NLP engine; all are picklable and none downloads anything.
Importing this package imports presidio_analyzer (about two seconds, with spaCy, which Presidio
imports); import it lazily. Nothing is built at import: `uk_recognizers()` builds them.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IbanRecognizer,
    NhsRecognizer,
    UkDrivingLicenceRecognizer,
    UkNinoRecognizer,
    UkPassportRecognizer,
    UkPostcodeRecognizer,
)

from ...vocabulary import GenericKind
from .addresses import UkStreetAddressRecognizer
from .adjusted import OfflineEmailRecognizer, vehicle_registration_recognizer
from .dates import DateOfBirthRecognizer
from .institutions import InstitutionRecognizer
from .phones import UkPhoneRecognizer
from .uk_bank import UkBankAccountRecognizer

__all__ = [
    "uk_recognizers",
    "ENTITY_KINDS",
    "context_words",
    "UkBankAccountRecognizer",
    "DateOfBirthRecognizer",
    "UkStreetAddressRecognizer",
    "InstitutionRecognizer",
    "OfflineEmailRecognizer",
]

#: Presidio entity (or spaCy label) -> the finding's `kind` in the report (contract §4).
ENTITY_KINDS: dict[str, GenericKind] = {
    "PERSON": GenericKind.PERSON,
    "UK_POSTCODE": GenericKind.POSTCODE,
    "PHONE_NUMBER": GenericKind.PHONE,
    "EMAIL_ADDRESS": GenericKind.EMAIL,
    "UK_NHS": GenericKind.NHS_NUMBER,
    "UK_NINO": GenericKind.NI_NUMBER,
    "UK_PASSPORT": GenericKind.PASSPORT,
    "UK_DRIVING_LICENCE": GenericKind.DRIVING_LICENCE,
    "UK_VEHICLE_REGISTRATION": GenericKind.VEHICLE,
    "IBAN_CODE": GenericKind.IBAN,
    "CREDIT_CARD": GenericKind.CREDIT_CARD,
    "UK_BANK_ACCOUNT": GenericKind.BANK_ACCOUNT,
    "DATE_OF_BIRTH": GenericKind.DATE_OF_BIRTH,
    "STREET_ADDRESS": GenericKind.ADDRESS,
    "INSTITUTION": GenericKind.INSTITUTION,
    "LOCATION": GenericKind.LOCATION,
    "GPE": GenericKind.LOCATION,
    "ORGANIZATION": GenericKind.ORGANISATION,
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


def context_words(recognizers: list[EntityRecognizer]) -> dict[str, list[str]]:
    """Entity -> the context words its recognizers declare, for the detector's own score boost."""
    words: dict[str, list[str]] = {}
    for rec in recognizers:
        for entity in rec.supported_entities:
            known = words.setdefault(entity, [])
            known.extend(w for w in rec.context if w not in known)
    return words
