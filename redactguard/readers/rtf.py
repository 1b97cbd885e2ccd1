"""RTF documents: body, headers, footers, footnotes, comments, hidden and tracked text, fields,
text boxes, document properties, pictures (OCR) and embedded objects (`rtf_parts.py`).

Word writes a paragraph as many groups (`{\\insrsid123 14 Cherry }{\\insrsid456 Tree Road}`),
characters as `\\'hh` bytes of the code page or `\\uN` with a fallback to skip: read as raw text,
none of that matches the address, so RTF is interpreted here as a reader of the specification
would (RTF 1.9.1). Groups are kept on a list, never by recursion, so no nesting depth crashes.

An RTF body that Outlook made from an HTML message (`\\fromhtml1`, [MS-OXRTFEX]) is that HTML
wrapped in RTF: its tags in `{\\*\\htmltag}` groups, its text between them, and an RTF-only
rendering in `\\htmlrtf` runs. The HTML is put back together and read by the HTML reader (so
its markup is not text, and its hidden parts are told apart); RTF-only text that the HTML does
not show as well is read as `hidden-text` (another RTF reader would show it).
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .rtf_parts import PICTURE_KINDS, EmbeddedObject, Picture, read_object, read_picture
from .rtf_tokens import (
    BIN,
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
    xmlclose fontemb fontfile objclass objname objtime objalias objsect objitem objtopic""".split()
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
    escape: bool = False  # text between the tags of encapsulated HTML: escaped back into HTML


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
    picture: Picture | None = None  # inside a \\pict group: its text is the picture's data
    obj: EmbeddedObject | None = None  # inside an \\object group
    obj_outer: _Sink | None = None  # where the object's \\result (what is shown for it) goes
    objdata: EmbeddedObject | None = None  # inside \\objdata: its text is the object's data
    htmlrtf: bool = False  # RTF-only text of encapsulated HTML


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
                if text.strip(" \t\r\n\x00"):  # an RTF body padded with zeros ends in them
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
        self.pictures: list[Picture] = []
        self.objects: list[EmbeddedObject] = []
        self.pictures_for_new_readers = 0  # \\shppict groups; each \\nonshppict after one repeats it
        self.html: list[str] | None = None  # the HTML an RTF body encapsulates (\\fromhtml1)
        self.rtf_only: list[str] = []

    # -------------------------------------------------------------- the token loop

    def run(self, data: bytes) -> None:
        for n, (kind, value, param) in enumerate(tokens(data)):
            if n % 4096 == 0:
                self.ctx.check_time()
            if kind == OPEN or kind == CLOSE:
                self.flush()
                self.skip = 0
                self.open() if kind == OPEN else self.close()
            elif self.state.picture is not None or self.state.objdata is not None:
                self.data(kind, value, param)
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

    def data(self, kind: int, value: bytes, param: int | None) -> None:
        """A token of a picture's or an object's data: hex text, or `\\binN` bytes."""
        target = self.state.picture or self.state.objdata
        assert target is not None
        if kind == TEXT:
            target.hex += value
        elif kind == BIN:
            target.binary += value
        elif kind == WORD and self.state.picture is not None:
            self.word(value.decode("ascii"), param)

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
        if state.htmlrtf and sink.escape:  # RTF-only text; the tags of the HTML are kept whatever it says
            self.rtf_only.append(text)
            return
        if sink.capture is not None:
            sink.capture.append(html.escape(text, quote=False) if sink.escape else text)
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
        if self.state.picture is not None or self.state.objdata is not None:  # a property group, not data
            self.state.picture = self.state.objdata = None
            self.state.sink = None

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
        if state.picture is not None:
            if name in PICTURE_KINDS:
                state.picture.kind = name
        elif state.obj is not None and name in ("objlink", "objautlink", "objupdate"):
            state.obj.linked = True
        elif name == "fromhtml" and param and self.html is None:
            self.html = []
            state.sink = _Sink("html", "body", capture=self.html, escape=True)
        elif name == "htmlrtf":
            state.htmlrtf = param != 0
        elif name in _CHARS:
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
        if name == "objdata" and state.obj is not None:
            state.objdata = state.obj
            return
        if name == "result" and state.obj is not None:  # what is shown for the object: read as such
            state.sink, state.obj = state.obj_outer, None
            return
        if state.sink is None and name != "ud" and not (state.page_styles and name in _STORIES):
            return  # inside a skipped destination (a style, a list level): everything in it is skipped
        if name == "fonttbl":
            state.fonttbl = True
        elif name == "pgdsctbl":  # LibreOffice's page styles: names skipped, their headers and footers read
            state.sink, state.page_styles = None, True
        elif name in _SKIP:
            state.sink = None
        elif name in ("pict", "object"):
            self.embedded(name)
        elif name == "shppict":  # a picture for readers that know shapes; \\nonshppict repeats it for others
            self.pictures_for_new_readers += 1
        elif name == "nonshppict" and self.pictures_for_new_readers > 0:
            self.pictures_for_new_readers -= 1
            state.sink = None
        elif name == "htmltag" and self.html is not None:
            state.sink = _Sink("html", "body", capture=self.html)
        elif name == "mhtmltag" and self.html is not None:  # the same tag, its link pointing into the message
            state.sink = None
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

    def embedded(self, name: str) -> None:
        """A picture or an object: its data is collected, and read when the text is done."""
        state = self.state
        if name == "pict":
            picture = Picture()
            state.picture, state.sink = picture, None
            self.closer = lambda: self.pictures.append(picture)
        else:
            obj = EmbeddedObject()
            state.obj, state.obj_outer, state.sink = obj, state.sink, None
            self.closer = lambda: self.objects.append(obj)

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
        if interpreter.html is not None:
            yield from _encapsulated_html("".join(interpreter.html), "".join(interpreter.rtf_only), ctx)
        for number, picture in enumerate(interpreter.pictures, 1):
            ctx.check_time()
            yield from read_picture(ctx, picture, number)
        for number, obj in enumerate(interpreter.objects, 1):
            ctx.check_time()
            yield from read_object(ctx, obj, number)


def _encapsulated_html(source: str, rtf_only: str, ctx: ReadContext) -> Iterator[Segment]:
    """The HTML an RTF body encapsulates, read as HTML; RTF-only lines it does not show as well."""
    from .html import html_segments, html_to_text

    yield from html_segments(source, ctx, flow="html")
    shown = " ".join(html_to_text(source).split())
    for number, line in enumerate(rtf_only.splitlines()):
        words = " ".join(line.split())
        if words and words not in shown:
            yield Segment(line, Location(part="hidden-text", detail="RTF-only text"), flow=f"rtf-only:{number}")
