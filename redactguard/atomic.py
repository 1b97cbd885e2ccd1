"""Write a file so that no reader ever sees it half-written, and nothing is left on failure."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Temporary file in the same folder, fsync, then rename over `path`."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".redactguard-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
