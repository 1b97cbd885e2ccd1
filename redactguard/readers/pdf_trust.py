"""Does a PDF page's text layer tell the truth about what the page shows?

A page's text comes from its fonts' maps from character codes to letters. Where a font has no
map, a wrong one (a permuted ToUnicode CMap, a print driver's private encoding) or draws its
glyphs as pictures (Type 3), every extractor returns nonsense while the page reads normally;
and text drawn as vector outlines ("convert text to curves") is no text at all. Two checks,
both cheap enough for every page:

- `Language`: is the text layer language? Its letters' frequencies must resemble those of a
  language written in the Latin alphabet (a permuted map gives the frequent shares to the wrong
  letters), and letters of real words, in any language written in
  the Latin alphabet (English, Welsh, German, names, codes), have vowels between their
  consonants; the letters a wrong map gives do not. Words of four or more letters with no vowel
  (w and y count, as in Welsh), or with a run of six consonants, are counted (words in
  capitals, acronyms, web and e-mail addresses, and anything with a digit are left out); so are
  characters no font should give (private use, controls, U+FFFD). A page with fewer than
  `MIN_WORDS` words is not judged (a form, a table of codes).
- `vector_ink`: does the page draw shapes that look like lines of writing and that no
  extracted character explains? PDFium lists the page's path objects; filled shapes of letter
  height, side by side along a line, outside every character's box, are writing drawn as
  outlines.

A page that fails either is read by OCR, and OCR's words are matched (part `image`); where OCR
cannot read it with confidence, the page is `ocr_low_confidence` (fail closed).
"""

from __future__ import annotations

import collections
import ctypes
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Language", "Distrust", "judge_language", "judge_page", "vector_ink", "MIN_WORDS", "MAX_IMPLAUSIBLE"]

Box = tuple[float, float, float, float]

#: A text layer with fewer words than this is not judged as language (a form, a table of codes).
MIN_WORDS = 20
#: A text layer with more than this share of its words implausible is not language.
MAX_IMPLAUSIBLE = 0.2
#: Characters no font should give a reader, as a share of all non-space characters.
MAX_STRANGE = 0.05
#: With at least this many letters, their frequencies must resemble one of `LETTERS`' at least
#: this much (cosine): a permuted map keeps the shape of the frequencies but gives them to the
#: wrong letters. Measured on ../shared/data/corpus: ordinary pages score 0.85 and up; the
#: broken ones 0.44 to 0.65; the permuted-cmap fixture 0.56 (docs/readers.md).
MIN_LETTERS, MIN_RESEMBLANCE = 300, 0.75
#: Letter frequencies (per cent) of languages written in the Latin alphabet: published tables
#: for English, German, French and Spanish; Welsh counted from a court notice written for the
#: fixtures (fixtures/layers/welsh-paragraph.pdf).
LETTERS: dict[str, dict[str, float]] = {
    "en": dict(e=12.7, t=9.1, a=8.2, o=7.5, i=7.0, n=6.7, s=6.3, h=6.1, r=6.0, d=4.3, l=4.0, c=2.8, u=2.8, m=2.4,
               w=2.4, f=2.2, g=2.0, y=2.0, p=1.9, b=1.5, v=1.0, k=0.8, j=0.15, x=0.15, q=0.1, z=0.07),
    "cy": dict(a=10.2, y=10.2, d=9.3, n=7.4, i=7.0, r=6.9, e=6.6, h=5.9, l=5.7, o=4.8, w=4.2, s=4.2, c=3.8, g=3.3,
               t=2.9, f=2.4, m=1.8, b=1.5, u=1.1, p=0.6, v=0.1),
    "de": dict(e=16.4, n=9.8, i=7.5, s=7.3, r=7.0, a=6.5, t=6.2, d=5.1, h=4.8, u=4.2, l=3.4, c=3.1, g=3.0, m=2.5,
               o=2.5, b=1.9, w=1.9, f=1.7, k=1.2, z=1.1, v=0.8, p=0.8, j=0.3, y=0.04, x=0.03, q=0.02),
    "fr": dict(e=14.7, s=7.9, a=7.6, i=7.5, t=7.2, n=7.1, r=6.7, u=6.3, o=5.8, l=5.5, d=3.7, c=3.3, m=3.0, p=3.0,
               v=1.8, q=1.4, f=1.1, b=0.9, g=0.9, h=0.7, j=0.6, x=0.4, y=0.3, z=0.3, w=0.05, k=0.05),
    "es": dict(e=13.7, a=12.5, o=8.7, s=8.0, r=6.9, n=6.7, i=6.2, d=5.9, l=5.0, c=4.7, t=4.6, u=3.9, m=3.2, p=2.5,
               b=1.4, g=1.0, v=0.9, y=0.9, q=0.9, h=0.7, f=0.7, z=0.5, j=0.4, x=0.2, w=0.02, k=0.01),
}

