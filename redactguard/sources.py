"""What to scan: files, folders (recursive) and .zip bundles, expanded into documents.

A zip bundle is a folder in one file: each member is a document of its own, shown as
`bundle.zip!/member.pdf`. Nothing is ever extracted to disk, so member names such as
`../../etc/passwd` are only labels. Members are read lazily, by the process that checks them.
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from .document import Problem
from .errors import UnreadableDocument, UsageError
from .readers.base import Limits
from .zips import ZIP_ERRORS, check_member, is_folder

__all__ = ["Source", "collect", "ZIP_SEP"]

ZIP_SEP = "!/"
_log = logging.getLogger(__name__)
_MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class Source:
    """One document to check: a file, or a member of a zip (of a zip...) on disk, or bytes."""

    path: str
    fs_path: str
    members: tuple[str, ...] = ()
    problem: Problem | None = None
    data: bytes | None = None
    #: The document's path relative to the scan root it was found under (the folder or zip
    #: given, or for a single file its name; "/" between folders, "!/" into a zip). Fingerprints
    #: are keyed on it, so a bundle keeps its baseline wherever it lies. None: `path` is used.
    relative: str | None = None

    def __repr__(self) -> str:
        return f"Source({self.path!r})"

    def read_bytes(self, limits: Limits | None = None) -> bytes:
        """The document's bytes; raises UnreadableDocument if a limit or a damaged zip stops it."""
        if self.data is not None:
            return self.data
        limits = limits or Limits()
        size = os.path.getsize(self.fs_path)
        if not self.members:
            if size > limits.max_part_bytes * 4:
                raise UnreadableDocument("limit_exceeded", "the file is larger than the size limit")
            with open(self.fs_path, "rb") as fh:
                return fh.read()
        with open(self.fs_path, "rb") as fh:
            blob = fh.read()
        for member in self.members:
            blob = _read_member(blob, member, limits)
        return blob


def _read_member(archive: bytes, member: str, limits: Limits) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            info = zf.getinfo(member)
            check_member(info, limits.max_part_bytes)
            with zf.open(info) as fh:
                data = fh.read(limits.max_part_bytes + 1)
    except UnreadableDocument:
        raise
    except ZIP_ERRORS as exc:
        raise UnreadableDocument("corrupt", f"the zip member cannot be read ({type(exc).__name__})") from None
    if len(data) > limits.max_part_bytes:
        raise UnreadableDocument("limit_exceeded", "the zip member unpacks to more than the size limit")
    return data


def collect(paths: Sequence[str | os.PathLike[str]], limits: Limits | None = None, *, follow_symlinks: bool = False) -> list[Source]:
    """Expand PATH arguments into documents, in a stable order (as given, folders sorted)."""
    limits = limits or Limits()
    out: list[Source] = []
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.lexists(path):
            raise UsageError(f"no such file or folder: {path}")
        if os.path.isdir(path):
            found = list(_walk(path, limits, follow_symlinks))
        else:
            found = list(_file(path, path, limits))
        out.extend(replace(s, relative=_relative(s.path, path)) for s in found)
    _log.debug("%d document(s) to check in %d path(s)", len(out), len(paths))
    return out


def _relative(display: str, root: str) -> str:
    """`display` (a path `collect` made under the argument `root`) relative to that root: inside a
    folder, its path below it; inside a zip given directly, its member path; a single file, its
    name. Independent of the working folder and of how the root was spelled (relative, absolute)."""
    outer, sep, members = display.partition(ZIP_SEP)
    if os.path.isdir(root):
        inside = os.path.relpath(outer, root).replace(os.sep, "/")
        return inside + sep + members
    if sep:  # a zip given directly is a folder in one file: its members are the paths
        return members
    return os.path.basename(outer)


def _walk(root: str, limits: Limits, follow_symlinks: bool) -> Iterator[Source]:
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_symlinks):
        dirnames.sort()
        if not follow_symlinks:
            # os.walk lists a linked folder but does not enter it: one that leads out of the root
            # would hide its files silently, so it is a problem; one inside is walked as itself.
            for name in dirnames:
                full = os.path.join(dirpath, name)
                if os.path.islink(full) and not _inside(real_root, full):
                    yield Source(full, full, problem=Problem(
                        "unsupported_type", "a symbolic link to outside the scanned folder is not followed"))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            if os.path.islink(full) and not follow_symlinks:
                if not _inside(real_root, full):
                    yield Source(full, full, problem=Problem(
                        "unsupported_type", "a symbolic link to outside the scanned folder is not followed"))
                    continue
            if not os.path.isfile(full):
                continue
            yield from _file(full, full, limits)


def _inside(real_root: str, path: str) -> bool:
    target = os.path.realpath(path)
    return os.path.commonpath([real_root, target]) == real_root


def _file(display: str, fs_path: str, limits: Limits) -> Iterator[Source]:
    try:
        with open(fs_path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        yield Source(display, fs_path, problem=Problem("read_error", f"cannot open the file ({exc.strerror})"))
        return
    if head.startswith(b"PK"):
        from .readers.sniff import sniff

        with open(fs_path, "rb") as fh:
            data = fh.read()
        if sniff(data) == "zip":
            yield from _zip(display, fs_path, (), data, limits, depth=1)
            return
    yield Source(display, fs_path)


def _zip(display: str, fs_path: str, chain: tuple[str, ...], data: bytes, limits: Limits, depth: int) -> Iterator[Source]:
    from .readers.sniff import sniff

    if depth > limits.max_depth:
        yield Source(display, fs_path, chain, problem=Problem("limit_exceeded", "zips are nested deeper than the limit"))
        return
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not is_folder(i)]
    except ZIP_ERRORS as exc:
        yield Source(display, fs_path, chain, problem=Problem("corrupt", f"the zip cannot be read ({type(exc).__name__})"))
        return
    if len(infos) > _MAX_MEMBERS:
        yield Source(display, fs_path, chain, problem=Problem("limit_exceeded", "the zip has more members than the limit"))
        return
    with zf:
        for info in sorted(infos, key=lambda i: i.filename):
            member_display = f"{display}{ZIP_SEP}{info.filename}"
            member_chain = chain + (info.filename,)
            try:
                check_member(info, limits.max_part_bytes)
                with zf.open(info) as fh:
                    head = fh.read(8)
                if head.startswith(b"PK"):
                    inner = _read_member(data, info.filename, limits)
                    if sniff(inner) == "zip":
                        yield from _zip(member_display, fs_path, member_chain, inner, limits, depth + 1)
                        continue
            except UnreadableDocument as exc:
                yield Source(member_display, fs_path, member_chain, problem=Problem(exc.code, str(exc)))
                continue
            except ZIP_ERRORS as exc:
                yield Source(member_display, fs_path, member_chain, problem=Problem("corrupt", f"the zip member cannot be read ({type(exc).__name__})"))
                continue
            yield Source(member_display, fs_path, member_chain)
