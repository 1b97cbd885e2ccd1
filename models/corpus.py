"""Generated family-court sentences with entity spans: the model's training and held-out data.

`generate(n, seed, heldout)` fills the templates in `templates.py` with values from Faker and
`gazetteer.py` and returns examples `{"text", "spans": [{"start", "end", "label"}], "templates"}`.
Labels: PERSON, LOC (towns, localities, counties, countries: GPE and LOC are one label, because
the scanner treats both as "where someone is"), ORG, and ADDRESS (a whole postal address, from
flat or house number to postcode, or a street name or postcode on its own). Titles (Ms, Dr, PC)
and a leading "the" are outside the entity.

Training examples also mix in sentences with no entity: ordinary prose (`prose.py`), word salad
and negative templates, in the shares below. The held-out split keeps its own mix and values,
so it is the same data before and after a change to the training side.

The same seed gives the same data for a given Faker and Python version (recorded in metrics.json).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import gazetteer as gz
import prose
import templates
from faker import Faker

__all__ = ["generate", "LABELS"]

LABELS = ("PERSON", "LOC", "ORG", "ADDRESS")
Piece = tuple[str, str | None]  # text and its label (None: not an entity)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TITLES_F = ["Ms", "Mrs", "Miss", "Ms", "Mrs", "Dr"]
TITLES_M = ["Mr", "Mr", "Mr", "Dr"]
ROLES = ["Social Worker", "Team Manager", "Health Visitor", "Family Support Worker",
         "Independent Reviewing Officer", "Children's Guardian", "Headteacher", "SENCo",
         "Designated Safeguarding Lead", "Police Constable", "Contact Supervisor", "Midwife",
         "Advanced Practitioner", "School Nurse", "Family Court Adviser", "Solicitor"]
LEGAL = ["Non-Molestation Order", "Occupation Order", "Child Arrangements Order", "Prohibited Steps Order",
         "Specific Issue Order", "Interim Care Order", "Care Order", "Supervision Order",
         "Special Guardianship Order", "Placement Order", "Emergency Protection Order",
         "Family Assistance Order", "Child Protection Plan", "Child in Need Plan", "Section 20 Agreement",
         "Section 47 Enquiry", "Restraining Order", "Domestic Violence Protection Order",
         "Written Agreement", "Parenting Assessment", "Letter of Intent", "Pre-Proceedings Meeting"]
#: Training mix, by sentence: prose (prose.py), word salad, negative templates; the rest are
#: templates with entities. The held-out split keeps its own fixed mix (27% negatives).
PROSE_SHARE, SALAD_SHARE, NEGATIVE_SHARE = 0.15, 0.06, 0.15
_SLOT = re.compile(r"\{([A-Z0-9]+)\}")


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


class Filler:
    """Fills template slots; one per data split, each with its own seed and word lists."""

    def __init__(self, seed: int, heldout: bool):
        self.rng = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        locales = gz.NAME_LOCALES if heldout else gz.NAME_LOCALES + gz.TRAIN_ONLY_LOCALES
        for i, (locale, _) in enumerate(locales):
            fake = Faker(locale)
            fake.seed_instance(seed * 100 + i)
            self.fakers[locale] = fake
        self.gb = self.fakers["en_GB"]
        self.words = Faker("en_US")  # its lorem provider has common English words
        self.words.seed_instance(seed * 100 + 99)
        pick = lambda items: gz.split(_dedupe(items), heldout)  # noqa: E731
        self.towns, self.localities = pick(gz.TOWNS), pick(gz.LOCALITIES)
        self.counties, self.countries = pick(gz.COUNTIES), pick(gz.COUNTRIES)
        self.boroughs, self.forces = pick(gz.LONDON_BOROUGHS), pick(gz.POLICE_FORCES)
        self.employers, self.saints = pick(gz.EMPLOYERS), pick(gz.SAINTS)
        self.name_words, self.stems = pick(gz.NAME_WORDS), pick(gz.STREET_STEMS)
        self.roots, self.endings = pick(gz.TOPONYM_ROOTS), gz.TOPONYM_ENDINGS
        self.locales = [loc for loc, _ in locales]
        self.weights = [w for _, w in locales]
        self.abroad: list[Faker] = []
        if not heldout:  # training only: the held-out split keeps its UK-only values
            for i, locale in enumerate(gz.ABROAD_LOCALES):
                fake = Faker(locale)
                fake.seed_instance(seed * 100 + 50 + i)
                self.abroad.append(fake)
        self.slots: dict[str, Callable[[], list[Piece]]] = {
            "P": lambda: self.person(), "F": lambda: [(self.first(), "PERSON")],
            "S": lambda: [(self.last(), "PERSON")], "T": lambda: self.titled(False),
            "TP": lambda: self.titled(True), "PU": lambda: self.person_upper(),
            "TOWN": lambda: [(self.town(), "LOC")], "LOCALITY": lambda: [(self.locality(), "LOC")],
            "PLACE": lambda: [(self.place(), "LOC")],
            "COUNTY": lambda: [(self.choice(self.counties), "LOC")],
            "COUNTRY": lambda: self.country(),
            "SCHOOL": self.school, "NURSERY": self.nursery, "GP": self.gp,
            "HOSPITAL": self.hospital, "DENTAL": self.dental, "COUNCIL": self.council,
            "POLICE": self.police, "EMPLOYER": self.employer, "CONTACT": self.contact,
            "SUPPORT": self.support, "CLUB": self.club, "ORG": self.any_org,
            "ADDR": lambda: self.address(multiline=self.rng.random() < 0.25),
            "ADDR1": lambda: self.address(multiline=False),
            "ADDRML": lambda: self.address(multiline=True),
            "STREET": lambda: [(self.street(), "ADDRESS")],
            "NUMSTREET": lambda: [(f"{self.house_number()} {self.street()}", "ADDRESS")],
            "POSTCODE": lambda: [(self.postcode(), "ADDRESS")],
            "FADDR": self.address_abroad, "FCITY": lambda: [(self.foreign().city(), "LOC")],
            "FCOUNTRY": lambda: [(self.foreign().current_country(), "LOC")],
            "FORG": lambda: [(self.foreign().company(), "ORG")],
            "WORD": lambda: [(self.words.word(), None)],
            "HEADING": lambda: [(self.heading(), None)],
            "HEADINGU": lambda: [(self.heading().upper(), None)],
            "MONTH": lambda: [(self.choice(MONTHS), None)], "DAY": lambda: [(self.choice(DAYS), None)],
            "DATE": lambda: [(self.date(), None)], "DOB": lambda: [(self.date(), None)],
            "YEAR": lambda: [(str(self.rng.randint(2008, 2025)), None)],
            "TIME": lambda: [(self.time(), None)], "AGE": lambda: [(str(self.rng.randint(1, 17)), None)],
            "NUM": lambda: [(str(self.rng.randint(2, 99)), None)],
            "PHONE": lambda: [(self.gb.phone_number(), None)],
            "CASE": lambda: [(self.case_number(), None)], "ROLE": lambda: [(self.choice(ROLES), None)],
            "EMAIL": lambda: [(self.gb.email(), None)], "LEGAL": lambda: [(self.choice(LEGAL), None)],
        }

    # ------------------------------------------------------------------ small helpers
    def choice(self, items: list[str]) -> str:
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def fill(self, slot: str) -> list[Piece]:
        pieces = self.slots[slot]()
        if self.chance(0.01):  # lower-case noise: "leeds", "oakfield primary school"
            pieces = [(t.lower() if lab else t, lab) for t, lab in pieces]
        return pieces

    # ------------------------------------------------------------------ people
    def _locale(self) -> Faker:
        return self.fakers[self.rng.choices(self.locales, self.weights)[0]]

    def first(self, fake: Faker | None = None) -> str:
        return (fake or self._locale()).first_name()

    def last(self, fake: Faker | None = None) -> str:
        return (fake or self._locale()).last_name()

    def full_name(self) -> str:
        fake = self._locale()
        first, last = self.first(fake), self.last(fake)
        r = self.rng.random()
        if r < 0.10:
            return f"{first} {self.first(fake)} {last}"
        if r < 0.16:
            return f"{first[0]}. {last}" if self.chance(0.5) else f"{first[0]} {last}"
        if r < 0.21:
            return f"{first} {last}-{self.last()}"
        if r < 0.26:
            return f"{first} {last.upper()}"
        return f"{first} {last}"

    def person(self) -> list[Piece]:
        return [(self.first() if self.chance(0.12) else self.full_name(), "PERSON")]

    def _title(self) -> str:
        title = self.choice(TITLES_F if self.chance(0.6) else TITLES_M + ["Mx"])
        return title + "." if self.chance(0.1) else title

    def titled(self, full: bool) -> list[Piece]:
        name = self.full_name() if full else self.last()
        return [(self._title() + " ", None), (name, "PERSON")]

    def person_upper(self) -> list[Piece]:
        fake = self._locale()
        first, last = self.first(fake), self.last(fake)
        if self.chance(0.3):
            return [(f"{first} {last}".upper(), "PERSON")]
        return [(f"{first} {last.upper()}", "PERSON")]

    # ------------------------------------------------------------------ places
    def toponym(self) -> str:
        name = self.choice(self.roots) + self.choice(self.endings)
        if self.chance(0.2):
            name = self.choice(["Upper", "Lower", "Great", "Little", "North", "South", "East",
                                "West", "Market", "Kings", "Bishops", "Old", "New"]) + " " + name
        elif self.chance(0.05):
            name += self.choice([" on Sea", "-on-Sea", " upon Avon", " Moor", " Bridge"])
        return name

    def town(self) -> str:
        return self.toponym() if self.chance(0.25) else self.choice(self.towns)

    def locality(self) -> str:
        return self.toponym() if self.chance(0.2) else self.choice(self.localities)

    def place(self) -> str:
        return self.town() if self.chance(0.6) else self.locality()

    def country(self) -> list[Piece]:
        name = self.choice(self.countries)
        if name.startswith("the "):
            return [("the ", None), (name[4:], "LOC")]
        return [(name, "LOC")]

    # ------------------------------------------------------------------ organisations
    def base_name(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return self.choice(self.name_words)
        if r < 0.75:
            return self.place()
        if r < 0.85:
            return f"{self.choice(self.stems)} {self.choice(gz.STREET_TYPES)}"
        return self.gb.last_name()

    def _org(self, name: str, the: float = 0.0) -> list[Piece]:
        if self.chance(the):
            return [(self.choice(["the ", "The "]), None), (name, "ORG")]
        return [(name, "ORG")]

    def school(self) -> list[Piece]:
        if self.chance(0.15):
            kind = self.choice(["Catholic Primary School", "RC Primary School", "C of E Primary School",
                                "CE Primary School", "Church of England Junior School",
                                "Catholic High School", "Catholic Academy", "Primary School"])
            return self._org(f"St {self.choice(self.saints)}'s {kind}")
        kind = self.choice(["Primary School", "Primary School", "Infant School", "Junior School",
                            "Infant and Nursery School", "Academy", "Primary Academy", "High School",
                            "Community Primary School", "Church of England Primary School",
                            "C of E Primary School", "CE Primary School", "School", "Secondary School",
                            "College", "Grammar School", "Sixth Form College", "Primary",
                            "Community College", "Special School", "Free School", "Junior and Infant School"])
        return self._org(f"{self.base_name()} {kind}", the=0.05)

    def nursery(self) -> list[Piece]:
        kind = self.choice(["Nursery", "Day Nursery", "Pre-School", "Children's Centre", "Playgroup",
                            "Nursery School", "Kindergarten"])
        if self.chance(0.15):
            return self._org(f"Little {self.choice(['Acorns', 'Stars', 'Explorers', 'Oaks', 'Angels', 'Owls', 'Steps'])} {kind}")
        return self._org(f"{self.base_name()} {kind}")

    def gp(self) -> list[Piece]:
        r = self.rng.random()
        if r < 0.1:
            return self._org(f"Dr {self.gb.last_name()} and Partners")
        if r < 0.2:
            return self._org(f"{self.base_name()} Practice", the=0.7)
        kind = self.choice(["Medical Centre", "Surgery", "Health Centre", "Medical Practice",
                            "Family Practice", "Group Practice", "Medical Group"])
        return self._org(f"{self.base_name()} {kind}", the=0.05)

    def hospital(self) -> list[Piece]:
        town = self.town()
        return self._org(self.choice([
            f"{town} General Hospital", f"{town} Royal Infirmary", f"St {self.choice(self.saints)}'s Hospital",
            f"Royal {town} Hospital", f"{town} Children's Hospital", f"{town} District Hospital",
            f"{town} Teaching Hospitals NHS Foundation Trust", f"{town} Community Hospital",
        ]))

    def dental(self) -> list[Piece]:
        return self._org(f"{self.base_name()} {self.choice(['Dental Practice', 'Dental Care', 'Dental Surgery', 'Orthodontics'])}")

    def council(self) -> list[Piece]:
        town = self.town()
        return self._org(self.choice([
            f"{town} City Council", f"{town} Borough Council", f"{self.choice(self.counties)} County Council",
            f"London Borough of {self.choice(self.boroughs)}", f"{town} Metropolitan Borough Council",
            f"{town} Council", f"{town} Children's Services",
        ]))

    def police(self) -> list[Piece]:
        if self.chance(0.2):
            return self._org(f"{self.choice(self.counties)} {self.choice(['Police', 'Constabulary'])}")
        return self._org(self.choice(self.forces))

    def employer(self) -> list[Piece]:
        r = self.rng.random()
        if r < 0.4:
            return self._org(self.choice(self.employers))
        if r < 0.75:
            return self._org(self.gb.company())
        last = self.gb.last_name()
        return self._org(self.choice([
            f"{last}'s Garage", f"{last} Builders", f"{self.town()} Taxis", f"{self.base_name()} Care Home",
            f"{last} & Sons", f"{last} Logistics", f"{self.base_name()} Nursing Home", f"{last} Solicitors",
        ]))

    def contact(self) -> list[Piece]:
        return self._org(self.choice([f"{self.town()} Family Contact Centre", f"{self.base_name()} Children's Centre",
                                      f"{self.town()} Child Contact Centre", f"{self.base_name()} Family Centre"]), the=0.3)

    def support(self) -> list[Piece]:
        return self._org(self.choice([f"{self.town()} Women's Aid", f"{self.town()} Foodbank",
                                      f"{self.base_name()} Refuge", f"{self.town()} Domestic Abuse Service"]))

    def club(self) -> list[Piece]:
        town = self.town()
        return self._org(self.choice([f"{town} Swimming Club", f"{town} Juniors FC", f"{self.base_name()} Gymnastics Club",
                                      f"1st {town} Brownies", f"{town} Boxing Club", f"{self.base_name()} Dance Academy"]))

    def any_org(self) -> list[Piece]:
        kind = self.choice(["SCHOOL", "NURSERY", "GP", "HOSPITAL", "COUNCIL", "POLICE", "EMPLOYER", "SUPPORT"])
        return self.slots[kind]()

    # ------------------------------------------------------------------ addresses
    def house_number(self) -> str:
        n = str(self.rng.choice([self.rng.randint(1, 40), self.rng.randint(1, 300)]))
        if self.chance(0.05):
            return n + self.choice(["A", "B", "a", "b"])
        if self.chance(0.02):
            return f"{n}-{int(n) + 2}"
        return n

    def street(self) -> str:
        r = self.rng.random()
        stem = self.choice(self.stems) if r < 0.7 else self.gb.last_name() if r < 0.93 else self.town()
        kind = self.choice(gz.STREET_TYPES)
        if kind in gz.STREET_ABBREVIATIONS and self.chance(0.12):
            kind = gz.STREET_ABBREVIATIONS[kind]
        return f"{stem} {kind}"

    def postcode(self) -> str:
        code = self.gb.postcode()
        return code.replace(" ", "") if self.chance(0.05) else code

    def address(self, multiline: bool) -> list[Piece]:
        lines: list[str] = []
        if self.chance(0.2):
            unit = self.choice(["Flat", "Flat", "Apartment", "Room", "Studio", "Unit"])
            lines.append(f"{unit} {self.rng.randint(1, 60)}{self.choice(['', '', '', 'A', 'B'])}")
        building = self.chance(0.12)
        if building:
            lines.append(f"{self.choice(self.stems + self.name_words)} {self.choice(gz.BUILDING_WORDS)}")
        street = self.street()
        lines.append(f"{self.house_number()} {street}" if not building or self.chance(0.4) else street)
        if self.chance(0.3):
            lines.append(self.locality())
        town, code = self.town() if self.chance(0.8) else "", self.postcode() if self.chance(0.6) else ""
        if self.chance(0.1):
            town = town.upper()
        if multiline:
            lines += [x for x in (town, code) if x]
            sep = ",\n" if self.chance(0.3) else "\n"
            text = sep.join(lines)
        else:
            if town and code:
                lines.append(town + (", " if self.chance(0.3) else " ") + code)
            elif town or code:
                lines.append(town or code)
            text = ", ".join(lines) if self.chance(0.85) else " ".join(lines)
        if self.chance(0.06):
            text = text.upper()
        return [(text, "ADDRESS")]

    def foreign(self) -> Faker:
        return self.abroad[self.rng.randrange(len(self.abroad))]

    def address_abroad(self) -> list[Piece]:
        """An address abroad in its country's own form (a parent who moved away, family abroad)."""
        fake = self.foreign()
        lines = fake.address().split("\n")
        if self.chance(0.3):
            lines.append(fake.current_country())
        sep = self.choice([", ", ", ", "\n", " ", ",\n"])
        text = sep.join(lines)
        return [(text.upper() if self.chance(0.04) else text, "ADDRESS")]

    # ------------------------------------------------------------------ non-entities
    def date(self) -> str:
        d, m, y = self.rng.randint(1, 28), self.rng.randint(1, 12), self.rng.randint(2008, 2025)
        return self.choice([f"{d} {MONTHS[m - 1]} {y}", f"{d:02d}/{m:02d}/{y}", f"{d} {MONTHS[m - 1][:3]} {y}",
                            f"{self.choice(DAYS)} {d} {MONTHS[m - 1]}", f"{d}.{m}.{y % 100:02d}"])

    def heading(self) -> str:
        return " ".join(w.capitalize() for w in self.words.words(self.rng.randint(1, 4)))

    def time(self) -> str:
        h, m = self.rng.randint(7, 20), self.rng.choice([0, 15, 30, 45])
        return self.choice([f"{h}:{m:02d}", f"{(h - 1) % 12 + 1}.{m:02d}{'am' if h < 12 else 'pm'}",
                            f"{(h - 1) % 12 + 1}{'am' if h < 12 else 'pm'}"])

    def case_number(self) -> str:
        return f"{self.rng.choice(['LS', 'MA', 'BM', 'ZW', 'BS', 'NE'])}{self.rng.randint(10, 25)}" \
               f"{self.rng.choice(['C', 'P'])}{self.rng.randint(0, 99999):05d}"


