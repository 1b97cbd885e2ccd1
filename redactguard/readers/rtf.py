"""RTF documents: body, headers, footers, footnotes, comments, hidden and tracked text, fields,
text boxes, document properties; pictures and embedded objects fail closed.

Word writes a paragraph as many groups (`{\\insrsid123 14 Cherry }{\\insrsid456 Tree Road}`),
characters as `\\'hh` bytes of the code page or `\\uN` with a fallback to skip: read as raw text,
none of that matches the address, so RTF is interpreted here as a reader of the specification
would (RTF 1.9.1). Groups are kept on a list, never by recursion, so no nesting depth crashes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .rtf_tokens import (
    CLOSE,
    HEX,
    OPEN,
    SYMBOL,
    TEXT,
    WORD,
    charset_codepage,
    codepage,
    tokens,
)
from .text import text_chunks

__all__ = ["RtfReader"]

_MAX_DEPTH = 10_000
#: Control words that stand for a character.
_CHARS = {
    "par": "\n", "line": "\n", "sect": "\n", "page": "\n", "column": "\n", "cell": "\n", "nestcell": "\n",
    "row": "\n", "nestrow": "\n", "tab": "\t", "emdash": "\u2014", "endash": "\u2013", "emspace": " ",
    "enspace": " ", "qmspace": " ", "bullet": "\u2022", "lquote": "\u2018", "rquote": "\u2019",
    "ldblquote": "\u201c", "rdblquote": "\u201d", "zwj": "\u200d", "zwnj": "\u200c", "zwbo": "\u200b",
    "zwnbo": "\ufeff",
}
_SYMBOLS = {
    b"\\": "\\", b"{": "{", b"}": "}", b"~": "\xa0", b"_": "\u2011", b"-": "\u00ad", b"\n": "\n",
    b"\r": "\n", b"\t": "\t",
}
#: Destinations that hold no words of the document (tables of fonts, colours, styles, lists,
#: revision ids; themes and data stores as hex; separators; dates as numbers).
_SKIP = frozenset(
    """colortbl stylesheet listtable listoverridetable rsidtbl xmlnstbl themedata colorschememapping
    latentstyles datastore filetbl pnseclvl pntxta pntxtb pn panose falt fname
    wgrffmtfilter defchp defpap mmathPr pgptbl protusertbl passwordhash password fchars lchars
    aftnsep aftnsepc ftnsep ftnsepc aftncn ftncn oldcprops oldpprops oldsprops oldtprops creatim
    revtim printim buptim xmlopen bkmkend generator atnref atndate atnparent atrfstart atrfend blipuid datafield
    xmlclose fontemb fontfile""".split()
)
_INFO = frozenset(
    "title subject author manager company operator category keywords comment doccomm hlinkbase".split()
)
_STORIES = {
    "header": "header", "headerl": "header", "headerr": "header", "headerf": "header",
    "footer": "footer", "footerl": "footer", "footerr": "footer", "footerf": "footer",
    "footnote": "footnote", "annotation": "comment", "shptxt": "textbox", "dptxbx": "textbox",
}
_FORM = frozenset("ffname ffdeftext ffformat ffhelptext ffstattext ffentrymcr ffexitmcr ffl".split())
_HIDDEN_DESTS = {"xe": "index entry", "tc": "table of contents entry", "tcn": "table of contents entry",
                 "txe": "index entry", "rxe": "index entry", "bxe": "index entry", "private": "private data",
                 "bkmkstart": "bookmark", "nonesttables": "nested table fallback"}
_SHAPE_TEXT = {"wzDescription": "image", "wzName": "image", "wzTooltip": "image", "gtextUNICODE": "textbox"}
_LINK_FIELDS = ("HYPERLINK", "INCLUDETEXT", "INCLUDEPICTURE")
_SHOWN = frozenset({"body", "header", "footer", "footnote", "endnote", "comment", "textbox"})


@dataclass(eq=False)
class _Sink:
    """Where a group's text goes: a flow of one part, or held (`capture`) until the group ends."""

    flow: str
    part: str
    detail: str | None = None
    capture: list[str] | None = None


@dataclass
class _State:
    """What a group inherits from the one around it."""

    sink: _Sink | None
    codepage: str = "cp1252"
    uc: int = 1
    hidden: bool = False
    deleted: bool = False
    revised: bool = False
    fonttbl: bool = False
    upr_outer: _Sink | None = None
    page_styles: bool = False
    shape: dict[str, list[str]] | None = None


