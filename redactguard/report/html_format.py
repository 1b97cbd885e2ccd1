"""A self-contained HTML report to look at: each document, its flagged pages as thumbnails with
the findings boxed, and its findings with masked excerpts; filters by severity and item.

One file and nothing else: CSS inline, pictures as data: URIs, no script, no address to fetch,
so it can be attached to a ticket. The filters are checkboxes and CSS (`:has()`); a browser
without it shows everything, with the filters hidden.

The pictures are made from the documents as they were scanned: a PDF or a picture at its path
(or in `sources`) is used only when its bytes still have the sha256 the report records, so the
boxes are drawn on what was checked. A member of a zip, an attachment or a document that has
moved or changed gets no picture; its findings are listed as always. What a thumbnail may show
is in `thumbnails`: the layout only, never a word.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping
from html import escape

from ..findings import DocumentResult, Finding, Report
from ..vocabulary import Part
from . import where
from .thumbnails import Mark, Thumbnail, thumbnails

__all__ = ["render", "MAX_PICTURED_PAGES", "MAX_SOURCE_BYTES"]

#: Pages pictured in one report; past it, findings are listed without pictures.
MAX_PICTURED_PAGES = 300
#: A document larger than this is not read again for pictures.
MAX_SOURCE_BYTES = 256 * 1024 * 1024
_PICTURED_TYPES = ("pdf", "image")
#: Parts that have no place on a page's picture.
_UNPICTURED_PARTS = (Part.ATTACHMENT, Part.METADATA, Part.IMAGE_METADATA)

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:75rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.blocked{color:#fff;background:#b00020}.review{background:#ffd54f}
.unreadable{color:#fff;background:#5d4037}.clean{background:#c8e6c9}
.status{padding:.1rem .4rem;border-radius:3px;font-weight:600}code{font-size:.9em}
td.sev-block{color:#fff;background:#b00020}td.sev-review{background:#ffd54f}
.filters{display:none;border:1px solid #ccc;padding:.5rem 1rem;margin:1rem 0}
.filters fieldset{border:0;display:inline-block;margin:0 2rem 0 0;padding:0}
.filters label{margin-right:1rem;white-space:nowrap}
.pages{display:flex;flex-wrap:wrap;gap:1rem;margin:.5rem 0}
.page{margin:0}.sheet{position:relative;display:block;border:1px solid #888}
.sheet img{display:block}figcaption{font-size:.85rem;color:#444;max-width:12rem}
.box{position:absolute;box-sizing:border-box;background:#000;outline:2px solid #b00020}
.box.sev-review{outline-color:#f9a825}
"""


def render(report: Report, *, sources: Mapping[str, bytes] | None = None) -> str:
    """The report as one HTML page. `sources`: the scanned bytes by document path, for
    documents that were not scanned from files (default: read each document's path)."""
    items = _items(report)
    budget = [MAX_PICTURED_PAGES]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>redactguard report</title>",
        f"<style>{_CSS}{_filter_css(report, items)}</style></head><body>",
        "<h1>redactguard report</h1>",
        f"<p>Case <strong>{escape(report.case or '(no order)')}</strong>; recipient "
        f"<strong>{escape(report.recipient or 'any party an item is withheld from')}</strong>.</p>",
        _summary(report),
        _filters(report, items),
    ]
    for number, doc in enumerate(report.documents):
        out.append(_document(number, doc, items, _pictures(doc, sources, budget)))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _summary(report: Report) -> str:
    counts = {k: v for k, v in report.summary().items() if isinstance(v, int)}
    head = "".join(f"<th>{escape(k)}</th>" for k in counts)
    row = "".join(f"<td>{v}</td>" for v in counts.values())
    return f"<table><tr>{head}</tr><tr>{row}</tr></table>"


def _label(f: Finding) -> str:
    return f.item or f"generic {f.kind}"


def _items(report: Report) -> dict[str, int]:
    """Each item or generic kind found, the order's items first, numbered for the filters."""
    labels = {_label(f): f.item is None for doc in report.documents for f in doc.findings}
    return {label: n for n, label in enumerate(sorted(labels, key=lambda k: (labels[k], k)))}


def _severities(report: Report) -> list[str]:
    found = {f.severity for doc in report.documents for f in doc.findings}
    return sorted(found, key=lambda s: (s != "block", s))


def _filters(report: Report, items: dict[str, int]) -> str:
    if not items:
        return ""
    severities = "".join(
        f'<label><input type="checkbox" id="sev-{escape(s)}" checked> {escape(s)}</label>' for s in _severities(report))
    kinds = "".join(
        f'<label><input type="checkbox" id="it-{n}" checked> {escape(label)}</label>' for label, n in items.items())
    return ('<div class="filters"><fieldset><legend>Severity</legend>' + severities + "</fieldset>"
            '<fieldset><legend>Item</legend>' + kinds + "</fieldset></div>")


