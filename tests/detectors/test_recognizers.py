"""Every recognizer the generic detector runs, called the way it calls them: directly, no NLP engine.

Each row is (entity, text, expected span). A span of None means the recognizer reports nothing
in that text. Rows marked "quirk" pin down what Presidio's own recognizers really do where that
differs from the UK rules (see the ids); they are here so an upgrade that changes them is noticed.
"""

from __future__ import annotations

import pickle
import socket

import pytest

from redactguard.detectors.recognizers import (
    ENTITY_KINDS,
    adjusted,
    context_words,
    uk_recognizers,
)


@pytest.fixture(scope="module")
def by_entity():
    """One instance of each recognizer, keyed by the entity it reports."""
    return {rec.supported_entities[0]: rec for rec in uk_recognizers()}


def spans(rec, text: str) -> list[tuple[str, str]]:
    return [
        (r.entity_type, text[r.start : r.end])
        for r in rec.analyze(text, entities=rec.supported_entities, nlp_artifacts=None)
    ]


def case(entity: str, text: str, span: str | None, id: str):
    return pytest.param(entity, text, span, id=id)


NHS = [
    case("UK_NHS", "NHS number 943 476 5919.", "943 476 5919", "nhs: valid checksum, spaced"),
    case("UK_NHS", "NHS no: 9434765919", "9434765919", "nhs: valid checksum, unspaced"),
    case("UK_NHS", "943-476-5919", "943-476-5919", "nhs: valid checksum, dashed"),
    case("UK_NHS", "NHS number 943 476 5918", None, "nhs: broken checksum"),
    case("UK_NHS", "NHS number 943 476 591", None, "nhs: nine digits"),
    case("UK_NHS", "NHS number 94347659190", None, "nhs: eleven digits"),
    case("UK_NHS", "ref 0000000000", "0000000000", "nhs quirk: all zeros pass the checksum"),
    case("UK_NHS", "ref 1111111111", "1111111111", "nhs quirk: repeated digit passes the checksum"),
]

NINO = [
    case("UK_NINO", "NI number AB123456C", "AB123456C", "nino: valid"),
    case("UK_NINO", "NI AB 12 34 56 C.", "AB 12 34 56 C", "nino: valid, spaced in pairs"),
    case("UK_NINO", "JG103759A", "JG103759A", "nino: valid, suffix A"),
    case("UK_NINO", "OA123456D", "OA123456D", "nino: O allowed as first letter"),
    case("UK_NINO", "ni ab123456c", "ab123456c", "nino quirk: lower case accepted"),
    *[
        case("UK_NINO", f"{p}123456C", None, f"nino: invalid prefix {p}")
        for p in ("DA", "FA", "IA", "QA", "UA", "VA", "AD", "AF", "AI", "AQ", "AU", "AV")
    ],
    *[
        case("UK_NINO", f"{p}123456C", None, f"nino: disallowed prefix {p}")
        for p in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ")
    ],
    case("UK_NINO", "AO123456C", None, "nino: O as second letter"),
    case("UK_NINO", "AB123456E", None, "nino: suffix beyond D"),
    case("UK_NINO", "AB12345C", None, "nino: five digits"),
    case("UK_NINO", "AB123456", None, "nino quirk: missing suffix letter not found"),
]

POSTCODES = [
    *[
        case("UK_POSTCODE", f"Leeds {pc}.", pc, f"postcode: {pc}")
        for pc in ("GIR 0AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT")
    ],
    case("UK_POSTCODE", "LS63EX", "LS63EX", "postcode: without the space"),
    case("UK_POSTCODE", "ls6 3ex", "ls6 3ex", "postcode: lower case"),
    case("UK_POSTCODE", "Q1 1AA", None, "postcode: Q cannot open the area"),
    case("UK_POSTCODE", "XA1 1AA", None, "postcode: X cannot open the area"),
    case("UK_POSTCODE", "LS6 3CI", None, "postcode: C and I never in the inward code"),
    case("UK_POSTCODE", "W1I 1AA", None, "postcode: I never as the district letter"),
    case("UK_POSTCODE", "LS6", None, "postcode: outward code alone"),
    case("UK_POSTCODE", "SW1A  1AA", None, "postcode quirk: two spaces not found"),
    case("UK_POSTCODE", "GIR 0AB", None, "postcode: GIR only with 0AA"),
]

