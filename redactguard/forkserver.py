"""The fork server that a local Dask cluster starts its worker processes from.

Spawned workers would each import spaCy, Presidio's recognizers, pypdf and python-docx (seconds
of CPU apiece) before they load the models; forked from one server that imported them once,
they only load the models. `start()` starts that server as soon as a local cluster is asked for,
before this process imports `distributed`, so its imports run on another core while this one
imports Dask and starts the scheduler. This module imports nothing heavy itself.
"""

from __future__ import annotations

import multiprocessing

__all__ = ["PRELOAD", "available", "start"]

#: What the server imports once, for every worker it forks.
PRELOAD = ["distributed", "redactguard.dask", "redactguard.detectors.generic",
           "redactguard.detectors.recognizers", "spacy", "pypdf", "docx"]


def available() -> bool:
    """True where multiprocessing has a fork server (not on Windows)."""
    return "forkserver" in multiprocessing.get_all_start_methods()


def start(preload: list[str] = PRELOAD) -> bool:
    """Start the fork server now (it imports `preload` in the background); False if there is none.

    A server already running keeps what it imported.
    """
    if not available():
        return False
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    forkserver.ensure_running()
    return True
