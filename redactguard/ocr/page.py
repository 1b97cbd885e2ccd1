"""What OCR read from one picture: words with boxes and confidences, lines, the page.

The values every part of `redactguard.ocr` passes around (the engine makes them, the confidence
verdict, orientation and painting read them), kept apart from the engine so that none of those
modules imports another's machinery.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["DEFAULT_DPI", "Box", "OcrWord", "OcrLine", "OcrPage", "union_box"]

#: Tesseract is told this resolution when the picture does not give a plausible one.
DEFAULT_DPI = 300

Box = tuple[int, int, int, int]
"""A box in pixels of the picture: (x0, y0, x1, y1), origin top left, x1/y1 exclusive."""


@dataclass(frozen=True)
class OcrWord:
    """One word read by Tesseract. `line_key` groups words into lines (block, paragraph, line)."""

    text: str = field(repr=False)
    bbox: Box
    confidence: float  # 0-100, Tesseract's own
    block: int
    paragraph: int
    line: int

    @property
    def line_key(self) -> tuple[int, int, int]:
        return (self.block, self.paragraph, self.line)

    def __repr__(self) -> str:  # never the text: it may be a protected value
        return f"OcrWord(<{len(self.text)} chars>, bbox={self.bbox}, confidence={self.confidence:.0f})"


@dataclass(frozen=True)
class OcrLine:
    """The words of one text line, in reading order."""

    words: tuple[OcrWord, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> Box:
        return union_box(w.bbox for w in self.words)

    @property
    def block(self) -> int:
        return self.words[0].block

    def __repr__(self) -> str:
        return f"OcrLine(<{len(self.words)} words>, bbox={self.bbox})"


@dataclass(frozen=True)
class OcrPage:
    """Everything Tesseract read from one picture, with the picture's size in pixels."""

    width: int
    height: int
    words: tuple[OcrWord, ...]
    dpi: int = DEFAULT_DPI
    #: The quarter turn (degrees counter-clockwise) that made the picture upright to be read;
    #: the boxes are in the picture as stored whatever it is (ocr/orientation.py).
    turn: int = 0

    def lines(self) -> list[OcrLine]:
        """Words grouped into lines, in Tesseract's reading order."""
        out: list[list[OcrWord]] = []
        for word in self.words:
            if out and out[-1][-1].line_key == word.line_key:
                out[-1].append(word)
            else:
                out.append([word])
        return [OcrLine(tuple(ws)) for ws in out]

    def text_map(self) -> tuple[str, list[tuple[int, int, OcrWord]]]:
        """The page as text (a space between words, a line break between lines, a blank line
        between blocks) and, for every word, its (start, end) offsets in that text."""
        parts: list[str] = []
        spans: list[tuple[int, int, OcrWord]] = []
        offset = 0
        previous: OcrLine | None = None
        for line in self.lines():
            if previous is not None:
                gap = "\n\n" if line.block != previous.block else "\n"
                parts.append(gap)
                offset += len(gap)
            for index, word in enumerate(line.words):
                if index:
                    parts.append(" ")
                    offset += 1
                spans.append((offset, offset + len(word.text), word))
                parts.append(word.text)
                offset += len(word.text)
            previous = line
        return "".join(parts), spans

    def __repr__(self) -> str:
        return f"OcrPage({self.width}x{self.height} px, <{len(self.words)} words>)"


def union_box(boxes: Iterator[Box] | list[Box] | tuple[Box, ...]) -> Box:
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return (min(x0s), min(y0s), max(x1s), max(y1s))
