"""redactguard: check outgoing court documents against a confidentiality order.

    >>> import redactguard
    >>> order = redactguard.load_order("order.yaml")
    >>> report = redactguard.scan(["bundle/"], order, recipient="respondent")
    >>> report.exit_code()
"""

from __future__ import annotations

from ._version import __version__
from .api import scan
from .document import Location, Problem, Segment
from .errors import OrderError, RedactguardError, UnreadableDocument, UsageError
from .findings import DocumentResult, Finding, Report
from .order import Order, Party, ProtectedItem, load_order, parse_order
from .proposals import apply_reviewed, propose
from .redaction import RedactionReport, redact
from .scanner import Scanner, ScanOptions

__all__ = [
    "__version__",
    "scan",
    "redact",
    "propose",
    "apply_reviewed",
    "RedactionReport",
    "load_order",
    "parse_order",
    "Order",
    "Party",
    "ProtectedItem",
    "Report",
    "DocumentResult",
    "Finding",
    "Location",
    "Problem",
    "Segment",
    "Scanner",
    "ScanOptions",
    "RedactguardError",
    "OrderError",
    "UsageError",
    "UnreadableDocument",
]
