"""A multipart upload streamed into the request's private folder, within the size limits.

The body is parsed as it arrives (python-multipart's streaming parser): each file part is
written straight to a file in the request's own folder, text fields are kept in memory up to a
small limit, and the whole body is counted, so an upload over the limit is refused (413) after
at most one chunk past it, whether or not the client sent a Content-Length. Nothing goes to the
system's shared temporary folder. The client's file names become the documents' paths in the
report, one safe path component at a time; a name that could leave the folder is refused.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header

__all__ = ["Upload", "UploadRejected", "receive_upload", "safe_name"]

#: Text fields (recipient, options) are short; the order is a small YAML or JSON file.
MAX_FIELD_BYTES = 64 * 1024
MAX_ORDER_BYTES = 1024 * 1024
MAX_FILES = 10_000
#: The form fields a request may carry, by whether they are text or files.
TEXT_FIELDS = frozenset({"recipient", "fail_on", "ocr", "generic", "label", "order"})
FILE_FIELDS = frozenset({"files", "order"})
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


class UploadRejected(Exception):
    """The upload breaks a limit or the form's shape: (HTTP status, message without content)."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


@dataclass
class Upload:
    """What a request carried: text fields, the order's bytes, and the files saved under `folder`."""

    folder: Path
    fields: dict[str, str] = field(default_factory=dict)
    order: bytes | None = None
    order_name: str = "order"
    files: list[str] = field(default_factory=list)  # paths relative to `folder`
    size: int = 0


def safe_name(raw: str, index: int) -> str:
    """The client's file name as a relative path that stays inside the folder.

    Both `/` and `\\` separate folders; empty, `.` and `..` components and control characters
    are refused rather than rewritten, so that two different names can never meet in one file.
    A part without a name is called `upload-N`.
    """
    if not raw:
        return f"upload-{index}"
    parts = re.split(r"[\\/]+", raw.strip())
    if raw.startswith(("/", "\\")) or any(p in ("", ".", "..") for p in parts) or _UNSAFE.search(raw):
        raise UploadRejected(400, f"file {index}: its name must be a relative path without '..' or control characters")
    if len(raw.encode("utf-8")) > 1024 or any(len(p.encode("utf-8")) > 255 for p in parts):
        raise UploadRejected(400, f"file {index}: its name is too long")
    return "/".join(parts)


class _Parts:
    """The parser's callbacks: one part at a time, into memory (fields) or a file (files)."""

    def __init__(self, upload: Upload, files_dir: Path):
        self.upload = upload
        self.files_dir = files_dir
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.filename: str | None = None
        self.buffer: bytearray | None = None
        self.sink: IO[bytes] | None = None
        self.error: UploadRejected | None = None
        self.ended = False

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.part_begin, "on_header_field": self.header_field_data,
            "on_header_value": self.header_value_data, "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
            "on_part_end": self.part_end, "on_end": self.end,
        }

    def part_begin(self) -> None:
        self.headers = {}
        self.name, self.filename, self.buffer, self.sink = "", None, None, None

    def header_field_data(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def header_value_data(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        self.headers[bytes(self.header_field).lower()] = bytes(self.header_value)
        self.header_field, self.header_value = bytearray(), bytearray()

    def headers_finished(self) -> None:
        disposition, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        if disposition != b"form-data" or b"name" not in params:
            self.fail(400, "every part needs a Content-Disposition: form-data header with a name")
        self.name = params.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = params.get(b"filename")
        self.filename = None if raw_filename is None else raw_filename.decode("utf-8", "replace")
        if self.filename is not None and self.name in FILE_FIELDS:
            if self.name == "order":
                self.buffer = bytearray()
                self.upload.order_name = safe_name(self.filename, 0).rsplit("/", 1)[-1] if self.filename else "order"
                return
            if len(self.upload.files) >= MAX_FILES:
                self.fail(413, f"at most {MAX_FILES} files per request")
            relative = safe_name(self.filename, len(self.upload.files) + 1)
            if relative in self.upload.files:
                self.fail(400, f"file {len(self.upload.files) + 1}: two files have the same name")
            path = self.files_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            self.sink = open(path, "xb")  # noqa: SIM115 (closed in part_end or on failure)
            self.upload.files.append(relative)
        elif self.filename is None and self.name in TEXT_FIELDS:
            if self.name in self.upload.fields:
                self.fail(400, f"the field {self.name!r} is given twice")
            self.buffer = bytearray()
        else:
            self.fail(400, f"unexpected form field {self.name[:40]!r}: expected order, recipient, files and options")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.sink is not None:
            self.sink.write(data[start:end])
        elif self.buffer is not None:
            self.buffer += data[start:end]
            limit = MAX_ORDER_BYTES if self.name == "order" else MAX_FIELD_BYTES
            if len(self.buffer) > limit:
                self.fail(413, f"the field {self.name!r} is over {limit // 1024} KiB")

    def part_end(self) -> None:
        if self.sink is not None:
            self.sink.close()
            self.sink = None
        elif self.buffer is not None:
            if self.name == "order":
                if self.upload.order is not None:
                    self.fail(400, "the order is given twice")
                self.upload.order = bytes(self.buffer)
            else:
                try:
                    self.upload.fields[self.name] = self.buffer.decode("utf-8")
                except UnicodeDecodeError:
                    self.fail(400, f"the field {self.name!r} is not UTF-8 text")
            self.buffer = None

    def end(self) -> None:
        self.ended = True

    def fail(self, status: int, message: str) -> None:
        self.error = UploadRejected(status, message)
        raise self.error

    def close(self) -> None:
        if self.sink is not None:
            self.sink.close()


async def receive_upload(
    content_type: str, stream: AsyncIterator[bytes], folder: Path, max_bytes: int,
) -> Upload:
    """Parse a multipart/form-data body from `stream` into `folder` (files under `folder/in`)."""
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadRejected(415, "send the documents as multipart/form-data")
    upload = Upload(folder)
    files_dir = folder / "in"
    files_dir.mkdir()
    parts = _Parts(upload, files_dir)
    parser = MultipartParser(params[b"boundary"], parts.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in stream:
            upload.size += len(chunk)
            if upload.size > max_bytes:
                raise UploadRejected(413, f"the upload is over the limit of {max_bytes // (1024 * 1024)} MiB")
            try:
                parser.write(chunk)
            except UploadRejected:
                raise
            except Exception:  # the parser's own error names the byte it stopped at, nothing more useful
                if parts.error is not None:
                    raise parts.error from None
                raise UploadRejected(400, "the multipart body is malformed") from None
        parser.finalize()
    finally:
        parts.close()
    if not parts.ended:
        raise UploadRejected(400, "the multipart body ended early")
    return upload