PASSPORTS = [
    case("UK_PASSPORT", "passport AB1234567", "AB1234567", "passport: two letters, seven digits"),
    case("UK_PASSPORT", "passport AB123456", None, "passport: six digits"),
    case("UK_PASSPORT", "passport AB12345678", None, "passport: eight digits"),
    case(
        "UK_PASSPORT", "passport 925076473", None, "passport quirk: pre-2015 nine digits not found"
    ),
    case(
        "UK_PASSPORT",
        "case ZW2400123",
        "ZW2400123",
        "passport quirk: any two letters, seven digits",
    ),
]

DRIVING_LICENCES = [
    case("UK_DRIVING_LICENCE", "licence MORGA753116SM9IJ", "MORGA753116SM9IJ", "licence: valid"),
    case(
        "UK_DRIVING_LICENCE", "SMITH901011J99AB", "SMITH901011J99AB", "licence: 9-padded initials"
    ),
    case("UK_DRIVING_LICENCE", "99999753116SM9IJ", None, "licence: surname all nines"),
    case("UK_DRIVING_LICENCE", "MORGA713116SM9IJ", None, "licence: month 13"),
    case("UK_DRIVING_LICENCE", "MORGA753116SM9I", None, "licence: fifteen characters"),
]

VEHICLES = [
    case("UK_VEHICLE_REGISTRATION", "car AB12 CDE", "AB12 CDE", "vehicle: current format"),
    case("UK_VEHICLE_REGISTRATION", "reg AB51ABC", "AB51ABC", "vehicle: current format, no space"),
    case("UK_VEHICLE_REGISTRATION", "reg ab12 cde", "ab12 cde", "vehicle: current format, lower"),
    case("UK_VEHICLE_REGISTRATION", "reg A123 BCD", "A123 BCD", "vehicle: prefix format"),
    case("UK_VEHICLE_REGISTRATION", "reg ABC 123D", "ABC 123D", "vehicle: suffix format"),
    case("UK_VEHICLE_REGISTRATION", "reg AB01 CDE", None, "vehicle: age identifier 01"),
    case("UK_VEHICLE_REGISTRATION", "reg AB30 CDE", None, "vehicle: age identifier 30"),
    case("UK_VEHICLE_REGISTRATION", "reg AB12 CDI", None, "vehicle: I in the random letters"),
    case("UK_VEHICLE_REGISTRATION", "I was 14 a year ago", None, "vehicle: prose is no plate"),
    case("UK_VEHICLE_REGISTRATION", "see tab 12 e", None, "vehicle: older formats need capitals"),
]

EMAILS = [
    case("EMAIL_ADDRESS", "jane.ashworth@example.com", "jane.ashworth@example.com", "email: plain"),
    case("EMAIL_ADDRESS", "JANE@EXAMPLE.CO.UK", "JANE@EXAMPLE.CO.UK", "email: upper case, co.uk"),
    case("EMAIL_ADDRESS", "mailto:jane@example.com", "jane@example.com", "email: mailto target"),
    case("EMAIL_ADDRESS", "write to foo@bar today", None, "email: no domain suffix"),
    case("EMAIL_ADDRESS", "jane@example.notasuffix", None, "email: unknown suffix"),
    case("EMAIL_ADDRESS", "@example.com", None, "email: no local part"),
]

