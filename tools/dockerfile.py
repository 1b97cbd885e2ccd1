"""Read the Dockerfile's instructions, so that what the image does can be done without Docker.

    python tools/dockerfile.py context DEST   # copy the wheel stage's COPY sources into DEST
    python tools/dockerfile.py cmd            # the CMD, one argument per line

Used by tools/check_wheel.sh (the image's build and start, run here) and tests/test_container.py.
Only the instructions this project's Dockerfile uses are understood.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def instructions(path: Path = REPO / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def stages(path: Path = REPO / "Dockerfile") -> list[list[tuple[str, str]]]:
    """The instructions of each build stage (each FROM starts one)."""
    found: list[list[tuple[str, str]]] = []
    for word, rest in instructions(path):
        if word == "FROM":
            found.append([])
        found[-1].append((word, rest))
    return found


def copy_context(dest: Path) -> None:
    """Copy into `dest` what the first (wheel) stage copies from the build context."""
    for word, rest in stages()[0]:
        if word != "COPY" or rest.startswith("--from"):
            continue
        *sources, target = rest.split()
        for source in sources:
            src = REPO / source
            to = dest / (source if target.endswith("/") or target == "./" else target)
            to.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, to, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, to)


def command() -> list[str]:
    """The final stage's CMD (exec form)."""
    cmds = [rest for word, rest in stages()[-1] if word == "CMD"]
    return list(json.loads(cmds[-1]))


if __name__ == "__main__":
    if sys.argv[1:2] == ["context"]:
        copy_context(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["cmd"]:
        print("\n".join(command()))
    else:
        sys.exit(__doc__)
