"""The library entry points behind the CLI: `scan` a set of paths into a Report."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from .errors import UsageError
from .findings import Report
from .order import Order, load_order
from .readers.base import Limits
from .run import Executor, Progress, make_executor, scan_sources
from .scanner import Scanner, ScanOptions
from .sources import collect
from .vocabulary import OcrMode

__all__ = ["scan"]


def scan(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    order: Order | str | os.PathLike[str] | None = None,
    recipient: str | None = None,
    *,
    generic: bool = True,
    model: str | None = "default",
    ocr: OcrMode | str = OcrMode.AUTO,
    ocr_lang: str = "eng",
    timeout: float | None = None,
    limits: Limits | None = None,
    jobs: int | None = 1,
    recognizers: Sequence[Any] = (),
    executor: Executor | None = None,
    client: Any = None,
    ship_bytes: bool | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check documents against an order for a recipient and return the Report.

    `paths` are files, folders (recursive) or .zip bundles. `order` is an Order or a path to one.
    Without an order only generic personal data is looked for; without a recipient every
    withheld item blocks. `jobs` worker processes check documents in parallel (None: all
    cores); `timeout` is a hard budget per document, after which it fails closed.
    `model` is "default" (the pipeline in models/), a spaCy package name or path, or None for
    patterns only; `recognizers` are extra Presidio recognisers run with ours. `ocr_lang` is
    Tesseract's languages for pictures ("eng", "eng+cym"): a missing one is a UsageError at once.
    `client` (a `distributed.Client`) runs the scan on that Dask cluster instead, with the same
    report; `ship_bytes` sends documents' bytes to its workers (None: when they cannot see the
    paths). See `redactguard.dask` and docs/scale.md.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if order is not None and not isinstance(order, Order):
        order = load_order(order)
    options = ScanOptions(
        generic=generic, model=model, ocr=OcrMode(ocr), timeout=timeout, limits=limits or Limits(),
        recognizers=tuple(recognizers), ocr_lang=ocr_lang,
    )
    if client is not None and executor is not None:
        raise UsageError("give scan() a Dask client or an executor, not both")
    scanner = Scanner(order, recipient, options)
    sources = collect(paths, options.limits)
    if not sources:  # a wrong folder must not pass as "everything checked"
        raise UsageError("no documents found in the given paths")
    if client is not None:
        from .dask import DaskExecutor

        executor = DaskExecutor(client, ship_bytes=ship_bytes, timeout=timeout)
    runner = executor or make_executor(jobs, timeout)
    documents = tuple(scan_sources(runner, scanner, sources, progress))
    return Report(
        documents=documents,
        case=order.case if order is not None else None,
        order_sha256=order.sha256 if order is not None else None,
        recipient=recipient,
    )
