"""`propose` and `apply_reviewed`: the two halves of a review, over files and folders like `redact`.

`propose` writes, for each PDF and DOCX, a copy marked for review (`<name>.proposed.<ext>`, and
for a PDF an XFDF beside it) and a log (`<name>.proposed.<ext>.proposal.json`). A proposal holds
every withheld value in clear: it is for internal review only, and `scan` blocks it like the
original. `apply_reviewed` takes reviewed proposals and writes true redactions through
`redaction._redact_one`, so every output is verified exactly as `redact` verifies it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_atomic
from ..document import Problem
from ..errors import UnreadableDocument, UsageError
from ..order import Order, load_order
from ..readers.sniff import sniff
from ..redaction import (
    RedactedDocument,
    RedactionReport,
    _plan,
    _redact_one,
    _refuse_unredactable,
    _shown,
)
from ..redactors.base import DEFAULT_LABEL, RedactionResult, Removal, Targets
from ..scanner import Scanner, ScanOptions
from ..verify import Residue

if TYPE_CHECKING:
    from .docx import DocxProposal
    from .pdf import PdfProposal

__all__ = ["propose", "apply_reviewed", "PROPOSED", "PROPOSAL_LOG_SUFFIX", "INTERNAL_ONLY"]

#: Inserted before the extension of a proposal's name, and dropped again on apply.
PROPOSED = ".proposed"
PROPOSAL_LOG_SUFFIX = ".proposal.json"
INTERNAL_ONLY = ("proposals hold every withheld value in clear: they are for internal review only, "
                 "never send one; `scan` blocks them like the originals")
_log = logging.getLogger(__name__)


def propose(
    inputs: Sequence[str | os.PathLike[str]],
    order: Order | str | os.PathLike[str],
    recipient: str,
    *,
    output_dir: str | os.PathLike[str],
    force: bool = False,
    label: str = DEFAULT_LABEL,
    ocr_lang: str = "eng",
) -> RedactionReport:
    """Write a proposal for each PDF and DOCX input into `output_dir` (others are skipped)."""
    order = order if isinstance(order, Order) else load_order(order)
    targets = _targets(order, recipient, label, ocr_lang)
    plan = _renamed(_plan(list(inputs), None, output_dir, True), _with_infix, force)
    _refuse_unredactable(plan, targets)
    for _, dst in plan:
        dst.parent.mkdir(parents=True, exist_ok=True)
    docs = [_propose_one(src, dst, targets) for src, dst in plan]
    return RedactionReport(docs, order.case, recipient)


def apply_reviewed(
    inputs: Sequence[str | os.PathLike[str]],
    order: Order | str | os.PathLike[str],
    recipient: str,
    *,
    output: str | os.PathLike[str] | None = None,
    output_dir: str | os.PathLike[str] | None = None,
    force: bool = False,
    label: str = DEFAULT_LABEL,
    allow_override: bool = False,
    override_reason: str | None = None,
    ocr_lang: str = "eng",
) -> RedactionReport:
    """Write the true redaction of each reviewed proposal. A withheld match the reviewer took
    out of a proposal stops that output (failed, named masked) unless `allow_override` with an
    `override_reason`; the order's redaction removes it all the same, and the override is logged."""
    reason = (override_reason or "").strip()
    if allow_override and not reason:
        raise UsageError("--allow-reviewer-override needs --override-reason TEXT saying why")
    if reason and not allow_override:
        raise UsageError("--override-reason goes with --allow-reviewer-override")
    order = order if isinstance(order, Order) else load_order(order)
    targets = _targets(order, recipient, label, ocr_lang)
    plan = _plan(list(inputs), output, output_dir, True)
    if output is None:
        plan = _renamed(plan, _without_infix, force)
    elif Path(output).exists() and not force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
    _refuse_unredactable(plan, targets)
    for _, dst in plan:
        dst.parent.mkdir(parents=True, exist_ok=True)
    shared = Path(output_dir) if output_dir is not None else None
    docs = []
    for src, dst in plan:
        judge = _Judge(targets, reason if allow_override else None, _shown(str(src), targets))
        docs.append(_redact_one(src, dst, targets, str(dst.relative_to(shared)) if shared else dst.name, judge))
    return RedactionReport(docs, order.case, recipient)


def _targets(order: Order, recipient: str, label: str, ocr_lang: str) -> Targets:
    return Targets(Scanner(order, recipient, ScanOptions(generic=False, model=None, ocr_lang=ocr_lang)), label)


