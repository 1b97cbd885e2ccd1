"""Expand an order item into the token sequences a reader would recognise as that item.

Each variant carries the `match` type and severity it earns (contract §2). Address items are
split into components first (see `addresses.py`) and contribute partial variants.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..normalise import tokenize
from ..order import ProtectedItem
from ..vocabulary import Match, Severity
from .addresses import AddressGuard, address_variants, parse_address
from .institutions import institution_variants
from .names import name_variants
from .postcodes import parse_postcode
from .variant import Variant

__all__ = ["Variant", "variants_for", "PHRASE_EQUIVALENTS"]


#: Phrases written interchangeably (canonical tokens). An empty tuple means "may be left out".
PHRASE_EQUIVALENTS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("c", "of", "e"), ("ce",), ("church", "of", "england"), ("c", "e")),
    (("rc",), ("roman", "catholic"), ("r", "c")),
    (("and",), ()),
)


def _phrase_forms(tokens: tuple[str, ...], limit: int = 24) -> set[tuple[str, ...]]:
    """All spellings of `tokens` under PHRASE_EQUIVALENTS (bounded)."""
    forms = {tokens}
    for group in PHRASE_EQUIVALENTS:
        for form in list(forms):
            for phrase in group:
                if not phrase or not _contains(form, phrase):
                    continue
                for other in group:
                    if other != phrase:
                        forms.add(_replace(form, phrase, other))
            if len(forms) >= limit:
                return forms
    return {f for f in forms if f}


def _contains(seq: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


def _replace(seq: tuple[str, ...], old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    n, i = len(old), 0
    out: list[str] = []
    while i < len(seq):
        if seq[i : i + n] == old:
            out.extend(new)
            i += n
        else:
            out.append(seq[i])
            i += 1
    return tuple(out)


def _hyphen_joined(text: str) -> tuple[str, ...] | None:
    """`Smith-Jones` may also appear as `SmithJones` (a line-end hyphen joined by the reader)."""
    if "-" not in text:
        return None
    return tuple(tokenize(re.sub(r"(?<=\w)-(?=\w)", "", text)))


def _spelling_variants(text: str, first_match: Match) -> list[Variant]:
    base = tuple(tokenize(text))
    if not base:
        return []
    out = [Variant(base, first_match, Severity.BLOCK, "value" if first_match == Match.EXACT else "also")]
    for form in _phrase_forms(base) - {base}:
        out.append(Variant(form, Match.VARIANT, Severity.BLOCK, "phrase"))
    joined = _hyphen_joined(text)
    if joined and joined != base:
        out.append(Variant(joined, Match.VARIANT, Severity.BLOCK, "hyphenation"))
    return out


def _postcode_variants(text: str, match: Match, severity: Severity, rule: str) -> list[Variant]:
    parsed = parse_postcode(text)
    if parsed is None:
        return []
    outward, inward = parsed[0].lower(), parsed[1].lower()
    return [
        Variant((outward, inward), match, severity, rule),
        Variant((outward + inward,), match, severity, rule),
    ]


def _email_variants(text: str) -> list[Variant]:
    """Written-out forms, fully or partly: `jane dot doe at example dot com`, `jane.doe (at)
    example.com`, `jane.doe [at] example [dot] com`. Brackets are punctuation, so every form is
    the address's words with or without `dot` between pieces and `at` before the domain."""
    local, _, domain = text.strip().lower().partition("@")
    pieces = [tokenize(p) for p in local.split(".")] + [["@"]] + [tokenize(p) for p in domain.split(".")]
    pieces = [p for p in pieces if p]
    forms: list[list[str]] = [[]]
    for i, piece in enumerate(pieces):
        if piece == ["@"]:
            forms = [f + ["at"] for f in forms] + forms
            continue
        if i and pieces[i - 1] != ["@"]:
            forms = [f + ["dot"] for f in forms] + forms
        forms = [f + piece for f in forms]
        if len(forms) > 64:
            break
    plain = tuple(t for p in pieces if p != ["@"] for t in p)
    return [Variant(tuple(f), Match.VARIANT, Severity.BLOCK, "email-spoken") for f in forms if tuple(f) != plain]


