"""Damaged and hostile DOCX packages: broken zips, parts that are no longer XML, entity bombs and
external entities, wrong content types, lying sizes. Same rules as every fuzz target (conftest)."""

from __future__ import annotations

import io
import re
import warnings
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactguard.scanner import Scanner

from .conftest import FIXTURES, check_mutant, scaled, visible_secrets, zip_oracle_text
from .mutations import (
    XML_DAMAGE,
    Mutation,
    byte_damage,
    member,
    rebuild_zip,
    set_declared_size,
    xml_damage,
)

#: The address only in the body, a table, a header, a footnote, a comment, custom properties.
SEEDS = {
    "simple": FIXTURES / "files" / "simple.docx",
    "social-work-report": FIXTURES / "sample-case" / "bundle" / "social-work-report.docx",
    "header": FIXTURES / "vectors" / "docx-header.docx",
    "footnote": FIXTURES / "vectors" / "docx-footnote.docx",
    "comment": FIXTURES / "vectors" / "docx-comment.docx",
    "custom-properties": FIXTURES / "vectors" / "docx-custom-properties.docx",
}
CONTENT_TYPES = [
    "image/png", "application/xml", "text/plain", "text/html", "application/octet-stream", "",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "application/vnd.openxmlformats-package.relationships+xml",
]


def seed_bytes(name: str) -> bytes:
    return SEEDS[name].read_bytes()


def _members(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


@pytest.mark.parametrize("name", list(SEEDS))
def test_seed_is_blocked_before_any_damage(scanner: Scanner, name: str) -> None:
    data = seed_bytes(name)
    result = scanner.scan_bytes(data, name)
    assert result.status == "blocked"
    assert result.problems == ()
    assert visible_secrets(zip_oracle_text(data))


@st.composite
def part_damage(draw: st.DrawFn) -> Mutation:
    """One member of the package no longer well-formed, hostile, or not XML at all."""
    pick = draw(st.floats(0, 1, exclude_max=True))
    damage = xml_damage(draw(st.sampled_from(XML_DAMAGE)), draw(st.integers(1, 5000)), draw(st.floats(0, 1)))

    def apply(data: bytes) -> bytes:
        names = _members(data)
        target = names[int(pick * len(names))]
        return rebuild_zip(data, lambda n, b: damage(b) if n == target else b)

    return apply


@st.composite
def content_type_damage(draw: st.DrawFn) -> Mutation:
    """A part declared as something it is not, or [Content_Types].xml edited."""
    pick = draw(st.floats(0, 1, exclude_max=True))
    new_type = draw(st.sampled_from(CONTENT_TYPES))
    how = draw(st.sampled_from(["override", "drop-override", "default-xml", "rename-part"]))

    def apply(data: bytes) -> bytes:
        names = [n for n in _members(data) if n.endswith(".xml") and n != "[Content_Types].xml"]
        target = names[int(pick * len(names))]

        def change(name: str, body: bytes) -> bytes | None:
            if name != "[Content_Types].xml":
                return body
            text = body.decode("utf-8")
            if how == "override":
                text = re.sub(
                    r'(<Override PartName="/' + re.escape(target) + r'" ContentType=")[^"]*', r"\g<1>" + new_type, text
                )
                if f'PartName="/{target}"' not in text:
                    text = text.replace("</Types>", f'<Override PartName="/{target}" ContentType="{new_type}"/></Types>')
            elif how == "drop-override":
                text = re.sub(r'<Override PartName="/' + re.escape(target) + r'"[^>]*/>', "", text)
            elif how == "default-xml":
                text = re.sub(r'(<Default Extension="xml" ContentType=")[^"]*', r"\g<1>" + new_type, text)
            return text.encode("utf-8")

        out = rebuild_zip(data, change)
        if how == "rename-part":  # the part moves to media/, where pictures live
            out = rebuild_zip(out, lambda n, b: b, order=lambda ns: ns)
            out = _rename(out, target, "word/media/" + target.rsplit("/", 1)[-1])
        return out

    return apply


def _rename(data: bytes, old: str, new: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(member(new if name == old else name), src.read(name))
    return out.getvalue()


@st.composite
def package_damage(draw: st.DrawFn) -> Mutation:
    """The zip itself lies: declared sizes, dropped or duplicated members, stored/deflated mix."""
    pick = draw(st.floats(0, 1, exclude_max=True))
    how = draw(st.sampled_from(["size", "compressed-size", "drop", "duplicate", "empty-member"]))
    size = draw(st.sampled_from([0, 1, 2**31 - 1, 2**32 - 1, 10**9]))

    def apply(data: bytes) -> bytes:
        names = _members(data)
        target = names[int(pick * len(names))]
        if how == "size":
            return set_declared_size(data, size, "uncompressed", pick)
        if how == "compressed-size":
            return set_declared_size(data, size, "compressed", pick)
        if how == "drop":
            return rebuild_zip(data, lambda n, b: None if n == target else b)
        if how == "empty-member":
            return rebuild_zip(data, lambda n, b: b"" if n == target else b)
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                dst.writestr(member(name), src.read(name))
            dst.writestr(member(target), b"<w:document/>")  # a second, later entry
        return out.getvalue()

    return apply


def _run(scanner: Scanner, seed: str, mutations: list[Mutation], target: str) -> None:
    data = seed_bytes(seed)
    for mutate in mutations:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we make
                data = mutate(data)
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, IndexError):
            pass  # an earlier mutation left no zip to rebuild: the damage so far is the example
    check_mutant(scanner, data, "mutant.docx", zip_oracle_text, target)


SEED_NAMES = st.sampled_from(list(SEEDS))


@scaled(80)
@given(seed=SEED_NAMES, mutations=st.lists(byte_damage(), min_size=1, max_size=2))
def test_docx_byte_damage(scanner: Scanner, seed: str, mutations: list[Mutation]) -> None:
    _run(scanner, seed, mutations, "docx bytes")


@scaled(120)
@given(seed=SEED_NAMES, mutations=st.lists(part_damage(), min_size=1, max_size=2))
def test_docx_part_damage(scanner: Scanner, seed: str, mutations: list[Mutation]) -> None:
    _run(scanner, seed, mutations, "docx xml parts")


@scaled(100)
@given(seed=SEED_NAMES, mutation=content_type_damage())
def test_docx_wrong_content_types(scanner: Scanner, seed: str, mutation: Mutation) -> None:
    _run(scanner, seed, [mutation], "docx content types")


@scaled(80)
@given(seed=SEED_NAMES, mutations=st.lists(package_damage(), min_size=1, max_size=2))
def test_docx_package_damage(scanner: Scanner, seed: str, mutations: list[Mutation]) -> None:
    _run(scanner, seed, mutations, "docx package")
