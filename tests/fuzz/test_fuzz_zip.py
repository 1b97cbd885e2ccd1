"""Damaged and hostile zip bundles, scanned as a user would (a file on disk, expanded into member
documents): byte damage, lying sizes, nested zips, traversal and odd member names. The run's exit
code is 0 only if a lenient unzip can see no protected value in any member."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import redactguard
from redactguard.errors import UsageError
from redactguard.run import SerialExecutor

from .conftest import (
    DOC_TIMEOUT,
    FIXTURES,
    HANG_AFTER,
    ORDER_YAML,
    TALLY,
    check_report,
    scaled,
    watchdog,
    zip_oracle_text,
)
from .mutations import Mutation, byte_damage, member, rebuild_zip, set_declared_size

ORDER = redactguard.load_order(ORDER_YAML)


def _bundle() -> bytes:
    """The sample bundle's zip plus a DOCX, a PDF and a nested zip: every reader behind one file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        src = zipfile.ZipFile(FIXTURES / "sample-case" / "bundle" / "school-letters.zip")
        for name in src.namelist():
            zf.writestr(member(name), src.read(name))
        zf.writestr(member("reports/simple.docx"), (FIXTURES / "files" / "simple.docx").read_bytes())
        zf.writestr(member("reports/note.pdf"), (FIXTURES / "files" / "simple-2page.pdf").read_bytes())
        zf.writestr(member("inner.zip"), (FIXTURES / "sample-case" / "bundle" / "school-letters.zip").read_bytes())
    return out.getvalue()


SEED = _bundle()
NAMES = st.sampled_from(["../../up.txt", "/abs.txt", "a\\b.txt", "", "x" * 300, "dir/", "CON", "é.txt", "a\x00b.txt", "same.txt"])


@st.composite
def member_damage(draw: st.DrawFn) -> Mutation:
    pick = draw(st.floats(0, 1, exclude_max=True))
    how = draw(st.sampled_from(["rename", "size", "compressed-size", "drop", "nest", "duplicate"]))
    new_name = draw(NAMES)
    size = draw(st.sampled_from([0, 7, 2**31 - 1, 2**32 - 1]))

    def apply(data: bytes) -> bytes:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        target = names[int(pick * len(names))]
        if how == "size":
            return set_declared_size(data, size, "uncompressed", pick)
        if how == "compressed-size":
            return set_declared_size(data, size, "compressed", pick)
        if how == "drop":
            return rebuild_zip(data, lambda n, b: None if n == target else b)
        if how == "nest":  # the whole bundle again as a member, one level deeper
            return rebuild_zip(data, lambda n, b: data if n == target else b)
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                info = zipfile.ZipInfo("x")
                info.filename = new_name if (how == "rename" and name == target) else name
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, src.read(name))
            if how == "duplicate":
                info = zipfile.ZipInfo("x")
                info.filename = target
                dst.writestr(info, b"a later entry of the same name")
        return out.getvalue()

    return apply


def _run(mutations: list[Mutation], target: str) -> None:
    import warnings

    data = SEED
    for mutate in mutations:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we make
                data = mutate(data)
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, IndexError):
            pass  # no zip left to rebuild: the damage so far is the example
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.zip"
        path.write_bytes(data)
        try:
            with watchdog(HANG_AFTER * 2):
                report = redactguard.scan(
                    [str(path)], ORDER, "respondent", generic=False, model=None, timeout=DOC_TIMEOUT,
                    executor=SerialExecutor(),
                )
        except UsageError:  # nothing left to scan: a usage error (exit 2), never a pass
            TALLY.add(target, "usage-error")
            return
        except BaseException:
            from .conftest import _keep

            print(f"failing mutant kept as {_keep(data, target, 'x.zip', 'fail')}")
            raise
    try:
        check_report(report, zip_oracle_text(data), target)
    except BaseException:
        from .conftest import _keep

        print(f"failing mutant kept as {_keep(data, target, 'x.zip', 'fail')}")
        raise


def test_seed_bundle_blocks_with_every_member_read() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.zip"
        path.write_bytes(SEED)
        report = redactguard.scan([str(path)], ORDER, "respondent", generic=False, model=None)
    assert len(report.documents) == 6
    assert report.exit_code() == 1
    assert not any(d.problems for d in report.documents)


@scaled(60)
@given(mutations=st.lists(byte_damage(), min_size=1, max_size=2))
def test_zip_byte_damage(mutations: list[Mutation]) -> None:
    _run(mutations, "zip bytes")


@scaled(80)
@given(mutations=st.lists(member_damage(), min_size=1, max_size=3))
def test_zip_member_damage(mutations: list[Mutation]) -> None:
    _run(mutations, "zip members")


@pytest.mark.parametrize("depth", [1, 4, 5, 6, 12])
def test_bundle_nested_in_itself(depth: int) -> None:
    data = SEED
    for _ in range(depth):
        data = rebuild_zip(SEED, lambda n, b, inner=data: inner if n == "inner.zip" else b)
    _run([lambda d, data=data: data], "zip nesting")
