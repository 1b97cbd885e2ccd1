"""JUnit XML: one test case per document; blocked is a failure, unreadable an error."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..findings import Report
from . import where


def render(report: Report) -> str:
    s = report.summary()
    suite = ET.Element("testsuite", {
        "name": f"redactguard {report.case or ''}".strip(),
        "tests": str(s["documents"]),
        "failures": str(s["blocked"]),
        "errors": str(s["unreadable"]),
        "skipped": "0",
    })
    for doc in report.documents:
        case = ET.SubElement(suite, "testcase", {"classname": "redactguard.scan", "name": doc.path})
        lines = [f"{f.severity} {f.item or f.kind} [{f.match}] at {where(f)}: {f.excerpt}" for f in doc.findings]
        if doc.status == "blocked":
            node = ET.SubElement(case, "failure", {"type": "blocked", "message": f"{len(doc.findings)} findings; withheld information present"})
            node.text = "\n".join(lines)
        elif doc.status == "unreadable":
            node = ET.SubElement(case, "error", {"type": "unreadable", "message": "; ".join(p.code for p in doc.problems)})
            node.text = "\n".join(p.message for p in doc.problems)
        elif lines:
            ET.SubElement(case, "system-out").text = "review:\n" + "\n".join(lines)
    suites = ET.Element("testsuites", {"name": "redactguard"})
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
