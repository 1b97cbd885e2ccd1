"""Institutions that place a person: schools, nurseries, GP surgeries, hospitals, refuges, employers.

A name is one to five capitalised words ("St Mary's C of E", "Little Acorns") followed by a
type ("Primary School", "Medical Centre", "Refuge"). An employer has no type word, so it is
taken only after a workplace cue: "works at", "employed by", "employer:". Matching is
case-sensitive: the capitals are what separate "St Mary's Primary School" from "the school".
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from .base import UkPatternRecognizer

__all__ = ["InstitutionRecognizer", "INSTITUTION_TYPES"]

#: Words that end an institution's name and say what it is.
INSTITUTION_TYPES = (
    "Primary School", "Primary Academy", "Secondary School", "Infant School", "Infants School",
    "Infant and Nursery School", "Junior School", "Junior and Infant School", "High School",
    "Grammar School", "Free School", "Special School", "Prep School", "Preparatory School",
    "Community School", "Nursery School", "School", "Academy", "Sixth Form College",
    "Sixth Form", "College", "Day Nursery", "Nursery", "Pre-School", "Preschool", "Pre School",
    "Playgroup", "Surgery", "Medical Centre", "Medical Practice", "Medical Group",
    "Health Centre", "Group Practice", "Family Practice", "GP Practice", "Dental Practice",
    "Hospital", "Infirmary", "Refuge", "Children's Centre", "Children\u2019s Centre",
    "Childrens Centre", "Family Centre", "Contact Centre",
)  # fmt: skip

#: Words that open a sentence or a phrase, never a name: "Her School", "At Nursery".
_NOT_NAME = (
    "A|An|His|Her|Their|Our|My|Your|This|That|These|Those|At|In|On|To|From|By|With|And|But|Or"
    "|When|While|Since|Both|Each|Every|If|As|Mr|Mrs|Ms|Miss|I|He|She|They|We|It|Which|Where"
    "|Whose|What|Yesterday|Today|Tomorrow|Currently|Previously|Recently|Any|No|Some|Another"
)
_SPACE = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
#: Words that end a name, so that "Oakwood Medical Centre and Leeds General Infirmary" is two.
_HEAD = (
    "School|Academy|College|Nursery|Pre-School|Preschool|Playgroup|Surgery|Practice|Centre"
    "|Hospital|Infirmary|Refuge"
)
#: A word of a name: "St", "St.", "Mary's", "B&Q", "CE", "RC", and "C of E" as one word.
_WORD = rf"(?!(?:{_NOT_NAME}|{_HEAD})\b)(?:C[ \t]+of[ \t]+E\b|[A-Z][A-Za-z0-9'\u2019.&-]*)"
_JOIN = rf"(?:{_SPACE}(?:and|&|of|the|de|la|upon){_SPACE}|{_SPACE})"
_NAME = rf"{_WORD}(?:{_JOIN}{_WORD}){{0,4}}"


def _types() -> str:
    spelled = sorted(INSTITUTION_TYPES, key=lambda t: (-len(t), t))
    return "(?:" + "|".join(re.escape(t).replace(r"\ ", _SPACE) for t in spelled) + ")"


#: Workplace cues before an employer's name; case does not matter in the cue, only in the name.
_EMPLOYER_CUE = (
    r"(?i:\b(?:works?|worked|working|employed|job|jobs)[ \t]+(?:at|for|by|with)"
    r"|\bemployer(?:'s[ \t]+name)?[ \t]*(?::|-|is|was))[ \t]+"
)

#: Words that say what kind of place a name is, or could open any name; a name made of these
#: alone ("Secondary School", "The Catholic Primary School") is generic, not an institution.
_GENERIC = frozenset(
    """
    school schools primary secondary junior infant infants nursery academy college high grammar
    free special prep preparatory community sixth form pre preschool playgroup surgery medical
    practice group health centre clinic hospital infirmary refuge children's childrens children
    family contact day dental gp the a an of and c e ce rc church england catholic roman
    methodist boarding sunday forest independent state private faith local new old previous
    current former same other boys girls summer holiday main st saint
    """.split()
)


class InstitutionRecognizer(UkPatternRecognizer):
    """Recognizes named schools, nurseries, surgeries, hospitals, refuges and cued employers."""

    ENTITY = "INSTITUTION"

    COUNTRY_CODE = "uk"

    PATTERNS = [
        Pattern("named institution", rf"(?<![\w'\u2019-]){_NAME}{_SPACE}{_types()}\b", 0.6),
        Pattern("employer after a workplace cue", rf"(?<={_EMPLOYER_CUE}){_NAME}\b", 0.55),
    ]

    CONTEXT = [
        "attends",
        "attending",
        "pupil at",
        "enrolled",
        "registered with",
        "gp",
        "works at",
        "employed by",
        "refuge",
    ]

    # Case matters: capitals are what make a name (see the module docstring).
    REGEX_FLAGS = re.DOTALL | re.MULTILINE

    #: A named institution ends in the last word of a type, capitalised as the pattern needs; an
    #: employer follows a workplace cue.
    #: (A leading \b, or a case-insensitive first letter, would slow the stdlib engine many times.)
    TRIGGER = (
        r"(?:" + "|".join(sorted({t.split()[-1] for t in INSTITUTION_TYPES}, key=lambda w: (-len(w), w))) + r")\b"
        r"|[wWeEjJ](?i:(?:orks?|orked|orking|mployed|obs?)[ \t]+(?:at|for|by|with)|mployer)"
    )
    TRIGGER_REACH = 150  # five words of a name before the type, or the name after the cue

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """A name of generic words only ("The Secondary School") names no institution."""
        words = re.findall(r"[A-Za-z'\u2019]+", pattern_text.replace("\u2019", "'"))
        return not any(w.lower() not in _GENERIC for w in words)