#: What no font should give a reader: controls, private use, surrogates, U+FFFD and non-characters.
_STRANGE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff\ufffd\ufffe\uffff\U000f0000-\U0010ffff]")
_MARKS = re.compile("[\u0300-\u036f'\u2019]")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
#: Words of four or more letters a-z, not touching another letter, digit or underscore.
_WORD4 = re.compile(r"\b[A-Za-z]{4,}\b")
#: Such a word with no vowel (w and y are vowels in Welsh: cwm, dyn); not in capitals, which
#: are acronyms (NHS, HMCTS).
_NO_VOWEL = re.compile(r"\b[B-DF-HJ-NP-TVXZb-df-hj-np-tvxz][b-df-hj-np-tvxz]{3,}\b")
#: Letters are counted in words of three or more (a table of y/n or single-letter codes is not prose).
_LETTER_RUN = re.compile(r"\b[a-z]{3,}\b")
#: Six consonants in a row: German manages five ("Hausanschrift"), English and Welsh fewer.
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tvxz]{6,}")
#: Addresses of the web and of e-mail are not words ("www", "http", "htm").
_ADDRESS_MARKS = ("://", "www.", "WWW.", "@", ".htm", ".HTM", ".asp", ".php", ".pdf", ".PDF")
_ADDRESS = re.compile(r"(?<!\S)\S*?(?:://|www\.|@|\.html?\b|\.aspx?\b|\.php\b|\.pdf\b)\S*", re.IGNORECASE)


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
    """Whether `text` reads as language, with the figures that decided it.

    Every step is a regular expression or a count over the whole text, not a loop over its
    words in Python: this runs on every page of every PDF.
    """
    visible = len("".join(text.split()))
    strange = len(_STRANGE.findall(text))
    if visible and strange > MAX_STRANGE * visible and strange >= 3:
        return Language(False, 0, 0, strange, f"{strange} of {visible} characters are not letters a font should give")
    if any(mark in text for mark in _ADDRESS_MARKS):
        text = _ADDRESS.sub(" ", text)
    body = _fold(text)
    lower = body.lower()
    counted = collections.Counter("".join(_LETTER_RUN.findall(lower)))
    letters = collections.Counter({letter: counted[letter] for letter in _ALPHABET if counted[letter]})
    words = len(_WORD4.findall(body))
    implausible = len(_NO_VOWEL.findall(body)) + len(_CONSONANT_RUN.findall(lower))
    total = sum(letters.values())
    if total >= MIN_LETTERS:
        resemblance = max(_cosine(letters, table) for table in LETTERS.values())
        if resemblance < MIN_RESEMBLANCE:
            return Language(False, words, implausible, strange,
                            f"its letter frequencies resemble no language's ({resemblance:.2f} < {MIN_RESEMBLANCE})")
    if words < MIN_WORDS:
        return Language(True, words, implausible, strange)
    if implausible > MAX_IMPLAUSIBLE * words:
        return Language(False, words, implausible, strange,
                        f"{implausible} of {words} words have no vowel or six consonants in a row")
    return Language(True, words, implausible, strange)


def _cosine(counts: collections.Counter[str], table: dict[str, float]) -> float:
    dot = sum(n * table.get(letter, 0.0) for letter, n in counts.items())
    norm = math.sqrt(sum(n * n for n in counts.values()) * sum(v * v for v in table.values()))
    return dot / norm if norm else 0.0


def _fold(text: str) -> str:
    """Accents off (ŵ -> w) and apostrophes out, so words are runs of a-z."""
    if text.isascii():
        return text.replace("'", "")
    decomposed = unicodedata.normalize("NFKD", text)
    return _MARKS.sub("", decomposed)


# --- writing drawn as vector outlines -------------------------------------------------

_TEXT, _PATH, _FORM = 1, 2, 5
#: Shapes of letter height (points): smaller ones are dots, rules and specks; larger, drawings.
MIN_GLYPH, MAX_GLYPH = 3.0, 48.0
#: This many letter-sized filled shapes along one line, outside every character's box, are
#: writing, when at least `CURVED_SHARE` of them have curves (letters do; the cells of a mesh,
#: a hatching or a bar chart do not).
MIN_GLYPHS_IN_LINE = 5
CURVED_SHARE = 0.4
#: Objects looked at on one page, forms included (a hostile page cannot make this slow).
MAX_OBJECTS = 200_000

Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class _Shape:
    box: Box
    curved: bool


