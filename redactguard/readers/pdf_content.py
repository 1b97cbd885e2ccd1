"""Damaged page content that viewers read differently.

A content stream whose syntax is damaged (a string operand cut off and another stream spliced
in, a stray word where an operator should be) is recovered from differently by each reader:
PDFium drops the rest of a string it cannot close, poppler reports "Unknown operator" and goes
on, pypdf does something else again. Likewise a file whose cross-reference had to be rebuilt:
each reader rebuilds it its own way and may take a different copy of an object defined twice,
so pypdf and PDFium need not even read the same content stream for the page. What a person
opening the file sees is then whatever their viewer makes of it, and the text one extractor
returns does not vouch for the page.

So such a page is read twice, independently, and the readings compared: pypdf's text against
PDFium's (the text redactguard matches). Where pypdf reads a run of letters and digits that
PDFium's text lacks, some viewer may show text that was never checked: the page fails closed
(`corrupt`). Both steps are cheap: `damaged_syntax` is a few regular-expression passes over
the bytes pypdf already decoded for the page, and the comparison runs on flagged pages only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["OPERATORS", "RUN", "damaged_syntax", "unread_run"]

#: Every content-stream operator of ISO 32000-2 (Annex A, "Operator summary"), the deprecated
#: PostScript operator `PS` included, and the keywords an operand may be. `BI`, `ID` and `EI`
#: are not: an inline image is read whole (`_TOKENS`), and one of them left alone is damage.
OPERATORS = frozenset(
    b"""b B b* B* BDC BMC BT BX c cm CS cs d d0 d1 Do DP EMC ET EX f F f* G g gs h i j J K k l m
    M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y
    ' " PS true false null""".split()
)

_W = rb"\x00\t\n\x0c\r "  # PDF white-space
_D = rb"()<>\[\]{}/%"  # PDF delimiters
_NAME = rb"/[^" + _W + _D + rb"]*"
_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_HEX = rb"<(?<!<<)[0-9A-Fa-f" + _W + rb"]*>"  # not the inside of `<<>>`


def _literal(depth: int) -> bytes:
    """A literal string with balanced parentheses nested up to `depth` deep (escapes honoured;
    deeper is rare, and is then taken for damage, which only costs a comparison)."""
    inner = rb"[^()\\]*(?:\\.[^()\\]*)*"  # "unrolled": a run of plain bytes at a time, not one byte
    for _ in range(depth):
        inner = rb"[^()\\]*(?:(?:\\.|\(" + inner + rb"\))[^()\\]*)*"
    return rb"\(" + inner + rb"\)"


#: An inline image: `BI`, its dictionary (names, numbers, arrays, strings, decode parameters),
#: `ID`, its data, `EI`.
#: ASCII85 data, which may hold "EI", is taken to its end `~>` first.
_INLINE = (
    rb"B(?<![^" + _W + rb"]B)I(?:[" + _W + rb"]*(?:" + _NAME + rb"|" + _NUMBER + rb"|" + _HEX + rb"|"
    + _literal(0) + rb"|\[[^\]]*\]|<<[^<>]*>>|true|false))*[" + _W + rb"]*ID[" + _W + rb"]?"
    + rb"(?:[!-uz" + _W + rb"]*?~>[" + _W + rb"]*|.*?)EI(?=[" + _W + rb"]|\Z)"
)
#: A content stream read token by token, leftmost first (so a `%` or `)` inside a string is the
#: string's): comments, literal strings, inline images, hex strings, names and numbers (a number
#: stands alone: `1.2.3` or `12a` is damage) are operands, and give an empty match; what is left
#: is a word (an operator, or damage), a bracket, or a stray delimiter, and is returned. Every
#: alternative opens with a byte, not a look-behind, so the engine skips ahead to where one can
#: start: a page of text is read in about 0.1 ms.
_TOKENS = re.compile(
    rb"%[^\r\n]*|" + _literal(3) + rb"|" + _INLINE + rb"|" + _HEX + rb"|" + _NAME
    + rb"|[-+](?<![^" + _W + _D + rb"].)(?:\d+\.?\d*|\.\d+)(?![^" + _W + _D + rb"])"
    + rb"|\d(?<![^" + _W + _D + rb"].)\d*\.?\d*(?![^" + _W + _D + rb"])"
    + rb"|\.(?<![^" + _W + _D + rb"].)\d+(?![^" + _W + _D + rb"])"
    + rb"|(<<|>>|[\[\]]|[^" + _W + _D + rb"]+|[" + _D + rb"])",
    re.DOTALL,
)
_ALLOWED = OPERATORS | {b"", b"[", b"]", b"<<", b">>"}


