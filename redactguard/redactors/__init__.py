"""Redactors, one per format, found through `redactguard.formats` by the type `sniff` names;
each returns what it removed."""

from __future__ import annotations

from .base import DEFAULT_LABEL, RedactionResult, Redactor, Removal, Span, Targets

__all__ = ["DEFAULT_LABEL", "RedactionResult", "Redactor", "Removal", "Span", "Targets"]
