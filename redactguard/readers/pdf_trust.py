"""Does a PDF page's text layer tell the truth about what the page shows?

A page's text comes from its fonts' maps from character codes to letters. Where a font has no
map, a wrong one (a permuted ToUnicode CMap, a print driver's private encoding) or draws its
glyphs as pictures (Type 3), every extractor returns nonsense while the page reads normally;
and text drawn as vector outlines ("convert text to curves") is no text at all. Two checks,
both cheap enough for every page:

- `Language`: is the text layer language? Letters of real words, in any language written in
  the Latin alphabet (English, Welsh, names, codes), have vowels between their consonants; the
  letters a wrong map gives do not. Words of four or more letters with no vowel, or with a run
  of five consonants, are counted (all-capital words, acronyms, and anything with a digit are
  left out); so are characters no font should give (private use, controls, U+FFFD).
- `vector_ink`: does the page draw shapes that look like lines of writing and that no
  extracted character explains? PDFium lists the page's path objects; filled shapes of letter
  height, side by side along a line, outside every character's box, are writing drawn as
  outlines.

A page that fails either is read by OCR, and OCR's words are matched (part `image`); where OCR
cannot read it with confidence, the page is `ocr_low_confidence` (fail closed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Language", "Distrust", "judge_language", "judge_page", "vector_ink", "MIN_WORDS", "MAX_IMPLAUSIBLE"]

Box = tuple[float, float, float, float]

#: A text layer with fewer words than this is not judged as language (a form, a table of codes).
MIN_WORDS = 12
#: A text layer with more than this share of its words implausible is not language.
MAX_IMPLAUSIBLE = 0.2
#: Characters no font should give a reader, as a share of all non-space characters.
MAX_STRANGE = 0.05

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_VOWELS = frozenset("aeiouyw")  # w and y are vowels in Welsh (cwm, dyn)
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-xz]{5,}")


@dataclass(frozen=True)
class Language:
    """The verdict on a text layer: figures only, never text."""

    language: bool
    words: int
    implausible: int
    strange: int
    reason: str = ""


@dataclass(frozen=True)
class Distrust:
    """Why a page's text layer does not tell what the page shows (empty: it does).

    `outlines` are the boxes of writing drawn as shapes (PDF points); `layer` says the whole
    text layer is to be replaced by OCR's reading, not only those boxes.
    """

    reasons: tuple[str, ...] = ()
    outlines: tuple[Box, ...] = ()
    layer: bool = False

    def __bool__(self) -> bool:
        return bool(self.reasons)


def judge_page(page: Any, text: str, chars: int, text_boxes: Sequence[Box]) -> Distrust:
    """Every check on one page (`page` a pypdfium2 page; hold PDFium's lock)."""
    reasons: list[str] = []
    verdict = judge_language(text)
    layer = not verdict.language
    if layer:
        reasons.append(f"its text layer is not language ({verdict.reason})")
    outlines, text_objects = vector_ink(page, text_boxes)
    if outlines:
        reasons.append(f"it draws {len(outlines)} line(s) of writing as shapes, with no text behind them")
    if text_objects and not chars:
        layer = True
        reasons.append("it draws text whose characters cannot be extracted")
    return Distrust(tuple(reasons), tuple(outlines), layer)


def judge_language(text: str) -> Language:
    """Whether `text` reads as language, with the figures that decided it."""
    visible = [ch for ch in text if not ch.isspace()]
    strange = sum(1 for ch in visible if _strange(ch))
    if visible and strange > MAX_STRANGE * len(visible) and strange >= 3:
        return Language(False, 0, 0, strange, f"{strange} of {len(visible)} characters are not letters a font should give")
    words = implausible = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) < 4 or word.isupper():
            continue
        folded = _fold(word)
        if not folded.isascii() or not folded.isalpha():
            continue
        words += 1
        if not (_VOWELS & set(folded)) or _CONSONANT_RUN.search(folded):
            implausible += 1
    if words < MIN_WORDS:
        return Language(True, words, implausible, strange)
    if implausible > MAX_IMPLAUSIBLE * words:
        return Language(False, words, implausible, strange,
                        f"{implausible} of {words} words have no vowel or five consonants in a row")
    return Language(True, words, implausible, strange)


