"""A self-contained HTML report: summary, then each document's findings with masked excerpts."""

from __future__ import annotations

from html import escape

from ..findings import Report
from . import where

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:70rem}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.blocked{color:#fff;background:#b00020}.review{background:#ffd54f}
.unreadable{color:#fff;background:#5d4037}.clean{background:#c8e6c9}
.status{padding:.1rem .4rem;border-radius:3px;font-weight:600}code{font-size:.9em}
"""


def render(report: Report) -> str:
    s = report.summary()
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>redactguard report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>redactguard report</h1>",
        f"<p>Case <strong>{escape(report.case or '(no order)')}</strong>; recipient "
        f"<strong>{escape(report.recipient or 'any party an item is withheld from')}</strong>.</p>",
        "<table><tr><th>documents</th><th>blocked</th><th>review</th><th>unreadable</th><th>clean</th><th>findings</th></tr>",
        f"<tr><td>{s['documents']}</td><td>{s['blocked']}</td><td>{s['review']}</td><td>{s['unreadable']}</td>"
        f"<td>{s['clean']}</td><td>{s['findings']}</td></tr></table>",
    ]
    for doc in report.documents:
        out.append(f'<h2><span class="status {doc.status}">{doc.status}</span> {escape(doc.path)}</h2>')
        if doc.problems:
            out.append("<ul>" + "".join(f"<li>problem <code>{escape(p.code)}</code>: {escape(p.message)}</li>" for p in doc.problems) + "</ul>")
        if doc.notes:
            out.append("<ul>" + "".join(f"<li>note: {escape(n)}</li>" for n in doc.notes) + "</ul>")
        if doc.findings:
            out.append("<table><tr><th>severity</th><th>item or kind</th><th>match</th><th>where</th><th>excerpt (masked)</th></tr>")
            for f in doc.findings:
                out.append(
                    f'<tr><td class="{"blocked" if f.severity == "block" else "review"}">{escape(f.severity)}</td>'
                    f"<td>{escape(f.item or f.kind)}</td><td>{escape(f.match)}</td>"
                    f"<td>{escape(where(f))}</td><td><code>{escape(f.excerpt)}</code></td></tr>"
                )
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