PHONES = [
    case("PHONE_NUMBER", "tel 0113 496 0123", "0113 496 0123", "phone: Leeds landline"),
    case("PHONE_NUMBER", "tel (0113) 496-0123", "(0113) 496-0123", "phone: brackets and dash"),
    case("PHONE_NUMBER", "tel +44 113 496 0123", "+44 113 496 0123", "phone: +44 landline"),
    case("PHONE_NUMBER", "mobile 07912 345678", "07912 345678", "phone: mobile"),
    case("PHONE_NUMBER", "mobile +44 7912 345678", "+44 7912 345678", "phone: +44 mobile"),
    case("PHONE_NUMBER", "tel 020 7946 0958", "020 7946 0958", "phone: London"),
    case("PHONE_NUMBER", "tel 0113 496", None, "phone: too short"),
    case("PHONE_NUMBER", "mobile 07912 3456", None, "phone: mobile too short"),
    # Ofcom's drama ranges are possible but unallocated: Presidio's PhoneRecognizer (validity)
    # misses them; UkPhoneRecognizer (possibility) finds them, as it should in a court document.
    case("PHONE_NUMBER", "mobile 07700 900461", "07700 900461", "phone: Ofcom drama mobile"),
    case("PHONE_NUMBER", "mobile +44 7700 900461", "+44 7700 900461", "phone: drama mobile, +44 form"),
    case("PHONE_NUMBER", "call +44 (0)7700 900461", "+44 (0)7700 900461", "phone: +44 with (0) infix"),
    case("PHONE_NUMBER", "ref 2024 123456", None, "phone: a year and a reference are not a phone"),
    case("PHONE_NUMBER", "sort code 12-34-56", None, "phone: sort code is no phone"),
]

IBANS = [
    case(
        "IBAN_CODE",
        "IBAN GB82 WEST 1234 5698 7654 32",
        "GB82 WEST 1234 5698 7654 32",
        "iban: spaced",
    ),
    case("IBAN_CODE", "GB82WEST12345698765432", "GB82WEST12345698765432", "iban: compact"),
    case("IBAN_CODE", "IBAN GB83 WEST 1234 5698 7654 32", None, "iban: broken check digits"),
    case("IBAN_CODE", "IBAN GB82 WEST 1234 5698 7654", None, "iban: truncated"),
]

CARDS = [
    case(
        "CREDIT_CARD", "card 4111 1111 1111 1111", "4111 1111 1111 1111", "card: Visa test number"
    ),
    case(
        "CREDIT_CARD", "card 5500-0000-0000-0004", "5500-0000-0000-0004", "card: Mastercard, dashed"
    ),
    case("CREDIT_CARD", "card 4111 1111 1111 1112", None, "card: fails Luhn"),
    case("CREDIT_CARD", "card 4111 1111", None, "card: too short"),
]

BANK = [
    case(
        "UK_BANK_ACCOUNT",
        "Sort code: 12-34-56 Account number: 12345678",
        "12-34-56 Account number: 12345678",
        "bank: sort code then account",
    ),
    case(
        "UK_BANK_ACCOUNT",
        "paid into 40 11 22, acc no 87654321.",
        "40 11 22, acc no 87654321",
        "bank: spaced sort code, acc no",
    ),
    case(
        "UK_BANK_ACCOUNT",
        "sort code 401122 account 87654321",
        "401122 account 87654321",
        "bank: six digits named as a sort code",
    ),
    case(
        "UK_BANK_ACCOUNT",
        "account number 87654321, sort code 40-11-22",
        "87654321, sort code 40-11-22",
        "bank: account then sort code",
    ),
    case(
        "UK_BANK_ACCOUNT",
        "Sort Code:\n20-00-00\nAccount No:\n43210987",
        "20-00-00\nAccount No:\n43210987",
        "bank: form layout over lines",
    ),
    case(
        "UK_BANK_ACCOUNT", "her sort code is 40-11-22", "40-11-22", "bank: sort code alone, named"
    ),
    case("UK_BANK_ACCOUNT", "reference 401122 and 87654321", None, "bank: bare six digits"),
    case("UK_BANK_ACCOUNT", "the figure 401122", None, "bank: bare six digits alone"),
    case("UK_BANK_ACCOUNT", "on 12-03-15 she", None, "bank: dashed six digits, no account"),
    case("UK_BANK_ACCOUNT", "account 87654321", None, "bank: account without sort code"),
    case("UK_BANK_ACCOUNT", "sort code 00-00-00 account 00000000", None, "bank: blank form"),
]

