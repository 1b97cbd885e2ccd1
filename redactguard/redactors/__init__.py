"""Redactors, one per format; each returns what it removed. `redact_bytes` picks one by content."""

from __future__ import annotations

from .base import (
    DEFAULT_LABEL,
    REDACTORS,
    RedactionResult,
    Redactor,
    Removal,
    Span,
    Targets,
    register,
)

__all__ = [
    "DEFAULT_LABEL", "REDACTORS", "RedactionResult", "Redactor", "Removal", "Span", "Targets",
    "register", "load_redactors",
]

_LOADED = False


def load_redactors() -> None:
    global _LOADED
    if _LOADED:
        return
    from . import archive, images, text  # noqa: F401

    for name in ("docx", "pdf"):  # formats whose redactor may not be built into this version
        try:
            __import__(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    _LOADED = True
