"""A reviewed DOCX proposal back to a true redaction.

The reviewer's decisions are the tracked changes: an accepted deletion is text gone, a rejected
one is text back, and a change still pending is taken as accepted (apply accepts every tracked
change left, the reviewer's own included, as "the document as accepted"). The proposal's
comments and header markers are removed; then the DOCX redactor runs as `redact` runs it, so the
order's own redaction is always applied in full. A withheld match still in the accepted text is
one the reviewer rejected: it is named (masked), and `apply` decides whether it stops the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..document import Location, Problem
from ..readers.docx import W
from ..redactors.base import RedactionResult, Targets
from ..redactors.docx import DocxRedactor, _FlowMap, _walk
from ..verify import Residue
from .docx_parts import Package
from .marks import AUTHOR, MARKER, Rejection

__all__ = ["ReviewedDocx", "review_docx", "accept_all"]

#: Records of a change that hold no text: dropped when a change is accepted.
_CHANGE_RECORDS = ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange", "trPrChange",
                   "tcPrChange", "tblGridChange", "numberingChange", "moveFromRangeStart", "moveFromRangeEnd",
                   "moveToRangeStart", "moveToRangeEnd")
_PROPERTIES = (f"{W}rPr", f"{W}pPr", f"{W}trPr", f"{W}tcPr", f"{W}tblPr")


@dataclass
class ReviewedDocx(RedactionResult):
    rejections: list[Rejection] = field(default_factory=list)
    review: dict[str, Any] = field(default_factory=dict)
    refused: list[Residue] = field(default_factory=list)


def review_docx(data: bytes, targets: Targets) -> ReviewedDocx:
    """The true redaction of a reviewed proposal, with the reviewer's rejections."""
    package = Package(data)
    counts = accept_all(package)
    rejections = [r for name, where in package.stories() for r in _still_withheld(package.part(name), where, targets)]
    result = DocxRedactor().redact(package.save(), targets)
    problems = list(result.problems) + (_leftovers(result.data) if not result.problems else [])
    return ReviewedDocx(result.data, result.removals, problems, rejections, {"format": "docx", **counts})


def accept_all(package: Package) -> dict[str, int]:
    """Accept every tracked change left, and take the proposal's comments and markers out;
    how many changes were still pending, by redactguard and by anyone else."""
    counts = {"proposed_pending": 0, "added_by_reviewer": 0}
    ours: set[str] = set()
    for name, where in package.stories(comments=True):
        root = package.part(name)
        if where == "comment":
            for comment in list(root.iter(f"{W}comment")):
                if comment.get(f"{W}author") == AUTHOR:
                    ours.add(comment.get(f"{W}id", ""))
                    comment.getparent().remove(comment)
        for tag in ("del", "moveFrom", "ins", "moveTo"):
            for change in list(root.iter(f"{W}{tag}")):
                if change.getparent() is None:
                    continue  # inside a change already removed
                if change.getparent().tag in _PROPERTIES:  # a paragraph mark or row: no text
                    change.getparent().remove(change)
                    continue
                if tag == "del":
                    counts["proposed_pending" if change.get(f"{W}author") == AUTHOR else "added_by_reviewer"] += 1
                if tag in ("del", "moveFrom"):
                    change.getparent().remove(change)
                else:
                    _unwrap(change)
        for tag in _CHANGE_RECORDS:
            for record in list(root.iter(f"{W}{tag}")):
                record.getparent().remove(record)
    for name, where in package.stories():
        _drop_anchors(package.part(name), ours)
        if where in ("header", "footer"):
            _drop_markers(package, package.part(name))
    return counts


def _unwrap(el: Any) -> None:
    parent = el.getparent()
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def _drop_anchors(root: Any, ours: set[str]) -> None:
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for el in list(root.iter(f"{W}{tag}")):
            if el.get(f"{W}id") in ours:
                el.getparent().remove(el)
    for el in list(root.iter(f"{W}commentReference")):
        if el.get(f"{W}id") in ours:
            run = el.getparent()
            run.remove(el)
            if run.tag == f"{W}r" and all(c.tag == f"{W}rPr" for c in run):
                run.getparent().remove(run)


def _drop_markers(package: Package, root: Any) -> None:
    from lxml import etree

    for p in list(root.iter(f"{W}p")):
        if package.text(p).strip() == MARKER:
            p.getparent().remove(p)
    if root.find(f"{W}p") is None and root.find(f"{W}tbl") is None:  # a header holds a paragraph at least
        etree.SubElement(root, f"{W}p")


def _still_withheld(root: Any, where: str, targets: Targets) -> list[Rejection]:
    flow = _FlowMap()
    _walk(root, flow)
    text = flow.text
    return [Rejection(span.item.id, Location(part=where), targets.excerpt(text, span)) for span in targets.find(text)
            if any(p.node.tag == f"{W}t" and p.start < span.end and span.start < p.start + len(p.text) for p in flow.pieces)]


def _leftovers(data: bytes) -> list[Problem]:
    """Nothing of the proposal may reach the output: no marker, no change or comment by us."""
    package = Package(data)
    left = []
    for name, _ in package.stories(comments=True):
        root = package.part(name)
        if MARKER in package.text(root) or any(el.get(f"{W}author") == AUTHOR for el in root.iter() if isinstance(el.tag, str)):
            left.append(name)
    return [Problem("unsupported_part", f"the proposal's marker or changes survive in {name}; nothing is written",
                    location=Location(part="metadata", detail=name)) for name in left]
