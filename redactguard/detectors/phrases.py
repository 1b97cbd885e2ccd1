"""Find many token sequences in a token list at once: a dict keyed by first token.

This costs one set lookup per document token plus a short comparison per candidate, so matching
stays linear in document length and cheap beside text extraction whatever the order's size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar

__all__ = ["PhraseIndex"]

T = TypeVar("T")


class PhraseIndex(Generic[T]):
    """Token sequences with a payload each; `find` yields (first, last, payload) per occurrence.

    Sequences are keyed by their first two tokens, so a common first word ("st", "14") costs
    one extra dict lookup, not a comparison per variant.
    """

    def __init__(self) -> None:
        self._firsts: set[str] = set()
        self._single: dict[str, list[T]] = {}
        self._by_pair: dict[tuple[str, str], list[tuple[tuple[str, ...], T]]] = {}

    def add(self, tokens: Sequence[str], payload: T) -> None:
        if not tokens:
            return
        self._firsts.add(tokens[0])
        if len(tokens) == 1:
            self._single.setdefault(tokens[0], []).append(payload)
        else:
            self._by_pair.setdefault((tokens[0], tokens[1]), []).append((tuple(tokens), payload))

    def phrases(self) -> list[tuple[str, ...]]:
        """Every phrase added (one-token phrases as 1-tuples)."""
        return [(t,) for t in self._single] + [tokens for entries in self._by_pair.values() for tokens, _ in entries]

    def __bool__(self) -> bool:
        return bool(self._firsts)

    @property
    def firsts(self) -> frozenset[str]:
        """The tokens a sequence can start with."""
        return frozenset(self._firsts)

    def find(self, tokens: list[str], candidates: Sequence[int] | None = None) -> Iterator[tuple[int, int, T]]:
        """Every occurrence, in token order. `candidates`: positions known to hold every token
        that is a first token here (and maybe others), when the caller has found them already."""
        firsts = self._firsts
        if not firsts:
            return
        single, by_pair = self._single, self._by_pair
        n = len(tokens)
        starts = range(n) if candidates is None else candidates
        for i in [i for i in starts if tokens[i] in firsts]:
            tok = tokens[i]
            for payload in single.get(tok, ()):
                yield i, i, payload
            if i + 1 < n:
                for seq, payload in by_pair.get((tok, tokens[i + 1]), ()):
                    size = len(seq)
                    if size == 2 or (i + size <= n and tuple(tokens[i : i + size]) == seq):
                        yield i, i + size - 1, payload
