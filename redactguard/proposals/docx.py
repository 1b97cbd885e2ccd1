"""DOCX proposals: each withheld match as a tracked deletion by "redactguard", with a comment.

Word and LibreOffice review tracked changes natively: accept removes the text, reject keeps it.
Each match's runs are split so exactly its characters sit in a `w:del` (as `w:delText`, the
formatting of every run kept), followed by the label `redact` would write as a tracked insertion
before it (so accepting everything gives what `redact` gives), with a comment giving the item's id and the
order's reason, anchored on the deletion (main document only: Word keeps comments there).
Every section's header starts with a paragraph saying `MARKER` (an added header where the first
section has none). Text that cannot be a tracked deletion (alternative text, field codes) is
listed in the proposal's log: the order's redaction removes it on apply whatever the review.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..document import Location, Problem
from ..readers.docx import W
from ..redactors.base import Removal, Span, Targets
from ..redactors.docx import DocxRedactor, _enclosing_deletion, _FlowMap, _walk
from .docx_parts import WML, Package, R
from .marks import AUTHOR, MARKER, Mark, overlay_text

__all__ = ["DocxProposal", "propose_docx", "marker_paragraph"]

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class DocxProposal:
    data: bytes
    marks: list[Mark] = field(default_factory=list)
    elsewhere: list[Removal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def propose_docx(data: bytes, targets: Targets) -> DocxProposal:
    """The proposal for a DOCX: nothing removed, every withheld match a tracked deletion."""
    trial = DocxRedactor().redact(data, targets)
    if trial.problems:  # what cannot be redacted cannot be proposed either
        return DocxProposal(b"", problems=list(trial.problems))
    package = Package(data)
    changes = _Changes(package, targets)
    for name, part in package.stories():
        changes.part(name, part)
    _mark_headers(package)
    marked = {(m.item.id, m.location.part) for m in changes.marks}
    elsewhere = [r for r in trial.removals if (r.item, r.location.part) not in marked]
    return DocxProposal(package.save(), changes.marks, elsewhere)


class _Changes:
    """The tracked deletions, insertions and comments of one proposal, numbered together."""

    def __init__(self, package: Package, targets: Targets) -> None:
        self.package = package
        self.targets = targets
        self.marks: list[Mark] = []
        self.date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        numbers = [int(v) for name, _ in package.stories(comments=True) for el in package.part(name).iter()
                   if isinstance(el.tag, str) for v in [el.get(f"{W}id", "")] if v.isdigit()]
        self.next_id = max(numbers, default=0) + 1
        self.comments: Any = None

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id - 1)

    def part(self, name: str, where: str) -> None:
        root = self.package.part(name)
        flow = _FlowMap()
        _walk(root, flow)
        text = flow.text
        spans = self.targets.find(text)
        # each text node's ranges to delete, in document order, with the span they belong to
        ranges: dict[Any, list[tuple[int, int, int]]] = {}
        for k, span in enumerate(spans):
            for piece in flow.pieces:
                lo, hi = max(span.start, piece.start), min(span.end, piece.start + len(piece.text))
                if lo < hi and _deletable(piece.node, piece.attr):
                    ranges.setdefault(piece.node, []).append((lo - piece.start, hi - piece.start, k))
        dels: dict[int, list[Any]] = {}
        for node, cuts in ranges.items():
            for k, element in self._split(node, cuts):
                dels.setdefault(k, []).append(element)
        for k, elements in sorted(dels.items()):
            span = spans[k]
            self._label(elements[0], span)
            if name == self.package.main:
                self._comment(elements, span)
            self.marks.append(Mark(span.item, Location(part=where), self.targets.excerpt(text, span)))

    def _split(self, node: Any, cuts: list[tuple[int, int, int]]) -> list[tuple[int, Any]]:
        """Split `node`'s run so each cut is a run of its own inside a `w:del`; the new
        `w:del` elements with the span each belongs to."""
        from lxml import etree

        run = node.getparent()
        props = run.find(f"{W}rPr")
        children = [c for c in run if c is not props]
        at = children.index(node)
        text = node.text or ""

        def new_run(items: list[Any]) -> Any:
            r = etree.Element(f"{W}r")
            if props is not None:
                r.append(copy.deepcopy(props))
            r.extend(items)
            return r

        def plain(s: str, tag: str = "t") -> Any:
            t = etree.Element(f"{W}{tag}")
            t.text = s
            t.set(_XML_SPACE, "preserve")
            return t

        pieces: list[Any] = []
        made: list[tuple[int, Any]] = []
        before = children[:at] + ([plain(text[: cuts[0][0]])] if cuts[0][0] else [])
        if before:
            pieces.append(new_run(before))
        for n, (a, b, k) in enumerate(cuts):
            deletion = etree.Element(f"{W}del", {f"{W}id": self._id(), f"{W}author": AUTHOR, f"{W}date": self.date})
            deletion.append(new_run([plain(text[a:b], "delText")]))
            pieces.append(deletion)
            made.append((k, deletion))
            end = cuts[n + 1][0] if n + 1 < len(cuts) else len(text)
            after = [plain(text[b:end])] if end > b else []
            if n + 1 == len(cuts):
                after += children[at + 1 :]
            if after:
                pieces.append(new_run(after))
        parent = run.getparent()
        index = parent.index(run)
        parent.remove(run)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
        return made

    def _label(self, first: Any, span: Span) -> None:
        """The label `redact` writes, as a tracked insertion where `redact` writes it: before the
        match (after it, the label would split a match that spans paragraphs for `scan`)."""
        from lxml import etree

        insertion = etree.Element(f"{W}ins", {f"{W}id": self._id(), f"{W}author": AUTHOR, f"{W}date": self.date})
        run = copy.deepcopy(first[0])
        for old in run.findall(f"{W}delText"):
            run.remove(old)
        label = etree.SubElement(run, f"{W}t")
        label.text = span.label
        label.set(_XML_SPACE, "preserve")
        insertion.append(run)
        first.addprevious(insertion)

    def _comment(self, dels: list[Any], span: Span) -> None:
        from lxml import etree

        number = self._id()
        dels[0].getprevious().addprevious(etree.Element(f"{W}commentRangeStart", {f"{W}id": number}))  # before the label
        end = etree.Element(f"{W}commentRangeEnd", {f"{W}id": number})
        dels[-1].addnext(end)
        reference = etree.Element(f"{W}r")
        etree.SubElement(reference, f"{W}commentReference", {f"{W}id": number})
        end.addnext(reference)
        comment = etree.SubElement(self._comments(), f"{W}comment",
                                   {f"{W}id": number, f"{W}author": AUTHOR, f"{W}initials": "RG", f"{W}date": self.date})
        p = etree.SubElement(comment, f"{W}p")
        t = etree.SubElement(etree.SubElement(p, f"{W}r"), f"{W}t")
        t.text = f"Withheld item {span.item.id} ({overlay_text(span.item)}): proposed redaction. Accept the change to remove it."

    def _comments(self) -> Any:
        from lxml import etree

        if self.comments is None:
            found = self.package.related(self.package.main, "comments")
            if found:
                self.comments = self.package.part(found[0][1])
            else:
                root = etree.Element(f"{W}comments", nsmap={"w": W[1:-1]})
                self.package.add_part(self.package.main, self.package.free_name("comments"), "comments",
                                      WML + "comments+xml", root)
                self.comments = root
        return self.comments


def _deletable(node: Any, attr: str | None) -> bool:
    """Text of a plain run, not already a tracked change: it can become a tracked deletion."""
    if attr is not None or node.tag != f"{W}t" or node.getparent() is None or node.getparent().tag != f"{W}r":
        return False
    if _enclosing_deletion(node) is not None:
        return False
    el = node.getparent().getparent()
    return el is not None and el.tag not in (f"{W}ins", f"{W}moveTo")


def marker_paragraph() -> Any:
    from lxml import etree

    p = etree.Element(f"{W}p")
    etree.SubElement(etree.SubElement(p, f"{W}pPr"), f"{W}jc", {f"{W}val": "center"})
    r = etree.SubElement(p, f"{W}r")
    props = etree.SubElement(r, f"{W}rPr")
    etree.SubElement(props, f"{W}b")
    etree.SubElement(props, f"{W}color", {f"{W}val": "C00000"})
    etree.SubElement(r, f"{W}t").text = MARKER
    return p


def _mark_headers(package: Package) -> None:
    """`MARKER` at the top of every header the document's sections show."""
    from lxml import etree

    main = package.part(package.main)
    sections = [s for s in main.iter(f"{W}sectPr") if s.getparent().tag != f"{W}sectPrChange"]
    headers = {package.target(package.main, ref.get(f"{R}id", "")) for s in sections for ref in s.findall(f"{W}headerReference")}
    for name in sorted(h for h in headers if h):
        package.part(name).insert(0, marker_paragraph())
    if not sections:
        return
    first = sections[0]
    have = {ref.get(f"{W}type", "default") for ref in first.findall(f"{W}headerReference")}
    settings = package.related(package.main, "settings")
    even = bool(settings) and package.part(settings[0][1]).find(f"{W}evenAndOddHeaders") is not None
    wanted = ["default"] + (["first"] if first.find(f"{W}titlePg") is not None else []) + (["even"] if even else [])
    missing = [kind for kind in wanted if kind not in have]
    if not missing:
        return
    header = etree.Element(f"{W}hdr", nsmap={"w": W[1:-1], "r": R[1:-1]})
    header.append(marker_paragraph())
    rel_id = package.add_part(package.main, package.free_name("header-proposal"), "header", WML + "header+xml", header)
    for kind in reversed(missing):  # references come first in a section's properties
        first.insert(0, etree.Element(f"{W}headerReference", {f"{W}type": kind, f"{R}id": rel_id}))
