"""Results: findings, per-document results and the report (contract §4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .document import Location, Problem
from .vocabulary import Part

__all__ = [
    "Finding", "DocumentResult", "Report", "STATUSES", "FAIL_ON", "group_generic", "in_document_order", "masked_names",
    "merge_results", "Suppression",
]

STATUSES = ("blocked", "review", "clean", "unreadable")
FAIL_ON = ("block", "review", "never")
SCHEMA_ID = "redactguard.report/1"


@dataclass(frozen=True)
class Finding:
    """One recognised fact in a document. Holds no clear text: the excerpt is masked."""

    item: str | None
    kind: str
    severity: str
    match: str
    detector: str
    confidence: float
    location: Location
    excerpt: str
    fingerprint: str
    reason: str | None = None
    #: Every place the finding occurs, in document order, `location` first. An order item's
    #: finding has one (reviewers and redaction need each place); a generic finding stands for
    #: every mention of its value in the document, in any part (`group_generic`). Places only:
    #: no text.
    locations: tuple[Location, ...] = ()

    def __post_init__(self) -> None:
        if not self.locations:
            object.__setattr__(self, "locations", (self.location,))

    @property
    def count(self) -> int:
        """How many times the finding occurs in its document."""
        return len(self.locations)

    def __repr__(self) -> str:  # logs and Dask's dashboard: no excerpt, not even masked
        return (f"Finding(item={self.item!r}, kind={self.kind!r}, severity={self.severity!r}, "
                f"at={self.location.describe()!r}, count={self.count})")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "item": self.item,
            "kind": self.kind,
            "severity": self.severity,
            "match": self.match,
            "detector": self.detector,
            "confidence": round(self.confidence, 3),
            "location": self.location.to_dict(),
            "excerpt": self.excerpt,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "locations": [loc.to_dict() for loc in self.locations],
        }
        if self.reason:
            out["reason"] = self.reason
        return out


#: The order of parts within a page (and, after the pages, within the whole document).
PART_ORDER = tuple(Part)
_PART_RANK: dict[str, int] = {part: rank for rank, part in enumerate(PART_ORDER)}


def in_document_order(findings: Any) -> tuple[Finding, ...]:
    """Findings by page (paged parts first), then part, keeping reading order within each.

    However a document was read (whole, or in page ranges by several workers), the report
    lists its findings in this one order.
    """
    return tuple(sorted(findings, key=lambda f: _location_key(f.location)))


def _location_key(location: Location) -> tuple[int, int, int]:
    page = location.page
    return (page is None, page or 0, _PART_RANK.get(location.part, len(_PART_RANK)))


def group_generic(findings: Any) -> tuple[Finding, ...]:
    """Generic findings, one per fingerprint (kind and normalised value in the document: see
    `Scanner._finding`), each with every mention's location and the strongest severity and
    confidence; order items' findings untouched. In document order.

    Grouping what is already grouped changes nothing, so a document's result can be grouped again
    when its page ranges are merged or a baseline drops findings.
    """
    ordered = in_document_order(findings)
    groups: dict[str, list[Finding]] = {}
    out: list[Finding | str] = []  # a generic group stands at its first mention
    for f in ordered:
        if f.item is not None:
            out.append(f)
        elif f.fingerprint in groups:
            groups[f.fingerprint].append(f)
        else:
            groups[f.fingerprint] = [f]
            out.append(f.fingerprint)
    return tuple(_grouped(groups[f]) if isinstance(f, str) else f for f in out)


def _grouped(members: list[Finding]) -> Finding:
    from dataclasses import replace

    first = members[0]
    if len(members) == 1:
        return first
    locations = tuple(sorted((loc for f in members for loc in f.locations), key=_location_key))
    severity = "block" if any(f.severity == "block" for f in members) else first.severity
    return replace(first, severity=severity, confidence=max(f.confidence for f in members), locations=locations)


def merge_results(parts: list[DocumentResult]) -> DocumentResult:
    """One document's result from the results of its page ranges (in page order)."""
    first = parts[0]
    if len(parts) == 1:
        return first
    findings = [f for part in parts for f in part.findings]
    problems: list[Problem] = []
    notes: list[str] = []
    for part in parts:
        problems.extend(p for p in part.problems if p not in problems)
        notes.extend(n for n in part.notes if n not in notes)
    return DocumentResult(
        path=first.path,
        sha256=next((p.sha256 for p in parts if p.sha256), ""),
        type=next((p.type for p in parts if p.type != "unknown"), first.type),
        pages=next((p.pages for p in parts if p.pages is not None), None),
        findings=in_document_order(findings),
        problems=tuple(sorted(problems, key=lambda p: (p.page is None, p.page or 0))),
        notes=tuple(notes),
    )


