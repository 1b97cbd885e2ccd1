"""Where a text-layer finding sits on a PDF page, found from its masked excerpt alone.

A finding read from a PDF's text layer has a page but no box, and the report holds no clear
text to search for. Its masked excerpt keeps the shape of the match and of every identifying
word beside it (one block per letter or digit) and the harmless context words in clear, which
is enough to find the place: the excerpt's letters, with each block standing for any one
letter or digit, are looked for among the page's letters (PDFium's text page), and the boxes
of the page's letters under the blocks are the boxes to black out. Every masked word of the
excerpt is boxed, not only the match: what is masked in an excerpt is what must not be read.

PDFium's reading order can differ from the reader's (a page turned by /Rotate is read line by
line backwards), so the page's letters are also tried in position order, line by line from
the top. An excerpt whose context runs onto the next page or into a header is trimmed a word
at a time from either end until the rest is found. One with fewer than `MIN_CLEAR` clear letters left
could be anywhere and is not placed; the caller says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..mask import BLOCK

__all__ = ["PageLetters", "by_position", "excerpt_boxes", "MIN_CLEAR"]

Box = tuple[float, float, float, float]

#: Fewer clear letters than this and a trimmed excerpt matches too many places to mean one.
MIN_CLEAR = 6
_WORD_RE = re.compile(rf"(?:[^\W_]|{BLOCK})+")
_ANY = "."  # the page's letters hold nothing but letters and digits, so "." is one of them


class PageLetters:
    """A page's letters and digits, folded, each with the box of the character it came from,
    in the order given."""

    def __init__(self, chars: Sequence[tuple[str, Box | None]]):
        letters: list[str] = []
        boxes: list[Box | None] = []
        for char, box in chars:
            for c in _fold(char):
                if c.isalnum():
                    letters.append(c)
                    boxes.append(box)
        self.text = "".join(letters)
        self.boxes = boxes


def excerpt_boxes(pages: Sequence[PageLetters], excerpt: str) -> list[Box]:
    """The boxes (PDF points, as the page's characters give them) of every masked letter of
    `excerpt` wherever it reads on the page, one box per run on a line; [] when it cannot be
    placed. `pages`: the page's letters in each reading order to try (PDFium's, by position).

    The whole excerpt is tried first. A trimmed one must begin and end with a clear word, so
    that no run of blocks at its edge stands for whatever letters happen to lie beside a
    match elsewhere on the page.
    """
    words = [w for w in (_tokens(w) for w in _WORD_RE.findall(excerpt)) if w]
    for trimmed in range(len(words)):
        found: list[Box] = []
        for start in range(trimmed + 1):
            window = words[start:len(words) - (trimmed - start)]
            if trimmed and (_masked(window[0]) or _masked(window[-1])):
                continue
            kept = [t for w in window for t in w]
            if sum(t != BLOCK for t in kept) < MIN_CLEAR or BLOCK not in kept:
                continue
            for page in pages:
                found.extend(_boxes_of(page, kept))
        if found:
            return list(dict.fromkeys(found))
    return []


def _masked(word: list[str]) -> bool:
    return all(t == BLOCK for t in word)


def by_position(chars: Sequence[tuple[str, Box | None]]) -> list[tuple[str, Box | None]]:
    """`chars` in reading order by position: lines from the top of the page (in PDF points,
    before any /Rotate), each from the left; characters without a box are dropped."""
    placed = sorted([(c, b) for c, b in chars if b is not None], key=lambda cb: -(cb[1][1] + cb[1][3]))
    lines: list[list[tuple[str, Box]]] = []
    for char, box in placed:
        middle, height = (box[1] + box[3]) / 2, box[3] - box[1]
        last = lines[-1][0][1] if lines else None
        if last is not None and abs((last[1] + last[3]) / 2 - middle) <= max(height, last[3] - last[1]) / 2:
            lines[-1].append((char, box))
        else:
            lines.append([(char, box)])
    out: list[tuple[str, Box | None]] = [cb for line in lines for cb in sorted(line, key=lambda cb: cb[1][0])]
    return out


def _boxes_of(page: PageLetters, tokens: list[str]) -> list[Box]:
    pattern = "".join(_ANY if t == BLOCK else re.escape(t) for t in tokens)
    masked = [k for k, t in enumerate(tokens) if t == BLOCK]
    out: list[Box] = []
    for m in re.finditer(f"(?=({pattern}))", page.text):
        out.extend(_runs([page.boxes[m.start() + k] for k in masked]))
    return out


def _runs(boxes: list[Box | None]) -> list[Box]:
    """Neighbouring letters' boxes merged into one box per stretch of a line."""
    out: list[Box] = []
    for box in boxes:
        if box is None:
            continue
        if out and _same_line(out[-1], box):
            last = out[-1]
            out[-1] = (min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3]))
        else:
            out.append(box)
    return out


def _same_line(a: Box, b: Box) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    height = min(a[3] - a[1], b[3] - b[1])
    gap = max(b[0] - a[2], a[0] - b[2])
    return height > 0 and overlap >= height / 2 and gap <= 3 * height


def _tokens(word: str) -> list[str]:
    out: list[str] = []
    for char in word:
        if char == BLOCK:
            out.append(BLOCK)
        else:
            out.extend(c for c in _fold(char) if c.isalnum())
    return out


def _fold(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold()
