"""The debug log behind `--verbose`: what redactguard did, never what the documents say.

Our own log lines are written to hold paths, types, counts, codes and timings only. Two more
guards sit in the handler, because a log is easy to get wrong later: records from other
libraries (pypdf, presidio, spaCy...) are shown by logger name and level only, since their
messages can quote document content; and every line passes through a mask that hides the
words of the order's protected values, e-mail addresses and any run of three or more digits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .order import Order

__all__ = ["enable_debug_log", "disable_debug_log", "quiet_log", "protect", "protect_order", "LogMask"]

LOGGER = "redactguard"
_DIGITS = re.compile(r"\d(?:[\d\s().+-]*\d){2,}")
_EMAIL = re.compile(r"[^\s@<>()\"']+@[^\s@<>()\"']+")
_WORD = re.compile(r"[^\W_]+")


class LogMask(logging.Filter):
    """Masks protected words, e-mail addresses and digit runs in every record it passes."""

    def __init__(self) -> None:
        super().__init__()
        self.words: set[str] = set()

    def add(self, spellings: Iterable[str]) -> None:
        from .mask import (
            HARMLESS_WORDS as _HARMLESS,  # "school", "road"...: masking them hides nothing
        )

        for spelling in spellings:
            words = (w.casefold() for w in _WORD.findall(spelling))
            self.words.update(w for w in words if len(w) > 2 and not w.isdigit() and w not in _HARMLESS)

    def mask(self, text: str) -> str:
        text = _EMAIL.sub("<email>", text)
        text = _DIGITS.sub(lambda m: "#" * len(m.group()), text)
        return _WORD.sub(lambda m: "█" * len(m.group()) if m.group().casefold() in self.words else m.group(), text)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != LOGGER and not record.name.startswith(LOGGER + "."):
            record.msg, record.args = "(a message of this library is not shown: it may quote a document)", None
        else:
            record.msg, record.args = self.mask(record.getMessage()), None
        record.exc_info = record.exc_text = record.stack_info = None  # tracebacks quote values
        return True


_MASK = LogMask()


def enable_debug_log(stream: IO[str]) -> logging.Handler:
    """Send redactguard's debug log (and other libraries' warnings, unquoted) to `stream`."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("redactguard: %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_MASK)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger(LOGGER).setLevel(logging.DEBUG)
    return handler


def quiet_log() -> logging.Handler:
    """Without the debug log, other libraries' records go nowhere: with no handler at all,
    Python prints warnings on stderr (its last resort), and pypdf's can quote a document."""
    handler = logging.NullHandler()
    logging.getLogger().addHandler(handler)
    return handler


def protect(spellings: Iterable[str]) -> None:
    """Mask these values' words in the debug log from now on."""
    _MASK.add(spellings)


def protect_order(order: Order) -> None:
    """Mask every spelling of the order's items, and its parties' names, in the debug log."""
    protect(s for item in order.items for s in item.spellings)
    protect(order.party_names())


def disable_debug_log(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