def masked_names(result: DocumentResult, masked: dict[str, str]) -> DocumentResult:
    """`result` with each name in `masked` (a document's or an attachment's name that holds
    something found) shown masked: in its path, in every location naming the attachment, and in
    problem messages."""
    from dataclasses import replace

    def name(text: str) -> str:
        for clear, shown in masked.items():
            text = text.replace(clear, shown)
        return text

    def where(loc: Location) -> Location:
        if loc.part != "attachment":
            return loc
        inner = where(loc.inner) if loc.inner is not None else None
        return replace(loc, attachment=name(loc.attachment) if loc.attachment else loc.attachment, inner=inner)

    return replace(
        result,
        path=name(result.path),
        findings=tuple(replace(f, location=where(f.location), locations=tuple(where(loc) for loc in f.locations))
                       for f in result.findings),
        problems=tuple(replace(p, message=name(p.message), location=where(p.location) if p.location else None)
                       for p in result.problems),
        notes=tuple(name(n) for n in result.notes),
    )


@dataclass(frozen=True)
class DocumentResult:
    """The outcome for one document."""

    path: str
    sha256: str
    type: str
    pages: int | None
    findings: tuple[Finding, ...] = ()
    problems: tuple[Problem, ...] = ()
    #: How parts of the document were read, where a reader took another way than usual (a page
    #: read with PDFium alone, a text layer replaced by OCR): figures and page numbers only.
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", group_generic(self.findings))

    def __repr__(self) -> str:  # a result crosses processes and clusters: say what, never the text
        return (f"DocumentResult({self.path!r}, status={self.status!r}, findings={len(self.findings)}, "
                f"problems={[p.code for p in self.problems]})")

    @property
    def status(self) -> str:
        """blocked > unreadable > review > clean: a problem outranks anything but a block."""
        if any(f.severity == "block" for f in self.findings):
            return "blocked"
        if self.problems:
            return "unreadable"
        if self.findings:
            return "review"
        return "clean"

    def fails(self, fail_on: str) -> bool:
        """True if a finding reaches the `--fail-on` level."""
        if fail_on == "never":
            return False
        levels = ("block",) if fail_on == "block" else ("block", "review")
        return any(f.severity in levels for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "type": self.type,
            "pages": self.pages,
            "status": self.status,
            "problems": [p.to_dict() for p in self.problems],
            **({"notes": list(self.notes)} if self.notes else {}),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Suppression:
    """A finding a baseline entry left out of the report (`redactguard.baseline`): which one and,
    for a `block` finding, who accepted it. Never its text: no excerpt, and not the audit's reason."""

    path: str
    fingerprint: str
    item: str | None
    kind: str
    severity: str
    location: Location
    #: The reviewer who accepted the entry in an audit; None for an unaudited entry (which can
    #: suppress only a `review` finding).
    reviewer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "fingerprint": self.fingerprint, "item": self.item, "kind": self.kind,
            "severity": self.severity, "location": self.location.to_dict(), "reviewer": self.reviewer,
        }


@dataclass(frozen=True)
class Report:
    """The result of a scan: one entry per document, in a stable order."""

    documents: tuple[DocumentResult, ...]
    case: str | None = None
    order_sha256: str | None = None
    recipient: str | None = None
    version: str = field(default="")
    #: Findings a baseline suppressed; None when no baseline was applied (the summary then has
    #: no `suppressed` field), so a suppression is never silent.
    suppressed: tuple[Suppression, ...] | None = None

    def summary(self) -> dict[str, Any]:
        counts = {s: 0 for s in STATUSES}
        for doc in self.documents:
            counts[doc.status] += 1
        out: dict[str, Any] = {
            "documents": len(self.documents),
            **counts,
            "findings": sum(len(d.findings) for d in self.documents),
        }
        if self.suppressed is not None:
            out["suppressed"] = {
                "block": sum(s.severity == "block" for s in self.suppressed),
                "review": sum(s.severity != "block" for s in self.suppressed),
                "findings": [s.to_dict() for s in self.suppressed],
            }
        return out

    def exit_code(self, fail_on: str = "block") -> int:
        """Contract §3: 1 if anything reaches `fail_on`, else 3 if anything was not fully checked."""
        if any(doc.fails(fail_on) for doc in self.documents):
            return 1
        if any(doc.problems for doc in self.documents):
            return 3
        return 0

    def to_dict(self) -> dict[str, Any]:
        from ._version import __version__

        return {
            "schema": SCHEMA_ID,
            "tool": {"name": "redactguard", "version": self.version or __version__},
            "order": None if self.case is None else {"case": self.case, "sha256": self.order_sha256},
            "recipient": self.recipient,
            "documents": [d.to_dict() for d in self.documents],
            "summary": self.summary(),
        }
