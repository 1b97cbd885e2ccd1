"""Masked excerpts and keyed fingerprints: how a finding is shown without showing it.

An excerpt keeps only the shape of the match (`██ ███████ ████`) and the context words that
cannot identify anyone: every other hit in the flow, every word of any protected value, and
every digit are masked too, because the context of one finding is often another finding.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from .normalise import ABBREVIATIONS

__all__ = ["masked_excerpt", "mask_spans", "mask_words", "Fingerprinter", "BLOCK", "HARMLESS_WORDS"]

BLOCK = "\u2588"
_CONTEXT = 40
_WORD_RE = re.compile(r"[^\W_]+")
#: Words an excerpt always shows: they identify no one ("the", "school", street-type spellings).
HARMLESS_WORDS = frozenset(
    {"the", "of", "and", "a", "an", "in", "at", "on", "to", "for", "c", "e", "ce", "school", "primary"}
    | {s for spellings in ABBREVIATIONS.values() for s in spellings}
)


def mask_spans(text: str, spans: Iterable[tuple[int, int]], secret_words: frozenset[str] = frozenset()) -> str:
    """`text` (a short one: a file name) with the letters and digits of each span blocked out,
    its shape kept, and, as in an excerpt, every word holding a digit or of a protected value."""
    chars = list(text)
    for start, end in spans:
        for k in range(max(0, start), min(end, len(chars))):
            if chars[k].isalnum():
                chars[k] = BLOCK
    return _mask_words("".join(chars), secret_words)


def mask_words(text: str, words: frozenset[str]) -> str:
    """`text` (an excerpt, already masked) with every word of `words` (lower case) blocked out
    too: what was detected elsewhere in the same document is masked here as well."""
    return _mask_words(text, words)


def _mask_words(text: str, secret_words: frozenset[str]) -> str:
    def word(m: re.Match[str]) -> str:
        w = m.group()
        if any(c.isdigit() for c in w) or (w.lower() in secret_words and w.lower() not in HARMLESS_WORDS):
            return BLOCK * len(w)
        return w

    return _WORD_RE.sub(word, text)


def masked_excerpt(
    text: str,
    start: int,
    end: int,
    *,
    other_spans: Iterable[tuple[int, int]] = (),
    secret_words: frozenset[str] = frozenset(),
) -> str:
    """One line around text[start:end] with the match and anything identifying masked."""
    lo = max(0, start - _CONTEXT)
    hi = min(len(text), end + _CONTEXT)
    # widen to word boundaries so no half-word is shown
    while lo > 0 and text[lo - 1].isalnum():
        lo -= 1
    while hi < len(text) and text[hi].isalnum():
        hi += 1
    chars = list(text[lo:hi])
    spans = [(start, end), *other_spans]
    for s, e in spans:
        for k in range(max(s, lo), min(e, hi)):
            if chars[k - lo].isalnum():
                chars[k - lo] = BLOCK
    window = _mask_words("".join(chars), secret_words)
    window = re.sub(r"\s+", " ", window).strip()
    return ("\u2026" if lo > 0 else "") + window + ("\u2026" if hi < len(text) else "")


class Fingerprinter:
    """Stable ids for baselines: keyed hashes that reveal nothing without the key.

    The key derives from the order file's hash, so a fingerprint cannot be brute-forced back to a
    phone number by someone who holds only the report. Offsets are not hashed: a finding keeps
    its fingerprint when text moves.
    """

    def __init__(self, key_material: str):
        self._key = hashlib.sha256(("redactguard-fingerprint\0" + key_material).encode()).digest()

    def __call__(self, *parts: str) -> str:
        msg = "\0".join(parts).encode("utf-8")
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]
