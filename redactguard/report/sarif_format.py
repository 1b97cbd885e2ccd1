"""SARIF 2.1.0: one result per finding and per problem, for GitHub code scanning and friends.

Rules are the order's items (`order/<id>`), generic kinds (`generic/<kind>`) and problem codes
(`problem/<code>`). Levels: block and problems are `error` (a problem fails closed), review is
`warning`. Pages go in `region.startLine` (SARIF needs a line; a PDF page is the nearest thing)
and in the result's properties. Messages carry masked excerpts only.

A generic value found several times is one result (one alert in code scanning, whose
`partialFingerprints` is the finding's) with every place in `locations` (code scanning shows the
first) and `count` in its properties: one alert per mention is the noise issue [16] removed.
"""

from __future__ import annotations

import json
from typing import Any

from ..document import PROBLEM_CODES
from ..findings import Finding, Report
from . import where

_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule_id(finding: Finding) -> str:
    return f"order/{finding.item}" if finding.item else f"generic/{finding.kind}"


def render(report: Report) -> str:
    from .._version import __version__

    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for doc in report.documents:
        for f in doc.findings:
            rid = _rule_id(f)
            rules.setdefault(rid, {
                "id": rid,
                "name": rid.replace("/", "-"),
                "shortDescription": {"text": f"withheld item {f.item} ({f.kind})" if f.item else f"personal data: {f.kind}"},
                "defaultConfiguration": {"level": "error" if f.item else "warning"},
            })
            results.append({
                "ruleId": rid,
                "level": "error" if f.severity == "block" else "warning",
                "message": {"text": f"{f.severity}: {f.item or f.kind} ({f.match}) in {where(f)}: {f.excerpt}"},
                "locations": [_location(doc.path, loc.page, loc.describe()) for loc in f.locations],
                "partialFingerprints": {"redactguard/v1": f.fingerprint},
                "properties": {"severity": f.severity, "match": f.match, "detector": f.detector,
                               "confidence": f.confidence, "location": f.location.to_dict(), "count": f.count},
            })
        for p in doc.problems:
            rid = f"problem/{p.code}"
            rules.setdefault(rid, {
                "id": rid,
                "name": rid.replace("/", "-"),
                "shortDescription": {"text": PROBLEM_CODES.get(p.code, p.code)},
                "defaultConfiguration": {"level": "error"},
            })
            results.append({
                "ruleId": rid,
                "level": "error",
                "message": {"text": f"not fully checked: {p.message}"},
                "locations": [_location(doc.path, p.page, "document")],
                "properties": {"status": doc.status},
            })
    sarif = {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "redactguard", "version": __version__, "semanticVersion": __version__,
                "informationUri": "https://example.invalid/redactguard",
                "rules": sorted(rules.values(), key=lambda r: r["id"]),
            }},
            "results": results,
            "properties": {"case": report.case, "recipient": report.recipient, "summary": report.summary()},
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _location(path: str, page: int | None, where: str) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path.replace("\\", "/")},
            "region": {"startLine": page or 1},
        },
        "logicalLocations": [{"name": where}],
    }
