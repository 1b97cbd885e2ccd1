"""What HTML says outside its text: attributes, hiding rules and the page's encoding.

Helpers of `html.py`: which attribute is read as which part, when an element is hidden
(inline style, the `hidden` attribute, a simple rule of the page's own style sheet), the
pictures and files in `data:` URIs, and how the bytes of a page are decoded.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass
from urllib.parse import unquote, unquote_to_bytes

from .text import decode_text

__all__ = ["DataUri", "Piece", "attribute_pieces", "decode_html", "hidden_reason", "hidden_selectors", "style_text"]

#: Attributes that hold a URL: read as `link` (percent-decoded), or as a file when `data:`.
_URL_ATTRS = frozenset(
    "href src action cite data poster background longdesc formaction codebase manifest ping "
    "xlink:href dynsrc lowsrc usemap profile classid archive".split()
)
#: Attributes that change how things look or behave and hold no words of the document.
_FORMAT_ATTRS = frozenset(
    "class style id lang dir rel type sizes coords allow sandbox media integrity autocomplete "
    "accept enctype method charset crossorigin referrerpolicy loading decoding itemtype width "
    "height align valign name role http-equiv content srcset srcdoc".split()
)
#: Attributes read aloud by screen readers or shown on demand (tooltips): hidden text.
_HIDDEN_ATTRS = frozenset(
    "title aria-label aria-description aria-roledescription aria-placeholder aria-valuetext "
    "summary abbr download".split()
)
#: `<meta>` names whose value is a document property; others keep their name in the text.
_META_NAMES = frozenset(
    "author description keywords generator copyright subject title creator publisher owner "
    "reply-to abstract application-name contact designer dc.creator dc.title dc.description "
    "dc.subject dc.publisher dcterms.creator dcterms.title og:title og:description og:site_name "
    "twitter:title twitter:description twitter:creator article:author".split()
)
_HIDING = re.compile(
    r"(?:^|[;{\s])\s*(display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|opacity\s*:\s*0*(?:\.0*)?\s*(?=;|}|!|$)|font-size\s*:\s*0*(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?=;|}|!|$))",
    re.IGNORECASE,
)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^([a-z][a-z0-9-]*)?([.#][\w-]+)?$", re.IGNORECASE)
_DATA_URI = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+(?:=[^;,\s]*)?)*),([^\s\"')]*)", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*(.*?)(?:\*/|$)", re.DOTALL)
_CSS_CONTENT = re.compile(r"""content\s*:\s*((?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^;{}"'])*)""", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    """A run of text from one place in an HTML document: `key` names its flow."""

    part: str
    detail: str | None
    key: str
    text: str

    def __repr__(self) -> str:  # never show document text
        return f"Piece(<{len(self.text)} chars>, {self.part!r}, {self.detail!r}, key={self.key!r})"


@dataclass(frozen=True)
class DataUri:
    """A file written into the page itself (`<img src="data:image/png;base64,...">`)."""

    media_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"DataUri({self.media_type!r}, <{len(self.data)} bytes>)"


def style_text(css: str, uris: list[DataUri]) -> str:
    """What a style sheet can show or tell: its generated `content` strings and its comments
    (fonts, colours and sizes are not words of the document); its `data:` URIs go to `uris`."""
    uris.extend(_data_uris(css))
    parts = [m.group(1) for m in _CSS_COMMENT.finditer(css)]
    parts += [m.group(1) for m in _CSS_CONTENT.finditer(_CSS_COMMENT.sub(" ", css))]
    return "\n".join(p.strip() for p in parts if p.strip())


def hidden_selectors(html: str) -> frozenset[tuple[str | None, str | None]]:
    """(tag, `.class` or `#id`) of the page's own style rules that hide an element.

    Only simple selectors (`.x`, `#y`, `span`, `span.x`): enough for the hiding tricks of
    e-mail and web pages; anything hidden by a rule not understood is read as visible body text,
    which is still checked."""
    out: set[tuple[str | None, str | None]] = set()
    for block in _STYLE_BLOCK.findall(html):
        for selectors, declarations in _RULE.findall(block):
            if not _HIDING.search(declarations):
                continue
            for selector in selectors.split(","):
                m = _SIMPLE_SELECTOR.match(selector.strip())
                if m and (m.group(1) or m.group(2)):
                    out.add(((m.group(1) or "").lower() or None, m.group(2)))
    return frozenset(out)


def hidden_reason(tag: str, attrs: list[tuple[str, str | None]], selectors: frozenset[tuple[str | None, str | None]]) -> str | None:
    """Why a browser would not show this element, or None if it would."""
    values = dict(attrs)
    if "hidden" in values:
        return "hidden"
    style = values.get("style") or ""
    m = _HIDING.search(style)
    if m:
        return re.sub(r"\s+", "", m.group(1)).lower()
    if selectors:
        ident = values.get("id")
        marks = {"." + c for c in (values.get("class") or "").split()} | ({"#" + ident} if ident else set())
        for sel_tag, mark in selectors:
            if (sel_tag is None or sel_tag == tag) and (mark is None or mark in marks):
                return "style sheet"
    return None


def attribute_pieces(tag: str, attrs: list[tuple[str, str | None]], uris: list[DataUri]) -> list[Piece]:
    """The attributes of one start tag as pieces of text; `data:` URIs are added to `uris`.

    A piece with part `srcdoc` is an iframe's own HTML, for the caller to parse."""
    values = {name: value for name, value in attrs if value}
    if tag == "meta":
        return _meta(values)
    out: list[Piece] = []
    hidden_input = tag == "input" and (values.get("type") or "").lower() == "hidden"
    for name, value in values.items():
        if name in _URL_ATTRS or name == "srcset":
            out.extend(_urls(name, value, uris))
        elif name == "srcdoc":
            out.append(Piece("srcdoc", None, "srcdoc", value))
        elif name == "alt":
            out.append(Piece("image", "alt", "image", value))
        elif name in ("value", "placeholder", "label") and tag != "li":
            part = "hidden-text" if hidden_input else "form-field"
            out.append(Piece(part, "hidden input" if hidden_input else name, "hidden" if hidden_input else "form", value))
        elif name in _HIDDEN_ATTRS:
            out.append(Piece("hidden-text", name if name == "title" else "attribute", "hidden", value))
        elif name.startswith("data-"):
            out.append(Piece("hidden-text", "data attribute", "hidden", value))
        elif name.startswith("on"):
            out.append(Piece("hidden-text", "script", "hidden", value))
        elif name == "style":
            uris.extend(_data_uris(value))
        elif name not in _FORMAT_ATTRS and not name.startswith("xmlns") and re.search(r"[^\W\d_]", value) and " " in value.strip():
            out.append(Piece("hidden-text", "attribute", "hidden", value))
    return [p for p in out if p.text.strip()]


def _meta(values: dict[str, str]) -> list[Piece]:
    content = values.get("content")
    if not content:
        return []
    name = (values.get("name") or values.get("property") or values.get("itemprop") or values.get("http-equiv") or "").strip()
    if name.lower() in _META_NAMES:
        return [Piece("metadata", f"meta {name.lower()}", "metadata", content)]
    return [Piece("metadata", "meta", "metadata", f"{name} {content}".strip())]


def _urls(name: str, value: str, uris: list[DataUri]) -> list[Piece]:
    found = _data_uris(value)
    uris.extend(found)
    if found:
        value = _DATA_URI.sub(" ", value)
    text = unquote(value).strip()
    return [Piece("link", name, "link", text)] if text else []


def _data_uris(value: str) -> list[DataUri]:
    out = []
    for m in _DATA_URI.finditer(value):
        media_type = (m.group(1) or "text/plain").lower()
        params, payload = m.group(2) or "", m.group(3)
        try:
            if ";base64" in params.lower():
                compact = re.sub(r"\s|%20", "", payload)
                data = base64.b64decode(compact + "=" * (-len(compact) % 4))
            else:
                data = unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            continue  # a browser cannot show it either
        if data:
            out.append(DataUri(media_type, data))
    return out


def decode_html(data: bytes) -> str:
    """A page's text: a byte-order mark, else the charset its `<meta>` declares, else as text.

    As browsers do, a declared ISO-8859-1 or ASCII is read as Windows-1252."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return decode_text(data)
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
            name = "cp1252"
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: decoded as any text file
    return decode_text(data)
