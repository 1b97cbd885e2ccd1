"""OpenDocument XML parts turned into runs of text, each with its place, its flow and its source.

One walk serves the reader and the redactor: a `Run` is a piece of a flow at one place (part,
slide, sheet, cell), made of `Piece`s that each name the XML text node or attribute they came
from. The reader makes segments of the runs; the redactor cuts withheld spans out of the same
sources, so both see exactly the same text (docs/readers.md, "OpenDocument").

Where text hides in ODF, and what the walk calls it:
- paragraphs, headings, lists, tables, fields: the part's own (`body`, `header`, `footer`...);
  a spreadsheet's cells carry `sheet` (1-based) and `cell` ("B3", counting repeated rows and
  columns and covered cells), all cells of a sheet in one flow so a value split over adjacent
  cells still matches; a slide's text carries its `page` (the slide's number);
- hidden: text styles and paragraph styles with `text:display="none"`, `text:hidden-text`,
  `text:conditional-text`'s other value, `text:hidden-paragraph`, sections shown never or on a
  condition, fields with `text:display="none"`, hidden sheets, rows, columns, covered cells and
  hidden slides: `hidden-text`;
- notes (`footnote`/`endnote`), annotations (`comment`, with author), speaker notes (`comment`,
  field "speaker notes"), tracked changes (deleted text and every change record, and inserted
  text between its marks: `tracked-change`), frames and shapes (`textbox`; on a slide, the
  slide's `body`), alt text (`svg:title`, `svg:desc`: `image`), links (`xlink:href`: `link`),
  forms, user fields and validations (`form-field`), names of bookmarks, sections, sheets,
  ranges and slides and named expressions (`metadata`), formulas (their string literals),
  master pages (`header`/`footer` and the presentation header and footer declarations),
  meta.xml (`metadata`, field `dc:title`, `meta:user-defined`...), settings.xml (`metadata`,
  field `settings:<item>`), and any other XML (`metadata`: all its text and longer attributes).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Collection
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from .opendocument_schema import (
    ECHOES,
    NS,
    TEXT_ATTRIBUTES,
    VISIBLE,
    Piece,
    Place,
    Run,
    StyleIndex,
    cell_ref,
    column_hidden,
    column_runs,
    ns,
    repeat_count,
    rows_and_rest,
)

__all__ = ["walk_part"]

_P, _H, _SPAN, _A = ns("text:p"), ns("text:h"), ns("text:span"), ns("text:a")
_S, _TAB, _BREAK = ns("text:s"), ns("text:tab"), ns("text:line-break")
_NOTE, _ANNOTATION = ns("text:note"), ns("office:annotation")
_TRACKED = (ns("text:tracked-changes"), ns("table:tracked-changes"))
_CHANGE_START, _CHANGE_END = ns("text:change-start"), ns("text:change-end")
_HIDDEN_TEXT, _CONDITIONAL, _HIDDEN_PARAGRAPH = ns("text:hidden-text"), ns("text:conditional-text"), ns("text:hidden-paragraph")
_SECTION = ns("text:section")
_TABLE, _ROW, _CELL, _COVERED, _COLUMN = (ns("table:table"), ns("table:table-row"), ns("table:table-cell"),
                                         ns("table:covered-table-cell"), ns("table:table-column"))
_PAGE, _NOTES = ns("draw:page"), ns("presentation:notes")
_TITLE, _DESC = ns("svg:title"), ns("svg:desc")
_BINARY = ns("office:binary-data")
_MASTER_PAGE = ns("style:master-page")
_HEADERS = {ns("style:header"): "header", ns("style:header-left"): "header", ns("style:header-first"): "header",
            ns("style:footer"): "footer", ns("style:footer-left"): "footer", ns("style:footer-first"): "footer"}
_DECLS = {ns("presentation:header-decl"): "header", ns("presentation:footer-decl"): "footer",
          ns("presentation:date-time-decl"): "footer"}
_FORM_PLACES = {ns("office:forms"): "form", ns("text:user-field-decls"): "user field",
                ns("text:variable-decls"): "variable", ns("table:content-validations"): "validation"}
#: Drawing objects that hold text of their own (a frame's text box, a shape's paragraphs).
_SHAPES = {ns(f"draw:{local}") for local in (
    "frame", "text-box", "custom-shape", "rect", "ellipse", "circle", "polygon", "polyline", "path", "line",
    "connector", "caption", "measure", "regular-polygon", "control")}
_SHAPE_CLASSES = {"header": "header", "footer": "footer", "date-time": "footer", "page-number": "footer"}
_HREF = ns("xlink:href")
_GENERATOR = ns("meta:generator")
#: The producer's name, version and platform in `meta:generator` ("LibreOffice/7.4$Linux_X86_64").
_PRODUCT_SEPARATORS = re.compile(r"[/$_]+")
#: Elements of the text namespace that end a line: a note's number stands apart from its text.
_TEXT_BLOCKS = {ns("text:list-item"), ns("text:list-header"), ns("text:note-citation")}


def walk_part(root: Any, *, styles: StyleIndex, members: Collection[str], detail: str | None = None,
              echoes: bool = False) -> tuple[list[Run], list[tuple[Place, str]]]:
    """The runs of one XML part (content, styles, meta, settings or any other XML), and the
    base64 pictures it carries inline (`office:binary-data`) with their places.

    `members`: the package's member names, so that links to its own parts are not read as
    links; `detail`: what every run's place says it is in (an embedded object's folder);
    `echoes`: also the values that repeat their element's text (a cell's cached string), which
    a reader need not match twice but a redactor must clean."""
    walker = _Walker(styles, members, detail, echoes)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == ns("office:document-meta"):
        walker.meta(root)
    elif tag == ns("office:document-settings"):
        walker.settings(root)
    elif tag.startswith(f"{{{NS['office']}}}document"):
        walker.document(root)
    else:
        walker.other(root)
    walker.flush_all()
    return walker.runs, walker.binaries


class _Walker:
    def __init__(self, styles: StyleIndex, members: Collection[str], detail: str | None, echoes: bool):
        self.styles = styles
        self.echoes = echoes
        self.members = {m.rstrip("/") for m in members}
        self.detail = detail
        self.runs: list[Run] = []
        self.binaries: list[tuple[Place, str]] = []
        self.buffers: dict[str, list[tuple[Piece, Place]]] = {}
        self.flows = 0
        self.slides = False  # shapes on slides are the slide's body, not text boxes
        self.insertions: set[str] = set()
        self.open_insertions: set[str] = set()

    # ------------------------------------------------------------------ emitting

    def place(self, part: str = "body", **fields: Any) -> Place:
        detail = fields.pop("detail", None)
        if self.detail:
            detail = f"{self.detail}: {detail}" if detail else self.detail
        return Place(part, detail=detail, **fields)

    def new_flow(self, kind: str) -> str:
        self.flows += 1
        return f"{kind}:{self.flows}"

    def emit(self, text: str | None, place: Place, flow: str, source: tuple[Any, str] | None = None, whole: bool = False) -> None:
        if not text:
            return
        buffer = self.buffers.setdefault(flow, [])
        if not buffer and not text.strip():
            return  # white space between elements, not text
        if self.open_insertions and place.part in VISIBLE:
            place = replace(place, part="tracked-change")
        buffer.append((Piece(text, source, whole), place))

    def apart(self, text: str | None, place: Place, flow: str, source: tuple[Any, str] | None = None, whole: bool = False) -> None:
        """A value of its own (an attribute): a run between the flow's paragraphs."""
        if text and text.strip():
            self.flush(flow)
            self.emit(text, place, flow, source, whole)
            self.flush(flow)

    def flush(self, flow: str) -> None:
        buffer = self.buffers.pop(flow, [])
        run: Run | None = None
        for piece, place in buffer:
            if run is None or run.place != place:
                run = Run(flow, place)
                self.runs.append(run)
            run.pieces.append(piece)
        while self.runs and self.runs[-1].flow == flow and not self.runs[-1].text.strip():
            self.runs.pop()

    def flush_all(self) -> None:
        for flow in list(self.buffers):
            self.flush(flow)

    # ------------------------------------------------------------------ parts

    def document(self, root: Any) -> None:
        self.insertions = {
            region.get(ns("text:id")) or "" for region in root.iter(ns("text:changed-region"))
            if region.find(ns("text:insertion")) is not None
        }
        for child in root.iterchildren():
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == ns("office:body"):
                for body in child.iterchildren():
                    self.body(body)
            elif tag == ns("office:master-styles"):
                for master in child.iterchildren():
                    self.master(master)
            elif tag == ns("office:meta"):
                self.meta(root)
            elif tag == ns("office:settings"):
                self.settings(root)
            else:  # styles, fonts, scripts, forms outside the body: whatever text they hold
                self.node(child, self.place("metadata", detail=_local(tag)), "definitions")
        self.flush_all()

    def body(self, body: Any) -> None:
        tag = body.tag if isinstance(body.tag, str) else ""
        self.slides = tag in (ns("office:presentation"), ns("office:drawing"))
        if tag == ns("office:spreadsheet"):
            sheet = 0
            for child in body.iterchildren():
                if child.tag == _TABLE:
                    sheet += 1
                    self.sheet(child, sheet)
                else:
                    self.node(child, self.place(), "body")
        elif self.slides:
            slide = 0
            for child in body.iterchildren():
                if child.tag == _PAGE:
                    slide += 1
                    self.slide(child, slide)
                else:
                    self.node(child, self.place(), "body")
        else:
            self.node(body, self.place(), "body")

    def master(self, master: Any) -> None:
        """A master page: headers and footers of every kind (first, left), a slide master's shapes."""
        flow = self.new_flow("master")
        # a slide master's shapes are on every slide: the slides' own text, not text boxes
        slides, self.slides = self.slides, True
        if master.tag != _MASTER_PAGE:
            self.node(master, self.place(detail="master page"), flow)
        for child in master.iterchildren() if master.tag == _MASTER_PAGE else ():
            part = _HEADERS.get(child.tag)
            if part is not None:
                self.node(child, self.place(part), self.new_flow(part))
            else:
                self.node(child, self.place(detail="master page"), flow)
        self.slides = slides

    def slide(self, page: Any, number: int) -> None:
        hidden = page.get(ns("presentation:visibility")) == "hidden" or self.styles.hidden(
            "drawing-page", page.get(ns("draw:style-name")))
        place = self.place(page=number)
        if hidden:
            place = place.hidden()
        flow = f"slide:{number}"
        self.attributes(page, place, flow)
        self.content(page, place, flow)
        self.flush(flow)

    def sheet(self, table: Any, number: int) -> None:
        """A spreadsheet's table: every cell with its reference, in one flow."""
        hidden = table.get(ns("table:display")) == "false" or self.styles.hidden("table", table.get(ns("table:style-name")))
        flow = f"sheet:{number}"
        name = table.get(ns("table:name"))
        self.apart(name, self.place("metadata", sheet=number, detail="sheet name"), f"sheet-name:{number}", (table, ns("table:name")))
        columns = column_runs(table)
        row = 0
        base = self.place(sheet=number)
        for el in rows_and_rest(table):
            if el.tag == _ROW:
                repeat = repeat_count(el, ns("table:number-rows-repeated"))
                row_hidden = hidden or el.get(ns("table:visibility")) in ("collapse", "filter")
                self.row(el, row, row_hidden, columns, base, flow)
                row += repeat
            elif el.tag != _COLUMN:
                self.node(el, base.hidden() if hidden else base, flow)
        self.flush(flow)

    def row(self, el: Any, row: int, hidden: bool, columns: list[tuple[int, bool]], base: Place, flow: str) -> None:
        column = 0
        for cell in el.iterchildren():
            if cell.tag not in (_CELL, _COVERED):
                self.node(cell, base, flow)
                continue
            repeat = repeat_count(cell, ns("table:number-columns-repeated"))
            if len(cell) or (cell.text or "").strip() or any(k in TEXT_ATTRIBUTES for k in cell.attrib):
                place = replace(base, cell=cell_ref(column, row))
                if hidden or cell.tag == _COVERED or column_hidden(columns, column):
                    place = place.hidden()
                self.attributes(cell, place, flow)
                self.content(cell, place, flow)
                self.flush(flow)
            column += repeat

    def meta(self, root: Any) -> None:
        """meta.xml: every property, a user-defined one with its name."""
        for props in root.iter(ns("office:meta")):
            for el in props.iterchildren():
                if not isinstance(el.tag, str):
                    continue
                prefix = "dc" if el.tag.startswith(f"{{{NS['dc']}}}") else "meta"
                place = self.place("metadata", detail=f"{prefix}:{_local(el.tag)}")
                flow = self.new_flow("metadata")
                self.attributes(el, place, flow)
                if el.tag == _GENERATOR and el.text:  # "Name/Version$Platform": read as its words
                    self.emit(_PRODUCT_SEPARATORS.sub(" ", el.text), place, flow, (el, "text"), whole=True)
                else:
                    self.content(el, place, flow)
                self.flush(flow)

    def settings(self, root: Any) -> None:
        """settings.xml: string items (printer, data source and sheet names) and the printable
        text of binary items (a printer set-up names the printer and its driver)."""
        for el in root.iter(ns("config:config-item"), ns("config:config-item-map-entry")):
            key = el.get(ns("config:name")) or ""
            flow = self.new_flow("settings")
            if el.tag == ns("config:config-item-map-entry"):
                self.apart(key, self.place("metadata", detail="settings:entry"), flow, (el, ns("config:name")))
                continue
            place = self.place("metadata", detail=f"settings:{key}"[:80])
            kind = el.get(ns("config:type"))
            if kind == "string":
                self.apart(el.text, place, flow, (el, "text"))
            elif kind == "base64Binary" and el.text:
                self.apart(_printable(el.text), place, flow, (el, "text"), whole=True)

    def other(self, root: Any) -> None:
        """XML the format does not define here (RDF, signatures, dialogs): all its text and
        its longer attribute values."""
        picture = isinstance(root.tag, str) and _local(root.tag) == "svg"
        place = self.place("image" if picture else "metadata", detail="xml")
        flow = self.new_flow("xml")
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            self.emit(el.text, place, flow, (el, "text"))
            for key, value in el.attrib.items():
                if len(value) > 3 and " " in value:
                    self.apart(value, place, flow, (el, key))
            self.emit(el.tail, place, flow, (el, "tail"))
        self.flush(flow)

    # ------------------------------------------------------------------ elements

    def content(self, el: Any, place: Place, flow: str) -> None:
        """An element's text and children, each child's tail at the element's own place."""
        self.emit(el.text, place, flow, (el, "text"))
        for child in el.iterchildren():
            if isinstance(child.tag, str):
                self.node(child, place, flow)
            self.emit(child.tail, place, flow, (child, "tail"))

    def node(self, el: Any, place: Place, flow: str) -> None:  # noqa: C901 - one branch per ODF construct
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == _S:
            self.emit(" " * min(repeat_count(el, ns("text:c")), 1000), place, flow)
            return
        if tag == _TAB:
            self.emit("\t", place, flow)
            return
        if tag == _BREAK:
            self.emit("\n", place, flow)
            return
        if tag == _CHANGE_START or tag == _CHANGE_END:
            change = el.get(ns("text:change-id")) or ""
            if change in self.insertions:
                (self.open_insertions.add if tag == _CHANGE_START else self.open_insertions.discard)(change)
            return
        if tag == _BINARY:
            self.binaries.append((replace(place, part="image"), el.text or ""))
            return
        if tag == _HIDDEN_TEXT or el.get(ns("text:display")) in ("none", "condition") or _style_hidden(self.styles, el):
            place = place.hidden()
        self.attributes(el, place, flow)
        if tag == _P or tag == _H:
            if any(c.tag == _HIDDEN_PARAGRAPH and c.get(ns("text:is-hidden")) != "false" for c in el.iterchildren()):
                place = place.hidden()
            self.content(el, place, flow)
            self.flush(flow)
        elif tag == _NOTE:
            part = "endnote" if el.get(ns("text:note-class")) == "endnote" else "footnote"
            inner = self.new_flow(part)
            self.content(el, replace(place, part=part, detail=None), inner)
            self.flush(inner)
        elif tag == _ANNOTATION:
            inner = self.new_flow("comment")
            self.content(el, replace(place, part="comment", detail=None), inner)
            self.flush(inner)
        elif tag in _TRACKED:
            for region in el.iterchildren():
                inner = self.new_flow("tracked-change")
                self.node(region, replace(place, part="tracked-change"), inner)
                self.flush(inner)
        elif tag == _CONDITIONAL:
            self.content(el, place.hidden() if el.get(ns("text:is-hidden")) == "true" else place, flow)
        elif tag == _SECTION and el.get(ns("text:condition")):
            self.content(el, place.hidden(), flow)
        elif tag == _TITLE or tag == _DESC:
            inner = self.new_flow("alt")
            self.content(el, replace(place, part="image", detail="alt text"), inner)
            self.flush(inner)
        elif tag == _NOTES:
            inner = self.new_flow("notes")
            self.content(el, replace(place, part="comment", detail="speaker notes"), inner)
            self.flush(inner)
        elif tag in _DECLS:
            inner = self.new_flow(_DECLS[tag])
            self.content(el, replace(place, part=_DECLS[tag]), inner)
            self.flush(inner)
        elif tag in _FORM_PLACES:
            self.content(el, replace(place, part="form-field", detail=_FORM_PLACES[tag]), flow)
            self.flush(flow)
        elif tag in _SHAPES:
            self.shape(el, place, flow)
        elif tag == _TABLE and el.get(ns("table:display")) == "false":
            self.content(el, place.hidden(), flow)
            self.flush(flow)
        elif tag == _COVERED and len(el):
            self.content(el, place.hidden(), flow)
            self.flush(flow)
        else:
            self.content(el, place, flow)
            if not tag.startswith(f"{{{NS['text']}}}") or tag in _TEXT_BLOCKS:
                self.flush(flow)

    def shape(self, el: Any, place: Place, flow: str) -> None:
        """A frame or shape: on a slide, the slide's text (its header or footer by class);
        elsewhere a text box of its own."""
        role = _SHAPE_CLASSES.get(el.get(ns("presentation:class")) or "")
        if self.slides:
            self.flush(flow)
            self.content(el, place if role is None else replace(place, part=role), flow)
            self.flush(flow)
            return
        if place.part in VISIBLE and place.part != "form-field":
            place = replace(place, part="textbox")
        inner = self.new_flow("textbox")
        self.content(el, place, inner)
        self.flush(inner)

    def attributes(self, el: Any, place: Place, flow: str) -> None:
        """The element's text-bearing attributes and its link, each a flow of its own (a
        bookmark's name must not come between the words of the paragraph it marks)."""
        text: str | None = None
        for key, value in el.attrib.items():
            if key == _HREF:
                self.link(el, value, place)
                continue
            target = TEXT_ATTRIBUTES.get(key)
            if target is None or not value.strip():
                continue
            if key in ECHOES and not self.echoes:
                if text is None:
                    text = "".join(el.itertext())
                if value.strip() in text:
                    continue
            part, detail = target
            at = place if part is None else replace(place, part=part)
            if detail is not None:
                at = replace(at, detail=f"{self.detail}: {detail}" if self.detail else detail)
            self.apart(value, at, self.new_flow("attribute"), (el, key))

    def link(self, el: Any, href: str, place: Place) -> None:
        target = href.strip()
        if not target or _package_path(target) in self.members:
            return  # a picture or object of this package, read as a part of its own
        self.apart(unquote(target), replace(place, part="link", detail=None), self.new_flow("link"), (el, _HREF), whole=True)


_STYLE_FAMILIES = {_SPAN: "text", _A: "text", _P: "paragraph", _H: "paragraph", _SECTION: "section"}


def _style_hidden(styles: StyleIndex, el: Any) -> bool:
    family = _STYLE_FAMILIES.get(el.tag)
    if family is None:
        return False
    return styles.hidden(family, el.get(ns("text:style-name")))


def _package_path(target: str) -> str:
    path = unquote(target)
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag else "xml"


_PRINTABLE = re.compile(rb"[\x20-\x7e]{4,}")


def _printable(encoded: str) -> str:
    """The printable runs of a base64 setting (a printer set-up's names)."""
    try:
        raw = base64.b64decode(encoded, validate=False)
    except ValueError:
        return ""
    return "\n".join(m.group().decode("ascii") for m in _PRINTABLE.finditer(raw))
