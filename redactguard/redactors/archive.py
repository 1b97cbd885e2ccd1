"""Zip bundles: each member redacted with its own format's redactor, into a new zip."""

from __future__ import annotations

import io
import zipfile

from ..document import Problem
from ..formats import redactor
from ..readers.base import Limits
from ..readers.sniff import sniff
from ..zips import check_member, is_folder
from .base import RedactionResult, Removal, Targets


class ZipRedactor:
    type = "zip"

    def redact(self, data: bytes, targets: Targets) -> RedactionResult:
        out = io.BytesIO()
        removals: list[Removal] = []
        problems: list[Problem] = []
        limits = Limits()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if is_folder(info):
                    continue
                check_member(info, limits.max_part_bytes)
                blob = zin.read(info)
                found = redactor(sniff(blob))
                if found is not None:
                    inner = found.redact(blob, targets)
                    blob = inner.data
                    removals.extend(
                        Removal(r.item, r.kind, r.location.within(info.filename), r.excerpt, r.action)
                        for r in inner.removals
                    )
                    problems.extend(Problem(p.code, f"{info.filename}: {p.message}", p.page) for p in inner.problems)
                elif targets.scanner.scan_bytes(blob, info.filename).findings:
                    problems.append(Problem("unsupported_part", f"{info.filename} holds withheld text in a format that cannot be redacted"))
                zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(zi, blob)
        return RedactionResult(out.getvalue(), removals, problems)
