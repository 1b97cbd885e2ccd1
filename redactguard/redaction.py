"""`redact`: write copies with every withheld occurrence removed, verified clean, atomically.

For each input: check it fully first (a document that cannot be read cannot be proved clean);
remove the targets with the format's redactor; verify the new bytes (`verify.py`); only then
write them under a temporary name in the output folder and rename into place, with a JSON log
beside them. Inputs are only ever read. An output that fails verification is never written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .document import FILE_NAME, Location, Problem
from .errors import UsageError
from .formats import find, redactor
from .mask import mask_spans
from .order import Order, load_order
from .readers.sniff import sniff
from .redactors import DEFAULT_LABEL, RedactionResult, Removal, Targets
from .scanner import Scanner, ScanOptions
from .verify import Residue, verify_output

__all__ = ["redact", "RedactedDocument", "RedactionReport", "LOG_SUFFIX"]

LOG_SUFFIX = ".redaction.json"
_log = logging.getLogger(__name__)


@dataclass
class RedactedDocument:
    """What happened to one input."""

    input: str
    output: str | None
    status: str  # written | failed | unreadable
    input_sha256: str = ""
    output_sha256: str | None = None
    removals: list[Removal] = field(default_factory=list)
    residues: list[Residue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What a reviewed proposal's reviewer decided (`proposals.apply`): masked, never a value.
    review: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "input": self.input, "output": self.output, "status": self.status,
            "input_sha256": self.input_sha256, "output_sha256": self.output_sha256,
            "removed": [r.to_dict() for r in self.removals],
            "residues": [r.to_dict() for r in self.residues],
            "problems": [p.to_dict() for p in self.problems],
        }
        if self.review is not None:
            out["review"] = self.review
        return out


@dataclass
class RedactionReport:
    documents: list[RedactedDocument]
    case: str = ""
    recipient: str = ""

    def exit_code(self) -> int:
        """0 all written and verified; 1 an output failed verification; 3 an input unreadable."""
        if any(d.status == "failed" for d in self.documents):
            return 1
        if any(d.status == "unreadable" for d in self.documents):
            return 3
        return 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "redactguard.redaction/1", "case": self.case, "recipient": self.recipient,
            "documents": [d.to_dict() for d in self.documents],
        }


def redact(
    inputs: Sequence[str | os.PathLike[str]],
    order: Order | str | os.PathLike[str],
    recipient: str,
    *,
    output: str | os.PathLike[str] | None = None,
    output_dir: str | os.PathLike[str] | None = None,
    force: bool = False,
    label: str = DEFAULT_LABEL,
    ocr_lang: str = "eng",
) -> RedactionReport:
    """Redact each input for `recipient` into `output` (one input) or `output_dir`; pictures
    are read, and verified, in Tesseract's `ocr_lang` ("eng", "eng+cym")."""
    if not isinstance(order, Order):
        order = load_order(order)
    plan = _plan(list(inputs), output, output_dir, force)
    scanner = Scanner(order, recipient, ScanOptions(generic=False, model=None, ocr_lang=ocr_lang))
    targets = Targets(scanner, label)
    _refuse_unredactable(plan, targets)
    for _, dst in plan:  # only now: a refused run leaves nothing behind
        dst.parent.mkdir(parents=True, exist_ok=True)
    # what the recipient gets to see of a copy's path: its name, and its folders under --output-dir
    shared = Path(output_dir) if output_dir is not None else None
    docs = [_redact_one(src, dst, targets, str(dst.relative_to(shared)) if shared else dst.name) for src, dst in plan]
    for doc in docs:
        _log.debug(
            "%s -> %s: %s, %d removed, %d residue(s), problems %s", doc.input, doc.output, doc.status,
            len(doc.removals), len(doc.residues), [p.code for p in doc.problems],
        )
    return RedactionReport(docs, order.case, recipient)


