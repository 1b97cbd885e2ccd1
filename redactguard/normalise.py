"""Text views for matching: what a reader sees, with offsets back into the source text.

A document's text is turned into a list of word tokens. Everything a reader ignores falls away
between tokens: case, any run of white space (line, page and cell breaks included) and
punctuation. Inside a token, apostrophes, soft hyphens, zero-width characters and end-of-line
hyphenation are dropped, and compatibility forms (ligatures, full-width digits) are folded by
NFKC. Each token keeps the span of source text it came from, so a match on tokens maps back to
exact characters (for excerpts, locations and redaction).

Street-type and saint abbreviations are folded to one canonical token on both sides
(`Road`/`Rd` -> `rd`, `Street`/`St`/`Saint` -> `st`), so matching compares canonical tokens
and reports `variant` when the raw tokens differ.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate

from .document import Location, Segment

__all__ = ["TextView", "FlowText", "tokenize", "canonical", "ABBREVIATIONS", "chunk_flows"]

_WORD = r"[^\W_]+"
# Characters that join two word pieces into one token: apostrophes, soft hyphen and zero-width
# characters, and a hyphen (or soft hyphen) at the end of a line (word split by hyphenation).
_JOINER = (
    r"(?:['\u2019\u2018`\u00b4\u02bc]"
    r"|[\u00ad\u200b\u200c\u200d\u2060\ufeff]+(?:[ \t]*\r?\n[ \t]*)?"
    r"|-[ \t]*(?:\r?\n\f?|\f\r?\n?)[ \t]*)"
)
_TOKEN_RE = re.compile(rf"{_WORD}(?:{_JOINER}{_WORD})*")
# The same, captured: split() then gives gaps and tokens alternately, so one regex pass yields
# the tokens and (by adding up lengths) their spans.
_SPLIT_RE = re.compile(rf"({_TOKEN_RE.pattern})")
_NEEDS_CLEAN_RE = re.compile(r"['\u2019\u2018`\u00b4\u02bc\u00ad\u200b\u200c\u200d\u2060\ufeff]|-[ \t]*[\r\n\f]")
_STRIP_RE = re.compile(r"[^\w]|_|\u02bc")
# "Ashworth's" is "Ashworth": a possessive 's is dropped, so names and "St Mary's" match their
# bare forms; "St Marys" (no apostrophe) is matched through a variant added for each value.
_POSSESSIVE_RE = re.compile(r"['\u2019\u2018`\u00b4\u02bc]s$")

#: Canonical token for each spelling a UK address or institution name uses interchangeably.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "rd": ("road", "rd"),
    "st": ("street", "st", "saint", "str"),
    "ave": ("avenue", "ave", "av"),
    "cres": ("crescent", "cres", "cresc"),
    "gdns": ("gardens", "gdns"),
    "cl": ("close", "cl"),
    "ct": ("court", "ct"),
    "dr": ("drive", "dr"),
    "ln": ("lane", "ln"),
    "pl": ("place", "pl"),
    "sq": ("square", "sq"),
    "terr": ("terrace", "terr", "ter", "tce"),
    "gr": ("grove", "gr", "gro"),
    "pk": ("park", "pk"),
    "mt": ("mount", "mt"),
    "hse": ("house", "hse"),
    "apt": ("apartment", "apt", "flat"),
}
_CANON: dict[str, str] = {spelling: canon for canon, spellings in ABBREVIATIONS.items() for spelling in spellings}


def canonical(token: str) -> str:
    """The canonical form of one lower-case token."""
    return _CANON.get(token, token)


def _clean(token: str) -> str:
    folded = unicodedata.normalize("NFKC", _POSSESSIVE_RE.sub("", token)).casefold()
    return _STRIP_RE.sub("", folded)


def tokenize(text: str) -> list[str]:
    """Canonical tokens of a short text (an order value, an allow entry)."""
    return [canonical(t) for t in TextView.build(text).raw]


class TextView:
    """Tokens of `text`: raw (lower-cased, cleaned) and canonical, with source spans.

    Spans are computed only when first asked for (most text of a bundle matches nothing), from
    the lengths of the alternating gaps and tokens that the one tokenising pass split off.
    """

    __slots__ = ("text", "raw", "tokens", "_parts", "_starts", "_ends")

    def __init__(self, text: str, raw: list[str], tokens: list[str], parts: list[str]):
        self.text = text
        self.raw = raw
        self.tokens = tokens
        self._parts: list[str] | None = parts  # gap, token, gap, ..., token, gap (of the lowered text)
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    @classmethod
    def build(cls, text: str) -> TextView:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters (U+0130) grow when lower-cased
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        parts = _SPLIT_RE.split(lowered)
        found = parts[1::2]
        if lowered.isascii() and not _NEEDS_CLEAN_RE.search(lowered):
            raw = found
        else:
            raw = [t if (t.isascii() and t.isalnum()) else _clean(t) for t in found]
        get = _CANON.get
        tokens: list[str] = [get(t, t) for t in raw]
        return cls(text, raw, tokens, parts)

    def _spans(self) -> None:
        assert self._parts is not None
        offsets = list(accumulate(map(len, self._parts)))  # the end of each gap and token
        self._ends = offsets[1::2]
        self._starts = offsets[0::2][: len(self._ends)]
        self._parts = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._spans()
        assert self._starts is not None
        return self._starts

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._spans()
        assert self._ends is not None
        return self._ends

    def __len__(self) -> int:
        return len(self.tokens)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Source character span of tokens first..last inclusive."""
        return self.starts[first], self.ends[last]

    def token_at(self, offset: int) -> int:
        """Index of the token that starts at or before `offset`."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def __repr__(self) -> str:
        return f"TextView(<{len(self.text)} chars, {len(self.tokens)} tokens>)"


class FlowText:
    """Segments of one flow joined into one text, mapping offsets back to each segment."""

    def __init__(self, segments: Sequence[Segment], report_limit: int | None = None):
        self.segments = list(segments)
        self.flow = self.segments[0].flow if self.segments else "body"
        starts, pieces, pos = [], [], 0
        for seg in self.segments:
            starts.append(pos)
            pieces.append(seg.text)
            pos += len(seg.text) + 1
        self.seg_starts = starts
        self.text = "\n".join(pieces)
        #: Whether generic personal data is looked for (`Segment.generic`): unless every segment says not.
        self.generic = any(seg.generic for seg in self.segments) or not self.segments
        self._mixed = self.generic and not all(seg.generic for seg in self.segments)
        #: Findings starting at or after this offset belong to the next chunk of the same flow.
        self.report_limit = len(self.text) + 1 if report_limit is None else report_limit
        self._view: TextView | None = None
        #: Per-flow results that several detectors share (e.g. postcode-shaped spans).
        self.cache: dict[str, object] = {}

    @property
    def view(self) -> TextView:
        if self._view is None:
            self._view = TextView.build(self.text)
        return self._view

    def location_at(self, offset: int) -> Location:
        index = max(0, bisect_right(self.seg_starts, offset) - 1)
        return self.segments[index].location

    def location_of(self, start: int, end: int) -> Location:
        """The location of text [start, end): that of its first segment, saying so where the text
        runs on to a later page, and for text read by OCR, with the box around exactly the words
        it touches (on the same page and picture)."""
        first, last = self._segment_range(start, end)
        location = self.segments[first].location
        leaf = location.leaf()
        end_page = self.segments[last].location.leaf().page
        if leaf.page is not None and end_page is not None and end_page != leaf.page and leaf.detail is None:
            location = _with_leaf_detail(location, f"continues on page {end_page}")
        if not self.segments[first].words:
            return location
        boxes: list[tuple[float, float, float, float]] = []
        index = first
        while index < len(self.segments) and self.seg_starts[index] < end:
            seg, base = self.segments[index], self.seg_starts[index]
            other = seg.location.leaf()
            if (other.page, other.image) == (leaf.page, leaf.image):
                boxes.extend(box for s, e, box in seg.words if base + s < end and start < base + e)
            index += 1
        if not boxes:
            return location
        return location.with_leaf_bbox((min(b[0] for b in boxes), min(b[1] for b in boxes),
                                        max(b[2] for b in boxes), max(b[3] for b in boxes)))

    def generic_at(self, start: int, end: int) -> bool:
        """Whether text [start, end) lies only in segments open to generic detection."""
        if not self._mixed:
            return self.generic
        first, last = self._segment_range(start, end)
        return all(self.segments[i].generic for i in range(first, last + 1))

    def unsure_at(self, start: int, end: int) -> bool:
        """Whether text [start, end) touches a word OCR read below its confidence floor."""
        first, last = self._segment_range(start, end)
        for index in range(first, last + 1):
            base = self.seg_starts[index]
            if any(base + s < end and start < base + e for s, e in self.segments[index].unsure):
                return True
        return False

    def _segment_range(self, start: int, end: int) -> tuple[int, int]:
        first = max(0, bisect_right(self.seg_starts, start) - 1)
        return first, max(first, bisect_right(self.seg_starts, max(start, end - 1)) - 1)

    @property
    def ocr(self) -> bool:
        """Whether this flow's text was read by OCR (matching then allows for its misreadings)."""
        return bool(self.segments) and bool(self.segments[0].words)

    def __repr__(self) -> str:
        return f"FlowText(flow={self.flow!r}, <{len(self.text)} chars in {len(self.segments)} segments>)"