def damaged_syntax(content: bytes) -> bool:
    """Whether a page's (decoded) content is not well-formed: once every operand is removed,
    what is left must be operators, and array and dictionary brackets that pair up. A string
    cut off or spliced, a number with a stray letter, binary garbage, an array never closed:
    each leaves a word that is no operator, a lone parenthesis or an unpaired bracket."""
    tokens = _TOKENS.findall(content)
    if not _ALLOWED.issuperset(tokens):
        if b"BX" not in tokens:
            return True
        tokens = _outside_compatibility(tokens)
        if not _ALLOWED.issuperset(tokens):
            return True
    return tokens.count(b"[") != tokens.count(b"]") or tokens.count(b"<<") != tokens.count(b">>")


def _outside_compatibility(tokens: list[bytes]) -> list[bytes]:
    """The tokens outside `BX` ... `EX` sections (which nest): unknown operators inside one are
    to be ignored (ISO 32000-2, 8.2)."""
    kept, depth = [], 0
    for token in tokens:
        if token == b"BX":
            depth += 1
        elif token == b"EX" and depth:
            depth -= 1
        elif not depth:
            kept.append(token)
    return kept


#: Letters and digits of words one reading has and the other lacks, in a row, that make the
#: readings disagree. Words shorter than `WORD` are left out (they are found anywhere on a page);
#: a longer word is looked for in pieces of `GRAM` (extractors join and split words differently).
RUN = 10
WORD = 4
GRAM = 6
_WORDS = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    """Letters and digits only, compatibility-normalised and case-folded."""
    return "".join(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def _unread(word: str, folded: list[str], grams: set[str]) -> int:
    """How many of a word's letters and digits the other readings do not have: a short word
    whole, a long one as the characters no `GRAM`-long piece of it found there covers."""
    if len(word) < GRAM:
        return 0 if any(word in other for other in folded) else len(word)
    covered = bytearray(len(word))
    for i in range(len(word) - GRAM + 1):
        if word[i:i + GRAM] in grams:
            covered[i:i + GRAM] = b"\x01" * GRAM
    return covered.count(0)


def unread_run(text: str, others: Iterable[str], run: int = RUN) -> bool:
    """Whether `text` (pypdf's) has, within one of its lines, words that no reading in `others`
    (PDFium's, in reading and in stream order) shows, in a row, with `run` letters and digits
    missing there or more (each word counted once: a reader's garbage repeats one word).

    Only letters and digits are compared, and each reading is folded into one string: the
    extractors space, join and order lines differently (pypdf strings a chart's tick labels on
    one line, PDFium puts each on its own; pypdf glues a footnote mark to its word), and none
    of that is a disagreement about what the page shows. Words right after a `/` are left out
    too: pypdf writes a glyph it cannot map by its name (`/C0`)."""
    folded = [_fold(other) for other in others]
    grams = {other[i:i + GRAM] for other in folded for i in range(len(other) - GRAM + 1)}
    for line in text.splitlines():
        missing: dict[str, int] = {}
        line = unicodedata.normalize("NFKC", line).casefold()
        for match in _WORDS.finditer(line):
            word = match.group()
            if len(word) < WORD or line[match.start() - 1:match.start()] == "/":
                continue
            unread = _unread(word, folded, grams)
            if not unread:
                missing.clear()
                continue
            missing[word] = unread
            if sum(missing.values()) >= run:
                return True
    return False