DATES_OF_BIRTH = [
    case("DATE_OF_BIRTH", "DOB: 12/03/2015", "12/03/2015", "dob: slashes after DOB"),
    case("DATE_OF_BIRTH", "D.O.B. 12.03.2015", "12.03.2015", "dob: dots after D.O.B."),
    case("DATE_OF_BIRTH", "Date of birth 12-03-2015", "12-03-2015", "dob: dashes"),
    case("DATE_OF_BIRTH", "born on 12 March 2015", "12 March 2015", "dob: day month year"),
    case("DATE_OF_BIRTH", "born 12th March 2015", "12th March 2015", "dob: ordinal day"),
    case("DATE_OF_BIRTH", "born on the 3rd of May 2016", "3rd of May 2016", "dob: 'of' the month"),
    case("DATE_OF_BIRTH", "her birthday is March 12, 2015", "March 12, 2015", "dob: month first"),
    case("DATE_OF_BIRTH", "aged 9, born 2015-03-12", "2015-03-12", "dob: ISO"),
    case("DATE_OF_BIRTH", "DOB 12/03/15", "12/03/15", "dob: two-digit year"),
    case("DATE_OF_BIRTH", "DOB 29/02/2016", "29/02/2016", "dob: leap day in a leap year"),
    case(
        "DATE_OF_BIRTH", "Date of birth:\n12/03/2015", "12/03/2015", "dob: label on the line above"
    ),
    case("DATE_OF_BIRTH", "The hearing was on 12/03/2015", None, "dob: date without context"),
    case("DATE_OF_BIRTH", "12 March 2015", None, "dob: bare date"),
    case("DATE_OF_BIRTH", "DOB 31/02/2015", None, "dob: 31 February"),
    case("DATE_OF_BIRTH", "DOB 29/02/2015", None, "dob: leap day in a common year"),
    case("DATE_OF_BIRTH", "DOB 12/13/2015", None, "dob: month 13"),
    case(
        "DATE_OF_BIRTH",
        "born in Leeds. On 12/03/2015 she moved",
        None,
        "dob: cue in another sentence",
    ),
    case("DATE_OF_BIRTH", "born in Leeds\nHearing 12/03/2015", None, "dob: cue on another line"),
    case("DATE_OF_BIRTH", "Mr Dobson 12/03/2015", None, "dob: DOB inside a name"),
]

ADDRESSES = [
    case(
        "STREET_ADDRESS",
        "She lives at Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX now.",
        "Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX",
        "address: full, with postcode",
    ),
    case(
        "STREET_ADDRESS",
        "moved to 14 Cherry Tree Rd last year",
        "14 Cherry Tree Rd",
        "address: abbreviated type, no postcode",
    ),
    case(
        "STREET_ADDRESS",
        "address: 7 St John's Road, Leeds",
        "7 St John's Road, Leeds",
        "address: Saint in the street name",
    ),
    case(
        "STREET_ADDRESS",
        "14 HIGH STREET\nLEEDS\nLS6 3EX",
        "14 HIGH STREET\nLEEDS\nLS6 3EX",
        "address: capitals over lines",
    ),
    case(
        "STREET_ADDRESS",
        "at 14-16 Park Lane, Newcastle upon Tyne NE1 1AA",
        "14-16 Park Lane, Newcastle upon Tyne NE1 1AA",
        "address: number range, town with upon",
    ),
    case(
        "STREET_ADDRESS", "lives at 5 The Grove, Otley", "5 The Grove, Otley", "address: The Grove"
    ),
    case("STREET_ADDRESS", "14a Oak Avenue", "14a Oak Avenue", "address: lettered number"),
    case("STREET_ADDRESS", "14 High St, Leeds", "14 High St, Leeds", "address: St as street type"),
    case(
        "STREET_ADDRESS",
        "number 14 Cherry Tree Road.",
        "14 Cherry Tree Road",
        "address: full stop left out",
    ),
    case("STREET_ADDRESS", "14 days later", None, "address: 14 days"),
    case("STREET_ADDRESS", "on 14 March Dr Khan said", None, "address: date then Dr"),
    case("STREET_ADDRESS", "on 14 March St Mary's School", None, "address: date then Saint"),
    case("STREET_ADDRESS", "see paragraph 3 High Street", None, "address: paragraph reference"),
    case("STREET_ADDRESS", "In 2019 Leeds Road was closed", None, "address: a year is no number"),
    case("STREET_ADDRESS", "14 cherry tree road", None, "address: lower-case street not taken"),
]

