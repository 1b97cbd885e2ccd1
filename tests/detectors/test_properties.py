"""Property tests: random fictional addresses, phone numbers and e-mails, rendered the many ways
a document may write them, are always found as `block` for their item; near misses never block.

Every example builds its own order (one item) and scans one plain-text document. The numbers are
from Ofcom's ranges reserved for drama (07700 900000-900999, 0113 496 0000-0999), so nothing here
is anyone's real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from redactguard.detectors.postcodes import parse_postcode

from .conftest import make_checker

SETTINGS = settings(max_examples=60, deadline=None)

#: Street words that are not street types, titles, institution words or place names.
STREET_WORDS = (
    "Cherry Juniper Hawthorn Bramble Larch Foxglove Heather Kestrel Linnet Marigold Primrose Rowan "
    "Sycamore Thistle Bluebell Campion Damson Elder Fern Gorse Holly Ivy Laburnum Magnolia Nettle "
    "Orchard Poplar Quince Sorrel Teasel Walnut Yarrow Alder Beech Cedar Aspen Willow Hazel Birch "
    "Maple Tree Meadow Bracken Heron Lark"
).split()
#: Contract §2 street types: (long, short).
STREET_TYPES = (
    ("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Crescent", "Cres"), ("Gardens", "Gdns"),
    ("Close", "Cl"), ("Court", "Ct"), ("Drive", "Dr"), ("Lane", "Ln"), ("Place", "Pl"),
    ("Square", "Sq"), ("Terrace", "Terr"),
)
LOCALITIES = "Kelbrook Thornley Wetherden Millbridge Easterby Farnside Holmwick Ashcombe Brackley".split()
TOWNS = "Dunmere Carrowby Harlston Brackenfield Wolsey Pennick Stanmoor Otterby".split()
AREAS = ("LS", "M", "B", "BD", "HX", "WF", "YO", "S", "NE", "CF", "EH", "G")
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward-code unit letters (no C, I, K, M, O, V)

FILLER_BEFORE = ("The mother told the social worker that she now lives at ", "Address: ", "")
FILLER_AFTER = (". She moved there in May.", "\n\nSigned by the applicant", " (see page 4).", "")


@dataclass(frozen=True)
class Address:
    flat: int | None
    number: int
    street_words: tuple[str, ...]
    street_type: tuple[str, str]
    order_long: bool
    locality: str | None
    town: str
    outward: str
    inward: str

    def street(self, long: bool) -> str:
        return " ".join((*self.street_words, self.street_type[0 if long else 1]))

    @property
    def value(self) -> str:
        parts = [f"Flat {self.flat}"] if self.flat else []
        parts.append(f"{self.number} {self.street(self.order_long)}")
        if self.locality:
            parts.append(self.locality)
        parts.append(f"{self.town} {self.outward} {self.inward}")
        return ", ".join(parts)


postcodes = st.builds(
    lambda area, district, sector, unit: (f"{area}{district}", f"{sector}{unit}"),
    st.sampled_from(AREAS),
    st.integers(1, 29).map(str),
    st.integers(0, 9).map(str),
    st.tuples(st.sampled_from(UNIT_LETTERS), st.sampled_from(UNIT_LETTERS)).map("".join),
)


@st.composite
def addresses(draw) -> Address:
    outward, inward = draw(postcodes)
    return Address(
        flat=draw(st.none() | st.integers(1, 40)),
        number=draw(st.integers(1, 300)),
        street_words=tuple(draw(st.lists(st.sampled_from(STREET_WORDS), min_size=1, max_size=2, unique=True))),
        street_type=draw(st.sampled_from(STREET_TYPES)),
        order_long=draw(st.booleans()),
        locality=draw(st.none() | st.sampled_from(LOCALITIES)),
        town=draw(st.sampled_from(TOWNS)),
        outward=outward,
        inward=inward,
    )


SEPARATORS = (", ", ",\n", "\n", " ", "  ", ", \n", ";\n", " ,  ")
CASES = (str, str.upper, str.lower, str.title)


@st.composite
def renderings(draw, address: Address) -> str:
    """The whole address as a document may write it."""
    long = draw(st.booleans())
    number_sep = draw(st.sampled_from((" ", ", ", "\n", "\u00a0")))
    parts = [f"Flat {address.flat}"] if address.flat else []
    parts.append(f"{address.number}{number_sep}{address.street(long)}")
    if address.locality:
        parts.append(address.locality)
    parts.append(address.town)
    postcode_sep = draw(st.sampled_from((" ", "", "\n", "  ")))
    parts.append(f"{address.outward}{postcode_sep}{address.inward}")
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + part
    if draw(st.booleans()):
        text = text.replace(" ", draw(st.sampled_from(("\n", "  ", " \n "))), 1)
    return draw(st.sampled_from(CASES))(text)


def _checker(item: dict):
    return make_checker([item])


@SETTINGS
@given(data=st.data(), address=addresses())
def test_full_address_rendering_always_blocks(data, address: Address) -> None:
    checker = _checker({"id": "home", "kind": "address", "value": address.value})
    text = data.draw(renderings(address))
    document = data.draw(st.sampled_from(FILLER_BEFORE)) + text + data.draw(st.sampled_from(FILLER_AFTER))
    assert checker.verdict(document, "home") == "block"


@SETTINGS
@given(data=st.data(), address=addresses())
def test_number_and_street_always_block(data, address: Address) -> None:
    checker = _checker({"id": "home", "kind": "address", "value": address.value})
    street = address.street(data.draw(st.booleans()))
    text = data.draw(st.sampled_from(CASES))(f"{address.number} {street}")
    assert checker.verdict(f"She said she lives at {text} now.", "home") == "block"


@SETTINGS
@given(data=st.data(), address=addresses())
def test_street_with_its_locality_or_town_always_blocks(data, address: Address) -> None:
    checker = _checker({"id": "home", "kind": "address", "value": address.value})
    street = address.street(data.draw(st.booleans()))
    place = data.draw(st.sampled_from([p for p in (address.locality, address.town) if p]))
    joiner = data.draw(st.sampled_from((", ", " in ", "\n", ", near ")))
    text = data.draw(st.sampled_from(CASES))(f"{street}{joiner}{place}")
    assert checker.verdict(f"She has moved to {text}, the report says.", "home") == "block"


@SETTINGS
@given(data=st.data(), address=addresses())
def test_postcode_alone_always_blocks(data, address: Address) -> None:
    checker = _checker({"id": "home", "kind": "address", "value": address.value})
    sep = data.draw(st.sampled_from((" ", "", "\n", "\u00a0")))
    text = data.draw(st.sampled_from(CASES))(f"{address.outward}{sep}{address.inward}")
    assert checker.verdict(f"The postcode given was {text} in the form.", "home") == "block"


@SETTINGS
@given(data=st.data(), address=addresses(), other=st.integers(1, 300))
def test_another_house_number_on_the_same_street_never_blocks(data, address: Address, other: int) -> None:
    assume(other != address.number)
    checker = _checker({"id": "home", "kind": "address", "value": address.value})
    street = address.street(data.draw(st.booleans()))
    text = data.draw(st.sampled_from(CASES))(f"{other} {street}")
    assert checker.verdict(f"A neighbour at {text} gave evidence about the noise.", "home") == "review"


@SETTINGS
@given(data=st.data(), address=addresses())
def test_another_postcode_unit_alone_never_blocks(data, address: Address) -> None:
    a, b = address.inward[1], address.inward[2]
    first = data.draw(st.sampled_from([c for c in UNIT_LETTERS if c != a]))
    second = data.draw(st.sampled_from([c for c in UNIT_LETTERS if c != b]))
    other = address.inward[0] + first + second
    assert parse_postcode(address.outward + other) is not None
    checker = _checker({"id": "home", "kind": "address", "value": address.value})
    sep = data.draw(st.sampled_from((" ", "")))
    text = data.draw(st.sampled_from(CASES))(f"{address.outward}{sep}{other}")
    assert checker.verdict(f"The postcode given was {text} in the form.", "home") != "block"


# --------------------------------------------------------------------------- phones


@dataclass(frozen=True)
class Phone:
    trunk: str  # "07700" or "0113"
    rest: str  # the remaining digits

    @property
    def national(self) -> str:
        return self.trunk + self.rest

    @property
    def value(self) -> str:
        if self.trunk == "07700":
            return f"{self.trunk} {self.rest}"
        return f"0113 {self.rest[:3]} {self.rest[3:]}"


phones = st.one_of(
    st.integers(0, 999).map(lambda n: Phone("07700", f"900{n:03d}")),
    st.integers(0, 999).map(lambda n: Phone("0113", f"496{n:04d}")),
)
PHONE_SEPARATORS = (" ", "-", ".", "", "\u00a0", " - ", "\u2013", "\n")


def _groups(draw, digits: str) -> list[str]:
    """`digits` cut into 1-4 groups of at least 2 digits."""
    cuts = sorted(draw(st.sets(st.integers(2, len(digits) - 2), max_size=3)))
    cuts = [c for i, c in enumerate(cuts) if i == 0 or c - cuts[i - 1] >= 2]
    bounds = [0, *cuts, len(digits)]
    return [digits[s:e] for s, e in pairwise(bounds)]


@st.composite
def phone_renderings(draw, phone: Phone) -> str:
    sep = draw(st.sampled_from(PHONE_SEPARATORS))
    nsn = phone.national[1:]
    form = draw(st.sampled_from(("national", "brackets", "+44", "0044", "+44(0)", "0044(0)")))
    if form == "national":
        return sep.join(_groups(draw, phone.national))
    if form == "brackets":
        return f"({phone.trunk}){draw(st.sampled_from((' ', '')))}" + sep.join(_groups(draw, phone.rest))
    prefix = {"+44": "+44", "0044": "0044", "+44(0)": "+44 (0)", "0044(0)": "0044 (0)"}[form]
    prefix = prefix.replace(" ", draw(st.sampled_from((" ", ""))))
    return prefix + draw(st.sampled_from((" ", "", "-"))) + sep.join(_groups(draw, nsn))


@SETTINGS
@given(data=st.data(), phone=phones)
def test_phone_rendering_always_blocks(data, phone: Phone) -> None:
    checker = _checker({"id": "mobile", "kind": "phone", "value": phone.value})
    text = data.draw(phone_renderings(phone))
    before = data.draw(st.sampled_from(("Call her on ", "Tel: ", "mobile:", "")))
    after = data.draw(st.sampled_from((" after 6pm.", ".", " (evenings)", "")))
    assert checker.verdict(before + text + after, "mobile") == "block"


@SETTINGS
@given(data=st.data(), phone=phones, other=st.integers(0, 999))
def test_another_number_in_the_range_never_matches(data, phone: Phone, other: int) -> None:
    other_phone = Phone(phone.trunk, phone.rest[:3] + (f"{other:03d}" if phone.trunk == "07700" else f"{other:04d}"))
    assume(other_phone.national != phone.national)
    checker = _checker({"id": "mobile", "kind": "phone", "value": phone.value})
    text = data.draw(phone_renderings(other_phone))
    assert checker.verdict(f"Call {text} today.", "mobile") is None


# --------------------------------------------------------------------------- e-mails

LOCAL_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8).filter(
    lambda w: w not in ("at", "dot", "mailto")
)
DOMAINS = ("example.com", "example.org", "example.net", "example.co.uk", "mail.example.com", "test.org.uk")


@st.composite
def emails(draw) -> str:
    words = draw(st.lists(LOCAL_WORDS, min_size=1, max_size=3))
    local = draw(st.sampled_from((".", "_", "-", ""))).join(words)
    if draw(st.booleans()):
        local += str(draw(st.integers(1, 99)))
    return f"{local}@{draw(st.sampled_from(DOMAINS))}"


def _random_case(draw, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c for c, f in zip(text, flips, strict=True))


@SETTINGS
@given(data=st.data(), address=emails())
def test_email_rendering_always_blocks(data, address: str) -> None:
    checker = _checker({"id": "mail", "kind": "email", "value": address})
    text = _random_case(data.draw, address)
    form = data.draw(st.sampled_from(("plain", "mailto", "link", "angle")))
    if form == "mailto":
        text = data.draw(st.sampled_from(("mailto:", "MAILTO:", "Mailto:"))) + text
    elif form == "link":
        text = f'<a href="mailto:{text}?subject=Contact%20details">write to her</a>'
    elif form == "angle":
        text = f"Jane <{text}>"
    assert checker.verdict(f"Her e-mail is {text}.", "mail") == "block"


@SETTINGS
@given(address=emails(), domain=st.sampled_from(DOMAINS))
def test_email_at_another_domain_never_matches(address: str, domain: str) -> None:
    local, _, own = address.partition("@")
    assume(domain != own)
    checker = _checker({"id": "mail", "kind": "email", "value": address})
    assert checker.verdict(f"Her e-mail is {local}@{domain}.", "mail") is None
