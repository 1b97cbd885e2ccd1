"""What proposals and reviews share: the marker, the author, and one proposed redaction.

A proposal is the original document with each withheld match marked for a reviewer, nothing
removed. Its marks carry the item's id and reason, never its value; the value itself is still in
the document, which is why every page says so (`MARKER`) and a scan blocks it like the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..document import Location
from ..order import ProtectedItem
from ..redactors.base import DEFAULT_LABEL

__all__ = ["MARKER", "AUTHOR", "REVIEWER", "Mark", "Rejection", "overlay_text"]

#: Written on every page (PDF) and in every header (DOCX) of a proposal; removed on apply, and
#: an applied output that still shows it fails.
MARKER = "PROPOSED - NOT REDACTED"
#: The author of every annotation, tracked change and comment a proposal adds.
AUTHOR = "redactguard"
#: What a reviewer's own redaction area stands for in the redaction log (it has no order item).
REVIEWER = ProtectedItem(id="reviewer", kind="reviewer", value="")


def overlay_text(item: ProtectedItem) -> str:
    """The words shown on a proposed redaction: the order's reason for it, or the default label."""
    return item.reason or DEFAULT_LABEL


@dataclass(frozen=True)
class Mark:
    """One proposed redaction of one withheld match: on a PDF page, one box per line."""

    item: ProtectedItem
    location: Location
    excerpt: str  # masked
    boxes: tuple[tuple[float, float, float, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item.id, "kind": self.item.kind, "location": self.location.to_dict(), "excerpt": self.excerpt}


@dataclass(frozen=True)
class Rejection:
    """A withheld match a reviewer took out of the proposal (masked)."""

    item: str
    location: Location
    excerpt: str

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "location": self.location.to_dict(), "excerpt": self.excerpt}