INSTITUTIONS = [
    case(
        "INSTITUTION",
        "She attends St Mary's C of E Primary School, Horsforth.",
        "St Mary's C of E Primary School",
        "institution: C of E primary school",
    ),
    case("INSTITUTION", "Roundhay School", "Roundhay School", "institution: one-word school"),
    case(
        "INSTITUTION",
        "registered with The Grange Surgery",
        "The Grange Surgery",
        "institution: GP surgery",
    ),
    case(
        "INSTITUTION",
        "seen at Oakwood Medical Centre",
        "Oakwood Medical Centre",
        "institution: medical centre",
    ),
    case(
        "INSTITUTION",
        "stayed at Leeds Women's Aid Refuge",
        "Leeds Women's Aid Refuge",
        "institution: refuge",
    ),
    case(
        "INSTITUTION",
        "Chapeltown Children's Centre",
        "Chapeltown Children's Centre",
        "institution: children's centre",
    ),
    case(
        "INSTITUTION",
        "Little Acorns Day Nursery",
        "Little Acorns Day Nursery",
        "institution: nursery",
    ),
    case(
        "INSTITUTION",
        "Notre Dame Sixth Form College",
        "Notre Dame Sixth Form College",
        "institution: sixth form college",
    ),
    case(
        "INSTITUTION",
        "St Peter and St Paul Catholic Primary School",
        "St Peter and St Paul Catholic Primary School",
        "institution: 'and' in the name",
    ),
    case(
        "INSTITUTION",
        "Yesterday St Mary's Primary School phoned",
        "St Mary's Primary School",
        "institution: sentence opener left out",
    ),
    case("INSTITUTION", "He works at Tesco in Leeds", "Tesco", "institution: employer, works at"),
    case(
        "INSTITUTION",
        "employed by Acme Widgets Ltd since 2019",
        "Acme Widgets Ltd",
        "institution: employer, employed by ... Ltd",
    ),
    case(
        "INSTITUTION",
        "Employer: Leeds City Council",
        "Leeds City Council",
        "institution: employer label",
    ),
    case("INSTITUTION", "she collects her from the school", None, "institution: the school"),
    case("INSTITUTION", "The School said", None, "institution: The School"),
    case("INSTITUTION", "The Secondary School", None, "institution: generic words only"),
    case("INSTITUTION", "At Nursery she", None, "institution: At Nursery"),
    case("INSTITUTION", "he works at home", None, "institution: works at home"),
    case("INSTITUTION", "attends St Mary's", None, "institution: name without a type word"),
    case("INSTITUTION", "Leeds Family Court", None, "institution: the court is not one"),
]

ALL_CASES = [
    *NHS,
    *NINO,
    *POSTCODES,
    *PASSPORTS,
    *DRIVING_LICENCES,
    *VEHICLES,
    *EMAILS,
    *PHONES,
    *IBANS,
    *CARDS,
    *BANK,
    *DATES_OF_BIRTH,
    *ADDRESSES,
    *INSTITUTIONS,
]