def _with_leaf_detail(location: Location, detail: str) -> Location:
    from dataclasses import replace

    if location.part == "attachment" and location.inner is not None:
        return replace(location, inner=_with_leaf_detail(location.inner, detail))
    return replace(location, detail=detail)


def chunk_flows(
    segments: Iterable[Segment], *, window: int = 64_000, overlap: int = 4_000
) -> Iterator[FlowText]:
    """Group segments by flow into texts of about `window` characters, streaming.

    Consecutive chunks of one flow share a tail of at least `overlap` characters; a chunk reports
    only matches that start before its tail, and the next chunk (which begins with that tail)
    reports the rest. A match shorter than `overlap` is therefore found exactly once, even when
    it crosses a page or chunk boundary, and memory stays bounded for any document length.
    """
    pending: dict[str, list[Segment]] = {}
    sizes: dict[str, int] = {}
    for seg in segments:
        buf = pending.setdefault(seg.flow, [])
        buf.append(seg)
        sizes[seg.flow] = sizes.get(seg.flow, 0) + len(seg.text) + 1
        if sizes[seg.flow] < window or len(buf) < 2:
            continue
        tail_len, cut = 0, len(buf)
        while cut > 1 and tail_len < overlap:
            cut -= 1
            tail_len += len(buf[cut].text) + 1
        chunk = FlowText(buf)
        chunk.report_limit = chunk.seg_starts[cut]
        yield chunk
        del chunk  # checked: not kept (with its token view) while the rest of the document is read
        pending[seg.flow] = buf[cut:]
        sizes[seg.flow] = tail_len
    for buf in pending.values():
        if buf:
            yield FlowText(buf)
