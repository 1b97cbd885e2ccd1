"""Check one document: read -> normalise -> detect -> decide, into a DocumentResult.

`Scanner` is the unit of work that executors ship to processes (or Dask workers): it is
picklable, holds the compiled order, and loads heavy models lazily, once per process.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import logging
import os
import re
import sys
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import formats
from .decide import Policy
from .detectors.base import Detector, Hit
from .detectors.order_items import OrderDetector
from .document import FILE_NAME, Location, Problem, Segment
from .errors import UnreadableDocument
from .findings import DocumentResult, Finding, in_document_order, masked_names
from .mask import HARMLESS_WORDS, Fingerprinter, mask_spans, mask_words, masked_excerpt
from .normalise import FlowText, TextView, chunk_flows
from .order import Order
from .readers.base import Limits, ReadContext, read_document
from .readers.sniff import sniff
from .sources import Source
from .vocabulary import OcrMode

__all__ = ["Scanner", "ScanOptions", "WorkUnit"]


#: Flows of the names a document is checked under (see `Scanner._check`).
_NAME_FLOW, _FOLDERS_FLOW = "file-name", "folders"


@dataclass(frozen=True)
class WorkUnit:
    """What one worker checks: a whole document, or pages [start, stop) of a big one.

    The units of one document are numbered from 0; unit 0 also reads the document-wide parts.
    """

    source: Source
    pages: tuple[int, int] | None = None
    index: int = 0
    count: int = 1


_log = logging.getLogger(__name__)
#: Libraries a reader imports on its first document, worth loading before workers are forked.
_READER_LIBRARIES = {"pdf": ("pypdf",)}


@dataclass(frozen=True)
class ScanOptions:
    """How to scan, beyond the order and recipient (contract §3 flags)."""

    generic: bool = True
    model: str | None = "default"  # "default" (models/), a spaCy name or path, or None
    ocr: OcrMode = OcrMode.AUTO
    timeout: float | None = None
    limits: Limits = field(default_factory=Limits)
    #: Extra Presidio recognisers (EntityRecognizer instances, picklable) run beside ours.
    recognizers: tuple[Any, ...] = ()
    #: The OCR engine (`redactguard.ocr.Ocr`); None: one configured from the environment.
    ocr_engine: Any = None
    #: Tesseract's languages for pictures: "eng", or e.g. "eng+cym" for bilingual Welsh letters.
    ocr_lang: str = "eng"

    def __post_init__(self) -> None:  # "never" from a flag or a caller is OcrMode.NEVER (or a ValueError)
        object.__setattr__(self, "ocr", OcrMode(self.ocr))


class Scanner:
    """Checks documents against one order for one recipient."""

    def __init__(self, order: Order | None = None, recipient: str | None = None, options: ScanOptions | None = None):
        if order is not None:
            order.check_recipient(recipient)
        elif recipient is not None:
            from .errors import UsageError

            raise UsageError("--recipient needs --order: recipients are the order's parties")
        self.order = order
        self.recipient = recipient
        self.options = options or ScanOptions()
        self.policy = Policy(order, recipient)
        self.detectors: list[Detector] = [OrderDetector(order)] if order is not None else []
        if self.options.generic:
            from .detectors.generic import GenericDetector
            from .detectors.gps import GpsDetector

            self.detectors.append(GpsDetector())
            self.detectors.append(GenericDetector(self.options.model, tuple(self.options.recognizers)))
        self.ocr_engine = self.options.ocr_engine
        if self.ocr_engine is None and self.options.ocr != OcrMode.NEVER:
            from .ocr import Ocr

            if self.options.ocr_lang != "eng":  # asked for: say now, not per document, if it is missing
                check_languages(self.options.ocr_lang)
            # made here so every worker uses the parent's configuration
            self.ocr_engine = Ocr(lang=self.options.ocr_lang)
        self.fingerprint = Fingerprinter(order.sha256 if order is not None else "no-order")
        self.secret_words = _vocabulary(order)

    def warm(self, libraries: bool = True, kinds: Collection[str] | None = None) -> None:
        """Load heavy models now, once per process (or before a fork), and with `libraries` the
        readers' and OCR's libraries too (worth it before forking several workers, which then
        share them; a single worker imports only what its documents need). `kinds` limits the
        readers loaded to those types ("pdf" when the work is page ranges of one PDF); None
        loads every reader. A reader left out is still imported by the worker that needs it."""
        for detector in self.detectors:
            load = getattr(detector, "load", None)
            if load is not None:
                load()
        if not libraries:
            return
        every = (*formats.FORMATS.values(), *formats.extra_formats())
        for fmt in every if kinds is None else [formats.find(kind) for kind in kinds]:
            if fmt.reader:  # the reader's module, then the libraries it imports on its first document
                formats.load(fmt.reader)
            for library in _READER_LIBRARIES.get(fmt.name, ()):
                importlib.import_module(library)
        if self.ocr_engine is not None:
            # Import the OCR libraries once, shared by the forked workers; each worker still loads
            # its own Tesseract handle (not fork-safe) on its first picture, then keeps it.
            import PIL.Image  # noqa: F401
            import pypdfium2  # noqa: F401

            if importlib.util.find_spec("tesserocr") is not None:
                import tesserocr  # noqa: F401

    def scan_source(self, source: Source) -> DocumentResult:
        """Check one document. Never raises for a bad document: problems make it unreadable."""
        return self.scan_unit(WorkUnit(source))

    def scan_unit(self, unit: WorkUnit) -> DocumentResult:
        """Check one work unit: a whole document, or a page range of one (merged by the caller)."""
        source = unit.source
        pages = self._unit_pages(unit)
        if source.problem is not None:
            return DocumentResult(source.path, "", "unknown", None, problems=(source.problem,))
        try:
            data = source.read_bytes(self._limits())
        except UnreadableDocument as exc:
            return DocumentResult(source.path, "", "unknown", None, problems=(Problem(exc.code, str(exc)),))
        except OSError as exc:
            return DocumentResult(source.path, "", "unknown", None, problems=(Problem("read_error", f"cannot read the file ({exc.strerror})"),))
        return self.scan_bytes(data, source.path, pages=pages, document_parts=unit.index == 0, name=self._name(unit),
                               fingerprint_path=source.relative)

    def scan_bytes(
        self, data: bytes, path: str, *, pages: tuple[int, int] | None = None, document_parts: bool = True,
        name: str | None = None, fingerprint_path: str | None = None,
    ) -> DocumentResult:
        """Check a document given as bytes; `path` is only its name in the report.

        `pages` (0-based [start, stop)) checks only that range of a paged document, and
        `document_parts` whether to check its document-wide parts: see `run.plan_units`. `name`,
        the name the document is disclosed under, is checked too (reported with the parts).
        `fingerprint_path` (default `path`) is the path findings' fingerprints are keyed on: the
        document's path relative to its scan root (`Source.relative`), so baselines travel.
        """
        sha = hashlib.sha256(data).hexdigest()
        kind = sniff(data)
        ctx = self._context(path, pages, document_parts)
        return self._check(read_document(data, ctx, kind), ctx, sha, kind, path, pages, name, document_parts,
                           fingerprint_path=fingerprint_path or path)

    @staticmethod
    def _name(unit: WorkUnit) -> str:
        """The name a document is disclosed under: the file's own name, with the member path of
        a bundle's member ("bundle.zip!/letters/note.pdf"), never the folders it was found in."""
        outer, sep, members = unit.source.path.partition("!/")
        return os.path.basename(outer) + sep + members

    @staticmethod
    def _unit_pages(unit: WorkUnit) -> tuple[int, int] | None:
        pages = unit.pages
        if pages is not None and unit.index == unit.count - 1:
            # The last range runs to the document's real end, whatever count the plan was made
            # from (it reads a cheap, possibly wrong, page count): no page is left unchecked.
            pages = (pages[0], sys.maxsize)
        return pages

    def _context(self, path: str, pages: tuple[int, int] | None, document_parts: bool) -> ReadContext:
        return ReadContext(
            name=path, limits=self._limits(), ocr=self.options.ocr, ocr_engine=self.ocr_engine, page_range=pages,
            document_parts=document_parts,
        )

    def _check(
        self, segments: Iterator[Segment], ctx: ReadContext, sha: str, kind: str, path: str, pages: tuple[int, int] | None,
        name: str | None = None, report_name: bool = True, fingerprint_path: str | None = None,
    ) -> DocumentResult:
        """Normalise, detect and decide on a unit's segments, as they are read.

        `name`, the document's disclosed name, is checked like its text (a file name can give an
        address away as well as a letter can); every unit masks it, `report_name` reports it.
        """
        findings: list[Finding] = []
        masked: dict[str, str] = {}  # a name (the document's, an attachment's) -> as reports show it
        detected: set[str] = set()  # words of personal data detected anywhere in this unit
        if name is not None:
            # the folders it was found in are not disclosed with it: only masked where they name a value
            folders = path[: -len(name)] if path.endswith(name) else ""
            named = [Segment(text, Location(part="metadata", detail=FILE_NAME), flow=flow)
                     for text, flow in ((name, _NAME_FLOW), (folders, _FOLDERS_FLOW)) if text.strip()]
            segments = itertools.chain(named, segments)
        try:
            for flow in chunk_flows(segments):
                found = self._check_flow(flow, fingerprint_path or path, masked, detected)
                if flow.flow == _FOLDERS_FLOW or (flow.flow == _NAME_FLOW and not report_name):
                    found = []  # folders: masked only; the name: reported by the unit with the other parts
                findings.extend(found)
                del flow  # its token view is not kept while the next chunk is read
                ctx.check_time()
        except UnreadableDocument as exc:
            ctx.problem(exc.code, str(exc), page=exc.page)
        if pages is not None:  # the context pages' body text either side is its own range's to report
            findings = [f for f in findings if f.location.part != "body" or f.location.page is None
                        or pages[0] < f.location.page <= pages[1]]
        if detected:  # a name detected in one paragraph is masked in every excerpt of the document
            words = frozenset(detected)
            findings = [replace(f, excerpt=mask_words(f.excerpt, words)) for f in findings]
        problems = sorted(_unique(ctx.problems), key=lambda p: (p.page is None, p.page or 0))
        _log.debug("%s: %s, %s pages, %d finding(s), problems %s", path, kind, ctx.pages, len(findings), [p.code for p in ctx.problems])
        result = DocumentResult(
            path=path, sha256=sha, type=formats.report_type(kind), pages=ctx.pages,
            findings=in_document_order(findings), problems=tuple(problems), notes=tuple(ctx.notes),
        )
        return masked_names(result, masked) if masked else result

    def detect(self, flow: FlowText) -> list[Hit]:
        """Every detector's raw hits on one flow (before the recipient decision)."""
        hits: list[Hit] = []
        for detector in self.detectors:
            hits.extend(detector.detect(flow))
        # generic data only where every segment it touches is open to it (`Segment.generic`)
        return [h for h in hits if h.item is not None or flow.generic_at(h.start, h.end)]

    def _check_flow(self, flow: FlowText, path: str, masked: dict[str, str], detected: set[str] | None = None) -> list[Finding]:
        hits = self.detect(flow)
        if not hits:
            return []
        if detected is not None:
            detected.update(_personal_words(flow.text, hits))
        spans = [(h.start, h.end) for h in hits]
        out = []
        decided = self.policy.decide(flow, hits)
        for hit in decided:
            if hit.start >= flow.report_limit:
                continue  # the next chunk of this flow reports it
            out.append(self._finding(flow, hit, spans, path))
        leaf = flow.segments[0].location.leaf()
        if decided and leaf.part == "metadata" and leaf.detail == FILE_NAME:  # shown masked wherever it is named
            masked[flow.text] = mask_spans(flow.text, spans, self.secret_words)
        return out

    def _finding(self, flow: FlowText, hit: Hit, spans: list[tuple[int, int]], path: str) -> Finding:
        location = flow.location_of(hit.start, hit.end)
        matched = " ".join(TextView.build(flow.text[hit.start : hit.end]).tokens)
        key = hit.item.id if hit.item is not None else hit.kind
        return Finding(
            item=hit.item.id if hit.item is not None else None,
            kind=hit.kind,
            severity=hit.severity,
            match=hit.match,
            detector=hit.detector,
            confidence=hit.confidence,
            location=location,
            excerpt=masked_excerpt(flow.text, hit.start, hit.end, other_spans=spans, secret_words=self.secret_words),
            # an order item's finding is one place; a generic one stands for its value wherever it
            # is in the document (`findings.group_generic`), so its part is not in the fingerprint
            fingerprint=self.fingerprint(path, key, matched, location.part if hit.item is not None else ""),
            reason=hit.item.reason if hit.item is not None else None,
        )

    def _limits(self) -> Limits:
        limits = self.options.limits
        if self.options.timeout is not None and limits.timeout != self.options.timeout:
            limits = replace(limits, timeout=self.options.timeout)
        return limits


