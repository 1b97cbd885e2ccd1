"""Metafile pictures (EMF, EMF+, WMF, EMZ): text records as lines, bitmaps and outlined lettering
by OCR, damage as `corrupt` (fixtures/embedded/, built by fixtures/build_embedded.py)."""

from __future__ import annotations

import gzip
import shutil
import struct
from pathlib import Path

import pytest

from redactguard.document import Location, Segment
from redactguard.readers import ReadContext
from redactguard.readers.base import Limits
from redactguard.readers.metafile import is_metafile, read_metafile

EMBEDDED = Path(__file__).resolve().parents[2] / "fixtures" / "embedded"
ADDRESS = "Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX"


def read(data: bytes, name: str = "word/media/image1.emf", **kwargs: object) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="test", **kwargs)  # type: ignore[arg-type]
    where = Location(part="image", image=name)
    segments = list(read_metafile(ctx, data, location=where, flow=f"image:{name}", what=f"picture {name}"))
    return segments, ctx


def flow_text(segments: list[Segment], flow: str) -> str:
    return " ".join(" ".join(s.text for s in segments if s.flow == flow).split())


@pytest.mark.parametrize("name", ["address.emf", "address.wmf", "address.emz"])
def test_text_records_read_as_lines_in_one_flow(name: str) -> None:
    segments, ctx = read((EMBEDDED / name).read_bytes(), name)

    assert ctx.problems == []
    assert ADDRESS in flow_text(segments, f"image:{name}")  # two lines, one flow: the address matches whole
    assert {s.location for s in segments} == {Location(part="image", image=name)}


def test_a_line_drawn_in_several_records_reads_as_one_line() -> None:
    segments, ctx = read((EMBEDDED / "address-split.emf").read_bytes())

    assert ctx.problems == []
    assert [s.text for s in segments] == [ADDRESS]  # three records, spaces where the gaps are


def test_wmf_carrying_an_emf_reads_both() -> None:
    # LibreOffice's WMF carries its EMF in comment records: the text of both is read
    segments, _ = read((EMBEDDED / "address.wmf").read_bytes())

    assert [s.text for s in segments].count("Headingley, Leeds LS6 3EX") == 2


def test_bitmap_in_a_metafile_is_read_by_ocr() -> None:
    segments, ctx = read((EMBEDDED / "bitmap.emf").read_bytes())

    assert ctx.problems == []
    ocr = [s for s in segments if s.flow.endswith(":bitmap1")]
    assert "Cherry Tree Road" in " ".join(s.text for s in ocr)
    assert all(s.location.part == "image" and s.location.image == "word/media/image1.emf" and s.location.bbox for s in ocr)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is needed to render outlined lettering")
def test_lettering_drawn_as_outlines_is_rendered_and_read_by_ocr() -> None:
    segments, ctx = read((EMBEDDED / "curves.emf").read_bytes())

    assert ctx.problems == []
    assert "Cherry Tree Road" in " ".join(s.text for s in segments if s.flow.endswith(":rendered"))
    assert any("rendered with LibreOffice" in n for n in ctx.notes)


def test_lettering_drawn_as_outlines_fails_closed_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    segments, ctx = read((EMBEDDED / "curves.emf").read_bytes())

    assert segments == []
    assert [p.code for p in ctx.problems] == ["unsupported_part"]
    assert ctx.problems[0].location == Location(part="image", image="word/media/image1.emf")


def test_clean_metafile_has_no_problem_and_draws_nothing_to_render() -> None:
    segments, ctx = read((EMBEDDED / "clean.emf").read_bytes())

    assert ctx.problems == [] and ctx.notes == []
    assert "Monday to Friday" in flow_text(segments, "image:word/media/image1.emf")


def _emf() -> bytes:
    return (EMBEDDED / "address.emf").read_bytes()


def _second_record_size(data: bytes, size: int) -> bytes:
    first = struct.unpack_from("<I", data, 4)[0]
    return data[:first + 4] + struct.pack("<I", size) + data[first + 8:]


def _text_offset_past_end(data: bytes) -> bytes:
    pos = 0
    while pos < len(data):
        rtype, size = struct.unpack_from("<II", data, pos)
        if rtype == 84:  # EMR_EXTTEXTOUTW: offString at 48
            return data[:pos + 48] + struct.pack("<I", 0x7FFFFFF0) + data[pos + 52:]
        pos += size
    raise AssertionError("the fixture has no text record")


@pytest.mark.parametrize(("damage", "data"), [
    ("truncated", _emf()[: len(_emf()) // 2]),
    ("record size 0", _second_record_size(_emf(), 0)),
    ("huge record size", _second_record_size(_emf(), 0xFFFFFFF0)),
    ("string offset past the record", _text_offset_past_end(_emf())),
    ("no end-of-file record", _emf()[:-20]),
    ("wmf truncated", (EMBEDDED / "address.wmf").read_bytes()[:1000]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_damaged_metafile_is_corrupt_without_crash_or_hang(damage: str, data: bytes) -> None:
    segments, ctx = read(data)

    assert "corrupt" in [p.code for p in ctx.problems]
    assert all(p.location == Location(part="image", image="word/media/image1.emf") for p in ctx.problems)
    assert all("Cherry" not in p.message for p in ctx.problems)  # never the document's text


def test_compressed_metafile_past_the_size_limit_is_limit_exceeded() -> None:
    from redactguard.errors import UnreadableDocument

    bomb = gzip.compress(_emf() + b"\0" * 4_000_000, mtime=0)
    with pytest.raises(UnreadableDocument) as caught:
        read(bomb, limits=Limits(max_part_bytes=1_000_000))
    assert caught.value.code == "limit_exceeded"


@pytest.mark.parametrize(("data", "expected"), [
    (_emf(), True),
    ((EMBEDDED / "address.wmf").read_bytes(), True),
    ((EMBEDDED / "address.emz").read_bytes(), True),
    (gzip.compress(b"plain text, not a picture", mtime=0), False),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, False),
], ids=["emf", "wmf", "emz", "gzip of text", "png"])
def test_is_metafile_by_content(data: bytes, expected: bool) -> None:
    assert is_metafile(data) is expected


@pytest.mark.parametrize("name", ["address.emf", "address.wmf", "bitmap.emf"])
def test_mutated_metafiles_never_crash(name: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from redactguard.vocabulary import OcrMode

    original = (EMBEDDED / name).read_bytes()

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), min_size=1, max_size=8))
    def check(changes: list[tuple[int, int]]) -> None:
        data = bytearray(original)
        for pos, value in changes:
            data[pos] = value
        _, ctx = read(bytes(data), ocr=OcrMode.NEVER)  # OCR off: no picture is read, only parsed
        assert {p.code for p in ctx.problems} <= {"corrupt", "unsupported_part", "limit_exceeded", "no_text_layer"}

    check()
