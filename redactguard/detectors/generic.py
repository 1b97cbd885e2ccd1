"""Generic UK personal data nobody listed: Presidio's recognisers and the project's spaCy model.

Presidio's recognisers (its UK ones, e-mail, phone via phonenumbers, IBAN, cards) and ours
(sort code + account, date of birth, street address, institutions) are called directly, without
Presidio's NLP engine: their regexes and checksums are what matters, and the engine would run a
spaCy model over every character. Context words ("lives at", "attends", "DOB") raise a score the
way Presidio's enhancer does, from a cheap look at the words just before the match.

The spaCy pipeline (by default the one built in `models/`) finds PERSON, LOC and ORG. It runs
with `nlp.pipe` over the text in batches, with only the components it needs, and nothing is
downloaded: a missing model is a usage error, never a silent fallback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..normalise import ABBREVIATIONS, FlowText
from ..vocabulary import Match, Severity
from .addresses import STREET_TYPES
from .base import Hit
from .names import TITLES

__all__ = ["GenericDetector", "default_model_path", "MIN_SCORE"]

#: Findings below this Presidio-style score (after context) are not reported.
MIN_SCORE = 0.5
#: Entities whose recogniser validates strictly (grammar, checksum) but scores low by design:
#: a UK postcode is personal whereabouts data wherever it stands. A passport-shaped string
#: (two letters, seven digits) matches case numbers, so it needs a context word.
MIN_SCORE_BY_ENTITY = {"UK_POSTCODE": 0.1, "PHONE_NUMBER": 0.4, "UK_PASSPORT": 0.45}
#: A context word within this many characters before a match raises its score.
CONTEXT_WINDOW = 60
CONTEXT_BOOST = 0.35
#: Model entity labels -> contract kinds.
MODEL_KINDS = {"PERSON": "person", "PER": "person", "LOC": "location", "GPE": "location", "ORG": "organisation",
               "ADDRESS": "address", "STREET_ADDRESS": "address", "INSTITUTION": "institution", "FAC": "location"}
_MODEL_BATCH_CHARS = 20_000
#: Triggers for Presidio's own recognisers (ours declare TRIGGER on the class): a cheap stdlib
#: pattern that every match of theirs contains, so their `regex` patterns run only on the lines
#: around a hit instead of over all the text. Each is implied by the recogniser's own pattern.
#: (NHS numbers and passports have none: their own patterns are as cheap as any trigger.)
PRESIDIO_TRIGGERS: dict[str, tuple[str, int]] = {
    "UkNinoRecognizer": (r"\d\d ?\d\d ?\d\d", 0),  # six digits, spaces allowed
    "UkDrivingLicenceRecognizer": (r"\d{6}", 0),  # DOB digits run together: 5 letters + 6 digits
    "UkPostcodeRecognizer": (r"\d[A-Za-z]{2}\b", 0),  # the inward code: a digit and two letters
}

#: Where a name can be: a capitalised word inside a sentence, two capitalised words in a row, or
#: a title and a capitalised word. The model (~70,000 characters/s) reads only the lines around
#: such candidates; text without any is left to the recognisers.
_NAME_CANDIDATE = re.compile(
    r"(?:(?<=[a-z0-9,;:)] )|(?<=[a-z0-9,;:)]\t))[A-Z][a-z'\u2019-]+"
    r"|\b[A-Z][a-z'\u2019-]+[ \t]+[A-Z][a-z'\u2019-]+"
    r"|\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|PC|DC|Sgt|Rev)\.?[ \t]+[A-Z]"
)
#: Capitalised words that are not names by themselves (a candidate made only of these is skipped).
_COMMON_CAPITALISED = frozenset(
    "The A An I In On At To Of For By With And Or But If It He She They We You His Her Their This That "
    "These Those There Here When Where While After Before During Since Until Mr Mrs Ms Miss Dr "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Court Council Local Authority Family "
    "Children Child Social Services Police Order Act Section Judge District Circuit High Care Plan "
    "Report Statement Assessment Contact Centre School Service Team Officer Worker Guardian "
    "Applicant Respondent Mother Father Parent Parents Dear Yours Sincerely Faithfully Page Date "
    "Re Case Ref Reference Number Tel Email Address Name Signed Please Note Yes No".split()
)


#: Loaded once per process and shared by every detector and document: (recognisers, kinds,
#: context patterns) under "patterns", and each spaCy pipeline under its location.
_PROCESS_CACHE: dict[str, Any] = {}


def default_model_path() -> Path:
    """The pipeline built by `make model`: $REDACTGUARD_MODEL, else the copy installed with the
    package (`redactguard._model`: models/redactguard_en, in a wheel or an editable install)."""
    env = os.environ.get("REDACTGUARD_MODEL")
    if env:
        return Path(env)
    from importlib.util import find_spec

    spec = find_spec("redactguard._model")
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        if (Path(location) / "config.cfg").is_file():
            return Path(location)
    return Path("redactguard._model (not installed: pip install the package, or set REDACTGUARD_MODEL)")


class GenericDetector:
    """Finds generic personal data; every hit is `review` unless the order's policy says otherwise."""

    name = "generic"

    def __init__(self, model: str | None = "default", extra_recognizers: tuple[Any, ...] = ()):
        self.model = model
        self.extra_recognizers = extra_recognizers
        self._recognizers: list[Any] | None = None
        self._kinds: dict[str, str] = {}
        self._context: dict[str, re.Pattern[str]] = {}
        self._nlp: Any = None
        if model is not None:
            self._model_location()  # fail early, in the parent process, if it is missing

    def __getstate__(self) -> dict[str, Any]:  # loaded objects are rebuilt once per worker
        return {"model": self.model, "extra_recognizers": self.extra_recognizers}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["model"], state["extra_recognizers"])  # type: ignore[misc]

    # ------------------------------------------------------------------ loading
    def _model_location(self) -> str:
        if self.model in ("default", None):
            path = default_model_path()
            if not (path / "meta.json").exists():
                raise UsageError(
                    f"the default spaCy pipeline is missing at {path}; build it with `make model`, "
                    "or pass --model none (patterns only) or --model NAME|PATH"
                )
            return str(path)
        assert self.model is not None
        if os.path.isdir(self.model) or _is_installed(self.model):
            return self.model
        raise UsageError(f"spaCy pipeline {self.model!r} is neither a folder nor an installed package")

    def load(self) -> None:
        """Load recognisers and the model (once per process)."""
        if self._recognizers is None:
            if "patterns" not in _PROCESS_CACHE:
                _PROCESS_CACHE["patterns"] = _load_patterns()
            recognizers, self._kinds, self._context = _PROCESS_CACHE["patterns"]
            self._recognizers = [*recognizers, *self.extra_recognizers]
        if self.model is not None and self._nlp is None:
            location = self._model_location()
            if location not in _PROCESS_CACHE:
                _PROCESS_CACHE[location] = _load_model(location)
            self._nlp = _PROCESS_CACHE[location]

    # ------------------------------------------------------------------ detection
    def detect(self, flow: FlowText) -> list[Hit]:
        if not flow.generic:  # a program's name, a template's layouts, a page preview (`Segment.generic`)
            return []
        self.load()
        text = flow.text
        hits = self._pattern_hits(text)
        if self._nlp is not None:
            hits.extend(self._model_hits(text))
        return _drop_contained(hits)

    def _pattern_hits(self, text: str) -> list[Hit]:
        assert self._recognizers is not None
        lowered = text.lower()
        out: list[Hit] = []
        for rec in self._recognizers:
            for r in _analyze(rec, text):
                score = self._with_context(r.entity_type, r.score, lowered, r.start)
                if score < MIN_SCORE_BY_ENTITY.get(r.entity_type, MIN_SCORE) or r.end <= r.start:
                    continue
                kind = self._kinds.get(r.entity_type, r.entity_type.lower().replace("_", "-"))
                out.append(Hit(start=r.start, end=r.end, kind=kind, match=Match.PATTERN, severity=Severity.REVIEW, detector="pattern",
                                confidence=round(min(score, 1.0), 3), rule=r.entity_type))
        return out

    def _with_context(self, entity: str, score: float, lowered: str, start: int) -> float:
        words = self._context.get(entity)
        if words is None or score >= 1.0:
            return score
        if words.search(lowered, max(0, start - CONTEXT_WINDOW), start):
            return min(1.0, score + CONTEXT_BOOST)
        return score

    def _model_hits(self, text: str) -> list[Hit]:
        out: list[Hit] = []
        pieces = list(_candidate_lines(text))
        for (offset, _), doc in zip(pieces, self._nlp.pipe([p for _, p in pieces], batch_size=64), strict=True):
            for ent in doc.ents:
                kind = MODEL_KINDS.get(ent.label_)
                if kind is None or not ent.text.strip():
                    continue
                if kind == "address" and not looks_like_address(ent.text):
                    continue  # "60 Layoff Permanent", "4th Edition": a number and capitals are no address
                if kind == "person" and not looks_like_name(ent.text):
                    continue  # "Pupil", "Head Teacher": a role names nobody
                start, end = offset + ent.start_char, offset + ent.end_char
                out.append(Hit(start=start, end=end, kind=kind, match=Match.MODEL, severity=Severity.REVIEW, detector="model",
                                confidence=0.6, rule=ent.label_))
        return out