def _vocabulary(order: Order | None) -> frozenset[str]:
    if order is None:
        return frozenset()
    words: set[str] = set()
    for item in order.items:
        for spelling in item.spellings:
            words.update(TextView.build(spelling).raw)
    return frozenset(words)


#: Generic kinds that name public bodies and places, not people: their words stay readable.
_WORD = re.compile(r"[^\W_]+")
_PUBLIC_KINDS = frozenset({"organisation", "institution", "location"})


def _personal_words(text: str, hits: Iterable[Hit]) -> set[str]:
    """The words (lower case, two letters or more) of every generic hit that is personal data."""
    words: set[str] = set()
    for hit in hits:
        if hit.item is None and hit.kind not in _PUBLIC_KINDS:
            words.update(w.lower() for w in _WORD.findall(text[hit.start : hit.end]) if len(w) >= 2)
    return words - HARMLESS_WORDS


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.code, p.page, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def check_languages(lang: str) -> None:
    """Raise a `UsageError` naming the package to install when Tesseract has no data for one of
    the languages in `lang` ("eng+cym"), or when `lang` is not a language list."""
    from .errors import UsageError
    from .ocr.engine import OcrUnavailable, find_tessdata, languages

    try:
        names = languages(lang)
    except ValueError as exc:
        raise UsageError(f"--ocr-lang: {exc}") from None
    missing = []
    for name in names:
        try:
            find_tessdata(name, os.environ.get("REDACTGUARD_TESSDATA") or None)
        except OcrUnavailable:
            missing.append(name)
    if missing:
        packages = " ".join(f"tesseract-ocr-{name}" for name in missing)
        raise UsageError(f"--ocr-lang {lang}: Tesseract has no data for {', '.join(missing)}; "
                         f"install the Debian package(s): apt-get install {packages}")
