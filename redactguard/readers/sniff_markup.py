"""Is this text markup? HTML, XML (SVG too), LaTeX and PostScript written as text files.

Markup read as plain text hides what a person reads: `14 Cherry <b>Tree</b> Road` or
`14&nbsp;Cherry` does not match the address, and the file would pass as clean. So a text file
that looks like markup is read by the reader of its kind, or fails closed, never read raw.
"""

from __future__ import annotations

import re

__all__ = ["markup_kind"]

_PROLOG = re.compile(r"(?:\s+|<!--.*?-->|<\?.*?\?>)*", re.DOTALL)
_DOCTYPE = re.compile(r"<!doctype\s+([\w:.-]+)", re.IGNORECASE)
_ROOT = re.compile(r"<([a-zA-Z][\w:.-]*)")
#: Tags that open an HTML page or fragment (the WHATWG MIME sniffing list, and more).
_HTML_START = frozenset(
    """html head body script iframe h1 h2 h3 h4 h5 h6 div font table a style title b br p meta
    link span ul ol li section article main header footer nav pre img em strong i u form center
    blockquote hr base noscript dl tr td""".split()
)
#: Common tags of HTML written inside text (a note pasted from a web page or an e-mail).
_INLINE_TAG = re.compile(
    r"</?(?:p|br|b|i|u|em|strong|span|div|a|font|td|tr|th|table|li|ul|ol|h[1-6]|sup|sub|small|big"
    r"|s|strike|del|ins|blockquote|img|hr|html|body|head|title|meta|style|script|center|pre|code"
    r"|tt|mark|q|cite|abbr|label|section|article|header|footer|nav|main|dd|dt|dl|caption|tbody"
    r"|thead|tfoot|iframe|object|embed|form|input|button|select|option|textarea|link|base|nobr|wbr)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(
    r"&(?:nbsp|amp|lt|gt|quot|apos|shy|zwj|zwnj|ndash|mdash|rsquo|lsquo|rdquo|ldquo|hellip|pound"
    r"|euro|copy|#\d{1,7}|#x[0-9a-f]{1,6});",
    re.IGNORECASE,
)
_LATEX_DOCUMENT = re.compile(r"^[ \t]*\\(?:documentclass|documentstyle)\b|^[ \t]*\\begin\s*\{document\}", re.MULTILINE)
#: LaTeX commands as they are used (with their argument), not as a text mentions them.
_LATEX_COMMAND = re.compile(
    r"\\(?:textbf|textit|texttt|textsc|textrm|textsf|emph|underline|section|subsection|subsubsection"
    r"|chapter|paragraph|footnote|cite|ref|label|href|url|mbox|hbox|hspace|vspace|usepackage|begin|end)"
    r"\*?\s*[{\[]"
)


def markup_kind(sample: bytes) -> str | None:
    """The markup kind of a text file's first bytes, or None for plain text."""
    text = _decode(sample)
    head = text.lstrip("\ufeff \t\r\n\f")
    if head.startswith("{\\rtf"):
        return "rtf"
    if head.startswith("%!PS") or head.startswith("\x04%!PS"):
        return "postscript"
    kind = _by_root(head)
    if kind is not None:
        return kind
    if _LATEX_DOCUMENT.search(text) or len(_LATEX_COMMAND.findall(text, 0, 65536)) >= 3:
        return "latex"
    tags = len(_INLINE_TAG.findall(text))
    entities = len(_ENTITY.findall(text))
    if tags >= 2 or entities >= 2 or (tags and entities):
        return "html"  # HTML inside a text file: read as HTML loses nothing (see readers/html.py)
    return None


def _by_root(head: str) -> str | None:
    """HTML, SVG or XML by what the file opens with (after any declaration and comments)."""
    declared = head.startswith("<?xml")
    prolog = _PROLOG.match(head)
    rest = head[prolog.end():] if prolog else head
    doctype = _DOCTYPE.match(rest)
    if doctype:
        name = doctype.group(1).lower()
        return name if name in ("html", "svg") else "xml"
    root = _ROOT.match(rest)
    if root is None:
        if declared:
            return "xml"
        return "html" if "<!--" in head[: len(head) - len(rest)] and not rest.strip() else None
    tag = root.group(1).lower()
    local = tag.rsplit(":", 1)[-1]
    if local == "svg":
        return "svg"
    if tag in _HTML_START or local == "html":
        return "html"
    if declared or f"</{root.group(1)}>" in rest or rest[: rest.find(">") + 1].endswith("/>"):
        return "xml"
    return None


def _decode(sample: bytes) -> str:
    """Enough of the text to see its markup: Unicode by its byte-order mark, else latin-1."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return sample[3:].decode("utf-8", "replace")
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if sample.startswith(bom):
            return sample[2 : 2 + (len(sample) - 2) // 2 * 2].decode(enc, "replace")
    if b"\x00" in sample[:4096]:
        enc = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return sample[: len(sample) // 2 * 2].decode(enc, "replace")
    return sample.decode("latin-1")
