"""The words the pipeline passes between stages, each defined once (issue [15]).

They are `StrEnum`s: each member is its own string, so reports, orders and JSON read and write
the plain values of contract §1 and §4, while the code names them (`Severity.BLOCK`) and a
typo is an AttributeError rather than a silent miss. The report schema's enums are these
(tests/report/test_vocabulary.py holds them together). Document types are `formats.FORMATS`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["GenericKind", "ItemKind", "Match", "OcrMode", "Part", "Severity"]


class Part(StrEnum):
    """Where in a document text lies (contract §4 `location.part`), in the order a page's
    findings are listed (`findings.in_document_order`)."""

    BODY = "body"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    COMMENT = "comment"
    TRACKED_CHANGE = "tracked-change"
    HIDDEN_TEXT = "hidden-text"
    TEXTBOX = "textbox"
    IMAGE = "image"
    IMAGE_METADATA = "image-metadata"
    ANNOTATION = "annotation"
    LINK = "link"
    FORM_FIELD = "form-field"
    ATTACHMENT = "attachment"
    OUTLINE = "outline"
    METADATA = "metadata"
    PREVIOUS_REVISION = "previous-revision"


class Severity(StrEnum):
    """What a finding means for the recipient (contract §4); `off` only in an order's policy."""

    BLOCK = "block"
    REVIEW = "review"
    OFF = "off"


class Match(StrEnum):
    """How a finding matched (contract §4), from the surest to the least sure."""

    EXACT = "exact"
    VARIANT = "variant"
    PARTIAL = "partial"
    PATTERN = "pattern"
    MODEL = "model"
    FUZZY = "fuzzy"


class OcrMode(StrEnum):
    """`--ocr`: which pictures are read by OCR (contract §3)."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class ItemKind(StrEnum):
    """The kinds of an order's protected items (contract §1)."""

    ADDRESS = "address"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    NAME = "name"
    SCHOOL = "school"
    PLACE = "place"
    VEHICLE = "vehicle"
    TEXT = "text"
    REGEX = "regex"


class GenericKind(StrEnum):
    """The kinds of generic personal data (a finding's `kind` without an item; the order's
    `generic:` policy keys)."""

    PERSON = "person"
    ADDRESS = "address"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    NHS_NUMBER = "nhs-number"
    NI_NUMBER = "ni-number"
    PASSPORT = "passport"
    DRIVING_LICENCE = "driving-licence"
    VEHICLE = "vehicle"
    IBAN = "iban"
    BANK_ACCOUNT = "bank-account"
    DATE_OF_BIRTH = "date-of-birth"
    INSTITUTION = "institution"
    LOCATION = "location"
    ORGANISATION = "organisation"
    GPS = "gps"
    CREDIT_CARD = "credit-card"
