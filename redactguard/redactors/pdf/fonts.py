"""Fonts as the redactor needs them: code boundaries, Unicode text, advances and height.

A string operand is only bytes; which bytes make one glyph, what text it is and how far it moves
the pen depend on the font's encoding, ToUnicode map, widths and (for composite fonts) CMap. The
decoding follows pypdf's extraction step for step, so the text seen here is the text it reads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from ...readers.pypdf_compat import core_font, font
from .geometry import _matrix, _num


class _FontInfo:
    """What the redactor needs of one font: code boundaries, Unicode, advances, height."""

    def __init__(self, font_dict: Any) -> None:
        from pypdf.generic import NameObject

        self.problem: str | None = None
        subtype = font_dict.get("/Subtype")
        self.font = font(font_dict)
        self.code_bytes = 1
        self.cid: Callable[[int], int] | None = None  # code -> CID, for a composite font's widths
        base = font_dict.get("/BaseFont")  # a standard 14 font's widths pypdf knows without /Widths
        self.widths_known = "/Widths" in font_dict or (isinstance(base, str) and core_font(str(base)) is not None)
        self.scale = 0.001
        self.ascent, self.descent = 0.9, -0.25
        desc = self.font.font_descriptor
        if 0.5 <= desc.ascent * 0.001 <= 1.3:
            self.ascent = desc.ascent * 0.001
        if -0.6 <= desc.descent * 0.001 <= -0.1:  # LibreOffice writes 0 for both
            self.descent = desc.descent * 0.001
        if subtype == "/Type3":
            fm = _matrix(font_dict.get("/FontMatrix", [0.001, 0, 0, 0.001, 0, 0]))
            self.scale = fm[0] or 0.001
            bbox = font_dict.get("/FontBBox")
            if bbox is not None and len(bbox) == 4 and fm[3]:
                low, high = sorted((_num(bbox[1]) * fm[3], _num(bbox[3]) * fm[3]))
                self.descent, self.ascent = min(low, 0.0), max(high, 0.5)
            if not self.font.interpretable:
                self.problem = "text in a Type 3 font whose glyphs cannot be mapped to characters"
        if subtype == "/Type0":
            enc = font_dict.get("/Encoding")
            enc = enc.get_object() if enc is not None else None
            self.widths_known = True
            if isinstance(enc, NameObject):
                self._named_cmap(str(enc))
            elif hasattr(enc, "get_data"):
                self._embedded_cmap(enc)
            else:
                self.problem = "text in a composite font without an encoding"
        # pypdf takes 200 when the font gives its space no width
        space = self.font.character_widths.get(self.font.space_char, 0)
        self.space = (self.font.space_width if space else 200.0) * self.scale
        self._cache: dict[int, tuple[str, float, bool]] = {}

    def _named_cmap(self, name: str) -> None:
        self.code_bytes = 2
        if name.endswith("-V"):
            self.problem = "vertical text, which cannot be redacted"
        elif self.font.encoding != "utf-16-be":
            self.problem = "text in a composite font whose multi-byte encoding cannot be decoded"
        elif name == "/Identity-H":
            self.cid = int
        else:  # a predefined Unicode CMap: codes decode, but which CID (and width) each has is unknown
            self.cid = int
            self.widths_known = False

    def _embedded_cmap(self, stream: Any) -> None:
        """An embedded CMap (Ghostscript's OneByteIdentityH and the like): code lengths and CIDs."""
        try:
            lengths, ranges = _parse_cmap(stream.get_data().decode("latin-1"))
        except ValueError:
            lengths, ranges = set(), []
        if lengths == {1}:
            # pypdf reads these one byte at a time through its simple-font path, as we do.
            self.cid = functools.partial(_cid_of, ranges)
        elif lengths == {2} and isinstance(self.font.encoding, str):
            self.code_bytes, self.cid = 2, functools.partial(_cid_of, ranges)
        else:
            self.problem = "text in a composite font whose multi-byte encoding cannot be decoded"

    def codes(self, data: bytes) -> list[tuple[int, str, float, bool]]:
        """(byte offset, text, width per unit of font size, takes word spacing) for each code."""
        if self.code_bytes == 1:
            return [(i, *self._decode(code)) for i, code in enumerate(data)]
        out = [(i, *self._decode(data[i] << 8 | data[i + 1])) for i in range(0, len(data) - 1, 2)]
        if len(data) % 2:  # a stray odd byte: no glyph, kept as it is
            out.append((len(data) - 1, "", 0.0, False))
        return out

    def _decode(self, code: int) -> tuple[str, float, bool]:
        hit = self._cache.get(code)
        if hit is None:
            font = self.font
            # The same two steps as pypdf's extraction: encoding, then the ToUnicode map.
            enc = font.encoding
            char = chr(code) if isinstance(enc, str) else enc.get(code, chr(code))
            text = str(font.character_map.get(char, char))
            key = chr(self.cid(code) if self.cid is not None else code)
            width = _num(font.character_widths.get(key, font.character_widths["default"]), 0.0)
            hit = self._cache[code] = (text, width * self.scale, self.code_bytes == 1 and code == 32)
        return hit


def _parse_cmap(text: str) -> tuple[set[int], list[tuple[int, int, int]]]:
    """Code lengths (bytes) of a CMap's code space, and its (low, high, first CID) ranges."""
    if "usecmap" in text:
        raise ValueError("a CMap built on another one")
    lengths: set[int] = set()
    for block in re.findall(r"begincodespacerange(.*?)endcodespacerange", text, re.S):
        for low, _high in re.findall(r"<\s*([0-9A-Fa-f]+)\s*>\s*<\s*([0-9A-Fa-f]+)\s*>", block):
            lengths.add((len(low) + 1) // 2)
    ranges: list[tuple[int, int, int]] = []
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for low, high, cid in re.findall(r"<\s*([0-9A-Fa-f]+)\s*>\s*<\s*([0-9A-Fa-f]+)\s*>\s*(\d+)", block):
            ranges.append((int(low, 16), int(high, 16), int(cid)))
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for code, cid in re.findall(r"<\s*([0-9A-Fa-f]+)\s*>\s*(\d+)", block):
            ranges.append((int(code, 16), int(code, 16), int(cid)))
    return lengths, ranges


def _cid_of(ranges: list[tuple[int, int, int]], code: int) -> int:
    for low, high, cid in ranges:
        if low <= code <= high:
            return cid + code - low
    return 0