def vector_ink(page: Any, text_boxes: Sequence[Box]) -> tuple[list[Box], int]:
    """Lines of letter-sized shapes that no character box explains, in PDF points (empty for
    ordinary pages), and how many text objects the page has (`page` a pypdfium2 page; hold
    PDFium's lock). PDFium's objects are walked through its C interface directly: a page of
    text has thousands of them, and only their type is needed for most."""
    import pypdfium2.raw as raw

    shapes: list[_Shape] = []
    text_objects = 0
    seen = 0
    bounds = [ctypes.c_float() for _ in range(4)]
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    stack: list[tuple[Any, bool, Matrix | None]] = [(page.raw, True, None)]
    while stack:
        parent, is_page, matrix = stack.pop()
        count = raw.FPDFPage_CountObjects(parent) if is_page else raw.FPDFFormObj_CountObjects(parent)
        for i in range(max(0, count)):
            seen += 1
            if seen > MAX_OBJECTS:
                return [], text_objects
            obj = raw.FPDFPage_GetObject(parent, i) if is_page else raw.FPDFFormObj_GetObject(parent, i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == _TEXT:
                text_objects += 1
            elif kind == _FORM:
                form = raw.FS_MATRIX()
                if raw.FPDFPageObj_GetMatrix(obj, form) and len(stack) < 64:
                    own = (form.a, form.b, form.c, form.d, form.e, form.f)
                    stack.append((obj, False, own if matrix is None else _compose(own, matrix)))
            elif kind == _PATH:
                if not raw.FPDFPageObj_GetBounds(obj, *bounds):
                    continue
                box: Box = (bounds[0].value, bounds[1].value, bounds[2].value, bounds[3].value)
                if matrix is not None:
                    box = _transform(matrix, box)
                height = box[3] - box[1]
                if not MIN_GLYPH <= height <= MAX_GLYPH or box[2] <= box[0]:
                    continue
                if not raw.FPDFPath_GetDrawMode(obj, fill, stroke) or fill.value == 0:
                    continue  # a letter is filled; an outline only stroked is a drawing
                shapes.extend(_glyph_sized(obj, box))
    shapes = [s for s in shapes if not any(_inside(s.box, box) for box in text_boxes)]
    return _lines_of(shapes), text_objects


def _glyph_sized(obj: Any, box: Box) -> list[_Shape]:
    """The shape as letters: one letter, or a word or line of letters drawn as one path (its
    letters are its subpaths: many segments for its width), or nothing."""
    import pypdfium2.raw as raw

    width, height = box[2] - box[0], box[3] - box[1]
    segments = raw.FPDFPath_CountSegments(obj)
    curved = any(raw.FPDFPathSegment_GetType(raw.FPDFPath_GetPathSegment(obj, i)) == raw.FPDF_SEGMENT_BEZIERTO
                 for i in range(min(max(segments, 0), 64)))
    if width <= 1.5 * height:
        return [_Shape(box, curved)]
    letters = int(width / height)
    if segments >= 8 * max(letters, 1):
        step = width / letters
        return [_Shape((box[0] + i * step, box[1], box[0] + (i + 1) * step, box[3]), curved) for i in range(letters)]
    return []


def _lines_of(shapes: list[_Shape]) -> list[Box]:
    """Boxes of runs of letter-like shapes side by side on one line."""
    shapes = sorted(shapes, key=lambda s: (-(s.box[1] + s.box[3]) / 2, s.box[0]))
    lines: list[list[_Shape]] = []
    for shape in shapes:
        box = shape.box
        for line in lines[-8:]:
            last = line[-1].box
            height = max(last[3] - last[1], box[3] - box[1])
            same_line = abs((last[1] + last[3]) / 2 - (box[1] + box[3]) / 2) < 0.4 * height
            if same_line and -0.5 * height < box[0] - last[2] < 1.5 * height:
                line.append(shape)
                break
        else:
            lines.append([shape])
    out: list[Box] = []
    for line in lines:
        if len(line) >= MIN_GLYPHS_IN_LINE and sum(s.curved for s in line) >= CURVED_SHARE * len(line):
            boxes = [s.box for s in line]
            out.append((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)))
    return out


def _inside(shape: Box, box: Box) -> bool:
    cx, cy = (shape[0] + shape[2]) / 2, (shape[1] + shape[3]) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix of `inner` applied first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _transform(matrix: Matrix, rect: Box) -> Box:
    a, b, c, d, e, f = matrix
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return (min(xs), min(ys), max(xs), max(ys))