#: Words that make a postal address of what the model calls one: street types (and Welsh ones),
#: and the words of a flat or a named house. A model ADDRESS without one of them, or a postcode,
#: is not reported: on the corpus nine in ten were a number before capitalised words.
_ADDRESS_WORDS = frozenset(STREET_TYPES | {spelling for spellings in ABBREVIATIONS.values() for spelling in spellings} | {
    "house", "cottage", "farm", "lodge", "barn", "mill", "manor", "bungalow", "hall", "estate",
})
#: Words that open an address: a flat, or a Welsh street type, which comes before the name.
_OPENING_WORDS = frozenset({"flat", "apartment", "maisonette", "unit", "heol", "ffordd", "stryd", "lôn", "lon", "rhodfa", "cilgant"})
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)


def looks_like_address(text: str) -> bool:
    """Whether a span the model calls an address holds what a UK postal address is made of: a
    postcode, or a capitalised street type or house word ("Cherry Tree Road", "Flat 2", "Heol
    y Felin"), which the model alone is not sure of outside court letters."""
    if _POSTCODE.search(text):
        return True
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w[0].isupper()]
    return any(w.lower() in _OPENING_WORDS for w in words) or any(w.lower() in _ADDRESS_WORDS for w in words[1:])


#: The roles a court paper writes with a capital ("the Mother", "Pupil", "Head Teacher", "Social
#: Worker"): the model sometimes takes them for a name, but a role alone identifies no one.
ROLE_WORDS = frozenset({
    "mother", "father", "parent", "parents", "child", "children", "son", "daughter", "baby", "sibling",
    "grandmother", "grandfather", "grandparent", "aunt", "uncle", "partner", "carer", "guardian",
    "applicant", "respondent", "petitioner", "claimant", "defendant", "intervener", "party", "parties",
    "pupil", "student", "teacher", "head", "headteacher", "deputy", "tutor", "class", "form", "year",
    "social", "worker", "officer", "manager", "practitioner", "visitor", "midwife", "nurse", "doctor",
    "police", "constable", "sergeant", "inspector", "detective", "judge", "magistrate", "justice",
    "solicitor", "barrister", "counsel", "clerk", "advocate", "cafcass", "local", "authority",
    "court", "honour", "lordship", "ladyship", "name", "address", "signed", "signature", "dear",
    "the", "a", "an", "my", "her", "his", "our", "their", "your", "and", "of",
})
_NOT_NAME = ROLE_WORDS | frozenset(TITLES)


