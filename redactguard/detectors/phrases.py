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
    """Token sequences with a payload each; `find` yields (first, last, payload) per occurrence."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}

    def add(self, tokens: Sequence[str], payload: T) -> None:
        if tokens:
            self._by_first.setdefault(tokens[0], []).append((tuple(tokens), payload))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, tokens: list[str]) -> Iterator[tuple[int, int, T]]:
        by_first = self._by_first
        if not by_first:
            return
        n = len(tokens)
        for i in [i for i, t in enumerate(tokens) if t in by_first]:
            for seq, payload in by_first[tokens[i]]:
                size = len(seq)
                if i + size <= n and (size == 1 or tuple(tokens[i : i + size]) == seq):
                    yield i, i + size - 1, payload
