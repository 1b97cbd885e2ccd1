"""The OpenDocument vocabulary the walk needs: namespaces, which attributes hold text and where
it goes, which styles hide what they format, and a spreadsheet table's geometry (repeated and
hidden columns, row groups, "A1" references); and the run of text the walk makes of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..document import Location

__all__ = ["NS", "ns", "TEXT_ATTRIBUTES", "ECHOES", "VISIBLE", "Place", "Piece", "Run", "StyleIndex", "cell_ref",
           "repeat_count", "column_runs", "column_hidden", "rows_and_rest"]

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "form": "urn:oasis:names:tc:opendocument:xmlns:form:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "chart": "urn:oasis:names:tc:opendocument:xmlns:chart:1.0",
}


def ns(qname: str) -> str:
    """"text:p" in Clark notation ("{urn:...text:1.0}p")."""
    prefix, _, local = qname.partition(":")
    return f"{{{NS[prefix]}}}{local}"


#: Parts a person sees; hidden text in them is `hidden-text`.
VISIBLE = frozenset({"body", "header", "footer", "footnote", "endnote", "comment", "textbox", "form-field"})
_COLUMN = ns("table:table-column")
_ROW_GROUPS = {ns("table:table-row-group"), ns("table:table-header-rows"), ns("table:table-rows")}
_COLUMN_GROUPS = {ns("table:table-column-group"), ns("table:table-header-columns"), ns("table:table-columns")}
#: Repeat counts beyond any real sheet (1,048,576 rows, 16,384 columns) are clamped.
_MAX_REPEAT = 1 << 24
#: Where each text-bearing attribute's value goes: a part, or None for the element's own place.
TEXT_ATTRIBUTES: dict[str, tuple[str | None, str | None]] = {
    ns("office:string-value"): (None, None),
    ns("text:string-value"): (None, None),
    ns("text:string-value-if-true"): ("hidden-text", "conditional text"),
    ns("text:string-value-if-false"): ("hidden-text", "conditional text"),
    ns("text:condition"): (None, "condition"),
    ns("text:formula"): (None, "formula"),
    ns("table:formula"): (None, "formula"),
    ns("text:description"): (None, "description"),
    ns("xlink:title"): (None, "title"),
    ns("office:title"): (None, "title"),
    ns("form:value"): ("form-field", None),
    ns("form:current-value"): ("form-field", None),
    ns("form:label"): ("form-field", None),
    ns("form:title"): ("form-field", None),
    ns("text:label"): (None, "label"),
    ns("table:condition"): (None, "condition"),
    ns("table:expression"): ("metadata", "named expression"),
    ns("table:value"): ("metadata", "filter value"),
    ns("office:dde-topic"): ("link", "dde"),
    ns("office:dde-item"): ("link", "dde"),
    ns("text:name"): ("metadata", "name"),
    ns("table:name"): ("metadata", "name"),
    ns("draw:name"): ("metadata", "name"),
    ns("form:name"): ("metadata", "name"),
    ns("office:name"): ("metadata", "name"),
    ns("presentation:name"): ("metadata", "name"),
    ns("meta:name"): ("metadata", "name"),
}
#: Values that usually repeat the element's own text (a cell's cached string, a field's value).
ECHOES = {ns("office:string-value"), ns("text:string-value")}

@dataclass(frozen=True)
class Place:
    """Where a run sits: contract §4 location fields."""

    part: str = "body"
    page: int | None = None
    sheet: int | None = None
    cell: str | None = None
    detail: str | None = None

    def location(self) -> Location:
        return Location(part=self.part, page=self.page, sheet=self.sheet, cell=self.cell, detail=self.detail)

    def hidden(self) -> Place:
        return replace(self, part="hidden-text") if self.part in VISIBLE else self


@dataclass
class Piece:
    """Text from one source: (element, "text" | "tail" | an attribute's name), or None for
    characters the format implies (a `text:s` space, a tab). `whole`: the text is decoded from
    the source (percent-encoding, base64), so a match in it takes the whole source."""

    text: str
    source: tuple[Any, str] | None = None
    whole: bool = False


@dataclass
class Run:
    """Consecutive text of one flow at one place: one segment."""

    flow: str
    place: Place
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


class StyleIndex:
    """Which named styles hide what they format, through their parents (`style:parent-style-name`)."""

    def __init__(self, roots: list[Any]):
        self.styles: dict[tuple[str, str], tuple[bool, str | None]] = {}
        for root in roots:
            for el in root.iter(ns("style:style")):
                family, name = el.get(ns("style:family")) or "", el.get(ns("style:name")) or ""
                self.styles[(family, name)] = (_hides(el), el.get(ns("style:parent-style-name")))

    def hidden(self, family: str, name: str | None) -> bool:
        seen = 0
        while name and seen < 32:
            hides, name = self.styles.get((family, name), (False, None))
            if hides:
                return True
            seen += 1
        return False


def _hides(style: Any) -> bool:
    for props in style.iterchildren():
        if props.get(ns("text:display")) in ("none", "condition"):
            return True
        if props.get(ns("table:display")) == "false" or props.get(ns("presentation:visibility")) == "hidden":
            return True
    return False


def cell_ref(column: int, row: int) -> str:
    """"A1" for 0-based column and row."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def repeat_count(el: Any, attr: str) -> int:
    try:
        return min(max(int(el.get(attr) or 1), 1), _MAX_REPEAT)
    except ValueError:
        return 1


def column_runs(table: Any) -> list[tuple[int, bool]]:
    """(first column, hidden) for each run of column definitions, in order."""
    out: list[tuple[int, bool]] = []
    column = 0
    stack = list(reversed(list(table.iterchildren())))
    while stack:
        el = stack.pop()
        if el.tag == _COLUMN:
            out.append((column, el.get(ns("table:visibility")) in ("collapse", "filter")))
            column += repeat_count(el, ns("table:number-columns-repeated"))
        elif el.tag in _COLUMN_GROUPS:
            stack.extend(reversed(list(el.iterchildren())))
    return out


def column_hidden(columns: list[tuple[int, bool]], column: int) -> bool:
    hidden = False
    for first, flag in columns:
        if first > column:
            break
        hidden = flag
    return hidden


def rows_and_rest(table: Any) -> list[Any]:
    """A table's children with row groups opened, in document order."""
    out: list[Any] = []
    stack = list(reversed(list(table.iterchildren())))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _COLUMN_GROUPS:
            continue
        if el.tag in _ROW_GROUPS:
            stack.extend(reversed(list(el.iterchildren())))
        else:
            out.append(el)
    return out


