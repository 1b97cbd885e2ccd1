"""Imported only by the fork server of `redactguard.forkserver`, started with `warm=`: loads the
scan's models there, once, so that every worker it forks inherits them (copy-on-write) instead of
loading its own copy. The workers' `WarmModels` plugin then finds them loaded.

The options come from the environment (`forkserver.WARM_ENV`). Nothing here may stop the server:
a model that fails to load is left for each worker to load, and to report, itself.
"""

from __future__ import annotations

import json
import os


def _warm() -> None:
    from .forkserver import WARM_ENV

    spec = os.environ.get(WARM_ENV)
    if not spec:
        return
    try:
        from .scanner import Scanner, ScanOptions

        Scanner(None, None, ScanOptions(**json.loads(spec))).warm()
    except Exception:  # noqa: S110  (the workers load the models themselves and report what is wrong)
        pass
    else:
        import gc

        gc.freeze()  # the workers' collections leave the server's objects alone (see run._freeze_heap)


_warm()
