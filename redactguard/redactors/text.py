"""Plain text: each withheld span replaced by its label, the file's encoding kept where possible."""

from __future__ import annotations

from ..document import Location
from ..readers.text import decode_text
from .base import RedactionResult, Removal, Targets


class TextRedactor:
    type = "text"

    def redact(self, data: bytes, targets: Targets) -> RedactionResult:
        text = decode_text(data)
        spans = targets.find(text)
        removals = [
            Removal(s.item.id, s.item.kind, Location(part="body"), targets.excerpt(text, s)) for s in spans
        ]
        for span in reversed(spans):
            text = text[: span.start] + span.label + text[span.end :]
        try:
            out = text.encode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
        except UnicodeEncodeError:  # lone surrogates from a damaged file
            out = text.encode("utf-8", "replace")
        return RedactionResult(out, removals)