def _with_infix(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}{PROPOSED}.{ext}" if dot and stem else name + PROPOSED


def _without_infix(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem[: -len(PROPOSED)]}.{ext}" if dot and stem.endswith(PROPOSED) and stem != PROPOSED else name


def _renamed(plan: list[tuple[Path, Path]], rename: Callable[[str], str], force: bool) -> list[tuple[Path, Path]]:
    out = [(src, dst.with_name(rename(dst.name))) for src, dst in plan]
    if len({dst for _, dst in out}) != len(out):
        raise UsageError("two inputs would be written to the same output name; use different folders")
    for src, dst in out:
        if dst.exists() and not force:
            raise UsageError(f"{dst} exists; use --force to overwrite it")
        if dst.exists() and dst.resolve() == src.resolve():
            raise UsageError(f"{dst} is the input itself; inputs are never modified")
    return out


def _propose_one(src: Path, dst: Path, targets: Targets) -> RedactedDocument:
    data = src.read_bytes()
    doc = RedactedDocument(_shown(str(src), targets), None, "unreadable", hashlib.sha256(data).hexdigest())
    checked = targets.scanner.scan_bytes(data, str(src))
    if checked.problems:  # a proposal that misses what could not be read would mislead its reviewer
        doc.problems = list(checked.problems)
        return doc
    kind = sniff(data)
    if kind not in ("pdf", "docx"):
        doc.status = "skipped"
        doc.problems = [Problem("unsupported_type", f"proposals are made for PDF and DOCX files; redact this {kind} file directly")]
        return doc
    # each format's machinery (pypdf, the PDF redactor, lxml) loads when a file of it is proposed
    proposal: PdfProposal | DocxProposal
    if kind == "pdf":
        from .pdf import propose_pdf

        proposal = propose_pdf(data, targets, dst.name)
    else:
        from .docx import propose_docx

        proposal = propose_docx(data, targets)
    if proposal.problems:
        doc.status, doc.problems = "failed", list(proposal.problems)
        return doc
    doc.removals = [Removal(m.item.id, m.item.kind, m.location, m.excerpt, "proposed") for m in proposal.marks]
    doc.review = {"proposal": kind, "marked": len(proposal.marks),
                  "removed_on_apply_whatever_the_review": [r.to_dict() for r in proposal.elsewhere]}
    write_atomic(dst, proposal.data)
    if kind == "pdf":
        write_atomic(dst.with_suffix(".xfdf"), getattr(proposal, "xfdf", b""))
    doc.status, doc.output = "written", _shown(str(dst), targets)
    doc.output_sha256 = hashlib.sha256(proposal.data).hexdigest()
    write_atomic(dst.with_name(dst.name + PROPOSAL_LOG_SUFFIX), (json.dumps(doc.to_dict(), indent=2) + "\n").encode())
    _log.debug("%s -> %s: proposal, %d marked", doc.input, doc.output, len(proposal.marks))
    return doc


class _Judge:
    """`redact_with` for `_redact_one`: the reviewed proposal redacted, and the reviewer's
    rejections either refused (the output is not kept) or overridden and recorded."""

    def __init__(self, targets: Targets, override: str | None, shown: str) -> None:
        self.targets = targets
        self.override = override
        self.shown = shown

    def __call__(self, data: bytes, kind: str) -> RedactionResult | None:
        if kind not in ("pdf", "docx"):
            return None
        from .docx_review import review_docx
        from .pdf_review import review_pdf

        try:
            result = review_pdf(data, self.targets) if kind == "pdf" else review_docx(data, self.targets)
        except UnreadableDocument as exc:  # a damaged mark or part: this document fails, the run goes on
            return RedactionResult(b"", problems=[Problem(exc.code, str(exc))])
        result.review["rejected"] = [r.to_dict() for r in result.rejections]
        if not result.rejections:
            return result
        if self.override is None:
            result.refused = [Residue("review", r.location, r.item, r.excerpt) for r in result.rejections]
        else:
            reason = _shown(self.override, self.targets)
            result.review["override"] = {"reason": reason, "items": sorted({r.item for r in result.rejections}),
                                         "note": "the order's redaction was applied to them all the same"}
            for r in result.rejections:
                _log.warning("%s: reviewer override: withheld item %s at %s was rejected by the reviewer and is "
                             "redacted all the same; reason: %s", self.shown, r.item, r.location.describe(), reason)
        return result
