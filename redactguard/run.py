"""Work units handed to an executor; the pipeline never knows which executor runs it.

An executor takes a picklable `Scanner` and a list of `Source`s and yields one
`DocumentResult` per source, in input order. `SerialExecutor` runs in this process; the
process pool (local `--jobs`) and Dask back-ends implement the same interface.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from .findings import DocumentResult
from .scanner import Scanner
from .sources import Source

__all__ = ["Executor", "SerialExecutor", "Progress"]

#: Called after each document with (documents done, documents total, pages in that document).
Progress = Callable[[int, int, int], None]


class Executor(Protocol):
    def run(self, scanner: Scanner, sources: Sequence[Source], progress: Progress | None = None) -> Iterator[DocumentResult]: ...


class SerialExecutor:
    """Checks documents one after another in this process."""

    def run(self, scanner: Scanner, sources: Sequence[Source], progress: Progress | None = None) -> Iterator[DocumentResult]:
        total = len(sources)
        for done, source in enumerate(sources, 1):
            result = scanner.scan_source(source)
            if progress is not None:
                progress(done, total, result.pages or 0)
            yield result