def render(template: str, filler: Filler) -> tuple[str, list[tuple[int, int, str]]]:
    """Fill one template; return its text and (start, end, label) spans."""
    text, spans, pos = [], [], 0
    length = 0
    for m in _SLOT.finditer(template):
        text.append(template[pos:m.start()])
        length += m.start() - pos
        for piece, label in filler.fill(m.group(1)):
            if label:
                spans.append((length, length + len(piece), label))
            text.append(piece)
            length += len(piece)
        pos = m.end()
    text.append(template[pos:])
    return "".join(text), spans


def generate(n: int, seed: int, heldout: bool) -> list[dict]:
    """n examples of one to three sentences each, from the training or the held-out templates."""
    filler = Filler(seed, heldout)
    rng = filler.rng
    positive = templates.HELDOUT if heldout else templates.TRAIN + templates.TRAIN_MORE + templates.TRAIN_ABROAD
    negative = templates.HELDOUT_NEGATIVE if heldout else templates.TRAIN_NEGATIVE + templates.TRAIN_HARD_NEGATIVE
    sentences = [] if heldout else prose.sentences()
    negative_below = 0.27 if heldout else PROSE_SHARE + SALAD_SHARE + NEGATIVE_SHARE
    out = []
    for _ in range(n):
        parts, spans, used = [], [], []
        length = 0
        for k in range(rng.choice([1, 1, 1, 1, 2, 2, 3])):
            if k:
                sep = rng.choice([" ", " ", " ", "\n", "\n\n"])
                parts.append(sep)
                length += len(sep)
            r = rng.random()
            if not heldout and r < PROSE_SHARE:  # ordinary prose (prose.py): no entity in it
                text, sp = sentences[rng.randrange(len(sentences))], []
                used.append("x")
            elif not heldout and r < PROSE_SHARE + SALAD_SHARE:  # common words in no order
                text, sp = filler.words.sentence(nb_words=rng.randint(4, 14)), []
                used.append("w")
            else:
                pool, tag = (negative, "n") if r < negative_below else (positive, "p")
                index = rng.randrange(len(pool))
                text, sp = render(pool[index], filler)
                used.append(f"{'h' if heldout else 't'}{tag}{index}")
            spans += [(s + length, e + length, lab) for s, e, lab in sp]
            parts.append(text)
            length += len(text)
        text = "".join(parts)
        r = rng.random()
        if r < 0.03 and len(text.lower()) == len(text):
            text = text.lower()
        elif r < 0.05 and len(text.upper()) == len(text):
            text = text.upper()
        out.append({"text": text, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
                    "templates": used})
    return out
