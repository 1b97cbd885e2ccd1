"""Exceptions a user can hit. Messages say what to do next and never carry a protected value."""

from __future__ import annotations

__all__ = ["RedactguardError", "OrderError", "UsageError", "UnreadableDocument"]


class RedactguardError(Exception):
    """Base class: a configuration or usage problem that stops the run (exit code 2)."""

    exit_code = 2


class UsageError(RedactguardError):
    """Bad arguments: unknown recipient, missing file, conflicting options."""


class OrderError(RedactguardError):
    """The confidentiality order is invalid. Names the file, the line (where known) and the field."""

    def __init__(self, file: str, message: str, *, line: int | None = None, field: str | None = None):
        self.file = file
        self.line = line
        self.field = field
        self.reason = message
        where = file if line is None else f"{file}:{line}"
        what = f" (field {field})" if field else ""
        super().__init__(f"{where}: {message}{what}")


class UnreadableDocument(Exception):
    """A reader could not check a document (or part of it) fully. Carries a problem code.

    Raised inside readers and turned into a `Problem` by the scanner; never reaches the user
    as a traceback. The message must not contain document text.
    """

    def __init__(self, code: str, message: str, *, page: int | None = None):
        self.code = code
        self.page = page
        super().__init__(message)
