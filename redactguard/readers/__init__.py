"""Readers, one module per format, found through `redactguard.formats` by the type `sniff` names."""

from __future__ import annotations

from .base import Limits, ReadContext, Reader, read_document
from .sniff import sniff

__all__ = ["Limits", "ReadContext", "Reader", "read_document", "sniff"]