def _fold(word: str) -> str:
    """Lower case, accents off (ŵ -> w), apostrophes out."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in "'\u2019")


def _strange(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Co", "Cc", "Cn", "Cs") or ch in "\ufffd\ufffe\uffff"


# --- writing drawn as vector outlines -------------------------------------------------

_TEXT, _PATH, _SHADING, _FORM = 1, 2, 4, 5
#: Shapes of letter height (points): smaller ones are dots, rules and specks; larger, drawings.
MIN_GLYPH, MAX_GLYPH = 3.0, 48.0
#: This many letter-sized shapes along one line, outside every character's box, are writing.
MIN_GLYPHS_IN_LINE = 5


def vector_ink(page: Any, text_boxes: Sequence[Box]) -> tuple[list[Box], int]:
    """Lines of letter-sized shapes that no character box explains, in PDF points (empty for
    ordinary pages), and how many text objects the page has (`page` a pypdfium2 page; hold
    PDFium's lock)."""
    import pypdfium2 as pdfium

    shapes: list[Box] = []
    matrices: dict[int, Any] = {}
    text_objects = 0
    for obj in page.get_objects(filter=None, max_depth=8):
        level = obj.level
        if obj.type == _TEXT:
            text_objects += 1
            continue
        if obj.type == _FORM:
            matrices[level] = obj.get_matrix()
            continue
        if obj.type not in (_PATH, _SHADING):
            continue
        try:
            rect = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        for depth in range(level - 1, -1, -1):
            matrix = matrices.get(depth)
            if matrix is not None:
                rect = _transform(matrix, rect)
        shapes.extend(_glyph_sized(obj, rect))
    shapes = [s for s in shapes if not any(_inside(s, box) for box in text_boxes)]
    return _lines_of(shapes), text_objects


def _glyph_sized(obj: Any, rect: Box) -> list[Box]:
    """The shape's box if it could be one letter or a line of letters drawn as one path."""
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    if not MIN_GLYPH <= height <= MAX_GLYPH or width <= 0:
        return []
    if width <= 1.5 * height:
        return [rect]
    # a whole word or line as one path: its subpaths are the letters; too many to list, so a
    # long path of letter height counts as one line of writing when it has many segments
    try:
        import pypdfium2.raw as raw

        segments = raw.FPDFPath_CountSegments(obj.raw)
    except Exception:
        return []
    letters = int(width / height)
    if segments >= 8 * max(letters, 1):
        return [(rect[0] + i * (width / letters), rect[1], rect[0] + (i + 1) * (width / letters), rect[3])
                for i in range(letters)]
    return []


def _lines_of(shapes: list[Box]) -> list[Box]:
    """Boxes of runs of at least `MIN_GLYPHS_IN_LINE` shapes side by side on one line."""
    shapes = sorted(shapes, key=lambda b: (-(b[1] + b[3]) / 2, b[0]))
    lines: list[list[Box]] = []
    for box in shapes:
        for line in lines:
            last = line[-1]
            height = max(last[3] - last[1], box[3] - box[1])
            same_line = abs((last[1] + last[3]) / 2 - (box[1] + box[3]) / 2) < 0.4 * height
            if same_line and box[0] - last[2] < 1.5 * height:
                line.append(box)
                break
        else:
            lines.append([box])
    out: list[Box] = []
    for line in lines:
        if len(line) >= MIN_GLYPHS_IN_LINE:
            out.append((min(b[0] for b in line), min(b[1] for b in line), max(b[2] for b in line), max(b[3] for b in line)))
    return out


def _inside(shape: Box, box: Box) -> bool:
    cx, cy = (shape[0] + shape[2]) / 2, (shape[1] + shape[3]) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _transform(matrix: Any, rect: Box) -> Box:
    corners = [matrix.on_point(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))
