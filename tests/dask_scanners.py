"""Scanners that misbehave on one document, for the Dask tests.

They live in an importable module (not in a test function) so that Dask workers, which are
separate processes, can unpickle them. Each acts only on a document whose path ends with
`target`, and is otherwise the ordinary Scanner.
"""

from __future__ import annotations

import os
import signal
import time

from redactguard.scanner import Scanner, WorkUnit


class _OnTarget(Scanner):
    target = ""

    def hits(self, unit: WorkUnit) -> bool:
        return bool(self.target) and unit.source.path.endswith(self.target)


class DiesOnce(_OnTarget):
    """Kills its worker process on the target the first time (a marker file remembers)."""

    marker = ""

    def scan_unit(self, unit: WorkUnit):  # type: ignore[no-untyped-def]
        if self.hits(unit) and not os.path.exists(self.marker):
            with open(self.marker, "w") as fh:
                fh.write(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return super().scan_unit(unit)


class AlwaysDies(_OnTarget):
    """Kills every worker process that checks the target."""

    def scan_unit(self, unit: WorkUnit):  # type: ignore[no-untyped-def]
        if self.hits(unit):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().scan_unit(unit)


class Hangs(_OnTarget):
    """Hangs on the target, as a reader stuck in a library loop would (no time checks)."""

    def scan_unit(self, unit: WorkUnit):  # type: ignore[no-untyped-def]
        if self.hits(unit):
            time.sleep(120)
        return super().scan_unit(unit)


class Quotes(_OnTarget):
    """Raises an exception quoting the document's text, as a careless library might."""

    def scan_unit(self, unit: WorkUnit):  # type: ignore[no-untyped-def]
        if self.hits(unit):
            raise ValueError("cannot parse: " + unit.source.read_bytes().decode("utf-8", "replace"))
        return super().scan_unit(unit)