def _plan(inputs: list[Any], output: Any, output_dir: Any, force: bool) -> list[tuple[Path, Path]]:
    if not inputs:
        raise UsageError("give at least one INPUT")
    if (output is None) == (output_dir is None):
        raise UsageError("give exactly one of --output FILE (one input) or --output-dir DIR")
    # (file, its path under the output folder): a folder's files keep their relative paths
    pairs: list[tuple[Path, Path]] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            pairs.extend((f, f.relative_to(p.parent)) for f in sorted(p.rglob("*")) if f.is_file() and not f.is_symlink())
        elif p.is_file():
            pairs.append((p, Path(p.name)))
        else:
            raise UsageError(f"no such file or folder: {p}")
    if output is not None:
        if len(pairs) != 1:
            raise UsageError("--output takes one input file; use --output-dir for several")
        plan = [(pairs[0][0], Path(output))]
    else:
        folder = Path(output_dir)
        rels = [rel for _, rel in pairs]
        if len(set(rels)) != len(rels):
            raise UsageError("two inputs would be written to the same output name; redact them into different folders")
        plan = [(src, folder / rel) for src, rel in pairs]
    for src, dst in plan:
        if output is not None and not dst.parent.is_dir():
            raise UsageError(f"the folder for {dst} does not exist")
        if dst.exists() and not force:
            raise UsageError(f"{dst} exists; use --force to overwrite it")
        if dst.exists() and dst.resolve() == src.resolve():
            raise UsageError(f"{dst} is the input itself; inputs are never modified")
    return plan


def _refuse_unredactable(plan: list[tuple[Path, Path]], targets: Targets) -> None:
    """Formats that are read but not redacted yet stop the run before anything is written
    (exit 2), saying which format to convert each to."""
    refused = []
    for src, _ in plan:
        fmt = find(sniff(src.read_bytes()))
        if fmt.convert_to:
            refused.append(f"{_shown(str(src), targets)}: redaction of {fmt.reported} files is not supported yet; "
                           f"convert it to {fmt.convert_to}, and redact that")
    if refused:
        raise UsageError("\n".join(refused))


def _redact_one(src: Path, dst: Path, targets: Targets, disclosed: str,
                redact_with: Callable[[bytes, str], RedactionResult | None] | None = None) -> RedactedDocument:
    """`disclosed`: the part of `dst`'s path that goes with the copy (checked like its text).
    `redact_with(data, kind)`: another way to redact the bytes than the format's redactor (a
    reviewed proposal, `proposals.apply`); None where it cannot."""
    data = src.read_bytes()
    doc = RedactedDocument(_shown(str(src), targets), None, "unreadable", hashlib.sha256(data).hexdigest())
    named = targets.find(disclosed)
    if named:  # the copy would give the value away by its name, whatever it holds: never written
        doc.status = "failed"
        doc.residues = [Residue("file name", Location(part="metadata", detail=FILE_NAME), s.item.id, targets.excerpt(disclosed, s))
                        for s in named]
        return doc
    checked = targets.scanner.scan_bytes(data, str(src))
    if checked.problems:  # what was not fully read cannot be proved clean afterwards
        doc.problems = list(checked.problems)
        return doc
    kind = sniff(data)
    found = redactor(kind)
    result = redact_with(data, kind) if redact_with is not None else found.redact(data, targets) if found is not None else None
    if result is None:
        doc.problems = [Problem("unsupported_type", f"redaction of {kind} files is not supported")]
        return doc
    doc.review = getattr(result, "review", None)
    doc.removals = result.removals
    if result.problems:
        doc.status, doc.problems = "failed", list(result.problems)
        return doc
    # withheld text a reviewer left in a reviewed proposal (`proposals.apply`): not redacted at all
    refused = list(getattr(result, "refused", ()))
    doc.residues = refused or verify_output(result.data, kind, targets, str(dst), regions=getattr(result, "boxes", None))
    if doc.residues:
        doc.status = "failed"
        return doc
    write_atomic(dst, result.data)
    doc.status, doc.output = "written", _shown(str(dst), targets)
    doc.output_sha256 = hashlib.sha256(result.data).hexdigest()
    write_atomic(dst.with_name(dst.name + LOG_SUFFIX), (json.dumps(doc.to_dict(), indent=2) + "\n").encode())
    return doc


def _shown(path: str, targets: Targets) -> str:
    """`path` as reports and logs show it: masked where it names something withheld (a folder
    can be named after an address as well as a file)."""
    spans = targets.find(path)
    return mask_spans(path, [(s.start, s.end) for s in spans], targets.scanner.secret_words) if spans else path