def _filter_css(report: Report, items: dict[str, int]) -> str:
    """Unticking a severity or an item hides its findings and boxes, and a page once nothing
    on it is shown. Only where the browser has `:has()`: elsewhere all is shown."""
    if not items:
        return ""
    severities = _severities(report)
    rules = [".filters{display:block}", ".page{display:none}"]
    rules += [f"body:has(#sev-{s}:not(:checked)) .sev-{s}{{display:none}}" for s in severities]
    rules += [f"body:has(#it-{n}:not(:checked)) .it-{n}{{display:none}}" for n in items.values()]
    rules += [f"body:has(#sev-{s}:checked):has(#it-{n}:checked) .c-{s}-{n}{{display:block}}"
              for s in severities for n in items.values()]
    return "@supports selector(:has(*)){" + "".join(rules) + "}"


def _document(number: int, doc: DocumentResult, items: dict[str, int], pictures: dict[int | None, Thumbnail] | None) -> str:
    out = [f'<section class="document"><h2><span class="status {doc.status}">{doc.status}</span> {escape(doc.path)}</h2>']
    if doc.problems:
        out.append("<ul>" + "".join(f"<li>problem <code>{escape(p.code)}</code>: {escape(p.message)}</li>" for p in doc.problems) + "</ul>")
    notes = list(doc.notes)
    if pictures is None:
        notes.append("no page pictures: the file is not where it was scanned, has changed since, is inside another, "
                     "or its pages could not be drawn")
    if notes:
        out.append("<ul>" + "".join(f"<li>note: {escape(n)}</li>" for n in notes) + "</ul>")
    if pictures:
        out.append('<div class="pages">' + "".join(
            _page(number, page, thumb, doc, items) for page, thumb in sorted(pictures.items(), key=lambda p: p[0] or 0))
            + "</div>")
    if doc.findings:
        out.append("<table><tr><th>severity</th><th>item or kind</th><th>match</th><th>where</th><th>excerpt (masked)</th></tr>")
        for k, f in enumerate(doc.findings):
            out.append(
                f'<tr id="d{number}-f{k}" class="{_classes(f, items)}"><td class="sev-{escape(f.severity)}">{escape(f.severity)}</td>'
                f"<td>{escape(_label(f))}</td><td>{escape(f.match)}</td>"
                f"<td>{escape(where(f))}</td><td><code>{escape(f.excerpt)}</code></td></tr>"
            )
        out.append("</table>")
    out.append("</section>")
    return "\n".join(out)


def _classes(f: Finding, items: dict[str, int]) -> str:
    return f"sev-{escape(f.severity)} it-{items[_label(f)]}"


def _page(number: int, page: int | None, thumb: Thumbnail, doc: DocumentResult, items: dict[str, int]) -> str:
    on_page = dict.fromkeys([k for k, _ in thumb.boxes] + list(thumb.unplaced))
    combos = " ".join(sorted({f"c-{escape(doc.findings[k].severity)}-{items[_label(doc.findings[k])]}" for k in on_page}))
    png = base64.b64encode(thumb.png).decode("ascii")
    name = f"page {page}" if page is not None else "picture"
    boxes = "".join(
        f'<a class="box {_classes(doc.findings[k], items)}" href="#d{number}-f{k}" '
        f'title="{escape(_label(doc.findings[k]))}, {escape(doc.findings[k].severity)}" '
        f'style="left:{x:.2%};top:{y:.2%};width:{w:.2%};height:{h:.2%}"></a>'
        for k, (x, y, w, h) in thumb.boxes)
    caption = f"{name}: {len(on_page)} finding{'s' if len(on_page) != 1 else ''}"
    if thumb.unplaced:
        caption += f"; {len(thumb.unplaced)} not boxed (position unknown)"
    return (f'<figure class="page {combos}"><div class="sheet" style="width:{thumb.width}px;height:{thumb.height}px">'
            f'<img src="data:image/png;base64,{png}" width="{thumb.width}" height="{thumb.height}" '
            f'alt="{name}, blurred, findings blacked out">{boxes}</div>'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _pictures(doc: DocumentResult, sources: Mapping[str, bytes] | None, budget: list[int]) -> dict[int | None, Thumbnail] | None:
    """Thumbnails of the document's flagged pages; {} when it has none to show, None when it
    has some but none could be drawn from the bytes that were scanned."""
    if doc.type not in _PICTURED_TYPES:
        return {}
    marks = _marks(doc)
    if not marks or budget[0] <= 0:
        return {}
    data = _source(doc, sources)
    if data is None:
        return None
    wanted = dict(sorted(marks.items(), key=lambda p: p[0] or 0)[: budget[0]])
    budget[0] -= len(wanted)
    return thumbnails(data, doc.type, wanted) or None


def _marks(doc: DocumentResult) -> dict[int | None, list[Mark]]:
    marks: dict[int | None, list[Mark]] = {}
    for k, f in enumerate(doc.findings):
        for n, loc in enumerate(f.locations):
            if loc.part in _UNPICTURED_PARTS or (doc.type == "pdf" and loc.page is None):
                continue
            marks.setdefault(loc.page, []).append(Mark(k, loc, f.excerpt if n == 0 else None))
    return marks


def _source(doc: DocumentResult, sources: Mapping[str, bytes] | None) -> bytes | None:
    data = sources.get(doc.path) if sources is not None else _read(doc.path)
    if data is None or hashlib.sha256(data).hexdigest() != doc.sha256:
        return None
    return data


def _read(path: str) -> bytes | None:
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_SOURCE_BYTES:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None
