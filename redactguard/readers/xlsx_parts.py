"""What workbooks and presentations share: relationships, which sheet or slide owns a part, the
text of DrawingML paragraphs, and the text of XML parts no walker knows.

Both packages are trees of parts joined by relationships (`_rels/*.rels`): a sheet points at
its comments, drawing and tables, a drawing at its charts and pictures; a slide at its notes,
comments and charts. A part is located on the sheet (or slide) that reaches it first, so a
chart's title is reported on the sheet it sits on. Element names are compared by local name,
so transitional and strict OOXML (another namespace for the same elements) read alike.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ..document import Location, Segment
from .docx import DocxPackage, parse_xml

__all__ = ["Package", "Rel", "local", "keeps_attr", "xml_texts", "vml_texts", "paragraphs", "cell_name", "column_number"]

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Attributes that hold text a person typed (pivot items, names, prompts, alt text, tooltips...).
_TEXT_ATTRS = frozenset({
    "v", "name", "displayName", "caption", "prompt", "promptTitle", "error", "errorTitle", "descr",
    "title", "tooltip", "display", "userName", "uniqueName", "text", "comment", "description",
    "connection", "command", "sourceFile", "url", "val", "totalsRowLabel", "author", "initials",
    "formatCode", "refersTo", "sheetName", "odcFile", "location",
})


def local(el: Any) -> str:
    """An element's or attribute's name without its namespace."""
    tag = el if isinstance(el, str) else el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str  # a part name inside the package, or the external target as written
    external: bool


@dataclass
class Package:
    """The zip (with DocxPackage's limits) and its relationships, each .rels read once."""

    zip: DocxPackage
    _rels: dict[str, dict[str, Rel]] = field(default_factory=dict)

    @property
    def types(self) -> dict[str, str]:
        return self.zip.types

    def xml(self, name: str) -> Any:
        return parse_xml(self.zip.read(name))

    def rels(self, part: str) -> dict[str, Rel]:
        """The relationships of `part` ("" for the package's own), by id."""
        if part not in self._rels:
            folder, base = posixpath.split(part)
            name = posixpath.join(folder, "_rels", base + ".rels")
            found: dict[str, Rel] = {}
            if name in self.types:
                for rel in self.xml(name).iter(f"{_REL}Relationship"):
                    target = rel.get("Target") or ""
                    external = rel.get("TargetMode") == "External"
                    if not external:
                        target = _resolve(folder, target)
                    found[rel.get("Id") or ""] = Rel(rel.get("Id") or "", rel.get("Type") or "", target, external)
            self._rels[part] = found
        return self._rels[part]

    def owners(self, roots: list[tuple[str, int]], shared: tuple[str, ...] = ()) -> dict[str, int]:
        """Each part reachable from a root (a sheet, a slide) by internal relationships, mapped
        to the first root (in the given order) that reaches it. Relationships whose type ends
        with one of `shared` lead to parts many roots share (a slide's layout): not followed."""
        owner: dict[str, int] = {}
        root_names = {name for name, _ in roots}
        for name, number in roots:
            owner.setdefault(name, number)
            todo = [name]
            while todo:
                part = todo.pop()
                for rel in self.rels(part).values():
                    if rel.external or rel.target in owner or rel.target in root_names or rel.type.endswith(shared):
                        continue
                    owner[rel.target] = number
                    todo.append(rel.target)
        return owner

    def links(self, rels_part: str, location: Location) -> Iterator[Segment]:
        """External relationship targets of one .rels part (hyperlinks, linked files), percent-decoded."""
        for rel in self.xml(rels_part).iter(f"{_REL}Relationship"):
            if rel.get("TargetMode") == "External" and rel.get("Target"):
                yield Segment(unquote(rel.get("Target")), location, flow=f"link:{rels_part}:{rel.get('Id')}")


def _resolve(folder: str, target: str) -> str:
    target = unquote(target)
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path).lstrip("/")


def keeps_attr(name: str, value: str) -> bool:
    value = value.strip()
    if not value:
        return False
    return name in _TEXT_ATTRS or (len(value) > 3 and (" " in value or "@" in value))


def xml_texts(root: Any, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every text node and every attribute that can hold typed text, in document order,
    leaving out the subtrees whose local names are in `skip`."""
    out: list[str] = []

    def visit(el: Any) -> None:
        if not isinstance(el.tag, str) or local(el) in skip:
            return
        out.extend(v for k, v in el.attrib.items() if keeps_attr(local(k), v))
        if el.text and el.text.strip():
            out.append(el.text.strip())
        for child in el:
            visit(child)
            if child.tail and child.tail.strip():
                out.append(child.tail.strip())

    visit(root)
    return out


def vml_texts(data: bytes) -> list[str]:
    """The text of a legacy VML drawing (comment boxes, form controls, text boxes). Office
    writes HTML-ish VML (`<br>` unclosed) that is not always XML: then its text is read with
    the tags stripped. A DTD is still refused."""
    import html

    from ..errors import UnreadableDocument

    try:
        return xml_texts(parse_xml(data))
    except UnreadableDocument as exc:
        if exc.code != "corrupt":
            raise
    stripped = re.sub(r"<[^>]*>", "\n", data.decode("utf-8", "replace"))
    return [t.strip() for t in html.unescape(stripped).splitlines() if t.strip()]


def paragraphs(body: Any) -> str:
    """A DrawingML text body (`a:txBody`, `xdr:txBody`, `p:txBody`) as lines: one per `a:p`,
    runs joined as written, `a:br` a line break, fields (`a:fld`, slide numbers, dates) as text."""
    lines = []
    for para in (el for el in body.iter() if local(el) == "p"):
        pieces = []
        for el in para.iter():
            name = local(el)
            if name == "t" and el.text:
                pieces.append(el.text)
            elif name == "br":
                pieces.append("\n")
        lines.append("".join(pieces))
    return "\n".join(lines).strip("\n")


_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def cell_name(column: int, row: int) -> str:
    """"A12" for column 1, row 12 (both 1-based)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def first_cell(ref: str | None) -> str | None:
    """The first cell of a reference or range list ("B2:C4 E5" -> "B2")."""
    m = _CELL.search(ref or "")
    return f"{m.group(1).upper()}{m.group(2)}" if m else None