@dataclass
class _Output:
    """Text by flow, in the order flows first appear; a change of part starts a new run."""

    flows: dict[str, list[tuple[str, str | None, list[str]]]] = field(default_factory=dict)

    def add(self, flow: str, part: str, detail: str | None, text: str) -> None:
        runs = self.flows.setdefault(flow, [])
        if runs and runs[-1][:2] == (part, detail):
            runs[-1][2].append(text)
        else:
            runs.append((part, detail, [text]))

    def segments(self) -> Iterator[Segment]:
        for flow, runs in self.flows.items():
            for part, detail, pieces in runs:
                text = _whole("".join(pieces))
                if text.strip():
                    for chunk in text_chunks(text):
                        yield Segment(chunk, Location(part=part, detail=detail), flow=flow)


def _whole(text: str) -> str:
    """Join the UTF-16 halves that `\\uN` writes for a character beyond the BMP."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


class _Interpreter:
    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.out = _Output()
        self.state = _State(_Sink("body", "body"))
        self.closer: Callable[[], None] | None = None
        self.stack: list[tuple[_State, Callable[[], None] | None]] = []
        self.pending = bytearray()
        self.pending_cp = "cp1252"
        self.default_cp = "cp1252"
        self.fonts: dict[int, str] = {}
        self.defining: int | None = None
        self.skip = 0  # fallback characters still to skip after \uN
        self.ignorable = False
        self.count = 0
        self.seen: set[str] = set()

    # -------------------------------------------------------------- the token loop

    def run(self, data: bytes) -> None:
        for n, (kind, value, param) in enumerate(tokens(data)):
            if n % 4096 == 0:
                self.ctx.check_time()
            if kind == OPEN or kind == CLOSE:
                self.flush()
                self.skip = 0
                self.open() if kind == OPEN else self.close()
            elif self.skip:
                self.skip_fallback(kind, value)
            elif kind == TEXT or kind == HEX:
                if self.pending and self.pending_cp != self.state.codepage:
                    self.flush()
                self.pending_cp = self.state.codepage
                self.pending += value
            elif kind == WORD:
                self.flush()
                self.word(value.decode("ascii"), param)
            elif kind == SYMBOL:
                self.flush()
                self.symbol(value)
            # BIN outside a picture or object: binary data, not text
        self.flush()
        if self.stack:
            self.ctx.problem("corrupt", "the RTF file ends inside an open group: it was cut short")

    def skip_fallback(self, kind: int, value: bytes) -> None:
        if kind == TEXT:
            dropped = min(self.skip, len(value))
            self.skip -= dropped
            rest = value[dropped:]
            if rest:
                self.pending_cp = self.state.codepage
                self.pending += rest
        else:
            self.skip -= 1

    def flush(self) -> None:
        if self.pending:
            self.emit(bytes(self.pending).decode(self.pending_cp, "replace"))
            self.pending.clear()

    def emit(self, text: str) -> None:
        state = self.state
        sink = state.sink
        if sink is None or state.fonttbl or not text:
            return
        if sink.capture is not None:
            sink.capture.append(text)
            return
        part, flow = sink.part, sink.flow
        if state.deleted:
            part, flow = "tracked-change", f"{flow}:deleted"
        elif state.hidden and part in _SHOWN:
            part, flow = "hidden-text", f"{flow}:hidden"
        elif state.revised and part in _SHOWN:
            part = "tracked-change"
        self.out.add(flow, part, sink.detail, text)

    def open(self) -> None:
        if len(self.stack) >= _MAX_DEPTH:
            raise UnreadableDocument("limit_exceeded", "the RTF file nests groups deeper than the limit")
        self.stack.append((self.state, self.closer))
        self.state = copy.copy(self.state)
        self.closer = None

    def close(self) -> None:
        if self.closer is not None:
            self.closer()
        if not self.stack:
            return  # a stray closing brace
        self.state, self.closer = self.stack.pop()
        if not self.stack:  # the document's group has ended: what follows is shown by editors only
            self.state = _State(_Sink("after-end", "hidden-text", "after the document"), self.default_cp)

    def symbol(self, value: bytes) -> None:
        if value == b"*":
            self.ignorable = True
        elif value == b"'":  # a malformed \'hh escape
            return
        else:
            self.emit(_SYMBOLS.get(value, ""))

    # -------------------------------------------------------------- control words

    def word(self, name: str, param: int | None) -> None:  # noqa: C901 - one branch per kind of control word
        ignorable, self.ignorable = self.ignorable, False
        state = self.state
        if name in _CHARS:
            self.emit(_CHARS[name])
        elif name == "u" and param is not None:
            self.emit(chr(param + 65536 if param < 0 else param))
            self.skip = state.uc
        elif name == "uc" and param is not None:
            state.uc = max(0, param)
        elif name in ("v", "deleted", "revised"):
            setattr(state, "hidden" if name == "v" else name, param != 0)
        elif name == "plain":
            state.hidden = state.deleted = state.revised = False
            state.codepage = self.default_cp
        elif name == "f" and param is not None:
            if state.fonttbl:
                self.defining = param
            else:
                state.codepage = self.fonts.get(param, self.default_cp)
        elif name in ("fcharset", "cpg") and state.fonttbl and self.defining is not None and param is not None:
            cp = charset_codepage(param, self.default_cp) if name == "fcharset" else codepage(param, self.default_cp)
            self.fonts[self.defining] = cp
        elif name in ("propname", "staticval", "linkval"):
            self.emit("\n")
        elif name in ("ansicpg", "ansi", "mac", "pc", "pca"):
            self.default_cp = {"ansi": "cp1252", "mac": "mac_roman", "pc": "cp437", "pca": "cp850"}.get(name) or codepage(param)
            state.codepage = self.default_cp
        else:
            self.destination(name, param, ignorable)

    def destination(self, name: str, param: int | None, ignorable: bool) -> None:  # noqa: C901
        state = self.state
        if state.sink is None and name != "ud" and not (state.page_styles and name in _STORIES):
            return  # inside a skipped destination (a style, a list level): everything in it is skipped
        if name == "fonttbl":
            state.fonttbl = True
        elif name == "pgdsctbl":  # LibreOffice's page styles: names skipped, their headers and footers read
            state.sink, state.page_styles = None, True
        elif name in _SKIP:
            state.sink = None
        elif name in ("pict", "object"):
            state.sink = None
            self.unsupported(name)
        elif name == "info":
            state.sink = _Sink("info", "metadata", "info")
        elif name in _INFO and state.sink is not None and state.sink.part == "metadata":
            state.sink = _Sink(f"info:{self.next()}", "link" if name == "hlinkbase" else "metadata", f"info:{name}")
        elif name in ("template", "docvar", "userprops", "revtbl"):
            state.sink = _Sink(f"info:{self.next()}", "metadata", f"info:{name}")
        elif name in _STORIES:
            self.story(_STORIES[name])
        elif name == "ftnalt" and state.sink is not None and state.sink.part == "footnote":
            state.sink.part = "endnote"
        elif name in ("atnid", "atnauthor"):
            state.sink = _Sink(f"comment-author:{self.next()}", "comment", "author")
        elif name == "fldinst":
            self.capture(self.field_instruction)
        elif name == "sp":
            state.shape = {"sn": [], "sv": []}
            self.closer = self.shape_property
        elif name in ("sn", "sv") and state.shape is not None:
            state.sink = _Sink("shape", "image", capture=state.shape[name])
        elif name in _FORM:
            state.sink = _Sink(f"form:{self.next()}", "form-field", name)
        elif name in _HIDDEN_DESTS:
            state.sink = _Sink(f"hidden:{name}", "hidden-text", _HIDDEN_DESTS[name])
        elif name == "upr":
            state.upr_outer, state.sink = state.sink, None
        elif name == "ud":
            state.sink = state.upr_outer
        elif ignorable:  # a destination this reader does not know: Word hides it, an editor shows it
            state.sink = _Sink("hidden:unknown", "hidden-text", "unknown destination")

    def story(self, part: str) -> None:
        self.state.sink = _Sink(f"{part}:{self.next()}", part)
        self.state.hidden = self.state.deleted = self.state.revised = False

    def capture(self, done: Callable[[str], None]) -> None:
        held: list[str] = []
        self.state.sink = _Sink("capture", "body", capture=held)
        self.closer = lambda: done("".join(held))

    def field_instruction(self, text: str) -> None:
        if not text.strip():
            return
        is_link = text.strip().upper().startswith(_LINK_FIELDS)
        outer = self.stack[-1][0].sink if self.stack else None
        part = "link" if is_link else (outer.part if outer is not None and outer.capture is None else "body")
        self.out.add(f"field:{self.next()}", part, "field instruction", text)

    def shape_property(self) -> None:
        shape = self.state.shape or {}
        name = "".join(shape.get("sn", [])).strip()
        value = "".join(shape.get("sv", []))
        if name in _SHAPE_TEXT and value.strip():
            self.out.add(f"shape:{self.next()}", _SHAPE_TEXT[name], "shape", value)

    def unsupported(self, name: str) -> None:
        if name in self.seen:
            return
        self.seen.add(name)
        what = "a picture" if name == "pict" else "an embedded object"
        self.ctx.problem("unsupported_part", f"the RTF file holds {what}, which is not read yet (fails closed)")

    def next(self) -> int:
        self.count += 1
        return self.count


class RtfReader:
    type = "rtf"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] != b"{\\rtf":
            raise UnreadableDocument("corrupt", "the file does not start as an RTF document")
        interpreter = _Interpreter(ctx)
        interpreter.run(data)
        yield from interpreter.out.segments()
