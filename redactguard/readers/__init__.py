"""Readers, one module per format. Each registers itself for the types `sniff` returns."""

from __future__ import annotations

from .base import READERS, Limits, ReadContext, Reader, read_document, register
from .sniff import sniff

__all__ = ["READERS", "Limits", "ReadContext", "Reader", "read_document", "register", "sniff", "load_readers"]

_LOADED = False


def load_readers() -> None:
    """Import every reader module so it registers (cheap: heavy libraries load on first use)."""
    global _LOADED
    if _LOADED:
        return
    from . import archive, docx, email, html, image, pdf, rtf, simple, text  # noqa: F401

    _LOADED = True
