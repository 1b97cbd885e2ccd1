"""RTF's tokens: groups, control words, control symbols, bytes in a code page, binary data.

Kept apart from the reader (`rtf.py`) so the grammar is in one screen: RTF 1.9.1, "Conventions
of an RTF Reader". The tokenizer works on bytes and never fails: a lone backslash at the end or
a malformed `\\'` escape is skipped, as Word skips it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

__all__ = ["OPEN", "CLOSE", "WORD", "SYMBOL", "HEX", "TEXT", "BIN", "tokens", "codepage", "charset_codepage"]

OPEN, CLOSE, WORD, SYMBOL, HEX, TEXT, BIN = range(7)

Token = tuple[int, bytes, int | None]

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?[0-9]{1,10})?\x20?"  # control word, its parameter, the space that ends it
    rb"|\\'([0-9a-fA-F]{2})"  # one byte in the current code page
    rb"|\\(.)"  # control symbol (a backslash before a line break is a paragraph)
    rb"|([{}])"
    rb"|[\r\n]+"  # line breaks in the file are not text
    rb"|([^\\{}\r\n]+)",
    re.DOTALL,
)

#: `\fcharsetN` -> code page (None: the document's own `\ansicpgN`).
_CHARSETS = {
    0: None, 1: None, 2: None, 77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab",
    134: "cp936", 136: "cp950", 161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255",
    178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250", 254: "cp437",
    255: "cp850",
}


def tokens(data: bytes) -> Iterator[Token]:
    """(kind, value, parameter) for each token; `\\binN` yields its N raw bytes as one BIN token."""
    pos, end = 0, len(data)
    match = _TOKEN.match
    while pos < end:
        m = match(data, pos)
        if m is None:  # a lone backslash at the very end
            pos += 1
            continue
        pos = m.end()
        word, param, hexbyte, symbol, brace, text = m.groups()
        if text is not None:
            yield TEXT, text, None
        elif word is not None:
            number = int(param) if param is not None else None
            if word == b"bin" and number:
                size = max(0, number)
                yield BIN, data[pos : pos + size], None
                pos += size
            else:
                yield WORD, word, number
        elif hexbyte is not None:
            yield HEX, bytes.fromhex(hexbyte.decode("ascii")), None
        elif brace is not None:
            yield (OPEN if brace == b"{" else CLOSE), brace, None
        elif symbol is not None:
            yield SYMBOL, symbol, None


def codepage(number: int | None, fallback: str = "cp1252") -> str:
    """A Python codec for an RTF code page number (`\\ansicpgN`, `\\cpgN`)."""
    if number is None:
        return fallback
    name = {65001: "utf-8", 10000: "mac_roman", 20127: "ascii", 28591: "latin-1"}.get(number, f"cp{number}")
    try:
        codecs.lookup(name)
    except LookupError:
        return fallback
    return name


def charset_codepage(charset: int, fallback: str) -> str:
    """The code page of a font's `\\fcharsetN`."""
    return _CHARSETS.get(charset) or fallback