def looks_like_name(text: str) -> bool:
    """Whether a span the model calls a person holds a word that can be a name: one that is not
    a role or a title ("Pupil", "Head Teacher", "Mr" alone name nobody)."""
    words = (w.lower() for w in re.findall(r"[^\W\d_][\w'’-]*", text))
    return any(w not in _NOT_NAME and re.sub(r"['’]s?$", "", w) not in _NOT_NAME for w in words)


def _trigger(rec: Any) -> tuple[re.Pattern[str], int] | None:
    """The recogniser's trigger and reach (compiled once per class), or None to run everywhere."""
    cls = type(rec)
    if cls not in _TRIGGER_CACHE:
        spec = PRESIDIO_TRIGGERS.get(cls.__name__)
        if getattr(cls, "TRIGGER", None):
            spec = (cls.TRIGGER, getattr(cls, "TRIGGER_REACH", 0))
        _TRIGGER_CACHE[cls] = (re.compile(spec[0]), spec[1]) if spec else None
    return _TRIGGER_CACHE[cls]


_TRIGGER_CACHE: dict[type, tuple[re.Pattern[str], int] | None] = {}


def trigger_windows(trigger: re.Pattern[str], reach: int, text: str) -> list[list[int]]:
    """[start, end) of the text around the trigger's hits: whole lines, `reach` characters either
    side (at least the line before and after), merged where they overlap."""
    windows: list[list[int]] = []
    for m in trigger.finditer(text):
        if windows and m.end() + reach < windows[-1][1]:
            continue  # already inside the current window: no new lines to add
        lo = text.rfind("\n", 0, max(0, m.start() - reach))
        lo = text.rfind("\n", 0, lo) + 1 if lo > 0 else 0  # and the line before
        hi = text.find("\n", min(len(text), m.end() + reach))
        hi = text.find("\n", hi + 1) if hi != -1 else -1  # and the line after
        hi = len(text) if hi == -1 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return windows