@pytest.mark.parametrize(("entity", "text", "span"), ALL_CASES)
def test_recognizer(by_entity, entity: str, text: str, span: str | None) -> None:
    found = spans(by_entity[entity], text)
    if span is None:
        assert found == []
    else:
        assert (entity, span) in found


@pytest.mark.parametrize(
    ("entity", "stronger", "weaker"),
    [
        pytest.param(
            "STREET_ADDRESS",
            "14 Cherry Tree Road, Leeds LS6 3EX",
            "14 Cherry Tree Road",
            id="address: a postcode raises the score",
        ),
        pytest.param(
            "STREET_ADDRESS",
            "14 Cherry Tree Road",
            "2 Crown Court",
            id="address: Court/Park/View streets score lower",
        ),
        pytest.param(
            "UK_BANK_ACCOUNT",
            "sort code 40-11-22 account 87654321",
            "sort code 40-11-22",
            id="bank: sort code alone scores lower",
        ),
    ],
)
def test_scores(by_entity, entity: str, stronger: str, weaker: str) -> None:
    rec = by_entity[entity]
    strong = max(r.score for r in rec.analyze(stronger, rec.supported_entities, None))
    weak = max(r.score for r in rec.analyze(weaker, rec.supported_entities, None))
    assert strong > weak


def test_every_case_table_covers_every_recognizer(by_entity) -> None:
    tested = {p.values[0] for p in ALL_CASES}
    assert tested == set(by_entity)


def test_uk_recognizers_is_a_fresh_list() -> None:
    first, second = uk_recognizers(), uk_recognizers()
    assert first is not second
    assert not {id(r) for r in first} & {id(r) for r in second}
    assert len(first) == 14


def test_every_entity_has_a_kind_and_context(by_entity) -> None:
    words = context_words(uk_recognizers())
    for entity in by_entity:
        assert ENTITY_KINDS[entity]
        assert words[entity]
    assert words["UK_BANK_ACCOUNT"] == by_entity["UK_BANK_ACCOUNT"].context


def test_recognizers_survive_pickling(by_entity) -> None:
    text = "Flat 2, 14 Cherry Tree Road, Leeds LS6 3EX; NHS 943 476 5919; DOB: 12/03/2015"
    before = {e: spans(r, text) for e, r in by_entity.items()}  # after use: regexes compiled
    copies = pickle.loads(pickle.dumps(list(by_entity.values())))
    assert {c.supported_entities[0]: spans(c, text) for c in copies} == before


def test_email_validation_stays_offline(monkeypatch) -> None:
    """Presidio's own validation would fetch the public suffix list; ours never connects."""
    import tldextract

    def refuse(*args, **kwargs):
        raise AssertionError("network or default tldextract used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(tldextract, "extract", refuse)
    monkeypatch.setattr(adjusted, "_EXTRACTOR", None)
    rec = adjusted.OfflineEmailRecognizer()
    assert spans(rec, "jane@example.co.uk") == [("EMAIL_ADDRESS", "jane@example.co.uk")]


@pytest.mark.parametrize(("entity", "text", "span"), ALL_CASES)
def test_trigger_never_hides_a_match(by_entity, entity: str, text: str, span: str | None) -> None:
    """The detector runs a recogniser only around its trigger's hits: on every example, that
    finds exactly what the recogniser finds on the whole text, here and inside a long text."""
    from redactguard.detectors.generic import _analyze

    rec = by_entity[entity]
    filler = "the child was seen at home and contact took place on the agreed day.\n" * 40
    for whole in (text, filler + text + "\n" + filler):
        direct = [(r.start, r.end) for r in rec.analyze(whole, entities=rec.supported_entities, nlp_artifacts=None)]
        assert [(r.start, r.end) for r in _analyze(rec, whole)] == direct
