"""HTML as a person sees it, and everything else the file holds, each in its own part.

One reader for HTML files, e-mail HTML bodies and DOCX altChunks (`html_segments`). What a
browser shows is `body`: entities decoded, inline tags joined (`14 Cherry <b>Tree</b> Road` is
one line), block tags as line breaks. What it does not show but the file holds is read too:
hidden elements, scripts and styles (`hidden-text`), comments (`comment`), `<title>` and
`<meta>` (`metadata`), link targets (`link`), alt text (`image`), form values (`form-field`),
and pictures in `data:` URIs (attachments, read by OCR).

The standard library's tokenizer is used on purpose: it never drops character data (every
character of the file is text, a tag, a comment or a declaration), and what it leaves unparsed
at the end of the file is read as text, so nothing slips between the pieces.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..document import Location, Segment
from .base import ReadContext
from .html_attrs import (
    DataUri,
    Piece,
    attribute_pieces,
    decode_html,
    hidden_reason,
    hidden_selectors,
    style_text,
)
from .text import text_chunks

__all__ = ["HtmlReader", "Piece", "html_pieces", "html_segments", "html_to_text"]

_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr basefont frame isindex".split()
)
_BLOCK = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li
    listing main menu nav ol optgroup option p pre section summary table tbody td tfoot th thead
    tr ul xmp noscript iframe object select textarea""".split()
)
#: Elements of HTML, SVG and MathML; a tag outside these (and not a custom element or an Office
#: `o:p`) is shown by an editor but hidden by a browser, so its source is read as hidden text.
_KNOWN = _VOID | _BLOCK | frozenset(
    """a abbr acronym audio b bdi bdo big blink button canvas cite code data datalist del dfn em
    font i ins kbd label map mark marquee meter nobr noembed noframes output picture plaintext
    progress q rp rt rtc ruby s samp script search slot small span strike strong style sub sup
    template time title tt u var video math svg g text tspan textpath path rect circle ellipse
    line polyline polygon defs use symbol desc metadata image foreignobject lineargradient
    radialgradient stop clippath mask pattern filter marker switch a mi mo mn ms mtext mrow
    semantics annotation frame xml bgsound spacer""".split()
)
#: Elements whose content is not shown in place: (part, detail) their text is read as.
_CAPTURE = {
    "script": ("hidden-text", "script", "script"),
    "style": ("hidden-text", "style", "style"),
    "template": ("hidden-text", "template", "hidden"),
    "title": ("metadata", "title", "metadata"),
}
_MAX_NESTING = 3  # comments and srcdoc parsed as HTML inside HTML
_MAX_OPEN = 2_000  # open elements tracked; browsers nest at most a few hundred deep


