"""Legacy binary Office files (.doc, .xls, .ppt) converted by LibreOffice to their OOXML twin.

Word 97, Excel 97 and PowerPoint 97 files are read through the twin (.docx, .xlsx, .pptx) that
LibreOffice headless writes, because LibreOffice's import filters are the best-kept free reading
of those formats (tracked changes, comments, hidden text, headers, notes all survive; see
docs/readers.md). Each conversion runs in a private temporary folder with a fresh LibreOffice user
profile, so concurrent conversions never share a profile, a lock or a running instance; the
profile turns macros off, links off and Java off, and where the system allows it LibreOffice runs
in a network namespace of its own with no network at all, in a PID namespace that dies with the
process that started it (`_isolation`). It has no stdin, its output is thrown
away (it quotes file names and can quote document text), and it is killed with its whole process
group when the document's time budget runs out.

Start-up dominates: measured here (LibreOffice 7.4, one core), a one-line file takes 1.1 s to
convert with a reused profile and 1.1 to 1.4 s with a fresh one, so the fresh profile's
isolation costs at most 0.3 s a file; the corpus's .doc, .xls and .ppt files take 1.1 to 2 s a
conversion (docs/readers.md).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ..errors import UnreadableDocument
from .base import ReadContext

__all__ = ["SOFFICE_HINT", "DEFAULT_TIMEOUT", "TWINS", "SofficeMissing", "convert_to_twin", "soffice_convert"]

#: What to install when LibreOffice is missing (Debian and Ubuntu; the -nogui builds suffice).
SOFFICE_HINT = ("install LibreOffice (Debian: libreoffice-writer-nogui libreoffice-calc-nogui "
                "libreoffice-impress-nogui) to read .doc/.xls/.ppt files")

#: Seconds a conversion may take when the document has no time budget of its own.
DEFAULT_TIMEOUT = 120.0

#: Legacy type -> (twin type, LibreOffice export filter).
TWINS = {
    "doc": ("docx", "MS Word 2007 XML"),
    "xls": ("xlsx", "Calc MS Excel 2007 XML"),
    "ppt": ("pptx", "Impress MS PowerPoint 2007 XML"),
}

# The fresh profile's settings: macros never run (the highest security level, and execution off),
# VBA is not turned into runnable Basic, links to other files or URLs are never updated on load
# (Writer counts "never" as 0, Calc as 1), Java is off, referer links are blocked.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Filter/Import/VBA"><prop oor:name="Executable" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Executable" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Java/VirtualMachine"><prop oor:name="Enable" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class SofficeMissing(UnreadableDocument):
    """LibreOffice is not installed: the legacy file fails closed, saying what to install."""

    def __init__(self) -> None:
        super().__init__("unsupported_type", f"LibreOffice is not available (the soffice command is not on PATH): {SOFFICE_HINT}")


def convert_to_twin(data: bytes, kind: str, import_filter: str, ctx: ReadContext) -> bytes:
    """The OOXML twin of legacy file `data` of type `kind` ("doc", "xls", "ppt"), as bytes.

    `import_filter` is LibreOffice's filter for the file ("MS Word 97"...): named, so that a file
    the filter cannot load is not imported by another one (as plain text) instead.

    Raises `SofficeMissing`, or `UnreadableDocument` with `timeout` (the budget ran out; the
    conversion is killed), `corrupt` (LibreOffice wrote nothing) or `limit_exceeded`."""
    twin, export = TWINS[kind]
    result = soffice_convert(data, kind, f"{twin}:{export}", ctx, import_filter=import_filter)
    if result is None:
        raise UnreadableDocument("corrupt", "LibreOffice could not convert the file")
    return result


def soffice_convert(data: bytes, suffix: str, target: str, ctx: ReadContext, *, import_filter: str | None = None) -> bytes | None:
    """`data` (a file of type `suffix`: "doc", "svm", "emf"...) converted by LibreOffice to
    `target` ("pdf", "docx:MS Word 2007 XML"...), isolated as the module says; None where
    LibreOffice wrote nothing. Raises `SofficeMissing`, or `UnreadableDocument` (`timeout`,
    `limit_exceeded`)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SofficeMissing()
    ctx.check_time()
    with tempfile.TemporaryDirectory(prefix="redactguard-lo-") as tmp:
        folder = Path(tmp)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        source = folder / f"document.{suffix}"  # never the document's own name
        source.write_bytes(data)
        out = folder / "out"
        command = [*_isolation(), soffice, f"-env:UserInstallation={profile.as_uri()}",
                   "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck", "--nodefault",
                   *([f"--infilter={import_filter}"] if import_filter else []),
                   "--convert-to", target, "--outdir", str(out), str(source)]
        _run(command, folder, _budget(ctx))
        result = out / f"document.{target.partition(':')[0]}"
        if not result.is_file() or result.stat().st_size == 0:
            return None
        if result.stat().st_size > ctx.limits.max_part_bytes:
            raise UnreadableDocument("limit_exceeded", "LibreOffice's conversion of the file is larger than the size limit")
        return result.read_bytes()


def _budget(ctx: ReadContext) -> float:
    """Seconds the conversion may run: the document's remaining budget, less a margin so that
    this kill (of LibreOffice's whole process group) comes before a worker pool's kill of the
    process that started it (which would leave LibreOffice running)."""
    if ctx.deadline is None:
        return DEFAULT_TIMEOUT
    left = ctx.deadline - time.monotonic()
    return left - min(2.0, 0.1 * left)


def _run(command: list[str], folder: Path, budget: float) -> None:
    env = {**os.environ, "HOME": str(folder), "TMPDIR": str(folder)}
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=folder, env=env, start_new_session=True)
    except OSError as exc:
        raise UnreadableDocument("corrupt", f"LibreOffice could not be started ({type(exc).__name__})") from None
    try:
        proc.wait(timeout=max(budget, 0.0))
    except subprocess.TimeoutExpired:
        raise UnreadableDocument("timeout", "the document ran past the time budget (LibreOffice's conversion was stopped)") from None
    finally:
        # the whole group: soffice.bin and anything it started, also once the launcher is gone
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@functools.cache
def _isolation() -> tuple[str, ...]:
    """What LibreOffice runs under, the strongest this system allows (checked once a process):

    - `setpriv --pdeathsig KILL unshare --fork --pid --kill-child --net --map-root-user`: no
      network (only a loopback device), and LibreOffice lives in a PID namespace of its own that
      dies with the process that started it, even when that process is killed outright (a worker
      pool's time-out): nothing is left running;
    - `unshare --net --map-root-user`: no network; the process group kill on time-out remains;
    - nothing: the profile's settings are the only guard against links and remote content.
    """
    setpriv, unshare = shutil.which("setpriv"), shutil.which("unshare")
    candidates: list[tuple[str, ...]] = []
    if setpriv and unshare:
        candidates.append((setpriv, "--pdeathsig", "KILL", unshare, "--fork", "--pid", "--kill-child", "--net", "--map-root-user"))
    if unshare:
        candidates.append((unshare, "--net", "--map-root-user"))
    for command in candidates:
        try:
            done = subprocess.run([*command, "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return command
    return ()