def _vehicle_variants(text: str) -> list[Variant]:
    compact = re.sub(r"[\W_]+", "", text).lower()
    out = [Variant((compact,), Match.VARIANT, Severity.BLOCK, "vehicle-compact")]
    m = re.fullmatch(r"([a-z]{2}[0-9]{2})([a-z]{3})", compact)
    if m:
        out.append(Variant((m.group(1), m.group(2)), Match.VARIANT, Severity.BLOCK, "vehicle-spaced"))
    groups = tuple(re.findall(r"[a-z]+|[0-9]+", compact))
    if len(groups) > 1:  # "AB 12 CDE": letters and digits written apart
        out.append(Variant(groups, Match.VARIANT, Severity.BLOCK, "vehicle-spaced"))
    return out


def variants_for(item: ProtectedItem) -> list[Variant]:
    """Every token-sequence variant of `item` (phones and regexes are matched elsewhere)."""
    if item.kind in ("phone", "regex"):
        return []
    out: list[Variant] = []
    for i, spelling in enumerate(item.spellings):
        spelled = _spelling_variants(spelling, Match.EXACT if i == 0 else Match.VARIANT)
        if item.kind == "address":
            spelled = _guard_address_spelling(item.value, spelling, spelled)
        out.extend(spelled)
        if item.kind == "postcode":
            out.extend(_postcode_variants(spelling, Match.EXACT if i == 0 else Match.VARIANT, Severity.BLOCK, "postcode"))
        elif item.kind == "email":
            out.extend(_email_variants(spelling))
        elif item.kind == "vehicle":
            out.extend(_vehicle_variants(spelling))
    partials: list[Variant] = []
    if item.kind == "address":
        for spelling in item.spellings:
            partials.extend(address_variants(spelling))
    elif item.kind == "name":
        for spelling in item.spellings:
            partials.extend(name_variants(spelling))
    elif item.kind == "school":
        for spelling in item.spellings:
            partials.extend(institution_variants(spelling))
    for v in partials:
        out.extend(replace(v, tokens=form) for form in _phrase_forms(v.tokens))
    return _dedupe(_with_plain_possessives(out, item.spellings))


_POSSESSIVE = re.compile(r"([^\W_]+)['\u2019\u2018`\u00b4\u02bc]s\b")


def _with_plain_possessives(variants: list[Variant], spellings: tuple[str, ...]) -> list[Variant]:
    """Documents drop the apostrophe ("St Marys"): each possessive word also matches with an s."""
    words = {tokenize(m.group(1))[0] for s in spellings for m in _POSSESSIVE.finditer(s) if tokenize(m.group(1))}
    if not words:
        return variants
    extra = []
    for v in variants:
        if any(t in words for t in v.tokens):
            plain = tuple(t + "s" if t in words else t for t in v.tokens)
            extra.append(replace(v, tokens=plain, match=Match.VARIANT if v.match == Match.EXACT else v.match))
    return variants + extra


def _guard_address_spelling(value: str, spelling: str, variants: list[Variant]) -> list[Variant]:
    """An address spelling without a postcode ("14 Cherry Tree Rd") is itself a partial: the
    text can contradict it ("..., Wakefield WF1 2AB"), so it gets the address guard."""
    if parse_address(spelling).postcode is not None:
        return variants
    guard = AddressGuard(parse_address(value))
    return [replace(v, guard=guard) for v in variants]


_MATCH_ORDER = {Match.EXACT: 0, Match.VARIANT: 1, Match.PARTIAL: 2, Match.FUZZY: 3}


def _dedupe(variants: list[Variant]) -> list[Variant]:
    """One variant per token sequence: the strongest severity, then the most exact match."""
    best: dict[tuple[str, ...], Variant] = {}
    for v in variants:
        old = best.get(v.tokens)
        key = (v.severity != Severity.BLOCK, _MATCH_ORDER[v.match])
        if old is None or key < (old.severity != Severity.BLOCK, _MATCH_ORDER[old.match]):
            best[v.tokens] = v
    return list(best.values())