@dataclass
class _Sink:
    part: str
    detail: str | None
    key: str
    out: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, selectors: frozenset[tuple[str | None, str | None]], depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.selectors = selectors
        self.depth = depth
        self.body = _Sink("body", None, "body")
        self.pieces: list[Piece] = []
        self.uris: list[DataUri] = []
        self.stack: list[tuple[str, _Sink | None]] = []
        self.sinks: list[_Sink] = []  # the sinks of `stack`, innermost last
        self.open: Counter[str] = Counter()  # open elements by tag: an end tag with none open costs nothing
        self.nested = 0

    @property
    def sink(self) -> _Sink:
        return self.sinks[-1] if self.sinks else self.body

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag not in _KNOWN and "-" not in tag and ":" not in tag:
            self._piece("hidden-text", "unknown tag", "hidden", self.get_starttag_text() or "")
        if tag in _BLOCK:
            self.sink.out.append("\n")
        if tag in _VOID:
            return
        sink = None
        if tag in _CAPTURE:
            sink = _Sink(*_CAPTURE[tag])
        else:
            reason = hidden_reason(tag, attrs, self.selectors)
            if reason is not None and self.sink.part != "hidden-text":
                sink = _Sink("hidden-text", reason, "hidden")
        if sink is None and len(self.stack) >= _MAX_OPEN:
            return  # thousands of unclosed inline tags: not tracked (end tags would cost quadratic time)
        self.stack.append((tag, sink))
        self.open[tag] += 1
        if sink is not None:
            self.sinks.append(sink)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self._pop(len(self.stack) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self.open[tag]:
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    self._pop(i)
                    break
        if tag in _BLOCK:
            self.sink.out.append("\n")

    def _pop(self, index: int) -> None:
        """Close the element at `index` and every element left open inside it."""
        while len(self.stack) > index:
            tag, sink = self.stack.pop()
            self.open[tag] -= 1
            if sink is not None:
                self.sinks.pop()
                self._flush(sink)

    def _flush(self, sink: _Sink) -> None:
        text = "".join(sink.out)
        if sink.key == "style":  # a style sheet shows only its generated `content`; comments are read too
            text = style_text(text, self.uris)
        if text.strip():
            self.pieces.append(Piece(sink.part, sink.detail, sink.key, text))

    def handle_data(self, data: str) -> None:
        self.sink.out.append(data)

    def handle_comment(self, data: str) -> None:
        self._piece("comment", None, "comment", self._markup_text(data))

    def unknown_decl(self, data: str) -> None:  # <![CDATA[...]]>: a bogus comment to a browser
        self._piece("comment", None, "comment", self._markup_text(data.removeprefix("CDATA[")))

    def handle_pi(self, data: str) -> None:  # <?php ... ?>: shown by an editor only
        if not data.startswith("xml "):  # the XML declaration of XHTML says nothing
            self._piece("hidden-text", "processing instruction", "hidden", data)

    def _markup_text(self, data: str) -> str:
        """A comment's text, with any markup in it (commented-out HTML, Outlook's `[if mso]`) read."""
        if "<" not in data or self.depth >= _MAX_NESTING:
            return data
        inner = html_pieces(data, depth=self.depth + 1)
        self.uris.extend(inner.uris)
        return "\n".join(p.text for p in inner.pieces)

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for piece in attribute_pieces(tag, attrs, self.uris):
            if piece.part == "srcdoc":  # an iframe's own HTML document
                self._srcdoc(piece.text)
            else:
                self.pieces.append(piece)

    def _srcdoc(self, html: str) -> None:
        if self.depth >= _MAX_NESTING:
            self._piece("hidden-text", "srcdoc", "hidden", html)
            return
        self.nested += 1
        inner = html_pieces(html, depth=self.depth + 1)
        self.uris.extend(inner.uris)
        self.pieces.extend(Piece(p.part, p.detail, f"srcdoc{self.nested}:{p.key}", p.text) for p in inner.pieces)

    def _piece(self, part: str, detail: str | None, key: str, text: str) -> None:
        if text.strip():
            self.pieces.append(Piece(part, detail, key, text))

    def finish(self) -> None:
        self.close()
        if self.rawdata:  # an unclosed <script>, comment or tag at the end: still text in the file
            self.sink.out.append(self.rawdata)
            self.rawdata = ""
        self._pop(0)
        self._flush(self.body)


@dataclass(frozen=True)
class HtmlText:
    """What an HTML document holds: text pieces in document order and its `data:` URIs."""

    pieces: list[Piece]
    uris: list[DataUri]


def html_pieces(html: str, *, depth: int = 0) -> HtmlText:
    """Split an HTML document into pieces of text, each with its part (see the module doc)."""
    parser = _Parser(hidden_selectors(html), depth)
    parser.feed(html)
    parser.finish()
    body = [p for p in parser.pieces if p.key == "body"]
    rest = [p for p in parser.pieces if p.key != "body"]
    return HtmlText(body + rest, parser.uris)


def html_to_text(html: str) -> str:
    """The text a browser shows (the `body` part), entities decoded and inline tags joined."""
    return "".join(p.text for p in html_pieces(html).pieces if p.key == "body")


def html_segments(html: str, ctx: ReadContext, flow: str = "body") -> Iterator[Segment]:
    """Segments of an HTML document: its body text in flow `flow`, the other parts in flows
    named after it, and its `data:` URIs read as attachments."""
    parsed = html_pieces(html)
    for piece in parsed.pieces:
        key = flow if piece.key == "body" else f"{flow}:{piece.key}"
        location = Location(part=piece.part, detail=piece.detail)
        for text in text_chunks(piece.text):
            yield Segment(text, location, flow=key)
        ctx.check_time()
    for number, uri in enumerate(parsed.uris, 1):
        name = f"data URI {number}"  # not its media type: the document wrote that, it could say anything
        yield from ctx.read_attachment(name, uri.data, Location(part="attachment"))


class HtmlReader:
    type = "html"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        yield from html_segments(decode_html(data), ctx)