def _analyze(rec: Any, text: str) -> list[Any]:
    """Run a recogniser over the text, or only over the windows around its trigger's hits."""
    trigger = _trigger(rec)
    if trigger is None:
        return list(rec.analyze(text, entities=rec.supported_entities, nlp_artifacts=None) or ())
    out = []
    for lo, hi in trigger_windows(*trigger, text):
        for r in rec.analyze(text[lo:hi], entities=rec.supported_entities, nlp_artifacts=None) or ():
            r.start += lo
            r.end += lo
            out.append(r)
    return out


def _load_patterns() -> tuple[list[Any], dict[str, str], dict[str, re.Pattern[str]]]:
    from .recognizers import ENTITY_KINDS, context_words, uk_recognizers

    recognizers: list[Any] = uk_recognizers()
    context = {
        k: re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in v) + r")\b")
        for k, v in context_words(recognizers).items()
        if v
    }
    for rec in recognizers:
        # Compile now what the first document would: each recogniser's trigger, and the
        # patterns Presidio compiles on a recogniser's first call (a few hundred ms in all,
        # paid once before workers fork rather than by each of them).
        _trigger(rec)
        rec.analyze("", entities=rec.supported_entities, nlp_artifacts=None)
    return recognizers, dict(ENTITY_KINDS), context


def _load_model(location: str) -> Any:
    import spacy

    nlp = spacy.load(location)
    keep = {"tok2vec", "ner", "entity_ruler", "transformer"}
    unused = [p for p in nlp.pipe_names if p not in keep]
    if unused:  # a general pipeline's tagger, parser, lemmatizer: not needed, not run
        nlp.select_pipes(disable=unused)
    list(nlp.pipe(["Warm-up text, run once."]))  # the first call's one-off set-up, paid here
    return nlp


def _drop_contained(hits: list[Hit]) -> list[Hit]:
    """A hit inside a longer one that scores at least as well says nothing more (the checksum
    of an "NHS number" inside a phone number, a postcode inside a full address), unless only the
    model found the longer one: a grammar or checksum says more than a guess, and the policy ties
    names only to what a recogniser confirmed (`decide.TIE_KINDS`). Where both are addresses, the
    policy reports the recogniser's (`decide._merge`)."""
    ordered = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    out: list[Hit] = []
    for h in ordered:
        if any(o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start)
               and o.confidence >= h.confidence and not (o.match == Match.MODEL and h.match != Match.MODEL)
               for o in out[-8:]):
            continue
        out.append(h)
    return out


def _candidate_lines(text: str) -> list[tuple[int, str]]:
    """(offset, text) of the lines around name candidates, merged, each at most ~20,000 chars."""
    spans: list[list[int]] = []
    for m in _NAME_CANDIDATE.finditer(text):
        words = re.findall(r"[A-Za-z'\u2019-]+", m.group())
        if all(w.strip("'\u2019-") in _COMMON_CAPITALISED for w in words):
            continue
        lo = text.rfind("\n", 0, m.start()) + 1
        hi = text.find("\n", m.end())
        hi = len(text) if hi == -1 else hi + 1
        lo, hi = max(lo, m.start() - 400), min(hi, m.end() + 400)  # very long lines: a window
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    out = []
    for lo, hi in spans:
        for start in range(lo, hi, _MODEL_BATCH_CHARS):
            end = min(hi, start + _MODEL_BATCH_CHARS)
            out.append((start, text[start:end]))
    return out


def _is_installed(name: str) -> bool:
    import importlib.util

    return bool(re.fullmatch(r"[A-Za-z_][\w.]*", name)) and importlib.util.find_spec(name) is not None
