"""A report for people at a terminal: one block per document, masked excerpts only."""

from __future__ import annotations

from ..findings import Report

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
            where = f" page {p.page}" if p.page else ""
            lines.append(f"    problem {p.code}{where}: {p.message}")
        for note in doc.notes:
            lines.append(f"    note: {note}")
        for f in doc.findings:
            who = f.item or f"generic {f.kind}"
            lines.append(
                f"    {f.severity:<6} {who} [{f.match}] at {f.location.describe()}: {f.excerpt}"
            )
    s = report.summary()
    lines.append("")
    lines.append(
        f"{s['documents']} documents: {s['blocked']} blocked, {s['review']} review, "
        f"{s['unreadable']} unreadable, {s['clean']} clean; {s['findings']} findings"
    )
    return "\n".join(lines) + "\n"
