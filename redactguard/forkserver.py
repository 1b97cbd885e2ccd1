"""The fork server that a local Dask cluster starts its worker processes from.

Spawned workers would each import spaCy, Presidio's recognizers, pypdf and python-docx (seconds
of CPU apiece) before they load the models; forked from one server that imported them once,
they only load the models. `start()` starts that server as soon as a local cluster is asked for,
before this process imports `distributed`, so its imports run on another core while this one
imports Dask and starts the scheduler. Given the scan's options (`warm`), the server also loads
the models (see `redactguard._forkserver_warm`), so the workers inherit them instead of each
loading its own copy. This module imports nothing heavy itself.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from typing import Any

__all__ = ["PRELOAD", "WARM_ENV", "available", "start"]

#: What the server imports once, for every worker it forks.
PRELOAD = ["distributed", "redactguard.dask", "redactguard.detectors.generic",
           "redactguard.detectors.recognizers", "spacy", "pypdf", "docx"]
#: The environment variable through which `start(warm=...)` names the models the server loads.
WARM_ENV = "REDACTGUARD_FORKSERVER_WARM"


def available() -> bool:
    """True where multiprocessing has a fork server (not on Windows)."""
    return "forkserver" in multiprocessing.get_all_start_methods()


def start(preload: list[str] = PRELOAD, warm: Any = None) -> bool:
    """Start the fork server now (it imports `preload` in the background); False if there is none.

    With `warm` (a `ScanOptions`), the server also loads those options' models after its
    imports. A server already running keeps what it imported and loaded.
    """
    if not available():
        return False
    from multiprocessing import forkserver

    modules = list(preload)
    saved = os.environ.get(WARM_ENV)
    if warm is not None:  # read by the server as it starts (its environment is ours, now)
        os.environ[WARM_ENV] = json.dumps({"generic": warm.generic, "model": warm.model, "ocr": warm.ocr})
        modules.append("redactguard._forkserver_warm")
    try:
        multiprocessing.get_context("forkserver").set_forkserver_preload(modules)
        forkserver.ensure_running()
    finally:
        if saved is None:
            os.environ.pop(WARM_ENV, None)
        else:
            os.environ[WARM_ENV] = saved
    return True
