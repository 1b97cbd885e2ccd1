"""A report for people at a terminal: one block per document, masked excerpts only.

A generic value found several times is one line: its first places and "(×N)" (`report.where`).
"""

from __future__ import annotations

from ..findings import Report
from . import where

_MARK = {"blocked": "BLOCKED", "review": "REVIEW", "clean": "clean", "unreadable": "UNREADABLE"}


def render(report: Report) -> str:
    lines = []
    head = "redactguard report"
    if report.case:
        head += f" - case {report.case}"
    head += f" - recipient: {report.recipient or '(any party an item is withheld from)'}"
    lines.append(head)
    lines.append("")
    for doc in report.documents:
        pages = f", {doc.pages} pages" if doc.pages else ""
        lines.append(f"{_MARK[doc.status]:<10} {doc.path} ({doc.type}{pages})")
        for p in doc.problems:
            on_page = f" page {p.page}" if p.page else ""
            lines.append(f"    problem {p.code}{on_page}: {p.message}")
        for note in doc.notes:
            lines.append(f"    note: {note}")
        for f in doc.findings:
            who = f.item or f"generic {f.kind}"
            lines.append(
                f"    {f.severity:<6} {who} [{f.match}] at {where(f)}: {f.excerpt}"
            )
    s = report.summary()
    lines.append("")
    lines.append(
        f"{s['documents']} documents: {s['blocked']} blocked, {s['review']} review, "
        f"{s['unreadable']} unreadable, {s['clean']} clean; {s['findings']} findings"
    )
    lines.extend(_suppressed(report))
    return "\n".join(lines) + "\n"


def _suppressed(report: Report) -> list[str]:
    """What a baseline suppressed: how many, and each block finding with who accepted it."""
    if report.suppressed is None:
        return []
    blocks = [x for x in report.suppressed if x.severity == "block"]
    out = [f"suppressed by the baseline: {len(report.suppressed)} findings "
           f"({len(blocks)} block, audited; {len(report.suppressed) - len(blocks)} review)"]
    for x in blocks:
        out.append(f"    block  {x.item or f'generic {x.kind}'} in {x.path} at {x.location.describe()}: "
                   f"accepted by {x.reviewer}")
    return out
