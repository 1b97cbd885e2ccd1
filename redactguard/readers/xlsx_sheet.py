"""One worksheet (or chartsheet, dialog or macro sheet): its cells, formulas, headers and
footers, data validation, hyperlinks and every other text the sheet part holds.

The cells of a sheet are one flow, row by row, so an address typed across neighbouring cells
("14 Cherry" | "Tree Road") is matched whole; each cell is its own segment, so a finding names
the cell where its text starts. A cell on a hidden sheet, in a hidden row or a hidden column
(hidden, or with no height or width) is `hidden-text`, in the same flow. Formulas are a flow of
their own (their string literals are text: `="07700 "&"900461"`), beside the cached results.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .xlsx_parts import cell_name, column_number, first_cell, local, xml_texts

__all__ = ["sheet_segments", "string_item", "HF_CODE", "HF_SECTION", "HF_PARTS"]

_TRUE = ("1", "true")
_REF = re.compile(r"([A-Za-z]{1,3})(\d+)")
#: Header/footer codes (&L &C &R sections, &P page, &"font,style", &K colour...): not text.
HF_CODE = re.compile(r'&(?:"[^"]*"|K[0-9A-Fa-f]{6}|K\d\d[+-]\d{3}|[LCR]|[PNDTFAZGBIUESXYH]|\d+)')
HF_SECTION = re.compile(r"&[LCR]")
HF_PARTS = {"oddHeader": "header", "evenHeader": "header", "firstHeader": "header",
             "oddFooter": "footer", "evenFooter": "footer", "firstFooter": "footer"}
_VALIDATION_ATTRS = ("promptTitle", "prompt", "errorTitle", "error")


def string_item(si: Any) -> str:
    """The text of a shared string or inline string (`si`, `is`): its runs, then its phonetic
    readings (`rPh`, shown above East Asian text) after a space."""
    main: list[str] = []
    phonetic: list[str] = []
    for el in si.iter():
        if local(el) == "t" and el.text:
            parent = el.getparent()
            (phonetic if parent is not None and local(parent) == "rPh" else main).append(el.text)
    text = "".join(main)
    return text + (" " + " ".join(phonetic) if phonetic else "")


def sheet_segments(root: Any, sheet: int | None, hidden: bool, strings: list[str], ctx: ReadContext) -> Iterator[Segment]:
    """Every text of one sheet part. `hidden` for a hidden or very hidden sheet."""
    columns = _hidden_columns(root)
    for el in root:
        name = local(el)
        if name == "sheetData":
            yield from _cells(el, sheet, hidden, columns, strings, ctx)
        elif name == "headerFooter":
            yield from _headers(el, sheet)
    yield from _validations(root, sheet)
    yield from _hyperlinks(root, sheet)
    rest = xml_texts(root, frozenset({"sheetData", "headerFooter", "dataValidation", "hyperlink"}))
    if rest:
        yield Segment("\n".join(rest), Location(part="hidden-text" if hidden else "body", sheet=sheet, detail="sheet settings"),
                      flow=f"sheet-settings:{sheet}")


def _hidden_columns(root: Any) -> list[tuple[int, int]]:
    spans = []
    for col in root.iter():
        if local(col) != "col":
            continue
        if col.get("hidden") in _TRUE or (col.get("width") is not None and _number(col.get("width")) == 0):
            try:
                spans.append((int(col.get("min") or 0), int(col.get("max") or 0)))
            except ValueError:
                raise UnreadableDocument("corrupt", "a sheet's column list is damaged") from None
    return spans


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _cells(data: Any, sheet: int | None, hidden: bool, columns: list[tuple[int, int]], strings: list[str],
           ctx: ReadContext) -> Iterator[Segment]:
    flow, formulas = f"sheet:{sheet}", f"formula:{sheet}"
    row_no = 0
    for row in data:
        if local(row) != "row":
            continue
        ctx.check_time()
        row_no = _int(row.get("r"), row_no + 1)
        row_hidden = row.get("hidden") in _TRUE or (row.get("customHeight") in _TRUE and _number(row.get("ht")) == 0)
        col_no = 0
        for cell in row:
            if local(cell) != "c":
                continue
            m = _REF.fullmatch(cell.get("r") or "")
            col_no = column_number(m.group(1)) if m else col_no + 1
            ref = cell_name(col_no, row_no)
            concealed = hidden or row_hidden or any(lo <= col_no <= hi for lo, hi in columns)
            part = "hidden-text" if concealed else "body"
            text, formula = _cell_text(cell, strings)
            if text and text.strip():
                yield Segment(text, Location(part=part, sheet=sheet, cell=ref), flow=flow)
            if formula and formula.strip():
                yield Segment(formula, Location(part=part, sheet=sheet, cell=ref, detail="formula"), flow=formulas)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _cell_text(cell: Any, strings: list[str]) -> tuple[str, str]:
    kind = cell.get("t") or "n"
    value, formula, inline = "", "", None
    for el in cell:
        name = local(el)
        if name == "v":
            value = el.text or ""
        elif name == "f":
            formula = el.text or ""
        elif name == "is":
            inline = el
    if kind == "s" and value.strip():
        try:
            return strings[int(value)], formula
        except (ValueError, IndexError):
            raise UnreadableDocument("corrupt", "a cell points at a shared string that does not exist") from None
    if inline is not None:
        return string_item(inline), formula
    return value, formula


def _headers(el: Any, sheet: int | None) -> Iterator[Segment]:
    for child in el:
        part = HF_PARTS.get(local(child))
        if part is None or not (child.text or "").strip():
            continue
        raw = child.text
        where = Location(part=part, sheet=sheet, detail=local(child))
        text = HF_CODE.sub(" ", HF_SECTION.sub("\n", raw.replace("&&", "\x00"))).replace("\x00", "&")
        yield Segment(text, where, flow=f"{part}:{sheet}:{local(child)}")
        if re.search(r"&\d", raw):
            # a font size code (&12) runs into text that starts with a digit ("&1214 Cherry..."):
            # read it a second way, with the digits kept, so neither reading escapes
            digits = re.sub(r"&(?=\d)", " ", raw)
            yield Segment(HF_CODE.sub(" ", digits), where, flow=f"{part}:{sheet}:{local(child)}:digits")


def _validations(root: Any, sheet: int | None) -> Iterator[Segment]:
    """Data validation (the sheet's own and Excel 2010's `x14` ones in extLst): list values
    (`formula1` holds the list literally: "Yes,No"), input prompts and error messages."""
    for number, dv in enumerate((el for el in root.iter() if local(el) == "dataValidation"), start=1):
        texts = [dv.get(a) for a in _VALIDATION_ATTRS if (dv.get(a) or "").strip()]
        sqref = dv.get("sqref")
        for child in dv.iter():
            name = local(child)
            if name == "sqref" and child.text:
                sqref = child.text
            elif name in ("formula1", "formula2", "f") and (child.text or "").strip():
                texts.append(child.text.strip())
        if texts:
            where = Location(part="form-field", sheet=sheet, cell=first_cell(sqref), detail="data validation")
            yield Segment("\n".join(texts), where, flow=f"validation:{sheet}:{number}")


def _hyperlinks(root: Any, sheet: int | None) -> Iterator[Segment]:
    for number, link in enumerate((el for el in root.iter() if local(el) == "hyperlink"), start=1):
        texts = [link.get(a) for a in ("location", "display", "tooltip") if (link.get(a) or "").strip()]
        if texts:
            where = Location(part="link", sheet=sheet, cell=first_cell(link.get("ref")))
            yield Segment("\n".join(texts), where, flow=f"hyperlink:{sheet}:{number}")
